"""Periods, regions and plans that blind set 4 showed were misread (claims4).

Each case gave a claim judged on the wrong figure, or none, on the code before: a region's
trade read as the country's, "aims to" as a fact, "over the year" without the year before,
"winemakers' exports" as all goods, a one-month rank and a year-to-date total against a full
year, WDI's total remittances not used.
"""

from __future__ import annotations

from claims.helpers import claims_of
from geolever.claims import check_text
from geolever.core.facts import Fact
from geolever.store import FactStore


def _store() -> FactStore:
    store = FactStore(":memory:")
    store.add_facts([
        Fact(indicator="remittances_received", country="UZB", partner="WLD", year=2018,
             value=7.61e9, unit="USD", measure="wdi_personal_remittances",
             source="test row (WDI BX.TRF.PWKR.CD.DT order)")], dataset="test")
    return store


def test_a_region_and_a_plan_are_not_the_pair_s_trade() -> None:
    fields = ("metric", "claimed")
    assert claims_of("We have brought the volume of trade between Tatarstan and Kazakhstan to "
                     "more than $700 million.", fields, target="KAZ", published=2019) == []
    assert claims_of("Russia aims to bring mutual trade turnover with Kazakhstan to $30 "
                     "billion.", fields, target="KAZ", published=2019) == []


def test_over_the_year_and_the_past_year_take_their_years() -> None:
    text = ("In 2018 Uzbekistan led the CIS countries in money transfers from Russia.\n\n"
            "Over the year Uzbekistan received $4.082 billion.")
    got = claims_of(text, ("metric", "years"), target="UZB", published=2019)
    assert got[-1] == ("remittances", [2018])
    got = claims_of("Over the past year, Kyrgyz migrant workers transferred about $2.4 billion "
                    "to their homeland.", ("metric", "years"), target="KGZ", published=2018)
    assert got == [("remittances_total", [2017])]


def test_winemakers_exports_are_wine_exports() -> None:
    got = claims_of("Since then Moldovan winemakers have found new markets: on the eve of the "
                    "latest embargo only 29% of their exports went to Russia.",
                    ("metric", "product"), target="MDA", published=2013)
    assert got == [("exports_to_sender_share", "wine")]


def test_a_ranking_for_one_month_or_part_of_a_year_is_not_judged_on_the_full_year() -> None:
    for text in ("South Korea dropped one notch to rank as the fourth-largest trading partner "
                 "of Japan in October.",
                 "In January-November 2018, Russia was Kazakhstan's largest supplier."):
        doc = check_text(text, fmt="text", store=FactStore(":memory:"), sender="JPN"
                         if "Japan" in text else "RUS", target="KOR" if "Japan" in text
                         else "KAZ", published=2019)
        claim = doc.sentences[0].claims[0]
        assert claim.metric == "partner_rank" and claim.partial_period
        assert claim.result is not None and claim.result.verdict == "unverifiable"
        assert "full-year totals" in claim.result.explanation


def test_all_remittances_use_wdi_and_a_year_to_date_total_is_not_a_year() -> None:
    doc = check_text("In 2018, citizens officially transferred about $5 billion to their "
                     "homeland.", fmt="text", store=_store(), sender="RUS", target="UZB",
                     published=2019)
    claim = doc.sentences[0].claims[0]
    assert claim.metric == "remittances_total"
    assert claim.result is not None and claim.result.verdict == "false"  # WDI: 7.61bn
    doc = check_text("Uzbek migrants working abroad have transferred more than $700 million to "
                     "their homeland since early 2018.", fmt="text", store=_store(),
                     sender="RUS", target="UZB", published=2018)
    claim = doc.sentences[0].claims[0]
    assert claim.partial_period == "year to date"
    assert claim.result is not None and claim.result.verdict == "unverifiable"
