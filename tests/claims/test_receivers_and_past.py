"""Remittances seen from the receiver, their dominant source, and "historically" (fresh5).

On the code before: a receiver's inflows with no sender named were refused ("remittances,
but from where is not stated"); "Russia remains the dominant source of remittances,
accounting for 94% of total inflows" had no denominator; "in Kyrgyzstan's economy" made
Kyrgyzstan the sender of its own remittances (checked as the sender's share); another
receiver's total ("Uzbekistan received $6 billion") was checked as the target's;
"historically more than 30 percent" was judged on the latest year only.
"""

from __future__ import annotations

from claims.helpers import claims_of
from geolever.claims import check_text
from geolever.core.facts import Fact
from geolever.store import FactStore

FIELDS = ("metric", "claimed", "country", "partner", "years", "partial_period")


def test_a_receivers_inflows_with_no_sender_are_from_all_senders() -> None:
    got = claims_of("Kyrgyzstan recorded a sharp increase in remittance inflows during the "
                    "first five months of 2025, reaching USD 1.367 billion —a 16% rise compared "
                    "to the same period in 2024, according to data from the National Bank of "
                    "the Kyrgyz Republic (NBKR).", FIELDS, target="KGZ", published=2025)
    # 2024 is the base of the comparison, not the claim's year
    assert got == [("remittances_total", 1.367e9, None, None, [2025], "Jan-May")]
    got = claims_of("Tajikistan's remittance inflows reached $2.5 billion in 2019.", FIELDS,
                    target="TJK", published=2020)
    assert got == [("remittances_total", 2.5e9, None, None, [2019], None)]
    got = claims_of("Remittance receipts totalled $6.8 billion in 2021, the central bank said.",
                    FIELDS, target="UZB", published=2022)
    assert got == [("remittances_total", 6.8e9, None, None, [2021], None)]


def test_another_receivers_total_is_that_receivers() -> None:
    for text in ("Uzbekistan attracted $6 billion in remittances in 2019.",
                 "Uzbekistan received $6 billion in remittances in 2019.",
                 "Remittances to Uzbekistan were $6 billion in 2019."):
        got = claims_of(text, FIELDS, target="TJK", published=2020)
        assert got == [("remittances_total", 6e9, "UZB", None, [2019], None)], text
    got = claims_of("Remittances to Uzbekistan were 12% of GDP in 2019.", FIELDS, target="TJK",
                    published=2020)
    assert got == [("remittances_total_share_of_gdp", 12.0, "UZB", None, [2019], None)]


def test_the_receivers_total_carries_on_while_no_sender_is_named() -> None:
    text = ("Kyrgyzstan's remittance inflows reached $2.8 billion in 2023.\n\nThe increase was "
            "notable in spring.\n\nIn 2024, remittances totaled $2.9 billion.")
    got = claims_of(text, FIELDS, target="KGZ", published=2025)
    assert got == [("remittances_total", 2.8e9, None, None, [2023], None),
                   ("remittances_total", 2.9e9, None, None, [2024], None)]
    # after the sender's remittances, an unqualified amount is still unclear: not checked
    text = ("Remittances from Russia to Tajikistan were $2.2 billion in 2019.\n\nIn 2020, "
            "remittances totaled $1.8 billion.")
    got = claims_of(text, FIELDS, target="TJK", published=2021)
    assert got == [("remittances", 2.2e9, None, None, [2019], None)]
    # a sender carried by a pointer back still wins over the receiver's total
    text = ("Tajikistan's remittance inflows reached $2.9 billion in 2019.\n\nMost of them came "
            "from migrants in Russia.\n\nThese transfers amounted to $2.4 billion in 2019.")
    got = claims_of(text, FIELDS, target="TJK", published=2020)
    assert got == [("remittances_total", 2.9e9, None, None, [2019], None),
                   ("remittances", 2.4e9, None, None, [2019], None)]
    # the text moved on to trade: the receiver's total does not carry to a later amount
    text = ("Kyrgyzstan's remittance inflows reached $2.8 billion in 2023.\n\nExports to China "
            "grew fast too.\n\nIn 2024, remittances totaled $2.9 billion.")
    got = claims_of(text, FIELDS, target="KGZ", published=2025)
    assert got == [("remittances_total", 2.8e9, None, None, [2023], None)]


