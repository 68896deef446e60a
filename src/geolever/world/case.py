"""The case: sender, target, year, the store's facts, infrastructure and parameters.

A :class:`Case` answers questions such as "remittances received by AZE from RUS in 2024,
in US$" with a :class:`~geolever.core.quantity.Quantity` that carries its source, and
builds the infrastructure networks with the year's capacities, volumes and status.

Answers come from, in this order: the case pack's sourced facts (a pack overlays the
datasets for its pair), the other facts in the store (imported WDI, KNOMAD, ...), then the
store's bulk datasets (BACI/Comtrade by product, DOTS totals: :mod:`geolever.world.datasets`).
When none has the year asked for, the latest earlier year is used only if the scenario
allows it (``allow_earlier_year``), and the value is flagged (``stand_in_for``, its label
and note) wherever it is shown. Without a case pack, a case is built from the datasets
alone (:func:`case_from_store`) with the generic parameters of ``reference/parameters.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any

from geolever.core.countries import country_name, normalise_country
from geolever.core.errors import (
    DataNotFoundError,
    InvalidDataError,
    UnknownCodeError,
)
from geolever.core.facts import indicator_table
from geolever.core.goods import product_aliases
from geolever.core.pack_schema import (
    GEWorld,
    Infrastructure,
    PackMeta,
    ParametersFile,
    ParameterSpec,
    read_pack_file,
)
from geolever.core.quantity import Quantity
from geolever.core.units import convert
from geolever.sources.packs import available_packs, read_pack
from geolever.store import FactStore
from geolever.world.datasets import StoreDatasets

#: Dataset-name prefix of case packs in the store: their facts win over the datasets.
PACK_PREFIX = "pack:"


def country_key(indicator: str, country: str) -> str:
    """Return the country key under which ``indicator`` is stored ('' for asset-only indicators)."""
    return country if "country" in indicator_table()[indicator].keys else ""


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
    meta: PackMeta
    infrastructure: Infrastructure
    parameters: dict[str, ParameterSpec]
    used: list[Quantity] = field(default_factory=list)
    allow_earlier_year: bool = False
    _datasets: StoreDatasets | None = field(default=None, repr=False)

    @property
    def datasets(self) -> StoreDatasets:
        """The store's bulk datasets, asked when the facts hold no answer."""
        if self._datasets is None:
            self._datasets = StoreDatasets(self.store, focus=(self.sender, self.target))
        return self._datasets

    @property
    def title(self) -> str:
        """The case's title, from its pack or built from the pair and year."""
        return self.meta.title or pair_title(self.sender, self.target, self.year)

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
        q = self._lookup(indicator, country, y, keys)
        if unit and unit != q.unit:
            q = q.to(unit, fx_per_usd=self.fx_per_usd(q.year))
        if record:
            self.used.append(q)
        return q

    def _lookup(self, indicator: str, country: str, year: int, keys: dict[str, Any]) -> Quantity:
        """Facts (packs first), then datasets, then (if allowed) the latest earlier year."""
        first: DataNotFoundError | None = None
        for product in product_aliases(keys.get("product") or ""):
            try:
                return self.store.get(indicator, country_key(indicator, country), year,
                                      prefer=PACK_PREFIX, **{**keys, "product": product}
                                      if product else keys)
            except DataNotFoundError as err:
                first = first or err
        assert first is not None
        fix = first.fix
        message = first.message
        if not keys.get("entity"):
            try:
                return self.datasets.quantity(indicator, country, year,
                                              partner=keys.get("partner", ""),
                                              product=keys.get("product", ""),
                                              label=keys.get("label"))
            except DataNotFoundError as err:
                fix = err.fix
                if "no value for any year" in message:  # the datasets say more
                    message = err.message
        earlier = [y for y in self.years(indicator, country, **keys) if y < year]
        if earlier and self.allow_earlier_year:
            older = self._lookup(indicator, country, max(earlier), keys)
            return replace(
                older, stand_in_for=year,
                label=f"{older.label} [{older.year} value: no {year} value]",
                note=f"no value for {year}; the latest earlier year ({older.year}) stands in "
                "(allow_earlier_year). " + older.note)
        if earlier:
            message += f" (the latest earlier year with a value is {max(earlier)})"
            fix = (f"{fix}; or allow the latest earlier year with allow_earlier_year: true "
                   "in the scenario (flagged in every output)")
        raise DataNotFoundError(message, field=first.field, fix=fix)

    def years(self, indicator: str, country: str, **keys: Any) -> list[int]:
        """Years with a value of the quantity in the facts or the datasets."""
        picked = {k: v for k, v in keys.items() if k in ("partner", "product", "entity")}
        known = set(self.store.years(indicator, country_key(indicator, country), **picked))
        if not picked.get("entity"):
            known |= set(self.datasets.years(indicator, country,
                                             partner=picked.get("partner", ""),
                                             product=picked.get("product", "")))
        return sorted(known)

    def latest(self, indicator: str, country: str, *, up_to: int | None = None,
               or_later: bool = False, **keys: Any) -> Quantity:
        """Return the most recent value at or before ``up_to`` (for states like capacity).

        With ``or_later``, a value stated after ``up_to`` is used when none exists before
        (for design capacities, which do not change from year to year).
        """
        limit = self.year if up_to is None else up_to
        known = self.years(indicator, country, **keys)
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
                f"no parameter {name!r} in the generic defaults or the case pack",
                field="parameters",
                fix=f"add it to {self.name}/parameters.yaml (see reference/parameters.yaml)",
            )
        return self.parameters[name]

    # ---------------------------------------------------------- infrastructure
    def network_names(self) -> list[str]:
        """Names of the infrastructure networks in the pack."""
        return sorted(self.infrastructure.networks)

    def network(self, name: str, year: int | None = None) -> Network:
        """Build network ``name`` with the year's capacities, volumes, status and tariffs."""
        nets = self.infrastructure.networks
        if name not in nets:
            raise UnknownCodeError(
                f"unknown network or corridor {name!r}",
                field="corridor",
                fix=f"use one of: {', '.join(sorted(nets))}",
            )
        spec = nets[name]
        y = self.year if year is None else year
        volume_indicator = spec.volume_indicator
        capacity_indicator = volume_indicator.replace("throughput", "capacity").replace(
            "volume", "capacity"
        )
        edges = []
        for e in spec.edges:
            entity = e.id
            country = e.countries[0]

            def pick(ind: str, latest: bool, ent: str = entity, ctry: str = country,
                     or_later: bool = False) -> Quantity | None:
                try:
                    if latest:
                        return self.latest(ind, ctry, up_to=y, entity=ent, or_later=or_later)
                    return self.quantity(ind, ctry, year=y, entity=ent, allow_partial=True)
                except DataNotFoundError:
                    return None

            carries = e.mode != "port"
            edges.append(
                Edge(
                    id=entity,
                    name=e.name,
                    source_node=e.source,
                    target_node=e.to,
                    mode=e.mode,
                    countries=e.countries,
                    tariff_earners=e.tariff_earners,
                    capacity=pick(capacity_indicator, True, or_later=True) if carries else None,
                    volume=self._volume(volume_indicator, entity, y) if carries else None,
                    status=pick("asset_status", True) if carries else None,
                    tariff=pick("transit_tariff", True) if carries else None,
                    cost_parameter=e.cost_assumption,
                    time_parameter=e.time_assumption,
                )
            )
            if e.volume_required and edges[-1].volume is None:
                # a tracker gives capacity and status, not what flows: an unknown volume
                # must not read as an idle route
                raise DataNotFoundError(
                    f"no throughput of {e.name} ({entity}) for {y} or an earlier year",
                    field=volume_indicator,
                    fix=f"add a sourced {volume_indicator} fact for entity {entity} to the "
                    "case pack's facts.csv (geolever pack check DIR validates it)")
        return Network(
            name=name,
            title=spec.title or name,
            commodity=spec.commodity,
            origin=spec.origin,
            destination=spec.destination,
            origin_country=spec.origin_country,
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
        for name, e in self.infrastructure.edges():
            known.append(e.id)
            if e.id == asset.upper():
                return name, self.network(name).edge(e.id)
        raise UnknownCodeError(
            f"unknown asset {asset!r}",
            field="asset",
            fix=f"use one of: {', '.join(k for k in known if not k.endswith('_TERMINAL'))}",
        )


def pair_title(sender: str, target: str, year: int) -> str:
    """Title of a case built from its pair and year, e.g. 'China -> Australia, 2020'."""
    return f"{country_name(sender)} -> {country_name(target)}, {year}"


@cache
def generic_parameters() -> dict[str, ParameterSpec]:
    """Return the generic behavioural parameters of ``reference/parameters.yaml``."""
    text = resources.files("geolever.reference").joinpath("parameters.yaml").read_text("utf-8")
    return read_pack_file(ParametersFile, text, "reference/parameters.yaml").parameters


def load_case(store: FactStore, name: str, *, year: int | None = None,
              sender: str | None = None, target: str | None = None,
              allow_earlier_year: bool = False) -> Case:
    """Load case pack ``name`` into ``store`` (idempotent) and return the :class:`Case`.

    The pack's parameters override the generic ones; its title is kept only when the case
    is the pack's own pair (another pair gets a title built from its names).
    """
    pack = read_pack(name)
    store.load_pack(name)
    params = {**generic_parameters(), **pack.parameters}
    for key in ("sender", "target"):
        if not getattr(pack.meta, key) and not (sender if key == "sender" else target):
            raise InvalidDataError(f"pack {pack.name} names no {key}",
                                   field=f"{pack.name}/pack.yaml, {key}",
                                   fix=f"add '{key}: ISO3' to pack.yaml")
    s = normalise_country(sender or pack.meta.sender or "", field="sender")
    t = normalise_country(target or pack.meta.target or "", field="target")
    y = int(year or pack.meta.default_year or 2024)
    own_pair = (s, t) == (pack.meta.sender or s, pack.meta.target or t)
    datasets = StoreDatasets(store, focus=(s, t))
    meta = pack.meta.model_copy(update={
        "title": pack.meta.title if own_pair else pair_title(s, t, y),
        # a pack without its own world matrix gets the datasets' one
        "ge_world": pack.meta.ge_world or _datasets_world(datasets, s, t, y)})
    return Case(name=pack.name, sender=s, target=t, year=y, store=store, meta=meta,
                infrastructure=pack.infrastructure, parameters=params,
                allow_earlier_year=allow_earlier_year, _datasets=datasets)


def _datasets_world(datasets: StoreDatasets, sender: str, target: str,
                    year: int) -> GEWorld | None:
    """Return a pair's GE world matrix spec from the DOTS totals (None without totals).

    The pair and the target's five largest partners, in the latest year not after ``year``.
    """
    ge_year = datasets.latest_total_year(year)
    if ge_year is None:
        return None
    return GEWorld(year=ge_year, regions=[sender, target, *datasets.top_partners(
        target, ge_year, exclude=(sender,))])


def case_from_store(store: FactStore, sender: str, target: str, year: int, *,
                    allow_earlier_year: bool = False) -> Case:
    """Build the case of any pair (or coalition) and year from the store's datasets alone.

    Parameters
    ----------
    store
        A store into which standard datasets were imported (``geolever data import``).
    sender, target
        ISO3 codes or groups (``EU27``, ``G7``, ``USA+GBR``).
    year
        The case year.
    allow_earlier_year
        Use the latest earlier year where a value for ``year`` is missing (flagged).

    Returns
    -------
    Case
        With the generic parameters, no infrastructure, and a GE world matrix spec
        (``ge_world``) of the pair and the target's largest trade partners in the latest
        year of goods-trade totals not after ``year``.
    """
    s = normalise_country(sender, field="sender")
    t = normalise_country(target, field="target")
    datasets = StoreDatasets(store, focus=(s, t))
    meta = PackMeta(name=f"{s}-{t}", title=pair_title(s, t, year), sender=s, target=t,
                    default_year=year, basis="built from the store's datasets (no case pack)",
                    ge_world=_datasets_world(datasets, s, t, year))
    return Case(name=f"{s}-{t}", sender=s, target=t, year=year, store=store, meta=meta,
                infrastructure=Infrastructure(), parameters=dict(generic_parameters()),
                allow_earlier_year=allow_earlier_year, _datasets=datasets)


def pack_for_pair(sender: str, target: str) -> str | None:
    """Return the pack (shipped or under GEOLEVER_PACKS) whose own pair is (sender, target)."""
    for name in available_packs():
        meta = read_pack(name).meta
        if (meta.sender, meta.target) == (sender, target):
            return name
    return None


def open_case(store: FactStore, case: str | None, sender: str, target: str,
              year: int | None, *, allow_earlier_year: bool = False) -> Case:
    """Return the case of a scenario: its named pack, the pair's own pack, or the datasets.

    Parameters
    ----------
    case
        A case pack name, or None: the pack whose pair is (sender, target) when one is
        shipped, else a case built from the store's datasets (:func:`case_from_store`).
    year
        The case year (default: the pack's; required without a pack).
    """
    name = case or pack_for_pair(sender, target)
    if name is not None:
        return load_case(store, name, year=year, sender=sender, target=target,
                         allow_earlier_year=allow_earlier_year)
    if year is None:
        raise DataNotFoundError(
            f"no case pack for {sender} -> {target} and no year given",
            field="year", fix="give the year of the case (e.g. year: 2021)")
    return case_from_store(store, sender, target, year, allow_earlier_year=allow_earlier_year)
