"""Infrastructure assets from trackers (GEM pipelines) in the store's ``pipelines`` table.

One row per pipeline segment: countries crossed (ISO3, space-separated, in the tracker's
order), status, start year, capacity with its unit, and provenance. Each import replaces
the dataset's rows in one transaction (idempotent).
"""

from __future__ import annotations

import pandas as pd

from geolever.store.facts import FactStore
from geolever.store.replace import replace_dataset_rows
from geolever.store.schema import readable_tables

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pipelines (
    asset_id VARCHAR NOT NULL,
    project VARCHAR NOT NULL,
    segment VARCHAR NOT NULL,
    commodity VARCHAR NOT NULL,
    countries VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    start_year DOUBLE,
    capacity DOUBLE,
    capacity_unit VARCHAR NOT NULL,
    suspect BOOLEAN NOT NULL,
    url VARCHAR NOT NULL,
    dataset VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    citation VARCHAR NOT NULL
);
"""


def ensure_assets_schema(store: FactStore) -> None:
    """Make ``pipelines`` readable without writing the store (see :mod:`store.schema`)."""
    readable_tables(store, _SCHEMA)


def ingest_pipelines(store: FactStore, frame: pd.DataFrame, *, dataset: str, source: str,
                     citation: str, origin: str) -> int:
    """Replace the rows of ``dataset`` by ``frame`` in one transaction; return the row count.

    ``frame`` is as :func:`geolever.sources.gem.read_gem_csv` returns it.
    """
    return replace_dataset_rows(
        store, frame, table="pipelines", schema=_SCHEMA,
        select=("SELECT asset_id, project, segment, commodity, countries, "
               "status, start_year, capacity, capacity_unit, suspect, url, ?, ?, ? FROM _gl_rows"),
        params=[dataset, source, citation], dataset=dataset, kind="assets", origin=origin)


def pipelines_crossing(store: FactStore, *countries: str) -> pd.DataFrame:
    """Return the pipeline segments that cross every one of ``countries`` (ISO3)."""
    ensure_assets_schema(store)
    where = " AND ".join("list_contains(string_split(countries, ' '), ?)" for _ in countries)
    return store.con.execute(
        f"SELECT * FROM pipelines WHERE {where or 'TRUE'} ORDER BY project, segment",
        list(countries)).df()
