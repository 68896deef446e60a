"""Render a text fact check (``TextCheckResult.to_dict()``) as Markdown, HTML or JSON."""

from __future__ import annotations

from typing import Any

from geolever.core.units import format_amount
from geolever.report.render import html_page, to_json


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


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
                f"{cmp}{format_amount(c['claimed'], c['unit'])} | "
                f"{format_amount(r.get('computed'), c['unit'])}"
                f" | {r.get('year') or '-'} | **{c['verdict']}** |"
            )
            details.append(
                f"- **#{sent['index']} {c['metric']}** ({c['verdict']}): {_cell(c['explanation'])}"
            )
            for y in r.get("by_year", []):
                src = "; ".join(y["sources"]) or y["note"]
                if y.get("fact_notes"):  # the facts' own caveats (issue 14)
                    src += ". Notes: " + "; ".join(y["fact_notes"])
                details.append(
                    f"  - {y['year']}: {format_amount(y['computed'], c['unit'])} "
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
    return html_page(f"geolever fact check: {doc['case']}", render_markdown(doc))


def render_json(doc: dict[str, Any]) -> str:
    """Return the JSON document (strict: no NaN)."""
    return to_json(doc)
