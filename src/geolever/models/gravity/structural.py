"""Structural (model-consistent) baseline flows and gravity-coefficient shocks.

PPML with exporter and importer fixed effects fits flows ``X_ij = a_i b_j T_ij`` whose row
and column sums equal observed output and expenditure (its first-order conditions). Given
the trade-cost term ``T_ij = exp(z_ij' beta)``, the fitted flows are therefore the unique
biproportional (RAS) scaling of ``T`` to those margins; this is how Yotov et al. (2016)
and gegravity build the baseline of a counterfactual.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from geolever.core.errors import ConvergenceError, InvalidDataError


def structural_flows(
    output: ArrayLike,
    expenditure: ArrayLike,
    cost_term: ArrayLike,
    *,
    tol: float = 1e-13,
    max_iter: int = 100_000,
) -> NDArray[np.float64]:
    """Return the flows ``X = diag(a) T diag(b)`` with row sums ``Y`` and column sums ``E``.

    Parameters
    ----------
    output
        Output ``Y_i`` per exporter, shape (N,), USD.
    expenditure
        Expenditure ``E_j`` per importer, shape (N,), USD; rescaled to the total of
        ``output`` if the two totals differ (world spending = world income).
    cost_term
        Trade-cost term ``T_ij = t_ij ** (1 - sigma) = exp(z_ij' beta)``, shape (N, N),
        dimensionless, >= 0, with a positive diagonal.
    tol
        Largest relative error of the row and column sums.
    max_iter
        Largest number of scaling sweeps.

    Returns
    -------
    numpy.ndarray
        Structural baseline flows, shape (N, N), USD (exporter rows, importer columns).
    """
    y = np.asarray(output, dtype=np.float64)
    e = np.asarray(expenditure, dtype=np.float64)
    t = np.asarray(cost_term, dtype=np.float64)
    if t.ndim != 2 or t.shape != (y.size, y.size) or e.shape != y.shape:
        raise InvalidDataError(
            f"shapes do not match: output {y.shape}, expenditure {e.shape}, costs {t.shape}",
            field="cost_term",
            fix="give N outputs, N expenditures and an N x N cost matrix",
        )
    if not (np.isfinite(t).all() and (t >= 0).all() and (np.diag(t) > 0).all()):
        raise InvalidDataError(
            "the cost term must be finite, >= 0 and positive on the diagonal",
            field="cost_term",
            fix="compute it as exp(z'beta) over all pairs, including domestic ones",
        )
    if not ((y > 0).all() and (e > 0).all()):
        raise InvalidDataError(
            "output and expenditure must be > 0",
            field="output",
            fix="drop countries with no output or expenditure",
        )
    e = e * (y.sum() / e.sum())
    b = np.ones_like(e)
    for _ in range(max_iter):
        a = y / (t @ b)
        b = e / (t.T @ a)
        rows = a * (t @ b)
        if np.abs(rows / y - 1.0).max() <= tol:
            return a[:, None] * t * b[None, :]
    raise ConvergenceError(
        "the biproportional scaling of the baseline did not converge",
        field="cost_term",
        fix="check for countries that cannot trade with anyone (zero rows/columns)",
    )


def tau_hat_from_coefficient(beta: float, change: ArrayLike, sigma: float) -> NDArray[np.float64]:
    """Convert a change of a gravity regressor into an iceberg trade-cost change factor.

    Parameters
    ----------
    beta
        PPML coefficient of the regressor (e.g. of a trade-agreement dummy).
    change
        Change of the regressor per pair (e.g. +1 where an agreement enters), any shape.
    sigma
        Elasticity of substitution (> 1).

    Returns
    -------
    numpy.ndarray
        ``tau_hat = exp(beta * change / (1 - sigma))`` (dimensionless), same shape as
        ``change``; ``t_hat = tau_hat ** (1 - sigma) = exp(beta * change)``.
    """
    if not sigma > 1.0:
        raise InvalidDataError(
            f"the elasticity of substitution must be > 1, got {sigma}",
            field="sigma",
            fix="use sigma > 1",
        )
    return np.exp(float(beta) * np.asarray(change, dtype=np.float64) / (1.0 - sigma))


def cost_factor(share: ArrayLike, sigma: float, tariff_pct: float | None) -> NDArray[np.float64]:
    """Trade-cost change ``tau_hat`` that removes (or taxes) a share of a pair's flow.

    Parameters
    ----------
    share
        Share of the pair's flow that is restricted (dimensionless, 0-1).
    sigma
        Elasticity of substitution (> 1).
    tariff_pct
        Ad-valorem tariff in percent on the restricted part; None = embargo.

    Returns
    -------
    numpy.ndarray
        ``tau_hat`` (``inf`` where the whole flow is embargoed).
    """
    f = 0.0 if tariff_pct is None else (1.0 + tariff_pct / 100.0) ** (1.0 - sigma)
    t = 1.0 - np.clip(share, 0.0, 1.0) * (1.0 - f)
    with np.errstate(divide="ignore"):
        return np.where(t <= 0.0, np.inf, t ** (1.0 / (1.0 - sigma)))
