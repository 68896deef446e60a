"""``geolever levers``: the registered lever kinds and their parameters."""

from __future__ import annotations

import json
from typing import Any

from geolever.cli.common import friendly_errors
from geolever.cli.output import Column, FormatOption, OutTable, check_format, emit


def _default(row: dict[str, Any]) -> str:
    if row["required"]:
        return "required"
    value = row["default"]
    if value is None:
        return "-"
    return value if isinstance(value, str) else json.dumps(value)


@friendly_errors
def levers(fmt: FormatOption = "table") -> None:
    """List the lever kinds and their parameters."""
    from geolever.levers import kind_table  # the lever kinds: imported when listed

    check_format(fmt)
    tables = [
        OutTable(
            name=entry["kind"],
            title=f"{entry['kind']}: {entry['title']}",
            columns=[
                Column("name", "parameter", "short"),
                Column("type", "type"),
                Column("required", "required", table=False),
                Column("default", "default", table=False),
                Column("default_text", "default", data=False),
                Column("description", "description"),
            ],
            rows=[{**row, "default_text": _default(row)} for row in entry["parameters"]],
        )
        for entry in kind_table()
    ]
    emit(tables, fmt)
