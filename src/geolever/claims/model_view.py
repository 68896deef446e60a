"""Where claims about a lever's effect read the model: the one coupling to the assessment.

A claim about what a lever would do ("it would hurt the sender more", "the target can find
other markets", "blocking the pipeline would be a severe blow", "the sender has no lever at
all") is judged on an :class:`~geolever.assessment.CaseAssessment`:

* the assessment of the same run when the caller gives one (:func:`use_assessment`, set by
  ``evaluate_claim(..., assessment=)`` and ``check_text(..., assessment=)``; the scenario run
  passes its finished result): a lever of the run is read from its own row, same draws;
* otherwise the claim's lever (or, for "any lever", the levers of the claim vocabulary,
  ``claim_rules.yaml``) assessed once per case and year with the run's draws and seed, or
  :data:`LEVER_DRAWS` draws and seed :data:`LEVER_SEED` without a run.

Each function returns the value a claim is compared with and a model "quantity" whose note
names the numbers and bands that decide it. Keeping this in one module keeps the claims'
dependence on the assessment's shape in one place.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter

from geolever.claims.vocabulary import rules
from geolever.core.errors import DataNotFoundError, UnknownCodeError
from geolever.core.quantity import Quantity
from geolever.world import Case

if TYPE_CHECKING:
    from geolever.levers import Lever

# The assessment, the lever kinds and the engines (scipy, networkx: about a second) are
# imported inside the functions that run or read the model, on the first claim about a
# lever's effect: a text without one is checked without them.

LEVER_DRAWS = 1000
LEVER_SEED = 0
#: The lever kind of a claim about all the levers at once ("the blockade", "sanctions"):
#: judged on the assessment's combined row (all feasible levers together).
ALL_LEVERS = "all"


@cache
def _adapter() -> TypeAdapter[Lever]:
    """Return the validator of lever specs, built on the first lever claim."""
    from geolever.levers import Lever

    return TypeAdapter(Lever)


# Model runs, remembered per (case, pair, store) so that repeated checks of texts about the
# same case do not re-run the model; the store's connection is kept to tell stores apart.
_RUNS: dict[tuple[Any, ...], tuple[Any, list[Quantity], Any]] = {}
_SINGLE: dict[tuple[Any, ...], tuple[Any, list[Quantity], Any]] = {}


def _con(case: Case) -> Any:
    return getattr(case.store, "con", case.store)


def _case_key(case: Case) -> tuple[Any, ...]:
    return (case.name, case.sender, case.target, id(_con(case)))
#: The finished assessment of the run whose claims are being judged (a context variable,
#: so concurrent checks in the web server do not see each other's).
_FINISHED: ContextVar[Any] = ContextVar("finished_assessment", default=None)


@contextmanager
def use_assessment(assessment: Any) -> Iterator[None]:
    """Judge lever claims on ``assessment`` (a finished CaseAssessment) inside the block."""
    if assessment is None and _FINISHED.get() is not None:
        yield  # an outer block already set the run's assessment
        return
    token = _FINISHED.set(assessment)
    try:
        yield
    finally:
        _FINISHED.reset(token)


def _draws() -> tuple[int, int]:
    finished = _FINISHED.get()
    return (LEVER_DRAWS, LEVER_SEED) if finished is None else (finished.n_draws, finished.seed)


def vocabulary_levers() -> list[dict[str, Any]]:
    """Return the levers the claim vocabulary knows, as lever specs (kind and parameters)."""
    return [{k: v for k, v in lev.items() if k != "keywords"} for lev in rules()["levers"]]


def _applies(lever: Any, case: Case) -> bool:
    """Whether ``lever`` can be built for the case's pair at all.

    A corridor the target is on no route of, an asset the case's infrastructure lacks or a
    pipeline the target is not on is not a lever of this pair: it is left out of "all the
    levers", not an error that stops every claim about the others.
    """
    try:
        lever.check(case)
        asset = getattr(lever, "asset", None)
        if asset:  # a pipeline the target is not on cuts nothing of its
            _, edge = case.find_asset(asset)
            return case.target in edge.countries
    except UnknownCodeError:
        return False
    return True


def case_assessment(case: Case, year: int) -> tuple[Any, list[Quantity]]:
    """Return the assessment claims are judged on, and the facts it used.

    The run's finished assessment when one was given for ``year``; otherwise the claim
    vocabulary's levers that apply to the pair (:func:`_applies`) assessed once (with the
    run's draws and seed, if any).
    """
    finished = _FINISHED.get()
    if finished is not None and finished.case.year == year:
        return finished, []
    from geolever.assessment import assess_levers

    draws, seed = _draws()
    key = (*_case_key(case), year, draws, seed)
    if key not in _RUNS or _RUNS[key][2] is not _con(case):
        run_case = replace(case, year=year, used=[])
        levers = [lever for lever in (_adapter().validate_python(spec)
                                      for spec in vocabulary_levers())
                  if _applies(lever, run_case)]
        result = assess_levers(run_case, levers, n_draws=draws, seed=seed)
        if len(_RUNS) > 16:
            _RUNS.clear()
        _RUNS[key] = (result, list(run_case.used), _con(case))
    result, used, _ = _RUNS[key]
    return result, used


def _same_lever(a: Any, b: Any) -> bool:
    keep = {"id", "label", "alternative_to"}
    return bool(a is not None and b is not None
                and a.model_dump(exclude=keep) == b.model_dump(exclude=keep))


def lever_assessment(case: Case, year: int, spec: Any) -> tuple[Any, list[Quantity]]:
    """Return the LeverAssessment a claim is about, and the facts it used.

    A lever of the run's finished assessment (same parameters) is read from its row: the
    same run, the same draws. The lever :data:`ALL_LEVERS` is the combined row of
    :func:`case_assessment` (all feasible levers together). Otherwise the claim's lever is
    assessed on its own, with the run's draws and seed (or :data:`LEVER_DRAWS` and
    :data:`LEVER_SEED` without a run). A lever whose data are missing ("not assessable")
    raises :class:`DataNotFoundError`: it has no figure, which is not a loss of zero.
    """
    if not spec.lever:
        raise UnknownCodeError("this claim needs the lever it is about", field="lever",
                               fix="give a lever, e.g. {kind: remittance_ban}")
    if spec.lever.get("kind") == ALL_LEVERS:
        result, used = case_assessment(case, year)
        if result.combined is not None:
            return result.combined, used
        # the assessment combines two or more levers; with one that can be pulled, that one
        # is all of them
        live = [la for la in result.levers if la.feasible and la.missing is None
                and not la.alternative_to and not la.judgement]
        if len(live) == 1:
            return live[0], used
        raise DataNotFoundError(f"no lever of the pair can be pulled in {year}, so there is no "
                                "figure for all of them together", field="lever",
                                fix="name the lever the claim is about, or import the data "
                                "its levers need")
    row, used = _lever_row(case, year, spec)
    if row.missing is not None:  # "not assessable": no figure, not a loss of zero
        raise DataNotFoundError(row.missing.message, field=row.missing.field or "lever",
                                fix=row.missing.fix or "import the data the lever needs")
    return row, used


def _lever_row(case: Case, year: int, spec: Any) -> tuple[Any, list[Quantity]]:
    """Return the claim's one lever: the run's own row, else assessed on its own."""
    lever = _adapter().validate_python(spec.lever)
    finished = _FINISHED.get()
    if finished is not None and finished.case.year == year:
        for row in finished.levers:
            if _same_lever(getattr(row, "lever", None), lever):
                return row, list(getattr(row, "facts", []))
    from geolever.assessment import assess_levers

    draws, seed = _draws()
    key = (*_case_key(case), year, lever.model_dump_json(exclude={"id", "label"}), draws, seed)
    if key not in _SINGLE or _SINGLE[key][2] is not _con(case):
        run_case = replace(case, year=year, used=[])
        result = assess_levers(run_case, [lever], n_draws=draws, seed=seed)
        if len(_SINGLE) > 64:
            _SINGLE.clear()
        _SINGLE[key] = (result.levers[0], list(run_case.used), _con(case))
    row, used, _ = _SINGLE[key]
    return row, used


def _model(value: float, unit: str, year: int, label: str, note: str) -> Quantity:
    draws, seed = _draws()
    return Quantity(value=value, unit=unit, year=year, label=label, period="FY",
                    source=f"geolever model (assess_levers, {draws} draws, seed {seed})",
                    quality="model", note=note)


def _band(b: Any, scale: float = 1.0, fmt: str = ".2f") -> str:
    return f"{scale * b.p50:{fmt}} [{scale * b.p5:{fmt}}-{scale * b.p95:{fmt}}]"


def lever_asymmetry(case: Case, year: int, spec: Any) -> tuple[float, list[Quantity]]:
    """Target loss / sender cost, each as % of own GDP (medians)."""
    la, used = lever_assessment(case, year, spec)
    if not la.feasible:
        raise DataNotFoundError(f"the lever cannot be pulled in {year}: {la.feasibility}",
                                field="lever", fix="no comparison of losses is possible")
    t, s = la.target_loss_pct_gdp.p50, la.sender_cost_pct_gdp.p50
    if s <= 0:
        raise DataNotFoundError("the model gives the sender no cost: the ratio is undefined",
                                field="lever", fix="compare absolute losses instead")
    note = (f"{la.label}: target loss {_band(la.target_loss_pct_gdp, fmt='.3f')}% of "
            f"{case.target} GDP (US${la.target_loss_usd.p50 / 1e6:,.0f}m), sender cost "
            f"{_band(la.sender_cost_pct_gdp, fmt='.3f')}% of {case.sender} GDP "
            f"(US${la.sender_cost_usd.p50 / 1e6:,.0f}m), medians [p5-p95]; lever verdict "
            f"'{la.verdict}'")
    return t / s, [_model(t / s, "ratio", year, f"target loss / sender cost (% of own GDP), "
                          f"{la.label}", note), *used]


def lever_substitution(case: Case, year: int, spec: Any) -> tuple[float, list[Quantity]]:
    """Share of the cut flow the target replaces within a year (median, %)."""
    la, used = lever_assessment(case, year, spec)
    if la.substitution_1y is None:
        raise DataNotFoundError(f"the model gives no substitution for {la.label} in {year}",
                                field="lever", fix="pick a lever that cuts a flow")
    value = 100.0 * la.substitution_1y.p50
    note = (f"{la.label}: {_band(la.substitution_1y, 100, '.0f')}% of the cut flow replaced "
            f"within a year (median [p5-p95])"
            + (f", {_band(la.substitution_3y, 100, '.0f')}% within three years"
               if la.substitution_3y is not None else ""))
    return value, [_model(value, "pct", year, f"share of the cut flow replaced in 1 year, "
                          f"{la.label}", note), *used]


def lever_target_loss(case: Case, year: int, spec: Any) -> tuple[float, list[Quantity]]:
    """Return the target's loss, % of its GDP (median; 0 if the lever cannot be pulled)."""
    from geolever.assessment import damage_rule

    la, used = lever_assessment(case, year, spec)
    if not la.feasible:
        note = f"{la.label}: cannot be pulled ({la.feasibility}); the target loses nothing"
        return 0.0, [_model(0.0, "pct", year, f"target loss, {la.label}", note), *used]
    value = la.target_loss_pct_gdp.p50
    fx = (f", {_band(la.target_loss_pct_fx_earnings)}% of export earnings"
          if la.target_loss_pct_fx_earnings is not None else "")
    note = (f"{la.label}: target loss {_band(la.target_loss_pct_gdp, fmt='.3f')}% of "
            f"{case.target} GDP (US${la.target_loss_usd.p50 / 1e6:,.0f}m){fx}; damage "
            f"'{la.damage}' ({damage_rule()}); lever verdict '{la.verdict}'")
    return value, [_model(value, "pct", year, f"target loss (% of GDP), {la.label}", note),
                   *used]


