"""Compute per-country effects of a shock with the partial-equilibrium models.

All money is in US$ per year; a positive number is a loss. Every array has one entry per
Monte Carlo draw. The models are called with arrays of draws, never in a loop over draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from geolever.core.countries import country_name
from geolever.core.errors import DataNotFoundError
from geolever.core.quantity import Quantity
from geolever.core.units import convert
from geolever.models.exposure import calc_hhi_bounds
from geolever.models.gravity import cost_factor, domestic_from_gdp, solve_ge
from geolever.models.io import PreparedTable, extract_link, prepare_table
from geolever.models.network import solve_reroute
from geolever.models.remittances import calc_indirect_budget_loss, calc_remittance_loss
from geolever.models.substitution import calc_replaceable_share, calc_tariff_cut
from geolever.models.trade_pe import calc_exporter_loss, calc_importer_loss
from geolever.models.uncertainty import ParameterDraws
from geolever.shocks import (
    CutFlow,
    EdgeRemoval,
    FlowCut,
    IOLinkCut,
    JudgementShock,
    Shock,
    TradeCostShock,
)
from geolever.sources.io_tables import IOTable
from geolever.world import Case, Network

Array = npt.NDArray[np.float64]
T_PER_MT = 1e6


@dataclass
class CountryEffect:
    """Losses of one country (US$/yr per draw; negative = gain)."""

    country: str
    income_usd: Array
    fx_usd: Array
    budget_usd: Array
    transit_usd: Array

    @classmethod
    def zero(cls, country: str, n: int) -> CountryEffect:
        """Return an effect of nothing at all."""
        return cls(country, np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n))

    def add(self, other: CountryEffect) -> None:
        """Accumulate another effect on the same country in place."""
        self.income_usd = self.income_usd + other.income_usd
        self.fx_usd = self.fx_usd + other.fx_usd
        self.budget_usd = self.budget_usd + other.budget_usd
        self.transit_usd = self.transit_usd + other.transit_usd


@dataclass
class LeverEffects:
    """What a shock does to the target, the sender and third countries."""

    target: CountryEffect
    sender: CountryEffect
    others: dict[str, CountryEffect]
    feasible: bool
    feasibility: str
    value_at_risk_usd: float  # what the target has at stake on the links cut, US$/yr
    substitution_1y: Array | None
    substitution_3y: Array | None
    facts: list[Quantity]
    judgement: bool = False
    assessable: bool = True
    notes: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


def _budget_ratio(case: Case, country: str) -> float | None:
    """Budget revenue / GDP of ``country`` in the case year (None without data)."""
    try:
        revenue = case.quantity("budget_revenue", country, unit="USD",
                                label=f"state budget revenue of {country_name(country)}")
        return revenue.value / case.gdp_usd(country).value
    except DataNotFoundError:
        return None


def _error_draws(q: Quantity, draws: ParameterDraws) -> Array:
    """Measurement-error multiplier for a flow that was annualised or is disputed."""
    if q.annualised or q.alternatives or q.quality in ("derived", "estimate"):
        return draws["flow_measurement_error"]
    return np.ones(draws.n)


def _replaceable(share: Quantity | None, market: str, horizon: str,
                 draws: ParameterDraws) -> Array:
    s = 1.0 if share is None else share.value
    return calc_replaceable_share(s, draws[f"existing_partner_growth_{horizon}"],
                                  draws[f"new_market_share_{market}_{horizon}"])


def _goods_flow(
    flow: CutFlow, case: Case, draws: ParameterDraws, sender: CountryEffect,
    target: CountryEffect,
) -> tuple[Array, Array, Array, list[str]]:
    """Apply one goods flow cut; return (cut value, target substitution 1y, 3y, notes)."""
    notes = []
    value = flow.value.value * _error_draws(flow.value, draws)
    cut = (np.full(draws.n, flow.cut_share) if flow.cut_share is not None
           else calc_tariff_cut(flow.tariff or 0.0, draws["trade_elasticity"]))
    cut_value = value * cut
    exporter_r = {h: _replaceable(flow.origin_share, flow.market, h, draws) for h in ("1y", "3y")}
    importer_r = {h: _replaceable(flow.destination_share, flow.market, h, draws)
                  for h in ("1y", "3y")}
    for label, share in (("origin", flow.origin_share), ("destination", flow.destination_share)):
        if share is None:
            who = flow.origin if label == "origin" else flow.destination
            notes.append(f"No world total found for {who}'s trade in {flow.product}: assumed it "
                         "has no other partner today (worst case for substitution).")
    exporter_loss = calc_exporter_loss(cut_value, exporter_r["1y"],
                                       draws["export_value_added_share"],
                                       draws["redirect_price_discount"])
    importer_loss = calc_importer_loss(cut_value, importer_r["1y"],
                                       draws["unreplaced_import_loss_ratio"],
                                       draws["import_price_premium"])
    exporter_fx = cut_value * ((1 - exporter_r["1y"]) + exporter_r["1y"]
                               * draws["redirect_price_discount"])
    importer_fx = cut_value * importer_r["1y"] * draws["import_price_premium"]
    for who, effect in ((case.sender, sender), (case.target, target)):
        ratio = _budget_ratio(case, who) or 0.0
        if flow.origin == who:
            effect.add(CountryEffect(who, exporter_loss, exporter_fx, exporter_loss * ratio,
                                     np.zeros(draws.n)))
        elif flow.destination == who:
            effect.add(CountryEffect(who, importer_loss, importer_fx, importer_loss * ratio,
                                     np.zeros(draws.n)))
    target_r = exporter_r if flow.origin == case.target else importer_r
    return cut_value, target_r["1y"], target_r["3y"], notes


def _flow_cut(shock: FlowCut, case: Case, draws: ParameterDraws) -> LeverEffects:
    n = draws.n
    target, sender = CountryEffect.zero(case.target, n), CountryEffect.zero(case.sender, n)
    cut_total = np.zeros(n)
    sub1 = np.zeros(n)
    sub3 = np.zeros(n)
    notes: list[str] = []
    details: dict[str, Any] = {"flows": []}
    for flow in shock.flows:
        if flow.channel == "remittances":
            value = flow.value.value * _error_draws(flow.value, draws)
            share = flow.cut_share or 1.0
            r1, r3 = draws["remittance_reroute_share_1y"], draws["remittance_reroute_share_3y"]
            loss = calc_remittance_loss(value, share, r1)
            budget = calc_indirect_budget_loss(loss, draws["consumption_tax_share"])
            target.add(CountryEffect(case.target, loss, loss, budget, np.zeros(n)))
            sender.add(CountryEffect(case.sender, value * share
                                     * draws["remittance_sender_cost_ratio"],
                                     np.zeros(n), np.zeros(n), np.zeros(n)))
            cut_value = value * share
            notes.append("Remittances are household income, not state revenue: the budget "
                         "loses only the consumption taxes on the income that is not rerouted.")
        else:
            cut_value, r1, r3, flow_notes = _goods_flow(flow, case, draws, sender, target)
            notes.extend(flow_notes)
        cut_total = cut_total + cut_value
        sub1 = sub1 + cut_value * r1
        sub3 = sub3 + cut_value * r3
        # Concentration of the target's buyers (it exports) or suppliers (it imports).
        target_share = flow.origin_share if flow.origin == case.target else flow.destination_share
        hhi = None if target_share is None else calc_hhi_bounds(target_share.value)
        details["flows"].append({
            "channel": flow.channel, "from": flow.origin, "to": flow.destination,
            "product": flow.product, "value_usd": flow.value.value,
            "source": flow.value.cite(),
            "origin_share": None if flow.origin_share is None else flow.origin_share.value,
            "destination_share": (None if flow.destination_share is None
                                  else flow.destination_share.value),
            "sender_share_of_target_trade": None if target_share is None else target_share.value,
            "hhi_bounds": None if hhi is None else [float(hhi[0]), float(hhi[1])],
        })
    nominal = float(sum(f.value.value * (f.cut_share if f.cut_share is not None else 1.0)
                        for f in shock.flows))
    safe = np.where(cut_total > 0, cut_total, 1.0)
    facts = [f.value for f in shock.flows] + [
        q for f in shock.flows for q in (f.origin_share, f.destination_share) if q is not None]
    return LeverEffects(
        target=target, sender=sender, others={},
        feasible=nominal > 0,
        feasibility=("feasible: the flows exist" if nominal > 0
                     else "infeasible: the flows to cut are zero"),
        value_at_risk_usd=nominal,
        substitution_1y=sub1 / safe, substitution_3y=sub3 / safe,
        facts=facts, notes=list(dict.fromkeys(notes)), details=details,
    )


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


def _edge_removal(shock: EdgeRemoval, case: Case, draws: ParameterDraws) -> LeverEffects:
    net, n = shock.network, draws.n
    ids = [e.id for e in net.edges]
    removed = np.array([e.id in shock.removed for e in net.edges])
    base = np.array([e.volume_mt for e in net.edges])
    costs, revenue, notes = _edge_costs(net, draws)
    caps, cap_notes = _capacities(net, draws)
    notes += cap_notes
    facts = [q for e in net.edges for q in (e.capacity, e.volume, e.status, e.tariff)
             if q is not None]
    blocked = float(base[removed].sum())
    names = ", ".join(net.edge(i).name for i in shock.removed) or "nothing"
    target_zero = CountryEffect.zero(case.target, n)
    sender_zero = CountryEffect.zero(case.sender, n)
    if blocked <= 0:
        states = []
        for i in shock.removed:
            e = net.edge(i)
            state = "suspended" if not e.operating else "carrying no recorded volume"
            cite = (e.status or e.volume)
            states.append(f"{e.name} is {state} in {case.year}"
                          + (f" ({cite.cite()})" if cite else ""))
        return LeverEffects(
            target=target_zero, sender=sender_zero, others={}, feasible=False,
            feasibility="infeasible: " + ("; ".join(states) or f"{names} carries nothing")
            + ", so blocking it moves nothing.",
            value_at_risk_usd=0.0, substitution_1y=None, substitution_3y=None,
            facts=facts, notes=notes,
            details={"network": net.name, "edges": _edge_table(net, base, base, caps)},
        )
    central = costs.mean(axis=0)
    result = solve_reroute(ids, [e.source_node for e in net.edges],
                           [e.target_node for e in net.edges], caps, base, central, removed,
                           net.origin, net.destination)
    # Money per draw: extra freight cost for the shipper, transit revenue moved between earners.
    extra_cost = T_PER_MT * (costs @ result.rerouted - costs[:, removed] @ base[removed])
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
    for who, eff in effects.items():
        ratio = _budget_ratio(case, who) if who in (case.target, case.sender) else None
        if ratio is not None:
            domestic = np.clip(eff.income_usd - eff.transit_usd, 0, None)
            eff.budget_usd = eff.budget_usd + domestic * ratio
        eff.budget_usd = eff.budget_usd + eff.transit_usd  # transit tariffs accrue to the state
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
    return LeverEffects(
        target=target, sender=sender, others=effects, feasible=True,
        feasibility=f"feasible: {names} carried {blocked:.2f} Mt in {case.year}",
        value_at_risk_usd=at_stake,
        substitution_1y=sub, substitution_3y=sub, facts=facts, notes=notes,
        details={"network": net.name, "edges": _edge_table(net, base, result.new_flow, caps),
                 "blocked_mt": blocked, "delivered_mt": result.delivered,
                 "unserved_mt": result.unserved,
                 "extra_cost_usd_p50": float(np.median(extra_cost)),
                 "extra_time_days_p50": (None if extra_days is None
                                         else float(np.median(extra_days))),
                 "transit_revenue_change_usd_p50": {
                     c: float(np.median(-e.transit_usd)) for c, e in
                     [(case.target, target), (case.sender, sender), *effects.items()]
                     if np.any(e.transit_usd != 0)}},
    )


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


def _edge_table(net: Network, base: Array, new: Array, caps: Array) -> list[dict[str, Any]]:
    return [
        {"id": e.id, "name": e.name, "mode": e.mode, "capacity_mt": None if not np.isfinite(c)
         else float(c), "capacity_source": e.capacity.cite() if e.capacity else "assumption",
         "volume_mt": float(b), "new_volume_mt": float(v), "operating": e.operating,
         "volume_source": e.volume.cite() if e.volume else "",
         "status_source": e.status.cite() if e.status else ""}
        for e, b, v, c in zip(net.edges, base, new, caps, strict=True) if e.mode != "port"
    ]


def _judgement(shock: JudgementShock, case: Case, draws: ParameterDraws,
               key: str) -> LeverEffects:
    n = draws.n
    lo, hi = shock.likelihood
    p = draws.extra(f"{key}.likelihood", lo, (lo + hi) / 2, hi)
    happens = draws.uniform01(f"{key}.event")
    occurs = happens < p
    impact = draws.extra(f"{key}.target_impact", *shock.target_impact_pct_gdp)
    cost = draws.extra(f"{key}.sender_cost", *shock.sender_cost_pct_gdp)
    t_gdp = case.gdp_usd(case.target).value
    s_gdp = case.gdp_usd(case.sender).value
    t_loss = occurs * impact / 100 * t_gdp
    s_loss = cost / 100 * s_gdp
    zeros = np.zeros(n)
    return LeverEffects(
        target=CountryEffect(case.target, t_loss, zeros, zeros, zeros),
        sender=CountryEffect(case.sender, s_loss, zeros, zeros, zeros),
        others={}, feasible=True,
        feasibility="judgement: feasibility not measurable from data",
        value_at_risk_usd=float(np.median(impact / 100 * t_gdp)),
        substitution_1y=None, substitution_3y=None, facts=[], judgement=True,
        notes=[f"Expert judgement by {shock.elicited_by}: {shock.rationale}"],
    )


_PREPARED: dict[tuple[str, int], PreparedTable] = {}


def _prepared(table: IOTable) -> PreparedTable:
    """Return the table's factorisation, computed once per table and year in a process."""
    key = (table.name, table.year)
    if key not in _PREPARED:
        _PREPARED[key] = prepare_table(table.Z, table.Y, table.x, len(table.sectors))
    return _PREPARED[key]


