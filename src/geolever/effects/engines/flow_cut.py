"""Engine for :class:`~geolever.shocks.FlowCut`: partial equilibrium on cut bilateral flows.

Goods: the exporter and importer lose what they cannot redirect or replace within a year,
from both sides' partner shares (:mod:`geolever.models.substitution`,
:mod:`geolever.models.trade_pe`). Flows without a market structure (remittances,
tourism receipts) carry the names of the parameters that model their rerouting
(:class:`~geolever.shocks.FlowParameters`).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from geolever.core.quantity import Quantity
from geolever.effects.registry import register
from geolever.effects.types import Array, CountryEffect, EngineDetails, LeverEffects
from geolever.models.exposure import calc_hhi_bounds
from geolever.models.substitution import calc_replaceable_share, calc_tariff_cut, calc_unrerouted
from geolever.models.trade_pe import calc_exporter_loss, calc_importer_loss
from geolever.models.uncertainty import ParameterDraws
from geolever.shocks import CutFlow, FlowCut, FlowParameters
from geolever.world import Case

SECTION = """{% if lv.details.flows %}| flow | from | to | product | US$m | source |
|---|---|---|---|---|---|
{% for f in lv.details.flows %}| {{ f.channel }} | {{ f.from }} {#
#}| {{ f.to }} | {{ f.product or "-" }} | {{ m(f.value_usd) }} | {#
#}{{ f.source }} |
{% endfor %}{% endif %}
"""


class CutFlowRow(BaseModel):
    """One flow the lever cuts, as the report and result.json show it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    channel: str = Field(..., description="What flows: goods, remittances, tourism, ...")
    origin: str = Field(..., validation_alias=AliasChoices("from", "origin"),
                        serialization_alias="from",
                        description="ISO3 code of the payer or exporter")
    destination: str = Field(..., validation_alias=AliasChoices("to", "destination"),
                             serialization_alias="to",
                             description="ISO3 code of the receiver or importer")
    product: str = Field(..., description="Product or group for goods ('' for other flows)")
    value_usd: float = Field(..., description="The flow before the cut, US$ a year")
    source: str = Field(..., description="Citation of the flow's value")
    origin_share: float | None = Field(
        ..., description="Share (0-1) of the origin's exports of the product that go to "
        "the destination (None without data)")
    destination_share: float | None = Field(
        ..., description="Share (0-1) of the destination's imports of the product that "
        "come from the origin (None without data)")
    sender_share_of_target_trade: float | None = Field(
        ..., description="The sender's share (0-1) of the target's buyers (it exports) or "
        "suppliers (it imports) of the product")
    hhi_bounds: tuple[float, float] | None = Field(
        ..., description="Bounds of the Hirschman-Herfindahl index of the target's "
        "partners, 0-10,000")


class FlowCutDetails(EngineDetails):
    """Details of the ``flow_cut`` engine: the flows cut."""

    engine: Literal["flow_cut"] = "flow_cut"
    flows: list[CutFlowRow] = Field(..., description="The flows the lever cuts")


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
    # No budget figure: lost trade reaches the budget through customs duties, export and
    # excise taxes and profit taxes on these goods, for which no sourced shares exist here;
    # the loss times revenue/GDP would only repeat the share of GDP (issue 14).
    for who, effect in ((case.sender, sender), (case.target, target)):
        if flow.origin == who:
            effect.add(CountryEffect(who, exporter_loss, exporter_fx, np.zeros(draws.n),
                                     np.zeros(draws.n)))
        elif flow.destination == who:
            effect.add(CountryEffect(who, importer_loss, importer_fx, np.zeros(draws.n),
                                     np.zeros(draws.n)))
    target_r = exporter_r if flow.origin == case.target else importer_r
    return cut_value, target_r["1y"], target_r["3y"], notes


def _parametric_flow(flow: CutFlow, params: FlowParameters, case: Case, draws: ParameterDraws,
                     effects: dict[str, CountryEffect]) -> tuple[Array, Array, Array]:
    """Apply a flow cut whose rerouting is an assumption; return (cut value, rerouted 1y, 3y).

    The receiver (``flow.destination``) loses the cut flow that is not rerouted
    (its income: the ``income_share`` of it; its FX earnings: all of it; its budget: the
    ``budget_share`` of the income, and no budget figure without one); the payer
    (``flow.origin``) loses ``sender_cost_ratio`` per US$ cut.
    """
    n = draws.n
    value = flow.value.value * _error_draws(flow.value, draws)
    share = flow.cut_share or 1.0
    r1, r3 = draws[params.reroute_1y], draws[params.reroute_3y]
    lost = calc_unrerouted(value, share, r1)
    income = lost if params.income_share is None else lost * draws[params.income_share]
    budget = (income * draws[params.budget_share] if params.budget_share is not None
              else np.zeros(n))
    effects[flow.destination].add(CountryEffect(flow.destination, income, lost, budget,
                                                np.zeros(n)))
    effects[flow.origin].add(CountryEffect(flow.origin,
                                           value * share * draws[params.sender_cost_ratio],
                                           np.zeros(n), np.zeros(n), np.zeros(n)))
    return value * share, r1, r3


@register(FlowCut, name="flow_cut", section=SECTION, details=FlowCutDetails)
def flow_cut(shock: FlowCut, case: Case, draws: ParameterDraws, key: str) -> LeverEffects:
    """Effects of cut flows: goods (partial equilibrium) and flows with assumed rerouting."""
    n = draws.n
    target, sender = CountryEffect.zero(case.target, n), CountryEffect.zero(case.sender, n)
    cut_total = np.zeros(n)
    sub1 = np.zeros(n)
    sub3 = np.zeros(n)
    notes: list[str] = list(shock.notes)
    rows: list[CutFlowRow] = []
    for flow in shock.flows:
        if flow.parameters is not None:
            cut_value, r1, r3 = _parametric_flow(flow, flow.parameters, case, draws,
                                                 {case.target: target, case.sender: sender})
        else:
            cut_value, r1, r3, flow_notes = _goods_flow(flow, case, draws, sender, target)
            notes.extend(flow_notes)
        cut_total = cut_total + cut_value
        sub1 = sub1 + cut_value * r1
        sub3 = sub3 + cut_value * r3
        # Concentration of the target's buyers (it exports) or suppliers (it imports).
        target_share = flow.origin_share if flow.origin == case.target else flow.destination_share
        hhi = None if target_share is None else calc_hhi_bounds(target_share.value)
        rows.append(CutFlowRow(
            channel=flow.channel, origin=flow.origin, destination=flow.destination,
            product=flow.product, value_usd=flow.value.value, source=flow.value.cite(),
            origin_share=None if flow.origin_share is None else flow.origin_share.value,
            destination_share=(None if flow.destination_share is None
                               else flow.destination_share.value),
            sender_share_of_target_trade=None if target_share is None else target_share.value,
            hhi_bounds=None if hhi is None else (float(hhi[0]), float(hhi[1])),
        ))
    nominal = float(sum(f.value.value * (f.cut_share if f.cut_share is not None else 1.0)
                        for f in shock.flows))
    safe = np.where(cut_total > 0, cut_total, 1.0)
    fiscal = [f.parameters is not None and f.parameters.budget_share is not None
              for f in shock.flows]
    without = sorted({f.product or f.channel for f, has in zip(shock.flows, fiscal, strict=True)
                      if not has})
    goods = any(f.parameters is None for f in shock.flows)
    if not any(fiscal):
        budget_note = ("no sourced fiscal channel ("
                       + ("customs duties, export or excise taxes on " if goods else
                          "no sourced share of the lost ")
                       + f"{', '.join(without)}"
                       + (")" if goods else " that reaches the budget)")
                       + "; the loss times revenue/GDP would only repeat its share of GDP")
    elif without:
        budget_note = f"not estimated for {', '.join(without)}"
    else:
        budget_note = ""
    facts = [f.value for f in shock.flows] + [
        q for f in shock.flows for q in (f.origin_share, f.destination_share) if q is not None]
    return LeverEffects(
        target=target, sender=sender, others={},
        feasible=nominal > 0,
        feasibility=("feasible: the flows exist" if nominal > 0
                     else "infeasible: the flows to cut are zero"),
        value_at_risk_usd=nominal,
        substitution_1y=sub1 / safe, substitution_3y=sub3 / safe,
        facts=facts, notes=list(dict.fromkeys(notes)), details=FlowCutDetails(flows=rows),
        budget_estimated=any(fiscal), budget_note=budget_note,
    )
