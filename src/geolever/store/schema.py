"""The bulk tables' schema, for writing and for reading without writing.

Reading a store must never change its file: a fresh store asked for trade flows (a case
built before any ``geolever data import baci``, a failed run on bad input) must stay
byte-for-byte as it was (issue 14). So readers make a missing table readable as an empty
table in the connection's temporary catalog, and the import path, which creates the real
tables inside its transaction, first drops such a stand-in (it would otherwise shadow the
new table for the rest of the connection).
"""

from __future__ import annotations

import re
import weakref

import duckdb

from geolever.store.facts import FactStore

_CREATE = re.compile(r"CREATE TABLE IF NOT EXISTS (\w+)")


def _statements(ddl: str) -> list[tuple[str, str]]:
    """(table, statement) of each ``CREATE TABLE IF NOT EXISTS`` statement of ``ddl``."""
    out = []
    for statement in ddl.split(";"):
        match = _CREATE.search(statement)
        if match:
            out.append((match.group(1), statement.strip()))
    return out


#: The DDL texts already made readable, per connection: a text check asks about 30 times
#: (4 ms each); :func:`writable_tables` forgets the connection's entry.
_readable: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, set[str]] = (
    weakref.WeakKeyDictionary())


def readable_tables(store: FactStore, ddl: str) -> None:
    """Make the tables of ``ddl`` readable: a missing one becomes an empty temporary table."""
    con = store.con
    done = _readable.setdefault(con, set())
    if ddl in done:
        return
    # a view counts as the table (the web's claims workers read the bulk tables as views
    # on a Parquet snapshot)
    stored = {str(r[0]) for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary UNION "
        "SELECT view_name FROM duckdb_views() WHERE NOT temporary AND NOT internal"
    ).fetchall()}
    for table, statement in _statements(ddl):
        if table not in stored:
            con.execute(statement.replace("CREATE TABLE", "CREATE TEMP TABLE", 1)).fetchall()
    done.add(ddl)


def writable_tables(store: FactStore, ddl: str) -> None:
    """Create the tables of ``ddl`` in the store (dropping a reader's empty stand-in first)."""
    con = store.con
    _readable.pop(con, None)
    for table, statement in _statements(ddl):
        con.execute(f"DROP TABLE IF EXISTS temp.main.{table}").fetchall()
        con.execute(statement).fetchall()
