"""Emulation of the iterative PPML procedure of Yotov et al. (2016), ch. 2 ("GEPPML").

The book solves the full-endowment general equilibrium by re-estimating a PPML gravity
equation with exporter and importer fixed effects (trade costs fixed as an offset) on flows
updated with the last pass's factory-price and multilateral-resistance changes, until the
change of the factory-price update between two passes is small: the Stata loop stops when
``sd(dif) <= 0.01`` and ``abs(max(dif)) <= 0.01``, ``dif`` being the difference of the
last two per-pass price updates over all (exporter, importer) rows. The loop is a
*truncated heuristic*, not a solver: it stops after 3-5 passes, and its final flows
``X = Y E t / (IMR OMR)`` mix the last pass's resistances with the new incomes, so markets
clear only to a few percent (``residual``). :func:`geolever.models.gravity.solve_ge` is the
exact solution of the same model; this module exists to reproduce the book's published
numbers and to show how far they are from it.

A PPML regression with a full set of exporter and importer fixed effects and an offset
``log T`` has the closed-form fit ``a_i b_j T_ij`` whose row and column sums equal those of
the dependent variable (its first-order conditions), so each "re-estimation" is the
biproportional scaling :func:`~geolever.models.gravity.structural.structural_flows` (exact
to 1e-13), with the book's normalisation of the reference importer's effect to one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from geolever.core.errors import ConvergenceError, InvalidDataError, UnknownCodeError
from geolever.models.gravity.single import GEResult
from geolever.models.gravity.structural import structural_flows

FloatArray = NDArray[np.float64]

#: Called after every pass with (pass number, sd(dif), abs(max(dif))).
Progress = Callable[[int, float, float], None]


def _fit(
    cost: FloatArray, rows: FloatArray, cols: FloatArray, ref: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Fit PPML with exporter/importer effects and offset ``log cost`` (closed form).

    The reference importer's effect is one (the book's normalisation). Returns the fitted
    flows and the exporter and importer effects ``exp_pi``, ``exp_chi``.
    """
    x = structural_flows(rows, cols, cost)
    exp_pi = x[:, ref] / cost[:, ref]
    exp_chi = (x[ref, :] / cost[ref, :]) / exp_pi[ref]
    return x, exp_pi, exp_chi


