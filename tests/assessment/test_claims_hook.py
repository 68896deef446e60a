"""A claim "X has no leverage over Y" is judged by the leverage scale of the run (issue 19)."""

from __future__ import annotations

from geolever.scenario import parse_scenario, run_scenario

CLAIM = {"text": "Russia has no leverage over Azerbaijan", "metric": "lever_any_leverage",
         "claimed": 0.1, "unit": "pct", "comparison": "at most", "years": [2024]}


def _run(levers: list[dict]) -> dict:
    scenario = parse_scenario({"sender": "RUS", "target": "AZE", "year": 2024, "draws": 200,
                               "levers": levers, "claims": [CLAIM]})
    return run_scenario(scenario).to_dict()


def test_no_leverage_holds_when_no_lever_has_any() -> None:
    # plastics (0.05% of GDP) and the corridor (0.03%): damage none, no leverage each
    doc = _run([{"kind": "trade_restriction", "goods": ["plastics"], "direction": "imports"},
                {"kind": "corridor_exclusion", "corridor": "instc"}])
    assert {lv["verdict"] for lv in doc["levers"]} | {doc["combined"]["verdict"]} == {
        "no leverage"}
    claim = doc["claims"][0]
    assert claim["computed"] == 0.0
    assert claim["verdict"] in ("accurate", "roughly right")
    text = str(claim)
    assert "no lever has leverage" in text and "weak leverage" in text


def test_no_leverage_is_false_when_a_lever_has_weak_leverage() -> None:
    doc = _run([{"kind": "remittance_ban"}])
    lever = doc["levers"][0]
    assert lever["verdict"] == "weak leverage" and lever["damage"] == "minor"
    claim = doc["claims"][0]
    assert claim["computed"] == lever["target_loss_pct_gdp"]["p50"]
    assert claim["verdict"] in ("false", "misleading")
    assert "damage minor (weak leverage)" in str(claim)
