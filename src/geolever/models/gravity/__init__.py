"""Structural gravity in general equilibrium: exact hat-algebra solver and PPML estimation.

Public API
----------
solve_ge
    Single-sector full-endowment GE counterfactual (dense, batched ``tau_hat``).
solve_pair_shocks, all_pair_embargoes
    Memory-light batches of shocks to one or a few cells each (e.g. every one-way or
    two-way bilateral embargo).
solve_ge_multisector, MultiGEResult
    Multi-sector GE with input-output links (Caliendo-Parro 2015), batched.
solve_sector_shocks
    Multi-sector batches given as changed (sector, exporter, importer) cells, solved
    chunk by chunk (memory bounded by the chunk, not the batch).
GEResult
    Frozen result: percent changes per country, counterfactual flows, residual.
structural_flows, tau_hat_from_coefficient, cost_factor
    PPML-consistent baseline flows from a cost term; gravity coefficient -> ``tau_hat``.
estimate_ppml, PPMLResult
    PPML with high-dimensional fixed effects (pyfixest).
"""

from geolever.models.gravity.estimation import PPMLResult, estimate_ppml
from geolever.models.gravity.multi import (
    MultiGEResult,
    solve_ge_multisector,
    solve_sector_shocks,
)
from geolever.models.gravity.single import (
    Closure,
    GEResult,
    all_pair_embargoes,
    solve_ge,
    solve_pair_shocks,
)
from geolever.models.gravity.structural import (
    cost_factor,
    structural_flows,
    tau_hat_from_coefficient,
)

__all__ = [
    "Closure",
    "GEResult",
    "MultiGEResult",
    "PPMLResult",
    "all_pair_embargoes",
    "cost_factor",
    "estimate_ppml",
    "solve_ge",
    "solve_ge_multisector",
    "solve_pair_shocks",
    "solve_sector_shocks",
    "structural_flows",
    "tau_hat_from_coefficient",
]
