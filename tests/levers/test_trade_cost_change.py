"""The trade_cost_change kind: geolever ge's counterfactuals compiled into GravityCostChange."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from geolever.assessment import assess_levers
from geolever.core.errors import DataNotFoundError, InvalidDataError, UnknownCodeError
from geolever.effects.engines.ge_trade_cost import solve_cost_change
from geolever.levers import lever_kinds
from geolever.levers.kinds.trade_cost_change import TradeCostChange
from geolever.models.gravity import solve_ge
from geolever.models.gravity.spec import Solution
from geolever.shocks import GravityCostChange
from geolever.store import FactStore
from geolever.world import load_case
from geolever.world.gravity import gravity_baseline, read_gravity

FIX = Path(__file__).parents[1] / "fixtures" / "gravity"


def _base(sectors: bool = False):
    if sectors:
        return gravity_baseline(read_gravity(FIX / "multisector_3x2.csv", sector="sector"))
    df = read_gravity(FIX / "multisector_3x2.csv", sector="sector")
    food = df[df["sector"] == "food"].drop(columns="sector")
    return gravity_baseline(food)


def test_registered_and_validated():
    assert lever_kinds()["trade_cost_change"] is TradeCostChange
    with pytest.raises(ValidationError, match="no trade-cost change"):
        TradeCostChange()
    with pytest.raises(ValidationError, match="does not mix"):
        TradeCostChange(change=["pta=1@AAA-BBB"], embargo=["AAA:BBB"])
    with pytest.raises(ValidationError, match="change"):
        TradeCostChange(change=["no equals sign"])


def test_a_case_has_no_gravity_dataset():
    case = load_case(FactStore(), "russia-azerbaijan", year=2024)
    lever = TradeCostChange(embargo=["RUS:AZE"])
    with pytest.raises(DataNotFoundError, match="gravity dataset"):
        lever.compile(case)
    res = assess_levers(case, [lever], n_draws=100, seed=1).levers[0]
    assert res.verdict == "not assessable" and "gravity dataset" in res.missing.message


def test_embargo_and_tariff_are_iceberg_changes_on_the_observed_flows():
    base = _base()
    shock = TradeCostChange(embargo=["AAA:BBB"], tariff=["BBB-CCC=0.25"]).compile_baseline(base)
    assert isinstance(shock, GravityCostChange) and shock.sectors is None
    np.testing.assert_array_equal(shock.flows, base.flows)
    tau = np.ones((3, 3))
    tau[0, 1] = np.inf
    tau[1, 2] = tau[2, 1] = 1.25
    np.testing.assert_array_equal(shock.tau_hat, tau)
    np.testing.assert_array_equal(shock.cost_counterfactual, np.ones((3, 3)))
    assert shock.changed == 3
    # the engine solves exactly what solve_ge gives for that tau_hat
    res = solve_cost_change(shock, Solution(sigma=5.0, reference="AAA"))
    ref = solve_ge(base.flows, tau, 5.0, reference="AAA", countries=base.countries)
    np.testing.assert_allclose(res.real_gdp_pct, ref.real_gdp_pct, rtol=1e-12, atol=1e-12)
    assert res.exports_pct[0] < 0  # AAA lost its exports to BBB


def test_sector_syntax_limits_a_change_to_one_sector():
    base = _base(sectors=True)
    shock = TradeCostChange(embargo=["AAA:BBB@food"]).compile_baseline(base)
    assert shock.sectors == ("food", "manuf")
    assert np.isinf(shock.tau_hat[0, 0, 1]) and shock.tau_hat[1, 0, 1] == 1.0
    with pytest.raises(UnknownCodeError) as info:
        TradeCostChange(embargo=["AAA:BBB@fuel"]).compile_baseline(base)
    assert info.value.field == "embargo" and "food, manuf" in str(info.value.fix)


def test_errors_name_the_field_as_the_caller_spells_it():
    base = _base()
    with pytest.raises(UnknownCodeError) as info:
        TradeCostChange(embargo=["AAA:ZZZ"]).compile_baseline(base)
    assert info.value.field == "embargo"
    with pytest.raises(InvalidDataError) as info:
        TradeCostChange(tariff=["AAA:BBB=-1"]).compile_baseline(
            base, spell=lambda f: "--" + f)
    assert info.value.field == "--tariff" and "non-positive" in info.value.message
