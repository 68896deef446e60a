"""Claims about how long a shipper needs to route around a lever, judged on the model.

The rerouting engine moves the freight a corridor exclusion or a transit block cuts onto the
network's other routes, up to their spare capacity, in the same year; it has no figure for
the time it takes to find or build a new route. "Years of searching for other routes" is
judged on the share rerouted within the year, and the verdict says what the model lacks; a
lever whose model reroutes nothing is not checkable.
"""

from __future__ import annotations

import pytest

from geolever.claims import check_text
from geolever.store import FactStore


@pytest.fixture(scope="module")
def checked() -> list[tuple[str, str, str]]:
    text = ("Excluding Azerbaijan from the North-South corridor would cost Russia years of "
            "searching for other routes.\n\n"
            "Russia could quickly switch to other routes if Azerbaijan were excluded from the "
            "INSTC.\n\n"
            "A ban on remittances would take Russia years to find alternative routes.")
    out = []
    for s in check_text(text, store=FactStore(":memory:")).sentences:
        for c in s.claims:
            assert c.result is not None
            out.append((c.metric, c.result.verdict, c.result.explanation))
    return out


def test_years_of_route_search_is_false_when_other_routes_carry_the_freight_at_once(
        checked: list[tuple[str, str, str]]) -> None:
    metric, verdict, why = checked[0]
    assert (metric, verdict) == ("lever_rerouted_1y", "false")
    # the figures that decide it: the freight cut and moved, days and cost, what is missing
    assert "0.81 of 0.81 Mt a year that RUS ships" in why
    assert "days per tonne" in why and "extra freight cost" in why
    assert "no figure for the time to find or build a new route" in why


def test_a_quick_switch_is_accurate_on_the_same_numbers(
        checked: list[tuple[str, str, str]]) -> None:
    assert checked[1][:2] == ("lever_rerouted_1y", "accurate")


def test_a_lever_whose_model_reroutes_nothing_is_not_checkable(
        checked: list[tuple[str, str, str]]) -> None:
    metric, verdict, why = checked[2]
    assert (metric, verdict) == ("lever_rerouted_1y", "unverifiable")
    assert "not checkable: the model of ban 100% of remittances" in why
    assert "has no route-search time" in why
