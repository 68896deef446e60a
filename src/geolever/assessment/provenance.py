"""Provenance entries of a result: the sourced figures and the labelled assumptions it used.

:class:`Source` is a :class:`~geolever.core.quantity.Quantity` as result.json carries it (a
lever's ``sources``, the run's ``denominators``); :class:`Assumption` is an uncertain
parameter of ``parameters.yaml`` as the lever's draws used it (its ``assumptions``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from geolever.core.quantity import Quantity
from geolever.world.case import ParameterSpec


class Source(BaseModel):
    """A sourced figure a result used (a :class:`~geolever.core.quantity.Quantity` as data).

    The entries of a lever's ``sources`` and of result.json's ``denominators``.
    """

    model_config = ConfigDict(frozen=True)

    value: float = Field(..., description="The figure, in ``unit``")
    unit: str = Field(..., description="Unit symbol (USD, share, Mt, ...)")
    year: int
    period: str = Field(..., description="FY (the year), point, or the part of the year "
                        "covered (H1, Q1-Q3, ...)")
    label: str = Field(..., description="What the figure is, in words")
    source: str = Field(..., description="Dataset or publisher")
    citation: str = Field(..., description="URL or reference ('' if none)")
    quality: str = Field(..., description="reported, derived or estimate")
    note: str
    measure: str = Field(..., description="The definition, when sources measure different "
                         "things under one indicator")
    annualised: bool = Field(..., description="True when a partial period was pro-rated")
    stand_in_for: int | None = Field(..., description="The year asked for, when this value "
                                     "is from an earlier year standing in for it")
    alternatives: list[Source] = Field(..., description="Other values for the same figure "
                                       "that were not selected")
    by_member: dict[str, float] = Field(..., description="A coalition's sum: each member's "
                                        "own value, in ``unit``")

    @classmethod
    def of(cls, q: Quantity) -> Source:
        """Return the entry of a quantity."""
        return cls(value=q.value, unit=q.unit, year=q.year, period=q.period, label=q.label,
                   source=q.source, citation=q.citation, quality=q.quality, note=q.note,
                   measure=q.measure, annualised=q.annualised, stand_in_for=q.stand_in_for,
                   alternatives=[cls.of(a) for a in q.alternatives],
                   by_member=dict(q.by_member))


class Assumption(ParameterSpec):
    """A labelled uncertain parameter a lever used: its distribution, unit and basis.

    ``basis`` says whether it is an ``assumption`` or ``sourced`` (then ``source`` cites
    it); ``low``, ``mode`` and ``high`` are in ``unit``.
    """

    parameter: str = Field(..., description="The parameter's name (parameters.yaml)")

    @classmethod
    def of(cls, name: str, spec: ParameterSpec) -> Assumption:
        """Return the entry of parameter ``name``."""
        return cls(parameter=name, **spec.model_dump())
