"""User text in reports stays text (issue 14): no images, links, HTML or tables from it."""

from __future__ import annotations

import re

from geolever.report import render_html, render_markdown
from geolever.report.render import md_text
from geolever.scenario import parse_scenario, run_scenario

EVIL_TITLE = "![t](http://evil.test/pixel.png) <script>alert(1)</script>"
EVIL_LABEL = "**bold** | [link](http://evil.test) <img src=x onerror=alert(1)>"


def test_md_text_escapes_markdown_and_html() -> None:
    out = md_text(EVIL_TITLE)
    assert "![" not in out and "<script>" not in out
    assert md_text(12.5) == 12.5 and md_text("-16") == "-16"


def test_report_keeps_user_text_as_text() -> None:
    scenario = parse_scenario({
        "sender": "RUS", "target": "AZE", "draws": 100, "title": EVIL_TITLE,
        "levers": [{"kind": "remittance_ban", "label": EVIL_LABEL}],
    })
    doc = run_scenario(scenario).to_dict()
    md = render_markdown(doc)
    for raw in (r"<script", r"!\[t\]\(", r"<img", r"\*\*bold"):  # unescaped forms
        assert not re.search(r"(?<!\\)" + raw, md), raw
    html = render_html(doc)
    body = html.split("<body>", 1)[1]
    assert "<script" not in body and "evil.test/pixel.png\"" not in body
    assert '<img src="http' not in body and '<a href="http://evil.test' not in body
    # the text itself is still shown
    assert "alert(1)" in body and "bold" in body
