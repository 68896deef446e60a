"""Tables that fit: one way every command prints its rows (``--format table|json|csv``).

A command describes its output as :class:`OutTable` objects (columns with a kind and a
formatter, rows of raw values) and hands them to :func:`emit`:

* ``table`` (default): Rich tables sized to the console (the terminal's width, or
  :data:`~geolever.cli.common.PIPE_WIDTH` columns when stdout is not a terminal). Column
  widths are computed here, so no word is ever split across lines: a ``text`` column is
  at least as wide as its longest word, a ``long`` column (URLs, reasons) is cut to one
  line with ``…`` and a note names where the full text is (the report, or ``--format
  json``). When even the narrowest layout does not fit, each row is printed as a block
  of ``name: value`` lines instead. Cells are :class:`rich.text.Text`, never markup, so
  a value such as ``[low, high]`` prints as it is.
* ``json``: the raw values (numbers unformatted, bands as ``{p5, p50, p95}``), one list
  of records, or an object of lists when a command prints several tables.
* ``csv``: the same records flattened (``target_loss_usd.p50``); several tables are
  separated by a blank line and a ``# name`` line.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from geolever.cli.common import check_choice, console, err_console

FORMATS = ("table", "json", "csv")

FormatOption = Annotated[
    str,
    typer.Option("--format", help="Output: table (default; sized to the terminal, 120 columns "
                 "in a pipe), json or csv (every value in full, unformatted)"),
]

ColumnKind = Literal["text", "short", "num", "long"]
#: A word longer than this in a ``text`` column is folded rather than widening the column.
LONGEST_WORD = 40
#: Width a ``text`` column grows to before ``long`` columns get the spare width.
TEXT_COMFORT = 22
#: Narrowest width a ``long`` column is cut to before the block layout is used.
LONG_MIN = 16


@dataclass(frozen=True)
class Column:
    """One column: the record key, its header and how it is shown in a table.

    ``kind``: ``text`` wraps at words; ``short`` and ``num`` (right-aligned) never wrap;
    ``long`` is cut to one line. ``fmt`` turns the raw value into the cell text; ``style``
    gives the cell a Rich style from its raw value. ``table=False`` keeps the column out
    of the table (it is still in json and csv); ``data=False`` keeps a display-only
    column (a value already formatted for people) out of json and csv.
    """

    key: str
    header: str
    kind: ColumnKind = "text"  # short/num cells may hold explicit line breaks
    fmt: Callable[[Any], str] | None = None
    style: Callable[[Any], str] | None = None
    table: bool = True
    data: bool = True

    def cell(self, value: Any) -> str:
        """Return the cell's text for ``value``."""
        if self.fmt is not None:
            return self.fmt(value)
        return plain(value)


@dataclass
class OutTable:
    """A table a command prints: title, columns, rows of raw values, a note under it."""

    name: str
    title: str
    columns: Sequence[Column]
    rows: Sequence[Mapping[Any, Any]] = field(default_factory=list)
    note: str | None = None
    #: where the full text of cut cells is ("the report in out/", "--format json")
    full_text: str = "--format json"


def plain(value: Any) -> str:
    """Default cell text: ``-`` for missing, numbers without exponents, the rest as str."""
    from geolever.core.formats import format_number

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) and abs(value) < 10000:
        return str(value)  # years and small counts: 2024, not 2,024
    if isinstance(value, int | float):
        return format_number(value)
    return str(value)


def check_format(value: str) -> str:
    """Return ``value`` if it is a known output format, else raise naming ``--format``."""
    return check_choice("--format", value, FORMATS)


def _words(text: str) -> list[str]:
    return text.split()


