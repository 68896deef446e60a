"""Evaluate structured claims for every year the data covers.

Numeric verdicts compare the claimed value with the computed one (ratio computed/claimed):

==============  =============================================
accurate        within 10% of the computed value
roughly right   within 30%
misleading      within a factor of 1.5 (or the claim compares unlike things)
false           further off
unverifiable    no data for any year
==============  =============================================

Comparison claims are judged with the model results (:func:`geolever.assessment.assess_levers`
run for the lever the claim is about, seeded, :data:`LEVER_DRAWS` draws):

* ``lever_asymmetry`` (ratio): median target loss / median sender cost, each as % of its own
  GDP. "It would hurt the sender more than the target" is ``at most 1``; "it would hurt the
  target more" is ``at least 1``.
* ``lever_substitution_1y`` (pct): median share of the cut flow the target replaces within a
  year. "The target can find alternative markets" is read as ``at least 50`` (half the lost
  flow redirected within a year); "it cannot" as ``at most 50``.

A claim that is numerically close but compares unlike things (remittances, which are
household income, against the state budget) is ``misleading``, never ``accurate``.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from geolever.core.countries import country_name
from geolever.core.errors import DataNotFoundError, UnknownCodeError
from geolever.core.quantity import Quantity
from geolever.core.units import format_amount
from geolever.levers import Lever
from geolever.shocks import REMITTANCE_MEASURES
from geolever.world import Case
from geolever.world.case import country_key

ACCURATE_WITHIN = 0.10
ROUGHLY_WITHIN = 0.30
MISLEADING_FACTOR = 1.5
LEVER_DRAWS = 1000
LEVER_SEED = 0


class ClaimSpec(BaseModel):
    """A structured claim, as written in a scenario file or extracted from a text."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(..., min_length=3, description="The claim as stated")
    metric: str = Field(..., description="What it is about; one of CLAIM_METRICS")
    claimed: float = Field(..., description="The number claimed, in `unit`")
    unit: str = Field(..., description="Unit of `claimed`: pct, USD, flag (1 = operating), Mt")
    years: list[int] | None = Field(None, description="Years to check; default: all with data")
    asset: str | None = Field(None, description="Asset id, for asset metrics")
    comparison: Literal["about", "at least", "at most", "between"] = "about"
    high: float | None = Field(
        None, description="Upper end of a claimed range (comparison 'between'; `claimed` is "
        "the lower end)")
    product: str | None = Field(
        None, description="Product code (reference/products.csv) for trade metrics; "
        "default: all goods")
    lever: dict[str, Any] | None = Field(
        None, description="The lever a model-judged claim (lever_*) is about, as in scenarios")


@dataclass(frozen=True)
class Metric:
    """A computable quantity a claim can be about."""

    unit: str
    describe: str
    compute: Callable[[Case, int, ClaimSpec], tuple[float, list[Quantity]]]
    years: Callable[[Case, ClaimSpec], list[int]]
    category_note: str = ""


def _remittances(case: Case, year: int, _: ClaimSpec) -> tuple[float, list[Quantity]]:
    q = case.quantity("remittances_received", case.target, partner=case.sender, year=year,
                      unit="USD", measures=REMITTANCE_MEASURES, allow_partial=True,
                      label=f"remittances received by {case.target} from {case.sender}",
                      record=False)
    return q.value, [q]


def _remittances_total(case: Case, year: int, _: ClaimSpec) -> tuple[float, list[Quantity]]:
    q = case.quantity("remittances_received", case.target, partner="WLD", year=year,
                      unit="USD", measures=REMITTANCE_MEASURES, allow_partial=True,
                      label=f"remittances received by {case.target}, total", record=False)
    return q.value, [q]


def _share_of(denominator: Callable[[Case, int], Quantity],
              numerator: Callable[[Case, int, ClaimSpec], tuple[float, list[Quantity]]],
              ) -> Callable[[Case, int, ClaimSpec], tuple[float, list[Quantity]]]:
    def compute(case: Case, year: int, spec: ClaimSpec) -> tuple[float, list[Quantity]]:
        num, used = numerator(case, year, spec)
        den = denominator(case, year)
        return 100.0 * num / den.value, [*used, den]
    return compute


def _budget(case: Case, year: int) -> Quantity:
    return case.quantity("budget_revenue", case.target, year=year, unit="USD", record=False,
                         label=f"state budget revenue of {case.target}")


