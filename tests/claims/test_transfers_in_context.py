"""Bare "transfers" after sentences about remittances are remittances.

PanARMENIAN 2009 (corpus, split fresh3): after "migrants' transfers comprise 45% of Tajikistan
GDP" and "money transfers", "According to Bank of Russia, transfers from Russia to Armenia
comprised $ 919 million in 2008" is a remittance claim (RUS->ARM). Alone, "transfers" stays
unread (arms, assets, technology can be transferred), and so does the verb ("cash balances
transferred from Azerbaijan to Russia decreased ... to $29.4 million": a balance, not a flow).
The first two tests fail on main 587e50b.
"""

from __future__ import annotations

from .helpers import claims_of


def _claims(text: str, target: str) -> list[tuple[object, ...]]:
    return claims_of(text, ("metric", "claimed", "years"), target=target, published=2009)


def test_transfers_after_migrants_transfers_real_sentences() -> None:
    got = _claims("According to WB data, Russia is ranked 5th in the list of leading countries "
                  "from where money transfers are effected.\n\n"
                  "According to Bank of Russia, transfers from Russia to Armenia comprised "
                  "$ 919 million in 2008.", "ARM")
    assert ("remittances", 919e6, [2008]) in got


def test_transfers_after_remittances_in_other_words() -> None:
    got = _claims("Remittances from migrant workers in Russia are a lifeline for Tajikistan.\n\n"
                  "Transfers from Russia to Tajikistan reached $2.5 billion in 2008.",
                  "TJK")
    assert got == [("remittances", 2.5e9, [2008])]


def test_transfers_alone_are_not_remittances() -> None:
    got = _claims("In 2008 transfers from Russia to Armenia comprised $919 million.", "ARM")
    assert got == []
