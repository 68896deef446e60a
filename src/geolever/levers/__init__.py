"""Levers: what a sender does. Each validates its parameters; shocks say what changes."""

from geolever.levers.definitions import (
    LEVER_KINDS,
    CorridorExclusion,
    ExpertJudgement,
    Lever,
    RemittanceBan,
    TradeRestriction,
    TransitBlock,
    resolve_goods,
)

__all__ = [
    "LEVER_KINDS",
    "CorridorExclusion",
    "ExpertJudgement",
    "Lever",
    "RemittanceBan",
    "TradeRestriction",
    "TransitBlock",
    "resolve_goods",
]