def _gdp(case: Case, year: int) -> Quantity:
    return case.quantity("gdp", case.target, year=year, unit="USD", record=False,
                         label=f"GDP of {case.target}")


def _flow(case: Case, exporter: str, importer: str, product: str, year: int) -> Quantity:
    from geolever.shocks import bilateral_flow

    q = bilateral_flow(case, exporter, importer, product, year)
    if q.note == "sum of item-level values":
        # A sum over the items that have data is only a lower bound: not a basis for a verdict.
        raise DataNotFoundError(
            f"only a lower bound (sum of item-level values) for {product} {exporter}->"
            f"{importer} in {year}", field="product", fix="add a group-level fact")
    return q


def _trade(exporter_is_target: bool) -> Callable[[Case, int, ClaimSpec],
                                                 tuple[float, list[Quantity]]]:
    def compute(case: Case, year: int, spec: ClaimSpec) -> tuple[float, list[Quantity]]:
        a, b = (case.target, case.sender) if exporter_is_target else (case.sender, case.target)
        q = _flow(case, a, b, spec.product or "TOTAL", year)
        return q.value, [q]
    return compute


def _turnover(case: Case, year: int, spec: ClaimSpec) -> tuple[float, list[Quantity]]:
    product = spec.product or "TOTAL"
    out = _flow(case, case.target, case.sender, product, year)
    inn = _flow(case, case.sender, case.target, product, year)
    return out.value + inn.value, [out, inn]


def _export_share(case: Case, year: int, spec: ClaimSpec) -> tuple[float, list[Quantity]]:
    product = spec.product or "TOTAL"
    part = _flow(case, case.target, case.sender, product, year)
    total = case.quantity("exports", case.target, partner="WLD", product=product, year=year,
                          unit="USD", allow_partial=True, record=False,
                          label=f"exports of {product} from {case.target}, all partners")
    return 100.0 * part.value / total.value, [part, total]


def _target_indicator(indicator: str, unit: str) -> Callable[[Case, int, ClaimSpec],
                                                             tuple[float, list[Quantity]]]:
    def compute(case: Case, year: int, _: ClaimSpec) -> tuple[float, list[Quantity]]:
        q = case.quantity(indicator, case.target, year=year, unit=unit, allow_partial=True,
                          record=False, label=f"{indicator.replace('_', ' ')} of {case.target}")
        return q.value, [q]
    return compute


_LEVER_ADAPTER: TypeAdapter[Lever] = TypeAdapter(Lever)
_LEVER_CACHE: dict[tuple[int, int, str, int, int], Any] = {}


#: The finished assessment of the run whose claims are being evaluated (see evaluate_claim).
_FINISHED: ContextVar[Any] = ContextVar("finished_assessment", default=None)


def lever_assessment(case: Case, year: int, spec: ClaimSpec) -> Any:
    """Assess the lever of a comparison claim for ``year`` (cached per case, year and lever).

    A claim about a lever of the finished assessment (``evaluate_claim(...,
    assessment=...)``) in its year reads that lever's row: the same run, the same draws.
    Otherwise the lever is assessed with the finished run's draws and seed (or
    :data:`LEVER_DRAWS` and :data:`LEVER_SEED` without one).

    Returns the :class:`~geolever.assessment.LeverAssessment` and the facts the model used.
    """
    from geolever.assessment import assess_levers

    if not spec.lever:
        raise UnknownCodeError("this claim needs the lever it is about", field="lever",
                               fix="give a lever, e.g. {kind: remittance_ban}")
    lever = _LEVER_ADAPTER.validate_python(spec.lever)
    finished = _FINISHED.get()
    if finished is not None and year == finished.case.year:
        what = lever.model_dump(exclude={"id", "label", "alternative_to"})
        for row in finished.levers:
            if row.lever is not None and row.lever.model_dump(
                    exclude={"id", "label", "alternative_to"}) == what:
                return row, list(row.facts)
    draws, seed = ((LEVER_DRAWS, LEVER_SEED) if finished is None
                   else (finished.n_draws, finished.seed))
    key = (id(case), year, lever.model_dump_json(), draws, seed)
    if key not in _LEVER_CACHE:
        run_case = replace(case, year=year, used=[])
        assessment = assess_levers(run_case, [lever], n_draws=draws, seed=seed)
        if len(_LEVER_CACHE) > 64:
            _LEVER_CACHE.clear()
        _LEVER_CACHE[key] = (assessment.levers[0], list(run_case.used), case)
    result, used, _ = _LEVER_CACHE[key]
    return result, used


