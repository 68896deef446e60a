"""``geolever claims check FILE``: fact-check the quantitative claims of a text.

Wire with ``app.add_typer(claims_app, name="claims")``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from geolever.claims.reading import MAX_TEXT_BYTES, Format
from geolever.claims.text import check_text
from geolever.cli.common import console, fail
from geolever.core.errors import GeoleverError, InvalidDataError
from geolever.core.outputs import check_output_dir
from geolever.report import write_files
from geolever.report.claims import render_html, render_json, render_markdown
from geolever.store import FactStore

claims_app = typer.Typer(help="Fact-check the quantitative claims of a text.", no_args_is_help=True)

_EXT_FORMAT: dict[str, Format] = {
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".txt": "text",
}
_COLOURS = {
    "accurate": "green",
    "roughly right": "cyan",
    "misleading": "yellow",
    "false": "red",
    "unverifiable": "magenta",
}


def read_input(path: Path) -> str:
    """Read a text file as UTF-8, with clear errors for missing, huge or undecodable files."""
    if not path.is_file():
        raise InvalidDataError(
            f"no such file: {path}",
            field="FILE",
            fix="give the path of a text, Markdown or HTML file",
        )
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise InvalidDataError(
            f"{path} is {size:,} bytes, over the limit of {MAX_TEXT_BYTES:,}",
            field="FILE",
            fix="split the text and check it in parts",
        )
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InvalidDataError(
            f"{path} is not UTF-8 text ({err.reason} at byte {err.start})",
            field="FILE",
            fix="save the file as UTF-8",
        ) from None


@claims_app.command("check")
def check(
    file: Annotated[Path, typer.Argument(help="Text, Markdown or HTML file (UTF-8, <= 1 MB)")],
    case: Annotated[str, typer.Option(help="Case pack")] = "russia-azerbaijan",
    fmt: Annotated[
        list[str] | None,
        typer.Option("--format", help="Report format(s) to write: md, json, html (repeatable)"),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Folder for the report(s)")] = None,
    year: Annotated[int | None, typer.Option(help="Reference year (default: the pack's)")] = None,
    sender: Annotated[str | None, typer.Option(
        help="ISO3 code of the sender the text is about, if not the pack's (the store's "
        "datasets are read for the pair)")] = None,
    target: Annotated[str | None, typer.Option(
        help="ISO3 code of the target the text is about, if not the pack's")] = None,
    published: Annotated[int | None, typer.Option(
        help="Year the text was published ('last year' and claims without a year resolve "
        "against it; default: the reference year)")] = None,
    store: Annotated[
        Path | None, typer.Option(help="Fact store file", envvar="GEOLEVER_STORE")
    ] = None,
    rows: Annotated[int, typer.Option(
        min=0, help="Rows of the console table at most (0: all); the reports written with "
        "--out hold every sentence")] = 100,
) -> None:
    """Find the check-worthy sentences of FILE and check each against data and model."""
    try:
        if out is not None:
            check_output_dir(out)  # before any work (issue 14)
        formats = fmt or ["md", "json", "html"]
        bad = [f for f in formats if f not in ("md", "json", "html")]
        if bad:
            raise InvalidDataError(
                f"unknown report format {bad[0]!r}", field="--format", fix="use md, json or html"
            )
        text = read_input(file)
        text_fmt: Format = _EXT_FORMAT.get(file.suffix.lower(), "auto")
        result = check_text(
            text, case=case, fmt=text_fmt, store=FactStore(store) if store else None, year=year,
            sender=sender, target=target, published=published,
        )
        doc = result.to_dict()
        rendered = {
            "md": ("claims.md", render_markdown),
            "json": ("claims.json", render_json),
            "html": ("claims.html", render_html),
        }
        if out is not None:
            # Render everything before writing anything: a failure leaves no half report.
            # Without --out nothing is written, and nothing is rendered (the HTML report of
            # 1 MB of text takes seconds).
            files = {name: fn(doc) for key, (name, fn) in rendered.items() if key in formats}
            write_files(out, files)
    except GeoleverError as err:
        fail(err)
    table = Table(
        title=f"Claims in {file.name}: {doc['summary']['checked']} checked, "
        f"{doc['summary']['not_checked']} not checked"
    )
    for col in ("#", "Sentence", "Metric", "Verdict / reason"):
        table.add_column(col, overflow="fold")
    # a terminal table of thousands of rows is unreadable, and Rich takes seconds to lay it
    # out (about 4,800 rows for 1 MB of news text): the first rows, then a count
    shown = 0
    total = sum(max(1, len(s["claims"])) if s["status"] == "checked" else 1
                for s in doc["sentences"])
    for s in doc["sentences"]:
        if rows and shown >= rows:
            break
        text_cell = s["text"] if len(s["text"]) < 140 else s["text"][:137] + "..."
        if s["status"] == "checked":
            for c in s["claims"][: (rows - shown) if rows else None]:
                colour = _COLOURS.get(c["verdict"], "white")
                table.add_row(
                    str(s["index"]),
                    text_cell,
                    c["metric"],
                    Text(c["verdict"] + (f" ({c['year']})" if c["year"] else ""), style=colour),
                )
                shown += 1
        else:
            table.add_row(str(s["index"]), text_cell, "-",
                          Text(f"not checked: {s['reason']}", style="dim"))
            shown += 1
    console.print(table)
    verdicts = ", ".join(f"{n} {v}" for v, n in sorted(doc["summary"]["verdicts"].items()))
    console.print(f"verdicts: {verdicts or 'none'}")
    if shown < total:
        console.print(f"{total - shown} more rows not shown (--rows 0 shows all; --out writes "
                      f"every sentence to the md, json and html reports)")
    if out is not None:
        console.print(f"wrote {', '.join(sorted(files))} to {out}")
