"""Bulk table of bilateral trade flows (product level), streamed in by DuckDB.

A BACI year has about 10 million rows: too many for per-row :class:`~geolever.core.facts.Fact`
validation. Flow files are therefore read by DuckDB's streaming CSV reader straight into
the ``trade_flows`` table of the store's database, and validated in SQL:

* every value present, a number and >= 0 (US dollars); quantities (tonnes) a number
  and >= 0 when given;
* every country code mapped to ISO3, every HS code of a known chapter (and in the
  source's product table when there is one), every year an integer;
* no duplicate (exporter, importer, year, hs6, flow_basis) within the file.

Each import is one transaction that first removes the dataset's previous rows: a file
with a bad row leaves the store as it was, and re-importing the same file gives the
same table (idempotent). Every row carries its dataset, source and citation.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb
import pandas as pd

from geolever.core.errors import GeoleverError, InvalidDataError, UnknownCodeError
from geolever.sources.codes import hs_chapter_groups
from geolever.sources.flows import RAW_COLUMNS, FlowSource, csv_read_error
from geolever.store.facts import FactStore
from geolever.store.schema import readable_tables, writable_tables

#: Progress callback: called with the number of percent points advanced (total 100).
Progress = Callable[[int], None]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS trade_flows (
    exporter VARCHAR,
    importer VARCHAR,
    year INTEGER,
    hs6 VARCHAR,
    product_group VARCHAR,
    value_usd DOUBLE,
    quantity_t DOUBLE,
    flow_basis VARCHAR,
    dataset VARCHAR,
    source VARCHAR,
    citation VARCHAR
);
CREATE TABLE IF NOT EXISTS flow_datasets (
    name VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,
    origin VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    citation VARCHAR NOT NULL,
    rows BIGINT NOT NULL,
    value_usd DOUBLE NOT NULL,
    loaded_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE TABLE IF NOT EXISTS flow_coverage (
    dataset VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    source VARCHAR NOT NULL,
    citation VARCHAR NOT NULL,
    chapters INTEGER NOT NULL,
    headings VARCHAR[] NOT NULL
);
"""

#: What a dataset covers in a year: its HS chapters (count) and 4-digit headings.
_COVERAGE_SQL = """
SELECT dataset, year, any_value(source), any_value(citation),
       count(DISTINCT substr(hs6, 1, 2)), list(DISTINCT substr(hs6, 1, 4))
FROM trade_flows WHERE hs6 <> 'TOTAL' AND dataset IN (SELECT unnest(?))
GROUP BY dataset, year
"""


def flow_coverage(store: FactStore, year: int) -> list[tuple[str, str, str, int, frozenset[str]]]:
    """Return ``(dataset, source, citation, chapters, headings)`` of each flow dataset of a year.

    Read from ``flow_coverage``, which each import fills (one scan of the new rows then,
    instead of one scan of the whole table per case). Datasets stored before that table
    existed are scanned here each time (re-importing them saves their coverage).
    """
    readable_schema(store)
    con = store.con
    present = {str(r[0]) for r in con.execute(
        "SELECT DISTINCT dataset FROM trade_flows").fetchall()}
    known = {str(r[0]) for r in con.execute(
        "SELECT DISTINCT dataset FROM flow_coverage").fetchall()}
    rows: list[tuple[object, ...]] = []
    if present - known:  # computed, not saved: reading never writes the store
        rows = con.execute(_COVERAGE_SQL, [sorted(present - known)]).fetchall()
    rows = [r for r in rows if r[1] == year] + con.execute(
        "SELECT * FROM flow_coverage WHERE year = ? AND dataset IN (SELECT unnest(?))",
        [year, sorted(known & present)]).fetchall()
    return sorted((str(d), str(s), str(c), int(n), frozenset(h))  # type: ignore[call-overload]
                  for d, _, s, c, n, h in rows)

FLOW_COLUMNS = (
    "exporter",
    "importer",
    "year",
    "hs6",
    "product_group",
    "value_usd",
    "quantity_t",
    "flow_basis",
    "dataset",
    "source",
    "citation",
)


