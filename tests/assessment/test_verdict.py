import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geolever.assessment import assess_levers, classify
from geolever.core.errors import DataNotFoundError, UnknownCodeError
from geolever.levers.kinds.corridor_exclusion import CorridorExclusion
from geolever.levers.kinds.expert_judgement import ExpertJudgement
from geolever.levers.kinds.remittance_ban import RemittanceBan
from geolever.levers.kinds.trade_restriction import TradeRestriction
from geolever.levers.kinds.transit_block import TransitBlock
from geolever.store import FactStore
from geolever.world import load_case


@pytest.fixture(scope="module")
def store():
    return FactStore(":memory:")


def fixed(case):
    """Every uncertain parameter fixed at its central value: results become hand-computable."""
    case.parameters = {
        k: p.model_copy(update={"distribution": "fixed", "low": p.central, "high": p.central,
                                "mode": p.central})
        for k, p in case.parameters.items()
    }
    return case


@pytest.fixture
def case(store):
    return fixed(load_case(store, "russia-azerbaijan", year=2024))


def test_verdict_thresholds():
    # leverage scale (reference/verdict_scales.yaml), worked by hand
    assert classify(False, 5.0, 0.0) == "infeasible"
    assert classify(True, 5.0, 0.0, assessable=False) == "not assessable"
    assert classify(True, 0.05, 0.0) == "no leverage"          # damage none (< 0.1%)
    assert classify(True, 0.3, 0.5) == "backfires"             # sender 0.5% >= target 0.3%
    assert classify(True, 0.3, 0.3) == "backfires"
    assert classify(True, 0.3, 0.01) == "weak leverage"        # minor, asymmetry 30
    # material (0.6%) -> moderate; sender 0.2% >= 0.1% of its GDP and asymmetry 3 -> one step
    assert classify(True, 0.6, 0.2) == "weak leverage"
    assert classify(True, 0.6, 0.01) == "moderate leverage"    # asymmetry 60, cheap
    assert classify(True, 2.0, 0.01) == "strong leverage"      # severe from 2%
    assert classify(True, 1.99, 0.01) == "moderate leverage"
    # asymmetry 2.5 < 3 and sender cost 0.8% >= 0.1%: two steps down from strong
    assert classify(True, 2.0, 0.8) == "weak leverage"
    # routing around within three years: >= 50% one step down, >= 90% no leverage
    assert classify(True, 2.5, 0.01, routed_around_3y=0.5) == "moderate leverage"
    assert classify(True, 2.5, 0.01, routed_around_3y=0.49) == "strong leverage"
    assert classify(True, 2.5, 0.01, routed_around_3y=0.9) == "no leverage"
    assert classify(True, 0.3, 0.01, routed_around_3y=0.6) == "weak leverage"  # floor


def test_damage_scale_by_hand():
    from geolever.assessment import DAMAGE_WORDS, damage_word, scales

    assert DAMAGE_WORDS == ("none", "minor", "material", "severe")
    cases = {-1.0: "none", 0.0: "none", 0.0999: "none", 0.1: "minor", 0.4999: "minor",
             0.5: "material", 1.99: "material", 2.0: "severe", 12.0: "severe"}
    for pct, word in cases.items():
        assert damage_word(pct) == word, pct
    assert [scales().threshold(w) for w in DAMAGE_WORDS] == [0.0, 0.1, 0.5, 2.0]


def test_scales_are_one_data_file():
    """The thresholds come from reference/verdict_scales.yaml, not from the code."""
    from importlib import resources

    import yaml

    from geolever.assessment.scales import _parse

    raw = yaml.safe_load(resources.files("geolever.reference").joinpath(
        "verdict_scales.yaml").read_text("utf-8"))
    raw["damage"]["levels"][1]["from"] = 0.3   # a file with another 'minor' line
    sc = _parse(raw)
    assert sc.threshold("minor") == 0.3
    raw["damage"]["levels"][1]["from"] = 5.0   # not ascending: refused
    with pytest.raises(ValueError, match="ascend"):
        _parse(raw)


def test_remittance_ban_by_hand(case):
    res = assess_levers(case, [RemittanceBan()], n_draws=200).levers[0]
    flow = case.quantity("remittances_received", "AZE", partner="RUS", unit="USD",
                         allow_partial=True, measures=["money_transfer_systems"])
    assert flow.annualised and flow.value == pytest.approx(2 * 287.05e6, rel=1e-3)
    expected = flow.value * (1 - 0.4)  # reroute share 0.4 (central), measurement error 1.0
    assert res.target_loss_usd.p50 == pytest.approx(expected)
    assert res.target_loss_usd.p5 == pytest.approx(expected)  # no uncertainty left
    gdp = case.gdp_usd("AZE").value
    assert res.target_loss_pct_gdp.p50 == pytest.approx(100 * expected / gdp)
    assert res.target_budget_loss_usd.p50 == pytest.approx(expected * 0.10)  # consumption tax
    assert res.sender_cost_usd.p50 == pytest.approx(flow.value * 0.1)
    # 0.44% of GDP: damage minor -> weak leverage (61% routed around is a step, floored)
    assert res.damage == "minor" and res.sender_damage == "none"
    assert res.verdict == "weak leverage"
    assert any("household income" in n for n in res.notes)
    # exposure: the whole flow is at risk; Russia's share of all remittances (same H1 2024
    # money-transfer series: 287.05 of 567.8 US$m) gives the concentration bounds
    assert res.flow_at_risk_usd == pytest.approx(flow.value)
    assert res.flow_at_risk_pct["gdp"] == pytest.approx(100 * flow.value / gdp)
    share = res.details.flows[0].sender_share_of_target_trade
    assert share == pytest.approx(287.05 / 567.8, rel=1e-6)
    assert res.details.flows[0].hhi_bounds == pytest.approx(
        [1e4 * share**2, 1e4 * (share**2 + (1 - share) ** 2)])
    assert any("it is not budget revenue" in r for r in res.reasons)


