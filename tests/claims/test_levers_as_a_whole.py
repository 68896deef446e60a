"""Claims about the levers as a whole ("the blockade", "sanctions") and about strong leverage.

A sentence that names no one lever but the levers together is judged on the assessment's
combined row (all feasible levers together); the cue words are data (claim_rules.yaml
``effects.all_levers``, ``effects.small``, ``effects.strong_leverage``).
"""

from __future__ import annotations

from geolever.claims import check_text
from geolever.store import FactStore


def _claims(text: str, sender: str = "RUS", target: str = "AZE", year: int = 2024) -> list:
    result = check_text(text, fmt="text", store=FactStore(":memory:"), sender=sender,
                        target=target, published=year)
    return [c for s in result.sentences for c in s.claims]


def test_the_embargo_hitting_hard_is_judged_on_all_levers_together() -> None:
    (claim,) = _claims("The embargo would hit the Azerbaijani economy hard.")
    assert claim.metric == "lever_target_loss"
    assert claim.lever == {"kind": "all"}
    # 'hard' is the damage scale's 'severe': at least 2% of GDP; all levers together take
    # about 1% of Azerbaijan's GDP in the pack's case, so the claim is false
    assert (claim.comparison, claim.claimed) == ("at least", 2.0)
    assert claim.result is not None and claim.result.verdict == "false"
    assert "All feasible levers together" in claim.result.explanation


def test_a_very_limited_impact_of_sanctions_is_a_claim_of_no_damage() -> None:
    (claim,) = _claims("The impact of the sanctions on Azerbaijan was very limited.")
    assert (claim.metric, claim.comparison, claim.claimed) == ("lever_target_loss", "at most",
                                                               0.1)
    assert claim.result is not None and claim.result.verdict == "false"


def test_a_named_lever_is_judged_on_its_own_not_on_all() -> None:
    (claim,) = _claims("A ban on remittances would have a very small effect on Azerbaijan.")
    assert claim.lever is not None and claim.lever["kind"] == "remittance_ban"


def test_a_lever_named_after_the_effect_in_another_clause_is_not_its_cause() -> None:
    claims = _claims("Since then the winemakers have found new markets: on the eve of the "
                     "latest embargo only a few of them sold to Russia.")
    assert not [c for c in claims if c.metric == "lever_substitution_1y"]


def test_not_affected_at_all_and_no_problems_are_small_effects() -> None:
    for text in ("Despite the trade retaliation, its growth had not been affected at all.",
                 "The decision to suspend imports would not cause any problems."):
        (claim,) = _claims(text)
        assert (claim.metric, claim.comparison) == ("lever_target_loss", "at most"), text


def test_powerful_levers_claim_strong_leverage() -> None:
    (claim,) = _claims("Russia has powerful levers over Azerbaijan.")
    assert (claim.metric, claim.comparison, claim.claimed) == ("lever_any_leverage",
                                                               "at least", 2.0)
    # no lever of the pack's case takes 2% of Azerbaijan's GDP
    assert claim.result is not None and claim.result.verdict == "false"


def test_a_pair_without_data_is_unverifiable_not_zero_damage() -> None:
    (claim,) = _claims("The impact of the blockade on Qatar's economy was very small.",
                       sender="SAU", target="QAT", year=2017)
    assert claim.metric == "lever_target_loss"
    assert claim.result is not None and claim.result.verdict == "unverifiable"
    (claim,) = _claims("Saudi Arabia has no leverage over Qatar.", sender="SAU",
                       target="QAT", year=2017)
    # every lever lacks its data: no figure, not "no lever has leverage"
    assert claim.result is not None and claim.result.verdict == "unverifiable"


def test_a_lever_claim_with_no_model_data_for_its_year_takes_the_latest_earlier_one() -> None:
    from geolever.claims.evaluate import ClaimSpec, evaluate_claim
    from geolever.world import load_case

    case = load_case(FactStore(":memory:"), "russia-azerbaijan")
    later = case.year + 2  # no GDP, trade or remittances in the pack for that year
    spec = ClaimSpec(text="a remittance ban would be minimal", metric="lever_target_loss",
                     claimed=0.1, unit="pct", comparison="at most", years=[later],
                     lever={"kind": "remittance_ban"})
    result = evaluate_claim(spec, case)
    assert result.year is not None and result.year < later
    assert result.verdict in ("accurate", "false")
    assert f"The model has no data for {later}: judged on {result.year}" in result.explanation
