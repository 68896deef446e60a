"""Evaluate structured claims for every year the data covers.

Numeric verdicts compare the claimed value with the computed one (ratio computed/claimed):

==============  =============================================
accurate        within 10% of the computed value
roughly right   within 30%
misleading      within a factor of 1.5 (or the claim compares unlike things)
false           further off
unverifiable    no data for any year
==============  =============================================

A claim that is numerically close but compares unlike things (remittances, which are
household income, against the state budget) is ``misleading``, never ``accurate``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from geolever.core.countries import country_name
from geolever.core.errors import DataNotFoundError, UnknownCodeError
from geolever.core.quantity import Quantity
from geolever.shocks.compile import REMITTANCE_MEASURES
from geolever.world import Case
from geolever.world.case import country_key

ACCURATE_WITHIN = 0.10
ROUGHLY_WITHIN = 0.30
MISLEADING_FACTOR = 1.5


class ClaimSpec(BaseModel):
    """A structured claim, as written in a scenario file or extracted from a text."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(..., min_length=3, description="The claim as stated")
    metric: str = Field(..., description="What it is about; one of CLAIM_METRICS")
    claimed: float = Field(..., description="The number claimed, in `unit`")
    unit: str = Field(..., description="Unit of `claimed`: pct, USD, flag (1 = operating), Mt")
    years: list[int] | None = Field(None, description="Years to check; default: all with data")
    asset: str | None = Field(None, description="Asset id, for asset metrics")
    comparison: Literal["about", "at least", "at most"] = "about"


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


def _trade(exporter_is_target: bool) -> Callable[[Case, int, ClaimSpec],
                                                 tuple[float, list[Quantity]]]:
    def compute(case: Case, year: int, _: ClaimSpec) -> tuple[float, list[Quantity]]:
        from geolever.shocks import bilateral_flow

        a, b = (case.target, case.sender) if exporter_is_target else (case.sender, case.target)
        q = bilateral_flow(case, a, b, "TOTAL", year)
        return q.value, [q]
    return compute


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
}


def numeric_verdict(claimed: float, computed: float, comparison: str = "about") -> str:
    """Verdict for one year by the thresholds in the module docstring."""
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


def _fmt(value: float, unit: str) -> str:
    if unit == "USD":
        return f"US${value / 1e9:.2f}bn" if abs(value) >= 1e9 else f"US${value / 1e6:,.0f}m"
    if unit == "pct":
        return f"{value:.1f}%"
    if unit == "flag":
        return "operating" if value > 0 else "not operating"
    return f"{value:,.2f} {unit}"


def evaluate_claim(spec: ClaimSpec, case: Case) -> ClaimResult:
    """Check ``spec`` against the case's data for every year it covers.

    The headline verdict is that of the latest year with data; a category error
    (see :data:`REMITTANCE_NOTE`) caps it at ``misleading``.
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
    years = spec.years or metric.years(case, spec)
    checks = []
    for year in sorted(set(years)):
        try:
            value, used = metric.compute(case, year, spec)
        except DataNotFoundError as err:
            checks.append(YearCheck(year, None, None, "unverifiable", [], err.message))
            continue
        verdict = numeric_verdict(spec.claimed, value, spec.comparison)
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
    verdict = head.verdict
    if metric.category_note and verdict in ("accurate", "roughly right"):
        verdict = "misleading"
    per_year = "; ".join(f"{c.year}: {_fmt(c.computed, metric.unit)}"
                         + (" (annualised)" if c.note else "")
                         for c in with_data if c.computed is not None)
    assert head.computed is not None
    explanation = (
        f"Claimed {_fmt(spec.claimed, metric.unit)} for {metric.describe} "
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
