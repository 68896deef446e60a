"""Compute per-country effects of a shock with the engine registered for its type.

All money is in US$ per year; a positive number is a loss. Every array has one entry per
Monte Carlo draw. Engines call the models with arrays of draws, never in a loop over draws.
"""

from __future__ import annotations

from geolever.effects import engines as _engines  # noqa: F401  (registers every engine)
from geolever.effects.registry import engine_for
from geolever.effects.types import LeverEffects
from geolever.models.uncertainty import ParameterDraws
from geolever.shocks import Shock
from geolever.world import Case


def compute_effects(shock: Shock, case: Case, draws: ParameterDraws, *,
                    key: str = "lever") -> LeverEffects:
    """Compute the effects of ``shock`` on every country involved, per Monte Carlo draw.

    Parameters
    ----------
    shock
        From :meth:`geolever.levers.LeverKind.compile`.
    case
        The case (denominators, exchange rates, oil price).
    draws
        Parameter draws shared by the run.
    key
        Name used to seed the lever's own elicited ranges (expert judgement).

    Raises
    ------
    UnknownShockError
        If no engine is registered for the shock's type.
    """
    engine = engine_for(shock)
    effects = engine.evaluate(shock, case, draws, key)
    effects.engine = engine.name
    return effects
