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


def test_analysts_period_codes_are_months_of_a_year() -> None:
    assert normalise("In 4M22, inflows rose") == "In January-April 2022, inflows rose"
    assert normalise("In 9M2021 exports") == "In January-September 2021 exports"
    assert normalise("In 1H22 and H1'24") == "In the first half of 2022 and the first half of 2024"
    assert normalise("In 1Q23 and Q3 2024") == "In January-March 2023 and July-September 2024"
    for same in ("the MH17 crash", "the G20 summit", "In Q1 20 companies", "H2O"):
        assert normalise(same) == same
    got = claims_of("In 4M22 the inflow of money transfers to Uzbekistan reached $3.1bn.",
                    ("metric", "years", "partial_period"), target="UZB", published=2022)
    assert got == [("remittances_total", [2022], "Jan-Apr")]
