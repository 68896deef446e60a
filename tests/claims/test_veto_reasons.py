"""Numbers that vetoed their clause ("N numbers in one sentence and not each can be linked")
for a reason that does not bear on the other numbers, read or set aside by their grammar.

Each test failed on the code before: an item of a "from" list whose "from" was left out
("$120.5 million Turkey") had no sender, so no metric, and vetoed the list's other items.
"""

from __future__ import annotations

from claims.helpers import claims_of

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
