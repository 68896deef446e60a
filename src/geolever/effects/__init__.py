"""Effects: per-country losses (income, FX, budget, transit revenue) of a shock, per draw.

Each engine in :mod:`geolever.effects.engines` evaluates the shock types it registers
for (:mod:`geolever.effects.registry`), and declares the model of the details it reports.
"""

from typing import TYPE_CHECKING

from geolever.effects.compute import compute_effects
from geolever.effects.registry import (
    Engine,
    UnknownShockError,
    details_union,
    engine_for,
    engines,
)
from geolever.effects.types import CountryEffect, EngineDetails, LeverEffects, budget_ratio

if TYPE_CHECKING:
    Details = EngineDetails
else:
    #: The registered engines' details models, discriminated by ``engine`` (result.json).
    Details = details_union()

__all__ = [
    "CountryEffect",
    "Details",
    "Engine",
    "EngineDetails",
    "LeverEffects",
    "UnknownShockError",
    "budget_ratio",
    "compute_effects",
    "details_union",
    "engine_for",
    "engines",
]
