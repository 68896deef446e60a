"""Effects: per-country losses (income, FX, budget, transit revenue) of a shock, per draw.

Each engine in :mod:`geolever.effects.engines` evaluates the shock types it registers
for (:mod:`geolever.effects.registry`).
"""

from geolever.effects.compute import compute_effects
from geolever.effects.registry import Engine, UnknownShockError, engine_for, engines
from geolever.effects.types import CountryEffect, LeverEffects, budget_ratio

__all__ = [
    "CountryEffect",
    "Engine",
    "LeverEffects",
    "UnknownShockError",
    "budget_ratio",
    "compute_effects",
    "engine_for",
    "engines",
]
