"""The source a claim is attributed to may name what its figures are of (fresh4, Asia-Plus).

On the code before, "The latest Migration and Development Brief notes that as a share of
GDP for 2021, the top three recipients were Lebanon – 54 percent, ..." was refused ("topic
not recognised"): the proposition names no remittances, its source (the holder, set apart
by the verb "notes") does.
"""

from __future__ import annotations

from claims.helpers import claims_of

FIELDS = ("metric", "claimed", "country", "years")


def test_the_holder_names_the_subject_of_the_figures() -> None:
    got = claims_of("The latest Migration and Development Brief notes that that as a share of "
                    "gross domestic product (GDP) for 2021, the top three recipients were "
                    "Lebanon – 54 percent, Tonga – 44 percent and Tajikistan – 34.5 percent.",
                    FIELDS, target="TJK", published=2022)
    assert got == [("remittances_total_share_of_gdp", 54.0, "LBN", [2021]),
                   ("remittances_total_share_of_gdp", 44.0, "TON", [2021]),
                   ("remittances_total_share_of_gdp", 34.5, None, [2021])]
    got = claims_of("The World Bank's remittances brief notes that as a share of GDP for 2022, "
                    "the top two recipients were Tajikistan – 51 percent and Kyrgyzstan – 31 "
                    "percent.", FIELDS, target="TJK", published=2023)
    assert got == [("remittances_total_share_of_gdp", 51.0, None, [2022]),
                   ("remittances_total_share_of_gdp", 31.0, "KGZ", [2022])]


def test_a_holder_about_something_else_names_no_metric() -> None:
    assert claims_of("The IMF notes that as a share of GDP, the top recipients of aid in 2021 "
                     "were Afghanistan – 20 percent and Liberia – 15 percent.", FIELDS,
                     target="TJK", published=2022) == []
