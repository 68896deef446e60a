"""Gravity datasets (CSV/TSV/.dlm, Stata, Parquet) as bulk trade flows.

The file is read and validated by :func:`geolever.sources.gravity_data.read_gravity`
(columns ``exporter, importer, year, trade``; domestic sales are rows with exporter ==
importer). Flows are all goods (``hs6 = TOTAL``, group ``TOTAL``), stored in US$: the file's
unit (US$ million for Yotov et al. 2016 and gegravity's sample) is stated by the user or
documented in ``reference/gravity_units.csv`` (:func:`~geolever.sources.gravity_data.trade_unit`).
Codes must be ISO3 (or mapped with ``rename``,
e.g. ``{"ZZZ": "DEU"}`` for Yotov et al.'s reference country).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geolever.sources.codes import to_iso3
from geolever.sources.flows import FlowSource, require_file
from geolever.sources.gravity_data import read_gravity, trade_unit


def gravity_flow_source(
    path: Path,
    *,
    rename: dict[str, str] | None = None,
    trade: str = "trade",
    dataset: str | None = None,
    unit: str | None = None,
) -> FlowSource:
    """Describe a gravity dataset as a bulk flow source.

    Parameters
    ----------
    path
        Gravity dataset file (see :func:`~geolever.sources.gravity_data.read_gravity`).
    rename
        Codes to replace before mapping (e.g. ``{"ZZZ": "DEU"}``).
    trade
        Column holding the flow value (US$).
    dataset
        Dataset name; default ``gravity:<file stem>``.
    unit
        Unit of the flow column (``USD``, ``USD thousand``, ``USD million``, ``USD billion``);
        None: the unit documented for the file, else an error asking for it.

    Returns
    -------
    FlowSource
        All-goods flows, domestic sales included.
    """
    path = require_file(Path(path), "gravity dataset")
    df = read_gravity(path, rename=rename, trade=trade)
    scale = trade_unit(path, unit)
    frame = pd.DataFrame(
        {
            "year_raw": df["year"].astype(str),
            "exporter_code": df["exporter"],
            "importer_code": df["importer"],
            "hs_raw": "TOTAL",
            "value_raw": df["trade"].map(repr),
            "quantity_raw": "",
            "flow_basis": "reconciled",
            "keep": True,
        }
    )
    codes = sorted(set(frame["exporter_code"]) | set(frame["importer_code"]))
    return FlowSource(
        dataset=dataset or f"gravity:{path.stem}",
        kind="gravity",
        relation="SELECT * FROM _gl_frame",
        columns={
            "year": "year",
            "exporter": "exporter",
            "importer": "importer",
            "hs6": "(all goods)",
            "value": trade,
            "quantity": "(none)",
        },
        value_scale=scale.usd,
        quantity_scale=1.0,
        countries=to_iso3(codes),
        source=f"gravity dataset {path.name}",
        citation=f"file {path.name} (see its SOURCES.md or publisher); flows in "
        f"{scale.unit}, {scale.basis}",
        origin=str(path),
        size_bytes=path.stat().st_size,
        header_lines=0,
        frame=frame,
    )
