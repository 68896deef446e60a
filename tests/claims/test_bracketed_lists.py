"""Lists of one figure per country in brackets, and of senders named with "from".

Each test failed on the code before: "Tajikistan ($2.7bn), Armenia ($1.9bn) and Moldova
($1.6bn)" was refused as "two values for the same quantity" (a bracket was not a list
item's mark), "received more remittances than X" was read as a goods comparison, a list of
receivers' figures with no sender named was "from where is not stated", and "$337.98 million
from Kazakhstan, $310.06 million from Turkey" had too many senders for any one figure.
"""

from __future__ import annotations

from claims.helpers import claims_of

FIELDS = ("metric", "claimed", "country", "partner", "years")


def test_a_figure_in_brackets_after_a_country_is_that_countrys_item() -> None:
    got = claims_of("In 2019 Kyrgyzstan received more remittances than Tajikistan ($2.7bn), "
                    "Armenia ($1.9bn) and Moldova ($1.6bn).", FIELDS, target="KGZ",
                    published=2020)
    # each receiver's total; no comparison of goods flows (no partner_ratio)
    assert got == [("remittances_total", 2.7e9, "TJK", None, [2019]),
                   ("remittances_total", 1.9e9, "ARM", None, [2019]),
                   ("remittances_total", 1.6e9, "MDA", None, [2019])]


def test_a_list_of_receivers_with_no_sender_is_of_their_totals() -> None:
    got = claims_of("When it comes to remittances in 2018, Kyrgyzstan (USD 2.7 billion) "
                    "followed Uzbekistan (USD 4.5 billion) and Tajikistan (USD 2.2 billion).",
                    FIELDS, target="KGZ", published=2019)
    assert got == [("remittances_total", 2.7e9, None, None, [2018]),
                   ("remittances_total", 4.5e9, "UZB", None, [2018]),
                   ("remittances_total", 2.2e9, "TJK", None, [2018])]


def test_a_bracketed_list_after_its_sender_is_left_as_before() -> None:
    # "from Russia (...), Kazakhstan (...)": Russia is a sender, not a receiver of its item
    got = claims_of("In 2019 Kyrgyzstan got remittances from Russia ($2.1bn) and Kazakhstan "
                    "($0.4bn).", FIELDS, target="KGZ", published=2020)
    assert ("remittances_total", 2.1e9, "RUS", None, [2019]) not in got
    assert all(g[2] != "RUS" for g in got)


def test_items_naming_their_sender_with_from_are_each_senders_money() -> None:
    got = claims_of("In 2019 Kyrgyz migrants remitted $337.98 million from Kazakhstan, "
                    "$310.06 million from Turkey and $180.86 million from the United States.",
                    FIELDS, target="KGZ", published=2020)
    assert got == [("remittances", 337.98e6, "KGZ", "KAZ", [2019]),
                   ("remittances", 310.06e6, "KGZ", "TUR", [2019]),
                   ("remittances", 180.86e6, "KGZ", "USA", [2019])]