def test_the_dominant_source_of_remittances_is_the_sender_of_the_share() -> None:
    got = claims_of("Russia remains the dominant source of remittances, accounting for 94% of "
                    "total inflows between January and May.", FIELDS, target="KGZ",
                    published=2025)
    # months with no year are the publication year's
    assert got == [("remittances_sender_share", 94.0, None, None, [2025], None)]
    got = claims_of("Kazakhstan was the main source of money transfers to Uzbekistan in 2019, "
                    "accounting for 60% of all inflows.", FIELDS, target="UZB", published=2020)
    assert got == [("remittances_sender_share", 60.0, "UZB", "KAZ", [2019], None)]


def test_the_receivers_economy_is_not_the_sender() -> None:
    got = claims_of("Remittances continue to play a central role in Kyrgyzstan's economy, "
                    "historically making up more than 30 percent of GDP.", FIELDS,
                    target="KGZ", published=2025)
    assert got == [("remittances_total_share_of_gdp", 30.0, None, None, None, None)]
    got = claims_of("Remittances play a large role in Tajikistan's economy, making up 34% of "
                    "GDP in 2021.", FIELDS, target="TJK", published=2022)
    assert got == [("remittances_total_share_of_gdp", 34.0, None, None, [2021], None)]


def _shares_store(shares: dict[int, float]) -> FactStore:
    """Kyrgyzstan's remittances from all senders and GDP: ``shares`` (year: % of GDP)."""
    store = FactStore(":memory:")
    facts = []
    for year, pct in shares.items():
        facts += [Fact(indicator="gdp", country="KGZ", year=year, value=10e9, unit="USD",
                       source="test row"),
                  Fact(indicator="remittances_received", country="KGZ", partner="WLD",
                       year=year, value=pct / 100 * 10e9, unit="USD",
                       measure="wdi_personal_remittances", source="test row")]
    store.add_facts(facts, dataset="test")
    return store


def test_historically_means_some_past_year() -> None:
    text = ("Remittances continue to play a central role in Kyrgyzstan's economy, historically "
            "making up more than 30 percent of GDP.")
    store = _shares_store({2010: 26.0, 2017: 32.3, 2018: 32.5, 2022: 26.6, 2023: 20.4})
    doc = check_text(text, fmt="text", store=store, sender="RUS", target="KGZ", published=2025)
    claim = doc.sentences[0].claims[0]
    assert claim.result is not None
    assert (claim.result.verdict, claim.result.year) == ("accurate", 2018)
    assert "holds in 2 of 5 years with data (2017-2018)" in claim.result.explanation
    # no past year meets it: judged on the latest year
    store = _shares_store({2010: 12.0, 2023: 15.0})
    doc = check_text(text, fmt="text", store=store, sender="RUS", target="KGZ", published=2025)
    claim = doc.sentences[0].claims[0]
    assert claim.result is not None
    assert (claim.result.verdict, claim.result.year) == ("false", 2023)
    # "a historic high" is a record, not a past period: the latest year decides
    doc = check_text("Remittances reached a historic high of more than 30 percent of GDP in "
                     "Kyrgyzstan.", fmt="text", store=_shares_store({2018: 32.5, 2023: 20.4}),
                     sender="RUS", target="KGZ", published=2025)
    claim = doc.sentences[0].claims[0]
    assert claim.result is not None and claim.result.year == 2023


