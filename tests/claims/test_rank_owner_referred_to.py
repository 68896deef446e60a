"""Whose partners a rank ranks, when the sentence points back or names the product's origin.

"China is the biggest investor in Laos and the country's second largest trading partner": the
country pointed back to is Laos. "the No. 1 export market for fruit from Taiwan": Taiwan's
buyers (and "No. 1" is the rank's label, not a count). "Russia and the UK are the country's
top tourism source markets": where visitors come from, not a trade ranking.
"""

from __future__ import annotations

from geolever.claims import check_text
from geolever.claims.numbers import find_quantities
from geolever.store import FactStore


def _claims(text: str, sender: str, target: str) -> list:
    result = check_text(text, fmt="text", store=FactStore(":memory:"), sender=sender,
                        target=target, published=2021)
    return [c for s in result.sentences for c in s.claims]


def test_the_country_pointed_back_to_owns_the_ranking() -> None:
    (claim,) = _claims("Japan is the largest aid donor to Cambodia and the country's third "
                       "largest trading partner.", "JPN", "KHM")
    assert (claim.metric, claim.claimed, claim.flow) == ("partner_rank", 3.0, "trade")
    assert claim.countries == ["KHM", "JPN"]


def test_its_with_the_case_pair_points_to_the_other_country() -> None:
    (claim,) = _claims("Russia remains its largest supplier.", "RUS", "AZE")
    assert (claim.metric, claim.claimed, claim.flow) == ("partner_rank", 1.0, "imports")
    assert claim.countries == ["AZE", "RUS"]


def test_a_market_for_goods_from_a_country_ranks_that_country_s_buyers() -> None:
    (claim,) = _claims("Japan was still the No. 1 export market for bananas from Ecuador.",
                       "JPN", "ECU")
    assert (claim.metric, claim.claimed, claim.flow) == ("partner_rank", 1.0, "exports")
    assert claim.countries == ["ECU", "JPN"]


def test_no_1_is_a_label_not_a_number() -> None:
    assert not find_quantities("the No. 1 export market, the number 2 buyer, #3 supplier")


def test_two_partners_named_together_and_tourism_ranks_are_not_checked() -> None:
    assert not _claims("Russia and the UK are the country's top tourism source markets.",
                       "RUS", "EGY")
    assert not _claims("Germany and France are the country's top export markets.", "DEU",
                       "POL")
