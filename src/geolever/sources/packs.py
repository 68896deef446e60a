"""Case packs: sourced facts, infrastructure topology and uncertain parameters for a case.

A pack is a folder holding ``pack.yaml`` (what the case is: sender, target, year),
``facts.csv`` (one sourced value per row, see :class:`geolever.core.facts.Fact`; rows whose
first cell starts with ``#`` are comments), ``infrastructure.yaml`` (assets and corridor
routes as a graph), ``parameters.yaml`` (uncertain parameters overriding the generic ones)
and optionally ``scenario.yaml``. A pack overlays the standard datasets for its pair: its
sourced figures win, the rest come from the datasets in the store.

Packs are found, in this order: a path to a pack folder; a folder named like the pack
under one of the folders listed in ``GEOLEVER_PACKS`` (separated by the OS path
separator, ``:`` on Linux); the packs shipped under ``geolever/packs/``.
"""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from geolever.core.errors import GeoleverError, InvalidDataError, UnknownCodeError
from geolever.core.facts import COLUMNS, Fact
from geolever.core.inputs import load_yaml, read_text, reading, require_input
from geolever.core.pack_schema import (
    Infrastructure,
    PackFile,
    PackMeta,
    ParametersFile,
    ParameterSpec,
    parse_pack_file,
    read_pack_file,
)

#: Environment variable listing folders of user packs.
PACKS_ENV = "GEOLEVER_PACKS"


@dataclass(frozen=True)
class Pack:
    """A case pack as read from disk: every file validated against its schema.

    ``pack.yaml``, ``infrastructure.yaml`` and ``parameters.yaml`` against the models of
    :mod:`geolever.core.pack_schema`, ``facts.csv`` row by row. ``scenario`` is the parsed
    ``scenario.yaml`` mapping (or None): the scenario schema, a layer above, validates it.
    """

    name: str
    meta: PackMeta
    facts: tuple[Fact, ...]
    infrastructure: Infrastructure
    parameters: dict[str, ParameterSpec]
    origin: str = ""
    scenario: dict[str, Any] | None = None


def shipped_packs() -> list[str]:
    """Return the names of the case packs shipped with geolever."""
    root = resources.files("geolever.packs")
    # A folder without facts.csv (e.g. packs/episodes/, the backtest's episode packs) is not
    # a case pack of its own.
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("_")
                  and p.joinpath("facts.csv").is_file())


def pack_folders() -> list[Path]:
    """Return the folders listed in ``GEOLEVER_PACKS`` that exist."""
    raw = os.environ.get(PACKS_ENV, "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p and Path(p).is_dir()]


def user_packs() -> dict[str, Path]:
    """Return ``{name: folder}`` of the packs found under the ``GEOLEVER_PACKS`` folders."""
    found: dict[str, Path] = {}
    for root in pack_folders():
        for sub in sorted(root.iterdir()):
            if (sub / "pack.yaml").is_file():
                found.setdefault(sub.name, sub)
    return found


def available_packs() -> list[str]:
    """Return the names of the shipped packs and of the packs under ``GEOLEVER_PACKS``."""
    return sorted({*shipped_packs(), *user_packs()})


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
        if (row.get("indicator") or "").lstrip().startswith("#"):
            continue  # a comment row (pack skeletons explain the columns this way)
        if None in row:  # csv.DictReader keeps surplus fields under the key None
            raise InvalidDataError(
                f"the row has {len(reader.fieldnames or []) + len(row[None])} fields where "
                f"the header has {len(reader.fieldnames or [])}",
                field=f"{origin} line {reader.line_num}",
                fix="quote fields that contain commas; give every row the header's fields")
        if any(v is None for v in row.values()):  # and pads short rows with None
            raise InvalidDataError(
                "the row has fewer fields than the header",
                field=f"{origin} line {reader.line_num}",
                fix=f"give all {len(reader.fieldnames or [])} columns (empty ones as ,,)")
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


def _text(folder: Path | Traversable, file: str, label: str) -> str | None:
    """Return the text of ``folder/file`` (None if absent); a user's file is checked as input."""
    entry = folder.joinpath(file)
    if not entry.is_file():
        return None
    if isinstance(entry, Path):
        return read_text(entry, file, field=label)
    return entry.read_text("utf-8")


def _pack_file(folder: Path | Traversable, file: str, label: str,
               model: type[PackFile]) -> PackFile:
    """Return ``folder/file`` validated against ``model`` (its defaults when the file is absent)."""
    text = _text(folder, file, label)
    if text is None:
        return parse_pack_file(model, None, label)
    return read_pack_file(model, text, label)


def locate_pack(name: str) -> Path | Traversable:
    """Return the folder of pack ``name`` (a path, a ``GEOLEVER_PACKS`` pack or a shipped one).

    Raises
    ------
    UnknownCodeError
        Listing the packs that exist.
    """
    path = Path(name).expanduser()
    if path.is_dir():
        if not (path / "pack.yaml").is_file():
            raise InvalidDataError(f"{path} has no pack.yaml", field=str(path),
                                   fix="give a pack folder (geolever pack init DIR writes one)")
        return path
    users = user_packs()
    if name in users:
        return users[name]
    if name in shipped_packs():
        return resources.files("geolever.packs").joinpath(name)
    raise UnknownCodeError(
        f"unknown case pack {name!r}",
        field="case",
        fix=f"use one of: {', '.join(available_packs())}, a pack folder, or add its parent "
        f"folder to {PACKS_ENV}",
    )


def pack_file(name: str, file: str) -> Path | Traversable | None:
    """Return ``file`` (e.g. ``scenario.yaml``) of pack ``name``, None if the pack has none.

    The pack is found as :func:`locate_pack` finds it: a folder, a ``GEOLEVER_PACKS`` pack or
    a shipped one.
    """
    entry = locate_pack(name).joinpath(file)
    return entry if entry.is_file() else None


def read_pack(name: str) -> Pack:
    """Read and validate pack ``name`` (see :func:`locate_pack`); re-read when a file changes."""
    folder = locate_pack(name)
    if isinstance(folder, Path):
        stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir()
                             if p.is_file()))
        return _read_folder(str(folder.resolve()), stamp)
    return _read_shipped(name)


