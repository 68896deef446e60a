"""Turn a lever into the shock it causes, with the sourced flows it acts on.

Shocks know the data (flows, shares, networks) but nothing about how effects are
modelled; models know nothing about levers. This module is the only bridge.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import numpy.typing as npt

from geolever.core.errors import DataNotFoundError, UnknownCodeError
from geolever.core.facts import product_table
from geolever.core.quantity import Quantity
from geolever.core.units import annualise
from geolever.levers import (
    CorridorExclusion,
    ExpertJudgement,
    Lever,
    RemittanceBan,
    TradeRestriction,
    TransitBlock,
)
from geolever.sources.io_tables import IO_TABLES, IOTable, load_io_table
from geolever.store import rank_facts
from geolever.world import Case, Network
from geolever.world.trade import TradeMatrix, trade_matrix

#: Definitions of bilateral remittances, preferred first: by-country money-transfer data
#: are the only series with a country split; the others are used when it is missing.
REMITTANCE_MEASURES = ("money_transfer_systems", "bop_personal_remittances",
                       "remittance_inflows_unspecified", "")


@dataclass(frozen=True)
class CutFlow:
    """A bilateral flow that a lever cuts.

    Attributes
    ----------
    channel
        ``remittances`` or ``goods``.
    origin, destination
        Paying/exporting and receiving/importing country (ISO3).
    product
        Product code for goods ('' for money).
    value
        The flow in US$ per year (sourced).
    cut_share
        Share of the flow stopped (1 for a ban or embargo); None for a tariff, where the
        cut depends on the trade elasticity (``tariff`` is then set, as a fraction).
    market
        ``commodity`` (world-traded) or ``specific`` (differentiated or perishable).
    origin_share
        Share of the origin's exports of the product that go to the destination.
    destination_share
        Share of the destination's imports of the product that come from the origin.
    """

    channel: Literal["remittances", "goods"]
    origin: str
    destination: str
    product: str
    value: Quantity
    cut_share: float | None
    tariff: float | None
    market: str
    origin_share: Quantity | None
    destination_share: Quantity | None


@dataclass(frozen=True)
class FlowCut:
    """Shock: flows of money or goods between sender and target are cut."""

    flows: tuple[CutFlow, ...]


@dataclass(frozen=True)
class EdgeRemoval:
    """Shock: links of an infrastructure network are closed to the target's traffic."""

    network: Network
    removed: tuple[str, ...]
    excluded_country: str | None


@dataclass(frozen=True)
class JudgementShock:
    """Shock scored by expert judgement (no data model behind it)."""

    likelihood: tuple[float, float]
    target_impact_pct_gdp: tuple[float, float, float]
    sender_cost_pct_gdp: tuple[float, float, float]
    elicited_by: str
    rationale: str


@dataclass(frozen=True)
class IOLinkCut:
    """Shock: supply links between sender and target are cut in an input-output table.

    ``table`` is None when the table cannot represent the case (``unavailable`` says why,
    e.g. the target is inside the table's rest of the world).
    """

    table: IOTable | None
    table_name: str
    year: int
    links: tuple[tuple[str, str], ...]
    groups: tuple[str, ...]
    share: float
    unavailable: str | None


@dataclass(frozen=True)
class TradeCostShock:
    """Shock: trade costs rise on some links of the case's world trade matrix (GE model).

    ``restricted[i, j]`` is the share of the flow from region i to region j that the lever
    stops (embargo) or taxes (``tariff_pct``); the shares come from the case's
    product-level data, the flows from :class:`~geolever.world.trade.TradeMatrix`.
    """

    matrix: TradeMatrix
    restricted: npt.NDArray[np.float64]
    tariff_pct: float | None
    shares: tuple[Quantity, ...]


Shock = FlowCut | EdgeRemoval | JudgementShock | IOLinkCut | TradeCostShock


def _group_items(product: str) -> list[str]:
    table = product_table()
    return [k for k, r in table.items() if r["group"] == product and k != product]


def _item_flows(case: Case, exporter: str, importer: str, product: str,
                year: int | None) -> dict[str, Quantity]:
    """Item-level flows of a product group that have data (empty if none)."""
    found = {}
    for item in _group_items(product):
        try:
            found[item] = case.bilateral(exporter, importer, item, year=year)
        except DataNotFoundError:
            continue
    return found


