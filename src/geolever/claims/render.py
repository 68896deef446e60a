"""Render a text check (:meth:`TextCheckResult.to_dict`) as Markdown, HTML or JSON."""

from __future__ import annotations

import html
import json
from typing import Any

from markdown_it import MarkdownIt

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
table{border-collapse:collapse;margin:1em 0;font-size:.88em}
th,td{border:1px solid #ccc;padding:.35em .5em;vertical-align:top}
th{background:#f4f6f7}
"""


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _value(x: float | None, unit: str) -> str:
    if x is None:
        return "-"
    if unit == "USD":
        return f"US${x / 1e9:,.2f}bn" if abs(x) >= 1e9 else f"US${x / 1e6:,.0f}m"
    if unit == "pct":
        return f"{x:.1f}%"
    if unit == "flag":
        return "operating" if x > 0 else "not operating"
    if unit == "ratio":
        return f"{x:,.2f}x"
    return f"{x:,.3g} {unit}"


def render_markdown(doc: dict[str, Any]) -> str:
    """Return the Markdown report of a text check: summary, checked claims, the rest."""
    s = doc["summary"]
    th = doc["verdict_thresholds"]
    lines = [
        f"# Fact check: {doc['sender_name']} -> {doc['target_name']} ({doc['case']})",
        "",
        f"{s['sentences']} sentences read ({doc['format']}), {s['candidates']} check-worthy: "
        f"{s['checked']} checked, {s['not_checked']} not checked. Reference year "
        f"{doc['reference_year']}. geolever {doc['geolever_version']}.",
        "",
        f"Verdicts: accurate within {th['accurate_within']:.0%} of the computed value, roughly "
        f"right within {th['roughly_right_within']:.0%}, misleading within a factor of "
        f"{th['misleading_factor']} (or when the claim compares unlike things), false beyond, "
        "unverifiable without data.",
        "",
        "## Checked claims",
        "",
        "| # | Sentence | Metric | Claimed | Computed | Year | Verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    details = []
    for sent in doc["sentences"]:
        if sent["status"] != "checked":
            continue
        for c in sent["claims"]:
            r = c["result"] or {}
            cmp = "" if c["comparison"] == "about" else f"{c['comparison']} "
            lines.append(
                f"| {sent['index']} | {_cell(sent['text'])} | {c['metric']} | "
                f"{cmp}{_value(c['claimed'], c['unit'])} | {_value(r.get('computed'), c['unit'])}"
                f" | {r.get('year') or '-'} | **{c['verdict']}** |"
            )
            details.append(
                f"- **#{sent['index']} {c['metric']}** ({c['verdict']}): {_cell(c['explanation'])}"
            )
            for y in r.get("by_year", []):
                src = "; ".join(y["sources"]) or y["note"]
                details.append(
                    f"  - {y['year']}: {_value(y['computed'], c['unit'])} "
                    f"({y['verdict']}) — {_cell(src)}"
                )
    lines += [
        "",
        "### Evidence",
        "",
        *details,
        "",
        "## Not checked",
        "",
        "| # | Sentence | Reason |",
        "|---|---|---|",
    ]
    lines += [
        f"| {x['index']} | {_cell(x['text'])} | {_cell(x['reason'])} |"
        for x in doc["sentences"]
        if x["status"] != "checked"
    ]
    return "\n".join(lines) + "\n"


def render_html(doc: dict[str, Any]) -> str:
    """Return a self-contained HTML page of the Markdown report (no external assets)."""
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(render_markdown(doc))
    title = html.escape(f"geolever fact check: {doc['case']}")
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}"
        f"</title><style>{_CSS}</style></head><body>{body}</body></html>"
    )


def render_json(doc: dict[str, Any]) -> str:
    """Return the JSON document (strict: no NaN)."""
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False)
