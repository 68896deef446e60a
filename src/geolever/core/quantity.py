"""A number with its unit and provenance, as computations and reports use it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from geolever.core.units import convert


@dataclass(frozen=True)
class Quantity:
    """A selected value with its unit, provenance and the alternatives it was chosen over.

    Attributes
    ----------
    value, unit
        The number and its unit symbol.
    year, period
        What time it covers; ``annualised`` is True when a partial period was pro-rated.
    label
        What it is, in words (e.g. "remittances received by AZE from RUS").
    source, citation, quality, note
        Provenance; ``source`` may list several bodies for derived values.
    measure
        The definition, when sources measure different things under one indicator.
    alternatives
        Other values for the same quantity that were not selected (conflicting sources).
    stand_in_for
        The year asked for when this value is from an earlier year that stands in for it
        (only when the scenario allows it; flagged in every output), else None.
    by_member
        For a sum over a coalition's members (``USA+GBR``, ``EU27``): each member's own
        value, in this quantity's unit, as ``(member, value)`` pairs; empty otherwise.
        Members without a value are absent (the note names them).
    """

    value: float
    unit: str
    year: int
    label: str
    source: str
    period: str = "FY"
    citation: str = ""
    quality: str = "reported"
    note: str = ""
    measure: str = ""
    annualised: bool = False
    alternatives: tuple[Quantity, ...] = field(default=())
    stand_in_for: int | None = None
    by_member: tuple[tuple[str, float], ...] = field(default=())

    def to(self, unit: str, *, fx_per_usd: Mapping[str, float] | None = None) -> Quantity:
        """Return this quantity converted to ``unit`` (currencies need ``fx_per_usd``)."""
        if unit == self.unit:
            return self
        return replace(
            self,
            value=float(convert(self.value, self.unit, unit, fx_per_usd=fx_per_usd)),
            unit=unit,
            alternatives=tuple(a.to(unit, fx_per_usd=fx_per_usd) for a in self.alternatives),
            by_member=tuple((m, float(convert(v, self.unit, unit, fx_per_usd=fx_per_usd)))
                            for m, v in self.by_member),
        )

    def cite(self) -> str:
        """One-line citation: source, year/period, citation URL."""
        when = f"{self.year}" if self.period in ("FY", "point") else f"{self.year} {self.period}"
        text = f"{self.source} ({when})"
        if self.annualised:
            text += f", annualised from {self.period}"
        if self.stand_in_for is not None:
            text += f", standing in for {self.stand_in_for} (no {self.stand_in_for} value)"
        if self.citation:
            text += f", {self.citation}"
        return text

    def to_dict(self) -> dict[str, object]:
        """JSON-ready mapping including the alternatives."""
        return {
            "value": self.value,
            "unit": self.unit,
            "year": self.year,
            "period": self.period,
            "label": self.label,
            "source": self.source,
            "citation": self.citation,
            "quality": self.quality,
            "note": self.note,
            "measure": self.measure,
            "annualised": self.annualised,
            "stand_in_for": self.stand_in_for,
            "alternatives": [a.to_dict() for a in self.alternatives],
            "by_member": dict(self.by_member),
        }