def ensure_schema(store: FactStore) -> None:
    """Create the bulk tables in the store's database if they do not exist (write path)."""
    writable_tables(store, _SCHEMA)


def readable_schema(store: FactStore) -> None:
    """Make the bulk tables readable without writing the store (see :mod:`store.schema`)."""
    readable_tables(store, _SCHEMA)


def _typed(src: FlowSource, relation: str) -> str:
    """Return SQL typing and mapping the raw columns (NULL = missing, NaN = not a number)."""
    na = ", ".join(f"'{t}'" for t in src.missing_quantity)
    return rf"""
    SELECT r.*,
        -- a whole number only: TRY_CAST would round '2021.5' to 2022 (issue 14)
        CASE WHEN regexp_full_match(trim(r.year_raw), '[0-9]{{1,4}}(\.0*)?')
             THEN TRY_CAST(trim(r.year_raw) AS DOUBLE)::INTEGER END AS year,
        ce.iso3 AS exporter, ci.iso3 AS importer,
        CASE WHEN r.hs_raw = 'TOTAL' THEN 'TOTAL'
             WHEN regexp_full_match(r.hs_raw, '[0-9]{{5,6}}') THEN lpad(r.hs_raw, 6, '0') END
            AS hs6,
        CASE WHEN r.value_raw IS NULL OR r.value_raw = '' THEN NULL
             ELSE coalesce(TRY_CAST(r.value_raw AS DOUBLE), 'NaN'::DOUBLE) * {src.value_scale!r}
        END AS value_usd,
        CASE WHEN r.quantity_raw IS NULL OR r.quantity_raw IN ({na}) THEN NULL
             ELSE coalesce(TRY_CAST(r.quantity_raw AS DOUBLE), 'NaN'::DOUBLE)
                  * {src.quantity_scale!r}
        END AS quantity_t
    FROM ({relation}) r
    LEFT JOIN _gl_codes ce ON ce.code = r.exporter_code
    LEFT JOIN _gl_codes ci ON ci.code = r.importer_code
    """


def _mapped(src: FlowSource, *, numbered: bool = False) -> str:
    product_join = "LEFT JOIN _gl_products p ON p.hs6 = t.hs6" if src.products is not None else ""
    known = "p.hs6 IS NOT NULL" if src.products is not None else "TRUE"
    # numbering the raw rows before any join keeps file order (error path only)
    relation = (
        f"SELECT row_number() OVER () AS _row, * FROM ({src.relation})"
        if numbered
        else src.relation
    )
    return f"""
    SELECT t.*, CASE WHEN {known} THEN g.product_group END AS product_group
    FROM ({_typed(src, relation)}) t
    LEFT JOIN _gl_chapters g ON g.chapter = substr(t.hs6, 1, 2)
    {product_join}
    """


#: (condition on the mapped relation, canonical column, message, fix)
_CHECKS: tuple[tuple[str, str, str, str], ...] = (
    (
        "year IS NULL",
        "year",
        "year {year_raw!r} is not a calendar year",
        "the year column must hold integers",
    ),
    (
        "exporter IS NULL",
        "exporter",
        "unknown or blank exporter code {exporter_code!r}",
        "use the release's country code table or codes country_converter knows; "
        "for blank cells pass the country they stand for (blank_country)",
    ),
    (
        "importer IS NULL",
        "importer",
        "unknown or blank importer code {importer_code!r}",
        "use the release's country code table or codes country_converter knows; "
        "for blank cells pass the country they stand for (blank_country)",
    ),
    (
        "product_group IS NULL",
        "hs6",
        "unknown HS product code {hs_raw!r}",
        "product codes must be 6-digit HS codes of the source's nomenclature",
    ),
    (
        "value_usd IS NULL",
        "value",
        "missing value",
        "every flow needs a value; drop rows with no value before importing",
    ),
    (
        "isnan(value_usd)",
        "value",
        "value {value_raw!r} is not a number",
        "values must be plain numbers (no separators or units)",
    ),
    (
        "isinf(value_usd)",
        "value",
        "value {value_raw!r} is not a finite number",
        "values must be finite plain numbers (inf and 1e309 are not)",
    ),
    (
        "value_usd < 0",
        "value",
        "negative value {value_raw}",
        "trade values cannot be negative; check the sign",
    ),
    (
        "isnan(quantity_t)",
        "quantity",
        "quantity {quantity_raw!r} is not a number",
        "quantities must be numbers, or NA when unknown",
    ),
    (
        "isinf(quantity_t)",
        "quantity",
        "quantity {quantity_raw!r} is not a finite number",
        "quantities must be finite numbers, or NA when unknown",
    ),
    (
        "quantity_t < 0",
        "quantity",
        "negative quantity {quantity_raw}",
        "quantities cannot be negative",
    ),
)


