"""A claim about a lever of the run is judged on that lever's own row: one run, one set of draws."""

import pytest

from geolever.scenario import parse_scenario, run_scenario

LEVER = {"kind": "trade_restriction", "goods": ["food"], "direction": "imports"}


def _run(draws: int, seed: int):
    return run_scenario(parse_scenario({
        "sender": "RUS", "target": "AZE", "year": 2024, "draws": draws, "seed": seed,
        "levers": [{**LEVER, "id": "food", "label": "Food embargo"}],
        "claims": [{"text": "It would hurt Russia more than Azerbaijan.",
                    "metric": "lever_asymmetry", "claimed": 1, "unit": "ratio",
                    "comparison": "at most", "lever": LEVER}],
    }))


@pytest.mark.parametrize(("draws", "seed"), [(300, 11), (500, 4)])
def test_lever_claim_uses_the_runs_numbers_and_draws(draws, seed):
    result = _run(draws, seed)
    row = result.assessment.lever("food")
    claim = result.claims[0]
    head = claim.headline()
    assert head is not None and head.year == 2024
    assert head.computed == pytest.approx(
        row.target_loss_pct_gdp.p50 / row.sender_cost_pct_gdp.p50, rel=1e-12)
    model = head.sources[0]
    assert model.source == f"geolever model (assess_levers, {draws} draws, seed {seed})"
