"""The figures of a ranked partner in a participle after the rank.

ABC 2020 (corpus, split fresh2): "Japan was Australia's largest customer, accounting for 27 per
cent of our total coal exports (worth $17 billion). China came in second, accounting for 21 per
cent of our coal exports (worth $13.7 billion)." The share and the amount are the ranked
partner's (JPN, CHN) share of and exports from the ranking's owner (AUS), whether the owner is
named ("Australia's") or only carried over with the ranking ("came in second"). The first two
tests fail on main bb6d1f6 ("trade, but the direction or the partner of the flow is unclear");
the third guards against reading a figure outside the participle as the partner's.
"""

from __future__ import annotations

from .helpers import claims_of


def _claims(text: str, sender: str, target: str, published: int) -> list[tuple[object, ...]]:
    return claims_of(text, ("metric", "claimed", "country", "partner", "product"),
                     sender=sender, target=target, published=published)


def test_the_share_and_value_of_the_largest_customer_and_the_next() -> None:
    """Real sentences (case CHN->AUS: China's row is the case's own pair, left None)."""
    got = _claims("Japan was Australia's largest customer, accounting for 27 per cent of our "
                  "total coal exports (worth $17 billion).\n\nChina came in second, accounting "
                  "for 21 per cent of our coal exports (worth $13.7 billion).", "CHN", "AUS", 2020)
    assert [g[:4] for g in got] == [
        ("partner_rank", 1.0, "AUS", "JPN"),
        ("exports_to_sender_share", 27.0, "AUS", "JPN"),
        ("exports_to_sender", 17e9, "AUS", "JPN"),
        ("partner_rank", 2.0, None, None),
        ("exports_to_sender_share", 21.0, None, None),
        ("exports_to_sender", 13.7e9, None, None)]
    assert {g[4] for g in got[1:3]} == {g[4] for g in got[4:]} != {None}  # coal, both


def test_a_ranked_supplier_with_its_share_of_imports() -> None:
    """Another wording and flow: the ranking of suppliers carried to the next sentence
    ("came second, representing ..."): the share is of the owner's imports from that partner
    (RUS->GEO is the case's pair)."""
    got = _claims("Turkey was Georgia's largest supplier.\n\nRussia came second, representing "
                  "11 percent of the country's imports.", "RUS", "GEO", 2021)
    assert [g[:4] for g in got] == [("partner_rank", 1.0, "GEO", "TUR"),
                                    ("partner_rank", 2.0, None, None),
                                    ("imports_from_sender_share", 11.0, None, None)]


def test_a_figure_not_in_the_participle_is_not_the_ranked_partners() -> None:
    """Without the participle the flow stays unread (no guess from the rank alone)."""
    got = _claims("Japan was Australia's largest customer; coal exports reached $64 billion.",
                  "CHN", "AUS", 2020)
    assert ("exports_to_sender", 64e9, "AUS", "JPN") not in [g[:4] for g in got]
