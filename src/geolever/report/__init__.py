"""Reports: Markdown, self-contained HTML with charts, and result.json."""

from geolever.report.render import (
    html_page,
    render_html,
    render_markdown,
    to_json,
    write_files,
    write_report,
)

__all__ = ["html_page", "render_html", "render_markdown", "to_json", "write_files",
           "write_report"]
