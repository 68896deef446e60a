"""Verdicts for levers, from Monte Carlo bands of target loss and sender cost.

Two scales, both defined in ``reference/verdict_scales.yaml`` (:mod:`~geolever.assessment.scales`)
on medians of the Monte Carlo draws, as % of each country's own GDP:

* **damage** (``damage`` for the target, ``sender_damage`` for the sender's own cost):
  none (< 0.1%), minor (0.1-0.5%), material (0.5-2%), severe (>= 2%);
* **leverage** (the lever's ``verdict``): not assessable, infeasible, backfires (the sender's
  cost >= the target's damage), or a level from the target's damage word (none -> no leverage,
  minor -> weak, material -> moderate, severe -> strong leverage), one step down (never below
  weak) for each of: asymmetry below 3, the sender's cost >= 0.1% of its GDP, >= 50% routed
  around within three years; >= 90% routed around within three years is no leverage.

No verdict calls a lever "effective": damage says how much it hurts, leverage whether it buys
a hold over the target. Levers scored by expert judgement get the same vocabulary and are
flagged ``judgement`` in every output.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
from scipy.stats import spearmanr

from geolever.assessment.members import member_cost_reason, member_costs
from geolever.assessment.provenance import Assumption, Source
from geolever.assessment.results import (
    Band,
    CaseAssessment,
    Driver,
    LeverAssessment,
    MissingData,
)
from geolever.assessment.scales import (
    damage_rule,
    damage_word,
    explain_leverage,
    leverage_rule,
    leverage_word,
    scales,
)
from geolever.core.countries import country_name, is_group
from geolever.core.errors import DataNotFoundError
from geolever.core.quantity import Quantity
from geolever.effects import CountryEffect, LeverEffects, compute_effects
from geolever.effects.engines.flow_cut import FlowCutDetails
from geolever.levers import Lever, LeverKind, compile_lever, lever_ids
from geolever.models.exposure import calc_share
from geolever.models.uncertainty import ParameterDraws
from geolever.world import Case

Array = npt.NDArray[np.float64]

#: Damage thresholds (% of the affected side's GDP) of reference/verdict_scales.yaml.
MINOR_DAMAGE_FROM_PCT_GDP = scales().threshold("minor")
MATERIAL_DAMAGE_FROM_PCT_GDP = scales().threshold("material")
SEVERE_DAMAGE_FROM_PCT_GDP = scales().threshold("severe")
#: Every leverage verdict a lever can get.
VERDICTS = ("not assessable", "infeasible", "backfires", *scales().leverage_levels)
#: Every damage word.
DAMAGE_WORDS = tuple(level.word for level in scales().damage)


def classify(feasible: bool, target_pct: float, sender_pct: float, *,
             assessable: bool = True, routed_around_3y: float | None = None) -> str:
    """Return the leverage verdict for median target damage and sender cost (% of own GDP).

    See :func:`~geolever.assessment.scales.leverage_word` (the rule and its thresholds).
    """
    return leverage_word(feasible, target_pct, sender_pct, assessable=assessable,
                         routed_around_3y=routed_around_3y)


def _money(x: float) -> str:
    a = abs(x)
    if a >= 1e9:
        return f"US${x / 1e9:,.2f}bn"
    if a >= 1e6:
        return f"US${x / 1e6:,.0f}m"
    return f"US${x:,.0f}"


def _concentration(hhi_low: float) -> str:
    """Word for an HHI by the US merger guidelines' bands (1,500 and 2,500)."""
    if hhi_low >= 2500:
        return "highly concentrated"
    return "moderately concentrated" if hhi_low >= 1500 else "unconcentrated"


def _denominators(case: Case) -> dict[str, Quantity]:
    d: dict[str, Quantity] = {
        "target_gdp": case.gdp_usd(case.target),
        "sender_gdp": case.gdp_usd(case.sender),
    }
    optional: dict[str, Callable[[], Quantity]] = {
        "target_budget_revenue": lambda: case.quantity(
            "budget_revenue", case.target, unit="USD",
            label=f"state budget revenue of {country_name(case.target)}"),
        "target_household_consumption": lambda: case.latest(
            "household_consumption", case.target, unit="USD",
            label=f"household consumption of {country_name(case.target)} (latest year available)"),
        "target_exports": lambda: case.quantity(
            "exports", case.target, partner="WLD", product="TOTAL", unit="USD",
            label=f"goods exports of {country_name(case.target)}"),
    }
    for key, get in optional.items():
        try:
            d[key] = get()
        except DataNotFoundError:
            continue
    return d