def _model_quantity(value: float, unit: str, year: int, label: str, note: str) -> Quantity:
    finished = _FINISHED.get()
    draws, seed = ((LEVER_DRAWS, LEVER_SEED) if finished is None
                   else (finished.n_draws, finished.seed))
    return Quantity(value=value, unit=unit, year=year, label=label, period="FY",
                    source=f"geolever model (assess_levers, {draws} draws, seed {seed})",
                    quality="model", note=note)


def _lever_asymmetry(case: Case, year: int, spec: ClaimSpec) -> tuple[float, list[Quantity]]:
    la, used = lever_assessment(case, year, spec)
    if not la.feasible:
        raise DataNotFoundError(f"the lever cannot be pulled in {year}: {la.feasibility}",
                                field="lever", fix="no comparison of losses is possible")
    t, s = la.target_loss_pct_gdp.p50, la.sender_cost_pct_gdp.p50
    if s <= 0:
        raise DataNotFoundError("the model gives the sender no cost: the ratio is undefined",
                                field="lever", fix="compare absolute losses instead")
    note = (f"{la.label}: target loss {t:.3f}% of {case.target} GDP "
            f"(US${la.target_loss_usd.p50 / 1e6:,.0f}m), sender cost {s:.3f}% of "
            f"{case.sender} GDP (US${la.sender_cost_usd.p50 / 1e6:,.0f}m); lever verdict "
            f"'{la.verdict}'")
    q = _model_quantity(t / s, "ratio", year, f"target loss / sender cost (% of own GDP), "
                        f"{la.label}", note)
    return t / s, [q, *used]


def _lever_substitution(case: Case, year: int, spec: ClaimSpec) -> tuple[float, list[Quantity]]:
    la, used = lever_assessment(case, year, spec)
    if la.substitution_1y is None:
        raise DataNotFoundError(f"the model gives no substitution for {la.label} in {year}",
                                field="lever", fix="pick a lever that cuts a flow")
    value = 100.0 * la.substitution_1y.p50
    note = (f"{la.label}: {value:.0f}% of the cut flow replaced within a year (5-95%: "
            f"{100 * la.substitution_1y.p5:.0f}-{100 * la.substitution_1y.p95:.0f}%)")
    q = _model_quantity(value, "pct", year, f"share of the cut flow replaced in 1 year, "
                        f"{la.label}", note)
    return value, [q, *used]


def _oil_exports(case: Case, year: int, _: ClaimSpec) -> tuple[float, list[Quantity]]:
    q = case.quantity("oil_exports", case.target, year=year, unit="Mt", allow_partial=True,
                      record=False, label=f"crude oil exports of {case.target}")
    return q.value, [q]


def _case_year(case: Case, _: ClaimSpec) -> list[int]:
    return [case.year]


def _flow_years(case: Case, spec: ClaimSpec) -> list[int]:
    product = spec.product or "TOTAL"
    years: set[int] = set()
    for ind, c, p in (("exports", case.target, case.sender), ("exports", case.sender, case.target),
                      ("imports", case.target, case.sender)):
        years.update(case.store.years(ind, c, partner=p, product=product))
    return sorted(years)


def _asset(indicator: str) -> Callable[[Case, int, ClaimSpec], tuple[float, list[Quantity]]]:
    def compute(case: Case, year: int, spec: ClaimSpec) -> tuple[float, list[Quantity]]:
        if not spec.asset:
            raise UnknownCodeError("this claim needs an asset", field="asset",
                                   fix="name the asset, e.g. asset: BAKU_NOVOROSSIYSK")
        _, edge = case.find_asset(spec.asset)
        country = edge.countries[0]
        if indicator == "asset_status":
            q = case.latest("asset_status", country, up_to=year, entity=edge.id)
            q = Quantity(**{**q.__dict__, "year": year}) if q.year != year else q
        else:
            q = case.quantity(indicator, country, year=year, entity=edge.id, unit="Mt",
                              allow_partial=True, record=False)
        return q.value, [q]
    return compute


def _years_of(indicator: str, *, partner: str | None = "sender") -> Callable[
        [Case, ClaimSpec], list[int]]:
    def years(case: Case, spec: ClaimSpec) -> list[int]:
        if spec.asset:
            _, edge = case.find_asset(spec.asset)
            return case.store.years(indicator, country_key(indicator, edge.countries[0]),
                                    entity=edge.id)
        who = {"sender": case.sender, "world": "WLD", None: ""}[partner]
        return case.store.years(indicator, case.target, partner=who)
    return years


