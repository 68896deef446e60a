"""The case: sender, target, year, the store's facts, infrastructure and parameters.

A :class:`Case` answers questions such as "remittances received by AZE from RUS in 2024,
in US$" with a :class:`~geolever.core.quantity.Quantity` that carries its source, and
builds the infrastructure networks with the year's capacities, volumes and status.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator

from geolever.core.countries import country_name, normalise_country
from geolever.core.errors import DataNotFoundError, InvalidDataError, UnknownCodeError
from geolever.core.facts import indicator_table
from geolever.core.quantity import Quantity
from geolever.core.units import convert
from geolever.sources.packs import read_pack
from geolever.store import FactStore


def country_key(indicator: str, country: str) -> str:
    """Return the country key under which ``indicator`` is stored ('' for asset-only indicators)."""
    return country if "country" in indicator_table()[indicator].keys else ""


class ParameterSpec(BaseModel):
    """An uncertain parameter: a distribution with its unit and basis (assumption or sourced)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = ""
    description: str
    distribution: Literal["triangular", "uniform", "fixed"]
    low: float
    high: float
    mode: float | None = None
    unit: str
    basis: Literal["assumption", "sourced"]
    rationale: str = ""
    source: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> ParameterSpec:
        mode = self.low if self.mode is None else self.mode
        if not self.low <= mode <= self.high:
            raise InvalidDataError(
                f"parameter {self.name}: need low <= mode <= high, got "
                f"{self.low}, {self.mode}, {self.high}",
                field=f"parameters.{self.name}",
                fix="order the bounds",
            )
        return self

    @property
    def central(self) -> float:
        """The mode (triangular), midpoint (uniform) or value (fixed)."""
        if self.mode is not None:
            return self.mode
        return (self.low + self.high) / 2


@dataclass(frozen=True)
class Edge:
    """One infrastructure link (pipeline, rail or sea route, terminal) for the case year.

    Capacities and volumes are in Mt/yr and Mt; ``status`` is 1 (operating) or 0.
    Quantities are None where no sourced value exists (and no assumption applies).
    """

    id: str
    name: str
    source_node: str
    target_node: str
    mode: str
    countries: tuple[str, ...]
    tariff_earners: tuple[str, ...]
    capacity: Quantity | None
    volume: Quantity | None
    status: Quantity | None
    tariff: Quantity | None
    cost_parameter: str | None
    time_parameter: str | None

    @property
    def operating(self) -> bool:
        """True unless a status fact says the link is suspended or closed."""
        return self.status is None or self.status.value > 0

    @property
    def volume_mt(self) -> float:
        """Volume carried in the case year (Mt); 0 when suspended or unknown."""
        if not self.operating or self.volume is None:
            return 0.0
        return float(convert(self.volume.value, self.volume.unit, "Mt"))


@dataclass(frozen=True)
class Network:
    """An infrastructure network (e.g. oil export routes) for one year."""

    name: str
    title: str
    commodity: str
    origin: str
    destination: str
    origin_country: str
    edges: tuple[Edge, ...]

    def edge(self, edge_id: str) -> Edge:
        """Return the edge ``edge_id`` or raise listing the known ones."""
        for e in self.edges:
            if e.id == edge_id:
                return e
        raise UnknownCodeError(
            f"unknown asset {edge_id!r} in network {self.name}",
            field="asset",
            fix=f"use one of: {', '.join(e.id for e in self.edges if e.mode != 'port')}",
        )