def _io_link_cut(shock: IOLinkCut, case: Case, draws: ParameterDraws) -> LeverEffects:
    n = draws.n
    label = f"{shock.table_name} {shock.year}"
    if shock.table is None:
        return LeverEffects(
            target=CountryEffect.zero(case.target, n), sender=CountryEffect.zero(case.sender, n),
            others={}, feasible=True, assessable=False,
            feasibility=f"not assessable with {label}: {shock.unavailable}",
            value_at_risk_usd=0.0, substitution_1y=None, substitution_3y=None, facts=[],
            notes=[f"{shock.unavailable}. Use the partial-equilibrium model (model: pe) or a "
                   "table that lists both countries."],
            details={"io_table": label},
        )
    table = shock.table
    mask = table.group_mask(list(shock.groups))
    va_region = np.zeros(len(table.regions))
    backward = np.zeros(len(table.regions))
    forward = np.zeros(len(table.regions))
    cut_value = 0.0
    for exporter, importer in shock.links:
        res = extract_link(table.Z, table.Y, table.x, table.region_index(exporter),
                           table.region_index(importer), mask, shock.share,
                           prepared=_prepared(table))
        va_region = res.baseline_value_added.sum(axis=1)
        backward += res.value_added_loss.sum(axis=1)
        if res.forward_value_added_loss is not None:
            forward += res.forward_value_added_loss.sum(axis=1)
        cut_value += res.extracted_intermediate + res.extracted_final
    # Losses are shares of each region's value added in the table year, scaled to the case
    # year's GDP: the table gives the structure, the case the size.
    share_lost = {}
    for who in (case.target, case.sender):
        i = table.region_index(who)
        exporter_side = any(e == who for e, _ in shock.links)
        loss = backward[i] if exporter_side else forward[i]
        share_lost[who] = loss / va_region[i]
    effects = {}
    for who, share in share_lost.items():
        usd = np.full(n, share * case.gdp_usd(who).value)
        effects[who] = CountryEffect(who, usd, np.zeros(n), np.zeros(n), np.zeros(n))
    order = np.argsort(-backward)
    third = [table.regions[i] for i in order if table.regions[i] not in
             (case.target, case.sender)][:5]
    backward_by_region = {r: float(backward[table.regions.index(r)])
                          for r in (case.target, case.sender, *third)}
    details: dict[str, Any] = {
        "io_table": label, "io_unit": table.unit, "io_source": table.source,
        "io_groups": list(shock.groups), "io_share_cut": shock.share,
        "io_link_value": cut_value,
        "io_value_added_loss_backward": backward_by_region,
        "io_value_added_loss_forward": {r: float(forward[table.regions.index(r)])
                                        for r in (case.target, case.sender)},
    }
    return LeverEffects(
        target=effects[case.target], sender=effects[case.sender], others={},
        feasible=cut_value > 0,
        feasibility=(f"feasible: the link carries {cut_value:,.0f} {table.unit} in {label}"
                     if cut_value > 0 else f"infeasible: no flow on the link in {label}"),
        value_at_risk_usd=cut_value * 1e6 if table.unit == "USD million" else 0.0,
        substitution_1y=None, substitution_3y=None, facts=[],
        notes=[f"Input-output extraction on {label} ({table.source}); losses as shares of each "
               "region's value added in the table year, scaled to the case year's GDP. "
               "The exporter's loss is demand-driven (Leontief), the importer's supply-driven "
               "(Ghosh); the two models are never added. No substitution: an upper bound.",
               f"Largest third-country value-added losses ({table.unit}): "
               + ", ".join(f"{r} {backward_by_region[r]:,.1f}" for r in third) + "."],
        details=details,
    )