def _drivers(target: Array, draws: ParameterDraws, case: Case,
             names: Sequence[str]) -> list[Driver]:
    """Rank parameters by |Spearman rank correlation| with the target loss (a tornado)."""
    rows: list[Driver] = []
    if np.ptp(target) == 0:
        return rows
    for name in names:
        x = draws[name] if name in draws.specs else draws._cache[name]
        if np.ptp(x) == 0:
            continue
        rho = float(spearmanr(x, target).statistic)
        if np.isfinite(rho) and abs(rho) >= 0.05:
            spec = case.parameters.get(name)
            rows.append(Driver(parameter=name, spearman_rho=round(rho, 3),
                               description=spec.description if spec else name,
                               basis=spec.basis if spec else "judgement"))
    return sorted(rows, key=lambda r: -abs(r.spearman_rho))[:5]


def _assess(lever_id: str, kind: type[LeverKind] | None, label: str, description: str,
            eff: LeverEffects, case: Case, den: dict[str, Quantity], draws: ParameterDraws,
            used: Sequence[str] | None) -> LeverAssessment:
    """Bands, verdict and reasons of one lever (``kind`` None: the combined row).

    ``used`` names the parameters the lever's own computation read (None: the combined row,
    which adds no assumption of its own).
    """
    t_gdp, s_gdp = den["target_gdp"].value, den["sender_gdp"].value
    t_pct = calc_share(eff.target.income_usd, t_gdp)
    s_pct = calc_share(eff.sender.income_usd, s_gdp)
    notes = list(eff.notes)
    # Asymmetry only where every draw has a sender cost > 0: a ratio to a zero or negative
    # cost has no value, and a placeholder number would read as a measurement.
    asym_band = Band.of(t_pct / s_pct) if np.all(s_pct > 0) else None
    if asym_band is None and eff.feasible and eff.assessable:
        notes.append(f"No asymmetry (target % / sender % of GDP): the sender's cost is zero or "
                     f"negative in {int(np.sum(s_pct <= 0)):,} of {len(s_pct):,} draws, where "
                     "the ratio has no value.")
    tb, sb = Band.of(eff.target.income_usd), Band.of(eff.sender.income_usd)
    tpb, spb = Band.of(t_pct), Band.of(s_pct)
    routed_3y = (None if eff.substitution_3y is None
                 else float(np.median(eff.substitution_3y)))
    verdict = classify(eff.feasible, tpb.p50, spb.p50, assessable=eff.assessable,
                       routed_around_3y=routed_3y)
    live = eff.feasible and eff.assessable
    damage = damage_word(tpb.p50) if live else "none"
    sender_damage = damage_word(spb.p50) if live else "none"
    t_name, s_name = country_name(case.target), country_name(case.sender)
    reasons = [eff.feasibility[0].upper() + eff.feasibility[1:].rstrip(".") + "."]
    at_risk: dict[str, float] = {}
    if eff.feasible and eff.assessable and eff.value_at_risk_usd > 0:
        at_risk["gdp"] = 100 * eff.value_at_risk_usd / t_gdp
        for key, name in (("target_budget_revenue", "budget_revenue"),
                          ("target_exports", "export_earnings")):
            if key in den:
                at_risk[name] = 100 * eff.value_at_risk_usd / den[key].value
        names = {"gdp": "GDP", "budget_revenue": "budget revenue",
                 "export_earnings": "goods export earnings"}
        if kind is not None:
            names.update(kind.at_risk_names)
        shares = ", ".join(f"{v:.2f}% of {names[k]}" for k, v in at_risk.items())
        reasons.append(f"At risk: {_money(eff.value_at_risk_usd)} a year ({shares}).")
        flows = eff.details.flows if isinstance(eff.details, FlowCutDetails) else []
        for flow in flows:
            share, hhi = flow.sender_share_of_target_trade, flow.hhi_bounds
            if share is None or hhi is None:
                continue
            what = flow.product or flow.channel
            side = "buyers" if flow.origin == case.target else "sources"
            reasons.append(
                f"{s_name} is {share:.0%} of {t_name}'s {side} of {what} (HHI "
                f"{hhi[0]:,.0f}-{hhi[1]:,.0f} of 10,000: {_concentration(hhi[0])})."
            )
    if eff.feasible and eff.assessable:
        reasons.append(
            f"{t_name} loses {_money(tb.p50)} a year (90% band {_money(tb.p5)} to "
            f"{_money(tb.p95)}), {tpb.p50:.2f}% of its GDP of {_money(t_gdp)} "
            f"({den['target_gdp'].cite()})."
        )
        reasons.append(
            f"{s_name} bears {_money(sb.p50)} ({spb.p50:.3f}% of its GDP of {_money(s_gdp)}); "
            + ("the sender's cost is zero or negative in some draws, so no ratio of the "
               "two is given." if asym_band is None else
               f"relative to the size of each economy the target is hit "
               f"{asym_band.p50:,.0f} times harder." if asym_band.p50 >= 1 else
               "relative to the size of each economy the sender is hit harder.")
        )
        if eff.substitution_1y is not None and eff.substitution_3y is not None:
            s1, s3 = Band.of(eff.substitution_1y), Band.of(eff.substitution_3y)
            reasons.append(
                f"{t_name} can route around {s1.p50:.0%} of it within a year "
                f"({s1.p5:.0%}-{s1.p95:.0%}) and {s3.p50:.0%} within three years."
            )
    if live:
        reasons.append(
            f"Damage to {t_name}: {damage} ({tpb.p50:.2f}% of its GDP); cost to {s_name}: "
            f"{sender_damage} ({spb.p50:.3f}% of its GDP). Damage scale: {damage_rule()}.")
    why = (explain_leverage(verdict, tpb.p50, spb.p50, routed_3y) if live
           else leverage_rule(verdict))
    reasons.append(f"Verdict '{verdict}': {why}.")
    if eff.judgement:
        reasons.append("Scored by expert judgement, not by data: treat as an opinion with a range.")
    budget_band = None
    budget_usd = Band.of(eff.target.budget_usd) if eff.budget_estimated else None
    if not eff.assessable:
        budget_usd = None
    elif eff.feasible and not eff.budget_estimated:
        reasons.append("The state budget's loss is not estimated"
                       + (f": {eff.budget_note.rstrip('.')}." if eff.budget_note else "."))
    elif eff.feasible and budget_usd is not None and "target_budget_revenue" in den:
        covers = f" ({eff.budget_note.rstrip('.')})" if eff.budget_note else ""
        budget_band = Band.of(calc_share(eff.target.budget_usd,
                                         den["target_budget_revenue"].value))
        reasons.append(
            f"The state budget loses {_money(budget_usd.p50)}{covers}, "
            f"{budget_band.p50:.2f}% of budget revenue "
            f"({den['target_budget_revenue'].cite()}).")
    household_band = None
    if ("target_household_consumption" in den and eff.feasible and kind is not None
            and kind.household_share):
        hh = den["target_household_consumption"]
        household_band = Band.of(calc_share(eff.target.income_usd, hh.value))
        reasons.append(
            f"That is {household_band.p50:.1f}% of household consumption "
            f"({hh.cite()}{'; an earlier year than the case' if hh.year != case.year else ''})."
        )
    fx_band = None
    if "target_exports" in den and eff.feasible:
        fx_band = Band.of(calc_share(eff.target.fx_usd, den["target_exports"].value))
    new_params = [p for p in (used or []) if p in case.parameters]
    drivers = (_drivers(eff.target.income_usd, draws, case,
                        draws.used if used is None else used) if eff.feasible else [])
    if not eff.assessable:
        drivers = []
    if drivers:
        top = drivers[0]
        reasons.append(f"The assumption that moves the result most is '{top.parameter}' "
                       f"(rank correlation {top.spearman_rho:+.2f}).")
    seen: dict[str, Source] = {}
    for q in [*eff.facts, den["target_gdp"], den["sender_gdp"]]:
        seen.setdefault(q.cite() + q.label, Source.of(q))
    return LeverAssessment(
        id=lever_id, kind="combined" if kind is None else kind.model_fields["kind"].default,
        engine=eff.engine, label=label, description=description, verdict=verdict,
        damage=damage, sender_damage=sender_damage,
        reasons=reasons, feasible=eff.feasible, feasibility=eff.feasibility,
        judgement=eff.judgement, target_loss_usd=tb, sender_cost_usd=sb,
        target_loss_pct_gdp=tpb, sender_cost_pct_gdp=spb, target_loss_pct_budget=budget_band,
        target_loss_pct_fx_earnings=fx_band,
        target_loss_pct_household_consumption=household_band,
        target_budget_loss_usd=budget_usd,
        flow_at_risk_usd=eff.value_at_risk_usd, flow_at_risk_pct=at_risk,
        asymmetry=asym_band,
        substitution_1y=None if eff.substitution_1y is None else Band.of(eff.substitution_1y),
        substitution_3y=None if eff.substitution_3y is None else Band.of(eff.substitution_3y),
        third_countries_loss_usd={c: Band.of(e.income_usd) for c, e in eff.others.items()},
        drivers=drivers, sources=list(seen.values()),
        assumptions=[Assumption.of(p, case.parameters[p]) for p in new_params],
        notes=notes, details=eff.details,
        target_draws=eff.target.income_usd, sender_draws=eff.sender.income_usd,
        effects={eff.target.country: eff.target, eff.sender.country: eff.sender,
                 **eff.others},
        facts=[*eff.facts, den["target_gdp"], den["sender_gdp"]], lever=None,
    )


