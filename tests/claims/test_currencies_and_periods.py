"""Amounts in another currency, months not from January, shipments and demonyms (claims4).

Each case was refused or misread on the code before: a euro amount with no exchange rate
in the store left the sentence unchecked; "over the July-October period" was not a partial
period, and "the cited period" took the "since June 2005" of the sentence between;
"outbound shipments" and "goods came from China" had no trade topic; "Philippine exports"
named no owner of a ranking.
"""

from __future__ import annotations

from claims.helpers import claims_of, dots_store
from geolever.claims import check_text
from geolever.core.facts import Fact
from geolever.store import FactStore

LTU = ("According to information from the State Data Agency, Lithuania exported goods worth "
       "€208.1 million to China in 2019.")


def test_a_euro_amount_without_a_rate_is_unverifiable_and_says_why() -> None:
    doc = check_text(LTU, fmt="text", store=FactStore(":memory:"), sender="CHN", target="LTU",
                     published=2023)
    claim = doc.sentences[0].claims[0]
    assert (claim.metric, claim.unit, claim.claimed) == ("exports_to_sender", "EUR", 208.1e6)
    assert claim.result is not None and claim.result.verdict == "unverifiable"


def test_a_euro_amount_is_judged_at_the_year_s_rate() -> None:
    store = dots_store([("CHN", "exports", 309.1e6)], reporter="LTU", year=2019)
    store.add_facts([Fact(indicator="exchange_rate", country="EU27", year=2019, value=1.12,
                          unit="USD/EUR", source="test row (ECB annual average order)")],
                    dataset="fx-test")
    doc = check_text(LTU, fmt="text", store=store, sender="CHN", target="LTU", published=2023)
    claim = doc.sentences[0].claims[0]
    assert claim.result is not None
    # US$309.1m / 1.12 = €276m against the claimed €208.1m: 33% more, misleading
    assert claim.result.verdict == "misleading", claim.result.explanation


def test_months_not_from_january_and_the_cited_period() -> None:
    text = ("Japan's exports to South Korea reached US$15 billion over the July-October period, "
            "down 14 percent on-year.\n\nSouth Korea dropped to rank as the fourth-largest "
            "trading partner of Japan in October, the first change in the ranking since June "
            "2005.\n\nIn contrast, South Korea's outbound shipments to Japan reached $9.4 "
            "billion over the cited period, down 7 percent on-year.")
    got = claims_of(text, ("metric", "years", "partial_period"), sender="JPN", target="KOR",
                    published=2019)
    assert got[1] == ("partner_rank", None, "October")
    # months with no year stated are the publication year's (was None: every year's Jul-Oct)
    assert got[0] == ("imports_from_sender", [2019], "Jul-Oct")
    assert got[2][0] == "exports_to_sender" and got[2][2] == "Jul-Oct" and 2005 not in (
        got[2][1] or [])


def test_goods_that_came_from_a_country_are_its_exports() -> None:
    got = claims_of("Before the clash, €1.57 billion worth of goods came from China in 2021.",
                    ("metric", "claimed"), sender="CHN", target="LTU", published=2023)
    assert got == [("imports_from_sender", 1.57e9)]


def test_a_demonym_names_whose_partners_are_ranked() -> None:
    got = claims_of("As the third-largest destination for Philippine exports, China possesses "
                    "significant economic leverage.", ("metric", "claimed", "flow"),
                    sender="CHN", target="PHL", published=2012)
    assert got == [("partner_rank", 3.0, "exports")]


def test_a_list_of_amounts_each_with_its_year_and_a_country_named_as_a_topic() -> None:
    got = claims_of("Before the clash over Taiwan, €1.57 billion worth of goods came from China "
                    "in 2021, €1.17 billion in 2020 and €928.7 million in 2019.",
                    ("metric", "claimed", "years", "country", "partner"), sender="CHN",
                    target="LTU", published=2023)
    assert got == [("imports_from_sender", 1.57e9, [2021], None, None),  # not CHN -> TWN
                   ("imports_from_sender", 1.17e9, [2020], None, None),
                   ("imports_from_sender", 928.7e6, [2019], None, None)]
