"""The baseline of the all-pairs leverage matrix, from the store's bulk trade flows.

Flows of one year from the store's bulk table, aggregated to the chosen countries plus the
rest of the world (``ROW``). The GE model needs each country's domestic sales (the
diagonal). When the dataset records them (gravity datasets), they are used. Otherwise (BACI,
Comtrade) the **assumption** is Anderson and van Wincoop's (2003, *American Economic
Review* 93(1), 170-192, section IV): a country's output, sales to all destinations
including itself, equals its GDP (World Bank WDI NY.GDP.MKTP.CD, current US$), so
domestic sales = GDP - exports of goods to the other units, floored at ``floor`` x
max(GDP, exports) for entrepot economies whose goods exports exceed GDP.

This is the world layer's answer for the matrix, as :mod:`geolever.world.trade` is for one
case: the levers compile their pair shocks against it (``TradeRestriction.compile_pairs``)
and the engines solve them; neither reads the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geolever.core.errors import DataNotFoundError, UnknownCodeError
from geolever.store.bulk import aggregate_flows, flow_datasets_for_year
from geolever.store.facts import FactStore, rank_facts
from geolever.world.trade import domestic_from_gdp

FloatArray = NDArray[np.float64]

DOMESTIC_ASSUMPTION = (
    "domestic sales = GDP (WDI NY.GDP.MKTP.CD, current US$) minus goods exports to the "
    "other units, floored at {floor:.0%} of max(GDP, exports); output = GDP as in Anderson "
    "and van Wincoop (2003, AER 93(1), section IV)"
)


@dataclass(frozen=True)
class MatrixBaseline:
    """The baseline of the matrix: aggregated flows with domestic sales, and their origin.

    Attributes
    ----------
    countries
        Codes in matrix order; the rest of the world, if any, last.
    flows
        (N, N) flows, US$: exporter rows, importer columns, domestic sales on the diagonal.
    restricted
        (N, N) international flows of the restricted product groups, US$ (equal to the
        off-diagonal of ``flows`` for all goods).
    rest
        Code of the rest-of-world unit, or None.
    year, dataset
        Year and the store dataset(s) the flows come from.
    goods
        The product groups ``restricted`` holds (``("TOTAL",)``: all goods).
    assumptions
        Sentences stating how the baseline was built (domestic sales, floors, ...).
    """

    countries: tuple[str, ...]
    flows: FloatArray
    restricted: FloatArray
    rest: str | None = None
    year: int | None = None
    dataset: str = ""
    assumptions: tuple[str, ...] = field(default_factory=tuple)
    goods: tuple[str, ...] = ("TOTAL",)

    @property
    def n(self) -> int:
        """Number of units (countries and the rest of the world)."""
        return len(self.countries)


def _pick_gdp(store: FactStore, year: int) -> pd.Series:
    """One GDP value (US$) per country for ``year`` by the store's selection order."""
    frame = store.query(indicator="gdp", year=year)
    frame = frame[(frame["unit"] == "USD") & frame["period"].isin(["FY", "point"])]
    if frame.empty:
        return pd.Series(dtype=float)
    best = rank_facts(frame).drop_duplicates("country")
    return best.set_index("country")["value"].astype(float)


