"""Reader for the WIOD 2016-release world input-output tables (2000-2014, 43 countries + ROW).

The release publishes one table per year as ``WIOTYYYY_Nov16_ROW.xlsb`` (in
``WIOTS_in_EXCEL.zip``; users also save it as ``.xlsx`` or ``.csv``) and as
``WIOTYYYY_October16_ROW.RData`` (in ``WIOTS_in_R.zip``). pymrio 0.7 parses only the 2013
release, so the layout is read here:

* Spreadsheet (one sheet named after the year): title rows, then header rows with the
  column sector codes (``A01`` ... ``U``; ``CONS_h``, ``CONS_np``, ``CONS_g``, ``GFCF``,
  ``INVEN`` for final demand; ``GO`` for the total), the column countries (``AUS`` ...
  ``ROW``; ``TOT`` for the total) and the column numbers (``c1`` ... ``c56``, then
  ``c57`` ... ``c61`` and ``c62``); data rows carry the sector code (column A), its
  description (B), the country (C) and the row number (D); below them ``II_fob``,
  ``TXSP``, ``EXP_adj``, ``PURR``, ``PURNR``, ``VA``, ``IntTTM`` and ``GO`` (country ``TOT``).
* RData: a data frame ``wiot`` with ``IndustryCode``, ``IndustryDescription``, ``Country``,
  ``RNr``, ``Year`` and one column per country and number (``AUS1`` ... ``ROW61``) plus
  ``TOT``.

Flows are millions of US dollars at current basic prices. Source: Timmer et al. (2015),
Review of International Economics 23: 575-605; WIOD 2016 release, CC BY 4.0.
"""

# Matrix names (Z, Y) follow the input-output literature and pymrio.
# ruff: noqa: N806

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from geolever.core.errors import DataNotFoundError, InvalidDataError
from geolever.sources.io_tables import (
    IOTable,
    check_table_year,
    find_table_file,
    map_region_codes,
    read_sector_groups,
)
from geolever.sources.wiod import WIOD2013_FD_CATEGORIES

#: Final-demand categories of each region, in file order: the 2013 release's five.
WIOD2016_FD_CATEGORIES = WIOD2013_FD_CATEGORIES
WIOD2016_YEARS = range(2000, 2015)
#: Rows below the intermediate block (country ``TOT``), in file order.
WIOD2016_TOTAL_ROWS: tuple[str, ...] = (
    "II_fob",
    "TXSP",
    "EXP_adj",
    "PURR",
    "PURNR",
    "VA",
    "IntTTM",
    "GO",
)
_SPREADSHEET = (".xlsb", ".xlsx", ".csv")
_HEADER_SCAN = 12  # the header rows are within the first rows of the sheet


@dataclass(frozen=True)
class _Layout:
    """The blocks of a WIOD 2016 table, with labels, before mapping to ISO3."""

    countries: list[str]
    sectors: list[str]
    Z: npt.NDArray[np.float64]
    Y: npt.NDArray[np.float64]
    x_file: npt.NDArray[np.float64]
    go_row: npt.NDArray[np.float64] | None


def wiod2016_path(folder: Path | str, year: int) -> Path:
    """Return the WIOD 2016 file for ``year`` under ``folder``.

    Parameters
    ----------
    folder
        A folder holding ``WIOTYYYY_Nov16_ROW.xlsb`` (or ``.xlsx``/``.csv``) or
        ``WIOTYYYY_October16_ROW.RData``, directly or in ``wiod2016/``,
        ``WIOTS_in_EXCEL/`` or ``WIOTS_in_R/``.
    year
        Year, 2000-2014.

    Returns
    -------
    pathlib.Path
    """
    check_table_year("WIOD 2016", year, WIOD2016_YEARS)
    names = [f"WIOT{year}_Nov16_ROW{ext}" for ext in _SPREADSHEET]
    names.append(f"WIOT{year}_October16_ROW.RData")
    subdirs = ("", "wiod2016", "WIOTS_in_EXCEL", "WIOTS_in_R", "wiod2016/WIOTS_in_EXCEL",
               "wiod2016/WIOTS_in_R")
    return find_table_file(
        folder, subdirs, names, what=f"WIOD 2016 file for {year}",
        fix=f"put WIOT{year}_Nov16_ROW.xlsb (from WIOTS_in_EXCEL.zip) or "
        f"WIOT{year}_October16_ROW.RData in that folder or in its wiod2016/ subfolder"
    )