def solve_yotov2016(
    cost_baseline: ArrayLike,
    cost_counterfactual: ArrayLike,
    output: ArrayLike,
    expenditure: ArrayLike,
    sigma: float,
    *,
    reference: int | str = 0,
    countries: Sequence[str] | None = None,
    tol_sd: float = 0.01,
    tol_max: float = 0.01,
    max_iter: int = 100,
    progress: Progress | None = None,
) -> GEResult:
    """Full-endowment counterfactual by the book's iterative PPML loop (truncated heuristic).

    Parameters
    ----------
    cost_baseline, cost_counterfactual
        Trade-cost terms ``T_ij = exp(z_ij' beta)`` of the baseline and the counterfactual,
        shape (N, N), dimensionless, > 0 (exporter rows, importer columns, domestic pairs
        on the diagonal).
    output, expenditure
        Observed output ``Y_i`` and expenditure ``E_j`` of the baseline year, shape (N,),
        USD (any one currency unit), > 0.
    sigma
        Elasticity of substitution (dimensionless, > 1; the book uses 7).
    reference
        Index or code of the reference country, whose importer effect is normalised to
        one (the book's Germany, coded ZZZ); its consumer price is the numeraire.
    countries
        Country codes in matrix order.
    tol_sd, tol_max
        The book's stopping rule: stop when ``sd(dif) <= tol_sd`` and
        ``abs(max(dif)) <= tol_max``.
    max_iter
        Largest number of passes before :class:`ConvergenceError`.
    progress
        Called after every pass with (pass, sd(dif), abs(max(dif))).

    Returns
    -------
    GEResult
        Percent changes as the book computes them (factory price, international exports
        against the fitted baseline, inward and outward multilateral resistances ``P`` and
        ``Pi``, real GDP ``Y / P``); ``flows`` are the book's final ``X_FULL`` (USD);
        ``residual`` is their largest market-clearing error ``|sum_j X_ij / Y_i - 1|``
        (a few percent, by construction of the heuristic); ``iterations`` the passes.

    Raises
    ------
    InvalidDataError
        Shapes, non-positive costs, output or expenditure, or ``sigma <= 1``.
    UnknownCodeError
        Unknown reference country.
    ConvergenceError
        If the stopping rule is not met within ``max_iter`` passes.
    """
    t0 = np.asarray(cost_baseline, dtype=np.float64)
    t1 = np.asarray(cost_counterfactual, dtype=np.float64)
    y = np.asarray(output, dtype=np.float64)
    e = np.asarray(expenditure, dtype=np.float64)
    n = y.size
    if t0.shape != (n, n) or t1.shape != (n, n) or e.shape != (n,):
        raise InvalidDataError(
            f"shapes do not match: costs {t0.shape}/{t1.shape}, output {y.shape}, "
            f"expenditure {e.shape}",
            field="cost_baseline",
            fix="give two N x N cost matrices and N outputs and expenditures",
        )
    for name, t in (("cost_baseline", t0), ("cost_counterfactual", t1)):
        if not (np.isfinite(t).all() and (t > 0).all()):
            raise InvalidDataError(
                f"{name} must be finite and > 0 for every pair",
                field=name,
                fix="method yotov2016 cannot express embargoes; use method exact",
            )
    if not sigma > 1.0:
        raise InvalidDataError(
            f"the elasticity of substitution must be > 1, got {sigma}",
            field="sigma",
            fix="use sigma > 1",
        )
    if isinstance(reference, str):
        if countries is None or reference not in countries:
            raise UnknownCodeError(
                f"reference country {reference!r} is not in the data",
                field="reference",
                fix="use one of the dataset's country codes",
            )
        ref = list(countries).index(reference)
    else:
        ref = int(reference)
    inv = 1.0 / (1.0 - sigma)
    phi = e / y
    x_bln, pi_0, chi_0 = _fit(t0, y, e, ref)
    er_0 = e[ref]
    omr_0 = y * er_0 / pi_0
    imr_0 = e / (chi_0 * er_0)
    # pass 1: the conditional general equilibrium (incomes fixed, costs changed)
    trade, pi_s, chi_s = _fit(t1, y, e, ref)
    er_s, e_s = er_0, e
    cp_prev = ((pi_s / pi_0) / 1.0) ** inv
    cp_prev2 = np.zeros(n)
    c_omr = np.ones(n)
    c_imr = np.ones(n)
    omr_prev = y * er_s / pi_s
    imr_prev = e / (chi_s * er_s)
    for k in range(1, max_iter + 1):
        flows = trade * cp_prev[:, None] * cp_prev[None, :] / (c_omr[:, None] * c_imr[None, :])
        trade, pi_new, chi_s = _fit(t1, flows.sum(axis=1), flows.sum(axis=0), ref)
        y_s = trade.sum(axis=1)
        e_s = phi * y_s
        er_new = e_s[ref]
        cp_new = ((pi_new / pi_s) / (er_new / er_s)) ** inv
        omr_s = y_s * er_new / pi_new
        imr_s = e_s / (chi_s * er_new)
        c_omr, c_imr = omr_s / omr_prev, imr_s / imr_prev
        # Stata's summarize over all N x N rows (each exporter's value repeated N times)
        dif = np.repeat(cp_prev - cp_prev2, n)
        sd, mx = float(dif.std(ddof=1)), abs(float(dif.max()))
        cp_prev2, cp_prev = cp_prev, cp_new
        pi_s, er_s, omr_prev, imr_prev = pi_new, er_new, omr_s, imr_s
        if progress is not None:
            progress(k, sd, mx)
        if sd <= tol_sd and mx <= tol_max:
            break
    else:
        raise ConvergenceError(
            f"the book's stopping rule was not met after {max_iter} PPML passes",
            field="max_iter",
            fix="raise max_iter, or use method exact (the default)",
        )
    cp_full = ((pi_s / pi_0) / (er_s / er_0)) ** inv
    y_full = cp_full * y
    e_full = phi * y_full
    omr_full = y_full * er_s / pi_s
    imr_full = e_s / (chi_s * er_s)
    x_full = y_full[:, None] * e_full[None, :] * t1 / (imr_full[None, :] * omr_full[:, None])
    off = ~np.eye(n, dtype=bool)
    xi_bln = np.where(off, x_bln, 0.0).sum(axis=1)
    xi_full = np.where(off, x_full, 0.0).sum(axis=1)
    mi_bln = np.where(off, x_bln, 0.0).sum(axis=0)
    mi_full = np.where(off, x_full, 0.0).sum(axis=0)
    p_in = (imr_full / imr_0) ** inv
    residual = float(np.abs(x_full.sum(axis=1) / y_full - 1.0).max())
    return GEResult(
        countries=tuple(countries) if countries is not None else None,
        reference=ref,
        sigma=float(sigma),
        factory_price_pct=100.0 * (cp_full - 1.0),
        real_gdp_pct=100.0 * (cp_full / p_in - 1.0),
        exports_pct=100.0 * (xi_full / xi_bln - 1.0),
        imports_pct=100.0 * (mi_full / mi_bln - 1.0),
        inward_mr_pct=100.0 * (p_in - 1.0),
        outward_mr_pct=100.0 * ((omr_full / omr_0) ** inv - 1.0),
        flows=x_full,
        residual=np.asarray(residual),
        iterations=k,
        converged=True,
    )