def lever_any_leverage(case: Case, year: int, _: Any) -> tuple[float, list[Quantity]]:
    """Return the largest target damage (% of GDP, median) of a lever that has leverage.

    "Has leverage" is the leverage scale's rule (``reference/verdict_scales.yaml``; "weak
    leverage" or stronger), applied to every lever and to all feasible ones together; 0
    when none has any, so a claim "no leverage" (at most the 'minor' damage line) holds
    exactly when no lever has leverage by the report's own verdicts.
    """
    from geolever.assessment import damage_rule, has_leverage, leverage_rule

    result, used = case_assessment(case, year)
    rows = [la for la in result.levers
            if not la.alternative_to and not la.judgement and la.missing is None]
    if result.combined is not None:
        rows.append(result.combined)
    if not rows:  # every lever lacks its data: no figure, not "no leverage"
        raise DataNotFoundError(f"no lever could be assessed for {year} (each lacks its data)",
                                field="lever", fix="add levers to the scenario, or import "
                                "the data they name")
    holding = [la for la in rows if la.feasible and has_leverage(la.verdict)]
    best = max(holding or rows,
               key=lambda la: la.target_loss_pct_gdp.p50 if la.feasible else 0.0)
    value = best.target_loss_pct_gdp.p50 if holding else 0.0
    listing = "; ".join(
        f"{la.label}: {la.target_loss_pct_gdp.p50:.2f}% of GDP, damage {la.damage} "
        f"({la.verdict})" for la in rows)
    lead = (f"largest with leverage: {best.label}, {_band(best.target_loss_pct_gdp)}% of "
            f"{case.target} GDP (median [p5-p95])" if holding else "no lever has leverage")
    note = (f"{lead}; all: {listing}; the leverage rule: {leverage_rule('weak leverage')}; "
            f"damage scale: {damage_rule()}")
    return value, [_model(value, "pct", year, "largest target damage of a lever with "
                          "leverage (% of GDP)", note), *used]


