"""Both directions: the sender's levers on the target and the target's counter-levers.

:func:`assess_balance` takes the two one-directional assessments of a pair (the sender's
levers on the target, and the target's counter-levers on the sender, each a
:class:`~geolever.assessment.CaseAssessment` run with the same draws and seed) and returns a
:class:`BalanceAssessment`: for each side its largest feasible damage to the other (the
combination of its feasible levers, or its one feasible lever) with its own cost, a simple
escalation (the sender's levers, then the target's best single counter), the share of Monte
Carlo draws in which one side's damage to the other outweighs the other's, and the answer
paragraph (:func:`~geolever.assessment.answer.balance_answer`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, Field

from geolever.assessment.answer import Answer, SideFigures, balance_answer
from geolever.assessment.results import Band, CaseAssessment, LeverAssessment
from geolever.assessment.scales import damage_word
from geolever.core.countries import country_name
from geolever.core.errors import GeoleverError
from geolever.core.goods import hs_prefixes
from geolever.effects.engines.flow_cut import FlowCutDetails
from geolever.effects.engines.rerouting import ReroutingDetails
from geolever.models.exposure import calc_share


class Side(BaseModel):
    """One direction's headline: the largest feasible damage to the other side, its own cost.

    All shares are of each country's own figures (the target's GDP, budget revenue and goods
    export earnings for the damage; the sender's GDP for its cost), Monte Carlo bands.
    """

    sender: str = Field(..., description="ISO3 code of the side pulling the levers")
    sender_name: str
    target: str = Field(..., description="ISO3 code of the side they act on")
    target_name: str
    headline: str | None = Field(..., description="Id of the row the headline is: "
                                 "'combined' (all feasible levers), one lever's id, or None "
                                 "when no lever can be pulled")
    headline_label: str
    verdict: str = Field(..., description="Leverage verdict of the headline row")
    damage: str = Field(..., description="Damage word of the headline row (target's GDP)")
    damage_usd: Band = Field(..., description="Target's loss, US$/yr")
    damage_pct_gdp: Band = Field(..., description="Target's loss, % of its GDP")
    damage_pct_budget: Band | None = Field(..., description="Target's budget loss, % of its "
                                           "budget revenue")
    damage_pct_fx_earnings: Band | None = Field(..., description="Target's FX loss, % of its "
                                                "goods export earnings")
    cost_usd: Band = Field(..., description="Sender's own cost, US$/yr")
    cost_pct_gdp: Band = Field(..., description="Sender's own cost, % of its GDP")
    cost_damage: str = Field(..., description="The sender's cost on the damage scale")
    best_lever: str | None = Field(..., description="The single feasible lever doing the "
                                   "most damage (the counter in an escalation)")
    best_lever_label: str = ""
    judgement: bool = Field(..., description="The headline includes expert-judgement levers")
    levers: int = Field(..., description="Levers assessed for this side")
    levers_in_headline: int = Field(..., description="Levers the headline row sums (1 for "
                                    "a single lever, 0 when none can be pulled)")
    not_assessable: list[str] = Field(..., description="Ids of levers without data")
    annualised: list[str] = Field(default_factory=list, description="Ids of the headline's "
                                  "levers that use a figure annualised from part of a year")


class EscalationStep(BaseModel):
    """Each side's total loss after a step of the escalation (Monte Carlo bands)."""

    step: str
    sender_loss_usd: Band
    sender_loss_pct_gdp: Band
    sender_damage: str
    target_loss_usd: Band
    target_loss_pct_gdp: Band
    target_damage: str


class Escalation(BaseModel):
    """The sender pulls its headline levers, then the target answers with its best counter.

    Losses are summed draw by draw (both directions use the same draws and seed);
    interactions between the two steps are not modelled.
    """

    first: str = Field(..., description="Id of the sender's headline row")
    first_label: str
    counter: str | None = Field(..., description="Id of the target's best counter-lever")
    counter_label: str
    steps: list[EscalationStep]
    note: str


class BalanceSummary(BaseModel):
    """Both sides next to each other, the escalation and how certain the ordering is."""

    sides: list[Side] = Field(..., description="[sender -> target, target -> sender]")
    escalation: Escalation | None
    share_of_draws_sender_ahead: float = Field(
        ..., description="Share of Monte Carlo draws in which the sender's damage to the "
        "target (% of the target's GDP) exceeds the target's damage to the sender (% of the "
        "sender's GDP)")
    draws: int


@dataclass
class BalanceAssessment:
    """Two one-directional assessments of a pair, their balance and the answer paragraph."""

    forward: CaseAssessment
    reverse: CaseAssessment
    summary: BalanceSummary
    answer: Answer


def _eligible(ca: CaseAssessment) -> list[LeverAssessment]:
    return [r for r in ca.levers if r.feasible and r.verdict != "not assessable"
            and r.alternative_to is None]