def bilateral_flow(case: Case, exporter: str, importer: str, product: str,
                   year: int | None = None) -> Quantity:
    """Return the goods flow exporter -> importer of ``product`` (US$/yr) with sources.

    A product group without a group-level value is the sum of its items that have data,
    labelled as a lower bound.
    """
    try:
        return case.bilateral(exporter, importer, product, year=year)
    except DataNotFoundError as err:
        found = _item_flows(case, exporter, importer, product, year)
        if not found:
            raise err from None
        first = next(iter(found.values()))
        return Quantity(
            value=sum(q.value for q in found.values()),
            unit="USD",
            year=first.year,
            label=f"exports of {product} from {exporter} to {importer} (sum of "
            f"{', '.join(found)}; a lower bound: items without data are missing)",
            source="; ".join(sorted({q.source for q in found.values()})),
            quality="derived",
            annualised=any(q.annualised for q in found.values()),
            note="sum of item-level values: " + ", ".join(found),
        )


def _total(case: Case, indicator: str, country: str, product: str,
           year: int | None) -> Quantity | None:
    try:
        return case.quantity(indicator, country, partner="WLD", product=product, year=year,
                             unit="USD", allow_partial=True)
    except DataNotFoundError:
        return None


def _share(case: Case, part: Quantity, indicator: str, country: str, product: str,
           partner: str, year: int | None) -> Quantity | None:
    """Part / the country's world total of the product, as a share (None if no total).

    For a group summed from items, the share is over the items whose world total is
    known (items without one are left out of both sums).
    """
    total = _total(case, indicator, country, product, year)
    numerator = part.value
    if total is None and part.note.startswith("sum of item-level values"):
        origin, dest = (country, partner) if indicator == "exports" else (partner, country)
        items = _item_flows(case, origin, dest, product, year)
        totals = {i: _total(case, indicator, country, i, year) for i in items}
        known = {i: t for i, t in totals.items() if t is not None}
        if known:
            numerator = sum(items[i].value for i in known)
            total = Quantity(value=sum(t.value for t in known.values()), unit="USD",
                             year=part.year, label=f"{indicator} of {', '.join(known)}",
                             source="; ".join(sorted({t.source for t in known.values()})),
                             quality="derived")
    if total is None or total.value <= 0:
        return None
    return replace(
        part,
        value=min(1.0, numerator / total.value),
        unit="share",
        label=f"share of {part.label} in {country}'s total {indicator} of {product}",
        source=f"{part.source}; {total.source}",
        quality="derived",
        note=f"{numerator / 1e6:,.1f}m / {total.value / 1e6:,.1f}m US$",
        alternatives=(),
    )


def _goods_flows(lever: TradeRestriction, case: Case, year: int | None) -> list[CutFlow]:
    pairs: list[tuple[str, str]] = []
    if lever.direction in ("imports", "both"):
        pairs.append((case.target, case.sender))
    if lever.direction in ("exports", "both"):
        pairs.append((case.sender, case.target))
    flows = []
    missing = []
    table = product_table()
    for exporter, importer in pairs:
        for product in lever.goods:
            try:
                value = bilateral_flow(case, exporter, importer, product, year)
            except DataNotFoundError as err:
                missing.append(f"{exporter}->{importer} {product}: {err.message}")
                continue
            flows.append(
                CutFlow(
                    channel="goods",
                    origin=exporter,
                    destination=importer,
                    product=product,
                    value=value,
                    cut_share=1.0 if lever.measure == "embargo" else None,
                    tariff=None if lever.tariff_pct is None else lever.tariff_pct / 100,
                    market=table[product].get("market", "specific"),
                    origin_share=_share(case, value, "exports", exporter, product, importer,
                                        year),
                    destination_share=_share(case, value, "imports", importer, product,
                                             exporter, year),
                )
            )
    if not flows:
        raise DataNotFoundError(
            "no trade data for any of the goods and directions asked: " + "; ".join(missing),
            field="goods",
            fix="choose goods with data for this year (geolever data show exports) or "
            "import sourced trade facts",
        )
    return flows


def _remittance_share(case: Case, part: Quantity) -> Quantity | None:
    """Share of the sender in the target's remittances (same year, period and definition)."""
    frame = case.store.query(indicator="remittances_received", country=case.target,
                             partner="WLD", year=part.year, period=part.period,
                             measure=part.measure)
    if frame.empty:
        return None
    total = float(rank_facts(frame).iloc[0]["value"])
    return replace(part, value=min(1.0, part.value / annualise(total, part.period)),
                   unit="share", quality="derived", alternatives=(),
                   label=f"share of {case.sender} in {case.target}'s remittances received",
                   note=f"{part.value / 1e6:,.1f}m of {annualise(total, part.period) / 1e6:,.1f}"
                   "m US$ (same period and definition)")


