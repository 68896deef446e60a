"""A bilateral trade-flow file described for streaming ingestion.

Product-level trade files are large (a BACI year is about 10 million rows), so loaders do
not parse them in Python. A loader inspects the file's header and code tables and
returns a :class:`FlowSource`: a DuckDB ``SELECT`` over the file that yields the raw
columns under canonical names, plus the code tables and provenance. The store
(:mod:`geolever.store.bulk`) runs it inside one transaction with the validation in SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geolever.core.errors import DataNotFoundError, InvalidDataError

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


def csv_reader(path: Path, header: list[str], delim: str) -> str:
    """Return DuckDB ``read_csv(...)`` for a trade file with the given header, all text.

    The columns are given, not sniffed: a ragged or truncated row is then an error on its
    line (the sniffer used to mistake a short last line for the header, or skip rows).
    """
    # a blank header cell (pandas' index column) gets DuckDB's own default name
    names = [c or f"column{i:02d}" for i, c in enumerate(header)]
    columns = "{" + ", ".join(f"{sql_string(c)}: 'VARCHAR'" for c in names) + "}"
    return (
        f"read_csv({sql_string(str(path))}, header=true, auto_detect=false, "
        f"columns={columns}, delim={sql_string(delim)}, quote='\"', escape='\"', "
        "strict_mode=true)"
    )


_LINE = re.compile(r"CSV Error on Line: (\d+)")
_REASONS = (
    ("Invalid unicode", "is not UTF-8 text", "save the file as UTF-8"),
    ("Expected Number of Columns", "has {found} fields where the header has {expected}",
     "give every row as many fields as the header (a truncated or ragged file?)"),
)


def csv_read_error(err: Exception, path: str | Path) -> InvalidDataError:
    """Translate a DuckDB CSV reader error into one line naming file and line."""
    text = str(err)
    line = _LINE.search(text)
    where = f"{Path(path).name}, line {line.group(1)}" if line else str(path)
    for key, message, fix in _REASONS:
        if key in text:
            nums = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
            msg = message.format(expected=nums.group(1), found=nums.group(2)) if nums else message
            return InvalidDataError(f"the row {msg}", field=where, fix=fix)
    first = next((ln for ln in text.splitlines() if ln.strip()), text)
    return InvalidDataError(f"cannot read the file: {first[:200]}", field=where,
                            fix="give the file as published (comma- or tab-separated text)")