def baseline_from_store(
    store: FactStore,
    year: int,
    countries: Sequence[str] | None = None,
    *,
    goods: Sequence[str] | None = None,
    dataset: str | None = None,
    rest: str = "ROW",
    floor: float = 0.05,
    gdp: pd.Series | None = None,
) -> MatrixBaseline:
    """Build the matrix baseline from the store's trade flows (and GDP facts).

    Parameters
    ----------
    store
        Store with bulk flows (``geolever data import baci ...``) and, unless the dataset
        has domestic flows, GDP facts (``geolever data import wdi ...``).
    year
        Calendar year of the flows.
    countries
        ISO3 codes to keep separately (others form ``rest``). Default: every country
        with flows in the year (and GDP, when GDP is needed).
    goods
        Product groups restricted (``food``, ``energy``, ...); default all goods.
    dataset
        Store dataset to use; needed when several hold flows for the year.
    rest
        Code of the rest-of-world unit.
    floor
        Smallest domestic share of output (see :func:`domestic_from_gdp`).
    gdp
        GDP per ISO3 code, US$, instead of the store's ``gdp`` facts.

    Returns
    -------
    MatrixBaseline

    Raises
    ------
    DataNotFoundError
        No flows for the year, several datasets and none chosen, or no GDP for a chosen
        country.
    UnknownCodeError
        A chosen country with no flows in the year.
    """
    names = flow_datasets_for_year(store, year)
    if not names:
        raise DataNotFoundError(
            f"no trade flows for {year} in the store",
            field="year",
            fix="import a BACI year or another flow source (geolever data import baci FILE)",
        )
    if dataset is None and len(names) > 1:
        raise DataNotFoundError(
            f"{len(names)} datasets hold flows for {year}: {', '.join(names)}",
            field="dataset",
            fix="choose one with --dataset",
        )
    ds = dataset or names[0]
    if ds not in names:
        raise DataNotFoundError(
            f"dataset {ds!r} has no flows for {year}",
            field="dataset",
            fix=f"use one of: {', '.join(names)}",
        )
    raw = store.con.execute(
        "SELECT exporter, importer, sum(value_usd) AS v, bool_or(exporter = importer) AS dom "
        "FROM trade_flows WHERE year = ? AND dataset = ? GROUP BY ALL",
        [year, ds],
    ).df()
    has_domestic = bool(raw["dom"].any())
    present = sorted(set(raw["exporter"]) | set(raw["importer"]))
    gdp_all = (
        gdp
        if gdp is not None
        else (pd.Series(dtype=float) if has_domestic else _pick_gdp(store, year))
    )
    notes: list[str] = []
    if countries:
        chosen = [c.strip().upper() for c in countries]
        missing = [c for c in chosen if c not in present]
        if missing:
            raise UnknownCodeError(
                f"no flows for {', '.join(missing)} in {ds} {year}",
                field="countries",
                fix="choose countries present in the dataset",
            )
        if not has_domestic:
            no_gdp = [c for c in chosen if c not in gdp_all.index]
            if no_gdp:
                raise DataNotFoundError(
                    f"no GDP for {', '.join(no_gdp)} in {year} (needed for domestic sales)",
                    field="countries",
                    fix="import WDI GDP (geolever data import wdi gdp.csv) or drop them",
                )
    else:
        chosen = [c for c in present if has_domestic or c in gdp_all.index]
        dropped = len(present) - len(chosen)
        if dropped:
            notes.append(f"{dropped} economies without GDP for {year} are in {rest}")
    agg = aggregate_flows(store, year, chosen, dataset=ds, rest=rest)
    units = list(chosen) + (
        [rest] if (agg["exporter"] == rest).any() or (agg["importer"] == rest).any() else []
    )
    index = {c: k for k, c in enumerate(units)}
    n = len(units)
    flows = np.zeros((n, n))
    intl = agg[~agg["domestic"]]
    np.add.at(
        flows,
        (intl["exporter"].map(index).to_numpy(), intl["importer"].map(index).to_numpy()),
        intl["value_usd"].to_numpy(),
    )
    restricted = flows.copy()
    if goods and not (len(goods) == 1 and goods[0].upper() == "TOTAL"):
        part = intl[intl["product_group"].isin(list(goods))]
        if part.empty and not intl.empty:
            have = sorted(set(intl["product_group"]))
            raise DataNotFoundError(
                f"no flows of {', '.join(goods)} in {ds} {year} (groups there: {have})",
                field="goods",
                fix="choose product groups present in the dataset",
            )
        restricted = np.zeros((n, n))
        np.add.at(
            restricted,
            (part["exporter"].map(index).to_numpy(), part["importer"].map(index).to_numpy()),
            part["value_usd"].to_numpy(),
        )
    np.fill_diagonal(restricted, 0.0)
    if has_domestic:
        dom = agg[agg["domestic"]]
        np.add.at(
            flows,
            (dom["exporter"].map(index).to_numpy(), dom["importer"].map(index).to_numpy()),
            dom["value_usd"].to_numpy(),
        )
        notes.append(f"domestic sales as recorded in {ds}")
    else:
        gdp_units = np.array([float(gdp_all.get(c, np.nan)) for c in chosen])
        if rest in index:
            world = float(gdp_all.get("WLD", np.nan))
            others = gdp_all.drop([c for c in [*chosen, "WLD"] if c in gdp_all.index])
            others = others[[c for c in others.index if c in present]]
            rest_gdp = world - gdp_units.sum() if np.isfinite(world) else float(others.sum())
            gdp_units = np.append(gdp_units, max(rest_gdp, 0.0))
        exports = flows.sum(axis=1) - np.diag(flows)
        domestic, floored = domestic_from_gdp(exports, gdp_units, floor)
        # intra-ROW trade is part of ROW's GDP-based domestic sales, not added to it
        flows[np.diag_indices(n)] = domestic
        notes.append(DOMESTIC_ASSUMPTION.format(floor=floor))
        if floored.any():
            notes.append("floor applied for " + ", ".join(np.array(units)[floored]))
    return MatrixBaseline(
        countries=tuple(units),
        flows=flows,
        restricted=restricted,
        rest=rest if rest in index else None,
        year=year,
        dataset=ds,
        assumptions=tuple(notes),
        goods=tuple(goods) if goods and not (len(goods) == 1 and goods[0].upper() == "TOTAL")
        else ("TOTAL",),
    )
