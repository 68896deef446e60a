"""Input-output tables in the formats users have, read through pymrio's parsers.

pymrio (Stadler 2021, Journal of Open Research Software 9: 8) parses the published files;
this module turns the resulting ``IOSystem`` into a labelled :class:`IOTable` (ISO3
regions, lever product groups). pymrio is a dependency of geolever; it is imported only
when one of these readers runs, because it is slow to import.

Available:

* OECD ICIO (``ICIO2023_YYYY.csv``; pymrio merges the CN1/CN2 and MX1/MX2 splits into CHN
  and MEX) with :func:`read_oecd_icio`;
* EXIOBASE 3 monetary tables, industry by industry or product by product
  (``IOT_YYYY_ixi.zip`` / ``IOT_YYYY_pxp.zip`` or the unpacked folder) with
  :func:`read_exiobase3` (``pymrio.parse_exiobase3``); ISO2 regions become ISO3, the five
  rest-of-world regions ``WA``, ``WE``, ``WF``, ``WL``, ``WM`` stay aggregates;
* GLORIA (``GLORIA_MRIOs_VV_YYYY`` and ``GLORIA_SatelliteAccounts_0VV_YYYY``, zip or
  folder, with ``GLORIA_ReadMe_0VV.xlsx``) with :func:`read_gloria`
  (``pymrio.parse_gloria``, product by product); ``XAF``, ``XAM``, ``XAS``, ``XEU`` stay
  aggregates and ``SDS`` is South Sudan (``SSD``).
"""

# Matrix names (Z, Y) follow the input-output literature and pymrio.
# ruff: noqa: N806

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geolever.core.errors import DataNotFoundError, GeoleverError, InvalidDataError
from geolever.sources.io_tables import (
    IOTable,
    find_table_file,
    map_region_codes,
    read_sector_groups,
)


def _pymrio() -> Any:
    try:
        import pymrio
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise GeoleverError(
            "reading this table format needs the pymrio package",
            field="pymrio",
            fix="reinstall geolever (pip install .) or pip install pymrio",
        ) from exc
    return pymrio


def iotable_from_pymrio(
    io: Any,
    *,
    name: str,
    year: int,
    groups_file: str,
    unit: str,
    source: str,
    region_table: str | None = None,
    sector_codes: dict[str, str] | None = None,
) -> IOTable:
    """Convert a pymrio ``IOSystem`` (with ``Z`` and ``Y``) to a labelled :class:`IOTable`.

    Parameters
    ----------
    io
        A parsed ``pymrio.IOSystem``; ``Z`` and ``Y`` indexed by (region, sector) and
        ``Y`` columns by (region, category).
    name
        Table identifier; also selects the region-code quirks in ``io_region_codes.csv``.
    year
        Reference year.
    groups_file
        Sector -> product group mapping in ``geolever/reference``.
    unit, source
        Currency unit of the flows and provenance text.
    region_table
        Key of the region-code quirks and aggregates in ``io_region_codes.csv``
        (default ``name``).
    sector_codes
        ``{label in the file: code}`` when the file labels sectors by name (EXIOBASE);
        the codes are what ``groups_file`` lists.

    Returns
    -------
    IOTable
        Final-demand columns of pseudo-regions that are not in the table (e.g. a
        statistical discrepancy column) are dropped, and output is ``Z 1 + Y 1`` of what
        is kept, so the table balances.
    """
    Z = io.Z
    Y = io.Y
    regions_raw = list(dict.fromkeys(Z.index.get_level_values(0)))
    sectors = list(dict.fromkeys(Z.index.get_level_values(1)))
    expected = [(r, s) for r in regions_raw for s in sectors]
    if list(Z.index) != expected or list(Z.columns) != expected:
        raise InvalidDataError(
            f"{name}: rows and columns are not region-major with the same sectors per region",
            field="Z",
            fix="check that the file is a complete table in the published layout",
        )
    categories = list(dict.fromkeys(c for r, c in Y.columns if r in regions_raw))
    fd_index = [(r, c) for r in regions_raw for c in categories]
    Y_kept = Y.reindex(columns=fd_index, fill_value=0.0)
    mapping = read_sector_groups(groups_file)
    codes = [sector_codes.get(str(s), "") if sector_codes else str(s) for s in sectors]
    missing = [str(s) for s, c in zip(sectors, codes, strict=True) if c not in mapping]
    if missing:
        raise InvalidDataError(
            f"{name}: sectors without a product group: {missing}",
            field=f"reference/{groups_file}",
            fix="check that the file is the published classification, or add the sectors "
            "to the mapping file",
        )
    regions, members = map_region_codes(
        region_table or name, [str(r) for r in regions_raw], where=source
    )
    z = Z.to_numpy(dtype=np.float64)
    y = Y_kept.to_numpy(dtype=np.float64)
    return IOTable(
        name=name,
        year=year,
        Z=z,
        Y=y,
        x=z.sum(axis=1) + y.sum(axis=1),
        regions=regions,
        sectors=tuple(codes),
        sector_groups=tuple(mapping[c] for c in codes),
        fd_categories=tuple(str(c) for c in categories),
        unit=unit,
        source=source,
        region_members=members,
    )


