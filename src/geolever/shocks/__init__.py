"""Shocks: what changes when a lever is pulled (flows cut, edges removed, judged impacts).

:mod:`geolever.shocks.types` is the vocabulary lever kinds compile into and engines
evaluate; :mod:`geolever.shocks.flows` builds sourced flows and shares from a case.
"""

from geolever.shocks.flows import (
    REMITTANCE_MEASURES,
    bilateral_flow,
    goods_flows,
    remittance_share,
    trade_links,
)
from geolever.shocks.types import (
    AgreementChange,
    CutFlow,
    EdgeRemoval,
    FlowCut,
    FlowParameters,
    GravityCostChange,
    GravityEstimatedChange,
    IOLinkCut,
    IOPairLinkCuts,
    JudgementShock,
    PairTradeCostShocks,
    Shock,
    TradeCostShock,
)

__all__ = [
    "REMITTANCE_MEASURES",
    "AgreementChange",
    "CutFlow",
    "EdgeRemoval",
    "FlowCut",
    "FlowParameters",
    "GravityCostChange",
    "GravityEstimatedChange",
    "IOLinkCut",
    "IOPairLinkCuts",
    "JudgementShock",
    "PairTradeCostShocks",
    "Shock",
    "TradeCostShock",
    "bilateral_flow",
    "goods_flows",
    "remittance_share",
    "trade_links",
]