@dataclass
class Case:
    """A sender-target case for one year, backed by a fact store.

    Attributes
    ----------
    name
        Case pack name.
    sender, target
        ISO3 codes.
    year
        The year computations use by default.
    store
        Where facts come from.
    meta, infrastructure, parameters
        The pack's description, network topology and uncertain parameters.
    """

    name: str
    sender: str
    target: str
    year: int
    store: FactStore
    meta: dict[str, Any]
    infrastructure: dict[str, Any]
    parameters: dict[str, ParameterSpec]
    used: list[Quantity] = field(default_factory=list)

    # ----------------------------------------------------------------- facts
    def fx_per_usd(self, year: int) -> dict[str, float]:
        """Exchange rates (currency units per US$) for ``year`` from the store."""
        frame = self.store.query(indicator="exchange_rate", year=year)
        rates: dict[str, float] = {}
        ordered = frame.sort_values("preferred", ascending=False)
        for unit, value in zip(ordered["unit"], ordered["value"], strict=True):
            base, quote = str(unit).split("/")
            if base == "USD":  # USD/EUR is quoted the other way round
                rates.setdefault(quote, 1 / float(value))
            else:
                rates.setdefault(base, float(value))
        return rates

    def quantity(
        self,
        indicator: str,
        country: str,
        *,
        year: int | None = None,
        unit: str | None = None,
        record: bool = True,
        **keys: Any,
    ) -> Quantity:
        """Return one sourced value (selected by the store's rule), optionally converted.

        Parameters
        ----------
        indicator, country
            The quantity; further keys (partner, product, entity, measures,
            allow_partial, label) are passed to :meth:`FactStore.get`.
        year
            Defaults to the case year.
        unit
            Convert to this unit (currencies at the year's exchange rate).
        record
            Add the quantity to :attr:`used`, the list of facts cited by the run.
        """
        y = self.year if year is None else year
        q = self.store.get(indicator, country_key(indicator, country), y, **keys)
        if unit and unit != q.unit:
            q = q.to(unit, fx_per_usd=self.fx_per_usd(q.year))
        if record:
            self.used.append(q)
        return q

    def latest(self, indicator: str, country: str, *, up_to: int | None = None,
               or_later: bool = False, **keys: Any) -> Quantity:
        """Return the most recent value at or before ``up_to`` (for states like capacity).

        With ``or_later``, a value stated after ``up_to`` is used when none exists before
        (for design capacities, which do not change from year to year).
        """
        limit = self.year if up_to is None else up_to
        known = self.store.years(indicator, country_key(indicator, country), **{
            k: v for k, v in keys.items() if k in ("partner", "product", "entity")})
        years = [y for y in known if y <= limit] or (
            [min(known)] if or_later and known else [])
        if not years:
            raise DataNotFoundError(
                f"no value of {indicator} {country} {keys.get('entity', '')} up to {limit}",
                field=indicator,
                fix="add a sourced fact to the case pack",
            )
        return self.quantity(indicator, country, year=max(years), **keys)

    def has(self, indicator: str, country: str, *, year: int | None = None, **keys: Any) -> bool:
        """Return True when the store can answer :meth:`quantity` for these arguments."""
        try:
            self.quantity(indicator, country, year=year, record=False, **keys)
        except DataNotFoundError:
            return False
        return True

    def bilateral(self, exporter: str, importer: str, product: str = "TOTAL", *,
                  year: int | None = None, record: bool = True) -> Quantity:
        """Goods flow exporter -> importer in US$/yr, as the exporter or the importer reports it.

        The exporter's report (``exports``) is used when it exists, else the importer's
        (``imports``); partial periods are annualised and flagged.
        """
        label = f"exports of {product} from {exporter} to {importer}"
        try:
            return self.quantity("exports", exporter, partner=importer, product=product,
                                 year=year, unit="USD", allow_partial=True, label=label,
                                 record=record)
        except DataNotFoundError as first:
            try:
                return self.quantity("imports", importer, partner=exporter, product=product,
                                     year=year, unit="USD", allow_partial=True, label=label,
                                     record=record)
            except DataNotFoundError:
                raise first from None

    def gdp_usd(self, country: str, year: int | None = None) -> Quantity:
        """GDP in current US$ for the case year (or ``year``)."""
        return self.quantity("gdp", country, year=year, unit="USD",
                             label=f"GDP of {country_name(country)}")

    def parameter(self, name: str) -> ParameterSpec:
        """Return the uncertain parameter ``name`` from the pack."""
        if name not in self.parameters:
            raise UnknownCodeError(
                f"the case pack has no parameter {name!r}",
                field="parameters",
                fix=f"add it to {self.name}/parameters.yaml",
            )
        return self.parameters[name]

    # ---------------------------------------------------------- infrastructure
    def network_names(self) -> list[str]:
        """Names of the infrastructure networks in the pack."""
        return sorted(self.infrastructure.get("networks", {}))

    def network(self, name: str, year: int | None = None) -> Network:
        """Build network ``name`` with the year's capacities, volumes, status and tariffs."""
        nets = self.infrastructure.get("networks", {})
        if name not in nets:
            raise UnknownCodeError(
                f"unknown network or corridor {name!r}",
                field="corridor",
                fix=f"use one of: {', '.join(sorted(nets))}",
            )
        spec = nets[name]
        y = self.year if year is None else year
        volume_indicator = spec.get("volume_indicator", "pipeline_throughput")
        capacity_indicator = volume_indicator.replace("throughput", "capacity").replace(
            "volume", "capacity"
        )
        edges = []
        for e in spec["edges"]:
            entity = e["id"]
            country = e["countries"][0]

            def pick(ind: str, latest: bool, ent: str = entity, ctry: str = country,
                     or_later: bool = False) -> Quantity | None:
                try:
                    if latest:
                        return self.latest(ind, ctry, up_to=y, entity=ent, or_later=or_later)
                    return self.quantity(ind, ctry, year=y, entity=ent, allow_partial=True)
                except DataNotFoundError:
                    return None

            edges.append(
                Edge(
                    id=entity,
                    name=e["name"],
                    source_node=e["from"],
                    target_node=e["to"],
                    mode=e["mode"],
                    countries=tuple(e["countries"]),
                    tariff_earners=tuple(e.get("tariff_earners", [])),
                    capacity=(pick(capacity_indicator, True, or_later=True)
                              if e["mode"] != "port" else None),
                    volume=self._volume(volume_indicator, entity, y) if e["mode"] != "port"
                    else None,
                    status=pick("asset_status", True) if e["mode"] != "port" else None,
                    tariff=pick("transit_tariff", True) if e["mode"] != "port" else None,
                    cost_parameter=e.get("cost_assumption"),
                    time_parameter=e.get("time_assumption"),
                )
            )
        return Network(
            name=name,
            title=spec.get("title", name),
            commodity=spec.get("commodity", ""),
            origin=spec["origin"],
            destination=spec["destination"],
            origin_country=spec.get("origin_country", ""),
            edges=tuple(edges),
        )

    def _volume(self, indicator: str, entity: str, year: int) -> Quantity | None:
        """Volume carried in ``year`` (annualised if partial), else the latest earlier year's.

        An older volume is a stand-in, flagged in its note: a route with an unknown volume
        is not the same as an idle one.
        """
        try:
            return self.quantity(indicator, "", year=year, entity=entity, allow_partial=True)
        except DataNotFoundError:
            pass
        try:
            older = self.latest(indicator, "", up_to=year - 1, entity=entity)
        except DataNotFoundError:
            return None
        return replace(older, note=f"no value for {year}; the {older.year} volume stands in. "
                       + older.note)

    def find_asset(self, asset: str) -> tuple[str, Edge]:
        """Return (network name, edge) for an asset id, searching every network."""
        known: list[str] = []
        for name in self.network_names():
            for e in self.infrastructure["networks"][name]["edges"]:
                known.append(e["id"])
                if e["id"] == asset.upper():
                    return name, self.network(name).edge(e["id"])
        raise UnknownCodeError(
            f"unknown asset {asset!r}",
            field="asset",
            fix=f"use one of: {', '.join(k for k in known if not k.endswith('_TERMINAL'))}",
        )


def load_case(store: FactStore, name: str, *, year: int | None = None,
              sender: str | None = None, target: str | None = None) -> Case:
    """Load case pack ``name`` into ``store`` (idempotent) and return the :class:`Case`."""
    pack = read_pack(name)
    store.load_pack(name)
    params = {
        key: ParameterSpec(name=key, **value)
        for key, value in (pack.parameters.get("parameters") or {}).items()
    }
    return Case(
        name=name,
        sender=normalise_country(sender or pack.meta["sender"], field="sender"),
        target=normalise_country(target or pack.meta["target"], field="target"),
        year=int(year or pack.meta.get("default_year", 2024)),
        store=store,
        meta=pack.meta,
        infrastructure=pack.infrastructure,
        parameters=params,
    )
