"""DuckDB-backed fact store.

Rules the store guarantees:

* Loading the same facts twice adds nothing (each value has a stable ``fact_id``).
* A batch is validated completely before anything is written, and written in one
  transaction: a bad row leaves the store as it was.
* Conflicting values for one quantity (same indicator, country, partner, product,
  entity, measure, year and period; different value or source) are all kept.
  :meth:`FactStore.get` picks one by the **selection rule** and returns the others as
  ``alternatives``, so reports can show them:

  1. a row marked ``preferred`` by the pack (its note says why);
  2. when the caller asks (``prefer="pack:"``, as a case does), a row of a case pack over
     the standard datasets the pack overlays;
  3. otherwise the best quality: reported > mirror > derived > estimate > plan;
  4. otherwise the source name in alphabetical order (deterministic, not a judgement).

  Full-year values are used when they exist; with ``allow_partial=True`` a partial
  period (H1, Jan-Sep, ...) is annualised pro rata and flagged as such, the longest
  period first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import platformdirs

from geolever.core.errors import DataNotFoundError, InvalidDataError
from geolever.core.facts import COLUMNS, KEY_COLUMNS, QUALITY_RANK, Fact
from geolever.core.quantity import Quantity
from geolever.core.units import PERIOD_MONTHS, annualise
from geolever.sources.packs import read_facts_file, read_pack
from geolever.store.connect import check_columns, connect, store_error

_SCHEMA = """
CREATE TABLE IF NOT EXISTS facts (
    fact_id VARCHAR PRIMARY KEY,
    indicator VARCHAR NOT NULL,
    country VARCHAR NOT NULL,
    partner VARCHAR NOT NULL,
    product VARCHAR NOT NULL,
    entity VARCHAR NOT NULL,
    measure VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    period VARCHAR NOT NULL,
    value DOUBLE NOT NULL,
    unit VARCHAR NOT NULL,
    quality VARCHAR NOT NULL,
    preferred BOOLEAN NOT NULL,
    source VARCHAR NOT NULL,
    citation VARCHAR NOT NULL,
    note VARCHAR NOT NULL,
    dataset VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS datasets (
    name VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,
    origin VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
"""


def fact_rank_key(measures: Sequence[str] | None = None, *,
                  prefer: str | None = None) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """Return the sort key of the selection rule for fact rows (see the module docstring).

    Best first: a row marked preferred; with ``prefer`` (a dataset name prefix such as
    ``pack:``) a row of those datasets; the earliest of ``measures`` (acceptable
    definitions in order of preference; without it the default definition '' first); the
    best quality; then source and fact id (deterministic, not a judgement).
    """
    order = {m: k for k, m in enumerate(measures if measures is not None else [""])}
    worst = len(QUALITY_RANK) + 1

    def key(row: Mapping[str, Any]) -> tuple[Any, ...]:
        origin = bool(prefer) and not str(row.get("dataset", "")).startswith(str(prefer))
        return (not bool(row["preferred"]), origin, order.get(row["measure"], len(order)),
                QUALITY_RANK.get(row["quality"], worst), str(row["source"]),
                str(row["fact_id"]))

    return key


def rank_facts(frame: pd.DataFrame, measures: Sequence[str] | None = None, *,
               prefer: str | None = None) -> pd.DataFrame:
    """Order candidate facts (a frame of fact rows) best first by the selection rule."""
    key = fact_rank_key(measures, prefer=prefer)
    records: list[dict[str, Any]] = frame.to_dict("records")  # type: ignore[assignment]
    order = sorted(range(len(records)), key=lambda k: key(records[k]))
    return frame.iloc[order]


def default_store_path() -> Path:
    """Return the default store file, ``<user data dir>/geolever/geolever.duckdb``."""
    return Path(platformdirs.user_data_dir("geolever")) / "geolever.duckdb"


class FactStore:
    """Facts in an embedded DuckDB database (a file, or ``":memory:"`` for tests).

    Parameters
    ----------
    path
        Database file; created with its folder if missing. ``":memory:"`` keeps it in RAM.
    """

    def __init__(self, path: str | Path = ":memory:"):
        self.path = str(path)
        # Opening, the integrity check and every DuckDB failure: store/connect.py (issue 14).
        self.con = connect(self.path)
        try:
            check_columns(self.con, self.path, "facts", ["fact_id", *COLUMNS, "dataset"])
            self.con.execute(_SCHEMA)
        except duckdb.Error as err:
            self.con.close()
            raise store_error(err, self.path) from None
        except BaseException:
            self.con.close()
            raise

    def close(self) -> None:
        """Close the database connection."""
        self.con.close()

    def __enter__(self) -> FactStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ writing
    def add_facts(self, facts: Iterable[Fact], *, dataset: str, kind: str = "facts",
                  origin: str = "", replace: bool = False) -> int:
        """Insert validated facts in one transaction; return how many were new.

        Facts already present (same ``fact_id``) are skipped, so re-loading is a no-op.
        With ``replace``, facts of ``dataset`` that are not in this batch are removed (a
        corrected case pack then replaces its old values instead of conflicting with them).
        Two different rows both marked preferred for one quantity are rejected.
        """
        rows = list(facts)
        frame = pd.DataFrame(
            [{"fact_id": f.fact_id, **f.model_dump(), "dataset": dataset} for f in rows],
            columns=["fact_id", *COLUMNS, "dataset"],
        ).drop_duplicates("fact_id")
        preferred = frame[frame["preferred"]]
        clash = preferred[preferred.duplicated(list(KEY_COLUMNS), keep=False)]
        if not clash.empty:
            first = clash.iloc[0]
            raise InvalidDataError(
                f"two values marked preferred for {first['indicator']} {first['country']} "
                f"{first['partner']} {first['year']} {first['period']}",
                field="preferred",
                fix="mark only one of the conflicting values as preferred",
            )
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.register("incoming", frame)
            row = self.con.execute(
                "SELECT count(*) FROM incoming WHERE fact_id NOT IN (SELECT fact_id FROM facts)"
            ).fetchall()[0]
            new = int(row[0]) if row else 0
            if replace:
                self.con.execute(
                    "DELETE FROM facts WHERE dataset = ? AND fact_id NOT IN "
                    "(SELECT fact_id FROM incoming)", [dataset])
            self.con.execute("INSERT INTO facts SELECT * FROM incoming ON CONFLICT DO NOTHING")
            self.con.unregister("incoming")
            self.con.execute(
                "INSERT INTO datasets (name, kind, origin) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET origin = excluded.origin, "
                "loaded_at = now()",
                [dataset, kind, origin],
            )
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise
        return new

    def load_pack(self, name: str) -> int:
        """Load case pack ``name`` (shipped, under GEOLEVER_PACKS, or a folder).

        Returns the number of new facts.
        """
        pack = read_pack(name)
        return self.add_facts(pack.facts, dataset=f"pack:{pack.name}", kind="pack",
                              origin=pack.origin or name, replace=True)

    def import_file(self, path: Path, *, dataset: str | None = None) -> int:
        """Import facts from a CSV or Parquet file in the pack format."""
        facts = read_facts_file(path)
        return self.add_facts(facts, dataset=dataset or path.stem, kind="file", origin=str(path))

    def export_parquet(self, path: Path) -> int:
        """Write every fact to a Parquet file (pack columns); return the row count."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.con.execute(
            f"COPY (SELECT {', '.join(COLUMNS)} FROM facts ORDER BY {', '.join(KEY_COLUMNS)}) "
            "TO ? (FORMAT parquet)",
            [str(path)],
        )
        return self.count()

    # ------------------------------------------------------------------ reading
    def count(self) -> int:
        """Return the number of facts stored."""
        row = self.con.execute("SELECT count(*) FROM facts").fetchall()[0]
        return int(row[0]) if row else 0

    def datasets(self) -> pd.DataFrame:
        """Return the loaded datasets with their fact counts."""
        return self.con.execute(
            "SELECT d.name, d.kind, d.origin, d.loaded_at, count(f.fact_id) AS facts "
            "FROM datasets d LEFT JOIN facts f ON f.dataset = d.name "
            "GROUP BY ALL ORDER BY d.name"
        ).df()

    def query(self, **filters: str | int | None) -> pd.DataFrame:
        """Return facts matching the given column filters (None means any) as a DataFrame."""
        unknown = set(filters) - set(COLUMNS) - {"dataset"}
        if unknown:
            raise InvalidDataError(
                f"unknown filter {sorted(unknown)}", field="filters", fix=f"use {COLUMNS}"
            )
        active = {k: v for k, v in filters.items() if v is not None}
        where = " AND ".join(f"{k} = ?" for k in active) or "TRUE"
        return self.con.execute(
            f"SELECT * FROM facts WHERE {where} ORDER BY {', '.join(KEY_COLUMNS)}",
            list(active.values()),
        ).df()

    def years(self, indicator: str, country: str, partner: str = "", product: str = "",
              entity: str = "", measure: str | None = None) -> list[int]:
        """Years with any value (any period) for the quantity."""
        frame = self.query(indicator=indicator, country=country, partner=partner,
                           product=product, entity=entity, measure=measure)
        return sorted({int(y) for y in frame["year"]})

    def get(
        self,
        indicator: str,
        country: str,
        year: int,
        *,
        partner: str = "",
        product: str = "",
        entity: str = "",
        measures: Sequence[str] | None = None,
        allow_partial: bool = False,
        label: str | None = None,
        prefer: str | None = None,
    ) -> Quantity:
        """Select one value for a quantity and year by the store's selection rule.

        Parameters
        ----------
        indicator, country, year, partner, product, entity
            The quantity asked for.
        measures
            Acceptable definitions in order of preference (``None``: any, ``[""]`` the
            default one). Earlier measures win over later ones before the quality rule.
        allow_partial
            Annualise a partial-period value when no full-year value exists.
        label
            Human description used in reports; generated when omitted.
        prefer
            Dataset name prefix whose rows win after ``preferred`` ones (``pack:``).

        Raises
        ------
        DataNotFoundError
            When nothing fits; the message lists the years and periods that exist.
        """
        rows = self.fact_rows(indicator=indicator, country=country, partner=partner,
                                    product=product, entity=entity)
        if measures is not None:
            allowed = set(measures)
            rows = [r for r in rows if r["measure"] in allowed]
        text = label or " ".join(
            x for x in (indicator.replace("_", " "), country,
                        f"from/to {partner}" if partner else "", product, entity) if x
        )
        at_year = [r for r in rows if int(r["year"]) == year]
        full = [r for r in at_year if r["period"] in ("FY", "point")]
        partial = [r for r in at_year if r["period"] not in ("FY", "point")]
        if full:
            chosen = full
        elif allow_partial and partial:
            longest = max(PERIOD_MONTHS[r["period"]] for r in partial)
            chosen = [r for r in partial if PERIOD_MONTHS[r["period"]] == longest]
        else:
            have = sorted({f"{r['year']} {r['period']}" for r in rows})
            hint = f"values exist for: {', '.join(have)}" if have else "no value for any year"
            raise DataNotFoundError(
                f"no {'full-year ' if partial else ''}value of {text} for {year}; {hint}",
                field="year",
                fix="choose a year that has data, or add a sourced fact for this year "
                "(geolever data import)",
            )
        best_row = min(chosen, key=fact_rank_key(measures, prefer=prefer))
        best = self._to_quantity(best_row, text)
        others = [self._to_quantity(r, text) for r in at_year
                  if r["fact_id"] != best_row["fact_id"]]
        return Quantity(**{**best.__dict__, "alternatives": tuple(others)})

    def fact_rows(self, **filters: str) -> list[dict[str, Any]]:
        """Return the fact rows matching column filters (every year), in the store's key order.

        Plain dicts from one DuckDB query, for selecting among a handful of rows (as
        :meth:`get` does, with :func:`fact_rank_key`), where a DataFrame's overhead would be
        most of the cost.
        """
        where = " AND ".join(f"{k} = ?" for k in filters) or "TRUE"
        cursor = self.con.execute(
            f"SELECT * FROM facts WHERE {where} ORDER BY {', '.join(KEY_COLUMNS)}",
            list(filters.values()))
        columns = [d[0] for d in cursor.description or []]
        return [dict(zip(columns, r, strict=True)) for r in cursor.fetchall()]

    @staticmethod
    def _to_quantity(row: Any, label: str) -> Quantity:
        """Return a fact row (a mapping, or a frame's named tuple) as a Quantity."""
        field = row.__getitem__ if isinstance(row, Mapping) else (
            lambda name: getattr(row, name))
        period = str(field("period"))
        value = float(field("value"))
        partial = period not in ("FY", "point")
        measure = str(field("measure"))
        return Quantity(
            value=annualise(value, period) if partial else value,
            unit=str(field("unit")),
            year=int(field("year")),
            period=period,
            label=label + (f" (measure: {measure})" if measure else ""),
            source=str(field("source")),
            citation=str(field("citation")),
            quality=str(field("quality")),
            note=str(field("note")),
            measure=measure,
            annualised=partial,
        )