def oecd_icio_path(folder: Path | str, year: int) -> Path:
    """Return ``ICIO2023_YYYY.csv`` (or ``.zip``) under ``folder`` or ``folder/oecd_icio``.

    Parameters
    ----------
    folder
        Folder holding the OECD ICIO files.
    year
        Year of the table.

    Returns
    -------
    pathlib.Path
    """
    return find_table_file(
        folder, ("", "oecd_icio"), (f"ICIO2023_{year}.csv", f"ICIO2023_{year}.zip"),
        what=f"ICIO2023_{year}.csv",
        fix="put the OECD ICIO 2023 file in that folder or in its oecd_icio/ subfolder")


def read_oecd_icio(path: Path | str, year: int | None = None) -> IOTable:
    """Read an OECD Inter-Country Input-Output table (2023 release layout) via pymrio.

    Parameters
    ----------
    path
        An ``ICIO2023_YYYY.csv`` (or ``.zip``) file, or the folder holding it (then give
        ``year``).
    year
        Year to read from a folder; taken from the file name otherwise.

    Returns
    -------
    IOTable
        Flows in millions of US dollars, current prices; sectors are ISIC Rev. 4 based
        codes (``A01_02`` ... ``T``).
    """
    pymrio = _pymrio()
    p = Path(path)
    if not p.exists():
        raise InvalidDataError(
            f"no OECD ICIO file at {p}", field="path", fix="give the ICIO2023_YYYY.csv path"
        )
    io = pymrio.parse_oecd(str(p), year=year)
    found = year or int(str(io.meta.description).rsplit(" ", 1)[-1])
    return iotable_from_pymrio(
        io,
        name="oecd_icio",
        year=found,
        groups_file="io_sector_groups_oecd_icio2023.csv",
        unit="USD million",
        source=f"OECD Inter-Country Input-Output tables, {p.name} (parsed with pymrio)",
    )


def _balance_check(io: Any, where: str) -> None:
    """Raise when the file's gross output is not the row sum of Z and Y (a wrong file)."""
    if getattr(io, "x", None) is None:
        return
    x_file = io.x.to_numpy(dtype=np.float64).ravel()
    x_rows = io.Z.to_numpy().sum(axis=1) + io.Y.to_numpy().sum(axis=1)
    if x_file.shape != x_rows.shape:
        raise InvalidDataError(
            f"{where}: x has {x_file.size} rows but Z has {x_rows.size}",
            field=where,
            fix="use the x.txt that belongs to the table",
        )
    gap = np.abs(x_file - x_rows)
    worst = int(np.argmax(gap))
    if gap[worst] > 1e-6 * max(1.0, float(np.max(np.abs(x_file)))):
        label = io.Z.index[worst]
        raise InvalidDataError(
            f"{where}: row {label}: Z plus Y add up to {x_rows[worst]:,.6g} but x is "
            f"{x_file[worst]:,.6g}",
            field=where,
            fix="use the unmodified Z.txt, Y.txt and x.txt of one table",
        )


