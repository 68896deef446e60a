"""Checking a case pack: every file read with the same validation (and messages) as imports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from geolever.core.countries import country_name, normalise_country
from geolever.core.errors import InvalidDataError
from geolever.core.facts import Fact
from geolever.core.units import CRUDE_BBL_PER_TONNE, convert
from geolever.sources.packs import read_pack
from geolever.store import FactStore
from geolever.store.assets import pipelines_crossing
from geolever.world.case import ParameterSpec, generic_parameters, parameter_specs


@dataclass(frozen=True)
class PackCheck:
    """What a valid pack holds (for ``geolever pack check``)."""

    name: str
    origin: str
    sender: str
    target: str
    facts: int
    networks: int
    assets: int
    parameters: dict[str, ParameterSpec]
    overrides: tuple[str, ...]
    scenario: dict[str, Any] | None


_EDGE_KEYS = ("id", "name", "from", "to", "mode", "countries")


def check_pack(name: str) -> PackCheck:
    """Validate pack ``name`` (a folder, a ``GEOLEVER_PACKS`` pack or a shipped one).

    Raises
    ------
    GeoleverError
        The first problem, naming the file, line or field and the fix (as imports do).
    """
    pack = read_pack(name)  # facts.csv rows are validated as by `geolever data import facts`
    where = f"{pack.name}/pack.yaml"
    for key in ("sender", "target"):
        if not pack.meta.get(key):
            raise InvalidDataError(f"no {key}", field=f"{where}, {key}",
                                   fix=f"add '{key}: ISO3' (e.g. {key}: KAZ)")
    sender = normalise_country(str(pack.meta["sender"]), field=f"{where}, sender")
    target = normalise_country(str(pack.meta["target"]), field=f"{where}, target")
    nets = pack.infrastructure.get("networks") or {}
    if not isinstance(nets, dict):
        raise InvalidDataError("networks must be a mapping of network name to network",
                               field=f"{pack.name}/infrastructure.yaml, networks",
                               fix="see the comments of a skeleton (geolever pack init)")
    assets = 0
    for net_name, net in nets.items():
        at = f"{pack.name}/infrastructure.yaml, networks.{net_name}"
        for key in ("origin", "destination", "edges"):
            if key not in (net or {}):
                raise InvalidDataError(f"network {net_name} has no {key}", field=at,
                                       fix=f"add {key}")
        for k, edge in enumerate(net["edges"]):
            missing = [e for e in _EDGE_KEYS if e not in (edge or {})]
            if missing:
                raise InvalidDataError(f"edge {k} lacks {', '.join(missing)}",
                                       field=f"{at}.edges[{k}]", fix="give every edge "
                                       + ", ".join(_EDGE_KEYS))
            for c in edge["countries"]:
                normalise_country(str(c), field=f"{at}.edges[{k}].countries")
            assets += 1
    own = parameter_specs(pack.parameters, f"{pack.name}/parameters.yaml")
    return PackCheck(
        name=pack.name, origin=pack.origin, sender=sender, target=target,
        facts=len(pack.facts), networks=len(nets), assets=assets,
        parameters={**generic_parameters(), **own},
        overrides=tuple(sorted(own)), scenario=pack.scenario)


def gem_oil_routes(store: FactStore, sender: str, target: str) -> tuple[dict[str, Any],
                                                                       list[Fact]]:
    """Oil pipelines out of ``target`` from the GEM tracker rows in the store, as a network.

    Every oil pipeline crossing the target and another country becomes an edge from the
    target's fields to the world market (the one through the sender's territory and its
    alternatives), with the countries crossed and the other countries as transit earners;
    GEM's capacity (bbl/d converted to Mt/yr) and status (operating = 1, else 0, as of the
    tracker release) become sourced facts. GEM gives no throughput: each edge requires a
    ``pipeline_throughput`` fact, without which a transit lever is not assessable.

    Returns
    -------
    (dict, list of Fact)
        The ``networks`` mapping for infrastructure.yaml (empty when GEM lists no oil
        pipeline through both countries) and the facts.
    """
    rows = pipelines_crossing(store, target)
    # export routes: oil pipelines that leave the target's territory
    rows = rows[(rows["commodity"] == "oil") & (rows["countries"].str.count(" ") > 0) & ~rows[
        "status"].isin(
        ["cancelled", "proposed", "shelved", "construction", "retired"])]
    if rows.empty or not pipelines_crossing(store, target, sender)["commodity"].eq(
            "oil").any():
        return {}, []
    edges: list[dict[str, Any]] = []
    facts: list[Fact] = []
    for r in rows.to_dict("records"):
        asset, source, status = str(r["asset_id"]), str(r["source"]), str(r["status"])
        countries = str(r["countries"]).split()
        url = str(r["url"] or r["citation"])
        edges.append({"id": asset, "name": str(r["project"]), "from": f"{target}_FIELDS",
                      "to": "WORLD_MARKET", "mode": "pipeline", "countries": countries,
                      "tariff_earners": [c for c in countries if c != target],
                      "cost_assumption": "pipeline_tariff_usd_per_t",
                      "volume_required": True, "gem_url": url})
        tracker = int(source[-7:-3]) if source[-7:-3].isdigit() else 2024
        facts.append(Fact(indicator="asset_status", entity=asset, year=tracker, source=source,
                          citation=url, value=1.0 if status == "operating" else 0.0,
                          unit="flag", period="point",
                          note=f"GEM status '{status}' as of the tracker release"))
        capacity = float(r["capacity"]) if pd.notna(r["capacity"]) else None
        if capacity is not None and r["capacity_unit"] == "bbl/d" and not r["suspect"]:
            facts.append(Fact(
                indicator="pipeline_capacity", entity=asset, year=tracker, source=source,
                citation=url, value=float(convert(capacity, "bbl/d", "Mt/yr")), unit="Mt/yr",
                quality="derived",
                note=f"GEM capacity {capacity:,.0f} bbl/d at {CRUDE_BBL_PER_TONNE} bbl/t"))
    network = {"title": f"{country_name(target)} crude oil export pipelines (GEM)",
               "commodity": "crude oil", "origin": f"{target}_FIELDS",
               "destination": "WORLD_MARKET", "origin_country": target,
               "volume_indicator": "pipeline_throughput", "edges": edges}
    return {f"{target.lower()}_oil_pipelines": network}, facts
