"""Time linear in the text's length, also for one long paragraph or one long sentence.

Each of these took time quadratic in the paragraph's length before (claims speed work):
splitting sentences re-split the paragraph at every abbreviation ("Mr. A Mr. A ...": 240 KB
took 68 s), and for every number of a sentence the year check walked all its numbers, the
clause lookup all its clauses, the "level after a change" rule all numbers before it, and
the bracket and forecast reading re-read the whole clause. A sentence with thousands of
numbers in brackets stayed quadratic (each bracketed number is read with all of its clause
before it: 'Remittances (5% of GDP, $2bn) ' repeated to 80 KB took 41 s) and a share before a
list asked every later number whether it is a list item (cubic: 20 KB took 44 s). Now a run
of text longer than ``MAX_SENTENCE_CHARS`` without a sentence end is read in pieces.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from geolever.claims import check_text
from geolever.claims.reading import split_sentences
from geolever.claims.text import MAX_SENTENCE_CHARS, sentence_pieces
from geolever.store import FactStore


def _best_of_two(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(2):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return min(times)


def test_a_paragraph_of_abbreviations_is_split_in_linear_time() -> None:
    block = "Mr. A " * 20_000  # 120 KB, no sentence ends
    t = _best_of_two(lambda: split_sentences(block))
    assert split_sentences(block) == [block.strip()]
    assert t < 2.0  # about 0.05 s; 18 s before


def test_one_sentence_with_thousands_of_numbers_is_read_in_linear_time() -> None:
    store = FactStore(":memory:")
    check_text("Trade was $1 billion in 2024.", store=store)  # the pack, loaded once
    unit = "Mr. Aliyev said exports rose 5% in 2021 to $2 billion, Dr. X said; "

    def run(size: int) -> Callable[[], object]:
        text = unit * (size // len(unit))
        return lambda: check_text(text, fmt="text", store=store)

    small, large = _best_of_two(run(40_000)), _best_of_two(run(160_000))
    # linear: about 4 (and 1 s for 160 KB); quadratic before: about 12-16 (8 s)
    assert large / small < 8, (small, large)


# One sentence, no full stop: each shape took time quadratic (or cubic) in its length before.
SHAPES = [
    "Remittances (5% of GDP, $2bn) ",  # numbers in brackets, read with the clause before
    "$2bn,5%,2021,",  # no spaces: one clause of numbers
    "Remittances (5% of GDP, ",  # brackets opened, never closed
    "Remittances 5% of GDP) ",  # brackets closed, never opened
    "(exports (of oil ($2bn))) ",  # nested brackets
    "Uzbekistan - $2.9 billion, 5% of GDP, ",  # list items and shares before them
    "exports to Russia were $2bn, ",  # one long clause of linked amounts
]


@pytest.mark.parametrize("unit", SHAPES)
def test_one_long_sentence_of_any_shape_is_read_in_linear_time(unit: str) -> None:
    store = FactStore(":memory:")
    check_text("Trade was $1 billion in 2024.", store=store)  # the pack, loaded once

    def run(size: int) -> Callable[[], object]:
        text = unit * (size // len(unit))
        return lambda: check_text(text, fmt="text", store=store)

    small = _best_of_two(run(3_000))
    large = _best_of_two(run(12_000))
    # linear: at most about 4 (0.02-1 s for 12 KB); before: 16-40 (10-40 s for 12 KB)
    assert large / small < 8, (small, large)


def test_a_long_run_without_a_sentence_end_is_read_in_pieces() -> None:
    short = "Remittances from Russia were $2.1 billion in 2021; exports rose to $3 billion."
    assert list(sentence_pieces(short)) == [short]
    assert list(sentence_pieces("  ")) == []
    clauses = "Exports were $2bn in 2021; " * 200
    pieces = list(sentence_pieces(clauses))
    assert all(len(p) <= MAX_SENTENCE_CHARS for p in pieces)
    assert all(p.endswith(";") for p in pieces[:-1])  # cut after a clause, not in one
    assert " ".join(pieces) == clauses.strip()
    items = "Uzbekistan - $2.9 billion, " * 200
    pieces = list(sentence_pieces(items))
    assert all(p.endswith(",") and len(p) <= MAX_SENTENCE_CHARS for p in pieces[:-1])
    assert " ".join(pieces) == items.strip()
    words = list(sentence_pieces("exports " * 1000, limit=100))
    assert all(p.endswith("exports") and len(p) <= 100 for p in words)
    digits = list(sentence_pieces("7" * 450, limit=100))  # no space at all: cut at the limit
    assert [len(p) for p in digits] == [100, 100, 100, 100, 50]
    # the check reports each piece as a sentence of its own, its claims read within it
    result = check_text("Remittances from Russia were $2.1 billion in 2021, " * 100 + "and more.",
                        fmt="text", store=FactStore(":memory:"), sender="RUS", target="TJK")
    assert result.n_sentences == 3
