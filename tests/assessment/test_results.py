"""Typed, labelled results: summary(), to_frame(), per-draw frames and the result.json schema."""

import numpy as np
import pytest

from geolever.assessment import Assumption, Band, Source, assess_levers
from geolever.effects import engines
from geolever.effects.engines.flow_cut import FlowCutDetails
from geolever.effects.engines.rerouting import ReroutingDetails
from geolever.levers.kinds.remittance_ban import RemittanceBan
from geolever.levers.kinds.trade_restriction import TradeRestriction
from geolever.levers.kinds.transit_block import TransitBlock
from geolever.scenario import ResultDocument, parse_scenario, result_schema, run_scenario
from geolever.store import FactStore
from geolever.world import load_case


@pytest.fixture(scope="module")
def assessment():
    case = load_case(FactStore(), "russia-azerbaijan", year=2024)
    levers = [RemittanceBan(id="remit"), TradeRestriction(id="food", goods=["food"],
                                                          direction="imports"),
              TransitBlock(id="bn", asset="BAKU_NOVOROSSIYSK")]
    return assess_levers(case, levers, n_draws=300, seed=3)


def test_band_is_typed_with_a_summary_and_a_frame():
    band = Band.of(np.arange(101, dtype=float))
    assert (band.p5, band.p50, band.p95) == (5.0, 50.0, 95.0)
    frame = band.to_frame("x", "US$")
    assert list(frame.columns) == ["measure", "unit", "p5", "p50", "p95"]
    assert "50 [5 - 95] US$" in band.summary("x", "US$")


def test_lever_frame_and_summary_carry_the_bands(assessment):
    remit = assessment.lever("remit")
    frame = remit.to_frame()
    row = frame.set_index("measure").loc["target_loss_usd"]
    assert row["p50"] == remit.target_loss_usd.p50 and row["unit"] == "US$/yr"
    assert set(frame["lever"]) == {"remit"}
    text = remit.summary()
    assert "Verdict:" in text and remit.verdict in text and "flow_cut" in text
    assert f"{remit.target_loss_pct_gdp.p50:.4g}" in text


def test_per_draw_effects_are_labelled_by_lever_country_and_draw(assessment):
    frame = assessment.draws_frame()
    assert frame.index.names == ["lever", "country", "draw"]
    assert list(frame.columns) == ["income_usd", "fx_usd", "budget_usd", "transit_usd"]
    remit = assessment.lever("remit")
    aze = frame.loc[("remit", "AZE")]["income_usd"].to_numpy()
    assert np.array_equal(aze, remit.target_draws) and len(aze) == 300
    assert np.array_equal(frame.loc[("remit", "RUS")]["income_usd"].to_numpy(),
                          remit.sender_draws)
    # the combined row is the sum of the live levers, draw by draw
    combined = frame.loc[("combined", "AZE")]["income_usd"].to_numpy()
    live = [r for r in assessment.levers if r.feasible]
    assert np.allclose(combined, sum(r.target_draws for r in live))
    tidy = assessment.to_frame()
    assert {"remit", "food", "bn", "combined"} == set(tidy["lever"])
    assert "remit" in assessment.summary() and "combined" in assessment.summary()


def test_result_json_is_generated_from_the_typed_result_and_matches_its_schema():
    scenario = parse_scenario({"sender": "RUS", "target": "AZE", "year": 2024, "draws": 200,
                               "levers": [{"kind": "remittance_ban"},
                                          {"kind": "transit_block",
                                           "asset": "BAKU_NOVOROSSIYSK"}]})
    doc = run_scenario(scenario).to_dict()
    schema = result_schema()
    assert set(doc) == set(schema["properties"]) and set(schema["required"]) <= set(doc)
    lever_schema = schema["$defs"]["LeverAssessment"]
    for lever in doc["levers"]:
        assert set(lever) == set(lever_schema["properties"])
    assert "target_loss_pct_fx_earnings" in lever_schema["properties"]
    # the document reads back into the typed model and dumps to the same JSON
    again = ResultDocument.model_validate(doc).model_dump(mode="json", by_alias=True)
    assert again == doc
    # details, sources and assumptions are typed models in the schema, not free-form objects
    defs = schema["$defs"]
    details = lever_schema["properties"]["details"]["anyOf"][0]
    assert details["discriminator"]["propertyName"] == "engine"
    assert set(details["discriminator"]["mapping"]) == {
        e.name for e in engines() if e.details is not None}
    for lever in doc["levers"]:
        model = details["discriminator"]["mapping"][lever["details"]["engine"]].split("/")[-1]
        assert lever["details"]["engine"] == lever["engine"]
        assert set(lever["details"]) == set(defs[model]["properties"])
        assert lever["sources"] and lever["assumptions"]
        for key, item in (("sources", "Source"), ("assumptions", "Assumption")):
            assert lever_schema["properties"][key]["items"] == {"$ref": f"#/$defs/{item}"}
            for entry in lever[key]:
                assert set(entry) == set(defs[item]["properties"])
    assert set(doc["denominators"]["target_gdp"]) == set(defs["Source"]["properties"])


def test_the_typed_result_holds_typed_details_sources_and_assumptions(assessment):
    remit, food, bn = assessment.levers
    assert isinstance(remit.details, FlowCutDetails) and isinstance(food.details, FlowCutDetails)
    flow = remit.details.flows[0]
    assert (flow.origin, flow.destination, flow.channel) == ("RUS", "AZE", "remittances")
    # the flow's JSON keeps the field names the report and dashboard read ("from", "to")
    assert {"from", "to"} <= set(remit.to_dict()["details"]["flows"][0])
    assert isinstance(bn.details, ReroutingDetails) and bn.details.blocked_mt is None
    assert all(isinstance(s, Source) for s in remit.sources)
    assert all(isinstance(a, Assumption) and a.basis in ("assumption", "sourced")
               for a in remit.assumptions)
    gdp = next(s for s in remit.sources if s.label.startswith("GDP"))
    assert gdp.unit == "USD" and gdp.year == 2024 and gdp.source
