"""A trade partner's market share, the target's fuel exports in US$, parts of a country (fresh5).

On the code before: "the main economic partner of Armenia with a market share of 26%" had
no topic (no rank, no share); "the $29.3 billion in export revenues that ... Pemex obtained
from its exports of crude oil and other hydrocarbon products" had no metric (the direction
of the flow was "unclear") and the FDI figure beside it left the sentence unchecked; "In
some Mexican states, they can represent as much as 10% of total revenues" was checked as a
share of Mexico's GDP; "Remittances from the United States were ..." read "States" as a verb
of saying ("Remittances from the United" said that "were $33 billion").
"""

from __future__ import annotations

import pytest

from claims.helpers import claims_of, dots_store
from geolever.claims import check_text
from geolever.core.facts import Fact
from geolever.store import FactStore

FIELDS = ("metric", "claimed", "country", "partner", "product")

PEMEX = ("In 2018, they provided more funds than the $29.3 billion in export revenues that "
         "state-owned oil company, Pemex, obtained from its exports of crude oil and other "
         "hydrocarbon products, and they provided more funds than foreign direct investment in "
         "Mexico ($30.7 billion)…")


def test_the_main_economic_partner_and_its_market_share() -> None:
    got = claims_of("Russia is the main economic partner of Armenia with a market share of 26%, "
                    "Russian Premier Mikhail Mishustin stated on Friday at a meeting with "
                    "Armenian PM Nikol Pashinyan.", FIELDS, target="ARM", published=2020)
    assert got == [("partner_rank", 1.0, None, None, None),
                   ("trade_share_of_target", 26.0, None, None, None)]
    # another pair than the case's: the ranked partner's share of the owner's trade
    got = claims_of("China is Kazakhstan's second-largest trading partner, with a share of 17% "
                    "in 2021.", FIELDS, target="ARM", published=2022)
    assert got == [("partner_rank", 2.0, "KAZ", "CHN", None),
                   ("trade_share_of_target", 17.0, "KAZ", "CHN", None)]


def test_the_ranked_trade_partners_share_is_judged_on_the_owners_trade() -> None:
    store = dots_store([("RUS", "exports", 0.7e9), ("RUS", "imports", 1.3e9),
                        ("CHN", "exports", 0.1e9), ("CHN", "imports", 0.8e9),
                        ("WLD", "exports", 2.6e9), ("WLD", "imports", 5.4e9)],
                       reporter="ARM", year=2019)
    doc = check_text("Russia is the principal economic partner of Armenia with a market share "
                     "of 26% in 2019.", fmt="text", store=store, sender="RUS", target="ARM",
                     published=2020)
    verdicts = {c.metric: c.result.verdict for c in doc.sentences[0].claims if c.result}
    # (0.7 + 1.3) / (2.6 + 5.4) = 25%: accurate; first of ARM's partners
    assert verdicts == {"partner_rank": "accurate", "trade_share_of_target": "accurate"}


def _fuel_store(share: float | None) -> FactStore:
    store = dots_store([("WLD", "exports", 450.7e9), ("WLD", "imports", 492.2e9)],
                       reporter="MEX", year=2018)
    if share is not None:
        store.add_facts([Fact(indicator="fuel_exports_share", country="MEX", year=2018,
                              value=share, unit="pct", source="test row (WDI TX.VAL.FUEL.ZS.UN)")],
                        dataset="wdi-test")
    return store


def test_the_targets_fuel_exports_in_dollars() -> None:
    got = claims_of(PEMEX, FIELDS, sender="USA", target="MEX", published=2019)
    assert got == [("target_exports_total", 29.3e9, None, None, "energy")]
    doc = check_text(PEMEX, fmt="text", store=_fuel_store(6.568), sender="USA", target="MEX",
                     published=2019)
    sentence = doc.sentences[0]
    claim = sentence.claims[0]
    assert claim.result is not None and claim.result.verdict == "accurate"
    # 6.568% of US$450.7bn = US$29.6bn, with both inputs named
    assert claim.result.headline() is not None
    assert claim.result.headline().computed == pytest.approx(29.6e9, rel=1e-3)  # type: ignore[union-attr]
    assert "WDI TX.VAL.FUEL.ZS.UN" in claim.result.explanation
    assert "IMF DOTS" in claim.result.explanation
    assert "foreign direct investment: no claim metric" in sentence.reason
    # no fuel share in the store: unverifiable, not all goods
    doc = check_text(PEMEX, fmt="text", store=_fuel_store(None), sender="USA", target="MEX",
                     published=2019)
    claim = doc.sentences[0].claims[0]
    assert claim.result is not None and claim.result.verdict == "unverifiable"
    # the target named as the exporter; crude alone is crude (no such figure: unverifiable)
    got = claims_of("Kazakhstan earned $31 billion from exports of oil and other hydrocarbons "
                    "in 2019.", FIELDS, target="KAZ", published=2020)
    assert got == [("target_exports_total", 31e9, None, None, "energy")]
    got = claims_of("Mexico's crude oil exports brought in $26.5 billion in 2018.", FIELDS,
                    sender="USA", target="MEX", published=2019)
    assert got == [("target_exports_total", 26.5e9, None, None, "crude_oil")]
    # another country's oil exports, or with a partner: not the target's total
    assert claims_of("Russia's oil exports earned $120 billion in 2018.", FIELDS, sender="USA",
                     target="MEX", published=2019) == []


def test_a_figure_for_part_of_a_country_is_not_checked() -> None:
    for text in ("In some Mexican states, they can represent as much as 10% of total revenues.",
                 "In the poorest states of Mexico, remittances were 10% of GDP in 2018.",
                 "In the region of Khatlon, remittances make up 40% of household income.",
                 "Remittances to Sughd province reached $500 million in 2019."):
        result = check_text("Remittances were 2.7% of Mexico's GDP in 2018.\n\n" + text,
                            fmt="text", store=FactStore(":memory:"), sender="USA",
                            target="MEX", published=2019)
        assert [c.metric for s in result.sentences[1:] for c in s.claims] == [], text
        assert "a figure for part of a country" in result.sentences[1].reason, text
    # countries and groups of them are not parts of a country
    got = claims_of("Remittances from the United States to Mexico were $33 billion in 2018.",
                    FIELDS, sender="USA", target="MEX", published=2019)
    assert got == [("remittances", 33e9, None, None, None)]


def test_states_as_a_name_or_a_noun_is_not_a_verb_of_saying() -> None:
    from geolever.claims.attribution import split_attribution

    text = "Remittances from the United States to Mexico were $33 billion in 2018."
    assert split_attribution(text) == (text, "")
    text = "In the poorest states of Mexico, remittances were 10% of GDP in 2018."
    assert split_attribution(text) == (text, "")
    assert split_attribution("The ministry states that remittances were $3 billion in 2018.") \
        == ("remittances were $3 billion in 2018.", "The ministry")


def test_a_countrys_trade_with_a_partner_is_their_turnover() -> None:
    # was: "no claim metric matches"
    got = claims_of("Georgia's trade with Russia reached $1.9 billion in 2021.", FIELDS,
                    target="GEO", published=2022)
    assert got == [("trade_turnover", 1.9e9, None, None, None)]
    # "the U.S." and "the USA" name the United States
    got = claims_of("Remittances from the U.S. to Mexico were $50 billion in 2021.", FIELDS,
                    sender="USA", target="MEX", published=2022)
    assert got == [("remittances", 50e9, None, None, None)]
