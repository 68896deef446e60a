"""Checking a case pack: every file read with the same validation (and messages) as imports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from geolever.core.countries import normalise_country
from geolever.core.errors import InvalidDataError
from geolever.sources.packs import read_pack
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
