"""Bilateral goods-trade totals by partner (IMF DOTS) in the store's ``trade_totals`` table.

One row per reporter, partner, year and flow, as the reporter reports it (``exports`` FOB,
``imports`` CIF), in US$; partner ``WLD`` is the reporter's total with all partners. Both
sides' reports are kept (mirror data): queries say which one they use. Each import is one
transaction replacing the dataset's previous rows of the reporters it holds (idempotent): a
workbook is one reporter, so importing workbooks one at a time adds them up, and the folder
replaces all of them.
"""

from __future__ import annotations

import pandas as pd

from geolever.store.facts import FactStore
from geolever.store.replace import replace_dataset_rows
from geolever.store.schema import readable_tables

_SCHEMA = """
CREATE TABLE IF NOT EXISTS trade_totals (
    reporter VARCHAR NOT NULL,
    partner VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    flow VARCHAR NOT NULL,
    value_usd DOUBLE NOT NULL,
    estimated BOOLEAN NOT NULL,
    dataset VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    citation VARCHAR NOT NULL,
    origin VARCHAR NOT NULL
);
"""


def ensure_totals_schema(store: FactStore) -> None:
    """Make ``trade_totals`` readable without writing the store (see :mod:`store.schema`)."""
    readable_tables(store, _SCHEMA)


def ingest_totals(store: FactStore, frame: pd.DataFrame, *, dataset: str, source: str,
                  citation: str, origin: str) -> int:
    """Replace ``dataset``'s rows of the reporters in ``frame``; return the dataset's row count.

    Parameters
    ----------
    frame
        Columns ``reporter``, ``partner``, ``year``, ``flow``, ``value_usd`` (US$),
        ``estimated`` and ``origin`` (the file each row comes from), as
        :func:`geolever.sources.dots.read_dots` returns them.
    dataset, source, citation, origin
        Provenance recorded on every row and in the store's dataset list.
    """
    return replace_dataset_rows(
        store, frame, table="trade_totals", schema=_SCHEMA,
        select=("SELECT reporter, partner, year, flow, value_usd, "
               "estimated, ?, ?, ?, origin FROM _gl_rows"),
        params=[dataset, source, citation], dataset=dataset, kind="totals", origin=origin,
        replace_by="reporter")


def total_flow(store: FactStore, reporter: str, partner: str, year: int,
               flow: str) -> tuple[float, bool, str, str, str, str] | None:
    """Return (US$, estimated, dataset, source, citation, origin) of one total, or None.

    Parameters
    ----------
    reporter, partner
        ISO3 codes (partner ``WLD``: all partners).
    flow
        ``exports`` (FOB, the reporter's exports to the partner) or ``imports`` (CIF).
    """
    ensure_totals_schema(store)
    rows = store.con.execute(
        "SELECT value_usd, estimated, dataset, source, citation, origin FROM trade_totals "
        "WHERE reporter = ? AND partner = ? AND year = ? AND flow = ? "
        "ORDER BY dataset DESC LIMIT 1", [reporter, partner, year, flow]).fetchall()
    # fetchall, not fetchone: a half-read result makes DuckDB refuse a later register()
    row = rows[0] if rows else None
    return None if row is None else (float(row[0]), bool(row[1]), str(row[2]), str(row[3]),
                                     str(row[4]), str(row[5]))


def total_years(store: FactStore, reporter: str, partner: str, flow: str) -> list[int]:
    """Return the years with a reported total for (reporter, partner, flow)."""
    ensure_totals_schema(store)
    rows = store.con.execute(
        "SELECT DISTINCT year FROM trade_totals WHERE reporter = ? AND partner = ? AND flow = ? "
        "ORDER BY 1", [reporter, partner, flow]).fetchall()
    return [int(r[0]) for r in rows]
