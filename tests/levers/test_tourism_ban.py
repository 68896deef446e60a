"""tourism_ban: the sender stops its residents' tourism to the target (flagship pack figures)."""

import numpy as np
import pytest
from pydantic import ValidationError

from geolever.assessment import assess_levers
from geolever.levers import lever_kinds
from geolever.levers.kinds.expert_judgement import ExpertJudgement
from geolever.levers.kinds.tourism_ban import TourismBan
from geolever.models.uncertainty import ParameterDraws
from geolever.scenario import parse_scenario
from geolever.store import FactStore
from geolever.world import load_case

#: The pack's sourced figures for 2023 (facts.csv): CBA tourism exports, visitor arrivals.
RECEIPTS_USD, FROM_RUS, ALL_VISITORS = 1_492_155_000.0, 625_106.0, 2_086_000.0


@pytest.fixture(scope="module")
def store():
    return FactStore()


def test_it_is_a_registered_kind_read_from_a_scenario():
    assert lever_kinds()["tourism_ban"] is TourismBan
    scenario = parse_scenario({"sender": "RUS", "target": "AZE",
                               "levers": [{"kind": "tourism_ban", "share": 0.5}]})
    assert isinstance(scenario.levers[0], TourismBan) and scenario.levers[0].share == 0.5
    with pytest.raises(ValidationError):
        TourismBan(share=0)
    with pytest.raises(ValidationError):
        TourismBan.model_validate({"share": 1, "visitors": 3})


def test_receipts_at_risk_and_the_losses_follow_the_pack_figures(store):
    case = load_case(store, "russia-azerbaijan", year=2024)
    n, seed = 500, 3
    res = assess_levers(case, [TourismBan()], n_draws=n, seed=seed).levers[0]
    flow = RECEIPTS_USD * FROM_RUS / ALL_VISITORS  # about US$447m in 2023
    assert res.flow_at_risk_usd == pytest.approx(flow, rel=1e-12)
    assert res.flow_at_risk_pct["gdp"] == pytest.approx(
        100 * flow / case.gdp_usd("AZE").value, rel=1e-12)
    assert res.engine == "flow_cut" and res.verdict != "not assessable"
    draws = ParameterDraws(case.parameters, n, seed)
    value = flow * draws["flow_measurement_error"]  # a derived flow carries measurement error
    lost = value * (1 - draws["tourism_reroute_share_1y"])
    assert np.allclose(res.effects["AZE"].fx_usd, lost)
    assert np.allclose(res.target_draws, lost * draws["tourism_value_added_share"])
    assert np.allclose(res.sender_draws, value * draws["tourism_sender_cost_ratio"])
    assert res.substitution_1y is not None and res.substitution_3y is not None
    assert res.substitution_1y.p50 == pytest.approx(
        float(np.median(draws["tourism_reroute_share_1y"])))
    assert res.substitution_3y.p50 > res.substitution_1y.p50
    text = " ".join(res.reasons + res.notes)
    assert "sources of tourism" in text  # RUS share of arrivals, with its HHI
    assert "2023" in text and "assumption" in text
    used = {a.parameter for a in res.assumptions}
    assert {"tourism_reroute_share_1y", "tourism_sender_cost_ratio",
            "tourism_value_added_share"} <= used
    sources = " ".join(s.source for s in res.sources)
    assert "Central Bank of Azerbaijan" in sources and "State Tourism Agency" in sources


def test_a_pair_without_tourism_data_is_not_assessable_and_the_rest_runs(store):
    case = load_case(store, "russia-azerbaijan", year=2023, sender="RUS", target="TUR")
    pressure = ExpertJudgement(name="pressure", likelihood=(0.1, 0.3), elicited_by="a test",
                               target_impact_pct_gdp=(0.0, 0.1, 0.4),
                               rationale="a judgement for the test")
    out = assess_levers(case, [TourismBan(), pressure], n_draws=100)
    tourism = out.levers[0]
    assert out.levers[1].verdict != "not assessable"
    assert tourism.verdict == "not assessable"
    assert tourism.missing is not None and "tourism_receipts" in tourism.missing.message
    assert "add a sourced fact" in (tourism.missing.fix or "")
