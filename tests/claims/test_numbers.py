"""The shortcuts of :mod:`geolever.claims.numbers` change no reading.

``normalise`` skips its number-word rewrites when no number-word stem is in the sentence,
and ``find_quantities`` tries a unit's pattern only when one of its cues (currency, unit,
symbol) is in the text. Both are checked against the patterns themselves on the corpus and
on hand-made sentences, so a new unit or number word added without its cue fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from text_to_num import alpha2digit

from geolever.claims import numbers
from geolever.claims.extract import tokenise

CORPUS = Path(__file__).resolve().parents[1] / "data" / "claims" / "corpus"
HAND = ["half a billion dollars", "a quarter of a million tonnes", "two thirds of its exports",
        "3 and a half billion", "Exports were 2-3 million tonnes", "A$1.3 billion (US$846m)",
        "$1.2-1.5bn", "15-20%", "0.8 mb/d of oil", "120 kbpd", "700 kt", "5 mln t of grain",
        "RUB 50bn", "₼2.1 bn", "€3bn", "AZN 4 billion", "2 billion roubles", "40 euros",
        "rose 5 pp", "12 per cent", "300 thousand barrels a day", "1,200 tons", "9 pct"]


def _sentences() -> list[str]:
    return [s["text"] for p in sorted(CORPUS.glob("*.yaml"))
            for s in yaml.safe_load(p.read_text("utf-8"))["sentences"]] + HAND


def test_every_unit_pattern_match_holds_one_of_its_cues() -> None:
    found = 0
    for sentence in _sentences():
        text = tokenise(numbers.normalise(sentence))[0]
        for name, cues in numbers.PATTERN_CUES.items():
            rx: re.Pattern[str] = getattr(numbers, name)
            for m in rx.finditer(text):
                found += 1
                assert any(c in m.group(0).lower() for c in cues), (name, m.group(0))
    assert found > 100


@pytest.mark.parametrize("word", [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fifteen", "twenty", "thirty", "forty", "fifty", "sixty",
    "seventy", "eighty", "ninety", "hundred", "thousand", "million", "billion", "trillion",
    "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "twelfth",
    "twentieth", "hundredth", "half", "quarter", "first", "second"])
def test_every_number_word_holds_a_stem(word: str) -> None:
    assert any(stem in word for stem in numbers._NUMBER_WORD_STEMS)


def test_alpha2digit_changes_no_corpus_word_without_a_stem() -> None:
    words = {w for s in _sentences() for w in re.findall(r"[A-Za-z]+", s)}
    plain = [w for w in words if not any(st in w.lower() for st in numbers._NUMBER_WORD_STEMS)]
    assert len(plain) > 500
    for w in plain:
        assert alpha2digit(f"x {w} y", "en") == f"x {w} y", w


def test_every_number_word_starts_with_a_stem() -> None:
    # the fast path of normalise looks for a stem at a word's start only
    for word in ("zero", "one", "seventeen", "ninety", "million", "trillion", "twelfth",
                 "hundredth", "half", "quarter", "first", "second", "forty-five"):
        assert numbers._NUMBER_WORD_START.match(word), word
    for word in ("money", "often", "content", "Estonia", "xfifteen"):
        assert not numbers._NUMBER_WORD_START.search(word.lower()), word


def test_alpha2digit_changes_no_corpus_word_with_a_stem_inside_only() -> None:
    # "money", "often", "Estonia": a stem, but not at the word's start (no number word)
    words = {w for s in _sentences() for w in re.findall(r"[A-Za-z]+", s)}
    inside = [w for w in words if any(st in w.lower() for st in numbers._NUMBER_WORD_STEMS)
              and not numbers._NUMBER_WORD_START.search(w.lower())]
    assert len(inside) > 50
    for w in inside:
        assert alpha2digit(f"x {w} y", "en") == f"x {w} y", w
        assert numbers.normalise(f"x {w} y") == f"x {w} y", w


@pytest.mark.parametrize(("sentence", "value", "kind"), [
    ("Trade reached five hundred million dollars.", 5e8, "money"),
    ("Remittances were almost a fifth of GDP.", 20.0, "pct"),
    ("It carried seven and a half million tonnes.", 7.5, "mass"),
    ("A quarter of a billion dollars was sent.", 2.5e8, "money"),
])
def test_number_words_are_still_read(sentence: str, value: float, kind: str) -> None:
    text = tokenise(numbers.normalise(sentence))[0]
    (q,) = [q for q in numbers.find_quantities(text) if q.kind != "bare"]
    assert (q.value, q.kind) == (pytest.approx(value), kind)