def _widths(columns: Sequence[Column], cells: list[list[str]], avail: int) -> list[int] | None:
    """Column widths that fit ``avail`` characters of content, or None if none fit."""
    natural, minimum = [], []
    for i, col in enumerate(columns):
        texts = [row[i] for row in cells]
        # a cell may hold several lines (a p50 over its band): its widest line counts
        longest = max((len(line) for t in texts for line in t.splitlines() or [""]), default=0)
        words = [w for t in (*texts, col.header) for w in _words(t)]
        head_word = max((len(w) for w in _words(col.header)), default=1)
        if col.kind in ("short", "num"):
            lo = max(longest, head_word)
            hi = max(lo, len(col.header))
        elif col.kind == "long":
            hi = max(longest, len(col.header))
            lo = min(hi, max(LONG_MIN, head_word))
        else:
            lo = min(max((len(w) for w in words), default=1), LONGEST_WORD)
            lo = max(lo, head_word)
            hi = max(lo, longest, len(col.header))
        natural.append(hi)
        minimum.append(lo)
    if sum(natural) <= avail:
        return natural
    if sum(minimum) > avail:
        return None
    widths = list(minimum)
    spare = avail - sum(widths)
    # share the spare width: text columns up to TEXT_COMFORT first, then long columns
    # (reasons, URLs), then everything up to its natural width
    text_cap = [min(natural[i], max(minimum[i], TEXT_COMFORT)) if c.kind == "text"
                else minimum[i] for i, c in enumerate(columns)]
    long_cap = [natural[i] if c.kind == "long" else text_cap[i] for i, c in enumerate(columns)]
    for cap in (text_cap, long_cap, natural):
        growable = [i for i in range(len(columns)) if cap[i] > widths[i]]
        while spare > 0 and growable:
            share = max(1, spare // len(growable))
            for i in list(growable):
                add = min(share, cap[i] - widths[i], spare)
                widths[i] += add
                spare -= add
                if widths[i] >= cap[i]:
                    growable.remove(i)
                if spare <= 0:
                    break
    return widths


def _print_blocks(t: OutTable, columns: Sequence[Column], cells: list[list[str]]) -> None:
    """Narrow layout: each row as ``header: value`` lines (wrapped at words by Rich)."""
    for row in cells:
        console.print(Text("-" * min(console.width, 40)))
        for col, value in zip(columns, row, strict=True):
            line = Text(f"{col.header}: ", style="bold")
            line.append(" ".join(value.split("\n")))
            console.print(line)


def render_table(t: OutTable) -> None:
    """Print ``t`` as a Rich table fitted to the console width.

    Three layouts, the first that fits: a boxed table; a compact one (no borders, one
    space between columns); one ``name: value`` block per row. Columns empty in every
    row are left out of the table (they are in json and csv).
    """
    columns = [c for c in t.columns if c.table]
    cells = [[c.cell(r.get(c.key)) for c in columns] for r in t.rows]
    if t.rows:
        keep = [i for i, c in enumerate(columns)
                if any(row[i].strip() not in ("", "-") for row in cells)] or [0]
        columns = [columns[i] for i in keep]
        cells = [[row[i] for i in keep] for row in cells]
    console.print(Text(t.title, style="bold"))
    if not t.rows:
        console.print(Text("(no rows)"))
        return
    n = len(columns)
    cut = False
    widths = _widths(columns, cells, console.width - (3 * n + 1))  # borders and padding
    compact = widths is None
    if compact:
        widths = _widths(columns, cells, console.width - (n - 1))  # one space between
    if widths is None:
        _print_blocks(t, columns, cells)
    else:
        multiline = any(c.kind == "text" or "\n" in v for row in cells
                        for c, v in zip(columns, row, strict=True))
        table = (Table(box=box.SIMPLE_HEAD, padding=0, show_edge=False, expand=False,
                       leading=1 if multiline else 0)
                 if compact else
                 Table(show_lines=any(c.kind == "text" for c in columns) and len(t.rows) < 40,
                       expand=False))
        for col, w in zip(columns, widths, strict=True):
            # short/num cells fit their width by construction; only headers wrap (at words)
            table.add_column(Text(col.header), width=w, no_wrap=col.kind == "long",
                             overflow="ellipsis" if col.kind == "long" else "fold",
                             justify="right" if col.kind == "num" else "left")
        for r, row in zip(t.rows, cells, strict=True):
            texts = []
            for col, value, w in zip(columns, row, widths, strict=True):
                cut = cut or (col.kind == "long" and len(value) > w)
                style = col.style(r.get(col.key)) if col.style else ""
                texts.append(Text(value, style=style))
            table.add_row(*texts)
        console.print(table)
    if t.note:
        console.print(Text(t.note))
    if cut:
        console.print(Text(f"Cells ending in … are cut; the full text is in {t.full_text}."))


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return _jsonable(value.item())
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def records(t: OutTable) -> list[dict[str, Any]]:
    """Return the rows of ``t`` as JSON-ready records, keys in column order."""
    return [{c.key: _jsonable(r.get(c.key)) for c in t.columns if c.data} for r in t.rows]


def _flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in record.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping):
            out.update(_flatten(v, key + "."))
        elif isinstance(v, list):
            out[key] = "; ".join(json.dumps(x) if isinstance(x, Mapping) else str(x) for x in v)
        else:
            out[key] = v
    return out


def _csv(t: OutTable) -> str:
    flat = [_flatten(r) for r in records(t)]
    keys: list[str] = []
    for r in flat:
        keys.extend(k for k in r if k not in keys)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=keys, lineterminator="\n")
    writer.writeheader()
    writer.writerows(flat)
    return buf.getvalue()


def emit(tables: Sequence[OutTable], fmt: str = "table") -> None:
    """Print ``tables`` in the chosen format (see the module docstring)."""
    check_format(fmt)
    if fmt == "table":
        for t in tables:
            render_table(t)
        return
    if fmt == "json":
        doc: Any = (records(tables[0]) if len(tables) == 1
                    else {t.name: records(t) for t in tables})
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    parts = []
    for t in tables:
        body = _csv(t)
        parts.append(body if len(tables) == 1 else f"# {t.name}\n{body}")
    print("\n".join(parts), end="")


def status(text: str, fmt: str = "table") -> None:
    """Print a status line (``wrote ...``).

    On stdout for tables, on stderr for json and csv, so that machine output stays parseable.
    """
    (console if fmt == "table" else err_console).print(Text(text))


__all__ = ["FORMATS", "Column", "FormatOption", "OutTable", "check_format", "emit", "plain",
           "records", "render_table", "status"]