def _bad(path: Path, what: str, fix: str = "use an unmodified WIOD 2016 release file") -> None:
    raise InvalidDataError(f"{path.name}: {what}", field=str(path), fix=fix)


def _cell(row: int, col: int) -> str:
    """Spreadsheet address of a 0-based cell (for error messages)."""
    name, col = "", col + 1
    while col:
        col, rem = divmod(col - 1, 26)
        name = chr(ord("A") + rem) + name
    return f"{name}{row + 1}"


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value).strip()


def _read_grid(path: Path, year: int) -> npt.NDArray[np.object_]:
    """All cells of the year's sheet (or the CSV) as objects."""
    if path.suffix.lower() == ".csv":
        frame = pd.read_csv(path, header=None, dtype=object, keep_default_na=False)
        return frame.to_numpy(dtype=object)
    try:
        book = pd.ExcelFile(path, engine="calamine")
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise InvalidDataError(
            f"{path.name}: reading .xlsb/.xlsx needs the python-calamine package",
            field="python-calamine",
            fix="pip install python-calamine",
        ) from exc
    except Exception as exc:  # calamine raises its own types for broken files
        raise InvalidDataError(
            f"{path.name}: not a readable workbook ({exc})",
            field=str(path),
            fix="download the file again from the WIOD 2016 release",
        ) from exc
    with book:
        sheets = [str(s) for s in book.sheet_names]
        if str(year) not in sheets:
            raise InvalidDataError(
                f"{path.name} has no sheet {str(year)!r} (sheets: {', '.join(sheets)})",
                field=str(path),
                fix="the release names the sheet after the year; give the year of the file",
            )
        frame = book.parse(str(year), header=None, dtype=object)
    return frame.to_numpy(dtype=object)


def _find_row(grid: npt.NDArray[np.object_], label: str, path: Path, what: str) -> int:
    top = grid[:_HEADER_SCAN]
    hits = np.flatnonzero([any(_text(v) == label for v in row) for row in top])
    if hits.size == 0:
        _bad(path, f"no header row with {label!r} ({what}) in the first {_HEADER_SCAN} rows")
    return int(hits[0])


def _numbers(
    block: npt.NDArray[np.object_], path: Path, row0: int, col0: int
) -> npt.NDArray[np.float64]:
    """Convert a block of cells to floats; empty cells are 0, text is an error."""
    try:  # fast path: every cell already a number (the real sheet has ~6.6 million)
        fast = block.astype(np.float64)
        if not np.isnan(fast).any():
            return fast
    except (TypeError, ValueError):
        pass
    flat = pd.Series(block.ravel(), dtype=object)
    empty = flat.isna() | (flat.astype(str).str.strip() == "")
    values = pd.to_numeric(flat.where(~empty, 0.0), errors="coerce")
    bad = np.flatnonzero(values.isna().to_numpy())
    if bad.size:
        r, c = divmod(int(bad[0]), block.shape[1])
        _bad(
            path,
            f"cell {_cell(row0 + r, col0 + c)} holds {flat.iloc[bad[0]]!r}, not a number "
            f"({bad.size} such cells)",
        )
    return values.to_numpy(dtype=np.float64).reshape(block.shape)


