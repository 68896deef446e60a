"""Input-output tables in the formats users have, read through pymrio's parsers.

pymrio (Stadler 2021, Journal of Open Research Software 9: 8) parses the published files;
this module turns the resulting ``IOSystem`` into a labelled :class:`IOTable` (ISO3
regions, lever product groups). pymrio is an optional dependency (``pip install
'geolever[bench]'`` or ``pip install pymrio``).

Available: OECD ICIO (``ICIO2023_YYYY.csv``; pymrio merges the CN1/CN2 and MX1/MX2 splits
into CHN and MEX).
"""

# Matrix names (Z, Y) follow the input-output literature and pymrio.
# ruff: noqa: N806

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from geolever.core.errors import GeoleverError, InvalidDataError
from geolever.sources.io_tables import IOTable, read_region_codes, read_sector_groups


def _pymrio() -> Any:
    try:
        import pymrio
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise GeoleverError(
            "reading this table format needs the pymrio package",
            field="pymrio",
            fix="pip install pymrio (or geolever[bench])",
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
    missing = [s for s in sectors if s not in mapping]
    if missing:
        raise InvalidDataError(
            f"{name}: sectors without a product group: {missing}",
            field=f"reference/{groups_file}",
            fix="add the sector codes to the mapping file",
        )
    quirks = read_region_codes(name)
    z = Z.to_numpy(dtype=np.float64)
    y = Y_kept.to_numpy(dtype=np.float64)
    return IOTable(
        name=name,
        year=year,
        Z=z,
        Y=y,
        x=z.sum(axis=1) + y.sum(axis=1),
        regions=tuple(quirks.get(str(r), str(r)) for r in regions_raw),
        sectors=tuple(str(s) for s in sectors),
        sector_groups=tuple(mapping[s] for s in sectors),
        fd_categories=tuple(str(c) for c in categories),
        unit=unit,
        source=source,
        region_members={"ROW": "all countries not listed separately"},
    )


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
