"""Reports: Markdown, self-contained HTML with charts, and result.json."""

from geolever.report.render import render_html, render_markdown, write_report

__all__ = ["render_html", "render_markdown", "write_report"]
