"""Effects: per-country losses (income, FX, budget, transit revenue) of a shock, per draw."""

from geolever.effects.compute import CountryEffect, LeverEffects, compute_effects

__all__ = ["CountryEffect", "LeverEffects", "compute_effects"]
