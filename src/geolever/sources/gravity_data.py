"""Read gravity datasets (CSV/TSV/.dlm, Stata .dta, Parquet) into a validated long table.

The long table has one row per (exporter, importer, year) with the flow in ``trade``
(in the file's own unit) plus whatever regressors the file carries (distance,
contiguity, agreement dummies, ...). Domestic sales are rows with exporter == importer.

The unit of ``trade`` is not in the files (Yotov et al.'s Stata label even says "current US
dollars" for values in US$ million): :func:`trade_unit` takes it from the user or from
``reference/gravity_units.csv``, which documents the published datasets by content hash.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geolever.core.errors import DataNotFoundError, InvalidDataError, UnknownCodeError
from geolever.core.inputs import reading

KEY = ["exporter", "importer", "year"]

#: Units a gravity file's ``trade`` column may be in, and their size in US$.
TRADE_UNITS = {"USD": 1.0, "USD thousand": 1e3, "USD million": 1e6, "USD billion": 1e9}


@dataclass(frozen=True)
class TradeUnit:
    """The unit of a gravity file's flows: its name, its size in US$ and where it comes from."""

    unit: str
    usd: float
    basis: str


@cache
def _documented() -> dict[str, tuple[str, str]]:
    ref = resources.files("geolever.reference").joinpath("gravity_units.csv")
    rows = csv.DictReader(ref.read_text(encoding="utf-8").splitlines())
    return {r["sha256"]: (r["unit"], f"{r['file']}: {r['basis']}") for r in rows}


def trade_unit(path: str | Path, unit: str | None = None) -> TradeUnit:
    """Return the unit of the ``trade`` column of a gravity file.

    Parameters
    ----------
    path
        The gravity file.
    unit
        The unit the user states (``USD``, ``USD thousand``, ``USD million``, ``USD billion``;
        ``_`` for the space is accepted); None: the unit documented for this file (by its
        SHA-256) in ``reference/gravity_units.csv``.

    Raises
    ------
    InvalidDataError
        An unknown unit, or none given for a file whose unit is not documented.
    """
    names = ", ".join(u.replace(" ", "_") for u in TRADE_UNITS)
    if unit is not None:
        name = unit.strip().replace("_", " ")
        match = next((u for u in TRADE_UNITS if u.lower() == name.lower()), None)
        if match is None:
            raise InvalidDataError(f"unknown trade unit {unit!r}", field="unit",
                                   fix=f"use one of {names}")
        return TradeUnit(match, TRADE_UNITS[match], "stated by the user (unit option)")
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    known = _documented().get(digest)
    if known is None:
        raise InvalidDataError(
            f"the unit of the trade column of {Path(path).name} is not documented",
            field="unit",
            fix=f"state it: --opt unit=USD_million (one of {names}), as the dataset's "
            "documentation gives it")
    return TradeUnit(known[0], TRADE_UNITS[known[0]], known[1])