#: Points of the trade-elasticity distribution at which the GE model is solved; draws in
#: between are interpolated (real GDP changes are smooth in the elasticity).
GE_SIGMA_POINTS = 9


def _trade_cost(shock: TradeCostShock, case: Case, draws: ParameterDraws) -> LeverEffects:
    tm, n = shock.matrix, draws.n
    offdiag_exports = tm.flows.sum(axis=1) - np.diag(tm.flows)
    domestic, floored = domestic_from_gdp(offdiag_exports, tm.gdp)
    flows = tm.flows + np.diag(domestic)
    elasticity = draws["trade_elasticity"]
    grid = np.unique(np.quantile(elasticity, np.linspace(0, 1, GE_SIGMA_POINTS)))
    gdp_pct = np.empty((len(grid), len(tm.regions)))
    exp_pct = np.empty_like(gdp_pct)
    imp_pct = np.empty_like(gdp_pct)
    residual = 0.0
    for g, eps in enumerate(grid):
        sigma = 1.0 + float(eps)
        tau = np.where(shock.restricted > 0,
                       cost_factor(shock.restricted, sigma, shock.tariff_pct), 1.0)
        res = solve_ge(flows, tau, sigma, reference=tm.regions[-1], countries=tm.regions)
        gdp_pct[g], exp_pct[g], imp_pct[g] = res.real_gdp_pct, res.exports_pct, res.imports_pct
        residual = max(residual, float(np.max(res.residual)))

    def per_draw(values: Array) -> Array:
        return np.interp(elasticity, grid, values) if len(grid) > 1 else np.full(n, values[0])

    effects: dict[str, CountryEffect] = {}
    ratio = {who: _budget_ratio(case, who) or 0.0 for who in (case.target, case.sender)}
    for r, region in enumerate(tm.regions):
        if region == "ROW":
            continue
        loss_pct = -per_draw(gdp_pct[:, r])
        gdp_case = case.gdp_usd(region).value if region in (case.target, case.sender) \
            else tm.gdp[r]
        income = loss_pct / 100 * gdp_case
        fx = -per_draw(exp_pct[:, r]) / 100 * offdiag_exports[r]
        effects[region] = CountryEffect(region, income, fx, income * ratio.get(region, 0.0),
                                        np.zeros(n))
    t = tm.index(case.target)
    cut_exports = float((shock.restricted[t] * tm.flows[t]).sum())
    cut_imports = float((shock.restricted[:, t] * tm.flows[:, t]).sum())
    if cut_exports > 0:
        lost = -per_draw(exp_pct[:, t]) / 100 * offdiag_exports[t]
        substitution = np.clip(1 - lost / cut_exports, 0.0, 1.0)
    else:
        lost = -per_draw(imp_pct[:, t]) / 100 * (tm.flows[:, t].sum() - tm.flows[t, t])
        substitution = np.clip(1 - lost / max(cut_imports, 1e-9), 0.0, 1.0)
    mid = len(grid) // 2
    target = effects.pop(case.target)
    sender = effects.pop(case.sender)
    return LeverEffects(
        target=target, sender=sender, others=effects,
        feasible=cut_exports + cut_imports > 0,
        feasibility=(f"feasible: the restricted flows were US$"
                     f"{(cut_exports + cut_imports) / 1e6:,.0f}m in the {tm.year} world "
                     "trade matrix"),
        value_at_risk_usd=cut_exports + cut_imports,
        substitution_1y=None, substitution_3y=substitution,
        facts=[*shock.shares, *tm.sources],
        notes=[
            "Structural gravity in general equilibrium (exact hat algebra; Yotov et al. 2016 "
            f"ch. 2) on the {tm.year} trade matrix of {', '.join(tm.regions)}; output = GDP, "
            "domestic sales = GDP minus exports"
            + (f" (floored for {', '.join(np.array(tm.regions)[floored])})"
               if floored.any() else "") + ". Real GDP changes are long-run (the routing "
            "around is the 3-year figure) and scaled to the case year's GDP; sigma = 1 + the "
            f"trade elasticity, solved at {len(grid)} points of its distribution and "
            f"interpolated; market-clearing residual {residual:.1e}.",
            "Cells without a bilateral figure are filled biproportionally (see the matrix "
            "table); a product group restricts its share of the pair's 'TOTAL' trade.",
        ],
        details={
            "ge_matrix_year": tm.year,
            "ge_real_gdp_pct_median": {reg: float(gdp_pct[mid, r])
                                       for r, reg in enumerate(tm.regions)},
            "ge_exports_pct_median": {reg: float(exp_pct[mid, r])
                                      for r, reg in enumerate(tm.regions)},
            "ge_sigma_median": 1.0 + float(grid[mid]),
            "ge_residual": residual,
            "ge_matrix": tm.table(),
        },
    )


def compute_effects(shock: Shock, case: Case, draws: ParameterDraws, *,
                    key: str = "lever") -> LeverEffects:
    """Compute the effects of ``shock`` on every country involved, per Monte Carlo draw.

    Parameters
    ----------
    shock
        From :func:`geolever.shocks.compile_lever`.
    case
        The case (denominators, exchange rates, oil price).
    draws
        Parameter draws shared by the run.
    key
        Name used to seed the lever's own elicited ranges (expert judgement).
    """
    if isinstance(shock, FlowCut):
        return _flow_cut(shock, case, draws)
    if isinstance(shock, EdgeRemoval):
        return _edge_removal(shock, case, draws)
    if isinstance(shock, IOLinkCut):
        return _io_link_cut(shock, case, draws)
    if isinstance(shock, TradeCostShock):
        return _trade_cost(shock, case, draws)
    return _judgement(shock, case, draws, key)