def headline_row(ca: CaseAssessment) -> LeverAssessment | None:
    """Return the row of a side's largest feasible damage: the combined row, else its one lever."""
    if ca.combined is not None:
        return ca.combined
    live = _eligible(ca)
    return max(live, key=lambda r: r.target_loss_pct_gdp.p50) if live else None


def best_lever(ca: CaseAssessment) -> LeverAssessment | None:
    """Return the single feasible lever with the largest median damage (% of the target's GDP)."""
    live = _eligible(ca)
    return max(live, key=lambda r: r.target_loss_pct_gdp.p50) if live else None


def _products_overlap(a: str, b: str) -> bool:
    """Whether two product codes share goods (TOTAL or an unknown code overlaps everything)."""
    if a == b:
        return True
    try:
        pa, pb = hs_prefixes(a), hs_prefixes(b)
    except GeoleverError:
        return True
    if not pa or not pb:  # TOTAL
        return True
    return any(x.startswith(y) or y.startswith(x) for x in pa for y in pb)


def cuts_same_flow(a: LeverAssessment, b: LeverAssessment) -> bool:
    """Whether two levers cut the same flow or close links of the same network.

    Flows are the same when their channel and direction (from, to) agree and their products
    share goods (e.g. Russia's wheat export ban and Azerbaijan's stop on Russian wheat);
    network levers overlap when they act on the same network (e.g. the corridor).
    """
    da, db = a.details, b.details
    if isinstance(da, ReroutingDetails) and isinstance(db, ReroutingDetails):
        return da.network == db.network
    if not (isinstance(da, FlowCutDetails) and isinstance(db, FlowCutDetails)):
        return False
    return any((fa.channel, fa.origin, fa.destination) == (fb.channel, fb.origin,
                                                           fb.destination)
               and _products_overlap(fa.product or "TOTAL", fb.product or "TOTAL")
               for fa in da.flows for fb in db.flows)


def best_counter(forward: CaseAssessment, reverse: CaseAssessment,
                 ) -> tuple[LeverAssessment | None, list[LeverAssessment]]:
    """Return the target's best counter that cuts nothing the sender's levers already cut.

    Returns the counter (largest median damage to the sender, % of its GDP) and the
    counter-levers left out because they overlap one of the sender's levers.
    """
    pulled = _eligible(forward) if forward.combined is not None else [
        r for r in [headline_row(forward)] if r is not None]
    live = _eligible(reverse)
    overlap = [r for r in live if any(cuts_same_flow(r, f) for f in pulled)]
    free = [r for r in live if r not in overlap]
    best = max(free, key=lambda r: r.target_loss_pct_gdp.p50) if free else None
    return best, overlap


def _zero_band() -> Band:
    return Band(p5=0.0, p50=0.0, p95=0.0)


def side_of(ca: CaseAssessment) -> Side:
    """Return the headline :class:`Side` of one direction."""
    c = ca.case
    row, best = headline_row(ca), best_lever(ca)
    missing = [r.id for r in ca.levers if r.verdict == "not assessable"]
    if row is None:
        verdict = "not assessable" if len(missing) == len(ca.levers) else "infeasible"
        return Side(sender=c.sender, sender_name=country_name(c.sender), target=c.target,
                    target_name=country_name(c.target), headline=None,
                    headline_label="no lever can be pulled", verdict=verdict, damage="none",
                    damage_usd=_zero_band(), damage_pct_gdp=_zero_band(),
                    damage_pct_budget=None, damage_pct_fx_earnings=None,
                    cost_usd=_zero_band(), cost_pct_gdp=_zero_band(), cost_damage="none",
                    best_lever=None, judgement=False, levers=len(ca.levers),
                    levers_in_headline=0, not_assessable=missing)
    return Side(
        sender=c.sender, sender_name=country_name(c.sender), target=c.target,
        target_name=country_name(c.target), headline=row.id, headline_label=row.label,
        verdict=row.verdict, damage=row.damage, damage_usd=row.target_loss_usd,
        damage_pct_gdp=row.target_loss_pct_gdp, damage_pct_budget=row.target_loss_pct_budget,
        damage_pct_fx_earnings=row.target_loss_pct_fx_earnings, cost_usd=row.sender_cost_usd,
        cost_pct_gdp=row.sender_cost_pct_gdp, cost_damage=row.sender_damage,
        best_lever=None if best is None else best.id,
        best_lever_label="" if best is None else best.label, judgement=row.judgement,
        levers=len(ca.levers),
        levers_in_headline=len(_eligible(ca)) if row.id == "combined" else 1,
        not_assessable=missing,
        annualised=[r.id for r in (_eligible(ca) if row.id == "combined" else [row])
                    if any(src.annualised for src in r.sources)])


