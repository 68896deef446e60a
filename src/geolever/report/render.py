"""Render a scenario result as Markdown, self-contained HTML and JSON, written atomically."""

from __future__ import annotations

import html
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from geolever.core.formats import format_amount
from geolever.core.outputs import write_tree
from geolever.effects import engines
from geolever.levers import lever_kinds
from geolever.report.charts import loss_vs_cost_chart, routes_chart

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
table{border-collapse:collapse;margin:1em 0;font-size:.88em}
th,td{border:1px solid #ccc;padding:.35em .5em;vertical-align:top}
th{background:#f4f6f7}
code{background:#f4f6f7;padding:0 .2em}
svg{max-width:100%;height:auto}
h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
"""


def _m(x: float | None) -> str:
    return "-" if x is None else f"{x / 1e6:,.1f}"


def _pct(x: float | None, digits: int = 2) -> str:
    return "-" if x is None else f"{x:.{digits}f}%"


def _pct_map(values: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:+.3f}%" for k, v in values.items())


def _matrix_table(cells: list[dict[str, Any]]) -> Markup:
    """Markdown table of a trade matrix in US$bn; filled (not sourced) cells are starred."""
    regions = list(dict.fromkeys(c["exporter"] for c in cells))
    value = {(c["exporter"], c["importer"]): c for c in cells}
    lines = ["| exporter \\ importer | " + " | ".join(regions) + " |",
             "|---" * (len(regions) + 1) + "|"]
    for a in regions:
        row = []
        for b in regions:
            cell = value[(a, b)]
            if a == b:
                row.append("-")
                continue
            mark = "*" if cell["provenance"].startswith("filled") else ""
            row.append(f"{cell['value_usd'] / 1e9:,.2f}{mark}")
        lines.append(f"| {a} | " + " | ".join(row) + " |")
    return Markup("\n".join(lines))  # Markdown on purpose: not escaped by md_text


def _share(band: dict[str, float] | None) -> str:
    return "-" if band is None else f"{band['p50']:.0%}"


def _num(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:,.3g}"


def _templates() -> dict[str, str]:
    """Return the report template and the sections engines and lever kinds contribute."""
    text = resources.files("geolever.report").joinpath("templates/report.md.j2").read_text("utf-8")
    out = {"report.md": text}
    out.update({f"engine/{e.name}": e.section for e in engines() if e.section})
    out.update({f"kind/{k}": cls.report_section for k, cls in lever_kinds().items()
                if cls.report_section})
    return out


#: Characters that make Markdown (links, images, emphasis, tables, raw HTML) out of text.
#: ``<`` becomes ``&lt;`` (no raw tag can start, and no "<script>" survives even as text);
#: ``>`` is active only at the start of a line (a block quote), so "China -> Australia"
#: stays readable in report.md.
_MD_SPECIAL = re.compile(r"[\\`*_\[\]<!|~#]|^>", re.MULTILINE)


def md_text(value: Any) -> Any:
    """Escape Markdown in every value a template prints (issue 14).

    Titles, labels, notes and sources come from users and case packs: ``![t](http://x)``
    must stay text, not become an image in report.html, and ``<script>`` must not reach
    report.md raw. Numbers pass unchanged; helpers that build Markdown on purpose
    (:func:`_matrix_table`) return :class:`markupsafe.Markup`, which passes too.
    """
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return _MD_SPECIAL.sub(lambda m: "&lt;" if m.group(0) == "<" else "\\" + m.group(0), value)


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.DictLoader(_templates()),
                             autoescape=False, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined, finalize=md_text)
    env.globals.update(m=_m, pct=_pct, share=_share, num=_num, claim_value=format_amount,
                       pct_map=_pct_map, matrix_table=_matrix_table)
    return env


def charts(result: dict[str, Any]) -> dict[str, str]:
    """All charts of a result as ``{file name: SVG text}``."""
    out = {"loss_vs_cost.svg": loss_vs_cost_chart(result)}
    for lever in result["levers"]:
        edges = lever["details"].get("edges")
        if edges:
            out[f"routes_{lever['id']}.svg"] = routes_chart(
                edges, f"{lever['label']}: capacity and volume carried")
    return out


def render_markdown(result: dict[str, Any]) -> str:
    """Render the Markdown report of a result.json document."""
    text = _env().get_template("report.md").render(r=result, levers=result["levers"])
    return re.sub(r"\n{3,}", "\n\n", text)


def html_page(title: str, markdown: str, svgs: dict[str, str] | None = None) -> str:
    """Render Markdown as a self-contained HTML page; ``charts/NAME`` images become inline SVG.

    Raw HTML in the Markdown is not passed through (labels and texts come from users).
    """
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)
    charts_inline = svgs or {}

    def inline(match: re.Match[str]) -> str:
        return f"<figure>{charts_inline.get(match.group(1), '')}</figure>"

    body = re.sub(r'<img src="charts/([^"]+)" alt="[^"]*" ?/?>', inline, body)
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title><style>{_CSS}</style></head>"
            f"<body>{body}</body></html>")


def to_json(doc: dict[str, Any]) -> str:
    """Serialise a result document as strict JSON (no NaN or infinity)."""
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False)


def render_html(result: dict[str, Any], svgs: dict[str, str] | None = None) -> str:
    """Render a self-contained HTML report: the Markdown rendered, with the charts inline."""
    svgs = charts(result) if svgs is None else svgs
    return html_page(result.get("title", "geolever report"), render_markdown(result), svgs)


def write_files(out: Path, files: dict[str, str]) -> dict[str, Path]:
    """Write already rendered files into ``out`` (sub-folders allowed), all or nothing.

    Callers render everything first; :func:`geolever.core.outputs.write_tree` then checks
    every name stays inside ``out``, writes into a temporary folder and renames into place.
    """
    return write_tree(out, files)


def write_report(result: dict[str, Any], out: Path) -> dict[str, Path]:
    """Write result.json, report.md, report.html and charts/*.svg into ``out``."""
    svgs = charts(result)
    files = {
        "result.json": to_json(result),
        "report.md": render_markdown(result),
        "report.html": render_html(result, svgs),
        **{f"charts/{k}": v for k, v in svgs.items()},
    }
    return write_files(out, files)