def exiobase3_path(folder: Path | str, year: int, system: str = "ixi") -> Path:
    """Return the EXIOBASE 3 table for ``year`` under ``folder``.

    Parameters
    ----------
    folder
        A folder holding ``IOT_YYYY_ixi.zip`` (or the unpacked ``IOT_YYYY_ixi/``),
        directly or in ``exiobase3/``.
    year
        Year of the table.
    system
        ``ixi`` (industry by industry) or ``pxp`` (product by product).

    Returns
    -------
    pathlib.Path
    """
    return find_table_file(
        folder, ("", "exiobase3", "exiobase"), (f"IOT_{year}_{system}.zip", f"IOT_{year}_{system}"),
        what=f"EXIOBASE 3 table IOT_{year}_{system}",
        fix=f"put IOT_{year}_{system}.zip (from the EXIOBASE 3 Zenodo record) in that "
        "folder or in its exiobase3/ subfolder")


def read_exiobase3(path: Path | str, year: int | None = None) -> IOTable:
    """Read an EXIOBASE 3 monetary table (ixi or pxp) with ``pymrio.parse_exiobase3``.

    Parameters
    ----------
    path
        ``IOT_YYYY_ixi.zip`` / ``IOT_YYYY_pxp.zip`` as published, or the unpacked folder
        (with ``file_parameters.json``, ``Z.txt`` or ``A.txt``, ``Y.txt``, ``x.txt``,
        ``unit.txt``).
    year
        Reference year; taken from the name (``IOT_YYYY_...``) when omitted.

    Returns
    -------
    IOTable
        Named ``exiobase3_ixi`` or ``exiobase3_pxp``; 44 countries (ISO2 mapped to ISO3)
        and the aggregates ``WA`` (RoW Asia and Pacific), ``WE`` (Europe), ``WF``
        (Africa), ``WL`` (America), ``WM`` (Middle East); sectors labelled by their
        EXIOBASE codes (``i01.a`` ..., ``p01.a`` ...); 7 final-demand categories per
        region; flows in millions of euros (``M.EUR``). Where the file has only ``A``,
        ``Z`` is ``A diag(x)`` with ``x`` from the file or from ``(I - A) x = Y 1``.

    Raises
    ------
    InvalidDataError
        For a path that pymrio cannot parse as EXIOBASE 3 (missing ``file_parameters.json``
        or a listed file), rows that do not add up, or units other than ``M.EUR``.
    """
    pymrio = _pymrio()
    p = Path(path)
    if not p.exists():
        raise DataNotFoundError(
            f"no EXIOBASE 3 table at {p}", field="path", fix="give the IOT_YYYY_ixi.zip path"
        )
    found = re.search(r"IOT_(\d{4})_(ixi|pxp)", p.name)
    if found is None:
        raise InvalidDataError(
            f"{p.name}: not an EXIOBASE 3 table name (IOT_YYYY_ixi or IOT_YYYY_pxp)",
            field=str(p),
            fix="keep the published name, e.g. IOT_2022_ixi.zip",
        )
    system = found.group(2)
    try:
        io = pymrio.parse_exiobase3(p)
    except Exception as exc:  # pymrio raises ReadError, KeyError, ValueError, ...
        raise InvalidDataError(
            f"{p.name}: pymrio could not read it as EXIOBASE 3 ({type(exc).__name__}: {exc})",
            field=str(p),
            fix="use the unmodified IOT_YYYY_ixi/pxp zip or folder (with file_parameters.json)",
        ) from exc
    if getattr(io, "Y", None) is None or (io.Z is None and io.A is None):
        raise InvalidDataError(
            f"{p.name}: the table has no {'Y' if io.Y is None else 'Z or A'} matrix",
            field=str(p),
            fix="use an IOT zip that holds Z.txt (or A.txt) and Y.txt",
        )
    if io.Z is None:
        if io.x is None:
            # One LU solve instead of forming the Leontief inverse of ~9800 rows.
            lhs = np.eye(len(io.A)) - io.A.to_numpy()
            x_val = np.linalg.solve(lhs, io.Y.to_numpy().sum(axis=1))
            io.x = pd.DataFrame({"indout": x_val}, index=io.A.index)
        io.Z = pymrio.calc_Z(io.A, io.x)
    _balance_check(io, p.name)
    unit = getattr(io, "unit", None)
    if unit is not None and not set(unit.iloc[:, 0].astype(str)) <= {"M.EUR"}:
        raise InvalidDataError(
            f"{p.name}: units {sorted(set(unit.iloc[:, 0].astype(str)))} instead of M.EUR",
            field=str(p),
            fix="use the monetary EXIOBASE 3 table (not the hybrid one)",
        )
    groups_file = f"io_sector_groups_exiobase3_{system}.csv"
    text = pd.read_csv(_reference(groups_file), dtype=str)
    return iotable_from_pymrio(
        io,
        name=f"exiobase3_{system}",
        year=year or int(found.group(1)),
        groups_file=groups_file,
        unit="EUR million",
        source=f"EXIOBASE 3 ({system}), {p.name} (Stadler et al. 2018; parsed with pymrio)",
        region_table="exiobase3",
        sector_codes=dict(zip(text["name"], text["code"], strict=True)),
    )


