"""Time linear in the text's length, also for one long paragraph or one long sentence.

Each of these took time quadratic in the paragraph's length before (claims speed work):
splitting sentences re-split the paragraph at every abbreviation ("Mr. A Mr. A ...": 240 KB
took 68 s), and for every number of a sentence the year check walked all its numbers, the
clause lookup all its clauses, the "level after a change" rule all numbers before it, and
the bracket and forecast reading re-read the whole clause.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from geolever.claims import check_text
from geolever.claims.reading import split_sentences
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