def _read_table(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix == ".dta":
        return pd.read_stata(path, convert_categoricals=False)
    if suffix in (".parquet", ".pq"):
        return pd.read_parquet(path)
    if suffix in (".csv", ".tsv", ".dlm", ".txt"):
        with path.open(newline="", encoding="utf-8") as fh:
            head = fh.read(4096)
        try:
            sep = csv.Sniffer().sniff(head, delimiters=",\t;|").delimiter
        except csv.Error:
            sep = "\t" if suffix == ".tsv" else ","
        return pd.read_csv(path, sep=sep)
    raise InvalidDataError(
        f"unknown gravity file type {suffix!r}",
        field=str(path),
        fix="use .csv, .tsv, .dlm, .dta or .parquet",
    )


def read_gravity(
    path: str | Path,
    *,
    exporter: str = "exporter",
    importer: str = "importer",
    year: str = "year",
    trade: str = "trade",
    rename: dict[str, str] | None = None,
    sector: str | None = None,
    sector_optional: bool = False,
) -> pd.DataFrame:
    """Read a gravity dataset into a validated long DataFrame.

    Parameters
    ----------
    path
        File to read: ``.csv``/``.tsv``/``.dlm``/``.txt`` (delimiter sniffed), ``.dta``
        (Stata) or ``.parquet``.
    exporter, importer, year, trade
        Column names in the file for the exporter code, importer code, year and flow
        value (USD).
    rename
        Codes to replace in the exporter/importer columns (e.g. ``{"ZZZ": "DEU"}``).
    sector
        Column holding the sector of each flow (multi-sector datasets); it becomes
        ``sector`` (stripped string) and part of the row key.
    sector_optional
        If True, a file without the ``sector`` column is read as a single-sector dataset
        (no ``sector`` column in the result) instead of raising.

    Returns
    -------
    pandas.DataFrame
        Columns ``exporter``, ``importer`` (upper-case strings), ``year`` (int),
        ``trade`` (float, USD, >= 0), ``sector`` if asked for, then the file's other
        columns.

    Raises
    ------
    DataNotFoundError
        If the file does not exist.
    InvalidDataError
        Missing columns, NaN or negative flows, or duplicate (exporter, importer, year
        [, sector]) rows.
    """
    p = Path(path)
    if not p.is_file():
        raise DataNotFoundError(
            f"gravity dataset {p} not found", field=str(p), fix="check the path"
        )
    kind = {".dta": "Stata .dta file", ".parquet": "Parquet file", ".pq": "Parquet file"}.get(
        p.suffix.lower(), "gravity CSV/TSV file")
    with reading(p, kind):
        raw = _read_table(p)
    cols = {exporter: "exporter", importer: "importer", year: "year", trade: "trade"}
    if sector is not None and sector_optional and sector not in raw.columns:
        sector = None
    if sector is not None:
        cols[sector] = "sector"
    key = [*KEY, "sector"] if sector is not None else KEY
    missing = [c for c in cols if c not in raw.columns]
    if missing:
        raise InvalidDataError(
            f"column(s) {missing} not in {p.name} (has {list(raw.columns)[:12]})",
            field=missing[0],
            fix="name the columns with exporter=/importer=/year=/trade=",
        )
    df = raw.rename(columns=cols)
    for c in ("exporter", "importer"):
        df[c] = df[c].astype(str).str.strip().str.upper()
        if rename:
            df[c] = df[c].replace(rename)
    if sector is not None:
        blank = df["sector"].isna()
        if blank.any():
            r = df.loc[blank].iloc[0]
            raise InvalidDataError(
                f"{int(blank.sum())} row(s) without a sector, first {r['exporter']}->"
                f"{r['importer']}",
                field=sector,
                fix="give every flow a sector",
            )
        df["sector"] = df["sector"].astype(str).str.strip()

    def where(r: pd.Series) -> str:
        tail = f" in sector {r['sector']}" if sector is not None else ""
        return f"{r['exporter']}->{r['importer']}{tail}"

    df["year"] = pd.to_numeric(df["year"], errors="coerce")
    df["trade"] = pd.to_numeric(df["trade"], errors="coerce").astype(float)
    for c in ("year", "trade"):
        bad = df[c].isna()
        if bad.any():
            r = df.loc[bad].iloc[0]
            raise InvalidDataError(
                f"{int(bad.sum())} row(s) with missing {c}, first {where(r)}",
                field=f"{p.name}, row {int(bad.to_numpy().argmax()) + 1}, column {c}",
                fix="fill or drop rows with missing values before the analysis",
            )
    # inf/1e309 flows and fractional years are not data (issue 14)
    for c, flags in (("trade", ~np.isfinite(df["trade"].to_numpy())),
                     ("year", (df["year"] % 1 != 0).to_numpy())):
        if flags.any():
            r = df.loc[flags].iloc[0]
            raise InvalidDataError(
                f"{c} {r[c]!r} for {where(r)} is not a finite {'whole ' if c == 'year' else ''}"
                "number",
                field=f"{p.name}, row {int(flags.argmax()) + 1}, column {c}",
                fix="give finite numbers (whole years)",
            )
    df["year"] = df["year"].astype(int)
    neg = df["trade"] < 0
    if neg.any():
        r = df.loc[neg].iloc[0]
        raise InvalidDataError(
            f"negative trade {r['trade']} for {where(r)} {r['year']}",
            field="trade",
            fix="flows must be >= 0",
        )
    dup = df.duplicated(key, keep=False)
    if dup.any():
        r = df.loc[dup].iloc[0]
        raise InvalidDataError(
            f"{int(dup.sum())} duplicate rows, e.g. {where(r)} {r['year']}",
            field=",".join(key),
            fix="aggregate or drop duplicate pairs",
        )
    head = ["exporter", "importer", "year", "trade", *key[3:]]
    rest = [c for c in df.columns if c not in head]
    return df[[*head, *rest]].reset_index(drop=True)


def _one_year(df: pd.DataFrame, year: int | None) -> tuple[int, pd.DataFrame]:
    """Return the year to use and its rows (the only year when ``year`` is None)."""
    years = sorted(df["year"].unique())
    if year is None:
        if len(years) != 1:
            raise InvalidDataError(
                f"the table holds {len(years)} years ({years[0]}..{years[-1]})",
                field="year",
                fix="pass year=",
            )
        year = int(years[0])
    sub = df[df["year"] == year]
    if sub.empty:
        raise InvalidDataError(f"no rows for year {year}", field="year", fix=f"use one of {years}")
    return year, sub


def flow_matrix(
    df: pd.DataFrame,
    *,
    year: int | None = None,
    value: str = "trade",
    countries: Sequence[str] | None = None,
) -> tuple[list[str], NDArray[np.float64]]:
    """Pivot one year of a long gravity table into a square flow matrix.

    Parameters
    ----------
    df
        Long table as returned by :func:`read_gravity`.
    year
        Year to use; may be omitted when the table holds one year only.
    value
        Column to pivot (default ``trade``, USD).
    countries
        Country order; default sorted codes of all exporters and importers.

    Returns
    -------
    codes, matrix
        Country codes and the (N, N) matrix (exporter rows, importer columns, USD).

    Raises
    ------
    InvalidDataError
        If the year is ambiguous or absent, or any ordered pair (including domestic
        sales) is missing.
    """
    year, sub = _one_year(df, year)
    codes = list(countries) if countries else sorted(set(sub["exporter"]) | set(sub["importer"]))
    wide = sub.pivot(index="exporter", columns="importer", values=value)
    wide = wide.reindex(index=codes, columns=codes)
    if wide.isna().any().any():
        e, i = np.argwhere(wide.isna().to_numpy())[0]
        n_missing = int(wide.isna().sum().sum())
        raise InvalidDataError(
            f"{n_missing} ordered pair(s) missing in {year}, e.g. {codes[e]}->{codes[i]}",
            field=f"{codes[e]}->{codes[i]}",
            fix="the GE model needs every pair including domestic sales; add 0 for no trade",
        )
    return codes, wide.to_numpy(dtype=np.float64)


def sector_flow_tensor(
    df: pd.DataFrame,
    *,
    year: int | None = None,
    value: str = "trade",
    countries: Sequence[str] | None = None,
    sectors: Sequence[str] | None = None,
) -> tuple[list[str], list[str], NDArray[np.float64]]:
    """Pivot one year of a long multi-sector gravity table into an (S, N, N) flow array.

    Parameters
    ----------
    df
        Long table with a ``sector`` column, as returned by
        ``read_gravity(..., sector=COLUMN)``.
    year
        Year to use; may be omitted when the table holds one year only.
    value
        Column to pivot (default ``trade``, USD).
    countries, sectors
        Orders of countries and sectors; default sorted codes found in that year.

    Returns
    -------
    codes, sector_codes, flows
        Country codes, sector codes and flows of shape (S, N, N): sector, exporter,
        importer, USD; domestic sales on the diagonal.

    Raises
    ------
    InvalidDataError
        No ``sector`` column, an ambiguous or absent year, duplicate (sector, exporter,
        importer) rows, NaN or negative values, or any sector lacking an ordered pair
        (domestic sales included); the error names the sector and the pair.
    """
    if "sector" not in df.columns:
        raise InvalidDataError(
            "the table has no sector column",
            field="sector",
            fix="read the dataset with read_gravity(..., sector=COLUMN)",
        )
    year, sub = _one_year(df, year)
    key = ["sector", "exporter", "importer"]
    dup = sub.duplicated(key, keep=False)
    if dup.any():
        r = sub.loc[dup].iloc[0]
        raise InvalidDataError(
            f"{int(dup.sum())} duplicate rows in {year}, e.g. sector {r['sector']} "
            f"{r['exporter']}->{r['importer']}",
            field=f"{r['sector']}:{r['exporter']}->{r['importer']}",
            fix="aggregate or drop duplicate rows",
        )
    vals = pd.to_numeric(sub[value], errors="coerce")
    bad = vals.isna() | (vals < 0)
    if bad.any():
        r = sub.loc[bad].iloc[0]
        raise InvalidDataError(
            f"{value} of sector {r['sector']} {r['exporter']}->{r['importer']} in {year} is "
            f"{r[value]!r}",
            field=f"{r['sector']}:{r['exporter']}->{r['importer']}",
            fix="flows must be numbers >= 0 (0 for no trade)",
        )
    codes = list(countries) if countries else sorted(set(sub["exporter"]) | set(sub["importer"]))
    secs = list(sectors) if sectors else sorted(sub["sector"].unique())
    wide = sub.assign(**{value: vals}).pivot(
        index=["sector", "exporter"], columns="importer", values=value
    )
    wide = wide.reindex(
        index=pd.MultiIndex.from_product([secs, codes], names=["sector", "exporter"]),
        columns=codes,
    )
    missing = wide.isna().to_numpy()
    if missing.any():
        row, i = np.argwhere(missing)[0]
        k, e = divmod(int(row), len(codes))
        raise InvalidDataError(
            f"{int(missing.sum())} (sector, ordered pair) cell(s) missing in {year}, e.g. "
            f"sector {secs[k]} {codes[e]}->{codes[i]}",
            field=f"{secs[k]}:{codes[e]}->{codes[i]}",
            fix="every sector needs every pair including domestic sales; add 0 for no trade",
        )
    flows = wide.to_numpy(dtype=np.float64).reshape(len(secs), len(codes), len(codes))
    return codes, secs, flows


def _share_table(
    path: str | Path, columns: Sequence[str], codes: Sequence[str], sectors: Sequence[str]
) -> pd.DataFrame:
    """Read a share CSV, check columns, codes, duplicates and values (0 <= share <= 1)."""
    p = Path(path)
    if not p.is_file():
        raise DataNotFoundError(f"share file {p} not found", field=str(p), fix="check the path")
    df = _read_table(p)
    need = [*columns, "share"]
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise InvalidDataError(
            f"column(s) {missing} not in {p.name} (has {list(df.columns)[:12]})",
            field=f"{p.name}:{missing[0]}",
            fix=f"the file needs the columns {', '.join(need)}",
        )
    df = df[need].copy()
    df["country"] = df["country"].astype(str).str.strip().str.upper()
    for c in columns[1:]:
        df[c] = df[c].astype(str).str.strip()
    for c, known in [("country", codes), *((c, sectors) for c in columns[1:])]:
        unknown = sorted(set(df[c]) - set(known))
        if unknown:
            raise UnknownCodeError(
                f"{c} {unknown[0]!r} in {p.name} is not in the dataset",
                field=f"{p.name}:{c}",
                fix=f"use one of {', '.join(known)}",
            )
    dup = df.duplicated(list(columns), keep=False)
    if dup.any():
        r = df.loc[dup].iloc[0]
        raise InvalidDataError(
            f"duplicate rows in {p.name} for {'/'.join(str(r[c]) for c in columns)}",
            field=f"{p.name}:{'/'.join(str(r[c]) for c in columns)}",
            fix="give each combination once",
        )
    df["share"] = pd.to_numeric(df["share"], errors="coerce")
    bad = df["share"].isna() | (df["share"] < 0) | (df["share"] > 1)
    if bad.any():
        r = df.loc[bad].iloc[0]
        raise InvalidDataError(
            f"share for {'/'.join(str(r[c]) for c in columns)} in {p.name} is not in [0, 1]",
            field=f"{p.name}:{'/'.join(str(r[c]) for c in columns)}",
            fix="shares are fractions of costs between 0 and 1",
        )
    return df


def read_io_shares(
    path: str | Path, countries: Sequence[str], sectors: Sequence[str]
) -> NDArray[np.float64]:
    """Read input-output cost shares from a CSV (country, input_sector, sector, share).

    Parameters
    ----------
    path
        File with one row per country, input sector ``k`` and using sector ``j``; ``share``
        is the share of sector-``k`` inputs in the costs of sector ``j`` (dimensionless,
        0..1). Combinations not listed are 0.
    countries, sectors
        Codes in the order of the flow array.

    Returns
    -------
    numpy.ndarray
        ``io[n, k, j]``, shape (N, S, S), as ``io_shares`` of the multi-sector GE model.

    Raises
    ------
    DataNotFoundError, InvalidDataError, UnknownCodeError
        Missing file or columns, duplicate rows, shares outside [0, 1], unknown codes.
    """
    df = _share_table(path, ["country", "input_sector", "sector"], countries, sectors)
    io = np.zeros((len(countries), len(sectors), len(sectors)))
    ci = pd.Index(countries).get_indexer(pd.Index(df["country"]))
    si = pd.Index(sectors)
    ki, ji = si.get_indexer(pd.Index(df["input_sector"])), si.get_indexer(pd.Index(df["sector"]))
    io[ci, ki, ji] = df["share"].to_numpy(dtype=np.float64)
    return io


def read_va_shares(
    path: str | Path, countries: Sequence[str], sectors: Sequence[str]
) -> NDArray[np.float64]:
    """Read value-added shares of gross output from a CSV (country, sector, share).

    Parameters
    ----------
    path
        File with one row per country and sector; ``share`` is value added / gross output
        (dimensionless, in (0, 1]). Every (country, sector) must be present.
    countries, sectors
        Codes in the order of the flow array.

    Returns
    -------
    numpy.ndarray
        Shape (S, N), as ``value_added_share`` of the multi-sector GE model.

    Raises
    ------
    DataNotFoundError, InvalidDataError, UnknownCodeError
        Missing file, columns or (country, sector) rows, duplicates, shares outside
        [0, 1], unknown codes.
    """
    df = _share_table(path, ["country", "sector"], countries, sectors)
    wide = df.pivot(index="sector", columns="country", values="share").reindex(
        index=list(sectors), columns=list(countries)
    )
    missing = wide.isna().to_numpy()
    if missing.any():
        k, n = np.argwhere(missing)[0]
        raise InvalidDataError(
            f"no value-added share for {countries[n]} sector {sectors[k]} in {Path(path).name}",
            field=f"{Path(path).name}:{countries[n]}/{sectors[k]}",
            fix="give a share for every country and sector",
        )
    return wide.to_numpy(dtype=np.float64)
