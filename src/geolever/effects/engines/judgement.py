"""Engine for :class:`~geolever.shocks.JudgementShock`: elicited ranges, not data.

Whether the lever has its impact is drawn from the elicited likelihood range; the impact
and the sender's cost from triangular distributions of % of GDP; the draws are seeded by
the lever's id so that adding another lever does not change them.
"""

from __future__ import annotations

import numpy as np

from geolever.effects.registry import register
from geolever.effects.types import CountryEffect, LeverEffects
from geolever.models.uncertainty import ParameterDraws
from geolever.shocks import JudgementShock
from geolever.world import Case


@register(JudgementShock, name="judgement")
def judgement(shock: JudgementShock, case: Case, draws: ParameterDraws,
              key: str) -> LeverEffects:
    """Effects drawn from elicited ranges, seeded by ``key`` (the lever's id)."""
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
        budget_estimated=False, budget_note="the judgement scores GDP, not the budget",
        notes=[f"Expert judgement by {shock.elicited_by}: {shock.rationale}"],
    )