def lever_rerouted(case: Case, year: int, spec: Any) -> tuple[float, list[Quantity]]:
    """Return the share of the freight the lever cuts that other routes carry in the year (%).

    The rerouting engine moves the cut freight onto the network's other routes, up to their
    spare capacity, in the same year (min-cost flow); it has no figure for the time it takes
    to find or build a new route. A claim about route-search time ("years to find other
    routes") is judged on this share, and the note says so; a lever whose model does not
    reroute freight has no such figure (not checkable).
    """
    from geolever.effects.engines.rerouting import ReroutingDetails

    la, used = lever_assessment(case, year, spec)
    details = la.details
    if not la.feasible:
        raise DataNotFoundError(f"not checkable: {la.label} cannot be pulled in {year} "
                                f"({la.feasibility}), so nothing needs another route",
                                field="lever", fix="no route-search time to judge")
    if not isinstance(details, ReroutingDetails) or not details.blocked_mt:
        raise DataNotFoundError(
            f"not checkable: the model of {la.label} ({la.engine or la.kind}) has no "
            "route-search time and reroutes no freight", field="lever",
            fix="route-search claims are judged on corridor and pipeline levers")
    net = case.network(details.network, year)
    blocked, delivered = details.blocked_mt, details.delivered_mt or 0.0
    value = 100.0 * delivered / blocked
    days = details.extra_time_days_p50
    note = (f"{la.label}: {delivered:.2f} of {blocked:.2f} Mt a year that "
            f"{net.origin_country} ships on {net.title} go by other routes in the same year "
            f"({details.unserved_mt or 0.0:.2f} Mt cannot move)"
            + (f", {days:+.1f} days per tonne" if days is not None else "")
            + f", extra freight cost US${(details.extra_cost_usd_p50 or 0.0) / 1e6:,.1f}m"
            " a year (medians); the model reroutes onto existing routes' spare capacity at "
            "once and has no figure for the time to find or build a new route")
    return value, [_model(value, "pct", year, f"share of the cut freight on other routes "
                          f"within the year, {la.label}", note), *used]
