"""Global Energy Monitor (GEM) pipeline trackers: capacities, status and countries crossed.

Two published map-data layouts are read (CSV files GEM's own interactive maps load):

* Global Oil Infrastructure Tracker (``goit_map_data_*.csv``): ``project, unit, type, parent,
  countries, status, start_year, capacity, geom, route, url``; ``capacity`` in **barrels per
  day** (the file has no unit column; values above :data:`SUSPECT_BPD` are flagged, GEM's own
  caveat: a few rows use other units);
* Europe Gas Tracker (``europe_gas_tracker_map_data_*.csv``, UTF-16): the same identity
  columns plus ``units`` (``bcm/y`` for most pipelines) and ``status_tabular``; only its
  pipeline rows are kept (not power plants, extraction areas or LNG terminals).

Each pipeline segment becomes one row of the store's ``pipelines`` table (see
:mod:`geolever.store.assets`): a stable ``asset_id`` (project and segment names upper-cased,
non-letters as ``_``), the countries crossed as ISO3 codes in GEM's order, status, start
year, capacity and its unit, GEM's wiki URL, and the tracker release as the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geolever.core.errors import InvalidDataError
from geolever.core.inputs import reading
from geolever.sources.codes import to_iso3
from geolever.sources.flows import require_file

GEM_CITATION = "Global Energy Monitor, https://globalenergymonitor.org/ (CC BY 4.0)"
#: Oil capacities above this (bbl/d) are not plausible for one pipeline (GEM's caveat).
SUSPECT_BPD = 5e6
_NEED = ("project", "type", "countries", "status", "capacity")
_UNITS = {"bcm/y": "bcm/yr"}


@dataclass(frozen=True)
class GemRead:
    """Pipeline rows read from a GEM map-data file, its tracker name and names left out."""

    frame: pd.DataFrame
    tracker: str
    skipped: list[str]


def _asset_id(project: str, unit: str) -> str:
    text = f"{project} {unit}" if unit and unit != project else project
    return re.sub(r"[^A-Z0-9]+", "_", text.upper()).strip("_")


def read_gem_csv(path: Path) -> GemRead:
    """Read a GEM pipeline map-data CSV (oil or gas layout) into pipeline rows.

    Returns
    -------
    GemRead
        ``frame`` with ``asset_id``, ``project``, ``segment``, ``commodity`` (oil, ngl,
        gas, hydrogen), ``countries`` (ISO3 codes separated by spaces), ``status``,
        ``start_year``, ``capacity``, ``capacity_unit``, ``suspect`` (capacity flagged),
        ``url``; the tracker release (from the file name) and the country names left out.

    Raises
    ------
    InvalidDataError
        When the file lacks GEM's columns (naming them).
    """
    path = require_file(Path(path), "GEM map data")
    with path.open("rb") as fh:
        utf16 = fh.read(2) in (b"\xff\xfe", b"\xfe\xff")
    with reading(path, "GEM map-data CSV"):
        raw = pd.read_csv(path, encoding="utf-16" if utf16 else "utf-8", dtype=str,
                          keep_default_na=False)
    missing = [c for c in _NEED if c not in raw.columns]
    if missing:
        raise InvalidDataError(f"{path.name} lacks GEM's columns {missing}", field=path.name,
                               fix="give a GEM map-data CSV (goit_map_data_*.csv or "
                               "europe_gas_tracker_map_data_*.csv)")
    raw = raw[raw["type"].str.contains("pipeline")].copy()
    names = sorted({n.strip() for c in raw["countries"] for n in c.split(",") if n.strip()})
    mapped = to_iso3(names, names=names).set_index("code")["iso3"]
    iso: dict[str, str] = {n: str(mapped[n]) for n in names if isinstance(mapped.get(n), str)}
    skipped = sorted(n for n in names if n not in iso)

    def crossed(cell: str) -> str:
        return " ".join(iso[n.strip()] for n in cell.split(",") if n.strip() in iso)

    countries = raw["countries"].map(crossed)
    capacity = pd.to_numeric(raw["capacity"].str.replace(",", ""), errors="coerce")
    bad = raw["capacity"].ne("") & capacity.isna()
    if bad.any():
        line = int(bad.to_numpy().argmax()) + 2
        raise InvalidDataError(f"capacity {raw['capacity'][bad].iloc[0]!r} is not a number",
                               field=f"{path.name} row {line}, column capacity",
                               fix="capacities must be plain numbers or empty")
    if "units" in raw.columns:
        unit = raw["units"].map(lambda u: _UNITS.get(u, u))
    else:
        unit = pd.Series("bbl/d", index=raw.index)
    status = raw["status_tabular"] if "status_tabular" in raw.columns else raw["status"]
    segment = raw["unit"] if "unit" in raw.columns else pd.Series("", index=raw.index)
    frame = pd.DataFrame({
        "asset_id": [_asset_id(p, u) for p, u in zip(raw["project"], segment, strict=True)],
        "project": raw["project"].str.strip(),
        "segment": segment.str.strip(),
        "commodity": raw["type"].str.replace("_pipelines", "").str.replace("_pipeline", ""),
        "countries": countries,
        "status": status.str.strip(),
        "start_year": pd.to_numeric(raw["start_year"], errors="coerce").where(
            lambda y: y > 1800),
        "capacity": capacity,
        "capacity_unit": unit.where(capacity.notna(), ""),
        "suspect": (unit == "bbl/d") & (capacity > SUSPECT_BPD),
        "url": raw["url"] if "url" in raw.columns else "",
    })
    frame = frame.drop_duplicates("asset_id", keep="first", ignore_index=True)
    tracker = re.sub(r"_map_data_", " ", path.stem).replace("_", " ")
    return GemRead(frame, tracker, skipped)