REMITTANCE_NOTE = (
    "Remittances are transfers to households, not state budget revenue: the ratio compares "
    "unlike things. The budget would lose only the consumption taxes on the part of that "
    "income that is not rerouted."
)

CLAIM_METRICS: dict[str, Metric] = {
    "remittances": Metric("USD", "annual remittances from the sender to the target",
                          _remittances, _years_of("remittances_received")),
    "remittances_total": Metric("USD", "annual remittances received by the target, all senders",
                                _remittances_total, _years_of("remittances_received",
                                                              partner="world")),
    "remittances_share_of_budget": Metric(
        "pct", "remittances from the sender as % of the target's state budget revenue",
        _share_of(_budget, _remittances), _years_of("remittances_received"), REMITTANCE_NOTE),
    "remittances_total_share_of_budget": Metric(
        "pct", "all remittances as % of the target's state budget revenue",
        _share_of(_budget, _remittances_total),
        _years_of("remittances_received", partner="world"), REMITTANCE_NOTE),
    "remittances_share_of_gdp": Metric(
        "pct", "remittances from the sender as % of the target's GDP",
        _share_of(_gdp, _remittances), _years_of("remittances_received")),
    "exports_to_sender": Metric("USD", "the target's goods exports to the sender",
                                _trade(True), _years_of("exports")),
    "imports_from_sender": Metric("USD", "the target's goods imports from the sender",
                                  _trade(False), _years_of("imports")),
    "asset_status": Metric("flag", "whether the asset operates (1) or not (0)",
                           _asset("asset_status"), _years_of("asset_status")),
    "asset_throughput": Metric("Mt", "oil or freight carried by the asset in the year",
                               _asset("pipeline_throughput"), _years_of("pipeline_throughput")),
    "trade_turnover": Metric("USD", "goods trade between the target and the sender, both ways",
                             _turnover, _flow_years),
    "exports_to_sender_share": Metric(
        "pct", "share of the target's goods exports that go to the sender", _export_share,
        _flow_years),
    "oil_exports": Metric("Mt", "the target's crude oil exports (all routes)", _oil_exports,
                          _years_of("oil_exports", partner=None)),
    "budget_revenue": Metric("USD", "the target's state budget revenue",
                             _target_indicator("budget_revenue", "USD"),
                             _years_of("budget_revenue", partner=None)),
    "lever_asymmetry": Metric(
        "ratio", "the lever's target loss / sender cost, each as % of own GDP (model median)",
        _lever_asymmetry, _case_year),
    "lever_substitution_1y": Metric(
        "pct", "the share of the cut flow the target replaces within a year (model median)",
        _lever_substitution, _case_year),
}


def numeric_verdict(claimed: float, computed: float, comparison: str = "about",
                    high: float | None = None) -> str:
    """Verdict for one year by the thresholds in the module docstring.

    A range (``comparison="between"``, ``claimed`` to ``high``) is accurate when the computed
    value lies in it, and is otherwise judged against its nearer end.
    """
    if comparison == "between" and high is not None:
        if claimed <= computed <= high:
            return "accurate"
        return numeric_verdict(high if computed > high else claimed, computed)
    if comparison == "at least" and computed >= claimed:
        return "accurate"
    if comparison == "at most" and computed <= claimed:
        return "accurate"
    if claimed == 0 or computed == 0:
        return "accurate" if claimed == computed else "false"
    ratio = computed / claimed
    off = abs(ratio - 1)
    if off <= ACCURATE_WITHIN:
        return "accurate"
    if off <= ROUGHLY_WITHIN:
        return "roughly right"
    if 1 / MISLEADING_FACTOR <= ratio <= MISLEADING_FACTOR:
        return "misleading"
    return "false"


@dataclass
class YearCheck:
    """The check of a claim against one year's data."""

    year: int
    computed: float | None
    ratio: float | None
    verdict: str
    sources: list[Quantity]
    note: str = ""