@cache
def _read_shipped(name: str) -> Pack:
    return _read(resources.files("geolever.packs").joinpath(name), name, f"{name}")


@cache
def _read_folder(folder: str, stamp: tuple[tuple[str, int], ...]) -> Pack:
    path = Path(folder)
    meta = _pack_file(path, "pack.yaml", f"{path.name}/pack.yaml", PackMeta)
    return _read(path, meta.name or path.name, folder, meta)


def _read(folder: Path | Traversable, name: str, origin: str,
          meta: PackMeta | None = None) -> Pack:
    if meta is None:
        meta = _pack_file(folder, "pack.yaml", f"{name}/pack.yaml", PackMeta)
    label = f"{name}/facts.csv"
    text = _text(folder, "facts.csv", label)
    facts = read_facts_csv(text, origin=label) if text is not None else []
    scenario_text = _text(folder, "scenario.yaml", f"{name}/scenario.yaml")
    scenario = None
    if scenario_text is not None:
        scenario = load_yaml(scenario_text, f"{name}/scenario.yaml")[0]
        if scenario is not None and not isinstance(scenario, dict):
            raise InvalidDataError(f"{name}/scenario.yaml must hold a mapping",
                                   field=f"{name}/scenario.yaml",
                                   fix="start with 'sender:', 'target:' and 'levers:'")
    infrastructure = _pack_file(folder, "infrastructure.yaml", f"{name}/infrastructure.yaml",
                                Infrastructure)
    parameters = _pack_file(folder, "parameters.yaml", f"{name}/parameters.yaml",
                            ParametersFile).parameters
    return Pack(name=name, meta=meta, facts=tuple(facts), infrastructure=infrastructure,
                parameters=parameters, origin=origin, scenario=scenario or None)


_SKELETON_PACK = """\
# What this case pack is. A pack overlays the standard datasets in the store for its pair:
# the sourced figures in facts.csv win; everything else (trade by product, DOTS totals, WDI,
# KNOMAD) comes from the datasets imported with `geolever data import`.
name: {name}
title: "{title}"
sender: {sender}
target: {target}
default_year: {year}
description: >
  Say here which levers the pack is for and where its figures come from.
# Optional: the regions of the world trade matrix of the general-equilibrium model (model: ge).
# Without it the sender, the target and the target's five largest partners in the DOTS totals
# of the latest year not after the case year are used.
# ge_world:
#   year: {year}
#   regions: [{sender}, {target}, CHN, USA, EU27]
"""

_SKELETON_FACTS = "\n".join([
    ",".join(COLUMNS),
    "# One sourced value per row; rows starting with # are comments. Columns: indicator "
    "(reference/indicators.csv); country and partner (ISO3; partner WLD = all partners); "
    "product (reference/products.csv or an HS code of 2/4/6 digits); entity (an asset id of "
    "infrastructure.yaml); measure (definition name or empty); year; period (FY/H1/Jan-Sep/"
    "point); value (plain number); unit (reference/units.csv); quality (reported/mirror/"
    "derived/estimate/plan); preferred (yes on the one value to use among conflicting ones); "
    "source (who published it); citation (URL); note.",
    "# Example (remove the leading # to use it): pipeline_throughput,,,,CPC,,2023,FY,63.0,Mt,"
    "reported,,Caspian Pipeline Consortium annual report,https://www.cpc.ru/,crude carried",
    "",
])

