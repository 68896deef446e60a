"""Engine for :class:`~geolever.shocks.EdgeRemoval`: rerouting on an infrastructure network.

Min-cost flow (:func:`geolever.models.network.solve_reroute`) gives what still gets
through after the links are closed; money per draw is the shipper's extra freight cost,
the value of what cannot move, and transit revenue moved between earners.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from geolever.core.errors import DataNotFoundError
from geolever.core.quantity import Quantity
from geolever.core.units import convert
from geolever.effects.registry import register
from geolever.effects.types import Array, CountryEffect, EngineDetails, LeverEffects
from geolever.models.network import solve_reroute
from geolever.models.uncertainty import ParameterDraws
from geolever.shocks import EdgeRemoval
from geolever.world import Case, Edge, Network

T_PER_MT = 1e6

SECTION = """{% if lv.details.edges %}![Routes: {{ lv.id }}](charts/routes_{{ lv.id }}.svg)

| route | capacity Mt/yr | carried Mt | after Mt | operating | source |
|---|---|---|---|---|---|
{% for e in lv.details.edges %}| {{ e.name }} | {{ num(e.capacity_mt)
}} | {{ num(e.volume_mt) }} | {{ num(e.new_volume_mt) }} | {{
"yes" if e.operating else "no" }} | {{ e.volume_source or e.status_source
or e.capacity_source }} |
{% endfor %}
{% if lv.details.blocked_mt %}Blocked {{ num(lv.details.blocked_mt)
}} Mt; delivered by other routes {{ num(lv.details.delivered_mt)
}} Mt; unserved {{ num(lv.details.unserved_mt) }} Mt; extra freight {#
#}cost {{ m(lv.details.extra_cost_usd_p50) }} US$m a year{% if lv.details.extra_time_days_p50
is not none %}; {{ "%+.1f"|format(lv.details.extra_time_days_p50)
}} days per tonne rerouted{% endif %} (medians).
{% if lv.details.transit_revenue_change_usd_p50 %}Transit revenue {#
#}change by country (US$m a year, median): {% for c, v in
lv.details.transit_revenue_change_usd_p50.items() %}{{ c }} {{
"%+.1f"|format(v / 1e6) }}{% if not loop.last %}, {#
#}{% endif %}{% endfor %}.
{% endif %}{% endif %}{% endif %}
"""


class EdgeRow(BaseModel):
    """One link of the network before and after the lever (the routes table and chart)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    mode: str = Field(..., description="Transport mode of the link (pipeline, rail, sea, ...)")
    capacity_mt: float | None = Field(..., description="Capacity, Mt a year (None: unlimited)")
    capacity_source: str = Field(..., description="Citation of the capacity, or 'assumption'")
    volume_mt: float = Field(..., description="Carried in the case year, Mt")
    new_volume_mt: float = Field(..., description="Carried after the lever, Mt")
    operating: bool
    volume_source: str = Field(..., description="Citation of the volume ('' if none)")
    status_source: str = Field(..., description="Citation of the status ('' if none)")


class ReroutingDetails(EngineDetails):
    """Details of the ``rerouting`` engine: the network, the tonnes moved and their cost.

    The figures after ``edges`` are None when the closed links carried nothing (the lever is
    then infeasible and nothing is rerouted).
    """

    engine: Literal["rerouting"] = "rerouting"
    network: str = Field(..., description="Name of the network")
    edges: list[EdgeRow]
    blocked_mt: float | None = Field(default=None,
                                     description="Carried by the closed links, Mt")
    delivered_mt: float | None = Field(default=None,
                                       description="Of that, delivered by other routes, Mt")
    unserved_mt: float | None = Field(default=None, description="Of that, not delivered, Mt")
    extra_cost_usd_p50: float | None = Field(
        default=None, description="Extra freight cost of the rerouted tonnes, US$ a year "
        "(median)")
    extra_time_days_p50: float | None = Field(
        default=None, description="Extra transit days per tonne rerouted (median; None "
        "where a route has no time)")
    transit_revenue_change_usd_p50: dict[str, float] = Field(
        default_factory=dict, description="Change of transit revenue by ISO3 code, US$ a "
        "year (median; gains positive)")


def _edge_costs(net: Network, draws: ParameterDraws) -> tuple[Array, Array, list[str]]:
    """Per-edge cost draws (n, E) in US$/t and transit-revenue draws (n, E), with notes."""
    n = draws.n
    costs = np.zeros((n, len(net.edges)))
    revenue = np.zeros((n, len(net.edges)))
    notes = []
    for j, e in enumerate(net.edges):
        if e.tariff is not None and e.operating:
            costs[:, j] = float(convert(e.tariff.value, e.tariff.unit, "USD/t"))
        elif e.cost_parameter:
            costs[:, j] = draws[e.cost_parameter]
            notes.append(f"{e.id}: no sourced tariff for the year; cost per tonne is the "
                         f"assumption '{e.cost_parameter}'.")
        fee_share = f"{e.id.lower()}_transit_fee_share"
        revenue[:, j] = costs[:, j] * (draws[fee_share] if fee_share in draws.specs else 1.0)
    return costs, revenue, notes


def _capacities(net: Network, draws: ParameterDraws) -> tuple[Array, list[str]]:
    caps = np.full(len(net.edges), np.inf)
    notes = []
    spare_default = draws.specs.get("route_capacity_default_mt")
    for j, e in enumerate(net.edges):
        if e.mode == "port":
            continue
        if e.capacity is not None and e.capacity.quality != "plan":
            caps[j] = float(convert(e.capacity.value, e.capacity.unit, "Mt/yr"))
        elif spare_default is not None:
            caps[j] = e.volume_mt + spare_default.central
            notes.append(f"{e.id}: no sourced current capacity; assumed {spare_default.central}"
                         " Mt/yr spare above today's volume ('route_capacity_default_mt').")
    return caps, notes


@register(EdgeRemoval, name="rerouting", section=SECTION, details=ReroutingDetails)
def edge_removal(shock: EdgeRemoval, case: Case, draws: ParameterDraws,
                 key: str) -> LeverEffects:
    """Effects of closing network links: min-cost rerouting, extra cost, transit revenue."""
    net, n = shock.network, draws.n
    ids = [e.id for e in net.edges]
    removed = np.array([e.id in shock.removed for e in net.edges])
    base = np.array([e.volume_mt for e in net.edges])
    costs, revenue, notes = _edge_costs(net, draws)
    caps, cap_notes = _capacities(net, draws)
    notes += cap_notes
    # a suspended link carries nothing: its older volume is no fact of the case year
    facts = [q for e in net.edges
             for q in (e.capacity, e.volume if e.operating else None, e.status, e.tariff)
             if q is not None]
    notes += _consistency_notes(net, case.year)
    blocked = float(base[removed].sum())
    names = ", ".join(net.edge(i).name for i in shock.removed) or "nothing"
    target_zero = CountryEffect.zero(case.target, n)
    sender_zero = CountryEffect.zero(case.sender, n)
    if blocked <= 0:
        states = []
        for i in shock.removed:
            e = net.edge(i)
            if not e.operating and e.status is not None:
                states.append(f"{e.name} is suspended in {case.year} "
                              f"({_status_evidence(case, e, e.status)})")
            else:
                state = "carrying no recorded volume"
                states.append(f"{e.name} is {state} in {case.year}"
                              + (f" ({e.volume.cite()})" if e.volume else ""))
        return LeverEffects(
            target=target_zero, sender=sender_zero, others={}, feasible=False,
            feasibility="infeasible: " + ("; ".join(states) or f"{names} carries nothing")
            + ", so blocking it moves nothing.",
            value_at_risk_usd=0.0, substitution_1y=None, substitution_3y=None,
            facts=facts, notes=notes,
            details=ReroutingDetails(network=net.name, edges=_edge_table(net, base, base, caps)),
        )
    central = costs.mean(axis=0)
    result = solve_reroute(ids, [e.source_node for e in net.edges],
                           [e.target_node for e in net.edges], caps, base, central, removed,
                           net.origin, net.destination)
    # Money per draw: extra freight cost for the shipper, transit revenue moved between earners.
    extra_cost, cost_notes = _extra_cost(net, costs, result.rerouted, base, removed,
                                         result.delivered / blocked)
    notes += cost_notes
    effects: dict[str, CountryEffect] = {}

    def of(country: str) -> CountryEffect:
        return effects.setdefault(country, CountryEffect.zero(country, n))

    shipper = net.origin_country
    of(shipper).add(CountryEffect(shipper, extra_cost, extra_cost, np.zeros(n), np.zeros(n)))
    if result.unserved > 0:
        unit_loss, fx_loss = _unserved_value(net, case, draws)
        lost = result.unserved * T_PER_MT
        of(shipper).add(CountryEffect(shipper, lost * unit_loss, lost * fx_loss,
                                      np.zeros(n), np.zeros(n)))
    for j, e in enumerate(net.edges):
        if not e.tariff_earners:
            continue
        change = T_PER_MT * revenue[:, j] * (result.new_flow[j] - base[j]) / len(e.tariff_earners)
        for who in e.tariff_earners:
            of(who).add(CountryEffect(who, -change, -change, np.zeros(n), -change))
    for eff in effects.values():
        # Transit tariffs accrue to the state; the taxes on a shipper's extra costs or lost
        # sales have no sourced rate here and are not estimated (revenue/GDP times the loss
        # would only repeat its share of GDP).
        eff.budget_usd = eff.budget_usd + eff.transit_usd
    extra_days = _extra_time(net, result.rerouted, base, removed, draws)
    target = effects.pop(case.target, target_zero)
    sender = effects.pop(case.sender, sender_zero)
    at_stake = 0.0
    for j, e in enumerate(net.edges):
        if removed[j] and case.target in e.tariff_earners:
            at_stake += T_PER_MT * base[j] * float(np.median(revenue[:, j])) / len(
                e.tariff_earners)
    if shipper == case.target:
        unit_value, _ = (_unserved_value(net, case, draws) if "oil" in net.commodity
                         else (draws["unserved_freight_loss_usd_per_t"], None))
        at_stake += blocked * T_PER_MT * float(np.median(unit_value))
        sub = np.full(n, result.delivered / blocked)
    else:
        lost_transit = np.clip(target.transit_usd, 0, None)
        sub = np.where(lost_transit > 0, 0.0, 1.0)
    earns = any(case.target in e.tariff_earners for e in net.edges)
    if not earns:
        budget_note = ("the target earns no transit fees on these routes, and the taxes on "
                       "its extra costs or lost sales have no sourced rate")
    elif shipper == case.target:
        budget_note = ("transit fees only; the taxes on the target's extra costs or lost "
                       "sales are not estimated")
    else:
        budget_note = "transit fees, which accrue to the state"
    return LeverEffects(
        target=target, sender=sender, others=effects, feasible=True,
        budget_estimated=earns, budget_note=budget_note,
        feasibility=f"feasible: {names} carried {blocked:.2f} Mt in {case.year}",
        value_at_risk_usd=at_stake,
        substitution_1y=sub, substitution_3y=sub, facts=facts, notes=notes,
        details=ReroutingDetails(
            network=net.name, edges=_edge_table(net, base, result.new_flow, caps),
            blocked_mt=blocked, delivered_mt=result.delivered, unserved_mt=result.unserved,
            extra_cost_usd_p50=float(np.median(extra_cost)),
            extra_time_days_p50=None if extra_days is None else float(np.median(extra_days)),
            transit_revenue_change_usd_p50={
                c: float(np.median(-e.transit_usd)) for c, e in
                [(case.target, target), (case.sender, sender), *effects.items()]
                if np.any(e.transit_usd != 0)}),
    )


def _extra_cost(net: Network, costs: Array, rerouted: Array, base: Array, removed: Array,
                delivered_share: float) -> tuple[Array, list[str]]:
    """Extra freight cost of the rerouted tonnes per draw (US$/yr, >= 0), with notes.

    The tonnes that are delivered by other routes pay the alternatives' cost instead of the
    closed links' cost (US$/t per draw times Mt). Shippers chose the closed route, so it was
    their cheapest option all costs counted: a draw whose assumed tariffs make the
    alternatives cheaper contradicts that choice (costs outside the tariffs, such as
    reliability, contracts or border waits, kept them on it) and counts as no extra cost, a
    lower bound; the notes say in how many draws, and flag central tariffs that contradict it.
    Tonnes that cannot move pay no freight; their loss is the value of the lost sales.
    """
    before = costs[:, removed] @ base[removed] * delivered_share
    raw = T_PER_MT * (costs @ rerouted - before)
    notes = []
    below = int(np.sum(raw < 0))
    if below:
        closed = ", ".join(e.name for e, r in zip(net.edges, removed, strict=True) if r)
        notes.append(
            f"In {below:,} of {len(raw):,} draws the assumed tariffs make the other routes "
            f"cheaper than {closed}, which shippers chose: costs not in the tariffs (reliability, "
            "contracts, border waits) kept them on it, so the extra cost counts as 0 in those "
            "draws (a lower bound).")
        if float(np.mean(raw)) < 0:
            notes.append("At the central tariffs the other routes are cheaper than the one "
                         "used: the route tariffs contradict the observed routing; check them.")
    return np.clip(raw, 0.0, None), notes


def _status_evidence(case: Case, edge: Edge, status: Quantity) -> str:
    """Cite the status row used, with its year and quality, and what an estimate rests on."""
    text = status.cite()
    if status.quality == "reported":
        return text
    text = f"{status.quality} for {status.year}: {status.note.rstrip('.')}; {text}" \
        if status.note else f"{status.quality} for {status.year}; {text}"
    try:
        earlier = case.latest("asset_status", edge.countries[0], up_to=status.year - 1,
                              entity=edge.id)
    except DataNotFoundError:
        return text
    word = "operating" if earlier.value > 0 else "suspended"
    return f"{text}; last reported: {word} in {earlier.year} ({earlier.cite()})"


def _consistency_notes(net: Network, year: int) -> list[str]:
    """Flag links whose status and volume disagree (operating but no volume recorded)."""
    notes = []
    for e in net.edges:
        if e.mode == "port" or not e.operating:
            continue
        if e.volume is None and e.status is not None:
            notes.append(f"{e.name} is reported operating in {year} ({e.status.cite()}) but no "
                         "throughput is recorded for it: counted as carrying 0 Mt; add a "
                         "sourced volume to the pack.")
        elif e.volume is not None and e.volume.value <= 0:
            notes.append(f"{e.name} is reported operating but carries 0 Mt in {year} "
                         f"({e.volume.cite()}): the status and volume disagree.")
    return notes


def _extra_time(net: Network, rerouted: Array, base: Array, removed: Array,
                draws: ParameterDraws) -> Array | None:
    """Extra transit days per tonne rerouted (per draw), where every route has a time."""
    used = [j for j, e in enumerate(net.edges)
            if e.mode != "port" and (removed[j] or rerouted[j] > 0)]
    if not used or rerouted.sum() <= 0:
        return None
    days = {}
    for j in used:
        name = net.edges[j].time_parameter
        if name is None or name not in draws.specs:
            return None
        days[j] = draws[name]
    before = sum(base[j] * days[j] for j in used if removed[j]) / base[removed].sum()
    after = sum(rerouted[j] * days[j] for j in used if not removed[j]) / rerouted.sum()
    return np.asarray(after - before, dtype=float)


def _unserved_value(net: Network, case: Case, draws: ParameterDraws) -> tuple[Array, Array]:
    """Income and FX lost per tonne that cannot move (US$/t, per draw)."""
    if "oil" in net.commodity:
        price = case.quantity("oil_price", "WLD", product="crude_oil", unit="USD/bbl",
                              measures=["brent", "azeri_light", ""],
                              label="crude oil price")
        per_t = float(convert(1.0, "t", "bbl")) * price.value
        return per_t * draws["export_value_added_share"], np.full(draws.n, per_t)
    loss = draws["unserved_freight_loss_usd_per_t"]
    return loss, loss


def _edge_table(net: Network, base: Array, new: Array, caps: Array) -> list[EdgeRow]:
    return [
        EdgeRow(id=e.id, name=e.name, mode=e.mode,
                capacity_mt=None if not np.isfinite(c) else float(c),
                capacity_source=e.capacity.cite() if e.capacity else "assumption",
                volume_mt=float(b), new_volume_mt=float(v), operating=e.operating,
                volume_source=e.volume.cite() if e.volume and e.operating else "",
                status_source=e.status.cite() if e.status else "")
        for e, b, v, c in zip(net.edges, base, new, caps, strict=True) if e.mode != "port"
    ]
