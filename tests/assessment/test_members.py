"""A coalition's cost shared among its members by their part of the flows cut."""

from __future__ import annotations

import numpy as np
import pytest

from geolever.assessment.members import calc_member_shares, member_cost_reason, member_costs
from geolever.core.quantity import Quantity


def _flow(value: float, parts: dict[str, float]) -> Quantity:
    return Quantity(value=value, unit="USD", year=2021, label="flow", source="test",
                    by_member=tuple(parts.items()))


def test_shares_add_the_members_parts_over_all_flows() -> None:
    # two goods: USA 30 + 10, GBR 0 + 40, CAN 20 + 0 -> 40/100, 40/100, 20/100
    flows = [_flow(50, {"USA": 30, "CAN": 20}), _flow(50, {"USA": 10, "GBR": 40})]
    assert calc_member_shares("CAN+GBR+USA", flows) == pytest.approx(
        {"CAN": 0.2, "GBR": 0.4, "USA": 0.4})


def test_one_country_or_no_parts_is_not_split() -> None:
    assert calc_member_shares("USA", [_flow(5, {"USA": 5})]) == {}
    assert calc_member_shares("CAN+USA", [_flow(5, {})]) == {}
    assert calc_member_shares("CAN+USA", [_flow(0, {"USA": 0.0})]) == {}


def test_member_costs_split_each_draw_and_use_own_gdp() -> None:
    draws = np.array([100.0, 200.0, 300.0])
    parts = member_costs("CAN+USA", [_flow(4, {"USA": 3, "CAN": 1})], draws,
                         {"USA": 1e4, "CAN": 1e3})
    assert [p.member for p in parts] == ["USA", "CAN"]  # largest share first
    usa, can = parts
    assert usa.cost_usd.p50 == pytest.approx(150.0) and can.cost_usd.p50 == pytest.approx(50.0)
    assert usa.cost_usd.p50 + can.cost_usd.p50 == pytest.approx(float(np.median(draws)))
    assert usa.cost_pct_gdp is not None and usa.cost_pct_gdp.p50 == pytest.approx(1.5)
    assert can.cost_pct_gdp is not None and can.cost_pct_gdp.p50 == pytest.approx(5.0)
    text = member_cost_reason(parts)
    assert text.startswith("The coalition's cost falls on its members")
    assert "Relative to its economy Canada bears most (5.000% of its GDP)" in text
    assert member_costs("CAN+USA", [_flow(4, {"USA": 4})], draws, {})[0].cost_pct_gdp is None
