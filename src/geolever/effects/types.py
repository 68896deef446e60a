"""What engines return: per-country losses per Monte Carlo draw, and what a shock did.

All money is in US$ per year; a positive number is a loss. Every array has one entry per
Monte Carlo draw.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

from geolever.core.countries import country_name
from geolever.core.errors import DataNotFoundError
from geolever.core.quantity import Quantity
from geolever.world import Case

Array = npt.NDArray[np.float64]


@dataclass
class CountryEffect:
    """Losses of one country (US$/yr per draw; negative = gain)."""

    country: str
    income_usd: Array
    fx_usd: Array
    budget_usd: Array
    transit_usd: Array

    @classmethod
    def zero(cls, country: str, n: int) -> CountryEffect:
        """Return an effect of nothing at all."""
        return cls(country, np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n))

    def add(self, other: CountryEffect) -> None:
        """Accumulate another effect on the same country in place."""
        self.income_usd = self.income_usd + other.income_usd
        self.fx_usd = self.fx_usd + other.fx_usd
        self.budget_usd = self.budget_usd + other.budget_usd
        self.transit_usd = self.transit_usd + other.transit_usd


class EngineDetails(BaseModel):
    """What an engine reports about a shock beyond the per-country money (result.json).

    Each engine that reports details declares one subclass in its own file, with a field
    ``engine: Literal["<engine name>"]`` (the discriminator of the ``details`` union in
    result.json and its JSON Schema) and registers it with
    ``@register(..., details=TheModel)`` (:mod:`geolever.effects.registry`). Fields carry
    their unit in the name (``_usd``: US$ a year, ``_mt``: million tonnes, ``_pct``: %)
    or in the description.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    engine: str


@dataclass
class LeverEffects:
    """What a shock does to the target, the sender and third countries."""

    target: CountryEffect
    sender: CountryEffect
    others: dict[str, CountryEffect]
    feasible: bool
    feasibility: str
    value_at_risk_usd: float  # what the target has at stake on the links cut, US$/yr
    substitution_1y: Array | None
    substitution_3y: Array | None
    facts: list[Quantity]
    judgement: bool = False
    assessable: bool = True
    notes: list[str] = field(default_factory=list)
    #: The engine's own report on the shock (its :class:`EngineDetails` subclass), None
    #: where it reports none (judgement).
    details: EngineDetails | None = None
    engine: str = ""
    #: False when the engine has no fiscal channel for this shock: ``budget_usd`` is then
    #: no estimate (reported as "not estimated", never as a number); ``budget_note`` says
    #: what the budget figure covers or why there is none.
    budget_estimated: bool = True
    budget_note: str = ""


def budget_ratio(case: Case, country: str) -> float | None:
    """Budget revenue / GDP of ``country`` in the case year (None without data)."""
    try:
        revenue = case.quantity("budget_revenue", country, unit="USD",
                                label=f"state budget revenue of {country_name(country)}")
        return revenue.value / case.gdp_usd(country).value
    except DataNotFoundError:
        return None
