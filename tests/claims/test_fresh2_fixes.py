"""Fixes prompted by the second blind set (tests/data/claims/corpus, split fresh2).

Each case failed before: a stated partial period was compared with the full year (the store
prefers full years), "exceeded" was not read as "more than", "two billion dollars" and
"60 million U.S. dollars" were not amounts, a change's size ("increased by $279.9 million")
was linked as a level, and a pair with no data up to the publication year was judged on a
later year.
"""

from __future__ import annotations

import pytest

from geolever.claims import check_text
from geolever.claims.extract import parse_sentence
from geolever.store import FactStore


@pytest.fixture(scope="module")
def store() -> FactStore:
    return FactStore(":memory:")


def _verdicts(text: str, store: FactStore, published: int) -> list[tuple[str, str]]:
    doc = check_text(text, store=store, published=published)
    return [(c.metric, c.result.verdict) for s in doc.sentences for c in s.claims
            if c.result is not None]


def test_a_stated_partial_period_is_compared_with_that_period(store: FactStore) -> None:
    # Jan-Nov 2021: 802.2m + 1.8bn (the pack's customs figures); FY 2021 is 2.99bn
    assert _verdicts("In January-November 2021, the trade turnover between Azerbaijan and "
                     "Russia amounted to $2.6 billion.", store, 2021) == [
        ("trade_turnover", "accurate")]
    # H1 2024: 557m + 1.6bn
    assert _verdicts("In January-June 2024, trade turnover between Russia and Azerbaijan "
                     "increased by 7.1 percent, to two billion dollars.", store, 2024) == [
        ("trade_turnover", "accurate")]


def test_exceeded_is_more_than(store: FactStore) -> None:
    assert _verdicts("In 2023 the trade volume between Russia and Azerbaijan exceeded $4 "
                     "billion.", store, 2024) == [("trade_turnover", "accurate")]


def test_amounts_in_words_and_in_us_dollars() -> None:
    got = [(q.kind, q.unit, q.value) for q in parse_sentence(
        "Exports reached two billion dollars and 60 million U.S. dollars.").quantities]
    assert got == [("money", "USD", 2e9), ("money", "USD", 60e6)]


def test_a_bare_amount_takes_the_currency_of_the_other_one() -> None:
    got = [(q.kind, q.unit, q.value) for q in parse_sentence(
        "Exports amounted to 2.5 billion, while imports to $1.6 billion.").quantities]
    assert got == [("money", "USD", 2.5e9), ("money", "USD", 1.6e9)]


def test_the_size_of_a_change_is_not_a_level(store: FactStore) -> None:
    doc = check_text("In 2023 the trade turnover between Azerbaijan and Russia increased by "
                     "$640 million and amounted to $4.4 billion.", store=store, published=2024)
    [s] = doc.sentences
    assert [(c.metric, c.claimed) for c in s.claims] == [("trade_turnover", 4.4e9)]
    assert "size of a change" in s.reason


def test_no_data_up_to_the_publication_year_is_not_judged_on_a_later_year(
        store: FactStore) -> None:
    # the store has Azerbaijan-Turkey trade for 2023 only; the text is from 2021
    assert _verdicts("The trade turnover between Azerbaijan and Turkey amounted to $4.1 "
                     "billion.", store, 2021) == [("trade_turnover", "unverifiable")]


def test_a_count_of_things_does_not_take_the_currency() -> None:
    got = [(q.kind, q.unit) for q in parse_sentence(
        "Trade reached $4.4 billion and 3 million tourists came.").quantities]
    assert got == [("money", "USD"), ("bare", "")]
