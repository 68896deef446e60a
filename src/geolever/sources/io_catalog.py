"""The input-output tables geolever reads by name, and the loader that dispatches to readers.

Kept apart from :mod:`geolever.sources.io_tables` (the :class:`IOTable` the readers
return), so that the readers import the table type and this module imports the readers:
no import cycle.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from geolever.core.errors import UnknownCodeError
from geolever.sources.io_tables import IOTable, shared_data_dir
from geolever.sources.pymrio_tables import (
    exiobase3_path,
    gloria_folder,
    oecd_icio_path,
    read_exiobase3,
    read_gloria,
    read_oecd_icio,
)
from geolever.sources.wiod import read_wiod2013
from geolever.sources.wiod2016 import read_wiod2016, wiod2016_path

#: Input-output tables geolever can read by name, with the years they cover.
IO_TABLES: dict[str, range] = {
    "wiod2013": range(1995, 2012),
    "wiod2016": range(2000, 2015),
    "exiobase3_ixi": range(1995, 2023),
    "exiobase3_pxp": range(1995, 2023),
    "gloria": range(1990, 2031),
    "oecd_icio": range(1995, 2021),
}


@lru_cache(maxsize=4)
def load_io_table(table: str, year: int, data_dir: Path | None = None) -> IOTable:
    """Load a named input-output table for a year (cached: tables are large and read-only).

    Parameters
    ----------
    table
        Table name: ``wiod2013`` (41 regions x 35 sectors, 1995-2011, USD million, from
        ``wiod2013/raw/wiot_YYYY.RData``); ``wiod2016`` (44 x 56, 2000-2014, USD million,
        ``WIOTYYYY_Nov16_ROW.xlsb``/``.xlsx``/``.csv`` or ``WIOTYYYY_October16_ROW.RData``);
        ``exiobase3_ixi`` / ``exiobase3_pxp`` (49 x 163 or 200, EUR million,
        ``IOT_YYYY_ixi.zip`` or folder); ``gloria`` (164 x 120, USD thousand,
        ``GLORIA_MRIOs_VV_YYYY`` with the satellite accounts and ``GLORIA_ReadMe_0VV.xlsx``);
        ``oecd_icio`` (OECD ICIO 2023 release, USD million, ``ICIO2023_YYYY.csv``).
        Files are looked for in ``data_dir``, in ``data_dir/<table>`` and, for WIOD 2016,
        in ``WIOTS_in_EXCEL`` / ``WIOTS_in_R`` below those.
    year
        Reference year.
    data_dir
        Folder holding the datasets (default: ``$GEOLEVER_SHARED_DATA`` or ../shared/data).
    """
    base = shared_data_dir(data_dir)
    if table == "wiod2013":
        return read_wiod2013(base / "wiod2013", year)
    if table == "wiod2016":
        return read_wiod2016(wiod2016_path(base, year), year)
    if table in ("exiobase3_ixi", "exiobase3_pxp"):
        return read_exiobase3(exiobase3_path(base, year, table.rsplit("_", 1)[1]))
    if table == "gloria":
        return read_gloria(gloria_folder(base, year), year)
    if table == "oecd_icio":
        return read_oecd_icio(oecd_icio_path(base, year), year)
    raise UnknownCodeError(
        f"unknown input-output table {table!r}",
        field="table",
        fix=f"use one of: {', '.join(IO_TABLES)}",
    )
