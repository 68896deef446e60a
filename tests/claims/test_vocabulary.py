"""The keyword prefilter of :mod:`geolever.claims.vocabulary`: literal cues never lose a match.

``search_words`` skips a regex when none of the keyword patterns' literal cues is in the
text (the checker's speed on long texts). That is only right if every match holds a cue:
checked here for every keyword list of the rules on every sentence of the real-text corpus
and on windows of it, and on hand-made cases of the cue reader.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from geolever.claims.extract import parse_sentence
from geolever.claims.vocabulary import literal_cues, rules, search_words, words

CORPUS = Path(__file__).resolve().parents[1] / "data" / "claims" / "corpus"


def _keyword_lists(node: Any, path: str = "") -> list[tuple[str, tuple[str, ...]]]:
    if isinstance(node, list) and node and all(isinstance(x, str) for x in node):
        return [(path, tuple(node))]
    items = node.items() if isinstance(node, dict) else enumerate(node) \
        if isinstance(node, list) else []
    return [kl for k, v in items for kl in _keyword_lists(v, f"{path}.{k}")]


def _texts() -> list[str]:
    sentences = [s["text"] for p in sorted(CORPUS.glob("*.yaml"))
                 for s in yaml.safe_load(p.read_text("utf-8"))["sentences"]]
    tokens = [parse_sentence(s).tokens for s in sentences]
    # windows too: the checker asks about clauses and the text around a number
    return tokens + [t[i:i + 40] for t in tokens for i in range(0, len(t), 11)]


def test_the_prefilter_agrees_with_the_regex_on_every_rule_list_and_corpus_text() -> None:
    lists = _keyword_lists(rules())
    assert len(lists) > 50
    texts = _texts()
    cued = 0
    for path, patterns in lists:
        try:
            rx = words(patterns)
        except Exception:  # a list of plain labels, not patterns
            continue
        cued += literal_cues(patterns) is not None
        for text in texts:
            assert bool(rx.search(text)) == bool(search_words(patterns, text)), (path, text)
    assert cued > 30  # most lists are prefiltered (else the test checks little)


@pytest.mark.parametrize(("pattern", "cues"), [
    ("remittances?", ("remittance",)),  # the optional "s" is not a cue
    ("(?:less|more) than in", (" than in",)),  # the longer of the two parts every match has
    ("(?:less|more) than", ("less", "more")),
    ("(?:financial|wire) transfers?", (" transfer",)),
    ("(?:financial|wire) aid", ("financial", "wire")),
    ("sold(?! (?:\\S+ )?assets)", ("sold",)),
    ("told \\S+", ("told ",)),
    ("(?:ab|cd)?ef", ("ef",)),  # an optional group: what follows it is in every match
    ("(?:ab|cd)?e", None),  # ... unless that is one letter
    ("(?:ab)*ef", ("ef",)),
    ("(?:ab){0,2}ef", ("ef",)),
    ("(?:ab){1,2}e", ("ab",)),  # a group every match holds at least once
    ("of (?:[^\\s,;:]+ ){1,3}(?:exports|trade)", ("exports", "trade")),
    ("a (?:tonne|barrel)", ("tonne", "barrel")),  # not "a "
    ("(ab)cd", None),  # a capture group: not read further
    ("x\\x41yz", None),
    ("(?-i:May)", ("may",)),  # a case-sensitive group: its lower-cased cue
    ("x|yy", None),  # a one-letter branch: always searched
    ("[Tt]he", ("he",)),
    ("[Tt]h", None),
])
def test_literal_cues_of_hand_made_patterns(pattern: str, cues: tuple[str, ...] | None) -> None:
    assert literal_cues((pattern,)) == cues


def test_a_text_without_any_cue_is_not_searched_and_one_with_a_cue_is() -> None:
    pats = ("remittances?", "money transfers?")
    assert search_words(pats, "Trade rose to $4bn.") is None
    m = search_words(pats, "Money transfers from Russia reached $1bn.")
    assert m is not None and m.group(0) == "Money transfers"


def test_the_rank_and_comparison_prefilters_agree_with_their_patterns() -> None:
    from geolever.claims.comparisons import _comparative, has_comparison
    from geolever.claims.rankings import _rank_of, _rank_pattern

    extra = [parse_sentence(s).tokens for s in (
        "Russia was Azerbaijan's No. 1 trading partner.", "Italy ranked 2nd among buyers.",
        "Turkey is the leading supplier of Georgia.", "Russia buys more of its wine than France.",
        "Georgia exports twice as much to Russia as to Turkey.",
        "Russia is ahead of Turkey in trade with Azerbaijan.")]
    ranked = compared = 0
    for text in _texts() + extra:
        rank = _rank_pattern().search(text)
        assert bool(rank) == bool(_rank_of(text)), text
        comp = _comparative().search(text)
        assert bool(comp) == has_comparison(text), text
        ranked += rank is not None
        compared += comp is not None
    assert ranked > 10 and compared >= 3
