"""All remittances as a share of GDP, and lists of one figure per country (claims4).

Each test failed on the code before: "personal remittances ... 13.1% of GDP" was read as
remittances from the sender; "Uzbekistan - $2,9 billion, Tajikistan - $2,5 billion, ...",
"45% of Tajikistan GDP and 38% of Moldavia GDP" and "... 34 percent and 33 percent,
respectively" were refused as "two values for the same quantity" or not linked at all.
"""

from __future__ import annotations

from claims.helpers import claims_of
from geolever.claims import check_text
from geolever.core.facts import Fact
from geolever.store import FactStore

FIELDS = ("metric", "claimed", "country", "partner")


def test_all_remittances_as_a_share_of_gdp_is_its_own_metric() -> None:
    got = claims_of("In 2016 personal remittances received amounted to 13.1% of GDP.",
                    FIELDS, target="ARM", published=2018)
    assert got == [("remittances_total_share_of_gdp", 13.1, None, None)]
    # a named sender keeps the sender's metric, also as a demonym
    got = claims_of("On migrants' remittances from Russia account for 20% of Armenia's GDP.",
                    FIELDS, target="ARM", published=2016)
    assert got == [("remittances_share_of_gdp", 20.0, None, None)]
    got = claims_of("Tajikistan's dependence on Russian remittances is 31.3 percent of GDP.",
                    FIELDS, target="TJK", published=2019)
    assert got == [("remittances_share_of_gdp", 31.3, None, None)]


def test_the_total_share_is_judged_on_all_remittances_and_over_is_a_bound() -> None:
    store = FactStore(":memory:")
    store.add_facts([
        Fact(indicator="remittances_received", country="KGZ", partner="WLD", year=2020,
             value=2.63e9, unit="USD", source="test row (WDI BX.TRF.PWKR.CD.DT order)"),
        Fact(indicator="remittances_received", country="KGZ", partner="RUS", year=2020,
             value=1.8e9, unit="USD", source="test row (KNOMAD order)"),
        Fact(indicator="gdp", country="KGZ", year=2020, value=8.27e9, unit="USD",
             source="test row (WDI order)")], dataset="test")
    doc = check_text("Remittances to Kyrgyzstan account for over 25 percent of GDP.",
                     fmt="text", store=store, sender="RUS", target="KGZ", published=2021)
    claim = doc.sentences[0].claims[0]
    assert (claim.metric, claim.comparison) == ("remittances_total_share_of_gdp", "at least")
    assert claim.result is not None and claim.result.verdict == "accurate"  # 31.8% > 25%
    assert "31.8" in claim.result.explanation  # all senders, not Russia's 21.8%


def test_a_list_of_country_amounts_gives_each_country_its_amount() -> None:
    text = ("Work migrants send money home from Russia.\n\nAccording to Bank of Russia, "
            "transfers from Russia to Armenia comprised $ 919 million in 2008.\n\n"
            "Over 90 % of total sums were transferred from CIS countries: "
            "Uzbekistan - $2,9 billion, Tajikistan - $2,5 billion, Turkmenia - $40 million")
    got = claims_of(text, FIELDS, target="ARM", published=2009)
    assert got == [("remittances", 919e6, None, None),  # after the migrants' money
                   ("remittances", 2.9e9, "UZB", "RUS"),
                   ("remittances", 2.5e9, "TJK", "RUS"),
                   ("remittances", 40e6, "TKM", "RUS")]  # "Over 90 %" set aside


def test_shares_listed_after_or_respectively_belong_to_their_countries() -> None:
    got = claims_of("According to WB data, migrants' transfers comprise 45% of Tajikistan "
                    "GDP and 38% of Moldavia GDP.", FIELDS, target="ARM", published=2009)
    assert got == [("remittances_total_share_of_gdp", 45.0, "TJK", None),
                   ("remittances_total_share_of_gdp", 38.0, "MDA", None)]
    got = claims_of("As a share of GDP, remittance receipts in Tajikistan and Kyrgyzstan lead "
                    "among regional economies in 2021, at 34 percent and 33 percent, "
                    "respectively.", FIELDS, target="TJK", published=2022)
    assert got == [("remittances_total_share_of_gdp", 34.0, None, None),
                   ("remittances_total_share_of_gdp", 33.0, "KGZ", None)]
    got = claims_of("The top three recipients were Lebanon – 54 percent, Tonga – 44 percent "
                    "and Tajikistan – 34.5 percent of GDP in remittances.", FIELDS,
                    target="TJK", published=2022)
    assert got == [("remittances_total_share_of_gdp", 54.0, "LBN", None),
                   ("remittances_total_share_of_gdp", 44.0, "TON", None),
                   ("remittances_total_share_of_gdp", 34.5, None, None)]


def test_an_average_transfer_and_a_single_figure_are_not_list_items() -> None:
    text = ("Remittances to Kyrgyzstan and Tajikistan account for over 25 percent in the share "
            "of GDP.\n\nAn average size of a money transfer to these countries is $200.")
    got = claims_of(text, FIELDS, target="KGZ", published=2021)
    # the share for each receiver named, and not $200 remitted
    assert [g[0] for g in got] == ["remittances_total_share_of_gdp"] * 2
    # one figure after a country and a dash is not a list: the sentence's pair as before
    got = claims_of("Remittances from Russia - $1.9 billion in 2017.", FIELDS, target="KGZ",
                    published=2018)
    assert got == [("remittances", 1.9e9, None, None)]


def test_the_two_digits_ending_a_span_of_years_are_not_an_amount() -> None:
    got = claims_of("At the time of the previous ban, in 2006-07, Russia accounted for 60% of "
                    "Moldova's wine exports.", ("metric", "claimed", "product"), target="MDA",
                    published=2013)
    assert got == [("exports_to_sender_share", 60.0, "wine")]


def test_one_figure_for_two_receivers_is_a_claim_about_each() -> None:
    got = claims_of("Money sent home by migrant workers accounts for more than a quarter of GDP "
                    "in Tajikistan and Kyrgyzstan.", ("metric", "claimed", "country"),
                    target="KGZ", published=2021)
    assert got == [("remittances_total_share_of_gdp", 25.0, None),
                   ("remittances_total_share_of_gdp", 25.0, "TJK")]
    # not the sender, and not remittances from a named sender
    got = claims_of("Remittances from Russia to Kyrgyzstan and Tajikistan were $2 billion.",
                    ("metric", "country"), target="KGZ", published=2021)
    assert got == [("remittances", None)]
