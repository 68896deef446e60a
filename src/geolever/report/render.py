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

from geolever.core.formats import format_amount, format_money, format_number, format_pct
from geolever.core.outputs import write_tree

# The engines, lever kinds and charts (matplotlib, scipy: over a second to import) are
# imported by the functions that render a scenario's result; a claims report needs none.

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
table{border-collapse:collapse;margin:1em 0;font-size:.88em}
th,td{border:1px solid #ccc;padding:.35em .5em;vertical-align:top}
th{background:#f4f6f7}
code{background:#f4f6f7;padding:0 .2em}
svg{max-width:100%;height:auto}
h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
figure{margin:1em 0}figcaption{font-size:.85em;color:#555;margin-top:.3em}
details{margin:.6em 0}summary{cursor:pointer;color:#2c3e50;font-weight:600}
details ul{font-size:.9em}
"""


def _m(x: float | None) -> str:
    return "-" if x is None else f"{x / 1e6:,.1f}"


def _pct(x: float | None, digits: int = 2) -> str:
    return "-" if x is None else f"{x:.{digits}f}%"


def _pct_map(values: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:+.3f}%" for k, v in values.items())


def _matrix_table(cells: list[dict[str, Any]]) -> Markup:
    """Markdown table of a trade matrix in US$bn; filled (not sourced) cells are starred.

    ``cells`` are the GE engine's ``details.ge_matrix`` as in result.json (read back into
    :class:`~geolever.effects.engines.ge_trade_cost.MatrixCell`).
    """
    from geolever.effects.engines.ge_trade_cost import MatrixCell

    typed = [MatrixCell.model_validate(c) for c in cells]
    regions = list(dict.fromkeys(c.exporter for c in typed))
    value = {(c.exporter, c.importer): c for c in typed}
    lines = ["| exporter \\ importer | " + " | ".join(regions) + " |",
             "|---" * (len(regions) + 1) + "|"]
    for a in regions:
        row = []
        for b in regions:
            cell = value[(a, b)]
            if a == b:
                row.append("-")
                continue
            mark = "*" if cell.provenance.startswith("filled") else ""
            row.append(f"{cell.value_usd / 1e9:,.2f}{mark}")
        lines.append(f"| {a} | " + " | ".join(row) + " |")
    return Markup("\n".join(lines))  # Markdown on purpose: not escaped by md_text


def _share(band: dict[str, float] | None) -> str:
    return "-" if band is None else f"{band['p50']:.0%}"


def _num(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:,.3g}"


def _band(band: dict[str, float] | None) -> str:
    """``US$328m (US$223m-US$430m)``: a money band's median and 90% range."""
    if band is None:
        return "-"
    return (f"{format_money(band['p50'])} ({format_money(band['p5'])}-"
            f"{format_money(band['p95'])})")


def fact_value(value: float | None, unit: str) -> str:
    """Format a sourced figure for people: ``US$574m``, ``41.5%`` (a share), ``2.3 Mt``."""
    if value is None:
        return "-"
    if unit == "USD":
        return format_money(value)
    if unit == "share":
        return format_pct(100 * value, 3)
    if unit in ("pct", "%"):
        return format_pct(value, 3)
    return format_number(value, unit)


def _source_key(s: dict[str, Any]) -> tuple[Any, ...]:
    return (s.get("label"), s.get("value"), s.get("unit"), s.get("year"), s.get("period"),
            s.get("source"), s.get("citation"))


def source_index(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Every source of the levers once, in order of first use (the report's "All sources")."""
    seen: dict[tuple[Any, ...], dict[str, Any]] = {}
    for lv in result["levers"]:
        for s in lv.get("sources") or []:
            seen.setdefault(_source_key(s), s)
    return list(seen.values())


def _captions(result: dict[str, Any]) -> dict[str, str]:
    """One caption per chart file: what it shows, its source and year."""
    from geolever.report.charts import route_edges

    run = (f"{result['draws']} Monte Carlo draws, seed {result['seed']}, geolever "
           f"{result['geolever_version']}")
    out = {"loss_vs_cost.svg": (
        f"{result['target_name']}'s loss and {result['sender_name']}'s cost per lever, "
        f"{result['year']}, US$ a year: median, whiskers 5th-95th percentile ({run}); "
        "computed from the sources listed under each lever.")}
    for lv in result["levers"]:
        edges = route_edges(lv)
        if not edges:
            continue
        cited = list(dict.fromkeys(
            src for e in edges for src in (e.capacity_source, e.volume_source) if src))
        out[f"routes_{lv['id']}.svg"] = (
            f"{lv['label']}: capacity and volume carried per route, Mt a year, "
            f"{result['year']}, before and after the lever. Sources: "
            + ("; ".join(cited) if cited else "the case's network data") + ".")
    return out


def _templates() -> dict[str, str]:
    """Return the report template and the sections engines and lever kinds contribute."""
    from geolever.effects import engines
    from geolever.levers import lever_kinds

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
                       pct_map=_pct_map, matrix_table=_matrix_table, money=format_money,
                       band=_band, fact_value=fact_value)
    return env


def charts(result: dict[str, Any]) -> dict[str, str]:
    """All charts of a result as ``{file name: SVG text}``."""
    from geolever.report.charts import loss_vs_cost_chart, route_edges, routes_chart

    out = {"loss_vs_cost.svg": loss_vs_cost_chart(result)}
    for lever in result["levers"]:
        edges = route_edges(lever)
        if edges:
            out[f"routes_{lever['id']}.svg"] = routes_chart(
                edges, f"{lever['label']}: capacity and volume carried")
    return out


def render_markdown(result: dict[str, Any], *, caption_lines: bool = True) -> str:
    """Render the Markdown report of a result.json document.

    Parameters
    ----------
    result
        The result document.
    caption_lines
        Write each chart's caption as an italic line under it (report.md); the HTML page
        puts the caption in the chart's ``<figcaption>`` instead.
    """
    sources = source_index(result)
    number = {_source_key(s): i for i, s in enumerate(sources, start=1)}
    captions = _captions(result)
    labels = {lv["id"]: lv["label"] for lv in result["levers"]}
    text = _env().get_template("report.md").render(
        r=result, levers=result["levers"], all_sources=sources,
        src_no=lambda s: Markup(f"[{number[_source_key(s)]}]"),
        caption=lambda name: captions.get(name, ""),
        caption_line=lambda name: (Markup(f"*{md_text(captions[name])}*")
                                   if caption_lines and name in captions else ""),
        label_of=lambda lever_id: labels.get(lever_id, lever_id))
    if caption_lines:  # engine sections' charts (routes) get their caption line too
        text = re.sub(r"^(!\[[^\]\n]*\]\(charts/(routes_[^)\s]+)\))$",
                      lambda mt: mt.group(1) + (
                          f"\n*{md_text(captions[name])}*"
                          if (name := mt.group(2).replace("\\", "")) in captions else ""),
                      text, flags=re.MULTILINE)
    return re.sub(r"\n{3,}", "\n\n", text)


#: A section's list of sources or assumptions, as rendered from the template's marker line.
_COLLAPSIBLE = re.compile(
    r"<p>((?:Sources|Assumptions) of this (?:section|report) \((\d+)[^<]*)</p>\s*"
    r"(<[uo]l>.*?</[uo]l>)", re.S)
#: A section's trade-matrix table (the GE engine's section), collapsed the same way.
_MATRIX = re.compile(r"<p>(Trade matrix [^<]*)</p>\s*(<table>.*?</table>)", re.S)


def html_page(title: str, markdown: str, svgs: dict[str, str] | None = None,
              captions: dict[str, str] | None = None) -> str:
    """Render Markdown as a self-contained HTML page; ``charts/NAME`` images become inline SVG.

    Raw HTML in the Markdown is not passed through (labels and texts come from users).
    Each chart becomes a ``<figure>`` with its caption (``captions``, else the image's alt
    text); each section's list of sources or assumptions is collapsed in ``<details>``.
    """
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)
    charts_inline = svgs or {}
    caption_of = captions or {}

    def inline(match: re.Match[str]) -> str:
        name, alt = match.group(1), match.group(2)
        text = html.escape(caption_of[name]) if name in caption_of else alt
        cap = f"<figcaption>{text}</figcaption>" if text else ""
        return f"<figure>{charts_inline.get(name, '')}{cap}</figure>"

    body = re.sub(r'<img src="charts/([^"]+)" alt="([^"]*)" ?/?>', inline, body)
    body = _COLLAPSIBLE.sub(lambda mt: f"<details><summary>{mt.group(1).rstrip(':')}"
                                       f"</summary>{mt.group(3)}</details>", body)
    body = _MATRIX.sub(lambda mt: f"<details><summary>{mt.group(1).rstrip(':')}</summary>"
                                  f"{mt.group(2)}</details>", body)
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title><style>{_CSS}</style></head>"
            f"<body>{body}</body></html>")


def to_json(doc: dict[str, Any]) -> str:
    """Serialise a result document as strict JSON (no NaN or infinity)."""
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False)


def render_html(result: dict[str, Any], svgs: dict[str, str] | None = None) -> str:
    """Render a self-contained HTML report: the Markdown rendered, with the charts inline."""
    svgs = charts(result) if svgs is None else svgs
    return html_page(result.get("title", "geolever report"),
                     render_markdown(result, caption_lines=False), svgs, _captions(result))


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
