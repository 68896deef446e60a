"""Units and conversions, all in one place.

Every number in geolever carries a unit from ``reference/units.csv``. This module is the
only place that converts between them: currencies at the year's exchange rate, tonnes and
barrels of crude oil, rates (Mt/yr <-> b/d), and sub-annual periods to annual values.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from geolever.core.errors import UnitError
from geolever.core.formats import format_amount as format_amount  # re-export

#: Barrels per tonne of crude oil: the BP Statistical Review of World Energy approximate
#: conversion factor ("1 tonne of crude oil = 7.33 barrels", world average density).
CRUDE_BBL_PER_TONNE = 7.33

DAYS_PER_YEAR = 365.0

#: Months covered by each period label used in the store. "FY" is a full calendar year.
PERIOD_MONTHS: dict[str, int] = {
    "FY": 12,
    "Jan-Feb": 2,
    "Q1": 3,
    "Jan-Apr": 4,
    "Jan-May": 5,
    "H1": 6,
    "Jan-Jul": 7,
    "Jan-Aug": 8,
    "Jan-Sep": 9,
    "Jan-Oct": 10,
    "Jan-Nov": 11,
    "point": 12,  # a stock or a state at a point in time (capacity, status): not a flow
}

FloatOrArray = TypeVar("FloatOrArray", float, npt.NDArray[np.float64])


@dataclass(frozen=True)
class Unit:
    """A unit of measure: its symbol, dimension and factor to the dimension's base unit."""

    symbol: str
    dimension: str
    factor: float
    description: str


@cache
def unit_table() -> dict[str, Unit]:
    """Return every known unit keyed by symbol (read once from ``reference/units.csv``)."""
    text = resources.files("geolever.reference").joinpath("units.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    return {
        r["unit"]: Unit(r["unit"], r["dimension"], float(r["factor"]), r["description"])
        for r in rows
    }


def get_unit(symbol: str, *, field: str = "unit") -> Unit:
    """Return the :class:`Unit` for ``symbol`` or raise :class:`UnitError` listing valid ones."""
    table = unit_table()
    if symbol not in table:
        raise UnitError(
            f"unknown unit {symbol!r}",
            field=field,
            fix=f"use one of: {', '.join(sorted(table))}",
        )
    return table[symbol]


def convert(
    value: FloatOrArray,
    from_unit: str,
    to_unit: str,
    *,
    fx_per_usd: Mapping[str, float] | None = None,
    bbl_per_tonne: float = CRUDE_BBL_PER_TONNE,
) -> FloatOrArray:
    """Convert ``value`` from one unit to another.

    Parameters
    ----------
    value
        Number or array in ``from_unit``.
    from_unit, to_unit
        Unit symbols from ``reference/units.csv``.
    fx_per_usd
        Currency units per US dollar for the year of the value (e.g. ``{"AZN": 1.70}``);
        required when converting between two different currencies.
    bbl_per_tonne
        Barrels per tonne, used between crude-oil mass and volume (and their rates).

    Returns
    -------
    The value in ``to_unit``.

    Raises
    ------
    UnitError
        Unknown unit, incompatible dimensions, or a missing exchange rate.
    """
    src, dst = get_unit(from_unit), get_unit(to_unit, field="to_unit")
    if src.symbol == dst.symbol:
        return value
    if src.dimension == dst.dimension == "currency":
        rates = dict(fx_per_usd or {})
        rates.setdefault("USD", 1.0)
        for cur in (src.symbol, dst.symbol):
            if cur not in rates:
                raise UnitError(
                    f"no exchange rate for {cur} to convert {src.symbol} to {dst.symbol}",
                    field="exchange_rate",
                    fix=f"add an 'exchange_rate' fact in {cur}/USD for that year",
                )
        return value / rates[src.symbol] * rates[dst.symbol]
    base = value * src.factor
    pair = (src.dimension, dst.dimension)
    if src.dimension == dst.dimension:
        return base / dst.factor
    if pair == ("mass", "oil_volume"):
        return base * bbl_per_tonne / dst.factor
    if pair == ("oil_volume", "mass"):
        return base / bbl_per_tonne / dst.factor
    if pair == ("mass_rate", "oil_rate"):
        return base * bbl_per_tonne / DAYS_PER_YEAR / dst.factor
    if pair == ("oil_rate", "mass_rate"):
        return base * DAYS_PER_YEAR / bbl_per_tonne / dst.factor
    raise UnitError(
        f"cannot convert {src.symbol} ({src.dimension}) to {dst.symbol} ({dst.dimension})",
        field="unit",
        fix="compare quantities of the same kind (money with money, mass with mass)",
    )


def annualise(value: FloatOrArray, period: str) -> FloatOrArray:
    """Scale a flow observed over ``period`` to a full year (linear pro-rating).

    Pro-rating assumes the flow is spread evenly over the year; callers must label the
    result as annualised, since seasonal flows (harvests, remittances before holidays)
    break that assumption.
    """
    if period not in PERIOD_MONTHS:
        raise UnitError(
            f"unknown period {period!r}",
            field="period",
            fix=f"use one of: {', '.join(PERIOD_MONTHS)}",
        )
    return value * (12.0 / PERIOD_MONTHS[period])
