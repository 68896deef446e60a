"""Typed, labelled assessment results: bands, one lever, a whole case.

:class:`Band`, :class:`LeverAssessment` and :class:`CaseAssessment` are what
:func:`~geolever.assessment.assess_levers` returns. Each has ``summary()`` (a text table,
as statsmodels results have) and ``to_frame()`` (tidy pandas); the per-draw,
per-country effects are a pandas frame indexed by ``(country, draw)`` (and ``lever``
for a case). The lever's entry of result.json is :class:`LeverAssessment` itself
(pydantic), serialised with its aliases; its JSON Schema is published by
``geolever schema result``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from geolever.assessment.provenance import Assumption, Source
from geolever.core.quantity import Quantity
from geolever.effects import CountryEffect, Details
from geolever.levers import LeverKind
from geolever.models.uncertainty import percentiles
from geolever.world import Case

Array = npt.NDArray[np.float64]

#: Columns of the per-draw effects frames: US$/yr, positive = loss.
EFFECT_COLUMNS = ("income_usd", "fx_usd", "budget_usd", "transit_usd")


class Band(BaseModel):
    """5th, 50th and 95th percentiles of a Monte Carlo sample."""

    model_config = ConfigDict(frozen=True)

    p5: float = Field(..., description="5th percentile")
    p50: float = Field(..., description="Median")
    p95: float = Field(..., description="95th percentile")

    @classmethod
    def of(cls, draws: Array) -> Band:
        """Band of a sample."""
        return cls(**percentiles(np.asarray(draws, dtype=float)))

    def to_dict(self) -> dict[str, float]:
        """JSON-ready mapping."""
        return {"p5": self.p5, "p50": self.p50, "p95": self.p95}

    def scaled(self, factor: float) -> Band:
        """Return the band multiplied by ``factor`` (e.g. US$ to US$ million)."""
        return Band(p5=self.p5 * factor, p50=self.p50 * factor, p95=self.p95 * factor)

    def to_frame(self, name: str = "value", unit: str = "") -> pd.DataFrame:
        """One tidy row: ``measure, unit, p5, p50, p95``."""
        return pd.DataFrame([{"measure": name, "unit": unit, **self.to_dict()}])

    def summary(self, name: str = "value", unit: str = "") -> str:
        """One line: ``name  p50 [p5 - p95] unit``."""
        return f"{name}: {self.p50:,.6g} [{self.p5:,.6g} - {self.p95:,.6g}] {unit}".rstrip()


class Driver(BaseModel):
    """A parameter that moves the target's loss (rank correlation over the draws)."""

    parameter: str
    spearman_rho: float
    description: str
    basis: str


class MissingData(BaseModel):
    """Why a lever is not assessable: the data item missing and how to supply it."""

    error: str
    message: str
    field: str | None
    fix: str | None


class MemberCost(BaseModel):
    """One coalition member's part of the sender's cost (see :mod:`assessment.members`)."""

    member: str = Field(..., description="ISO3 code of the member")
    name: str
    share_of_flow: float = Field(..., description="Share (0-1) of the value the lever cuts")
    cost_usd: Band = Field(..., description="The member's cost, US$ per year")
    cost_pct_gdp: Band | None = Field(..., description="The member's cost, % of its own GDP")


#: (attribute, unit, label) of the bands in summaries and frames, in display order.
_BANDS = (
    ("target_loss_usd", "US$/yr", "target loss"),
    ("target_loss_pct_gdp", "% of target GDP", "target loss"),
    ("target_loss_pct_budget", "% of target budget revenue", "target budget loss"),
    ("target_loss_pct_fx_earnings", "% of target export earnings", "target FX loss"),
    ("target_loss_pct_household_consumption", "% of household consumption", "target loss"),
    ("target_budget_loss_usd", "US$/yr", "target budget loss"),
    ("sender_cost_usd", "US$/yr", "sender cost"),
    ("sender_cost_pct_gdp", "% of sender GDP", "sender cost"),
    ("asymmetry", "ratio", "asymmetry (target % / sender %)"),
    ("substitution_1y", "share", "routed around within 1 year"),
    ("substitution_3y", "share", "routed around within 3 years"),
)


