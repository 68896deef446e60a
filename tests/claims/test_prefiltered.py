"""A prefiltered regex finds exactly what the plain regex finds (claims/vocabulary.py).

``vocabulary.prefiltered`` skips a text holding none of a pattern's literal cues and tries only
the positions whose character may start a match: both only save time. Checked on the
patterns that use it (the windows before a number in ``claims/roles.py``) against the windows
of every corpus sentence, strings made from the patterns themselves, and case traps.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.corpus_score import load_corpus
from geolever.claims import roles
from geolever.claims.extract import parse_sentence
from geolever.claims.vocabulary import Prefiltered, _without_lookarounds, literal_cues, prefiltered

#: every prefiltered pattern of the checker, by name
PATTERNS = {f"roles.{k}": v for k, v in vars(roles).items() if isinstance(v, Prefiltered)}

TRAPS = ["ſtood at ", "STOOD AT ", "İt rose by ", "the group ", "rose from about ",
         "fell to nearly ", "increased by ", "compared to ", "ROSE  BY  ", "had fallen to "]


def _plain(p: Prefiltered) -> re.Pattern[str]:
    return re.compile(p.pattern, re.I)


@pytest.fixture(scope="module")
def windows() -> list[str]:
    """The 60 characters before each number of each corpus sentence (as the roles read)."""
    out = list(TRAPS)
    for _, doc in load_corpus():
        for s in doc["sentences"]:
            parsed = parse_sentence(s["text"])
            out += [parsed.tokens[max(0, q.start - 60):q.start] for q in parsed.quantities]
            out.append(parsed.tokens)
    return out


def test_the_roles_use_it() -> None:
    assert {"roles._CHANGE_BEFORE", "roles._EARLIER_BEFORE", "roles._LEVEL_BEFORE"} <= set(
        PATTERNS)


def test_same_matches_as_the_plain_regex(windows: list[str]) -> None:
    for name, p in PATTERNS.items():
        plain = _plain(p)
        for w in windows:
            got, want = p.search(w), plain.search(w)
            assert (got and got.span()) == (want and want.span()), (name, w)


def test_change_words_found_with_or_without_their_modifiers(windows: list[str]) -> None:
    # the modifiers before the change words ("a sharp", "its annual") were dropped from the
    # search: whether the words are there is the same answer
    with_mod = re.compile(roles._MOD + roles._CHANGE_BEFORE.pattern, re.I)
    for w in [*windows, "a sharp annual increase of ", "its yearly growth was ",
              "the significantly slower rise by "]:
        assert bool(roles._CHANGE_BEFORE.search(w)) == bool(with_mod.search(w)), w


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_strings_made_from_the_pattern(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(PATTERNS)))
    p = PATTERNS[name]
    core = data.draw(st.from_regex(re.compile(p.pattern.rstrip("$"), re.I), fullmatch=True))
    head = data.draw(st.sampled_from(["", "x ", "Trade ", "ſ", "İ", "⟦RUS⟧ ", "the group "]))
    tail = data.draw(st.sampled_from(["", " ", " about ", "s", "K"]))
    for text in (core, head + core, head + core + tail, (head + core).upper()):
        got, want = p.search(text), _plain(p).search(text)
        assert (got and got.span()) == (want and want.span()), (name, text)


def test_odd_case_letters_are_searched() -> None:
    # "ſ" (long s) matches "s" under re.IGNORECASE but str.lower() keeps it: no cue test then
    p = prefiltered(r"\bstood at\s*$")
    assert p.search("it ſtood at ") is not None
    assert p.search("it stood at ") is not None
    assert p.search("it stands ") is None


def test_first_characters_skip_lookarounds() -> None:
    assert _without_lookarounds(r"(?<!compared )\bto|(?=x)ab(?!c)") == r"\bto|ab"
    assert _without_lookarounds(r"[(?=]a\(?=b") == r"[(?=]a\(?=b"  # a set, an escape
    assert prefiltered(r"(?<!compared )\bto|record").regex.pattern.startswith("(?=[rRtT])")
    assert prefiltered(r"(?:foo)?bar").regex.pattern.startswith("(?=[bBfF])")
    assert prefiltered(r"\w+ly").regex.pattern == r"\w+ly"  # not known: no look-ahead
    assert prefiltered(r"rises?|up").cues == ("up", "rise")


@pytest.mark.parametrize("pattern, text", [
    ("[]|]ab|cd", "|ab"),  # a "]" first in a set is literal: the "|" is inside the set
    ("[^]|]ab|cd", "xab"),
    ("no[]|.] ?1|top", "no| 1"),
])
def test_a_bracket_first_in_a_set_is_part_of_the_set(pattern: str, text: str) -> None:
    """The cue readers and the look-around remover read one set the same way as :mod:`re`.

    On the code before (each reader tracked sets itself), "[]|]ab|cd" was split at the "|"
    inside the set and lost its cues.
    """
    cues = literal_cues((pattern,))
    assert cues is not None
    match = re.search(pattern, text, re.I)
    assert match is not None and any(c in match.group(0).lower() for c in cues)
    assert prefiltered(pattern).search(text) is not None
    assert _without_lookarounds(pattern) == pattern
