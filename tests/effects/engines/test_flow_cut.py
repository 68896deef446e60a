"""The flow-cut engine: a flow with assumed rerouting, checked against a hand calculation."""

from dataclasses import replace

import numpy as np
import pytest

from geolever.core.quantity import Quantity
from geolever.effects import compute_effects
from geolever.models.uncertainty import ParameterDraws
from geolever.shocks import CutFlow, FlowCut, FlowParameters
from geolever.store import FactStore
from geolever.world import load_case

PARAMS = FlowParameters(reroute_1y="remittance_reroute_share_1y",
                        reroute_3y="remittance_reroute_share_3y",
                        sender_cost_ratio="remittance_sender_cost_ratio",
                        income_share="export_value_added_share")


@pytest.fixture(scope="module")
def case():
    return load_case(FactStore(), "russia-azerbaijan", year=2024)


def test_parametric_flow_matches_the_formula(case):
    value = Quantity(value=100e6, unit="USD", year=2024, label="a flow", source="test")
    flow = CutFlow("services", case.sender, case.target, "", value, 0.5, None, "specific",
                   None, None, parameters=PARAMS)
    draws = ParameterDraws(case.parameters, 400, 7)
    eff = compute_effects(FlowCut((flow,), notes=("a note",)), case, draws)
    r1 = draws["remittance_reroute_share_1y"]
    lost = 100e6 * 0.5 * (1 - r1)
    assert np.allclose(eff.target.fx_usd, lost)
    assert np.allclose(eff.target.income_usd, lost * draws["export_value_added_share"])
    assert np.allclose(eff.sender.income_usd, 50e6 * draws["remittance_sender_cost_ratio"])
    assert np.allclose(eff.substitution_1y, r1)
    assert np.allclose(eff.substitution_3y, draws["remittance_reroute_share_3y"])
    # no budget_share: no fiscal channel, so no budget figure (issue 14: income times
    # revenue/GDP only repeated the share of GDP)
    assert not eff.budget_estimated and np.all(eff.target.budget_usd == 0)
    assert "only repeat its share of GDP" in eff.budget_note
    assert eff.notes[0] == "a note" and eff.engine == "flow_cut"
    assert eff.value_at_risk_usd == pytest.approx(50e6)


def test_a_derived_flow_carries_measurement_error(case):
    value = Quantity(value=100e6, unit="USD", year=2024, label="a flow", source="test",
                     quality="derived")
    flow = CutFlow("services", case.sender, case.target, "", value, 1.0, None, "specific",
                   None, None, parameters=PARAMS)
    draws = ParameterDraws(case.parameters, 400, 7)
    eff = compute_effects(FlowCut((flow,)), case, draws)
    err = draws["flow_measurement_error"]
    assert np.allclose(eff.target.fx_usd, 100e6 * err * (1 - draws["remittance_reroute_share_1y"]))
    exact = compute_effects(FlowCut((replace(flow, value=replace(value, quality="reported")),)),
                            case, ParameterDraws(case.parameters, 400, 7))
    assert not np.allclose(exact.target.fx_usd, eff.target.fx_usd)