class LeverAssessment(BaseModel):
    """Everything the report and result.json say about one lever.

    Attributes not in result.json: ``target_draws`` and ``sender_draws`` (income loss per
    draw, US$/yr), ``lever`` (the validated lever, None for the combined row), ``effects``
    (per-country effects per draw, see :meth:`draws_frame`) and ``facts`` (the sourced
    quantities the lever's model used).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    id: str
    kind: str
    engine: str = ""
    label: str
    description: str
    verdict: str = Field(..., description="Leverage verdict (reference/verdict_scales.yaml): "
                         "no/weak/moderate/strong leverage, backfires, infeasible, not "
                         "assessable")
    damage: str = Field("none", description="Damage to the target on the damage scale "
                        "(none/minor/material/severe, median % of its GDP)")
    sender_damage: str = Field("none", description="The sender's own cost on the damage "
                               "scale (median % of its GDP)")
    judgement: bool
    feasible: bool
    alternative_to: str | None = None
    feasibility: str
    reasons: list[str]
    target_loss_usd: Band
    sender_cost_usd: Band
    target_loss_pct_gdp: Band
    sender_cost_pct_gdp: Band
    target_loss_pct_budget: Band | None
    target_loss_pct_fx_earnings: Band | None
    target_loss_pct_household_consumption: Band | None
    target_budget_loss_usd: Band | None
    flow_at_risk_usd: float
    flow_at_risk_pct: dict[str, float]
    asymmetry: Band | None
    substitution_1y: Band | None
    substitution_3y: Band | None
    third_countries_loss_usd: dict[str, Band]
    drivers: list[Driver]
    sources: list[Source] = Field(..., description="The sourced figures the lever used, "
                                  "each once")
    assumptions: list[Assumption] = Field(..., description="The labelled parameters the "
                                          "lever's draws used")
    notes: list[str]
    details: Details | None = Field(..., description="What the lever's engine reports "
                                    "beyond the money (its own model, tagged by engine); "
                                    "None where it reports nothing")
    missing: MissingData | None = None
    sender_cost_by_member: list[MemberCost] = Field(
        default_factory=list, description="A coalition sender's cost split among its "
        "members by their part of the flows cut (empty for one country, or a model that "
        "sees the coalition as one region)")
    target_draws: SkipJsonSchema[Array] = Field(default_factory=lambda: np.zeros(0),
                                                exclude=True, repr=False)
    sender_draws: SkipJsonSchema[Array] = Field(default_factory=lambda: np.zeros(0),
                                                exclude=True, repr=False)
    lever: SkipJsonSchema[LeverKind | None] = Field(None, exclude=True, repr=False)
    effects: SkipJsonSchema[dict[str, CountryEffect]] = Field(
        default_factory=dict, exclude=True, repr=False)
    facts: SkipJsonSchema[list[Quantity]] = Field(default_factory=list, exclude=True,
                                                  repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the lever entry of result.json."""
        return self.model_dump(mode="json", by_alias=True)

    def to_frame(self) -> pd.DataFrame:
        """Tidy bands: one row per measure (``lever, measure, unit, p5, p50, p95``)."""
        rows = []
        for attr, unit, label in _BANDS:
            band = getattr(self, attr)
            if band is not None:
                rows.append({"lever": self.id, "measure": attr, "label": label, "unit": unit,
                             **band.to_dict()})
        for country, band in self.third_countries_loss_usd.items():
            rows.append({"lever": self.id, "measure": f"third_country_loss_usd[{country}]",
                         "label": f"{country} loss", "unit": "US$/yr", **band.to_dict()})
        for part in self.sender_cost_by_member:
            rows.append({"lever": self.id, "measure": f"sender_cost_usd[{part.member}]",
                         "label": f"{part.member} cost", "unit": "US$/yr",
                         **part.cost_usd.to_dict()})
            if part.cost_pct_gdp is not None:
                rows.append({"lever": self.id, "measure": f"sender_cost_pct_gdp[{part.member}]",
                             "label": f"{part.member} cost", "unit": "% of member GDP",
                             **part.cost_pct_gdp.to_dict()})
        return pd.DataFrame(rows, columns=["lever", "measure", "label", "unit", "p5", "p50",
                                           "p95"])

    def draws_frame(self) -> pd.DataFrame:
        """Per-draw effects by country: index ``(country, draw)``, columns US$/yr."""
        return _effects_frame(self.effects)

    def summary(self) -> str:
        """Return a text table of the verdict and bands (as statsmodels' ``summary``)."""
        width = 78
        head = [
            f"Lever assessment: {self.label}".center(width), "=" * width,
            f"{'Id:':<12}{self.id:<27}{'Verdict:':<12}{self.verdict}",
            f"{'Damage:':<12}{self.damage:<27}{'Own cost:':<12}{self.sender_damage}",
            f"{'Kind:':<12}{self.kind:<27}{'Engine:':<12}{self.engine or '-'}",
            f"{'Feasible:':<12}{'yes' if self.feasible else 'no':<27}"
            f"{'Judgement:':<12}{'yes' if self.judgement else 'no'}",
            "-" * width,
            f"{'measure':<34}{'p5':>10}{'p50':>10}{'p95':>10}  unit",
            "-" * width,
        ]
        body = [f"{str(r['label'])[:33]:<34}{r['p5']:>10.4g}{r['p50']:>10.4g}"
                f"{r['p95']:>10.4g}  {r['unit']}" for r in self.to_frame().to_dict("records")]
        tail = ["=" * width, *(f"- {reason}" for reason in self.reasons)]
        return "\n".join([*head, *body, *tail])


