"""Both directions of the flagship (assessment/balance.py): sides, escalation, overlap rule."""

from __future__ import annotations

import numpy as np
import pytest

from geolever.assessment import assess_levers
from geolever.assessment.balance import assess_balance, cuts_same_flow, headline_row
from geolever.levers.kinds.proposal_refusal import ProposalRefusal
from geolever.levers.kinds.remittance_ban import RemittanceBan
from geolever.levers.kinds.trade_restriction import TradeRestriction
from geolever.levers.kinds.transit_block import TransitBlock
from geolever.models.exposure import calc_share
from geolever.store import FactStore
from geolever.world import load_case

N = 300


@pytest.fixture(scope="module")
def pair():
    store = FactStore(":memory:")
    fwd_case = load_case(store, "russia-azerbaijan", year=2024)
    rev_case = load_case(store, "russia-azerbaijan", year=2024, sender="AZE", target="RUS")
    forward = assess_levers(fwd_case, [
        RemittanceBan(id="remittances"),
        TradeRestriction(id="wheat_exports", goods=["wheat"], direction="exports")],
        n_draws=N, seed=5)
    reverse = assess_levers(rev_case, [
        TransitBlock(id="instc_transit", asset="INSTC_WEST"),
        TradeRestriction(id="wheat_imports", goods=["wheat"], direction="imports"),
        ProposalRefusal(id="reverse_oil", proposal="TIKHORETSK_BAKU_REVERSE"),
        RemittanceBan(id="remittances")], n_draws=N, seed=5)
    return forward, reverse, assess_balance(forward, reverse)


def test_each_side_is_its_combined_row_with_both_countries_own_shares(pair) -> None:
    forward, reverse, bal = pair
    fwd, rev = bal.summary.sides
    assert (fwd.sender, fwd.target, rev.sender, rev.target) == ("RUS", "AZE", "AZE", "RUS")
    assert fwd.headline == rev.headline == "combined"
    assert fwd.damage_pct_gdp == forward.combined.target_loss_pct_gdp
    assert rev.damage_pct_gdp == reverse.combined.target_loss_pct_gdp
    assert rev.cost_pct_gdp == reverse.combined.sender_cost_pct_gdp
    assert fwd.levers_in_headline == 2 and rev.levers_in_headline == 4
    # the reverse direction's damage is a share of Russia's GDP, its cost of Azerbaijan's
    rus_gdp = reverse.denominators["target_gdp"].value
    assert reverse.denominators["target_gdp"].label.endswith("Russian Federation")
    assert rev.damage_pct_gdp.p50 == pytest.approx(
        100 * float(np.median(reverse.combined.target_draws)) / rus_gdp)
    assert fwd.damage_pct_fx_earnings is not None and fwd.damage_pct_fx_earnings.p50 > 0


def test_share_of_draws_is_counted_draw_by_draw(pair) -> None:
    forward, reverse, bal = pair
    t = calc_share(forward.combined.target_draws, forward.denominators["target_gdp"].value)
    s = calc_share(reverse.combined.target_draws, forward.denominators["sender_gdp"].value)
    assert bal.summary.share_of_draws_sender_ahead == pytest.approx(float(np.mean(t > s)))


def test_escalation_leaves_out_a_counter_that_cuts_the_same_flow(pair) -> None:
    forward, reverse, bal = pair
    wheat_fwd, wheat_rev = forward.lever("wheat_exports"), reverse.lever("wheat_imports")
    # Russia not selling wheat to Azerbaijan and Azerbaijan not buying it: one flow
    assert cuts_same_flow(wheat_fwd, wheat_rev)
    assert not cuts_same_flow(forward.lever("remittances"), reverse.lever("remittances"))
    esc = bal.summary.escalation
    assert esc is not None and esc.counter != "wheat_imports"
    assert reverse.lever("wheat_imports").label in esc.note
    counter = reverse.lever(esc.counter)
    free = [r for r in reverse.levers if r.id != "wheat_imports" and r.feasible]
    assert counter.target_loss_pct_gdp.p50 == max(r.target_loss_pct_gdp.p50 for r in free)
    # after the counter, each side's loss is the sum of the two steps, draw by draw
    gdp_s = forward.denominators["sender_gdp"].value
    total = forward.combined.sender_draws + counter.target_draws
    assert esc.steps[1].sender_loss_pct_gdp.p50 == pytest.approx(
        100 * float(np.median(total)) / gdp_s)


def test_answer_names_the_holder_and_its_numbers(pair) -> None:
    forward, _, bal = pair
    assert bal.answer.holder == "Russian Federation"
    head = headline_row(forward)
    assert head is not None
    assert f"{head.target_loss_pct_gdp.p50:.2f}%" in bal.answer.text
    assert bal.answer.numbers["share_of_draws_sender_ahead"] == \
        bal.summary.share_of_draws_sender_ahead


def test_pairs_must_be_opposite_directions(pair) -> None:
    forward, _, _ = pair
    with pytest.raises(ValueError, match="opposite directions"):
        assess_balance(forward, forward)


def test_russias_world_wheat_exports_are_sourced() -> None:
    """Russia's share of its own wheat buyers comes from a sourced total (issue 19).

    Without the 2024 world total the wheat levers assumed Russia had no other buyer (the
    worst case for its substitution, US$62m of sender cost in the demo); Azerbaijan took
    252.2 m of about 11.4 bn US$ (2.2%).
    """
    store = FactStore(":memory:")
    case = load_case(store, "russia-azerbaijan", year=2024)
    res = assess_levers(case, [TradeRestriction(goods=["wheat"], direction="exports")],
                        n_draws=200, seed=42).levers[0]
    share = next(s for s in res.sources if s.label ==
                 "share of exports of wheat from RUS to AZE in RUS's total exports of wheat")
    assert share.value == pytest.approx(252_199_200 / 11.42e9)
    assert not any("No world total" in n for n in res.notes)
