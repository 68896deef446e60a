"""A bilateral trade-flow file described for streaming ingestion.

Product-level trade files are large (a BACI year is about 10 million rows), so loaders do
not parse them in Python. A loader inspects the file's header and code tables and
returns a :class:`FlowSource`: a DuckDB ``SELECT`` over the file that yields the raw
columns under canonical names, plus the code tables and provenance. The store
(:mod:`geolever.store.bulk`) runs it inside one transaction with the validation in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geolever.core.errors import DataNotFoundError

#: Canonical raw columns every ``FlowSource.relation`` yields (all text, as in the file).
RAW_COLUMNS = (
    "year_raw",
    "exporter_code",
    "importer_code",
    "hs_raw",
    "value_raw",
    "quantity_raw",
    "flow_basis",
    "keep",
)

#: Recorded ``flow_basis`` values: who reported the flow.
FLOW_BASES = ("reconciled", "import_report", "export_report")


@dataclass(frozen=True)
class FlowSource:
    """A trade-flow file ready to be streamed into the store.

    Attributes
    ----------
    dataset
        Name of the dataset in the store; re-importing the same file replaces it.
    kind
        Loader name (``baci``, ``comtrade``, ...).
    relation
        DuckDB ``SELECT`` yielding :data:`RAW_COLUMNS` (text, and the boolean ``keep``:
        False for rows the loader skips, e.g. aggregates), one row per file row, in
        file order.
    columns
        File column name for each canonical column (used in error messages).
    value_scale
        Factor from the file's value unit to US dollars (BACI: 1000, thousand US$).
    quantity_scale
        Factor from the file's quantity unit to tonnes (Comtrade net weight in kg: 0.001).
    countries
        ``code`` -> ``iso3`` for every country code the file may use (None: unknown).
    products
        Valid 6-digit HS codes (column ``hs6``) from the source's product table, or None
        to accept every code whose HS chapter is known.
    source, citation
        Provenance recorded on every row.
    origin
        The file read.
    size_bytes
        Size of the file (for progress reports).
    header_lines
        Lines before the first data row (to report file line numbers).
    missing_quantity
        Quantity cells meaning 'unknown' (stored as NULL).
    frame
        An in-memory table the relation reads as ``_gl_frame`` (small sources already
        parsed, e.g. gravity datasets), or None.
    """

    dataset: str
    kind: str
    relation: str
    columns: dict[str, str]
    value_scale: float
    quantity_scale: float
    countries: pd.DataFrame
    source: str
    citation: str
    origin: str
    products: pd.DataFrame | None = None
    size_bytes: int = 0
    header_lines: int = 1
    missing_quantity: tuple[str, ...] = field(default=("", "NA"))
    frame: pd.DataFrame | None = None


def sql_string(text: str) -> str:
    """Quote ``text`` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def require_file(path: Path, what: str) -> Path:
    """Return ``path`` if it is a file, else raise :class:`DataNotFoundError`."""
    if not path.is_file():
        raise DataNotFoundError(
            f"{what} file {path} not found", field="path", fix=f"give the path of a {what} file"
        )
    return path