def _first_bad(store: FactStore, src: FlowSource, cond: str) -> dict[str, object]:
    """Find the first row (with its file line) matching ``cond``; only on the error path."""
    row = store.con.execute(
        f"SELECT * FROM ({_mapped(src, numbered=True)}) WHERE keep AND ({cond}) "
        "ORDER BY _row LIMIT 1"
    ).df()
    if row.empty:
        return {}
    out: dict[str, object] = {str(k): v for k, v in row.iloc[0].to_dict().items()}
    out["line"] = int(str(out["_row"])) + src.header_lines
    return out


def _fail(
    src: FlowSource, store: FactStore, cond: str, column: str, message: str, fix: str, count: int
) -> GeoleverError:
    """Build the error for the first row failing ``cond`` (file, line, column, value)."""
    bad = _first_bad(store, src, cond)
    text = message.format(**{k: bad.get(k) for k in RAW_COLUMNS})
    where = (
        f"{Path(src.origin).name} line {bad.get('line', '?')}, column "
        f"{src.columns.get(column, column)}"
    )
    cls = UnknownCodeError if "unknown" in message else InvalidDataError
    more = f" ({count} rows in all)" if count > 1 else ""
    return cls(f"{text}{more}; nothing was imported", field=where, fix=fix)


def _watch(store: FactStore, progress: Progress | None) -> tuple[threading.Event, list[int]]:
    """Poll DuckDB's query progress from a thread and forward it in percent points."""
    done = threading.Event()
    sent = [0]
    if progress is None:
        return done, sent

    def run() -> None:
        while not done.wait(0.2):
            try:
                pct = int(store.con.query_progress())
            except Exception:  # progress is best-effort; never fail the import for it
                continue
            step = min(pct, 95) - sent[0]
            if step > 0:
                sent[0] += step
                progress(step)

    threading.Thread(target=run, daemon=True).start()
    return done, sent


