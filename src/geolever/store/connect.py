"""Opening the store file: one error path for every DuckDB failure, and an integrity check.

Owned by the robustness work (issue 14); :class:`geolever.store.FactStore` opens its
connection here. Every way a store file can be unusable (locked by another process,
damaged or truncated, not a DuckDB file at all, a folder, read-only) ends in one
:class:`~geolever.core.errors.StoreError` naming ``--store`` and the fix, never a raw
``duckdb.IOException``. Extensions are never installed or loaded behind the user's back:
opening an SQLite file must not make DuckDB download ``sqlite_scanner`` from the internet.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from geolever.core.errors import StoreError

#: DuckDB settings of every store connection: no extension is installed or auto-loaded.
CONNECT_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}

#: A DuckDB file begins with its 4096-byte main header; the magic bytes sit at offset 8.
_MAGIC = b"DUCK"
_HEADER_BYTES = 3 * 4096  # main header + two database headers, before the first block
_SQLITE_MAGIC = b"SQLite format 3\x00"

FIELD = "--store"
_FIX_OTHER = "pass another --store (or set GEOLEVER_STORE), or move this file away"


def _hint(message: str, path: str) -> tuple[str, str]:
    """Return (what is wrong, the fix) for a DuckDB error message about store ``path``."""
    low = message.lower()
    if "lock" in low or "conflicting lock" in low:
        return (f"the store {path} is in use by another process",
                "stop the other geolever process (e.g. 'geolever serve') or pass another "
                "--store")
    if "read-only" in low or "read only" in low or "permission denied" in low:
        return (f"the store {path} cannot be written (read-only file or folder)",
                "make it writable, or pass another --store")
    if "is a directory" in low:
        return f"the store {path} is a folder", _FIX_OTHER
    if "not a valid duckdb database" in low or "not a duckdb" in low:
        return f"{path} is not a geolever store (not a DuckDB database file)", _FIX_OTHER
    if "could not read enough bytes" in low or "corrupt" in low or "checksum" in low:
        return (f"the store {path} is damaged (truncated or corrupt)",
                "restore it from a backup, or delete it and re-import the data")
    if "version" in low and "storage" in low:
        return (f"the store {path} was written by another DuckDB version",
                "re-create it with this geolever, or pass another --store")
    return f"cannot use the store {path}: {' '.join(message.split())[:200]}", _FIX_OTHER


def store_error(err: BaseException, path: str) -> StoreError:
    """Translate a DuckDB (or OS) error raised while using the store into a StoreError."""
    message, fix = _hint(str(err), path)
    return StoreError(message, field=FIELD, fix=fix)


def _precheck(path: Path) -> None:
    """Refuse, before DuckDB opens it, a path that cannot be a store file."""
    if path.is_dir():
        raise StoreError(f"the store {path} is a folder", field=FIELD, fix=_FIX_OTHER)
    if not path.exists():
        parent = path.parent
        for folder in (parent, *parent.parents):
            if folder.exists():
                if not folder.is_dir():
                    raise StoreError(f"cannot create the store {path}: {folder} is a file",
                                     field=FIELD, fix=_FIX_OTHER)
                break
        return
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(_HEADER_BYTES)
    if head[:16] == _SQLITE_MAGIC:
        raise StoreError(f"{path} is an SQLite database, not a geolever store",
                         field=FIELD, fix=_FIX_OTHER)
    if size == 0 or head[8:12] != _MAGIC:
        raise StoreError(f"{path} is not a geolever store (not a DuckDB database file)",
                         field=FIELD, fix=_FIX_OTHER)
    if size < _HEADER_BYTES:
        raise StoreError(f"the store {path} is damaged (truncated to {size} bytes)",
                         field=FIELD,
                         fix="restore it from a backup, or delete it and re-import the data")


def check_integrity(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Check that the file holds every block its header lists (a truncated copy fails).

    DuckDB allocates whole blocks after three 4 KiB headers, so a file shorter than
    ``12 KiB + total_blocks * block_size`` has lost data; DuckDB itself only notices when
    a query reaches a missing block (``assess`` could run while ``data list`` crashed).
    """
    row = con.execute("SELECT block_size, total_blocks, used_blocks "
                      "FROM pragma_database_size()").fetchall()[0]
    if row is None:
        return
    # DuckDB truncates free blocks at the end of the file but may still count one in
    # total_blocks (a healthy store of 7 blocks, 6 used, held 6 on disk and was refused):
    # only the blocks in use must be there.
    block_size, used = int(row[0]), int(row[2])
    size = path.stat().st_size
    need = _HEADER_BYTES + block_size * used
    if size < need:
        raise StoreError(
            f"the store {path} is damaged: {size:,} bytes but it has {used} blocks in use "
            f"({need:,} bytes)", field=FIELD,
            fix="restore it from a backup, or delete it and re-import the data")


def connect(path: str) -> duckdb.DuckDBPyConnection:
    """Open the store ``path`` (``":memory:"`` for RAM) with extensions off, checked.

    The folder is created if missing. Raises :class:`StoreError` for every failure.
    """
    if path == ":memory:":
        return duckdb.connect(path, config=CONNECT_CONFIG)
    file = Path(path)
    _precheck(file)
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreError(f"cannot create the store's folder {file.parent}: "
                         f"{err.strerror or err}", field=FIELD,
                         fix="pass a --store in a writable folder") from None
    try:
        con = duckdb.connect(path, config=CONNECT_CONFIG)
    except (duckdb.Error, OSError) as err:
        raise store_error(err, path) from None
    try:
        check_integrity(con, file)
    except BaseException:
        con.close()
        raise
    return con


def check_columns(con: duckdb.DuckDBPyConnection, path: str, table: str,
                  columns: list[str]) -> None:
    """Refuse a DuckDB file whose ``table`` has other columns (another program's file)."""
    try:
        found = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
            "AND table_schema = 'main' ORDER BY ordinal_position", [table]).fetchall()]
    except duckdb.Error as err:
        raise store_error(err, path) from None
    if found and found != columns:
        raise StoreError(f"{path} is not a geolever store (its table {table!r} has the "
                         f"columns {found[:6]})", field=FIELD, fix=_FIX_OTHER)
