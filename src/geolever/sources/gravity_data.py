"""Read gravity datasets (CSV/TSV/.dlm, Stata .dta, Parquet) into a validated long table.

The long table has one row per (exporter, importer, year) with the flow in ``trade``
(USD, any one currency unit) plus whatever regressors the file carries (distance,
contiguity, agreement dummies, ...). Domestic sales are rows with exporter == importer.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geolever.core.errors import DataNotFoundError, InvalidDataError

KEY = ["exporter", "importer", "year"]


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

    Returns
    -------
    pandas.DataFrame
        Columns ``exporter``, ``importer`` (upper-case strings), ``year`` (int),
        ``trade`` (float, USD, >= 0), then the file's other columns.

    Raises
    ------
    DataNotFoundError
        If the file does not exist.
    InvalidDataError
        Missing columns, NaN or negative flows, or duplicate (exporter, importer, year) rows.
    """
    p = Path(path)
    if not p.is_file():
        raise DataNotFoundError(
            f"gravity dataset {p} not found", field=str(p), fix="check the path"
        )
    raw = _read_table(p)
    cols = {exporter: "exporter", importer: "importer", year: "year", trade: "trade"}
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
    df["year"] = pd.to_numeric(df["year"], errors="coerce")
    df["trade"] = pd.to_numeric(df["trade"], errors="coerce").astype(float)
    for c in ("year", "trade"):
        bad = df[c].isna()
        if bad.any():
            r = df.loc[bad].iloc[0]
            raise InvalidDataError(
                f"{int(bad.sum())} row(s) with missing {c}, first {r['exporter']}->{r['importer']}",
                field=c,
                fix="fill or drop rows with missing values before the analysis",
            )
    df["year"] = df["year"].astype(int)
    neg = df["trade"] < 0
    if neg.any():
        r = df.loc[neg].iloc[0]
        raise InvalidDataError(
            f"negative trade {r['trade']} for {r['exporter']}->{r['importer']} {r['year']}",
            field="trade",
            fix="flows must be >= 0",
        )
    dup = df.duplicated(KEY, keep=False)
    if dup.any():
        r = df.loc[dup].iloc[0]
        raise InvalidDataError(
            f"{int(dup.sum())} duplicate rows, e.g. {r['exporter']}->{r['importer']} {r['year']}",
            field="exporter,importer,year",
            fix="aggregate or drop duplicate pairs",
        )
    rest = [c for c in df.columns if c not in ["exporter", "importer", "year", "trade"]]
    return df[["exporter", "importer", "year", "trade", *rest]].reset_index(drop=True)


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