def _parse_sheet(grid: npt.NDArray[np.object_], path: Path) -> _Layout:
    """Locate the blocks of the spreadsheet layout and check their labels."""
    code_row = _find_row(grid, "CONS_h", path, "column sector codes")
    country_row = _find_row(grid, "TOT", path, "column countries")
    number_row = _find_row(grid, "c1", path, "column numbers")
    first = int(np.flatnonzero([_text(v) == "c1" for v in grid[number_row]])[0])
    if first < 2:
        _bad(path, "the first value column has no room for the row labels (code .. number)")
    body = max(code_row, country_row, number_row) + 1
    codes = [_text(v) for v in grid[code_row, first:]]
    countries = [_text(v) for v in grid[country_row, first:]]
    z_cols: list[int] = []
    fd_cols: list[int] = []
    tot_col = None
    for j, (code, country) in enumerate(zip(codes, countries, strict=True)):
        if country == "TOT":
            tot_col = j
        elif code in WIOD2016_FD_CATEGORIES:
            fd_cols.append(j)
        elif code and country:
            if fd_cols:
                _bad(
                    path,
                    f"column {_cell(code_row, first + j)} ({country} {code}) "
                    "follows the final-demand columns",
                )
            z_cols.append(j)
    if tot_col is None:
        _bad(path, "no total-output column (country 'TOT', code 'GO')")
    z_keys = [(countries[j], codes[j]) for j in z_cols]
    regions = list(dict.fromkeys(c for c, _ in z_keys))
    sectors = [s for c, s in z_keys if c == regions[0]] if regions else []
    if not sectors or z_keys != [(r, s) for r in regions for s in sectors]:
        _bad(
            path,
            "the intermediate columns are not country-major with the same sectors "
            "for every country",
        )
    fd_keys = [(countries[j], codes[j]) for j in fd_cols]
    expected_fd = [(r, c) for r in regions for c in WIOD2016_FD_CATEGORIES]
    if fd_keys != expected_fd:
        missing = [f"{r} {c}" for r, c in expected_fd if (r, c) not in fd_keys]
        _bad(
            path,
            "final-demand columns do not match CONS_h, CONS_np, CONS_g, GFCF, INVEN "
            f"for every country (missing: {', '.join(missing) or 'none; order differs'})",
        )
    # Rows: sector code in column A, country two columns left of the first value.
    row_codes = [_text(v) for v in grid[body:, 0]]
    row_countries = [_text(v) for v in grid[body:, first - 2]]
    position = {key: i for i, key in enumerate(zip(row_countries, row_codes, strict=True))}
    missing_rows = [f"{c} {s}" for c, s in z_keys if (c, s) not in position]
    if missing_rows:
        _bad(
            path,
            f"no data row for {', '.join(missing_rows[:5])}"
            + (f" and {len(missing_rows) - 5} more" if len(missing_rows) > 5 else ""),
        )
    rows = np.array([position[k] for k in z_keys]) + body
    if np.any(np.diff(rows) != 1):
        _bad(path, "the data rows are not in the same order as the columns")
    values = _numbers(grid[rows[0] : rows[-1] + 1, first:], path, int(rows[0]), first)
    Z = values[:, z_cols]
    Y = values[:, fd_cols]
    x_file = values[:, tot_col]
    go = [
        i
        for i, (code, c) in enumerate(zip(row_codes, row_countries, strict=True))
        if code == "GO" and c == "TOT"
    ]
    go_row = None
    if go:
        r = body + go[0]
        go_row = _numbers(grid[r : r + 1, first:], path, r, first)[0, z_cols]
    return _Layout(regions, sectors, Z, Y, x_file, go_row)


def _parse_rdata(path: Path) -> _Layout:
    """Read ``wiot`` from a WIOTS_in_R file into the same blocks."""
    import rdata

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            converted = rdata.conversion.convert(rdata.parser.parse_file(path))
        except Exception as exc:  # rdata raises plain exceptions for non-R files
            raise InvalidDataError(
                f"{path.name}: not a readable RData file ({exc})",
                field=str(path),
                fix="use WIOTYYYY_October16_ROW.RData from WIOTS_in_R.zip",
            ) from exc
    if "wiot" not in converted:
        _bad(path, f"holds {sorted(converted)} instead of the data frame 'wiot'")
    frame = pd.DataFrame(converted["wiot"])
    labels = ("IndustryCode", "Country", "RNr")
    missing = [c for c in labels if c not in frame.columns]
    if missing or "TOT" not in frame.columns:
        absent_labels = missing + ([] if "TOT" in frame.columns else ["TOT"])
        _bad(path, f"data frame 'wiot' lacks column(s) {', '.join(absent_labels)}")
    named = [(c, re.fullmatch(r"([A-Z]{3})(\d+)", str(c))) for c in frame.columns]
    numbered = [(c, m.group(1), int(m.group(2))) for c, m in named if m]
    is_row = frame["Country"].astype(str) != "TOT"
    data = frame[is_row.to_numpy()]
    n_sec = int(pd.to_numeric(data["RNr"]).max())
    regions = list(dict.fromkeys(r for _, r, k in numbered if k <= n_sec))
    z_names = [f"{r}{k}" for r in regions for k in range(1, n_sec + 1)]
    fd_names = [f"{r}{n_sec + 1 + i}" for r in regions for i in range(len(WIOD2016_FD_CATEGORIES))]
    absent = [c for c in z_names + fd_names if c not in frame.columns]
    if absent:
        _bad(path, f"data frame 'wiot' lacks column(s) {', '.join(absent[:5])}")
    keys = list(
        zip(data["Country"].astype(str), pd.to_numeric(data["RNr"]).astype(int), strict=True)
    )
    if keys != [(r, k) for r in regions for k in range(1, n_sec + 1)]:
        _bad(path, "the data rows are not country-major with RNr 1..n for every country")
    sectors = [str(s) for s in data["IndustryCode"].iloc[:n_sec]]
    go = frame[(frame["IndustryCode"].astype(str) == "GO").to_numpy()]
    return _Layout(
        regions,
        sectors,
        data[z_names].to_numpy(dtype=np.float64),
        data[fd_names].to_numpy(dtype=np.float64),
        data["TOT"].to_numpy(dtype=np.float64),
        go[z_names].to_numpy(dtype=np.float64)[0] if len(go) else None,
    )