def test_this_period_carries_the_months_and_year_of_the_sentence_before() -> None:
    text = ("Kyrgyzstan's remittance inflows reached USD 1.367 billion in the first five months "
            "of 2025.\n\nThe NBKR reported USD 1.2 billion in transfers from Russia during this "
            "period.")
    got = claims_of(text, FIELDS, target="KGZ", published=2025)
    assert got == [("remittances_total", 1.367e9, None, None, [2025], "Jan-May"),
                   ("remittances", 1.2e9, None, None, [2025], "Jan-May")]
    result = check_text(text, fmt="text", store=FactStore(":memory:"), sender="RUS",
                        target="KGZ", published=2025)
    note = result.sentences[1].claims[0].note
    assert note.count("period carried over") == 1, note


def test_received_by_and_received_in_name_the_receiver() -> None:
    got = claims_of("Personal remittances received by Armenia amounted to $2.1 billion in 2021.",
                    FIELDS, target="ARM", published=2022)
    assert got == [("remittances_total", 2.1e9, None, None, [2021], None)]
    got = claims_of("Personal remittances received by Uzbekistan amounted to $8 billion in 2021.",
                    FIELDS, target="TJK", published=2022)
    assert got == [("remittances_total", 8e9, "UZB", None, [2021], None)]
    got = claims_of("Remittances received in Armenia totalled $2.1 billion in 2021.", FIELDS,
                    target="TJK", published=2022)
    assert got == [("remittances_total", 2.1e9, "ARM", None, [2021], None)]


def test_mostly_from_a_country_qualifies_a_total() -> None:
    # was: remittances from Russia (the whole US$2.1bn checked as Russia's)
    got = claims_of("Armenia received $2.1 billion in remittances in 2021, mostly from Russia.",
                    FIELDS, target="ARM", published=2022)
    assert got == [("remittances_total", 2.1e9, None, None, [2021], None)]
    got = claims_of("Kyrgyzstan received $2.8 billion in remittances in 2023, mainly from "
                    "Russia and Kazakhstan.", FIELDS, target="KGZ", published=2024)
    assert got == [("remittances_total", 2.8e9, None, None, [2023], None)]


def test_the_total_a_share_is_of_does_not_make_the_amount_a_total() -> None:
    # was: remittances_total (the "total" of "60% of the total" read as the amount's)
    got = claims_of("Money transfers from Russia to Armenia reached $1.2 billion in 2021, or 60% "
                    "of the total.", FIELDS, target="ARM", published=2022)
    assert got == [("remittances", 1.2e9, None, None, [2021], None),
                   ("remittances_sender_share", 60.0, None, None, [2021], None)]


def test_the_country_that_accounts_for_a_share_of_remittances_is_its_sender() -> None:
    # was: "unclear denominator"
    got = claims_of("Russia accounts for 70% of remittances to Tajikistan.", FIELDS,
                    target="TJK", published=2022)
    assert got == [("remittances_sender_share", 70.0, None, None, None, None)]
    got = claims_of("Among senders, Kazakhstan accounted for 5% of remittances to Tajikistan in "
                    "2021.", FIELDS, target="TJK", published=2022)
    assert got == [("remittances_sender_share", 5.0, "TJK", "KAZ", [2021], None)]
    # the receivers named before "account for" are not senders
    got = claims_of("Remittances to Kyrgyzstan and Tajikistan account for over 25 percent of "
                    "GDP.", FIELDS, target="TJK", published=2022)
    assert [g[0] for g in got] == ["remittances_total_share_of_gdp"] * 2


def test_a_share_of_the_economy_is_a_share_of_gdp() -> None:
    # was: "unclear denominator"
    got = claims_of("Remittances equal 30% of Tajikistan's economy.", FIELDS, target="TJK",
                    published=2022)
    assert got == [("remittances_total_share_of_gdp", 30.0, None, None, None, None)]
    got = claims_of("Remittances from Russia equal 25 percent of the economy.", FIELDS,
                    target="TJK", published=2022)
    assert got == [("remittances_share_of_gdp", 25.0, None, None, None, None)]
