"""Case packs: sourced facts, infrastructure topology and uncertain parameters for a case.

A pack is a folder under ``geolever/packs/<name>/`` holding ``pack.yaml`` (what the case
is), ``facts.csv`` (one sourced value per row, see :class:`geolever.core.facts.Fact`),
``infrastructure.yaml`` (assets and corridor routes as a graph) and ``parameters.yaml``
(the uncertain parameters with their distributions and rationale).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from geolever.core.errors import GeoleverError, InvalidDataError, UnknownCodeError
from geolever.core.facts import COLUMNS, Fact
from geolever.core.inputs import read_text, reading, require_input


@dataclass(frozen=True)
class Pack:
    """A case pack as read from disk (validated facts plus the pack's YAML documents)."""

    name: str
    meta: dict[str, Any]
    facts: tuple[Fact, ...]
    infrastructure: dict[str, Any]
    parameters: dict[str, Any]


def available_packs() -> list[str]:
    """Return the names of the case packs shipped with geolever."""
    root = resources.files("geolever.packs")
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("_"))


def _number(row: dict[str, str], column: str, where: str, kind: type) -> Any:
    raw = (row.get(column) or "").strip()
    if not raw:
        raise InvalidDataError(
            f"missing {column}", field=f"{where}, column {column}",
            fix=f"give the {column}; leave the whole row out if it is unknown",
        )
    try:
        number = kind(raw)
        if not math.isfinite(number):  # nan, inf and 1e309 are no facts (issue 14)
            raise ValueError(raw)
        return number
    except ValueError:
        raise InvalidDataError(
            f"{column} {raw!r} is not a plain number", field=f"{where}, column {column}",
            fix="write numbers without separators or units (e.g. 1200000000, unit in 'unit')",
        ) from None


def _parse_row(row: dict[str, str], where: str) -> Fact:
    year = _number(row, "year", where, int)
    value = _number(row, "value", where, float)
    try:
        return Fact(
            indicator=row["indicator"],
            country=row["country"],
            partner=row.get("partner") or "",
            product=row.get("product") or "",
            entity=row.get("entity") or "",
            measure=row.get("measure") or "",
            year=year,
            period=row.get("period") or "FY",
            value=value,
            unit=row["unit"],
            quality=row.get("quality") or "reported",  # type: ignore[arg-type]
            preferred=(row.get("preferred") or "").strip().lower() in ("yes", "true", "1"),
            source=row["source"],
            citation=row.get("citation") or "",
            note=row.get("note") or "",
        )
    except GeoleverError as err:
        raise type(err)(err.message, field=f"{where}, {err.field}", fix=err.fix) from None
    except (ValueError, TypeError) as err:
        detail = err.errors()[0] if isinstance(err, ValidationError) else None
        column = ".".join(str(p) for p in detail["loc"]) if detail else "?"
        raise InvalidDataError(
            f"cannot read the row: {detail['msg'] if detail else err}",
            field=f"{where}, column {column}",
            fix="correct that column as described",
        ) from None


def read_facts_csv(text: str, *, origin: str = "facts.csv") -> list[Fact]:
    """Parse facts from CSV text in the pack format; every row is validated.

    Raises
    ------
    InvalidDataError
        Naming the file, line and column of the first bad row and how to fix it.
    """
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("indicator", "country", "year", "value", "unit", "source")
               if c not in (reader.fieldnames or [])]
    if missing:
        raise InvalidDataError(
            f"missing columns {missing}",
            field=origin,
            fix=f"the header must name the columns {', '.join(COLUMNS)}",
        )
    facts = []
    for row in reader:
        if None in row:  # csv.DictReader keeps surplus fields under the key None
            raise InvalidDataError(
                f"the row has {len(reader.fieldnames or []) + len(row[None])} fields where "
                f"the header has {len(reader.fieldnames or [])}",
                field=f"{origin} line {reader.line_num}",
                fix="quote fields that contain commas; give every row the header's fields")
        facts.append(_parse_row(row, f"{origin} line {reader.line_num}"))
    return facts


def read_facts_file(path: Path) -> list[Fact]:
    """Read facts from a CSV or Parquet file in the pack format."""
    require_input(path, "facts (CSV or Parquet)")
    if path.suffix == ".parquet":
        import pandas as pd

        with reading(path, "Parquet file of facts"):
            frame = pd.read_parquet(path).fillna("")
        facts = read_facts_csv(frame.to_csv(index=False), origin=path.name)
    else:
        facts = read_facts_csv(read_text(path, "facts CSV"), origin=path.name)
    if not facts:
        raise InvalidDataError(f"{path.name} holds no facts (only a header?)", field=str(path),
                               fix="give at least one row under the header")
    return facts


def _yaml(folder: Any, name: str) -> dict[str, Any]:
    entry = folder.joinpath(name)
    if not entry.is_file():
        return {}
    data = yaml.safe_load(entry.read_text("utf-8")) or {}
    if not isinstance(data, dict):
        raise InvalidDataError(f"{name} must hold a mapping", field=name, fix="check the file")
    return data


@cache
def read_pack(name: str) -> Pack:
    """Read and validate the shipped case pack ``name`` (cached: packs are read-only)."""
    if name not in available_packs():
        raise UnknownCodeError(
            f"unknown case pack {name!r}",
            field="case",
            fix=f"use one of: {', '.join(available_packs())}",
        )
    folder = resources.files("geolever.packs").joinpath(name)
    text = folder.joinpath("facts.csv").read_text("utf-8")
    facts = read_facts_csv(text, origin=f"{name}/facts.csv")
    return Pack(
        name=name,
        meta=_yaml(folder, "pack.yaml"),
        facts=tuple(facts),
        infrastructure=_yaml(folder, "infrastructure.yaml"),
        parameters=_yaml(folder, "parameters.yaml"),
    )
