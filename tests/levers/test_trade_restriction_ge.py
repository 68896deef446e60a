"""The case's world trade matrix and the general-equilibrium model behind TradeRestriction."""

import numpy as np
import pytest

from geolever.assessment import assess_levers
from geolever.levers.kinds.trade_restriction import TradeRestriction
from geolever.models.gravity import cost_factor, solve_ge
from geolever.store import FactStore
from geolever.world import load_case
from geolever.world.trade import _ras, domestic_from_gdp, trade_matrix

REGIONS = ["AZE", "RUS", "TUR", "GEO", "CHN", "EU27", "USA"]


@pytest.fixture(scope="module")
def case():
    return load_case(FactStore(), "russia-azerbaijan", year=2024)


@pytest.fixture(scope="module")
def matrix(case):
    return trade_matrix(case, REGIONS, 2023)


def test_matrix_matches_the_sourced_totals_and_cells(case, matrix):
    assert matrix.regions == (*REGIONS, "ROW")
    flows = matrix.flows
    assert np.all(flows >= 0) and np.all(np.diag(flows) == 0)
    for i, r in enumerate(REGIONS):
        total_x = case.quantity("exports", r, partner="WLD", product="TOTAL", year=2023,
                                unit="USD").value
        total_m = case.quantity("imports", r, partner="WLD", product="TOTAL", year=2023,
                                unit="USD").value
        assert flows[i].sum() == pytest.approx(total_x, rel=1e-8)
        assert flows[:, i].sum() == pytest.approx(total_m, rel=1e-8)
    a, r = matrix.index("AZE"), matrix.index("RUS")
    assert flows[a, r] == pytest.approx(1.2e9)  # State Customs Committee via Eurasianet
    assert flows[r, a] == pytest.approx(3.2e9)  # mirror: AZE-reported imports
    assert matrix.provenance[a, r].startswith("reported")
    assert matrix.provenance[r, a].startswith("mirror")
    assert matrix.provenance[a, matrix.index("CHN")].startswith("filled")
    # ROW's GDP is the world's minus the named regions'
    assert matrix.gdp[-1] == pytest.approx(case.gdp_usd("WLD", 2023).value
                                           - matrix.gdp[:-1].sum())


def test_ras_matches_margins_by_hand():
    seed = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 0.0]])
    out = _ras(seed, np.array([4.0, 2.0]), np.array([3.0, 3.0]))
    assert out[:2].sum(axis=1) == pytest.approx([4.0, 2.0])
    assert out[:, :2].sum(axis=0) == pytest.approx([3.0, 3.0])
    assert out[0, 0] == 0.0 and out[1, 1] == 0.0


def test_ge_lever_equals_a_direct_solve(matrix):
    case = load_case(FactStore(), "russia-azerbaijan", year=2024)
    fixed = case.parameters["trade_elasticity"].model_copy(
        update={"distribution": "fixed", "low": 5.0, "high": 5.0, "mode": 5.0})
    case.parameters = {**case.parameters, "trade_elasticity": fixed}
    lever = TradeRestriction(goods=["TOTAL"], direction="imports", model="ge")
    res = assess_levers(case, [lever], n_draws=100).levers[0]
    flows = matrix.flows.copy()
    dom, _ = domestic_from_gdp(flows.sum(axis=1), matrix.gdp)
    flows += np.diag(dom)
    restricted = np.zeros_like(flows)
    a, r = matrix.index("AZE"), matrix.index("RUS")
    restricted[a, r] = 1.0
    tau = np.where(restricted > 0, cost_factor(restricted, 6.0, None), 1.0)
    direct = solve_ge(flows, tau, 6.0, countries=matrix.regions)
    assert np.isinf(tau[a, r])
    assert res.target_loss_pct_gdp.p50 == pytest.approx(-direct.real_gdp_pct[a], rel=1e-9)
    assert res.sender_cost_pct_gdp.p50 == pytest.approx(-direct.real_gdp_pct[r], rel=1e-9)
    assert res.details.ge_residual < 1e-9
    assert res.target_loss_usd.p50 > 0  # losing its Russian market costs Azerbaijan
    third = res.third_countries_loss_usd
    assert set(third) == {"TUR", "GEO", "CHN", "EU27", "USA"}


def test_ge_bigger_restriction_hurts_more(case):
    food = TradeRestriction(goods=["food"], direction="imports", model="ge")
    total = TradeRestriction(goods=["TOTAL"], direction="imports", model="ge")
    res = assess_levers(case, [food, total], n_draws=300, seed=4).levers
    assert np.all(res[1].target_draws >= res[0].target_draws - 1e-6)
    assert res[0].target_loss_usd.p50 > 0


def test_alternative_model_is_left_out_of_the_total(case):
    pe = TradeRestriction(id="food", goods=["food"], direction="imports")
    ge = TradeRestriction(id="food_ge", goods=["food"], direction="imports", model="ge",
                          alternative_to="food")
    wheat = TradeRestriction(id="wheat", goods=["wheat"], direction="exports")
    out = assess_levers(case, [pe, ge, wheat], n_draws=200, seed=1)
    assert out.combined is not None
    expected = out.levers[0].target_draws + out.levers[2].target_draws
    assert np.allclose(out.combined.target_draws, expected)
