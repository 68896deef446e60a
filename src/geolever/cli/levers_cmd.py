"""``geolever levers``: the registered lever kinds and their parameters."""

from __future__ import annotations

from rich.table import Table

from geolever.cli.common import console
from geolever.levers import kind_table


def levers() -> None:
    """List the lever kinds and their parameters."""
    for entry in kind_table():
        table = Table(title=f"{entry['kind']}: {entry['title']}")
        for col in ("parameter", "type", "default", "description"):
            table.add_column(col, overflow="fold")
        for row in entry["parameters"]:
            default = "required" if row["required"] else repr(row["default"])
            table.add_row(row["name"], row["type"], default, row["description"])
        console.print(table)
