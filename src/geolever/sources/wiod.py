"""Reader for the WIOD 2013-release world input-output tables (R package ``wiod`` files).

The files ``wiot_YYYY.RData`` (1995-2011) hold one R list with ``inter`` (Z, 1435 x 1435),
``final`` (Y, 1435 x 205: 5 categories per region), ``output``, ``countries`` (41) and
``industries`` (35, codes c1..c35), all in millions of US dollars at current basic
prices, rounded to whole millions by the packager. They are read in place with the
maintained ``rdata`` parser. Source: Timmer et al. (2015), Review of International
Economics 23: 575-605; WIOD, CC BY 4.0.
"""

# Matrix names (Z, Y) follow the input-output literature and pymrio.
# ruff: noqa: N806

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from geolever.core.errors import InvalidDataError
from geolever.sources.io_tables import (
    IOTable,
    check_table_year,
    find_table_file,
    read_region_codes,
    read_sector_groups,
)

#: Final-demand categories of each region, in file order (see SOURCES.md).
WIOD2013_FD_CATEGORIES: tuple[str, ...] = ("CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN")
WIOD2013_YEARS = range(1995, 2012)


def wiod2013_path(folder: Path | str, year: int) -> Path:
    """Return the path of the WIOD 2013 file for ``year`` under ``folder``.

    Parameters
    ----------
    folder
        The ``wiod2013`` data folder (holding ``raw/``) or the ``raw`` folder itself.
    year
        Year, 1995-2011.

    Returns
    -------
    pathlib.Path
    """
    check_table_year("WIOD 2013", year, WIOD2013_YEARS)
    return find_table_file(folder, ("raw", ""), (f"wiot_{year}.RData",),
                           what=f"WIOD 2013 file for {year}",
                           fix="point to the wiod2013 folder that holds raw/wiot_YYYY.RData")


def read_wiod2013(folder: Path | str, year: int) -> IOTable:
    """Read one year of the WIOD 2013 world input-output table.

    Parameters
    ----------
    folder
        The ``wiod2013`` data folder (with ``raw/wiot_YYYY.RData``) or ``raw`` itself.
    year
        Year, 1995-2011.

    Returns
    -------
    IOTable
        41 regions (ISO3; ``ROM`` -> ``ROU``, ``RoW`` -> ``ROW``) x 35 sectors, 5
        final-demand categories per region, flows in millions of US dollars. Gross output
        is the row sum ``Z 1 + Y 1``; the file's own (rounded) output column is only
        checked against it.
    """
    import rdata  # local: the reader is only needed for this format

    path = wiod2013_path(folder, year)
    with warnings.catch_warnings():
        # The R class "iot" has no Python constructor; the plain list is what we want.
        warnings.simplefilter("ignore", UserWarning)
        parsed = rdata.parser.parse_file(path)
        converted = rdata.conversion.convert(parsed)
    key = f"wiot_{year}"
    if key not in converted:
        raise InvalidDataError(
            f"{path.name} holds {sorted(converted)} instead of {key}",
            field=str(path),
            fix="use the wiot_YYYY.RData files of the R package wiod 0.4.0",
        )
    d = converted[key]
    quirks = read_region_codes("wiod2013")
    regions = tuple(quirks.get(str(c), str(c)) for c in d["countries"])
    sectors = tuple(str(s) for s in d["industries"])
    Z = np.asarray(d["inter"], dtype=np.float64)
    Y = np.asarray(d["final"], dtype=np.float64)
    x = Z.sum(axis=1) + Y.sum(axis=1)
    x_file = np.asarray(d["output"], dtype=np.float64)
    # The packager rounded every cell to whole millions: allow that, catch a wrong file.
    tolerance = 1.0 + Z.shape[1] + Y.shape[1]
    if x_file.shape != x.shape or np.max(np.abs(x_file - x)) > tolerance:
        raise InvalidDataError(
            f"{path.name}: row sums of Z and Y differ from the output column by more than rounding",
            field=str(path),
            fix="check that the file is an unmodified wiod 0.4.0 data file",
        )
    mapping = read_sector_groups("io_sector_groups_wiod2013.csv")
    return IOTable(
        name="wiod2013",
        year=year,
        Z=Z,
        Y=Y,
        x=x,
        regions=regions,
        sectors=sectors,
        sector_groups=tuple(mapping[s] for s in sectors),
        fd_categories=WIOD2013_FD_CATEGORIES,
        unit="USD million",
        source=f"WIOD 2013 release (Timmer et al. 2015), R package wiod 0.4.0, {path.name}",
        region_members={"ROW": "all countries not listed separately, e.g. AZE, KAZ, GEO"},
    )
