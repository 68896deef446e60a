"""IMF Direction of Trade Statistics (DOTS): bilateral goods trade totals by partner.

Published layout (IMF data portal download ``Exports_and_Imports_by_Areas_and_Co.xlsx``,
one workbook per reporter): two sheets, ``Exports, FOB`` and ``Imports, CIF``. Column A is
empty; B2 holds the title, B4 the **reporter** (IMF naming, e.g. ``Azerbaijan, Rep. of``),
B5 the unit (``US Dollars, Millions``), row 7 the years from column C; from row 8 column B
names the partner and columns C... hold the values (blank = not available). Partner rows
mix countries and aggregates (``World``, ``Euro Area``, regions, a ``Memorandum Items``
block); the first partner row repeats a later one.

Each non-blank cell of a country partner (or ``World``, stored as partner ``WLD``) becomes
one row of the store's ``trade_totals`` table (:mod:`geolever.store.totals`): the
reporter's exports FOB to, or imports CIF from, the partner in US$ (the file's millions x
1e6). Names are mapped to ISO3 by ``reference/imf_dots_names.csv`` (IMF names
``country_converter`` does not know, and historical entities, which are left out) and
``country_converter``; aggregates and unmapped names are left out and listed.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from geolever.core.errors import DataNotFoundError, InvalidDataError
from geolever.core.inputs import reading
from geolever.sources.codes import to_iso3
from geolever.sources.flows import require_file

DOTS_SOURCE = "IMF DOTS"
DOTS_CITATION = (
    "International Monetary Fund, Direction of Trade Statistics (DOTS), https://data.imf.org/"
)
#: Sheet name -> the flow it holds, seen from the reporter.
SHEETS = {"Exports, FOB": "exports", "Imports, CIF": "imports"}
#: Rows of the layout (0-based): reporter name, unit, year header; data start after.
_REPORTER_ROW, _UNIT_ROW, _YEAR_ROW = 3, 4, 6


@dataclass(frozen=True)
class DotsRead:
    """Rows read from DOTS workbooks and the names left out.

    Attributes
    ----------
    frame
        ``reporter``, ``partner`` (ISO3; partner ``WLD`` = all partners), ``year``,
        ``flow`` (``exports`` FOB or ``imports`` CIF, as the reporter reports them),
        ``value_usd`` (US$), ``estimated`` (True where the IMF marks the cell ``e``: an
        estimate, e.g. from partner reports) and ``origin`` (the workbook).
    skipped
        Reporter and partner names that are aggregates or not countries of today.
    files
        Workbooks read.
    """

    frame: pd.DataFrame
    skipped: list[str]
    files: int


@cache
def _dots_names() -> dict[str, str]:
    text = resources.files("geolever.reference").joinpath("imf_dots_names.csv").read_text("utf-8")
    return {r["name"]: r["iso3"] for r in csv.DictReader(text.splitlines())}


def _map_names(names: list[str]) -> dict[str, str | None]:
    table = _dots_names()
    out: dict[str, str | None] = {n: (table[n] or None) for n in names if n in table}
    rest = [n for n in names if n not in table]
    if rest:
        mapped = to_iso3(rest, names=rest).set_index("code")["iso3"]
        out.update({n: (mapped.get(n) if isinstance(mapped.get(n), str) else None)
                    for n in rest})
    return out


def _sheet(path: Path, name: str, raw: pd.DataFrame) -> tuple[str, pd.DataFrame]:
    """Return the reporter name and the long (partner, year, value in US$ m) rows of a sheet."""
    where = f"{path.name}, sheet {name!r}"
    if raw.shape[0] <= _YEAR_ROW + 1 or raw.shape[1] < 3:
        raise InvalidDataError(f"sheet too small for the DOTS layout ({raw.shape})", field=where,
                               fix="give the IMF download as served (reporter in B4, years in "
                               "row 7, partners from row 8)")
    reporter = str(raw.iat[_REPORTER_ROW, 1]).strip()
    unit = str(raw.iat[_UNIT_ROW, 1]).strip().lower()
    if "million" not in unit or "dollar" not in unit:
        raise InvalidDataError(f"unit {raw.iat[_UNIT_ROW, 1]!r} is not US Dollars, Millions",
                               field=f"{where}, cell B5",
                               fix="download the values in US Dollars, Millions")
    years = pd.to_numeric(raw.iloc[_YEAR_ROW, 2:], errors="coerce")
    if years.isna().all():
        raise InvalidDataError("no years in row 7", field=f"{where}, row 7",
                               fix="give the IMF download as served (years in row 7 from C)")
    body = raw.iloc[_YEAR_ROW + 1:, :]
    partners = body.iloc[:, 1].astype(str).str.strip()
    cols = [c for c, y in zip(raw.columns[2:], years, strict=True) if pd.notna(y)]
    cells = body[cols]
    values = pd.DataFrame(index=cells.index)
    estimated = pd.DataFrame(False, index=cells.index, columns=cols)
    for c in cols:
        col = cells[c]
        if col.dtype.kind in "fi":
            values[c] = col
            continue
        # estimated cells are text: a trailing " e" and thousands separators ("1,032.13 e")
        text = col.where(col.map(lambda x: isinstance(x, str)))
        flagged = text.str.strip().str.endswith(" e").fillna(False).astype(bool)
        cleaned = text.str.strip().str.removesuffix(" e").str.replace(",", "", regex=False)
        values[c] = pd.to_numeric(col.where(text.isna(), cleaned), errors="coerce")
        estimated[c] = flagged
    bad = cells.notna() & values.isna()
    if bad.to_numpy().any():
        r, c = np.argwhere(bad.to_numpy())[0]
        raise InvalidDataError(
            f"cell {body[cols].iat[r, c]!r} is not a number",
            field=f"{where}, row {_YEAR_ROW + 2 + r}, column {int(cols[c]) + 1}",
            fix="cells must be numbers (US$ million) or blank")
    year_labels = [int(years[c]) for c in cols]
    values.columns = year_labels
    estimated.columns = year_labels
    values.insert(0, "partner_name", partners.to_numpy())
    estimated.insert(0, "partner_name", partners.to_numpy())
    # the first partner row repeats a later one (the IMF download's quirk): keep one
    keep = ~values["partner_name"].duplicated(keep="last").to_numpy()
    long = values[keep].melt(id_vars="partner_name", var_name="year", value_name="value")
    flags = estimated[keep].melt(id_vars="partner_name", var_name="year", value_name="estimated")
    long["estimated"] = flags["estimated"].to_numpy()
    return reporter, long.dropna(subset=["value"])


def read_dots(path: Path) -> DotsRead:
    """Read one DOTS workbook or a folder of them (``*.xlsx``) into long rows.

    Parameters
    ----------
    path
        A workbook in the IMF layout (see the module docstring) or a folder holding them.

    Returns
    -------
    DotsRead
        Rows in US$ with ISO3 codes, and the names left out.

    Raises
    ------
    InvalidDataError
        For a sheet that is not in the layout or a cell that is not a number (naming the
        workbook, sheet, row and column) or a negative value.
    DataNotFoundError
        For a folder without workbooks.
    """
    path = Path(path)
    files = sorted(path.glob("*.xlsx")) if path.is_dir() else [require_file(path, "IMF DOTS")]
    if not files:
        raise DataNotFoundError(f"no .xlsx workbooks in {path}", field="PATH",
                                fix="give a DOTS workbook or the folder holding them")
    parts = []
    for file in files:
        # only empty cells are missing: "n/a" or "-" in a value cell is an error, not a gap
        with reading(file, "IMF DOTS workbook (.xlsx)",
                     fix="give the IMF DOTS download as served (Exports_and_Imports_by_Areas_"
                     "and_Co.xlsx)"):
            sheets = pd.read_excel(file, sheet_name=None, header=None, engine="calamine",
                                   keep_default_na=False, na_values=[""])
        missing = [s for s in SHEETS if s not in sheets]
        if missing:
            raise InvalidDataError(f"no sheet {missing[0]!r} (has {list(sheets)})",
                                   field=file.name, fix="give the IMF DOTS download as served")
        for sheet, flow in SHEETS.items():
            reporter, long = _sheet(file, sheet, sheets[sheet])
            long["reporter_name"] = reporter
            long["flow"] = flow
            long["origin"] = file.name
            parts.append(long)
    frame = pd.concat(parts, ignore_index=True)
    names = sorted(set(frame["partner_name"]) | set(frame["reporter_name"]))
    iso = _map_names(names)
    frame["reporter"] = frame["reporter_name"].map(iso)
    frame["partner"] = frame["partner_name"].map(iso)
    skipped = sorted(n for n in names if iso.get(n) is None)
    frame = frame.dropna(subset=["reporter", "partner"])
    frame = frame[(frame["reporter"] != frame["partner"]) & (frame["reporter"] != "WLD")]
    negative = frame[frame["value"] < 0]
    if not negative.empty:
        row = negative.iloc[0]
        raise InvalidDataError(
            f"negative trade value {row['value']} ({row['reporter_name']} "
            f"{row['flow']} {row['partner_name']} {row['year']})",
            field=str(row["origin"]), fix="trade values cannot be negative; check the file")
    out = pd.DataFrame({
        "reporter": frame["reporter"].astype(str),
        "partner": frame["partner"].astype(str),
        "year": frame["year"].astype(int),
        "flow": frame["flow"],
        "value_usd": frame["value"].astype(float) * 1e6,
        "estimated": frame["estimated"].astype(bool),
        "origin": frame["origin"],
    })
    # two IMF names for one ISO3 code (a workbook per entity): keep the first workbook's
    out = out.drop_duplicates(["reporter", "partner", "year", "flow"], ignore_index=True)
    return DotsRead(out, skipped, len(files))
