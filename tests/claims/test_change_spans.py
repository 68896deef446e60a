"""Two levels of a change after its size, the span of years they are of, a pair's total trade,
and the same figure said twice.

Each test failed on the code before: "increased by 47%, from $3 billion to $4.4 billion" was
read as one range; "Between 2021 and 2023, ... from X to Y" gave the later end the year after
the span (a citation's year, "(Smith, 2024)", counted as the sentence's); "the total trade
turnover between the two neighbours" was one country's total trade; a figure repeated for
the same country ("Liberia (27%), ... and Liberia (27%)") left the sentence unchecked as
"two values for the same quantity".
"""

from __future__ import annotations

from claims.helpers import claims_of

FIELDS = ("metric", "claimed", "country", "years")


def test_the_ends_of_a_change_after_its_size_are_two_levels_of_the_span() -> None:
    got = claims_of("Between 2019 and 2021, the trade turnover between Russia and Georgia "
                    "increased by 25%, from $1.2 billion to $1.5 billion (Smith, 2022).",
                    FIELDS, target="GEO", published=2023)
    assert got == [("trade_turnover", 1.2e9, None, [2019]),
                   ("trade_turnover", 1.5e9, None, [2021])]


def test_from_after_a_change_is_not_a_range() -> None:
    got = claims_of("In 2021 the trade turnover between Russia and Georgia grew by 25%, from "
                    "$1.2 billion to $1.5 billion.", FIELDS, target="GEO", published=2022)
    assert got == [("trade_turnover", 1.2e9, None, [2020]),
                   ("trade_turnover", 1.5e9, None, [2021])]


def test_the_total_trade_between_the_two_countries_is_the_pairs() -> None:
    got = claims_of("In 2021 the total trade turnover between the two countries was $1.5 "
                    "billion.", FIELDS, target="GEO", published=2022)
    assert got == [("trade_turnover", 1.5e9, None, [2021])]


def test_a_figure_repeated_for_one_country_is_still_checked() -> None:
    got = claims_of("In 2017 remittances made up a large part of the GDP of countries such as "
                    "Tajikistan (31%), Armenia (14%) and Tajikistan (31%).", FIELDS,
                    target="KGZ", published=2018)
    assert got == [("remittances_total_share_of_gdp", 31.0, "TJK", [2017]),
                   ("remittances_total_share_of_gdp", 14.0, "ARM", [2017]),
                   ("remittances_total_share_of_gdp", 31.0, "TJK", [2017])]
