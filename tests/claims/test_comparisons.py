"""Partner comparisons ("Russia buys more of Azerbaijan's goods than Turkey") on partner totals.

The store holds IMF DOTS-layout partner totals of Azerbaijan for 2019 (written here in the
store's ``trade_totals`` layout): exports to ITA 8.0bn, TUR 1.5bn, RUS 0.7bn; imports from
RUS 2.0bn, TUR 1.5bn, CHN 1.3bn. The last test reads the real DOTS workbook of Azerbaijan.
Before ``claims/comparisons.py`` none of these sentences was checked (no number, no rank).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from geolever.claims import ClaimSpec, check_text, evaluate_claim
from geolever.store import FactStore
from geolever.world import load_case

from .helpers import dots_store

ROWS = [("RUS", "imports", 2.0e9), ("TUR", "imports", 1.5e9), ("CHN", "imports", 1.3e9),
        ("ITA", "exports", 8.0e9), ("TUR", "exports", 1.5e9), ("RUS", "exports", 0.7e9),
        ("CHN", "exports", 0.72e9), ("WLD", "imports", 13.6e9), ("WLD", "exports", 19.6e9)]


@pytest.fixture(scope="module")
def store() -> FactStore:
    return dots_store(ROWS)


def _one(text: str, store: FactStore, published: int = 2020) -> tuple[str, str, str]:
    [sentence] = check_text(text, store=store, published=published).sentences
    assert sentence.status == "checked", sentence.reason
    [claim] = [c for c in sentence.claims]
    assert claim.result is not None
    return (f"{claim.metric} {claim.country} {claim.partner} {claim.versus} {claim.flow} "
            f"{claim.comparison} {claim.claimed:g}", claim.result.verdict,
            claim.result.explanation)


@pytest.mark.parametrize(("text", "reading", "verdict"), [
    # a buyer of the object's goods: the object's exports to each
    ("In 2019 Russia bought more Azerbaijani goods than Turkey did.",
     "partner_ratio AZE RUS TUR exports at least 1", "false"),
    ("In 2019 Turkey bought more of Azerbaijan's goods than Russia.",
     "partner_ratio AZE TUR RUS exports at least 1", "accurate"),
    # a seller to the object: the object's imports from each
    ("In 2019 Russia sold more goods to Azerbaijan than Turkey did.",
     "partner_ratio AZE RUS TUR imports at least 1", "accurate"),
    # "than to / from X": the subject's own partners
    ("In 2019 Azerbaijan exported more to Italy than to Russia.",
     "partner_ratio AZE ITA RUS exports at least 1", "accurate"),
    ("In 2019 Azerbaijan imported less from Russia than from Turkey.",
     "partner_ratio AZE RUS TUR imports at most 1", "false"),
    # multipliers: 8.0 / 0.7 = 11.4
    ("In 2019 Azerbaijan exported ten times more to Italy than to Russia.",
     "partner_ratio AZE ITA RUS exports about 10", "roughly right"),
    ("In 2019 Azerbaijan exported twice as much to Turkey as to Russia.",
     "partner_ratio AZE TUR RUS exports about 2", "accurate"),
])
def test_partner_comparisons_are_judged_on_both_partners_figures(
        store: FactStore, text: str, reading: str, verdict: str) -> None:
    got, v, why = _one(text, store)
    assert (got, v) == (reading, verdict)
    assert why.count("(reported; IMF DOTS)") == 2  # both figures named


def test_more_than_is_strict_a_ratio_just_under_one_is_false(store: FactStore) -> None:
    """RUS 0.70bn vs CHN 0.72bn: 0.97, within the 10% band of 'about', but not 'more'."""
    _, verdict, why = _one("In 2019 Azerbaijan exported more to Russia than to China.", store)
    assert verdict == "false"
    assert "US$700m" in why and "US$720m" in why


def test_a_bare_than_after_to_x_is_ambiguous_and_left_unchecked(store: FactStore) -> None:
    [s] = check_text("In 2019 Azerbaijan exported more to Italy than Russia.", store=store,
                     published=2020).sentences
    assert s.status == "not checked"
    assert "unclear whether RUS is compared" in s.reason


@pytest.mark.parametrize("text", [
    # vestikavkaza.ru 2019 (Azerbaijani tomatoes in Russia): a comparison, not of trade
    "Consumers explain the changed preferences by a better quality, noting that Azerbaijani "
    "products are more delicious than Turkish ones.",
    "The ban would hurt Russia more than Azerbaijan.",
])
def test_comparisons_that_are_not_of_two_partners_trade_make_no_partner_claim(
        store: FactStore, text: str) -> None:
    for s in check_text(text, store=store, published=2020).sentences:
        assert all(c.metric != "partner_ratio" for c in s.claims)


def test_more_than_any_other_country_is_a_rank_and_by_product_unverifiable(
        store: FactStore) -> None:
    """calendar-australia.com (undated FAQ on China-Australia trade), a real sentence."""
    [s] = check_text("China buys more of Australia's agricultural produce than any other "
                     "country.", store=store, published=2022, case="russia-azerbaijan").sentences
    [c] = s.claims
    assert (c.metric, c.claimed, c.country, c.partner, c.flow) == (
        "partner_rank", 1.0, "AUS", "CHN", "exports")
    assert c.result is not None and c.result.verdict == "unverifiable"
    assert "total goods trade only" in c.result.explanation


def test_a_product_comparison_without_product_data_is_unverifiable_with_the_reason(
        store: FactStore) -> None:
    [s] = check_text("Russia buys more of Azerbaijan's tomatoes than Turkey.", store=store,
                     published=2020).sentences
    [c] = s.claims
    assert (c.metric, c.product, c.versus) == ("partner_ratio", "tomatoes", "TUR")
    assert c.result is not None and c.result.verdict == "unverifiable"
    assert "tomatoes" in c.result.explanation


def test_the_structured_claim_takes_versus(store: FactStore) -> None:
    case = load_case(store, "russia-azerbaijan", year=2019)
    spec = ClaimSpec(text="Turkey buys more than Russia", metric="partner_ratio", claimed=1,
                     unit="ratio", comparison="at least", partner="TUR", versus="RUS",
                     flow="exports", years=[2019])
    result = evaluate_claim(spec, case)
    assert result.verdict == "accurate"
    assert result.checks[0].computed == pytest.approx(1.5 / 0.7)


def test_comparisons_on_the_real_dots_workbook_of_azerbaijan(shared_data: Path) -> None:
    """Turan.az 2014-09-18 (a real sentence): "Russia is still superior to Turkey in general
    terms of trade turnover with Azerbaijan". No year stated: the last full year before the
    text, 2013 (IMF DOTS, Azerbaijan's report: trade with RUS US$2.58bn, with TUR US$1.99bn;
    2014, the publication year, was RUS 1.95bn, TUR 1.79bn); 2019 exports: TUR 2.86bn > RUS
    0.73bn."""
    from geolever.cli.data_sources import import_source

    s = FactStore(":memory:")
    import_source("dots", shared_data / "imf-dots" / "DOTS_13.xlsx", s,
                  options={"dataset": "imf:dots:DOTS_13.xlsx"})
    got, verdict, why = _one("Nevertheless, Russia is still superior to Turkey in general terms "
                             "of trade turnover with Azerbaijan.", s, published=2014)
    assert (got, verdict) == ("partner_ratio AZE RUS TUR trade at least 1", "accurate")
    assert "goods trade of AZE with RUS 2013: US$2.58bn" in why
    assert "goods trade of AZE with TUR 2013: US$1.99bn" in why
    got, verdict, _ = _one("In 2019 Russia bought more Azerbaijani goods than Turkey did.", s)
    assert verdict == "false"
