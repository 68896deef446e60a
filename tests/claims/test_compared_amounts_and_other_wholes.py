"""Numbers that are not the claim's figure, and periods read with the sentence before (stop 29).

Each was judged as a claim about the target on texts of the corpus: the amount of what a
figure is compared with ("7.4 times larger than aid of $3.4 billion"), a difference ("by an
amount equal to $9.3 billion"), an average ("on average send $351"), a share of the population,
oil exports through a pipeline the store does not know, a budget share with no sender (all
remittances), "the same period of 2019" (the months of the sentence before) and "It should be
noted that" (not an attribution).
"""

from __future__ import annotations

from claims.helpers import claims_of
from geolever.claims.attribution import split_attribution

FIELDS = ("metric", "claimed")


def test_the_amount_a_figure_is_compared_with_is_not_the_figure() -> None:
    assert claims_of("Remittances to Kenya were five times larger than foreign aid of $1.2 "
                     "billion in 2019.", FIELDS, sender="USA", target="KEN",
                     published=2020) == []
    assert claims_of("In 2019 remittances were 3 times the FDI inflows of $1.3 billion.",
                     FIELDS, sender="USA", target="KEN", published=2020) == []
    # the figure itself, before the multiple, is still read
    got = claims_of("In 2019 remittances to Kenya reached $2.8 billion, 3 times the FDI "
                    "inflows.", FIELDS, sender="USA", target="KEN", published=2020)
    assert got == [("remittances_total", 2.8e9)]


def test_a_difference_an_average_and_a_share_of_the_population() -> None:
    assert claims_of("Remittances in 2019 exceeded those of 2015 by an amount equal to $2 "
                     "billion.", FIELDS, sender="USA", target="KEN", published=2020) == []
    assert claims_of("Migrants in Spain on average send remittances of $300.", FIELDS,
                     sender="ESP", target="ECU", published=2019) == []
    text = ("Remittances are 6% of Ecuador's GDP.\n\nEmigrants make up a tenth of the "
            "country's population.")
    assert claims_of(text, FIELDS, sender="ESP", target="ECU", published=2019) == [
        ("remittances_total_share_of_gdp", 6.0)]


def test_oil_through_a_pipeline_is_not_the_countrys_oil_exports() -> None:
    assert claims_of("Iraq exported 450,000 barrels per day of crude oil through the "
                     "Kirkuk-Ceyhan pipeline in 2022.", FIELDS, sender="TUR", target="IRQ",
                     published=2023) == []
    got = claims_of("Iraq exported 3.3 million barrels per day of crude oil in 2022.",
                    ("metric",), sender="TUR", target="IRQ", published=2023)
    assert got == [("oil_exports",)]


def test_a_budget_share_with_no_sender_is_all_remittances() -> None:
    got = claims_of("In 2018 migrant remittances were 83% of the federal budget.", FIELDS,
                    sender="USA", target="NGA", published=2019)
    assert got == [("remittances_total_share_of_budget", 83.0)]
    got = claims_of("In 2018 remittances from the US were 20% of the federal budget.", FIELDS,
                    sender="USA", target="NGA", published=2019)
    assert got == [("remittances_share_of_budget", 20.0)]


def test_the_same_period_of_a_year_keeps_the_months_before() -> None:
    text = ("In January-September 2020 the Baku-Novorossiysk pipeline carried 278,910 tons of "
            "oil.\n\nIt carried 574,170 tons during the same period of 2019.")
    got = claims_of(text, ("metric", "partial_period", "years"), target="AZE", published=2020)
    assert got[-1] == ("asset_throughput", "Jan-Sep", [2019])


def test_part_of_the_publication_year_does_not_make_it_the_latest_full_year() -> None:
    text = ("In January-September 2020 the Baku-Novorossiysk pipeline carried 278,910 tons of "
            "oil.\n\nSOCAR exported 824,400 tons of oil through the Baku-Novorossiysk "
            "pipeline.")
    got = claims_of(text, ("metric", "verdict"), target="AZE", published=2020)
    # the pack's 2019 throughput is 0.8243 Mt: the latest full year before the text
    assert got[-1] == ("asset_throughput", "accurate")


def test_it_should_be_noted_is_the_writers_own_statement() -> None:
    assert split_attribution("It should be noted that SOCAR exported 824,400 tons of oil.") == (
        "SOCAR exported 824,400 tons of oil.", "")
    assert split_attribution("Officials noted that SOCAR exported 824,400 tons of oil.")[1] == \
        "Officials"


def test_a_world_or_regional_total_is_not_the_targets() -> None:
    assert claims_of("In 2014, total global remittances were $583 billion.", FIELDS,
                     sender="ARE", target="IND", published=2015) == []
    assert claims_of("Remittance flows to all South Asian countries reached $118 billion in "
                     "2016.", FIELDS, sender="ARE", target="IND", published=2017) == []
    got = claims_of("In 2014 remittances to India were $70 billion, the largest in South Asia.",
                    FIELDS, sender="ARE", target="IND", published=2015)
    assert got == [("remittances_total", 70e9)]


def test_a_journalistic_name_of_a_country() -> None:
    got = claims_of("In 2019 Uzbekistan exported $1.3 billion worth of goods to the Celestial "
                    "Empire.", ("metric", "claimed"), sender="CHN", target="UZB",
                    published=2020)
    assert got == [("exports_to_sender", 1.3e9)]


def test_a_negated_rank_and_a_compared_dependence_are_not_claims_of_rank_or_flow() -> None:
    assert claims_of("China is no longer Australia's biggest export market.", FIELDS,
                     sender="CHN", target="AUS", published=2022) == []
    assert claims_of("China is Australia's biggest export market.", ("metric", "claimed"),
                     sender="CHN", target="AUS", published=2022) == [("partner_rank", 1.0)]
    assert claims_of("Azerbaijan's economy is more reliant on Russia than Russia is on "
                     "Azerbaijan.", FIELDS, target="AZE", published=2025) == []


def test_used_to_is_no_status_of_operating() -> None:
    assert claims_of("Azerbaijan used to deliver its crude via the Baku-Novorossiysk "
                     "pipeline.", FIELDS, target="AZE", published=2023) == []
    got = claims_of("The Baku-Novorossiysk pipeline is used by SOCAR.", ("metric", "claimed"),
                    target="AZE", published=2023)
    assert got == [("asset_status", 1.0)]


def test_non_oil_exports_are_not_all_goods_nor_oil() -> None:
    got = claims_of("In 2023 Azerbaijan's non-oil exports reached $3.5 billion.",
                    ("metric", "product", "verdict"), target="AZE", published=2024)
    assert got == [("target_exports_total", "non_oil", "unverifiable")]
    got = claims_of("In 2023 Azerbaijan's non-oil exports to Russia were $1 billion.",
                    ("metric", "product"), target="AZE", published=2024)
    assert got == [("exports_to_sender", "non_oil")]
    got = claims_of("Russia is the main buyer of Azerbaijan's non-energy export goods.",
                    ("metric", "product"), target="AZE", published=2024)
    assert got == [("partner_rank", "non_oil")]