def _summed(country: str, rows: Sequence[LeverAssessment], n: int) -> CountryEffect:
    """One country's effects summed over levers draw by draw: income, FX, budget, transit.

    Every channel is summed, so the combined row's shares of budget revenue and of export
    earnings are those of its levers together (not only its share of GDP).
    """
    total = CountryEffect.zero(country, n)
    for r in rows:
        total.add(r.effects[country])  # every lever row holds its target's and sender's
    return total


def _missing_data(case: Case, n: int, err: DataNotFoundError) -> LeverEffects:
    """Return no effects and "not assessable", saying what is missing (a lever without data)."""
    what = err.message.rstrip(".")
    fix = f" To supply it: {err.fix}." if err.fix else ""
    return LeverEffects(
        target=CountryEffect.zero(case.target, n), sender=CountryEffect.zero(case.sender, n),
        others={}, feasible=True, assessable=False,
        feasibility=f"not assessable: missing data ({err.field or 'data'}: {what})",
        value_at_risk_usd=0.0, substitution_1y=None, substitution_3y=None, facts=[],
        notes=[f"Missing: {what}.{fix}"])


def assess_levers(
    case: Case,
    levers: Sequence[Lever],
    *,
    n_draws: int = 2000,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
) -> CaseAssessment:
    """Assess each lever on ``case`` with a seeded Monte Carlo, then their combination.

    Parameters
    ----------
    case
        The case (sender, target, year, data).
    levers
        Validated levers, in the order they should be reported. A lever whose data are
        missing (:class:`DataNotFoundError`) is reported "not assessable", naming what is
        missing and how to supply it; the other levers still run.
    n_draws
        Monte Carlo draws per lever.
    seed
        Seed; the same seed and inputs give identical results.
    progress
        Called with 1 after each lever (for progress bars).
    """
    draws = ParameterDraws(case.parameters, n_draws, seed)
    den = _denominators(case)
    results = []
    for lever_id, lever in zip(lever_ids(levers), levers, strict=True):
        with draws.recording() as used:
            try:
                shock = compile_lever(lever, case)
                eff = compute_effects(shock, case, draws, key=lever_id)
                missing = None
            except DataNotFoundError as err:
                eff = _missing_data(case, n_draws, err)
                missing = MissingData(error=type(err).__name__, message=err.message,
                                      field=err.field, fix=err.fix)
        result = _assess(lever_id, type(lever), lever.display(), lever.describe(), eff,
                         case, den, draws, used)
        result.alternative_to = lever.alternative_to
        result.lever = lever
        result.missing = missing
        if missing is None and is_group(case.sender):
            result.sender_cost_by_member = member_costs(
                case.sender, [f.value for f in getattr(shock, "flows", ())],
                result.sender_draws, dict(den["sender_gdp"].by_member))
            if result.sender_cost_by_member:
                result.reasons.append(member_cost_reason(result.sender_cost_by_member))
        results.append(result)
        if progress:
            progress(1)
    combined = None
    live = [r for r, lever in zip(results, levers, strict=True)
            if r.feasible and r.verdict != "not assessable" and lever.alternative_to is None]
    if len(live) > 1:
        # the budget is summed only over the levers that estimate one: a lower bound
        with_budget = [r.id for r in live if r.target_budget_loss_usd is not None]
        without = [r.id for r in live if r.target_budget_loss_usd is None]
        budget_note = ("" if not without or not with_budget else
                       f"sum of {', '.join(with_budget)}; not estimated for "
                       f"{', '.join(without)}, so a lower bound")
        eff = LeverEffects(
            target=_summed(case.target, live, n_draws),
            sender=_summed(case.sender, live, n_draws), others={}, feasible=True,
            budget_estimated=bool(with_budget),
            budget_note=budget_note or ("no lever of the combination estimates it"
                                        if not with_budget else ""),
            feasibility=f"feasible: {len(live)} of {len(results)} levers can be pulled",
            value_at_risk_usd=0.0, substitution_1y=None, substitution_3y=None, facts=[],
            judgement=any(r.judgement for r in live),
            notes=["Sum of the feasible levers draw by draw, leaving out levers that "
                   "re-estimate another one with a different model (alternative_to); "
                   "interactions between levers (e.g. remittances spent on Russian imports) "
                   "are not modelled."],
        )
        combined = _assess("combined", None, "All feasible levers together",
                           " + ".join(r.id for r in live), eff, case, den, draws, None)
    return CaseAssessment(case, results, combined, den, n_draws, seed)
