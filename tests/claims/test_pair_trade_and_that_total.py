"""Small readings: a hyphenated pair's trade, "of that total", a rise to a range.

"Annual Saudi-Canadian trade hovers around $4bn": the two countries' trade both ways.
"Around 87% of that total came from Russia", after the receiver's total: the sender's share
of all the remittances. "rose to between $12 billion and $15 billion": the level a rise
arrived at, a range.
"""

from __future__ import annotations

from geolever.claims import check_text
from geolever.store import FactStore


def _claims(text: str, sender: str, target: str, year: int) -> list:
    result = check_text(text, fmt="text", store=FactStore(":memory:"), sender=sender,
                        target=target, published=year)
    return [c for s in result.sentences for c in s.claims]


def test_hyphenated_pair_trade_is_the_pair_s_turnover() -> None:
    (claim,) = _claims("In 2019 Turkish-Iraqi trade stood at about $16 billion.", "TUR", "IRQ",
                       2020)
    assert (claim.metric, claim.years) == ("trade_turnover", [2019])
    (claim,) = _claims("In 2009 the trade exchange volume between Turkey and Iraq came to $6 "
                       "billion.", "TUR", "IRQ", 2010)
    assert claim.metric == "trade_turnover"


def test_a_share_of_that_total_is_the_sender_s_share() -> None:
    claims = _claims("In 2021 Tajikistan received $2.9 billion in remittances.\n\n"
                     "About 80% of that total came from Russia.", "RUS", "TJK", 2022)
    assert [(c.metric, c.claimed, c.years) for c in claims] == [
        ("remittances_total", claims[0].claimed, [2021]),
        ("remittances_sender_share", 80.0, [2021])]


def test_a_rise_to_a_range_is_a_level() -> None:
    (claim,) = _claims("Remittances from Saudi Arabia to Egypt rose to between $6 billion and "
                       "$7 billion in 2013.", "SAU", "EGY", 2014)
    assert (claim.metric, claim.comparison, claim.claimed, claim.high) == (
        "remittances", "between", 6e9, 7e9)
