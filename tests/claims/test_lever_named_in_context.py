"""Which lever a claim about an effect is about, when the sentence does not name it by keyword.

A lever named in the sentence (by its keywords, or by an asset it names) comes first; then
the lever an earlier sentence named, when the sentence points back; then the levers as a
whole ("trade restrictions", "a trade embargo"); then an asset carried from an earlier
sentence, but only one whose kind fits the noun ("the pipeline" is not the corridor an
earlier sentence named); last "the pipeline" alone, when one lever of the vocabulary is a
pipeline's. A comparison the partner-comparison reader cannot place no longer hides the
claim about an effect the same sentence makes.
"""

from __future__ import annotations

from geolever.claims import check_text
from geolever.store import FactStore


def _claims(text: str, sender: str = "RUS", target: str = "AZE", year: int = 2024) -> list:
    result = check_text(text, fmt="text", store=FactStore(":memory:"), sender=sender,
                        target=target, published=year)
    return [c for s in result.sentences for c in s.claims]


def test_the_pipeline_after_a_corridor_sentence_is_the_pipelines_lever() -> None:
    claims = _claims("Cutting Azerbaijan out of the North-South corridor would take Moscow "
                     "years of looking for new routes.\n\nShutting the pipeline would be a "
                     "heavy blow to Azerbaijan's export revenue.")
    corridor, pipeline = claims
    assert corridor.lever == {"kind": "corridor_exclusion", "corridor": "instc"}
    assert pipeline.metric == "lever_target_loss"
    assert pipeline.lever == {"kind": "transit_block", "asset": "BAKU_NOVOROSSIYSK"}
    # the line is suspended in the pack's case: blocking it takes nothing, so a 'heavy
    # blow' (at least 2% of GDP) is false
    assert (pipeline.comparison, pipeline.claimed) == ("at least", 2.0)
    assert pipeline.result is not None and pipeline.result.verdict == "false"


def test_the_pipeline_with_no_context_is_the_one_pipeline_lever() -> None:
    (claim,) = _claims("Closing the pipeline would deal a crushing blow to Baku.")
    assert claim.lever == {"kind": "transit_block", "asset": "BAKU_NOVOROSSIYSK"}


def test_a_trade_embargo_is_all_levers_not_the_pipeline_named_before() -> None:
    claims = _claims("The Baku-Novorossiysk pipeline has been idle for years.\n\nA trade "
                     "embargo would cost Moscow more than it would cost Baku.")
    (effect,) = [c for c in claims if c.metric == "lever_asymmetry"]
    assert effect.lever == {"kind": "all"}
    # Moscow losing more: target loss / sender cost at most 1; the model says the target
    # loses far more, relative to its GDP
    assert (effect.comparison, effect.claimed) == ("at most", 1.0)
    assert effect.result is not None and effect.result.verdict == "false"


def test_trade_restrictions_hurting_the_sender_more_is_a_lever_comparison() -> None:
    for text in ("Trade restrictions would hurt Russia more than Azerbaijan.",
                 "Trade restrictions would harm the Russian side more than the Azerbaijani "
                 "one."):
        (claim,) = _claims(text)
        assert claim.metric == "lever_asymmetry", text
        assert claim.lever == {"kind": "all"}, text
        assert claim.comparison == "at most", text


def test_barely_dent_is_a_small_effect_and_no_instruments_no_leverage() -> None:
    (small,) = _claims("Halting remittances would barely dent Azerbaijan's economy.")
    assert (small.metric, small.comparison, small.claimed) == ("lever_target_loss", "at most",
                                                               0.1)
    assert small.lever is not None and small.lever["kind"] == "remittance_ban"
    (none,) = _claims("Moscow has practically no instruments of pressure on Baku.")
    assert (none.metric, none.comparison) == ("lever_any_leverage", "at most")
    assert none.result is not None and none.result.verdict == "false"


def test_no_instruments_of_the_target_over_the_sender_is_the_other_direction() -> None:
    assert not [c for c in _claims("Azerbaijan has no instruments of pressure on Russia.")
                if c.metric == "lever_any_leverage"]


def test_a_model_claims_evidence_names_each_figure_once() -> None:
    (claim,) = _claims("Russia has no real leverage over Azerbaijan.")
    assert claim.result is not None
    used = claim.result.explanation.split("Used: ", 1)[1].split(". Passed over:", 1)[0]
    # every lever of the run reads the GDP and the pipelines' facts: each is named once
    for figure in ("GDP of Azerbaijan 2024:", "pipeline capacity BTC 2022:",
                   "asset status BAKU_NOVOROSSIYSK 2024:"):
        assert used.count(figure) == 1, figure