def read_wiod2016(path: Path | str, year: int | None = None) -> IOTable:
    """Read one year of the WIOD 2016-release world input-output table.

    Parameters
    ----------
    path
        ``WIOTYYYY_Nov16_ROW.xlsb`` / ``.xlsx`` / ``.csv`` or
        ``WIOTYYYY_October16_ROW.RData``.
    year
        Year of the table (2000-2014); taken from the file name when omitted.

    Returns
    -------
    IOTable
        43 countries and ``ROW`` (kept as an aggregate) x 56 sectors (``A01`` ... ``U``),
        5 final-demand categories per region, flows in millions of US dollars. Gross
        output is ``Z 1 + Y 1``; the file's total-output column (and ``GO`` row, where
        present) is only checked against it. Value added derived as ``x - 1'Z`` holds
        all primary inputs of the file (taxes less subsidies, cif/fob adjustments,
        purchases abroad, value added, international transport margins).

    Raises
    ------
    InvalidDataError
        For a file that does not have the published layout (missing sheet, header row,
        column or row; text where a number belongs; rows that do not add up).
    """
    p = Path(path)
    if not p.is_file():
        raise DataNotFoundError(
            f"no WIOD 2016 file at {p}", field="path", fix="give the WIOTYYYY_Nov16_ROW.xlsb path"
        )
    if year is None:
        found = re.search(r"WIOT(\d{4})_", p.name)
        if not found:
            _bad(p, "the year is not in the file name", fix="pass the year")
        year = int(found.group(1)) if found else 0
    if p.suffix.lower() == ".rdata":
        layout = _parse_rdata(p)
    elif p.suffix.lower() in _SPREADSHEET:
        layout = _parse_sheet(_read_grid(p, year), p)
    else:
        _bad(p, f"unknown file type {p.suffix!r}", fix="use the .xlsb, .xlsx, .csv or .RData file")
    Z, Y = layout.Z, layout.Y
    x = Z.sum(axis=1) + Y.sum(axis=1)
    tol = 1e-6 * max(1.0, float(np.max(np.abs(x))))
    worst = int(np.argmax(np.abs(layout.x_file - x)))
    if abs(layout.x_file[worst] - x[worst]) > tol:
        n_sec = len(layout.sectors)
        _bad(
            p,
            f"row {layout.countries[worst // n_sec]} {layout.sectors[worst % n_sec]}: "
            f"intermediate plus final use is {x[worst]:,.3f} but total output is "
            f"{layout.x_file[worst]:,.3f}",
        )
    if layout.go_row is not None and np.max(np.abs(layout.go_row - layout.x_file)) > tol:
        _bad(p, "the GO row (total input) differs from the total-output column")
    mapping = read_sector_groups("io_sector_groups_wiod2016.csv")
    unknown = [s for s in layout.sectors if s not in mapping]
    if unknown:
        _bad(
            p,
            f"sector codes not in the WIOD 2016 classification: {', '.join(unknown)}",
            fix="use the 56-sector WIOD 2016 table (codes A01 ... U)",
        )
    regions, members = map_region_codes("wiod2016", layout.countries, where=p.name)
    return IOTable(
        name="wiod2016",
        year=year,
        Z=Z,
        Y=Y,
        x=x,
        regions=regions,
        sectors=tuple(layout.sectors),
        sector_groups=tuple(mapping[s] for s in layout.sectors),
        fd_categories=WIOD2016_FD_CATEGORIES,
        unit="USD million",
        source=f"WIOD 2016 release (Timmer et al. 2015), {p.name}",
        region_members=members,
    )
