"""Numbers that vetoed their clause ("N numbers in one sentence and not each can be linked")
for a reason that does not bear on the other numbers, read or set aside by their grammar.

Each test failed on the code before:

- an item of a "from" list whose "from" was left out ("$120.5 million Turkey") had no sender,
  so no metric, and vetoed the list's other items;
- "metric tons" was read as a bare number, and the whole a share is of ("half of the 300,000
  metric tons of cotton exported"), which no metric checks, vetoed the share;
- the earlier end of two dated levels ("from around $0.3 billion in 2005 to $2.4 billion in
  2019") was read as a change and vetoed the later one;
- "its remittances" after the receiver named in the same sentence took the sender of the
  sentence before;
- a year stated at the end of a number's long clause ("... sent through the money transfer
  systems to Kyrgyzstan from Russia in 2019") was not its year;
- a figure for another year in brackets ("(2018: US$2.4 billion)") gave the figure before it
  its year;
- an amount with its share of the receiver's GDP stated ("..., equal to 30% of Kyrgyzstan's
  GDP") had no receiver ("from where is not stated"), and neither had "Tajikistan's
  remittance flow";
- a figure for one month ("In May 2021, ... $250 million") was refused and vetoed the others,
  where it is a claim about that month (no monthly figure in the store: unverifiable, not
  judged against the year's).
"""

from __future__ import annotations

from claims.helpers import claims_of
from geolever.claims.extract import parse_sentence

FIELDS = ("metric", "claimed", "country", "partner", "years", "verdict")


def test_a_list_item_with_its_from_left_out_names_its_sender() -> None:
    got = claims_of("In 2019 Kyrgyz migrants remitted $337.98 million from Kazakhstan, "
                    "$120.5 million Turkey, $41.2 million from Germany and $7.7 million from "
                    "Italy.", FIELDS, target="KGZ", published=2020)
    assert got == [("remittances", 337.98e6, "KGZ", "KAZ", [2019], "unverifiable"),
                   ("remittances", 120.5e6, "KGZ", "TUR", [2019], "unverifiable"),
                   ("remittances", 41.2e6, "KGZ", "DEU", [2019], "unverifiable"),
                   ("remittances", 7.7e6, "KGZ", "ITA", [2019], "unverifiable")]


def test_a_country_after_a_figure_is_no_sender_without_a_from_list() -> None:
    # one other item with "from" is not a list of senders: the bare country stays unread
    got = claims_of("In 2019 Kyrgyz migrants remitted $337.98 million from Kazakhstan and "
                    "$120.5 million Turkey.", FIELDS, target="KGZ", published=2020)
    assert ("remittances", 120.5e6, "KGZ", "TUR", [2019], "unverifiable") not in got


def test_metric_tons_are_tonnes() -> None:
    got = parse_sentence("Azerbaijan sold 40,000 metric tons of tomatoes and 2 thousand "
                         "metric tons of nuts.").quantities
    assert [(q.text, q.kind, round(q.value, 6)) for q in got] == [
        ("40,000 metric tons", "mass", 0.04), ("2 thousand metric tons", "mass", 0.002)]


def test_the_whole_of_a_share_in_tonnes_leaves_the_share_checked() -> None:
    got = claims_of("Almost half of the 300,000 metric tons of cotton exported last year went "
                    "to Russia.", ("metric", "claimed", "years", "verdict"), target="AZE",
                    published=2020)
    assert got == [("exports_to_sender_share", 50.0, [2019], "unverifiable")]


def test_a_count_as_the_whole_of_a_share_still_vetoes() -> None:
    # a share of people, not of a flow
    assert claims_of("About 60% of some 2 million tourists who came in 2019 were from Russia.",
                     ("metric", "claimed"), target="AZE", published=2020) == []


def test_the_earlier_end_of_two_dated_levels_is_a_level_of_its_year() -> None:
    got = claims_of("The value of remittances received by Kyrgyzstan has grown steadily over "
                    "the past two decades, from around $0.3 billion in 2005 to $2.4 billion in "
                    "2019.",
                    ("metric", "claimed", "years", "verdict"), target="KGZ", published=2020)
    assert got == [("remittances_total", 0.3e9, [2005], "unverifiable"),
                   ("remittances_total", 2.4e9, [2019], "unverifiable")]