_SKELETON_INFRA = """\
# Infrastructure of the case as directed graphs (pipelines, rail or sea routes, terminals).
# Numbers (capacity, throughput, status, tariff) are sourced facts in facts.csv keyed by the
# edge id (entity); a cost without a sourced fact uses the parameter named in cost_assumption.
networks: {}
#  oil_exports:
#    title: {target_name} crude oil export routes
#    commodity: crude oil
#    origin: TENGIZ
#    destination: WORLD_MARKET
#    origin_country: {target}
#    volume_indicator: pipeline_throughput
#    edges:
#      - id: CPC
#        name: Caspian Pipeline Consortium pipeline
#        from: TENGIZ
#        to: NOVOROSSIYSK
#        mode: pipeline
#        countries: [{target}, {sender}]
#        tariff_earners: [{sender}]
#        cost_assumption: cpc_tariff_usd_per_t
#      - id: NOVOROSSIYSK_TERMINAL
#        name: Novorossiysk terminal
#        from: NOVOROSSIYSK
#        to: WORLD_MARKET
#        mode: port
#        countries: [{sender}]
#        tariff_earners: []
"""

_SKELETON_PARAMS = """\
# Parameters of this pair that differ from the generic defaults (reference/parameters.yaml
# lists them all, each with its basis). Same fields: description, distribution (triangular,
# uniform or fixed), low, mode, high, unit, basis (assumption or sourced), rationale, source.
parameters: {}
#  remittance_reroute_share_1y:
#    description: Share of banned remittances that still reach households within a year
#    distribution: triangular
#    low: 0.3
#    mode: 0.5
#    high: 0.8
#    unit: share
#    basis: assumption
#    rationale: Why this pair differs from the generic default.
"""

_SKELETON_SCENARIO = """\
# A scenario for this pack: run it with  geolever assess {folder}/scenario.yaml --pack {folder}
sender: {sender}
target: {target}
year: {year}
levers:
  - kind: remittance_ban
  - kind: trade_restriction
    goods: [TOTAL]        # or named products (crude_oil, wheat, coal) or HS codes (2709, 1003)
    direction: imports    # what the sender stops buying from the target
"""


def write_pack_skeleton(folder: Path, *, sender: str, target: str, year: int, title: str,
                        sender_name: str, target_name: str) -> list[Path]:
    """Write a commented pack skeleton (pack, facts, infrastructure, parameters, scenario).

    Raises
    ------
    InvalidDataError
        When ``folder`` already holds a ``pack.yaml`` (nothing is overwritten).
    """
    if (folder / "pack.yaml").exists():
        raise InvalidDataError(f"{folder} already holds a pack", field=str(folder),
                               fix="choose an empty or new folder")
    folder.mkdir(parents=True, exist_ok=True)
    name = folder.name
    values = {"name": name, "title": title, "sender": sender, "target": target, "year": year,
              "folder": str(folder), "sender_name": sender_name, "target_name": target_name}
    files = {"pack.yaml": _SKELETON_PACK, "facts.csv": _SKELETON_FACTS,
             "infrastructure.yaml": _SKELETON_INFRA, "parameters.yaml": _SKELETON_PARAMS,
             "scenario.yaml": _SKELETON_SCENARIO}
    written = []
    for file, template in files.items():
        path = folder / file
        text = template
        for key, value in values.items():  # placeholders only: YAML braces stay as they are
            text = text.replace("{" + key + "}", str(value))
        path.write_text(text, "utf-8")
        written.append(path)
    return written


def add_infrastructure(folder: Path, infrastructure: Infrastructure, facts: list[Fact]) -> None:
    """Write ``infrastructure`` into a skeleton's infrastructure.yaml and append ``facts`` rows."""
    path = folder / "infrastructure.yaml"
    head = "".join(line for line in path.read_text("utf-8").splitlines(keepends=True)
                   if line.startswith("#") and not line.startswith("#  "))
    doc = infrastructure.model_dump(mode="json", by_alias=True, exclude_none=True)
    path.write_text(head + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), "utf-8")
    with (folder / "facts.csv").open("a", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        for f in facts:
            row = f.model_dump()
            writer.writerow(["yes" if row[c] is True else "" if row[c] is False else row[c]
                             for c in COLUMNS])
