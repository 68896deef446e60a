"""The one-paragraph answer at the top of a report: who holds more leverage over whom.

:func:`balance_answer` is a pure function of a run's numbers (:class:`SideFigures` of each
direction, the share of Monte Carlo draws in which the sender's damage outweighs the
target's, the escalation's totals). It returns the paragraph and the numbers it used, so a
reader (and a test) can trace every figure in the text back to the run.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, Field

from geolever.assessment.scales import leverage_rank


@dataclass(frozen=True)
class SideFigures:
    """The headline figures of one direction (medians unless named p5/p95; % of own GDP)."""

    sender: str
    target: str
    headline: str
    lever_count: int
    verdict: str
    damage: str
    damage_pct_gdp: float
    damage_pct_gdp_p5: float
    damage_pct_gdp_p95: float
    cost_pct_gdp: float
    cost_damage: str
    judgement: bool
    not_assessable: int
    combined: bool
    annualised: int = 0


class Answer(BaseModel):
    """The answer paragraph and the numbers it is built from."""

    text: str = Field(..., description="One paragraph: who holds more leverage over whom, "
                      "at what cost to each, how certain")
    holder: str | None = Field(..., description="Name of the side holding more leverage; "
                               "None when neither has any or they are level")
    numbers: dict[str, float | str | None] = Field(
        ..., description="Every number (and word) the text uses, by name")


def _pct(x: float) -> str:
    return f"{x:.2f}%" if abs(x) >= 0.01 or x == 0 else f"{x:.3f}%"


def _what(side: SideFigures) -> str:
    if side.headline == "no lever can be pulled":
        return f"none of {side.sender}'s levers can be pulled"
    if side.combined:
        return f"{side.sender}'s {side.lever_count} feasible levers together"
    return f"{side.sender}'s one lever that can be pulled ({side.headline})"


def _clause(side: SideFigures) -> str:
    if side.headline == "no lever can be pulled":
        return f"{_what(side)} ({side.verdict})"
    return (f"{_what(side)} would cost {side.target} {_pct(side.damage_pct_gdp)} of its GDP "
            f"(90% band {_pct(side.damage_pct_gdp_p5)} to {_pct(side.damage_pct_gdp_p95)}; "
            f"damage {side.damage}, {side.verdict}) at a cost to {side.sender} of "
            f"{_pct(side.cost_pct_gdp)} of its own GDP (damage {side.cost_damage})")


def _caveats(sides: list[SideFigures]) -> str:
    notes = []
    if any(s.judgement for s in sides):
        notes.append("levers scored by expert judgement are included")
    missing = sum(s.not_assessable for s in sides)
    if missing:
        notes.append(f"{missing} lever(s) could not be assessed for lack of data")
    partial = sum(s.annualised for s in sides)
    if partial:
        notes.append(f"{partial} lever(s) rest on figures annualised from part of a year")
    return (" Caveats: " + "; ".join(notes) + ".") if notes else ""


def balance_answer(forward: SideFigures, reverse: SideFigures | None,
                   share_sender_ahead: float | None, draws: int, *,
                   escalation: tuple[str, float, float] | None = None) -> Answer:
    """Return the answer paragraph of a run.

    Parameters
    ----------
    forward, reverse
        Headline figures of the sender's levers on the target, and of the target's
        counter-levers on the sender (None: a one-directional run).
    share_sender_ahead
        Share of Monte Carlo draws in which the sender's damage to the target (% of the
        target's GDP) exceeds the target's damage to the sender (% of the sender's GDP).
    draws
        Number of Monte Carlo draws.
    escalation
        ``(counter label, target's total loss, sender's total loss)`` (% of own GDP, medians)
        after the sender's levers and the target's best counter, or None.

    Returns
    -------
    Answer
        The paragraph, the side holding more leverage and every number used.
    """
    numbers: dict[str, float | str | None] = {
        "sender": forward.sender, "target": forward.target,
        "sender_damage_to_target_pct_gdp": forward.damage_pct_gdp,
        "sender_damage_to_target_p5": forward.damage_pct_gdp_p5,
        "sender_damage_to_target_p95": forward.damage_pct_gdp_p95,
        "sender_cost_pct_gdp": forward.cost_pct_gdp,
        "sender_verdict": forward.verdict, "sender_damage_word": forward.damage,
        "draws": float(draws),
    }
    if reverse is None:
        text = (f"{forward.sender} on {forward.target}: {_clause(forward)}. The other "
                f"direction ({forward.target}'s counter-levers on {forward.sender}) was not "
                f"assessed in this run; `geolever balance` assesses both.{_caveats([forward])}")
        holder = forward.sender if leverage_rank(forward.verdict) >= 1 else None
        return Answer(text=text, holder=holder, numbers=numbers)
    numbers.update({
        "target_damage_to_sender_pct_gdp": reverse.damage_pct_gdp,
        "target_damage_to_sender_p5": reverse.damage_pct_gdp_p5,
        "target_damage_to_sender_p95": reverse.damage_pct_gdp_p95,
        "target_cost_pct_gdp": reverse.cost_pct_gdp,
        "target_verdict": reverse.verdict, "target_damage_word": reverse.damage,
        "share_of_draws_sender_ahead": share_sender_ahead,
    })
    rf, rr = leverage_rank(forward.verdict), leverage_rank(reverse.verdict)
    if max(rf, rr) < 1:
        holder = None
        lead = (f"Neither side holds leverage over the other by geolever's leverage scale "
                f"({forward.sender}: {forward.verdict}; {forward.target}: {reverse.verdict}).")
    elif rf != rr:
        holder = forward.sender if rf > rr else forward.target
        other = forward.target if holder == forward.sender else forward.sender
        lead = f"{holder} holds more leverage over {other} than {other} over {holder}."
    else:
        ratio_f = forward.damage_pct_gdp
        ratio_r = reverse.damage_pct_gdp
        holder = forward.sender if ratio_f >= ratio_r else forward.target
        other = forward.target if holder == forward.sender else forward.sender
        lead = (f"Both sides hold {forward.verdict}; {holder} can do more damage relative "
                f"to the other's economy, so it holds more leverage over {other}.")
    text = (f"{lead} {_clause(forward)[0].upper()}{_clause(forward)[1:]}; "
            f"{_clause(reverse)}.")
    if escalation is not None:
        counter, t_total, s_total = escalation
        numbers.update({"escalation_target_total_pct_gdp": t_total,
                        "escalation_sender_total_pct_gdp": s_total,
                        "escalation_counter": counter})
        text += (f" If {forward.sender} pulled its levers and {forward.target} answered with "
                 f"its strongest counter ({counter}), {forward.target} would lose "
                 f"{_pct(t_total)} of its GDP and {forward.sender} {_pct(s_total)} of its own.")
    if share_sender_ahead is not None:
        share = share_sender_ahead if holder != forward.target else 1 - share_sender_ahead
        who = holder or forward.sender
        whom = forward.target if who == forward.sender else forward.sender
        text += (f" Certainty: {who}'s damage to {whom}, relative to {whom}'s GDP, exceeds "
                 f"the reverse in {share:.0%} of {draws:,} Monte Carlo draws.")
    text += _caveats([forward, reverse])
    numbers["holder"] = holder
    return Answer(text=text, holder=holder, numbers=numbers)
