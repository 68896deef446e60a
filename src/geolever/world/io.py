"""Input-output tables as the world layer serves them to shocks and engines.

Shocks and engines never read files: a lever that needs a world input-output table asks
:func:`io_table` here, which loads it (cached) through the readers in ``sources``; so does
``geolever io`` before it compiles its ``trade_restriction`` lever against the table.
"""

from __future__ import annotations

from pathlib import Path

from geolever.core.errors import UnknownCodeError
from geolever.sources.io_catalog import IO_TABLES, load_io_table
from geolever.sources.io_tables import PRODUCT_GROUPS, IOTable

__all__ = ["IO_TABLES", "PRODUCT_GROUPS", "IOTable", "io_table", "io_table_year"]


def io_table_year(name: str, case_year: int, year: int | None = None) -> int:
    """Return the table year to use: ``year``, else the latest one not after the case year.

    Raises
    ------
    UnknownCodeError
        If ``name`` is not a table geolever can read.
    """
    years = IO_TABLES.get(name)
    if years is None:
        raise UnknownCodeError(f"unknown input-output table {name!r}", field="model.table",
                               fix=f"use one of: {', '.join(IO_TABLES)}")
    return year or min(case_year, years[-1])


def io_table(name: str, year: int, data_dir: Path | None = None) -> IOTable:
    """Load the named input-output table for ``year`` (see :func:`load_io_table`)."""
    return load_io_table(name, year, data_dir)
