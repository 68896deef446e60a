"""The target's exports with no partner named are its exports to all (claims4).

"In 2019, Australia exported $64 billion worth of coal" was read as Australia's exports to
China (the case's sender), and a total of one product was compared with all goods.
"""

from __future__ import annotations

from claims.helpers import claims_of, dots_store
from geolever.claims import check_text

FIELDS = ("metric", "claimed", "product")


def test_the_target_alone_exported_is_its_total_of_that_product() -> None:
    got = claims_of("In 2019, Australia exported $64 billion worth of coal.", FIELDS,
                    sender="CHN", target="AUS", published=2020)
    assert got == [("target_exports_total", 64e9, "coal")]


def test_a_product_total_is_not_judged_on_all_goods() -> None:
    store = dots_store([("WLD", "exports", 273e9)], reporter="AUS", year=2019)
    doc = check_text("In 2019, Australia exported $64 billion worth of coal.", fmt="text",
                     store=store, sender="CHN", target="AUS", published=2020)
    claim = doc.sentences[0].claims[0]
    assert claim.result is not None and claim.result.verdict == "unverifiable"
    doc = check_text("In 2019, Australia exported $271 billion worth of goods.", fmt="text",
                     store=store, sender="CHN", target="AUS", published=2020)
    claim = doc.sentences[0].claims[0]
    assert claim.metric == "target_exports_total"
    assert claim.result is not None and claim.result.verdict == "accurate"


def test_a_sentence_that_points_back_keeps_the_partner() -> None:
    text = ("Russia is the main buyer of Azerbaijani fruit.\n\nIt accounted for 98% of "
            "Azerbaijan's export of stone fruits - $97.1 million.")
    got = claims_of(text, ("metric",), target="AZE", published=2025)
    assert ("exports_to_sender_share",) in got and ("exports_to_sender",) in got
    got = claims_of("Russia supplied $2 billion of wheat.", ("metric",), target="AZE",
                    published=2025)
    assert got == [("imports_from_sender",)]


def test_trade_with_the_sender_responsible_for_a_share_of_exports() -> None:
    got = claims_of("Wine trade with Russia was responsible for 80-90% of the total wine exports "
                    "in both countries.", ("metric", "claimed", "high", "product"),
                    target="GEO", published=2006)
    assert got == [("exports_to_sender_share", 80.0, 90.0, "wine")]
    got = claims_of("Georgia's trade turnover with Russia reached $1.9 billion in 2023.",
                    ("metric",), target="GEO", published=2024)
    assert got == [("trade_turnover",)]
