"""Shocks: what changes when a lever is pulled (flows cut, edges removed, judged impacts)."""

from geolever.shocks.compile import (
    CutFlow,
    EdgeRemoval,
    FlowCut,
    IOLinkCut,
    JudgementShock,
    Shock,
    TradeCostShock,
    bilateral_flow,
    compile_lever,
)

__all__ = [
    "CutFlow",
    "EdgeRemoval",
    "FlowCut",
    "IOLinkCut",
    "JudgementShock",
    "Shock",
    "TradeCostShock",
    "bilateral_flow",
    "compile_lever",
]
