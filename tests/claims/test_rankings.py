"""Ranking claims ("the largest supplier", "the second-largest buyer") checked on partner totals.

The store holds IMF DOTS-layout partner totals of Azerbaijan for 2019 (a small table written
here, in the store's ``trade_totals`` layout): imports from RUS 2.0bn, TUR 1.5bn, CHN 1.3bn,
ITA 0.5bn; exports to ITA 8.0bn, TUR 1.5bn, RUS 0.7bn.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from geolever.claims import ClaimSpec, check_text, evaluate_claim
from geolever.store import FactStore
from geolever.world import load_case

from .helpers import dots_store

ROWS = [("RUS", "imports", 2.0e9), ("TUR", "imports", 1.5e9), ("CHN", "imports", 1.3e9),
        ("ITA", "imports", 0.5e9), ("ITA", "exports", 8.0e9), ("TUR", "exports", 1.5e9),
        ("RUS", "exports", 0.7e9), ("WLD", "imports", 13.6e9), ("WLD", "exports", 19.6e9)]


@pytest.fixture(scope="module")
def store() -> FactStore:
    return dots_store(ROWS)


def _claims(text: str, store: FactStore) -> list[tuple[str, float, str | None, str, str]]:
    out = []
    for s in check_text(text, store=store, published=2020).sentences:
        for c in s.claims:
            assert c.result is not None
            out.append((c.metric, c.claimed, c.flow, c.result.verdict, c.result.explanation))
    return out


def test_largest_supplier_is_checked_on_the_imports_ranking(store: FactStore) -> None:
    [(metric, rank, flow, verdict, why)] = _claims(
        "In 2019 Russia was Azerbaijan's largest supplier.", store)
    assert (metric, rank, flow, verdict) == ("partner_rank", 1.0, "imports", "accurate")
    assert "goods imports of AZE from RUS (rank 1 of 4) 2019: US$2bn" in why


def test_a_wrong_rank_is_false_and_names_the_figures(store: FactStore) -> None:
    [(_, rank, flow, verdict, why)] = _claims(
        "In 2019 Russia was Azerbaijan's second-largest buyer.", store)
    assert (rank, flow, verdict) == (2.0, "exports", "false")
    assert "rank 3" in why and "goods exports of AZE to ITA (rank 1 of 3) 2019: US$8bn" in why


def test_a_third_country_ranked_among_the_targets_trade_partners(store: FactStore) -> None:
    [(_, rank, flow, verdict, why)] = _claims(
        "In 2019 Turkey was Azerbaijan's second-largest trading partner.", store)
    assert (rank, flow, verdict) == (2.0, "trade", "accurate")
    assert "goods trade of AZE with TUR (rank 2 of 4) 2019: US$3bn" in why


def test_one_of_the_largest_states_no_rank(store: FactStore) -> None:
    result = check_text("Russia is one of the largest trade partners of Azerbaijan.",
                        store=store, published=2020)
    [s] = result.sentences
    assert s.status == "not checked" and "no rank" in s.reason


def test_a_partial_period_ranking_is_not_judged_on_the_full_year(store: FactStore) -> None:
    [(_, _, _, verdict, _)] = _claims(
        "Russia was Azerbaijan's third-largest trade partner in January-November 2019.", store)
    assert verdict == "unverifiable"


def test_a_ranking_by_product_is_unverifiable_with_the_reason(store: FactStore) -> None:
    case = load_case(store, "russia-azerbaijan")
    spec = ClaimSpec(text="Russia is the main buyer of Azerbaijan's tomatoes",
                     metric="partner_rank", claimed=1, unit="rank", years=[2019],
                     product="tomatoes", flow="exports")
    result = evaluate_claim(spec, case)
    assert result.verdict == "unverifiable"
    assert "total goods trade only" in result.checks[0].note


def test_rankings_on_the_real_dots_workbook_of_azerbaijan(shared_data: Path) -> None:
    """IMF DOTS (Azerbaijan's own report, 2019): imports RUS 2.29bn > TUR 1.65bn; trade ITA >
    TUR > RUS."""
    from geolever.cli.data_sources import import_source

    s = FactStore(":memory:")
    import_source("dots", shared_data / "imf-dots" / "DOTS_13.xlsx", s,
                  options={"dataset": "imf:dots:DOTS_13.xlsx"})
    got = _claims("In 2019 Russia was Azerbaijan's largest supplier.\n\n"
                  "In 2019 Russia was Azerbaijan's second-largest trading partner.", s)
    assert [(c[3]) for c in got] == ["accurate", "false"]
    assert "goods imports of AZE from RUS (rank 1 of" in got[0][4]
    assert "goods trade of AZE with RUS (rank 3 of" in got[1][4]


def test_the_next_sentence_continues_the_ranking(store: FactStore) -> None:
    got = _claims("In 2019 Italy was Azerbaijan's largest buyer.\n\n"
                  "Turkey came in second, accounting for a small share.\n\n"
                  "Russia was third, accounting for 4 per cent.", store)
    ranks = [(c[1], c[2], c[3]) for c in got if c[0] == "partner_rank"]
    assert ranks == [(1.0, "exports", "accurate"), (2.0, "exports", "accurate"),
                     (3.0, "exports", "accurate")]