@dataclass
class ClaimResult:
    """A claim with its per-year checks and the headline verdict."""

    spec: ClaimSpec
    checks: list[YearCheck]
    verdict: str
    year: int | None
    explanation: str
    sources: list[dict[str, Any]] = field(default_factory=list)

    def headline(self) -> YearCheck | None:
        """Return the check for the headline year (latest year with data)."""
        return next((c for c in self.checks if c.year == self.year), None)

    def to_dict(self) -> dict[str, Any]:
        """Return the claim entry of result.json."""
        head = self.headline()
        return {
            "text": self.spec.text, "indicator": self.spec.metric, "unit": self.spec.unit,
            "year": self.year, "claimed": self.spec.claimed,
            "computed": None if head is None else head.computed,
            "verdict": self.verdict, "explanation": self.explanation,
            "sources": self.sources,
            "by_year": [{"year": c.year, "computed": c.computed, "ratio": c.ratio,
                         "verdict": c.verdict, "note": c.note,
                         "sources": [q.cite() for q in c.sources]} for c in self.checks],
        }


def evaluate_claim(spec: ClaimSpec, case: Case, *,
                   headline: Literal["latest", "latest_full"] = "latest",
                   assessment: Any = None) -> ClaimResult:
    """Check ``spec`` against the case's data for every year it covers.

    ``assessment`` is the run's finished :class:`~geolever.assessment.CaseAssessment`: a
    claim about one of its levers is judged on that lever's own numbers and draws.

    The headline verdict is that of the latest year with data (``headline="latest"``) or of
    the latest year whose values are all full-year, not annualised (``"latest_full"``, used
    for claims that state no period; falls back to the latest); a category error (see
    :data:`REMITTANCE_NOTE`) caps it at ``misleading``.
    """
    if spec.metric not in CLAIM_METRICS:
        raise UnknownCodeError(
            f"unknown claim metric {spec.metric!r}", field="metric",
            fix=f"use one of: {', '.join(CLAIM_METRICS)}",
        )
    metric = CLAIM_METRICS[spec.metric]
    if spec.unit != metric.unit:
        raise UnknownCodeError(
            f"metric {spec.metric} is measured in {metric.unit}, the claim gives {spec.unit}",
            field="unit", fix=f"state the claimed value in {metric.unit}",
        )
    token = _FINISHED.set(assessment)
    try:
        return _evaluate(spec, case, metric, headline)
    finally:
        _FINISHED.reset(token)


def _evaluate(spec: ClaimSpec, case: Case, metric: Metric,
              headline: Literal["latest", "latest_full"]) -> ClaimResult:
    years = spec.years or metric.years(case, spec)
    checks = []
    for year in sorted(set(years)):
        try:
            value, used = metric.compute(case, year, spec)
        except DataNotFoundError as err:
            checks.append(YearCheck(year, None, None, "unverifiable", [], err.message))
            continue
        verdict = numeric_verdict(spec.claimed, value, spec.comparison, spec.high)
        annualised = [q for q in used if q.annualised]
        note = ("; ".join(f"{q.label} annualised from {q.period}" for q in annualised))
        checks.append(YearCheck(year, value, value / spec.claimed if spec.claimed else None,
                                verdict, used, note))
    with_data = [c for c in checks if c.computed is not None]
    if not with_data:
        return ClaimResult(spec, checks, "unverifiable", None,
                           f"No data to compute {metric.describe} for "
                           f"{', '.join(str(c.year) for c in checks) or 'any year'}.")
    head = with_data[-1]
    if headline == "latest_full":
        head = next((c for c in reversed(with_data) if not c.note), head)
    verdict = head.verdict
    if metric.category_note and verdict in ("accurate", "roughly right"):
        verdict = "misleading"
    per_year = "; ".join(f"{c.year}: {format_amount(c.computed, metric.unit)}"
                         + (" (annualised)" if c.note else "")
                         for c in with_data if c.computed is not None)
    assert head.computed is not None
    explanation = (
        f"Claimed {format_amount(spec.claimed, metric.unit)} for {metric.describe} "
        f"({country_name(case.sender)} -> {country_name(case.target)}); the data give "
        f"{per_year}. In {head.year} the claim is {head.verdict}"
        + (f" (computed/claimed = {head.ratio:.2f})." if head.ratio is not None else ".")
    )
    if metric.category_note:
        explanation += " " + metric.category_note
    seen: dict[str, dict[str, Any]] = {}
    for c in with_data:
        for q in c.sources:
            seen.setdefault(q.cite() + q.label, q.to_dict())
    return ClaimResult(spec, checks, verdict, head.year, explanation, list(seen.values()))
