"""The trade_cost_change kind: geolever ge's counterfactuals compiled into GravityCostChange."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from geolever.assessment import assess_levers
from geolever.core.errors import DataNotFoundError, InvalidDataError, UnknownCodeError
from geolever.core.gravity_spec import Solution
from geolever.effects.engines.ge_trade_cost import solve_cost_change, solve_estimated_change
from geolever.levers import lever_kinds
from geolever.levers.kinds.trade_cost_change import TradeCostChange
from geolever.levers.kinds.trade_restriction import TradeRestriction
from geolever.models.gravity import solve_ge
from geolever.shocks import GravityCostChange
from geolever.store import FactStore
from geolever.world import case_from_store, load_case
from geolever.world.gravity import gravity_baseline, read_gravity
from geolever.world.trade import case_world_matrix, domestic_from_gdp

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


@pytest.fixture(scope="module")
def flagship():
    return load_case(FactStore(), "russia-azerbaijan", year=2024)


def _fixed_elasticity(case, value: float):
    """The case with its trade elasticity fixed at ``value`` (sigma = 1 + value)."""
    fixed = case.parameters["trade_elasticity"].model_copy(
        update={"distribution": "fixed", "low": value, "high": value, "mode": value})
    case.parameters = {**case.parameters, "trade_elasticity": fixed}
    return case


def test_a_stated_tariff_on_the_case_world_equals_a_direct_solve():
    case = _fixed_elasticity(load_case(FactStore(), "russia-azerbaijan", year=2024), 5.0)
    lever = TradeCostChange(tariff=["AZE:RUS=0.2"], embargo=["GEO:RUS"])
    res = assess_levers(case, [lever], n_draws=50).levers[0]
    matrix = case_world_matrix(case)
    flows = matrix.flows.copy()
    dom, _ = domestic_from_gdp(flows.sum(axis=1), matrix.gdp)
    flows += np.diag(dom)
    tau = np.ones_like(flows)
    a, r, g = (matrix.index(c) for c in ("AZE", "RUS", "GEO"))
    tau[a, r], tau[g, r] = 1.2, np.inf
    direct = solve_ge(flows, tau, 6.0, countries=matrix.regions)
    assert res.target_loss_pct_gdp.p50 == pytest.approx(-direct.real_gdp_pct[a], rel=1e-9)
    assert res.sender_cost_pct_gdp.p50 == pytest.approx(-direct.real_gdp_pct[r], rel=1e-9)
    gdp_aze = case.gdp_usd("AZE").value
    assert res.target_loss_usd.p50 == pytest.approx(-direct.real_gdp_pct[a] / 100 * gdp_aze,
                                                    rel=1e-9)
    geo = res.third_countries_loss_usd["GEO"].p50
    assert geo == pytest.approx(-direct.real_gdp_pct[g] / 100 * matrix.gdp[g], rel=1e-9)
    assert geo > 0  # Georgia loses its Russian market
    assert res.feasible and res.flow_at_risk_usd == pytest.approx(
        matrix.flows[a, r] + matrix.flows[g, r])
    assert res.sources and {a.name for a in res.assumptions} >= {"trade_elasticity"}
    assert any("AZE->RUS x1.2" in n and "GEO->RUS embargo" in n for n in res.notes)


@pytest.mark.parametrize(("stated", "restriction"), [
    ({"tariff": ["AZE:RUS=0.2"]},
     {"direction": "imports", "measure": "tariff", "tariff_pct": 20}),
    ({"tariff": ["AZE-RUS=0.35"]},
     {"direction": "both", "measure": "tariff", "tariff_pct": 35}),
    ({"embargo": ["RUS:AZE"]}, {"direction": "exports"}),
])
def test_a_stated_change_equals_the_trade_restriction_ge_equivalent(flagship, stated,
                                                                    restriction):
    lever = TradeCostChange(**stated)
    same = TradeRestriction(goods=["TOTAL"], model="ge", **restriction)
    got, ref = assess_levers(flagship, [lever, same], n_draws=400, seed=3).levers
    for mine, theirs in ((got.target_draws, ref.target_draws),
                         (got.sender_draws, ref.sender_draws)):
        np.testing.assert_allclose(mine, theirs, rtol=1e-9, atol=0)
    assert set(got.third_countries_loss_usd) == set(ref.third_countries_loss_usd)
    for c, band in got.third_countries_loss_usd.items():
        assert band.p50 == pytest.approx(ref.third_countries_loss_usd[c].p50, rel=1e-9)
    assert got.verdict == ref.verdict and got.flow_at_risk_usd == ref.flow_at_risk_usd
    assert got.substitution_3y.p50 == pytest.approx(ref.substitution_3y.p50, rel=1e-9)


def test_a_link_between_third_countries_moves_the_pair_a_little(flagship):
    res = assess_levers(flagship, [TradeCostChange(tariff=["TUR-CHN=0.5"])], n_draws=100,
                        seed=1).levers[0]
    assert res.feasible and res.verdict == "no leverage"
    assert res.substitution_3y is None  # no link of the target changes
    assert abs(res.target_loss_pct_gdp.p50) < 0.05
    assert res.third_countries_loss_usd["TUR"].p50 > 0  # Turkey pays most


def test_regions_outside_the_case_world_are_named(flagship):
    with pytest.raises(UnknownCodeError) as info:
        TradeCostChange(tariff=["AZE:KAZ=0.1"]).compile(flagship)
    assert info.value.field == "tariff" and "'KAZ'" in info.value.message
    assert "AZE, RUS, TUR" in info.value.fix and "ge_world" in info.value.fix
    with pytest.raises(InvalidDataError) as info:
        TradeCostChange(embargo=["RUS:AZE@food"]).compile(flagship)
    assert info.value.field == "embargo" and "trade_restriction" in info.value.fix


def test_what_needs_a_gravity_dataset_is_not_assessable(flagship, pair_datasets_store):
    lever = TradeCostChange(pta=["RUS-AZE"])
    res = assess_levers(flagship, [lever], n_draws=50, seed=1).levers[0]
    assert res.verdict == "not assessable" and res.missing.field == "pta"
    assert "gravity dataset" in res.missing.message and "geolever ge" in res.missing.fix
    with pytest.raises(DataNotFoundError, match="regressors") as info:
        TradeCostChange(change=["RTA=0@AZE-RUS"]).compile(flagship)
    assert info.value.field == "change"
    with FactStore(pair_datasets_store()) as store:  # WDI and KNOMAD: no goods totals
        case = case_from_store(store, "RUS", "AZE", 2021)
        res = assess_levers(case, [TradeCostChange(embargo=["RUS:AZE"])], n_draws=50,
                            seed=1).levers[0]
    assert res.verdict == "not assessable"
    assert "neither a gravity dataset nor a world trade matrix" in res.missing.message
    assert "geolever data import dots" in res.missing.fix


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
    res = solve_cost_change(shock, Solution(sigma=5.0, reference="AAA")).result
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


#: IMF DOTS workbooks of Russia, Azerbaijan and Azerbaijan's five largest partners in 2020
#: (Italy, Turkey, China, Germany, Ukraine): the world matrix of a case from the datasets.
DOTS_BOOKS = ("DOTS_162.xlsx", "DOTS_13.xlsx", "DOTS_99.xlsx", "DOTS_200.xlsx", "DOTS_40.xlsx",
              "DOTS_77.xlsx", "DOTS_205.xlsx")


def test_a_pair_from_the_datasets_gets_its_world_matrix_from_dots(pair_datasets_store,
                                                                   shared_data):
    from geolever.cli.data_sources import import_source

    with FactStore(pair_datasets_store()) as store:
        for name in DOTS_BOOKS:
            import_source("dots", shared_data / "imf-dots" / name, store,
                          options={"dataset": f"imf:dots:{name}"})
        case = _fixed_elasticity(case_from_store(store, "RUS", "AZE", 2020), 4.0)
        assert case.meta["ge_world"]["regions"] == ["RUS", "AZE", "ITA", "TUR", "CHN", "DEU",
                                                    "UKR"]
        stated = TradeCostChange(tariff=["AZE-RUS=0.25"], embargo=["RUS:UKR"])
        tariff = TradeCostChange(tariff=["RUS:AZE=0.4"])
        same = TradeRestriction(goods=["TOTAL"], direction="exports", measure="tariff",
                                tariff_pct=40, model="ge")
        got, one, ref = assess_levers(case, [stated, tariff, same], n_draws=50).levers
        matrix = case_world_matrix(case)
    assert matrix.year == 2020 and matrix.regions[-1] == "ROW"
    flows = matrix.flows.copy()
    dom, _ = domestic_from_gdp(flows.sum(axis=1), matrix.gdp)
    flows += np.diag(dom)
    r, a, u = (matrix.index(c) for c in ("RUS", "AZE", "UKR"))
    tau = np.ones_like(flows)
    tau[a, r] = tau[r, a] = 1.25
    tau[r, u] = np.inf
    direct = solve_ge(flows, tau, 5.0, countries=matrix.regions)
    assert got.target_loss_pct_gdp.p50 == pytest.approx(-direct.real_gdp_pct[a], rel=1e-9)
    assert got.sender_cost_pct_gdp.p50 == pytest.approx(-direct.real_gdp_pct[r], rel=1e-9)
    ukr = got.third_countries_loss_usd["UKR"].p50
    assert ukr == pytest.approx(-direct.real_gdp_pct[u] / 100 * matrix.gdp[u], rel=1e-9)
    assert ukr > 0 and got.sender_cost_usd.p50 > 0
    assert any("DOTS" in s.source for s in got.sources)
    np.testing.assert_allclose(one.target_draws, ref.target_draws, rtol=1e-9, atol=0)
    np.testing.assert_allclose(one.sender_draws, ref.sender_draws, rtol=1e-9, atol=0)


def test_the_form_takes_one_change_per_line():
    """A change entry holds commas (RTA=0@CAN-USA,CAN-MEX): the schema tells the form."""
    from geolever.scenario import Scenario

    defs = Scenario.model_json_schema()["$defs"]
    props = defs["TradeCostChange"]["properties"]
    assert props["change"].get("x-one-per-line") is True
    assert "x-one-per-line" not in props["tariff"]  # the others stay comma-separated
    assert TradeCostChange(change=["RTA=0@CAN-USA,CAN-MEX"]).changes()[0].pairs


def test_an_agreement_compiles_into_data_the_engine_estimates(shared_data):
    """Issue 11: the kind only locates the links; the GE engine runs the PPML."""
    from geolever.models.gravity.estimation import estimate_ppml
    from geolever.shocks import AgreementChange

    base = gravity_baseline(read_gravity(shared_data / "gravity" / "sample_data_set.dlm"))
    costs = ["lndist", "contiguity", "common_language", "international"]
    lever = TradeCostChange(pta=["CAN-JPN", "USA:JPN", "CAN-JPN"], costs=costs)
    shock = lever.compile_baseline(base)
    ag = shock.agreements
    assert isinstance(ag, AgreementChange) and ag.variable == "pta"
    assert ag.regressors == (*costs, "pta") and ag.fixed_effects == "exporter + importer"
    c, j, u = (base.countries.index(k) for k in ("CAN", "JPN", "USA"))
    np.testing.assert_array_equal(ag.links[:, 1:], [[c, j], [j, c], [u, j], [c, j], [j, c]])
    np.testing.assert_array_equal(ag.gain, np.ones(5))  # none of them has an agreement
    np.testing.assert_array_equal(shock.cost_counterfactual, np.ones_like(base.flows))
    assert shock.changed == 3  # CAN->JPN, JPN->CAN, USA->JPN
    notes: list[str] = []
    sol = solve_cost_change(shock, Solution(sigma=5.0, reference="DEU"), note=notes.append)
    b = float(estimate_ppml(base.rows(), [*costs, "pta"],
                            fixed_effects="exporter + importer").coef["pta"])
    assert b > 0 and notes == [f"PPML coefficient of pta: {b:.4f}"]
    assert sol.coefficients is not None and sol.coefficients["coef"].tolist() == [b]
    expected = np.ones_like(base.flows)
    expected[c, j] = expected[j, c] = np.exp(b) * np.exp(b)  # CAN-JPN named twice
    expected[u, j] = np.exp(b)
    np.testing.assert_array_equal(sol.cost_counterfactual, expected)
    ref = solve_ge(base.flows, expected ** (1 / (1 - 5.0)), 5.0, reference="DEU",
                   countries=base.countries, closure="proportional")
    np.testing.assert_allclose(sol.result.real_gdp_pct, ref.real_gdp_pct, rtol=1e-12,
                               atol=1e-12)


def test_an_agreement_whose_coefficient_is_negative_fails_in_the_engine():
    """Compiling runs no regression; the engine's error names the caller's options."""
    base = _base()  # food: the agreement pairs trade less than their distance predicts
    shock = TradeCostChange(pta=["AAA-BBB"], costs=["lndist"]).compile_baseline(
        base, spell=lambda f: "--" + f.replace("_", "-"))
    assert shock.agreements is not None and shock.agreements.options["pta"] == "--pta"
    with pytest.raises(InvalidDataError) as info:
        solve_cost_change(shock, Solution(sigma=5.0, reference="AAA"))
    assert info.value.field == "--pta" and "-0.0770 <= 0" in info.value.message
    assert "--costs" in info.value.fix and "--tariff" in info.value.fix
    with pytest.raises(InvalidDataError, match="already has the agreement"):
        TradeCostChange(pta=["AAA-CCC"]).compile_baseline(base)  # no regression needed


def test_a_replication_compiles_into_the_data_and_the_regression(shared_data):
    """The kind hands the engine the data, the regression and the changes, nothing estimated."""
    from geolever.core.gravity_spec import Baseline, Estimation
    from geolever.shocks import GravityEstimatedChange

    df = read_gravity(shared_data / "gravity" / "1_TradeWithoutBorder.dta",
                      rename={"ZZZ": "DEU"})
    est = Estimation(formula="trade ~ log(DIST) + CNTG + INTL_BRDR")
    lever = TradeCostChange(change=["INTL_BRDR=0"])
    shock = lever.compile_estimated(df, est, Baseline(), reference="DEU")
    assert isinstance(shock, GravityEstimatedChange) and shock.data is df
    assert shock.changes == tuple(lever.changes()) and shock.reference == "DEU"
    steps: list[str] = []
    sol = solve_estimated_change(shock, Solution(sigma=7.0, reference="DEU"),
                                 on_step=steps.append)
    assert steps == ["estimate PPML", "trade costs", "solve"]
    assert sol.coefficients is not None and list(sol.coefficients["term"]) == [
        "log(DIST)", "CNTG", "INTL_BRDR"]
    assert sol.year == 2006 and sol.changed == sol.observed.size - len(sol.countries)
    assert float(np.max(sol.result.residual)) < 1e-9
