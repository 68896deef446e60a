"""Structural gravity in general equilibrium: exact hat-algebra solvers and PPML estimation.

Public API
----------
solve_ge
    Single-sector full-endowment GE counterfactual (dense, batched ``tau_hat``).
solve_pair_shocks, all_pair_embargoes
    Memory-light batches of single-pair shocks (e.g. every bilateral embargo).
GEResult
    Frozen result: percent changes per country, counterfactual flows, residual.
"""

from geolever.models.gravity.single import (
    GEResult,
    all_pair_embargoes,
    solve_ge,
    solve_pair_shocks,
)

__all__ = ["GEResult", "all_pair_embargoes", "solve_ge", "solve_pair_shocks"]
