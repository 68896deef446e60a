"""A level stated beside the change that led to it is a level.

"received $4.1 billion, 7.7 percent more than in 2010": the percentage, with its base, is the
change; the amount is the year's level. "rose 16 percent, topping $3.2 billion": the level the
rise passed (a floor). A change with no base ("resulting in a 30% decrease in exports") may be
the sentence's subject, and still makes the amount beside it a change.
"""

from __future__ import annotations

import pytest

from geolever.claims import check_text
from geolever.store import FactStore


def _claims(text: str) -> list:
    result = check_text(text, fmt="text", store=FactStore(":memory:"), sender="USA",
                        target="GTM", published=2020)
    return [c for s in result.sentences for c in s.claims]


def test_a_level_with_a_percentage_more_than_a_base_year() -> None:
    (claim,) = _claims("In 2017 Guatemala received $8.2 billion in remittances, 14.4 percent "
                       "more than in 2016.")
    assert claim.metric == "remittances_total"
    assert claim.claimed == pytest.approx(8.2e9) and claim.years == [2017]


def test_a_level_with_a_percentage_increase_compared_to_last_year() -> None:
    (claim,) = _claims("Guatemala's exports to the United States came to $3.7 billion in 2019, "
                       "a 6.1 percent increase compared to the previous year.")
    assert claim.metric == "exports_to_sender" and claim.claimed == pytest.approx(3.7e9)


def test_the_level_a_rise_passed_is_a_floor() -> None:
    (claim,) = _claims("In 2019 Guatemala's imports from the United States rose 9 percent, "
                       "topping $7.5 billion.")
    assert claim.metric == "imports_from_sender"
    assert claim.claimed == pytest.approx(7.5e9) and claim.comparison == "at least"


def test_the_level_a_rise_hit_is_a_level() -> None:
    (claim,) = _claims("In 2019 Guatemala's exports to the United States rose by 5 per cent, "
                       "hitting $3.7 billion.")
    assert claim.metric == "exports_to_sender" and claim.claimed == pytest.approx(3.7e9)


def test_a_change_without_a_base_still_makes_the_amount_a_change() -> None:
    claims = _claims("The tariff has cost Guatemalan exporters $1 billion, resulting in a 30% "
                     "decrease in Guatemala's exports to the United States last year.")
    assert not [c for c in claims if c.metric == "exports_to_sender"]