def _reference(filename: str) -> Any:
    from importlib import resources

    return resources.files("geolever.reference").joinpath(filename).open("r", encoding="utf-8")


def gloria_folder(folder: Path | str, year: int) -> Path:
    """Return the folder holding GLORIA's files for ``year`` (``folder`` or ``folder/gloria``).

    Parameters
    ----------
    folder
        A folder with ``GLORIA_MRIOs_VV_YYYY`` (zip or folder), directly or in ``gloria/``.
    year
        Year of the table.

    Returns
    -------
    pathlib.Path
    """
    base = Path(folder)
    for candidate in (base, base / "gloria"):
        if any(candidate.glob(f"GLORIA_MRIOs_*_{year}*")):
            return candidate
    raise DataNotFoundError(
        f"no GLORIA_MRIOs_*_{year} under {base}",
        field="table",
        fix=f"put GLORIA_MRIOs_VV_{year}.zip, GLORIA_SatelliteAccounts_0VV_{year}.zip and "
        "GLORIA_ReadMe_0VV.xlsx (from ielab.info) in that folder or in its gloria/ subfolder",
    )


def _gloria_files(base: Path, year: int, version: int | None) -> tuple[int, str, Path]:
    """Check that the MRIO, satellite and ReadMe files are present; return their version."""
    mrio = sorted(base.glob(f"GLORIA_MRIOs_*_{year}*"))
    if not mrio:
        gloria_folder(base, year)  # raises with the fix
    if version is None:
        match = re.match(r"GLORIA_MRIOs_(\d+)_", mrio[0].name)
        if match is None:
            raise InvalidDataError(
                f"{mrio[0].name}: no release number in the name",
                field=str(mrio[0]),
                fix="keep the published name GLORIA_MRIOs_VV_YYYY",
            )
        version = int(match.group(1))
    satellite = list(base.glob(f"GLORIA_SatelliteAccounts_0{version}_{year}*"))
    readmes = [base / f"GLORIA_ReadMe_0{version}{s}.xlsx" for s in ("", "a")]
    readme = next((r for r in readmes if r.is_file()), None)
    missing = []
    if not satellite:
        missing.append(f"GLORIA_SatelliteAccounts_0{version}_{year}(.zip)")
    if readme is None:
        missing.append(f"GLORIA_ReadMe_0{version}.xlsx")
    if missing:
        raise DataNotFoundError(
            f"GLORIA {year} (release {version}) in {base} lacks {', '.join(missing)}",
            field=str(base),
            fix="pymrio's GLORIA parser needs the MRIO, the satellite accounts and the ReadMe "
            "of the same release side by side",
        )
    assert readme is not None
    suffix = "a" if readme.stem.endswith("a") else ""
    return version, suffix, readme


def _gloria_expected(readme: Path) -> tuple[int, pd.DataFrame]:
    """Regions count and the Sectors sheet of the ReadMe (checked before the big files)."""
    try:
        sheets = pd.read_excel(readme, sheet_name=None)
    except Exception as exc:  # openpyxl raises several types for a broken workbook
        raise InvalidDataError(
            f"{readme.name}: not a readable workbook ({exc})", field=str(readme), fix=None
        ) from exc
    need = {
        "Regions": "Region_acronyms",
        "Sectors": "Sector_names",
        "Value added and final demand": "Final_demand_names",
        "Satellites": "Sat_indicator",
    }
    for sheet, column in need.items():
        if sheet not in sheets:
            raise InvalidDataError(
                f"{readme.name} has no sheet {sheet!r} (sheets: {', '.join(sheets)})",
                field=str(readme),
                fix="use the GLORIA_ReadMe workbook of the same release",
            )
        if column not in sheets[sheet].columns:
            raise InvalidDataError(
                f"{readme.name}, sheet {sheet!r}, has no column {column!r}",
                field=f"{readme.name}:{sheet}",
                fix="use the GLORIA_ReadMe workbook of the same release",
            )
    return len(sheets["Regions"]), sheets["Sectors"]