def _io_link_cut(lever: TradeRestriction, case: Case) -> IOLinkCut:
    links = []
    if lever.direction in ("imports", "both"):
        links.append((case.target, case.sender))
    if lever.direction in ("exports", "both"):
        links.append((case.sender, case.target))
    table_years = IO_TABLES.get(lever.io_table)
    if table_years is None:
        raise UnknownCodeError(f"unknown input-output table {lever.io_table!r}",
                               field="io_table", fix=f"use one of: {', '.join(IO_TABLES)}")
    year = lever.io_year or min(case.year, table_years[-1])
    groups = tuple(sorted({"all" if g == "TOTAL" else product_table()[g]["group"]
                           for g in lever.goods}))
    share = 1.0
    if lever.measure == "tariff" and lever.tariff_pct is not None:
        elasticity = case.parameter("trade_elasticity").central
        share = float(1 - (1 + lever.tariff_pct / 100) ** -elasticity)
    table = load_io_table(lever.io_table, year)
    try:
        for country in (case.sender, case.target):
            table.region_index(country)
    except DataNotFoundError as err:
        return IOLinkCut(None, lever.io_table, year, tuple(links), groups, share, err.message)
    return IOLinkCut(table, lever.io_table, year, tuple(links), groups, share, None)


def _trade_cost_shock(lever: TradeRestriction, case: Case) -> TradeCostShock:
    spec = case.meta.get("ge_world")
    if not spec:
        raise DataNotFoundError(
            f"case pack {case.name} defines no world trade matrix for the GE model",
            field="model", fix="add ge_world (year, regions) to pack.yaml, or use model: pe")
    regions = list(dict.fromkeys([*spec["regions"], case.sender, case.target]))
    matrix = trade_matrix(case, regions, int(spec["year"]))
    restricted = np.zeros_like(matrix.flows)
    shares = []
    for flow in _goods_flows(lever, case, None):
        if flow.product == "TOTAL":
            share = 1.0
        else:
            total = case.bilateral(flow.origin, flow.destination, "TOTAL", year=flow.value.year)
            share = flow.value.value / total.value
            shares.append(replace(total, value=min(1.0, share), unit="share",
                                  label=f"share of {flow.product} in {flow.origin}->"
                                  f"{flow.destination} goods trade", quality="derived",
                                  note=f"{flow.value.value / 1e6:,.1f}m / "
                                  f"{total.value / 1e6:,.1f}m US$", alternatives=()))
        i, j = matrix.index(flow.origin), matrix.index(flow.destination)
        restricted[i, j] = min(1.0, restricted[i, j] + share)
    return TradeCostShock(matrix, restricted, lever.tariff_pct, tuple(shares))


def compile_lever(lever: Lever, case: Case, *, year: int | None = None) -> Shock:
    """Return the shock lever ``lever`` causes in ``case`` (for the case year or ``year``)."""
    lever.check(case)
    if isinstance(lever, RemittanceBan):
        value = case.quantity(
            "remittances_received", case.target, partner=case.sender, year=year, unit="USD",
            measures=REMITTANCE_MEASURES, allow_partial=True,
            label=f"remittances received by {case.target} from {case.sender}",
        )
        return FlowCut((CutFlow("remittances", case.sender, case.target, "", value,
                                lever.share, None, "specific", None,
                                _remittance_share(case, value)),))
    if isinstance(lever, TradeRestriction):
        if lever.model == "io":
            return _io_link_cut(lever, case)
        if lever.model == "ge":
            return _trade_cost_shock(lever, case)
        return FlowCut(tuple(_goods_flows(lever, case, year)))
    if isinstance(lever, TransitBlock):
        name, _ = case.find_asset(lever.asset)
        return EdgeRemoval(case.network(name, year), (lever.asset,), None)
    if isinstance(lever, CorridorExclusion):
        net = case.network(lever.corridor.lower(), year)
        who = lever.excluded or case.target
        # The origin country's own links stay: excluding it means it ships nothing at all.
        removed = tuple(e.id for e in net.edges
                        if who in e.countries and who != net.origin_country)
        return EdgeRemoval(net, removed, who)
    if isinstance(lever, ExpertJudgement):
        return JudgementShock(lever.likelihood, lever.target_impact_pct_gdp,
                              lever.sender_cost_pct_gdp, lever.elicited_by, lever.rationale)
    raise TypeError(f"no shock for lever {type(lever).__name__}")  # pragma: no cover