def _draws(row: LeverAssessment | None, n: int) -> tuple[np.ndarray, np.ndarray]:
    if row is None:
        return np.zeros(n), np.zeros(n)
    return np.asarray(row.target_draws, dtype=float), np.asarray(row.sender_draws, dtype=float)


def _step(name: str, sender_usd: np.ndarray, target_usd: np.ndarray, sender_gdp: float,
          target_gdp: float) -> EscalationStep:
    s_pct, t_pct = calc_share(sender_usd, sender_gdp), calc_share(target_usd, target_gdp)
    sb, tb = Band.of(s_pct), Band.of(t_pct)
    return EscalationStep(step=name, sender_loss_usd=Band.of(sender_usd), sender_loss_pct_gdp=sb,
                          sender_damage=damage_word(sb.p50), target_loss_usd=Band.of(target_usd),
                          target_loss_pct_gdp=tb, target_damage=damage_word(tb.p50))


def assess_balance(forward: CaseAssessment, reverse: CaseAssessment) -> BalanceAssessment:
    """Return the balance of a pair from its two one-directional assessments.

    Parameters
    ----------
    forward
        The sender's levers on the target.
    reverse
        The target's counter-levers on the sender (its case has sender and target swapped),
        run with the same number of draws and the same seed.

    Raises
    ------
    ValueError
        If the two assessments are not of the same pair in opposite directions, or differ
        in their number of draws.
    """
    f, r = forward.case, reverse.case
    if (f.sender, f.target) != (r.target, r.sender) or forward.n_draws != reverse.n_draws:
        raise ValueError("assess_balance needs the same pair in opposite directions with "
                         "the same number of draws")
    n = forward.n_draws
    s_gdp = forward.denominators["sender_gdp"].value
    t_gdp = forward.denominators["target_gdp"].value
    sides = [side_of(forward), side_of(reverse)]
    head_f, head_r = headline_row(forward), headline_row(reverse)
    f_t, f_s = _draws(head_f, n)          # forward: target's loss, sender's cost
    r_t, _r_s = _draws(head_r, n)          # reverse: its target (our sender) loss, its cost
    ahead = float(np.mean(calc_share(f_t, t_gdp) > calc_share(r_t, s_gdp)))
    escalation = None
    if head_f is not None:
        counter, overlap = best_counter(forward, reverse)
        c_t, c_s = _draws(counter, n)
        left_out = ("" if not overlap else " Left out as counters because they cut what the "
                    f"sender's levers already cut: {', '.join(r.label for r in overlap)}.")
        escalation = Escalation(
            first=head_f.id, first_label=head_f.label,
            counter=None if counter is None else counter.id,
            counter_label="no counter-lever can be pulled" if counter is None else counter.label,
            steps=[_step(f"{f.sender} pulls: {head_f.label}", f_s, f_t, s_gdp, t_gdp),
                   _step(f"{f.target} answers: "
                         + ("nothing" if counter is None else counter.label),
                         f_s + c_t, f_t + c_s, s_gdp, t_gdp)],
            note="Each side's loss summed draw by draw over both steps (same draws and seed in "
                 "both directions); the counter is the target's lever doing the most damage "
                 "among those that cut no flow (same direction and goods) and no network the "
                 "sender's levers already cut; other interactions between the steps are not "
                 "modelled." + left_out)
    summary = BalanceSummary(sides=sides, escalation=escalation,
                             share_of_draws_sender_ahead=ahead, draws=n)
    answer = balance_answer(_figures(sides[0]), _figures(sides[1]), ahead, n,
                            escalation=_escalation_figures(escalation))
    return BalanceAssessment(forward, reverse, summary, answer)


def _figures(side: Side) -> SideFigures:
    return SideFigures(
        sender=side.sender_name, target=side.target_name, headline=side.headline_label,
        lever_count=side.levers_in_headline, verdict=side.verdict,
        damage=side.damage, damage_pct_gdp=side.damage_pct_gdp.p50,
        damage_pct_gdp_p5=side.damage_pct_gdp.p5, damage_pct_gdp_p95=side.damage_pct_gdp.p95,
        cost_pct_gdp=side.cost_pct_gdp.p50, cost_damage=side.cost_damage,
        judgement=side.judgement, not_assessable=len(side.not_assessable),
        combined=side.headline == "combined", annualised=len(side.annualised))


def _escalation_figures(esc: Escalation | None) -> tuple[str, float, float] | None:
    if esc is None or esc.counter is None:
        return None
    last = esc.steps[-1]
    return esc.counter_label, last.target_loss_pct_gdp.p50, last.sender_loss_pct_gdp.p50


def one_direction_answer(forward: CaseAssessment) -> Answer:
    """Return the answer paragraph of a one-directional run (the counter-levers not assessed)."""
    return balance_answer(_figures(side_of(forward)), None, None, forward.n_draws)