def read_gloria(folder: Path | str, year: int, version: int | None = None) -> IOTable:
    """Read a GLORIA multi-regional table (basic prices) with ``pymrio.parse_gloria``.

    Parameters
    ----------
    folder
        Folder with ``GLORIA_MRIOs_VV_YYYY`` and ``GLORIA_SatelliteAccounts_0VV_YYYY``
        (zip or unpacked) and ``GLORIA_ReadMe_0VV.xlsx`` (or ``..._0VVa.xlsx``).
    year
        Year of the table.
    version
        Release number (e.g. 59); found from the file names when omitted.

    Returns
    -------
    IOTable
        Named ``gloria``; product-by-product table built by pymrio from the supply-use
        table (industry-technology construct; GLORIA's supply table is diagonal, so every
        construct agrees); regions as in the ReadMe (``SDS`` -> ``SSD``; ``XAF``, ``XAM``,
        ``XAS``, ``XEU`` kept as aggregates; regions with no transactions, such as ``DYE``
        in recent years, are dropped by pymrio); sectors labelled by the ReadMe's names
        and grouped by their GLORIA number (``Lfd_Nr``); 6 final-demand categories per
        region; flows in thousands of US dollars. Output solves ``(I - A) x = Y 1`` and
        ``Z = A diag(x)``.

    Raises
    ------
    DataNotFoundError
        When a file of the set is missing (named in the message).
    InvalidDataError
        For a ReadMe without the expected sheets/columns, or CSVs whose size does not
        match the ReadMe's regions and sectors.
    """
    pymrio = _pymrio()
    base = gloria_folder(folder, year)
    version, suffix, readme = _gloria_files(base, year, version)
    n_regions, sectors_sheet = _gloria_expected(readme)
    n_sectors = len(sectors_sheet)
    try:
        io = pymrio.parse_gloria(
            base, year=year, version=f"{version}{suffix}" if suffix else version
        )
    except Exception as exc:  # pymrio raises IndexError, KeyError, ValueError, ...
        raise InvalidDataError(
            f"GLORIA {year} in {base}: pymrio could not read it ({type(exc).__name__}: {exc}); "
            f"the ReadMe lists {n_regions} regions and {n_sectors} sectors, so T must be "
            f"{2 * n_regions * n_sectors} x {2 * n_regions * n_sectors} and Y "
            f"{2 * n_regions * n_sectors} rows",
            field=str(base),
            fix="use the T-, Y- and V-Results files and the ReadMe of the same GLORIA release",
        ) from exc
    A, Y = io.A, io.Y
    # One LU solve instead of forming the Leontief inverse of ~20,000 rows.
    x_val = np.linalg.solve(np.eye(len(A)) - A.to_numpy(), Y.to_numpy().sum(axis=1))
    io.x = pd.DataFrame({"indout": x_val}, index=A.index)
    io.Z = pymrio.calc_Z(A, io.x)
    numbers = (
        sectors_sheet["Lfd_Nr"].astype(int).astype(str).tolist()
        if "Lfd_Nr" in sectors_sheet.columns
        else [str(k) for k in range(1, n_sectors + 1)]
    )
    names = sectors_sheet["Sector_names"].astype(str).tolist()
    table = iotable_from_pymrio(
        io,
        name="gloria",
        year=year,
        groups_file="io_sector_groups_gloria.csv",
        unit="USD thousand",
        source=f"GLORIA release {version}{suffix} (Lenzen et al. 2017, 2022), "
        f"GLORIA_MRIOs_{version}_{year} basic prices (parsed with pymrio)",
        sector_codes=dict(zip(names, numbers, strict=True)),
    )
    # Keep GLORIA's sector names as labels (it has no sector codes).
    return dataclasses.replace(table, sectors=tuple(str(s) for s in io.Z.index.unique(level=1)))
