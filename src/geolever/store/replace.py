"""One import step shared by the bulk tables: replace a dataset's rows in one transaction."""

from __future__ import annotations

import pandas as pd

from geolever.store.facts import FactStore
from geolever.store.schema import writable_tables


def replace_dataset_rows(store: FactStore, frame: pd.DataFrame, *, table: str, schema: str,
                         select: str, params: list[object], dataset: str, kind: str,
                         origin: str, replace_by: str | None = None) -> int:
    """Replace the rows of ``dataset`` in ``table`` by ``frame``; return the table's row count.

    Parameters
    ----------
    frame
        The rows to store, registered as the view ``_gl_rows`` while ``select`` runs.
    table, schema
        The table and its ``CREATE TABLE IF NOT EXISTS`` statement. It runs inside the
        transaction, so a failed import leaves the store file as it was (issue 14).
    select, params
        ``SELECT ... FROM _gl_rows`` giving the table's columns in order, and its parameters
        (the provenance columns: dataset, source, citation).
    dataset, kind, origin
        The dataset's name, kind and origin file, recorded in the store's dataset list.
    replace_by
        A column: only the dataset's rows whose value in it occurs in ``frame`` are
        replaced (a file that holds some of a dataset, e.g. one reporter's DOTS workbook,
        leaves the others' rows); None replaces all of the dataset's rows.
    """
    con = store.con
    con.register("_gl_rows", frame)
    con.execute("BEGIN TRANSACTION")
    try:
        writable_tables(store, schema)
        only = (f" AND {replace_by} IN (SELECT DISTINCT {replace_by} FROM _gl_rows)"
                if replace_by else "")
        con.execute(f"DELETE FROM {table} WHERE dataset = ?{only}", [dataset])
        con.execute(f"INSERT INTO {table} {select}", params)
        con.execute(
            "INSERT INTO datasets (name, kind, origin) VALUES (?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET origin = excluded.origin, loaded_at = now()",
            [dataset, kind, origin])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("_gl_rows")
    rows = con.execute(f"SELECT count(*) FROM {table} WHERE dataset = ?", [dataset]).fetchall()
    return int(rows[0][0]) if rows else 0
