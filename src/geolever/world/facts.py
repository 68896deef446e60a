"""Fact look-ups the case's typed accessors do not cover, in the world layer.

Shocks and engines read data only through the world layer (an import-linter contract);
helpers here query the case's store for them.
"""

from __future__ import annotations

from geolever.store import rank_facts
from geolever.world.case import Case


def same_period_value(case: Case, indicator: str, country: str, *, partner: str, year: int,
                      period: str, measure: str) -> float | None:
    """Return the selected value for exactly this year, period and measure (None if none).

    Used to take a share of a total stated for the same period and definition as its
    part (e.g. one sender's remittances of all remittances received in 2024 H1).
    """
    frame = case.store.query(indicator=indicator, country=country, partner=partner,
                             year=year, period=period, measure=measure)
    if frame.empty:
        return None
    return float(rank_facts(frame).iloc[0]["value"])