def test_food_import_embargo_by_hand(case):
    res = assess_levers(case, [TradeRestriction(goods=["food"], direction="imports")],
                        n_draws=100).levers[0]
    flows = res.details.flows
    assert {f.product for f in flows} == {"food"}
    value = flows[0].value_usd
    # tomatoes 168.7 + exotic fruit 153.4 + stone fruit 97.1 + nuts 70.2 (2024, US$m)
    assert value == pytest.approx((168.7 + 153.4 + 97.1 + 70.2) * 1e6, rel=1e-6)
    s = flows[0].origin_share
    assert s is not None and 0.5 < s < 1
    replaced = min(1.0, (1 - s) / s * 0.3 + 0.1)  # specific product, 1-year horizon
    expected = value * ((1 - replaced) * 0.65 + replaced * 0.10)
    assert res.target_loss_usd.p50 == pytest.approx(expected, rel=1e-9)
    assert res.substitution_1y.p50 == pytest.approx(replaced)


def test_transit_block_of_an_idle_pipeline_is_infeasible(case):
    res = assess_levers(case, [TransitBlock(asset="BAKU_NOVOROSSIYSK")], n_draws=100).levers[0]
    assert res.verdict == "infeasible"
    assert "suspended" in res.feasibility
    assert res.target_loss_usd.p95 == 0.0


def test_transit_block_when_the_pipeline_ran(store):
    case2021 = fixed(load_case(store, "russia-azerbaijan", year=2021))
    res = assess_levers(case2021, [TransitBlock(asset="BAKU_NOVOROSSIYSK")], n_draws=50).levers[0]
    assert res.feasible
    assert res.details.unserved_mt == pytest.approx(0.0)  # BTC has spare capacity
    assert res.details.delivered_mt == pytest.approx(res.details.blocked_mt)
    # Russia loses the transit tariff on what no longer flows through it
    tariff = case2021.latest("transit_tariff", "", entity="BAKU_NOVOROSSIYSK").value
    assert res.sender_cost_usd.p50 == pytest.approx(res.details.blocked_mt * 1e6 * tariff,
                                                    rel=1e-6)


def test_corridor_exclusion_moves_transit_revenue(case):
    res = assess_levers(case, [CorridorExclusion(corridor="instc")], n_draws=50).levers[0]
    west = next(e for e in res.details.edges if e.id == "INSTC_WEST")
    assert west.new_volume_mt == 0.0 and west.volume_mt > 0
    # Azerbaijan's lost transit revenue: volume x cost x its fee share (central values)
    expected = west.volume_mt * 1e6 * 50.0 * 0.45
    assert res.target_loss_usd.p50 == pytest.approx(expected, rel=1e-6)
    assert res.substitution_1y.p50 == 0.0
    # rerouted via the Caspian (60 $/t, 11 days) rather than the east (75 $/t): +3 days
    assert res.details.extra_time_days_p50 == pytest.approx(11.0 - 8.0)
    assert res.details.unserved_mt == pytest.approx(0.0)
    assert res.sender_cost_usd.p50 == pytest.approx(west.volume_mt * 1e6 * (60.0 - 50.0),
                                                    rel=1e-6)


def test_expert_judgement_is_labelled(case):
    lever = ExpertJudgement(name="diaspora pressure", likelihood=(0.2, 0.5),
                            target_impact_pct_gdp=(0.0, 0.1, 0.5),
                            sender_cost_pct_gdp=(0.0, 0.0, 0.0), elicited_by="test",
                            rationale="a judgement for the test")
    res = assess_levers(case, [lever], n_draws=500).levers[0]
    assert res.judgement and any("judgement" in r for r in res.reasons)
    assert res.target_loss_pct_gdp.p95 <= 0.5 + 1e-9


def test_unknown_asset_and_missing_year_are_clear(store):
    case = load_case(store, "russia-azerbaijan", year=2024)
    with pytest.raises(UnknownCodeError, match="BTC"):
        assess_levers(case, [TransitBlock(asset="DRUZHBA")], n_draws=100)
    with pytest.raises(DataNotFoundError, match="values exist for"):
        assess_levers(load_case(store, "russia-azerbaijan", year=2019), [RemittanceBan()],
                      n_draws=100)


