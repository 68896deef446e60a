"""The fact: one sourced value, the unit of data exchange between every layer.

A :class:`Fact` is what a loader produces and what the store keeps: an indicator for a
country (and optionally a partner, product, asset or measure definition), a year and
period, a value with its unit, and its provenance (quality, source, citation, note).
Validation here is the single gate every value passes before it reaches the store.
"""

from __future__ import annotations

import csv
import hashlib
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from geolever.core.countries import normalise_country
from geolever.core.errors import InvalidDataError, UnknownCodeError
from geolever.core.goods import product_info
from geolever.core.units import PERIOD_MONTHS, get_unit

Quality = Literal["reported", "mirror", "derived", "estimate", "plan"]

#: Preference among conflicting values of one quantity, best first (see FactStore.get).
QUALITY_RANK: dict[str, int] = {"reported": 0, "mirror": 1, "derived": 2, "estimate": 3, "plan": 4}

KEY_COLUMNS = ("indicator", "country", "partner", "product", "entity", "measure", "year", "period")
COLUMNS = (*KEY_COLUMNS, "value", "unit", "quality", "preferred", "source", "citation", "note")


@dataclass(frozen=True)
class IndicatorSpec:
    """An indicator's definition from ``reference/indicators.csv``."""

    name: str
    dimension: str
    allow_negative: bool
    keys: tuple[str, ...]
    description: str


@cache
def indicator_table() -> dict[str, IndicatorSpec]:
    """Return the indicator vocabulary keyed by name."""
    text = resources.files("geolever.reference").joinpath("indicators.csv").read_text("utf-8")
    return {
        r["indicator"]: IndicatorSpec(
            r["indicator"],
            r["dimension"],
            r["allow_negative"] == "yes",
            tuple(r["keys"].split()),
            r["description"],
        )
        for r in csv.DictReader(text.splitlines())
    }


@cache
def product_table() -> dict[str, dict[str, str]]:
    """Return the product reference table keyed by code (name, group, HS codes)."""
    text = resources.files("geolever.reference").joinpath("products.csv").read_text("utf-8")
    return {r["code"]: r for r in csv.DictReader(text.splitlines())}


class Fact(BaseModel):
    """One sourced value.

    Attributes
    ----------
    indicator
        Name from ``reference/indicators.csv``.
    country, partner
        ISO3 codes (or WLD/ROW/EU27); partner is empty when the indicator has none.
    product
        Code from ``reference/products.csv``, an HS code of 2, 4 or 6 digits, or empty.
    entity
        Asset or corridor-route id (e.g. ``BTC``) or empty.
    measure
        Name of the definition when sources measure different things under one
        indicator (e.g. ``money_transfer_systems``), or empty.
    year, period
        Calendar year and the part of it covered (``FY``, ``H1``, ``Jan-Sep``, ``point``).
    value, unit
        The number as published and its unit symbol.
    quality
        reported, mirror (partner-reported), derived, estimate or plan.
    preferred
        True on the one value computations use among conflicting ones.
    source, citation, note
        Who published it, where (URL), and caveats.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    indicator: str
    country: str = ""
    partner: str = ""
    product: str = ""
    entity: str = ""
    measure: str = ""
    year: int
    period: str = "FY"
    value: float
    unit: str
    quality: Quality = "reported"
    preferred: bool = False
    source: str
    citation: str = ""
    note: str = ""

    @field_validator("indicator")
    @classmethod
    def _known_indicator(cls, v: str) -> str:
        if v not in indicator_table():
            raise UnknownCodeError(
                f"unknown indicator {v!r}",
                field="indicator",
                fix=f"use one of: {', '.join(sorted(indicator_table()))}",
            )
        return v

    @field_validator("country")
    @classmethod
    def _country(cls, v: str) -> str:
        return normalise_country(v, field="country") if v else ""

    @field_validator("partner")
    @classmethod
    def _partner(cls, v: str) -> str:
        return normalise_country(v, field="partner") if v else ""

    @field_validator("product")
    @classmethod
    def _product(cls, v: str) -> str:
        if v and product_info(v) is None:
            raise UnknownCodeError(
                f"unknown product {v!r}",
                field="product",
                fix=f"use a code from reference/products.csv ({', '.join(product_table())}) "
                "or an HS code of 2, 4 or 6 digits (reference/hs_nomenclature.csv)",
            )
        return v

    @field_validator("period")
    @classmethod
    def _period(cls, v: str) -> str:
        if v not in PERIOD_MONTHS:
            raise InvalidDataError(
                f"unknown period {v!r}", field="period", fix=f"use one of {list(PERIOD_MONTHS)}"
            )
        return v

    @field_validator("year")
    @classmethod
    def _year(cls, v: int) -> int:
        if not 1900 <= v <= 2100:
            raise InvalidDataError(
                f"year {v} out of range", field="year", fix="use a calendar year, e.g. 2023"
            )
        return v

    @model_validator(mode="after")
    def _value_and_unit(self) -> Fact:
        spec = indicator_table()[self.indicator]
        for key in spec.keys:
            if not getattr(self, key):
                raise InvalidDataError(
                    f"{self.indicator} needs a {key}",
                    field=key,
                    fix=f"give {key} for every {self.indicator} value",
                )
        unit = get_unit(self.unit)
        if unit.dimension != spec.dimension:
            raise InvalidDataError(
                f"{self.indicator} is measured in {spec.dimension} units but the value "
                f"is given in {self.unit} ({unit.dimension})",
                field="unit",
                fix=f"give {self.indicator} in a {spec.dimension} unit",
            )
        if not math.isfinite(self.value):
            raise InvalidDataError(
                f"{self.indicator} {self.country} {self.year}: value is not a finite number",
                field="value",
                fix="give a number; leave the row out if the value is unknown",
            )
        if self.value < 0 and not spec.allow_negative:
            raise InvalidDataError(
                f"{self.indicator} {self.country} {self.year}: negative value {self.value}",
                field="value",
                fix=f"{self.indicator} cannot be negative; check the sign and the unit",
            )
        if not self.source.strip():
            raise InvalidDataError(
                f"{self.indicator} {self.country} {self.year}: no source",
                field="source",
                fix="every value needs the body that published it",
            )
        return self

    @property
    def key(self) -> tuple[str | int, ...]:
        """The identity of the quantity (without value and provenance)."""
        return tuple(getattr(self, c) for c in KEY_COLUMNS)

    @property
    def fact_id(self) -> str:
        """Stable id of this exact value from this source: loading it twice is a no-op."""
        raw = "|".join(str(getattr(self, c)) for c in (*KEY_COLUMNS, "value", "unit", "source"))
        return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:20]
