"""Gravity datasets as the world layer serves them to lever kinds (``geolever ge``).

Lever kinds never read files: ``geolever ge`` reads a gravity dataset here (through the
readers in ``sources``) and hands the kind a :class:`GravityBaseline` (one year's flow
matrix, or the (sector, exporter, importer) array of a multi-sector dataset, with its
input-output and value-added shares), or the long table itself for a replication whose
trade costs are estimated.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geolever.sources.gravity_data import (
    flow_matrix,
    read_gravity,
    read_io_shares,
    read_va_shares,
    sector_flow_tensor,
)

__all__ = ["GravityBaseline", "gravity_baseline", "read_gravity"]


@dataclass(frozen=True)
class GravityBaseline:
    """The baseline of a GE counterfactual: one year of a gravity dataset.

    Attributes
    ----------
    data
        The long table (:func:`~geolever.sources.gravity_data.read_gravity`), all years
        (regressions that estimate a trade-cost change use it).
    year
        Baseline year (None: the dataset's only year).
    countries
        Country codes in array order.
    sectors
        Sector codes in array order (None for a single-sector dataset).
    flows
        Baseline flows, domestic sales included, the dataset's currency unit: (N, N)
        exporter rows, importer columns; (S, N, N) with sectors.
    io_shares
        Input cost shares ``io[n, k, j]`` (country, input sector, sector), dimensionless,
        or None (no input-output links).
    va_share
        Value-added share of gross output per (sector, country), shape (S, N),
        dimensionless, or None.
    """

    data: pd.DataFrame
    year: int | None
    countries: list[str]
    sectors: list[str] | None
    flows: NDArray[np.float64]
    io_shares: NDArray[np.float64] | None = None
    va_share: NDArray[np.float64] | None = None

    def rows(self) -> pd.DataFrame:
        """Return the rows of the baseline year (all rows when no year was named)."""
        return self.data if self.year is None else self.data[self.data["year"] == self.year]

    def values(self, column: str) -> NDArray[np.float64]:
        """Return another column of the baseline year in the flows' shape and order.

        Raises
        ------
        InvalidDataError
            If a pair (or sector) is missing or the column has no number for it.
        """
        if self.sectors is None:
            return flow_matrix(self.data, year=self.year, value=column,
                               countries=self.countries)[1]
        return sector_flow_tensor(self.data, year=self.year, value=column,
                                  countries=self.countries, sectors=self.sectors)[2]

    def with_shares(self, io_path: Path | None, va_path: Path | None) -> GravityBaseline:
        """Return the baseline with the input-output and value-added shares read from files.

        With input shares alone the value-added share is one minus their sum per sector;
        value-added shares go with input shares (the caller checks that both are given).

        Raises
        ------
        InvalidDataError
            A bad file (naming file, column and the fix).
        """
        if self.sectors is None:
            return self
        io = None if io_path is None else read_io_shares(io_path, self.countries, self.sectors)
        va: NDArray[np.float64] | None = None
        if va_path is not None:
            va = read_va_shares(va_path, self.countries, self.sectors)
        elif io is not None:
            va = 1.0 - io.sum(axis=1).T
        return replace(self, io_shares=io, va_share=va)


def gravity_baseline(data: pd.DataFrame, *, year: int | None = None) -> GravityBaseline:
    """Return one year of a read gravity dataset as a GE baseline.

    Parameters
    ----------
    data
        The long table; with a ``sector`` column the baseline is (S, N, N).
    year
        Baseline year (None: the dataset must hold one year).

    Raises
    ------
    InvalidDataError
        A pair or sector missing, a negative or blank flow, two years without ``year``.
    """
    if "sector" in data.columns:
        codes, sectors, flows = sector_flow_tensor(data, year=year)
        return GravityBaseline(data, year, codes, sectors, flows)
    codes, flows = flow_matrix(data, year=year)
    return GravityBaseline(data, year, codes, None, flows)