def ingest_flows(store: FactStore, src: FlowSource, *, progress: Progress | None = None) -> int:
    """Stream a trade-flow file into the ``trade_flows`` table; return its row count.

    Parameters
    ----------
    store
        The fact store whose DuckDB database receives the table.
    src
        The file, as described by a loader (e.g. :func:`geolever.sources.baci.baci_source`).
    progress
        Called with percent points advanced (total 100), for progress bars.

    Returns
    -------
    int
        Rows of the dataset now in the store (the same after a re-import).

    Raises
    ------
    InvalidDataError, UnknownCodeError
        Naming the file, line and column of the first bad row; nothing is written.
    """
    con = store.con
    # 'TO' is the chapter of 'TOTAL': all-goods flows (gravity datasets)
    chapters = pd.DataFrame(
        [*hs_chapter_groups().items(), ("TO", "TOTAL")], columns=["chapter", "product_group"]
    )
    con.register("_gl_codes", src.countries.dropna(subset=["iso3"])[["code", "iso3"]])
    con.register("_gl_chapters", chapters)
    if src.products is not None:
        con.register("_gl_products", src.products[["hs6"]].drop_duplicates())
    if src.frame is not None:
        con.register("_gl_frame", src.frame)
    order = con.execute("SELECT current_setting('preserve_insertion_order')").fetchall()[0]
    con.execute("SET preserve_insertion_order = false")  # bounded memory for the insert
    done, sent = _watch(store, progress)
    con.execute("BEGIN TRANSACTION")
    try:
        # the tables are created inside the transaction: a failed import leaves the store
        # file byte-for-byte as it was (issue 14)
        ensure_schema(store)
        con.execute("DELETE FROM trade_flows WHERE dataset = ?", [src.dataset])
        con.execute(
            f"INSERT INTO trade_flows SELECT exporter, importer, year, hs6, product_group, "
            f"value_usd, quantity_t, flow_basis, ?, ?, ? FROM ({_mapped(src)}) WHERE keep",
            [src.dataset, src.source, src.citation],
        )
        done.set()
        counts = con.execute(
            "SELECT "
            + ", ".join(f"count(*) FILTER (WHERE {c})" for c, *_ in _CHECKS)
            + ", count(*), coalesce(sum(value_usd), 0) FROM trade_flows WHERE dataset = ?",
            [src.dataset],
        ).fetchall()[0]
        assert counts is not None
        for (cond, column, message, fix), n in zip(_CHECKS, counts, strict=False):
            if n:
                raise _fail(src, store, cond, column, message, fix, int(n))
        dups = con.execute(
            "SELECT exporter, importer, year, hs6, count(*) AS n FROM trade_flows "
            "WHERE dataset = ? GROUP BY exporter, importer, year, hs6, flow_basis "
            "HAVING count(*) > 1 LIMIT 1",
            [src.dataset],
        ).fetchall()
        dup = dups[0] if dups else None
        if dup:
            e, i, y, k, n = dup
            raise InvalidDataError(
                f"{n} rows for the same flow {e}->{i} {y} HS {k}; nothing was imported",
                field=f"{Path(src.origin).name}, columns {src.columns['exporter']},"
                f"{src.columns['importer']},{src.columns['year']},{src.columns['hs6']}",
                fix="each exporter, importer, year and product may appear once per file "
                "(two source codes may map to one ISO3 code)",
            )
        rows, value = int(counts[-2]), float(counts[-1])
        if rows == 0:
            raise InvalidDataError(
                f"{Path(src.origin).name} has no data rows (only a header, or every row "
                "skipped); nothing was imported", field=src.origin,
                fix="give the full file; an empty dataset would look like zero trade")
        con.execute("DELETE FROM flow_coverage WHERE dataset = ?", [src.dataset])
        con.execute("INSERT INTO flow_coverage " + _COVERAGE_SQL, [[src.dataset]])
        con.execute(
            "INSERT INTO flow_datasets (name, kind, origin, source, citation, rows, value_usd) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
            "kind = excluded.kind, origin = excluded.origin, source = excluded.source, "
            "citation = excluded.citation, rows = excluded.rows, "
            "value_usd = excluded.value_usd, loaded_at = now()",
            [src.dataset, src.kind, src.origin, src.source, src.citation, rows, value],
        )
        con.execute("COMMIT")
    except BaseException as err:
        with contextlib.suppress(duckdb.Error):  # a failed statement may have ended it
            con.execute("ROLLBACK")
        if isinstance(err, duckdb.InvalidInputException | duckdb.ConversionException):
            raise csv_read_error(err, src.origin) from None  # the file's line (issue 14)
        raise
    finally:
        done.set()
        con.execute(f"SET preserve_insertion_order = {order[0] if order else True}")
        for view in ("_gl_codes", "_gl_chapters", "_gl_products", "_gl_frame"):
            with contextlib.suppress(duckdb.Error):  # not registered (no product table)
                con.unregister(view)
    if progress is not None and 100 - sent[0] > 0:
        progress(100 - sent[0])
    return rows


def flow_datasets(store: FactStore) -> pd.DataFrame:
    """Return the bulk datasets loaded (name, kind, origin, source, citation, rows, value)."""
    readable_schema(store)
    return store.con.execute("SELECT * FROM flow_datasets ORDER BY name").df()


def flow_years(store: FactStore) -> list[int]:
    """Return the years that have trade flows."""
    readable_schema(store)
    return [
        int(r[0])
        for r in store.con.execute("SELECT DISTINCT year FROM trade_flows ORDER BY 1").fetchall()
    ]