def test_same_seed_same_result_different_seed_different_draws(store):
    case = load_case(store, "russia-azerbaijan", year=2024)
    a = assess_levers(case, [RemittanceBan()], n_draws=300, seed=1).levers[0]
    b = assess_levers(case, [RemittanceBan()], n_draws=300, seed=1).levers[0]
    c = assess_levers(case, [RemittanceBan()], n_draws=300, seed=2).levers[0]
    assert np.array_equal(a.target_draws, b.target_draws)
    assert not np.array_equal(a.target_draws, c.target_draws)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.floats(0.05, 1.0), st.floats(0.05, 1.0))
def test_banning_more_never_lowers_the_target_loss(store, s1, s2):
    case = load_case(store, "russia-azerbaijan", year=2024)
    lo, hi = sorted((s1, s2))
    a = assess_levers(case, [RemittanceBan(share=lo)], n_draws=200, seed=5).levers[0]
    b = assess_levers(case, [RemittanceBan(share=hi)], n_draws=200, seed=5).levers[0]
    assert np.all(b.target_draws >= a.target_draws - 1e-6)


def test_embargo_on_more_goods_never_lowers_the_target_loss(store):
    case = load_case(store, "russia-azerbaijan", year=2024)
    goods = ["tomatoes", "stone_fruit", "exotic_fruit", "nuts", "plastics"]
    previous = np.zeros(300)
    for k in range(1, len(goods) + 1):
        lever = TradeRestriction(goods=goods[:k], direction="imports")
        draws = assess_levers(case, [lever], n_draws=300, seed=9).levers[0].target_draws
        assert np.all(draws >= previous - 1e-6)
        previous = draws


def test_tariff_hurts_less_than_an_embargo(store):
    case = load_case(store, "russia-azerbaijan", year=2024)
    tariff = TradeRestriction(goods=["food"], direction="imports", measure="tariff",
                              tariff_pct=25)
    embargo = TradeRestriction(goods=["food"], direction="imports")
    res = assess_levers(case, [tariff, embargo], n_draws=300, seed=3)
    assert np.all(res.levers[0].target_draws <= res.levers[1].target_draws + 1e-6)
    assert res.combined is not None


def test_a_lever_without_data_is_not_assessable_and_the_others_still_run(store):
    case = load_case(store, "russia-azerbaijan", year=2024)
    levers = [RemittanceBan(), TradeRestriction(goods=["natural_gas"], direction="imports"),
              ExpertJudgement(name="pressure", likelihood=(0.1, 0.3),
                              target_impact_pct_gdp=(0.0, 0.1, 0.5), elicited_by="a test",
                              rationale="a judgement for the test")]
    res = assess_levers(case, levers, n_draws=200, seed=1)
    gas = res.levers[1]
    assert gas.verdict == "not assessable"
    assert "missing data" in gas.feasibility and "natural_gas" in gas.feasibility
    assert gas.missing is not None and gas.missing.error == "DataNotFoundError"
    assert gas.missing.fix and "import" in gas.missing.fix
    assert res.levers[0].verdict != "not assessable" and res.levers[0].target_loss_usd.p50 > 0
    assert res.combined is not None and "2 of 3" in res.combined.feasibility


def test_combined_row_sums_budget_and_fx_not_only_income(case):
    """The combined row's budget and FX losses are its levers' summed draw by draw.

    Before issue 19 the combined row summed income only, so its shares of budget revenue
    and of export earnings were 0 while each lever had its own.
    """
    levers = [RemittanceBan(), TradeRestriction(goods=["food"], direction="imports")]
    res = assess_levers(case, levers, n_draws=200, seed=3)
    combined = res.combined
    assert combined is not None
    fx = sum(r.effects["AZE"].fx_usd for r in res.levers)
    budget = sum(r.effects["AZE"].budget_usd for r in res.levers)
    exports = res.denominators["target_exports"].value
    revenue = res.denominators["target_budget_revenue"].value
    assert combined.target_loss_pct_fx_earnings.p50 == pytest.approx(
        100 * float(np.median(fx)) / exports)
    assert combined.target_budget_loss_usd.p50 == pytest.approx(float(np.median(budget)))
    assert combined.target_loss_pct_budget.p50 == pytest.approx(
        100 * float(np.median(budget)) / revenue)
    assert combined.target_loss_pct_fx_earnings.p50 > max(
        r.target_loss_pct_fx_earnings.p50 for r in res.levers)


def test_each_verdict_reason_states_the_rule_with_its_numbers() -> None:
    from geolever.assessment.scales import explain_leverage

    text = explain_leverage("weak leverage", 0.6, 0.2)
    # material (0.60%) starts at moderate; 0.2% of the sender's GDP takes one step; the
    # asymmetry is exactly 3 (not below 3), so it takes none
    assert text.startswith("damage material (0.60% of the target's GDP) starts at "
                           "'moderate leverage'")
    assert "0.200% of its GDP (>= 0.1%)" in text and "times harder" not in text
    assert "routes around 90%" in explain_leverage("no leverage", 2.5, 0.01, 0.9)
    assert "at least the target's damage" in explain_leverage("backfires", 0.3, 0.5)
