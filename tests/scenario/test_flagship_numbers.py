"""The numbers of the flagship's own output that issue 14 found wrong, each checked here.

Every test failed on the code before the fix (commit ccb0d5a): the combined row's budget loss
of US$0, trade levers whose "% of budget" was their "% of GDP", a negative rerouting cost
and a 1e6 asymmetry placeholder, fact notes missing from the report, assumptions listed only
under the first lever, a status reason that hid the row's quality, Baku-Supsa operating with
0 Mt.
"""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from geolever.report.render import render_markdown
from geolever.scenario import ScenarioResult, load_scenario, run_scenario
from geolever.scenario.schema import Scenario


def _flagship(**update: object) -> Scenario:
    ref = resources.files("geolever.packs").joinpath("russia-azerbaijan/scenario.yaml")
    with resources.as_file(ref) as path:
        return load_scenario(path).model_copy(update={"seed": 42, "draws": 1000, **update})


@pytest.fixture(scope="module")
def run() -> ScenarioResult:
    return run_scenario(_flagship())


@pytest.fixture(scope="module")
def doc(run: ScenarioResult) -> dict:
    return json.loads(json.dumps(run.to_dict(), allow_nan=False))


def test_combined_row_sums_every_channel_of_its_levers(run: ScenarioResult) -> None:
    a = run.assessment
    combined = a.combined
    assert combined is not None
    live = [r for r in a.levers if r.id in combined.description.split(" + ")]
    target = a.case.target
    for channel in ("income_usd", "fx_usd", "budget_usd", "transit_usd"):
        want = sum(getattr(r.effects[target], channel) for r in live)
        assert np.allclose(getattr(combined.effects[target], channel), want), channel
    budget = combined.target_budget_loss_usd
    assert budget is not None and budget.p50 > 10e6  # was US$0
    parts = [r.target_budget_loss_usd.p50 for r in live if r.target_budget_loss_usd]
    assert budget.p50 == pytest.approx(sum(parts), rel=0.2)
    without = [r.id for r in live if r.target_budget_loss_usd is None]
    reason = next(x for x in combined.reasons if x.startswith("The state budget loses"))
    assert "lower bound" in reason and all(i in reason for i in without)
    assert combined.target_loss_pct_fx_earnings is not None
    assert combined.target_loss_pct_fx_earnings.p50 > 0  # was 0 too


def test_no_budget_share_that_only_repeats_the_gdp_share(doc: dict) -> None:
    rows = [*doc["levers"], doc["combined"]]
    for lv in rows:
        budget, gdp = lv["target_loss_pct_budget"], lv["target_loss_pct_gdp"]
        if budget is not None and gdp["p50"] > 0:
            assert budget["p50"] != pytest.approx(gdp["p50"], rel=1e-6), lv["id"]
    trade = [lv for lv in doc["levers"] if lv["kind"] == "trade_restriction"]
    assert trade
    for lv in trade:
        assert lv["target_loss_pct_budget"] is None and lv["target_budget_loss_usd"] is None
        assert any("budget's loss is not estimated" in r for r in lv["reasons"]), lv["id"]
    remit = next(lv for lv in doc["levers"] if lv["kind"] == "remittance_ban")
    assert remit["target_budget_loss_usd"]["p50"] > 0  # a real channel: consumption taxes


def test_rerouting_never_costs_less_than_the_route_used(run: ScenarioResult, doc: dict) -> None:
    instc = run.assessment.lever("instc")
    assert np.all(instc.sender_draws >= 0)
    assert instc.sender_cost_usd.p5 >= 0  # was -7m (p5)
    assert any("counts as 0 in those draws" in n for n in instc.notes)
    text = json.dumps(doc)
    assert "1000000.0" not in text and "100000x" not in text
    for lv in [*doc["levers"], doc["combined"]]:
        a = lv["asymmetry"]
        if a is None:
            if lv["feasible"] and lv["verdict"] not in ("not assessable",):
                assert any("No asymmetry" in n for n in lv["notes"]), lv["id"]
        else:
            assert max(a.values()) < 1e5, lv["id"]


def test_fact_notes_reach_the_report(doc: dict) -> None:
    claim = next(c for c in doc["claims"] if c["indicator"] == "remittances_share_of_budget")
    y2022 = next(y for y in claim["by_year"] if y["year"] == 2022)
    assert y2022["computed"] == pytest.approx(16.76, abs=0.01)
    assert any("treat as outlier" in n for n in y2022["fact_notes"])
    report = render_markdown(doc)
    row = next(line for line in report.splitlines() if line.startswith("| 2022 | 16.8%"))
    assert "relocants" in row and "outlier" in row


def test_every_lever_lists_the_assumptions_it_uses(run: ScenarioResult) -> None:
    params = run.assessment.case.parameters
    for lv in run.assessment.levers:
        listed = {a.parameter for a in lv.assumptions}
        driving = {d.parameter for d in lv.drivers if d.parameter in params}
        assert driving <= listed, (lv.id, driving - listed)
    wheat = run.assessment.lever("wheat_exports")
    assert {"new_market_share_commodity_1y", "import_price_premium",
            "unreplaced_import_loss_ratio"} <= {a.parameter for a in wheat.assumptions}
    ge = run.assessment.lever("industrial_goods_ge")
    assert "trade_elasticity" in {a.parameter for a in ge.assumptions}


def test_status_reason_cites_the_row_it_used(run: ScenarioResult) -> None:
    oil = run.assessment.lever("oil_transit")
    case = run.assessment.case
    status = case.latest("asset_status", "AZE", entity="BAKU_NOVOROSSIYSK")
    assert status.year == 2024 and status.quality == "estimate"
    assert not oil.feasible
    assert f"estimate for {status.year}" in oil.feasibility
    assert "last reported: suspended in 2023" in oil.feasibility


def test_an_operating_pipeline_carries_what_its_sources_say(run: ScenarioResult) -> None:
    oil = run.assessment.lever("oil_transit")
    edges = {e.id: e for e in oil.details.edges}
    supsa, novo = edges["BAKU_SUPSA"], edges["BAKU_NOVOROSSIYSK"]
    assert supsa.operating and supsa.volume_mt == pytest.approx(0.1364)  # was 0
    assert not novo.operating and novo.volume_mt == 0 and novo.volume_source == ""
    cited = {(s.label, s.year) for s in oil.sources}
    assert ("pipeline throughput BAKU_NOVOROSSIYSK", 2022) not in cited



def test_fact_notes_reach_the_claims_check_report() -> None:
    from geolever.claims import check_text
    from geolever.report.claims import render_markdown as claims_markdown

    doc = check_text("Remittances from Russia to Azerbaijan were about US$3 billion in 2022.")
    text = claims_markdown(doc.to_dict())
    line = next(ln for ln in text.splitlines() if ln.lstrip().startswith("- 2022:"))
    assert "treat as outlier" in line