def query_flows(
    store: FactStore,
    *,
    year: int | None = None,
    exporter: str | None = None,
    importer: str | None = None,
    product_group: str | None = None,
    dataset: str | None = None,
) -> pd.DataFrame:
    """Return flows matching the filters (None means any) as a DataFrame (US$, tonnes)."""
    readable_schema(store)
    filters = {
        "year": year,
        "exporter": exporter,
        "importer": importer,
        "product_group": product_group,
        "dataset": dataset,
    }
    active = {k: v for k, v in filters.items() if v is not None}
    where = " AND ".join(f"{k} = ?" for k in active) or "TRUE"
    return store.con.execute(
        f"SELECT {', '.join(FLOW_COLUMNS)} FROM trade_flows WHERE {where} "
        "ORDER BY exporter, importer, hs6",
        list(active.values()),
    ).df()


def aggregate_flows(
    store: FactStore,
    year: int,
    countries: Sequence[str],
    *,
    groups: Sequence[str] | None = None,
    dataset: str | None = None,
    rest: str = "ROW",
) -> pd.DataFrame:
    """Sum flows of one year by exporter, importer and product group, others as ``rest``.

    Flows reported by both sides (Comtrade) count once: the importer's report when there
    is one (the usual mirror-data rule), else the exporter's; reconciled flows (BACI,
    gravity datasets) as they are.

    Parameters
    ----------
    store
        The store with imported flows.
    year
        Calendar year.
    countries
        ISO3 codes kept separately; every other country becomes ``rest``.
    groups
        Product groups to keep (default all).
    dataset
        Only this dataset (default every dataset with flows in ``year``).
    rest
        Code of the rest-of-world aggregate.

    Returns
    -------
    pandas.DataFrame
        Columns ``exporter``, ``importer``, ``product_group``, ``domestic`` (True for a
        country's sales to itself as recorded in the data, e.g. gravity datasets; False
        for international flows, including those between two members of ``rest``) and
        ``value_usd`` (US$).
    """
    readable_schema(store)
    con = store.con
    filters = ["year = ?"]
    params: list[object] = [year]
    if groups:
        filters.append(f"product_group IN ({', '.join('?' for _ in groups)})")
        params += list(groups)
    if dataset:
        filters.append("dataset = ?")
        params.append(dataset)
    con.register("_gl_keep", pd.DataFrame({"iso3": list(countries)}))
    try:
        frame = con.execute(
            f"""
            WITH ranked AS (
                SELECT exporter, importer, hs6, product_group, value_usd,
                    CASE flow_basis WHEN 'reconciled' THEN 0 WHEN 'import_report' THEN 1
                        ELSE 2 END AS pref
                FROM trade_flows WHERE {" AND ".join(filters)}
            ), one AS (
                SELECT * FROM ranked
                QUALIFY pref = min(pref) OVER (PARTITION BY exporter, importer, hs6)
            )
            SELECT
                CASE WHEN ke.iso3 IS NULL THEN ? ELSE one.exporter END AS exporter,
                CASE WHEN ki.iso3 IS NULL THEN ? ELSE one.importer END AS importer,
                product_group, one.exporter = one.importer AS domestic,
                sum(value_usd) AS value_usd
            FROM one
            LEFT JOIN _gl_keep ke ON ke.iso3 = one.exporter
            LEFT JOIN _gl_keep ki ON ki.iso3 = one.importer
            GROUP BY ALL ORDER BY ALL
            """,
            [*params, rest, rest],
        ).df()
    finally:
        con.unregister("_gl_keep")
    return frame


def flow_datasets_for_year(store: FactStore, year: int) -> list[str]:
    """Return the names of the datasets holding flows for ``year``."""
    readable_schema(store)
    rows = store.con.execute(
        "SELECT DISTINCT dataset FROM trade_flows WHERE year = ? ORDER BY 1", [year]
    ).fetchall()
    return [str(r[0]) for r in rows]