def _effects_frame(effects: dict[str, CountryEffect]) -> pd.DataFrame:
    frames = []
    for country, eff in effects.items():
        n = len(eff.income_usd)
        frames.append(pd.DataFrame(
            {c: np.asarray(getattr(eff, c), dtype=float) for c in EFFECT_COLUMNS},
            index=pd.MultiIndex.from_product([[country], range(n)], names=["country", "draw"])))
    if not frames:
        return pd.DataFrame(columns=list(EFFECT_COLUMNS),
                            index=pd.MultiIndex.from_arrays([[], []], names=["country", "draw"]))
    return pd.concat(frames)


@dataclass
class CaseAssessment:
    """All levers of a case plus their combination and the denominators used."""

    case: Case
    levers: list[LeverAssessment]
    combined: LeverAssessment | None
    denominators: dict[str, Quantity]
    n_draws: int
    seed: int

    def rows(self) -> Sequence[LeverAssessment]:
        """Return the levers, then the combined row if any."""
        return [*self.levers, *([self.combined] if self.combined else [])]

    def lever(self, lever_id: str) -> LeverAssessment:
        """Return the assessment of the lever with id ``lever_id``."""
        for row in self.rows():
            if row.id == lever_id:
                return row
        raise KeyError(f"no lever {lever_id!r}; levers: {', '.join(r.id for r in self.rows())}")

    def to_frame(self) -> pd.DataFrame:
        """Tidy bands of every lever (and the combined row), one row per lever and measure."""
        return pd.concat([r.to_frame() for r in self.rows()], ignore_index=True)

    def draws_frame(self) -> pd.DataFrame:
        """Per-draw effects: index ``(lever, country, draw)``, columns US$/yr."""
        return pd.concat({r.id: r.draws_frame() for r in self.rows()}, names=["lever"])

    def summary(self) -> str:
        """Return a text table: per lever the verdict, median target loss and sender cost."""
        width = 96
        c = self.case
        lines = [
            f"Case assessment: {c.sender} -> {c.target}, {c.year}".center(width), "=" * width,
            f"{'Case:':<10}{c.name:<30}{'Draws:':<8}{self.n_draws:<10}{'Seed:':<7}{self.seed}",
            "-" * width,
            f"{'lever':<26}{'verdict':<18}{'target US$m':>13}{'% GDP':>8}{'sender US$m':>13}"
            f"{'% GDP':>8}{'1y':>6}{'3y':>6}",
            "-" * width,
        ]
        for r in self.rows():
            sub = ["-" if b is None else f"{b.p50:.0%}"
                   for b in (r.substitution_1y, r.substitution_3y)]
            lines.append(
                f"{r.id[:25]:<26}{r.verdict:<18}{r.target_loss_usd.p50 / 1e6:>13,.1f}"
                f"{r.target_loss_pct_gdp.p50:>8.3f}{r.sender_cost_usd.p50 / 1e6:>13,.1f}"
                f"{r.sender_cost_pct_gdp.p50:>8.3f}{sub[0]:>6}{sub[1]:>6}")
        lines.append("=" * width)
        return "\n".join(lines)
