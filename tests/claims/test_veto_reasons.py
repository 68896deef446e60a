"""Numbers that vetoed their clause ("N numbers in one sentence and not each can be linked")
for a reason that does not bear on the other numbers, read or set aside by their grammar.

Each test failed on the code before: an item of a "from" list whose "from" was left out
("$120.5 million Turkey") had no sender, so no metric, and vetoed the list's other items;
"metric tons" was read as a bare number; the whole a share is of ("half of the 300,000 metric
tons of cotton exported"), which no metric checks, vetoed the share.
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
