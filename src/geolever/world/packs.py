"""Checking a case pack: every file read with the same validation (and messages) as imports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from geolever.core.countries import country_name
from geolever.core.errors import InvalidDataError
from geolever.core.facts import Fact
from geolever.core.pack_schema import EdgeSpec, Infrastructure, NetworkSpec
from geolever.core.units import CRUDE_BBL_PER_TONNE, convert
from geolever.sources.packs import read_pack
from geolever.store import FactStore
from geolever.store.assets import pipelines_crossing
from geolever.world.case import ParameterSpec, generic_parameters


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


def check_pack(name: str) -> PackCheck:
    """Validate pack ``name`` (a folder, a ``GEOLEVER_PACKS`` pack or a shipped one).

    Reading it validates every file (:mod:`geolever.core.pack_schema`, and facts.csv as
    ``geolever data import facts`` does); a pack to check must also name its pair.

    Raises
    ------
    GeoleverError
        The first problem, naming the file, line or field and the fix (as imports do).
    """
    pack = read_pack(name)
    where = f"{pack.name}/pack.yaml"
    for key in ("sender", "target"):
        if not getattr(pack.meta, key):
            raise InvalidDataError(f"no {key}", field=f"{where}, {key}",
                                   fix=f"add '{key}: ISO3' (e.g. {key}: KAZ)")
    return PackCheck(
        name=pack.name, origin=pack.origin, sender=str(pack.meta.sender),
        target=str(pack.meta.target), facts=len(pack.facts),
        networks=len(pack.infrastructure.networks), assets=len(pack.infrastructure.edges()),
        parameters={**generic_parameters(), **pack.parameters},
        overrides=tuple(sorted(pack.parameters)), scenario=pack.scenario)


def gem_oil_routes(store: FactStore, sender: str, target: str) -> tuple[Infrastructure,
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
    (Infrastructure, list of Fact)
        The networks for infrastructure.yaml (none when GEM lists no oil pipeline through
        both countries) and the facts.
    """
    rows = pipelines_crossing(store, target)
    # export routes: oil pipelines that leave the target's territory
    rows = rows[(rows["commodity"] == "oil") & (rows["countries"].str.count(" ") > 0) & ~rows[
        "status"].isin(
        ["cancelled", "proposed", "shelved", "construction", "retired"])]
    if rows.empty or not pipelines_crossing(store, target, sender)["commodity"].eq(
            "oil").any():
        return Infrastructure(), []
    edges: list[EdgeSpec] = []
    facts: list[Fact] = []
    for r in rows.to_dict("records"):
        asset, source, status = str(r["asset_id"]), str(r["source"]), str(r["status"])
        countries = str(r["countries"]).split()
        url = str(r["url"] or r["citation"])
        edges.append(EdgeSpec.model_validate({
            "id": asset, "name": str(r["project"]), "from": f"{target}_FIELDS",
            "to": "WORLD_MARKET", "mode": "pipeline", "countries": countries,
            "tariff_earners": [c for c in countries if c != target],
            "cost_assumption": "pipeline_tariff_usd_per_t", "volume_required": True,
            "gem_url": url}))
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
    network = NetworkSpec(title=f"{country_name(target)} crude oil export pipelines (GEM)",
                          commodity="crude oil", origin=f"{target}_FIELDS",
                          destination="WORLD_MARKET", origin_country=target,
                          volume_indicator="pipeline_throughput", edges=tuple(edges))
    return Infrastructure(networks={f"{target.lower()}_oil_pipelines": network}), facts
