"""The answer paragraph (assessment/answer.py) is built from the run's numbers only."""

from __future__ import annotations

from geolever.assessment.answer import SideFigures, balance_answer


def side(sender: str, target: str, verdict: str, damage: str, pct: float, cost: float,
         **kw: object) -> SideFigures:
    base = dict(sender=sender, target=target, headline="All feasible levers together",
                lever_count=3, verdict=verdict, damage=damage, damage_pct_gdp=pct,
                damage_pct_gdp_p5=pct * 0.8, damage_pct_gdp_p95=pct * 1.3, cost_pct_gdp=cost,
                cost_damage="none", judgement=False, not_assessable=0, combined=True)
    base.update(kw)
    return SideFigures(**base)  # type: ignore[arg-type]


def test_the_side_with_the_higher_leverage_word_holds_more() -> None:
    fwd = side("Russia", "Azerbaijan", "moderate leverage", "material", 0.99, 0.025)
    rev = side("Azerbaijan", "Russia", "no leverage", "none", 0.02, 0.25, cost_damage="minor")
    a = balance_answer(fwd, rev, 0.97, 4000, escalation=("wheat", 1.07, 0.04))
    assert a.holder == "Russia"
    assert a.text.startswith("Russia holds more leverage over Azerbaijan than Azerbaijan "
                             "over Russia.")
    # every figure in the text is one of the numbers returned with it
    for figure in ("0.99%", "0.79%", "1.29%", "0.03%", "0.02%", "0.25%", "1.07%", "0.04%",
                   "97% of 4,000"):
        assert figure in a.text, figure
    assert a.numbers["sender_damage_to_target_pct_gdp"] == 0.99
    assert a.numbers["target_cost_pct_gdp"] == 0.25
    assert a.numbers["escalation_target_total_pct_gdp"] == 1.07
    assert "moderate leverage" in a.text and "no leverage" in a.text
    assert "effective" not in a.text


def test_target_ahead_reports_the_complementary_share_of_draws() -> None:
    fwd = side("A", "B", "weak leverage", "minor", 0.2, 0.01)
    rev = side("B", "A", "strong leverage", "severe", 2.5, 0.01)
    a = balance_answer(fwd, rev, 0.1, 1000)
    assert a.holder == "B"
    assert a.text.startswith("B holds more leverage over A than A over B.")
    assert "in 90% of 1,000 Monte Carlo draws" in a.text


def test_equal_words_are_decided_by_relative_damage() -> None:
    fwd = side("A", "B", "weak leverage", "minor", 0.2, 0.01)
    rev = side("B", "A", "weak leverage", "minor", 0.3, 0.01)
    a = balance_answer(fwd, rev, 0.4, 100)
    assert a.holder == "B"
    assert "Both sides hold weak leverage" in a.text


def test_neither_side_and_caveats() -> None:
    fwd = side("A", "B", "no leverage", "none", 0.05, 0.01, judgement=True)
    rev = side("B", "A", "backfires", "minor", 0.2, 0.4, not_assessable=2, annualised=1)
    a = balance_answer(fwd, rev, 0.2, 100)
    assert a.holder is None
    assert a.text.startswith("Neither side holds leverage over the other")
    assert "expert judgement" in a.text and "2 lever(s) could not be assessed" in a.text
    assert "1 lever(s) rest on figures annualised from part of a year" in a.text


def test_one_direction_says_the_other_was_not_assessed() -> None:
    fwd = side("A", "B", "moderate leverage", "material", 0.7, 0.01)
    a = balance_answer(fwd, None, None, 100)
    assert a.holder == "A"
    assert "was not assessed in this run" in a.text and "geolever balance" in a.text
