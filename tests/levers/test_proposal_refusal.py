"""``proposal_refusal``: refusing a supply deal the target proposed, checked by hand."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from geolever.assessment import assess_levers
from geolever.levers.kinds.proposal_refusal import ProposalRefusal
from geolever.store import FactStore
from geolever.world import load_case


def fixed(case):
    case.parameters = {
        k: p.model_copy(update={"distribution": "fixed", "low": p.central, "high": p.central,
                                "mode": p.central})
        for k, p in case.parameters.items()}
    return case


@pytest.fixture
def reverse_case():
    store = FactStore(":memory:")
    return fixed(load_case(store, "russia-azerbaijan", year=2024, sender="AZE", target="RUS"))


def test_validation() -> None:
    with pytest.raises(ValidationError):
        ProposalRefusal()  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        ProposalRefusal(proposal="X", product="wheat")  # type: ignore[arg-type]
    assert ProposalRefusal(proposal=" tikhoretsk_baku_reverse ").proposal == \
        "TIKHORETSK_BAKU_REVERSE"


def test_refusing_the_reverse_oil_offer_by_hand(reverse_case) -> None:
    res = assess_levers(reverse_case, [ProposalRefusal(proposal="TIKHORETSK_BAKU_REVERSE")],
                        n_draws=100).levers[0]
    # pack facts: up to 4 Mt/yr offered (Novak, Oct 2023), Brent 81 US$/bbl in 2024 (EIA)
    offered = 4.0 * 1e6 * 7.33 * 81.0
    assert res.flow_at_risk_usd == pytest.approx(offered)
    resale = reverse_case.parameters["proposal_resale_share"].central
    cost = reverse_case.parameters["proposal_refusal_cost_ratio"].central
    assert resale == pytest.approx(0.87) and cost == pytest.approx(0.02)
    # the value is derived (volume x price): measurement error at its central value 1
    assert res.target_loss_usd.p50 == pytest.approx(offered * (1 - resale))
    assert res.sender_cost_usd.p50 == pytest.approx(offered * cost)
    assert res.substitution_3y is not None and res.substitution_3y.p50 == pytest.approx(resale)
    gdp = reverse_case.gdp_usd("RUS").value
    assert res.target_loss_pct_gdp.p50 == pytest.approx(100 * offered * (1 - resale) / gdp)
    assert res.damage == "none" and res.verdict == "no leverage"
    assert any("news.az" in s.citation for s in res.sources)
    assert any("a plan" in n for n in res.notes)


def test_without_a_proposal_fact_it_is_not_assessable() -> None:
    store = FactStore(":memory:")
    case = load_case(store, "russia-azerbaijan", year=2024, sender="AZE", target="RUS")
    res = assess_levers(case, [ProposalRefusal(proposal="NO_SUCH_DEAL")], n_draws=100).levers[0]
    assert res.verdict == "not assessable"
    assert res.missing is not None and "proposed_supply" in res.missing.message