def test_its_after_the_receiver_named_is_that_receivers_money() -> None:
    text = ("In 2019 Kyrgyz migrants in Russia sent home $2.1 billion. Kyrgyzstan saw its "
            "remittance inflows reach $2.4 billion in 2021.")
    got = claims_of(text, ("metric", "claimed", "years", "partner"), target="KGZ",
                    published=2022)
    assert got[-1] == ("remittances_total", 2.4e9, [2021], None)
    # "their" with no country before it still points back to the sender of the sentence before
    got = claims_of("In 2019 Kyrgyz migrants in Russia sent home $2.1 billion. Their transfers "
                    "reached $2.4 billion in 2021.", ("metric", "claimed"), target="KGZ",
                    published=2022)
    assert got[-1] == ("remittances", 2.4e9)


def test_the_year_at_the_end_of_a_long_clause_is_its_numbers() -> None:
    got = claims_of("Some 2.1 billion US dollars were sent through the money transfer systems "
                    "to Kyrgyzstan from Russia in 2019 and 1.9 billion US dollars in 2018.",
                    ("metric", "claimed", "years", "verdict"), target="KGZ", published=2020)
    assert got == [("remittances", 2.1e9, [2019], "unverifiable"),
                   ("remittances", 1.9e9, [2018], "unverifiable")]


def test_a_figure_for_another_year_in_brackets_is_of_that_year() -> None:
    got = claims_of("Remittances to Kyrgyzstan came to US$2.6 billion in 2019 (2018: US$2.4 "
                    "billion).", FIELDS, target="KGZ", published=2020)
    assert got == [("remittances_total", 2.6e9, None, None, [2019], "unverifiable"),
                   ("remittances_total", 2.4e9, None, None, [2018], "unverifiable")]
    # the bracket's year is not the year of the figure before it, which takes the one after
    got = claims_of("Kyrgyzstan depends on migrant remittances. The central bank said that "
                    "these flows amounted to US$2.6 billion (2018: US$2.4 billion) in 2019, and "
                    "represented 30% of the country's GDP.", ("claimed", "years"),
                    target="KGZ", published=2020)
    assert got == [(2.6e9, [2019]), (2.4e9, [2018]), (30.0, [2019])]


def test_an_amount_with_its_share_of_the_receivers_gdp_is_the_receivers_total() -> None:
    got = claims_of("In 2019 remittances came to $2.6 billion, equal to 30% of Kyrgyzstan's "
                    "GDP.", FIELDS, target="KGZ", published=2020)
    assert got == [("remittances_total", 2.6e9, None, None, [2019], "unverifiable"),
                   ("remittances_total_share_of_gdp", 30.0, None, None, [2019], "unverifiable")]
    # a sender named still makes it that sender's money
    got = claims_of("Remittances from Russia amounted to $2.6 billion in 2019, and represented "
                    "30% of Kyrgyzstan's GDP.", ("metric", "claimed"), target="KGZ",
                    published=2020)
    assert got == [("remittances", 2.6e9), ("remittances_share_of_gdp", 30.0)]


def test_a_countrys_remittance_flow_is_what_it_receives() -> None:
    got = claims_of("In 2019 Uzbekistan received $8.5 billion in remittances, while "
                    "Tajikistan's remittance flow was $2.7 billion.", FIELDS, target="KGZ",
                    published=2020)
    assert got == [("remittances_total", 8.5e9, "UZB", None, [2019], "unverifiable"),
                   ("remittances_total", 2.7e9, "TJK", None, [2019], "unverifiable")]


def test_a_figure_for_one_month_is_checked_against_that_month_only() -> None:
    got = claims_of("In May 2021, Russian exports to Azerbaijan were $250 million.",
                    ("metric", "claimed", "years", "partial_period", "verdict"), target="AZE",
                    published=2022)
    # the pack has 2021 as a full year only: the month is not judged on it (it was 'false')
    assert got == [("imports_from_sender", 250e6, [2021], "May", "unverifiable")]
    got = claims_of("In May alone, remittances from Russia totalled USD 299 million, up from "
                    "USD 253 million in May 2024.", ("metric", "claimed", "years",
                                                     "partial_period"),
                    target="KGZ", published=2025)
    assert got == [("remittances", 299e6, None, "May"), ("remittances", 253e6, [2024], "May")]


def test_a_share_for_one_month_is_still_not_checked() -> None:
    # shares are compared with the year's, which a month's share is not
    assert claims_of("In May 2021, Russia accounted for 18% of Azerbaijan's imports.",
                     ("metric", "claimed"), target="AZE", published=2022) == []
