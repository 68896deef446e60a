"""Amounts written in two magnitudes, and trade balances (stop 29).

"$3 billion 621 million" (as Russian and Azerbaijani officials write 3.621 billion) was read
as two numbers and the sentence left unchecked; once read as one amount, "a negative balance
of $2 billion 443 million" must not be taken for the turnover.
"""

from __future__ import annotations

from claims.helpers import claims_of
from geolever.claims.numbers import normalise


def test_an_amount_in_two_magnitudes_is_one_amount() -> None:
    assert normalise("$3 billion 621 million") == "$3.621 billion"
    assert normalise("$4 billion 79 million") == "$4.079 billion"
    assert normalise("12 million 400 thousand tons") == "12.400 million tons"
    assert normalise("$2 billion, 300 million of which") == "$2 billion, 300 million of which"
    got = claims_of("In 2024 the trade turnover between Russia and Azerbaijan was $4 billion "
                    "799 million.", ("metric", "claimed", "verdict"), target="AZE",
                    published=2025)
    assert got == [("trade_turnover", 4.799e9, "accurate")]


def test_a_trade_balance_is_not_the_turnover() -> None:
    for text in ("In 2024 Azerbaijan had a negative balance of $2 billion 443 million in trade "
                 "with Russia.",
                 "In 2024 Russia earned $2.4 billion from trade with Azerbaijan.",
                 "In 2024 Azerbaijan's trade deficit with Russia was $2.4 billion."):
        assert claims_of(text, ("metric",), target="AZE", published=2025) == [], text
