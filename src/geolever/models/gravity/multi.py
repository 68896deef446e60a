"""Multi-sector structural gravity with input-output links (Caliendo and Parro 2015).

Exact hat algebra of the Caliendo-Parro (2015, *Review of Economic Studies* 82(1),
"Estimates of the Trade and Welfare Effects of NAFTA") model without tariff revenue:
Eaton-Kortum/Armington sectors, each producing with value added (one factor per country)
and intermediate inputs from every sector, Cobb-Douglas across inputs and in final demand.
Equations (numbers as in the paper, section 3.2 "equilibrium in relative changes"), with
``n`` the importer, ``i`` the exporter and ``j, k`` sectors; hats are ratios new/baseline:

* (10) unit cost of the input bundle
  ``c_n^j = w_n ** gamma_n^j * prod_k (P_n^k) ** gamma_n^{k,j}``;
* (11) sector price index
  ``(P_n^j) ** (-theta^j) = sum_i pi_ni^j (kappa_ni^j) ** (-theta^j) (c_i^j) ** (-theta^j)``;
* (12) trade shares ``pi'_ni^j = pi_ni^j (c_i^j kappa_ni^j / P_n^j) ** (-theta^j)``;
* (13) sector expenditure
  ``X'_n^j = sum_k gamma_n^{j,k} Y'_n^k + alpha_n^j I'_n`` with gross output
  ``Y'_n^k = sum_m pi'_mn^k X'_m^k`` (tariff revenue is zero here);
* (14) factor-market clearing / trade balance:
  ``w_n VA_n = sum_k gamma_n^k Y'_n^k`` with final spending ``I'_n`` set by the closure.

Real GDP (real value added) changes by ``w_n / P_n`` and real income (welfare, Caliendo-
Parro's ``W_n``) by ``I'_n / I_n / P_n`` with ``P_n = prod_j (P_n^j) ** alpha_n^j``.

Here ``kappa = tau_hat`` (iceberg cost changes; ``inf`` = embargo, the flow becomes
exactly zero) and ``theta^j = sigma^j - 1``. ``gamma_n^j`` is the value-added share of
sector ``j``'s costs and ``gamma_n^{k,j}`` the share of sector-``k`` inputs, summing to one.
Final-demand shares ``alpha`` and final spending ``I`` are calibrated from the baseline:
``F_n^j = E_n^j - sum_k gamma_n^{j,k} Y_n^k`` (absorption minus intermediate use).

With one sector and no intermediate inputs the model is the one of
:func:`geolever.models.gravity.solve_ge` and gives the same numbers.

Solution: Newton in log factor prices ``w`` (N unknowns per scenario). For given ``w``
the price system (10)-(11) is a contraction (intermediate shares < 1) solved to machine
precision, and (13) is a linear system of size N*S. The Jacobian is analytic (implicit-
function derivative of (10)-(13): two linear solves per scenario instead of N + 1 model
evaluations), shared from the baseline at first (chord) and refreshed per scenario where
the error does not fall tenfold; a result is returned only when every factor market
clears to ``tol``. Every step whose memory grows with ``B * (N*S)^2`` runs in chunks of
scenarios (``chunk``), and counterfactual flows are built only when kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.linalg
from numpy.typing import ArrayLike, NDArray

from geolever.core.errors import ConvergenceError, InvalidDataError
from geolever.models.gravity.single import (
    Closure,
    Normalise,
    _anderson,
    _reference_index,
    cost_changes_per_cell,
    scenario_frame,
)

FloatArray = NDArray[np.float64]

#: Largest number of float64 cells of one evaluation chunk (about 64 MB).
_CHUNK_CELLS = 8_000_000


@dataclass(frozen=True)
class MultiGEResult:
    """Counterfactual of the multi-sector general-equilibrium gravity model.

    Per-country arrays have shape ``(N,)`` for one scenario or ``(B, N)`` for a batch;
    per-country-and-sector arrays ``(N, S)`` or ``(B, N, S)``. Percentages are
    ``100 * (new / baseline - 1)``; nominal values are in units of the numeraire chosen
    by ``normalise`` (by default the reference country's consumer price index).

    Attributes
    ----------
    countries, sectors
        Codes in matrix order (or ``None`` if not given).
    reference
        Index of the reference (numeraire) country.
    sigma
        Elasticity of substitution per sector (``theta + 1``), shape (S,).
    factory_price_pct
        Change of the factor (value-added) price ``w``, percent.
    real_gdp_pct
        Change of real value added ``w / P`` (as :class:`GEResult.real_gdp_pct`), percent.
    welfare_pct
        Change of real final spending ``I' / I / P`` (Caliendo-Parro welfare), percent.
    consumer_price_pct
        Change of the consumer price index ``P = prod_j (P^j) ** alpha^j``, percent.
    exports_pct, imports_pct
        Change of international exports / imports summed over sectors (nominal), percent.
    sector_output_pct
        Change of gross output value per country and sector (nominal), percent.
    sector_price_pct
        Change of the sector price index ``P_n^j`` (buyers' price), percent.
    sector_cost_pct
        Change of the unit cost of the input bundle ``c_n^j`` (producers' price), percent.
    flows
        Counterfactual flows, shape ``(S, N, N)`` or ``(B, S, N, N)``, USD; ``None`` if
        not kept.
    residual
        Largest factor-market error ``|sum_k gamma^k Y'^k - w VA| / (w VA)`` (per scenario).
    iterations
        Newton iterations used (largest over the batch).
    converged
        True; a result that did not converge is never returned (ConvergenceError).
    """

    countries: tuple[str, ...] | None
    sectors: tuple[str, ...] | None
    reference: int
    sigma: FloatArray
    factory_price_pct: FloatArray
    real_gdp_pct: FloatArray
    welfare_pct: FloatArray
    consumer_price_pct: FloatArray
    exports_pct: FloatArray
    imports_pct: FloatArray
    sector_output_pct: FloatArray
    sector_price_pct: FloatArray
    sector_cost_pct: FloatArray
    flows: FloatArray | None
    residual: FloatArray
    iterations: int
    converged: bool

    def to_frame(self, scenario: int | None = None) -> pd.DataFrame:
        """Return per-country results of one scenario as a DataFrame (percent changes).

        Parameters
        ----------
        scenario
            Index of the scenario in a batch; must be ``None`` for a single scenario.
        """
        cols = ("factory_price_pct", "real_gdp_pct", "welfare_pct", "consumer_price_pct",
                "exports_pct", "imports_pct")
        return scenario_frame(self, cols, scenario)


@dataclass(frozen=True)
class _MultiBase:
    """Validated multi-sector baseline."""

    x: FloatArray  # (S, N, N) flows, exporter rows, importer columns
    pi: FloatArray  # (S, N, N) shares of importer n's sector-s absorption
    y: FloatArray  # (N, S) gross output
    e: FloatArray  # (N, S) absorption
    va: FloatArray  # (N,) value added
    inc: FloatArray  # (N,) final spending I
    alpha: FloatArray  # (N, S) final-demand shares
    gamma: FloatArray  # (N, S) value-added shares
    io: FloatArray  # (N, S, S) io[n, k, j]: share of sector-k inputs in sector j's costs
    theta: FloatArray  # (S,)
    closure: Closure

    @property
    def n(self) -> int:
        return int(self.va.shape[0])

    @property
    def s(self) -> int:
        return int(self.theta.shape[0])

    @property
    def has_io(self) -> bool:
        return bool(self.io.any())


@dataclass
class _MState:
    c: FloatArray  # (M, N, S) log unit costs
    p: FloatArray  # (M, N, S) log sector price indices
    share: FloatArray  # (M, S, N, N) new trade shares
    xe: FloatArray  # (M, N, S) new sector absorption
    yo: FloatArray  # (M, N, S) new gross output
    inc: FloatArray  # (M, N) new final spending
    f: FloatArray  # (M, N) scaled residual, last entry = normalisation
    err: FloatArray  # (M,)
    own: FloatArray  # (M, S, N) domestic trade shares share[:, s, i, i]


def _income(base: _MultiBase, w: FloatArray) -> FloatArray:
    """Return final spending ``I'`` (M, N) under the closure (world total = world VA)."""
    va_new = w * base.va
    tot = va_new.sum(axis=-1, keepdims=True)
    if base.closure == "fixed_share":
        return va_new + (base.inc - base.va) * (tot / base.va.sum())
    phi = base.inc / base.va
    return phi * va_new * (tot / (phi * va_new).sum(axis=-1, keepdims=True))


def _evaluate(base: _MultiBase, a: FloatArray, u: FloatArray) -> _MState:
    """Equilibrium conditions at log factor prices ``u`` (M, N) for cost shares ``a``.

    ``a = pi * kappa ** (-theta)``, shape (M, S, N, N).
    """
    th = base.theta
    gu = base.gamma * u[:, :, None]  # (M, N, S)

    def prices(c: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        z = np.exp(-th * c)  # (M, N, S)
        q = np.matmul(np.swapaxes(z, 1, 2)[:, :, None, :], a)[:, :, 0, :]  # (M, S, N)
        with np.errstate(divide="ignore"):
            p = -np.log(np.swapaxes(q, 1, 2)) / th  # (M, N, S), eq. (11)
        return z, q, p

    c = gu
    for _ in range(10_000 if base.has_io else 0):
        # eq. (10) with (11) inside: a contraction, factor max_j sum_k gamma^{k,j} < 1
        c_new = gu + np.einsum("nkj,mnk->mnj", base.io, prices(c)[2])
        with np.errstate(invalid="ignore"):
            diff = np.abs(c_new - c)
        # non-finite costs (a trial step that cut a country off) stay so: not waited for
        done = bool(np.all((diff <= 1e-15 * (1.0 + np.abs(c_new))) | ~np.isfinite(diff)))
        c = c_new
        if done:
            break
    z, q, p = prices(c)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = a * np.swapaxes(z, 1, 2)[:, :, :, None] / q[:, :, None, :]  # eq. (12)
    w = np.exp(u)
    inc = _income(base, w)
    fin = base.alpha * inc[:, :, None]  # (M, N, S)
    m, n, s = fin.shape
    if base.has_io:
        # eq. (13): X_nj - sum_k io[n, j, k] sum_m share[k, n, m] X_mk = alpha_nj I_n
        mat = _leontief(base, share)
        sol = np.linalg.solve(mat, fin.reshape(m, n * s, 1))
        xe: FloatArray = np.asarray(sol, dtype=np.float64).reshape(m, n, s)
    else:
        xe = fin
    yo = np.einsum("msix,mxs->mis", share, xe)
    va_dem = (base.gamma * yo).sum(axis=2)
    va_sup = w * base.va
    with np.errstate(divide="ignore", invalid="ignore"):
        ed = va_dem / va_sup - 1.0
    err = np.abs(ed).max(axis=1)
    err = np.where(np.isfinite(err), err, np.inf)
    f = ed.copy()
    f[:, -1] = np.log(va_sup.sum(axis=1) / base.va.sum())
    diag = np.arange(n)
    return _MState(c, p, share, xe, yo, inc, f, err, share[:, :, diag, diag])


def _leontief(base: _MultiBase, share: FloatArray) -> FloatArray:
    """Return ``I - A`` of eq. (13), ``A[(n, j), (m, k)] = io[n, j, k] share[k, n, m]``.

    Shape (M, N*S, N*S), country-major rows and columns; built in place (no copies of
    the (N*S)^2 matrix beyond the one returned).
    """
    m, n, s = share.shape[0], base.n, base.s
    mat = np.empty((m, n, s, n, s))
    sh = np.transpose(share, (0, 2, 3, 1))  # (M, n, m, k)
    np.multiply(base.io[None, :, :, None, :], sh[:, :, None, :, :], out=mat)
    flat = mat.reshape(m, n * s, n * s)
    np.negative(flat, out=flat)
    flat[:, np.arange(n * s), np.arange(n * s)] += 1.0
    return flat


def _chunk_size(base: _MultiBase, chunk: int | None) -> int:
    """Scenarios per internal chunk: ``chunk`` or about ``_CHUNK_CELLS`` float64 cells."""
    if chunk is not None:
        return chunk
    n, s = base.n, base.s
    per = s * n * n * 3 + (n * s) ** 2 * (3 if base.has_io else 0) + 1
    return max(1, _CHUNK_CELLS // per)


def _evaluate_chunked(
    base: _MultiBase, a: FloatArray, rows: NDArray[np.intp], u: FloatArray, step: int
) -> tuple[FloatArray, FloatArray]:
    """Residuals ``(f, err)`` of scenarios ``rows`` (indices into ``a``) at ``u``, chunked."""
    f = np.empty_like(u)
    err = np.empty(u.shape[0])
    for k in range(0, u.shape[0], step):
        sl = slice(k, k + step)
        st = _evaluate(base, a[rows[sl]], u[sl])
        f[sl], err[sl] = st.f, st.err
    return f, err


def _income_jacobian(base: _MultiBase, w: FloatArray, inc: FloatArray) -> FloatArray:
    """Return ``d I'_n / d u_d`` (M, N, N) of :func:`_income` at factor prices ``w``."""
    v = w * base.va
    n = base.n
    if base.closure == "fixed_share":
        dev = (base.inc - base.va) / base.va.sum()
        return np.eye(n) * v[:, None, :] + dev[None, :, None] * v[:, None, :]
    phi = base.inc / base.va
    tot = v.sum(axis=1, keepdims=True)
    share = v / tot - phi * v / (phi * v).sum(axis=1, keepdims=True)
    return inc[:, :, None] * (np.eye(n)[None] + share[:, None, :])


def _jacobian_exact(base: _MultiBase, a: FloatArray, u: FloatArray) -> FloatArray:
    """Analytic Jacobian of the scaled residual at ``u`` (M, N): shape (M, N, N).

    Implicit-function derivative of eqs. (10)-(13): with ``K[(n,j),(i,k)] = io[n,k,j]
    pi'[k,i,n]`` the costs move by ``dc = (I - K)^-1 gamma du``, prices by ``dp_k = pi'_k^T
    dc_k``, shares by ``-theta pi' (dc_i - dp_n)`` and absorption by the Leontief system
    of eq. (13) differentiated. Two dense solves with N right-hand sides per scenario,
    instead of the N + 1 model evaluations of a forward difference.
    """
    st = _evaluate(base, a, u)
    m, n, s = st.xe.shape
    ns = n * s
    th = base.theta[None, :, None, None]
    share = st.share  # (M, S, i, x)
    eye = np.eye(n)
    dc: FloatArray = base.gamma[None, :, :, None] * eye[None, :, None, :]  # (M, n, j, d)
    if base.has_io:
        kmat = np.empty((m, n, s, n, s))
        shk = np.transpose(share, (0, 3, 2, 1))  # (M, n, i, k)
        np.multiply(
            np.swapaxes(base.io, 1, 2)[None, :, :, None, :], shk[:, :, None, :, :], out=kmat
        )
        flat = kmat.reshape(m, ns, ns)
        np.negative(flat, out=flat)
        flat[:, np.arange(ns), np.arange(ns)] += 1.0
        rhs = np.broadcast_to(dc, (m, n, s, n)).reshape(m, ns, n)
        dc = np.asarray(np.linalg.solve(flat, rhs), dtype=np.float64).reshape(m, n, s, n)
        del kmat, flat
    dc_s = np.transpose(np.broadcast_to(dc, (m, n, s, n)), (0, 2, 1, 3))  # (M, k, i, d)
    dp_s = np.matmul(np.swapaxes(share, 2, 3), dc_s)  # (M, k, x, d)
    flows = share * np.swapaxes(st.xe, 1, 2)[:, :, None, :]  # (M, S, i, x)
    yo_s = np.swapaxes(st.yo, 1, 2)[:, :, :, None]  # (M, S, i, 1)
    d_s = -th * (yo_s * dc_s - np.matmul(flows, dp_s))  # dY at fixed X, (M, S, i, d)
    d_c = np.transpose(d_s, (0, 2, 1, 3))  # (M, n, S, d)
    w = np.exp(u)
    rhs2 = base.alpha[None, :, :, None] * _income_jacobian(base, w, st.inc)[:, :, None, :]
    if base.has_io:
        rhs2 = rhs2 + np.einsum("njk,mnkd->mnjd", base.io, d_c)
        dxe = np.linalg.solve(_leontief(base, share), rhs2.reshape(m, ns, n))
        dxe_s = np.transpose(dxe.reshape(m, n, s, n), (0, 2, 1, 3))
    else:
        dxe_s = np.transpose(rhs2, (0, 2, 1, 3))
    dyo_s = d_s + np.matmul(share, dxe_s)  # (M, S, i, d)
    dva = np.einsum("sn,msnd->mnd", base.gamma.T, dyo_s)
    va_sup = w * base.va
    va_dem = (base.gamma * st.yo).sum(axis=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        jac = dva / va_sup[:, :, None] - (va_dem / va_sup)[:, :, None] * eye[None]
    jac[:, -1, :] = va_sup / va_sup.sum(axis=1, keepdims=True)
    return np.asarray(jac, dtype=np.float64)


def _jacobian(
    base: _MultiBase, a: FloatArray, rows: NDArray[np.intp], u: FloatArray, step: int
) -> FloatArray:
    """Analytic Jacobian of scenarios ``rows`` at ``u``, chunked: shape (len(rows), N, N)."""
    jac = np.empty((rows.size, base.n, base.n))
    for k in range(0, rows.size, step):
        sl = slice(k, k + step)
        jac[sl] = _jacobian_exact(base, a[rows[sl]], u[sl])
    return jac


def _solve(
    base: _MultiBase,
    a: FloatArray,
    tol: float,
    max_iter: int,
    step: int,
    u0: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray, int]:
    """Damped (quasi-)Newton over the batch; returns log factor prices, errors, iterations."""
    nb, n = a.shape[0], base.n
    every = np.arange(nb)
    u = np.zeros((nb, n)) if u0 is None else u0.copy()
    f, err = _evaluate_chunked(base, a, every, u, step)
    if u0 is None:  # chord start: the no-shock Jacobian is the same for every scenario
        a0 = base.pi[None]
        jac = np.repeat(_jacobian(base, a0, np.zeros(1, dtype=np.intp), np.zeros((1, n)), 1), nb, 0)
    else:
        jac = _jacobian(base, a, every, u, step)
    # iterate past tol towards round-off (target), so that results do not depend on how
    # close to tol the last step happened to land; converged means err <= tol
    target = tol * 1e-3
    stalled = np.zeros(nb, dtype=bool)
    no_descent = np.zeros(nb, dtype=np.intp)
    best, since = err.copy(), np.zeros(nb, dtype=np.intp)
    it = 0
    while it < max_iter:
        act = np.flatnonzero((err > target) & ~stalled)
        if not act.size:
            break
        it += 1
        try:
            dx = -np.linalg.solve(jac[act], f[act][:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:  # e.g. a country priced out of every market
            dx = -(np.linalg.pinv(jac[act]) @ f[act][:, :, None])[:, :, 0]
        dx = np.where(np.isfinite(dx), dx, 0.0)
        dx *= np.minimum(1.0, 2.0 / np.maximum(np.abs(dx).max(axis=1), 1e-300))[:, None]
        norm0 = np.linalg.norm(f[act], axis=1)
        lam = np.ones(act.size)
        for _ in range(40):
            ft, et = _evaluate_chunked(base, a, act, u[act] + lam[:, None] * dx, step)
            norm1 = np.linalg.norm(ft, axis=1)
            bad = ~(norm1 <= (1.0 - 1e-4 * lam) * norm0) & (et > target)
            if not bad.any():
                break
            lam[bad] *= 0.5
        # two line searches in a row without descent: a stall (no equilibrium nearby);
        # stop iterating it (err stays above tol: continuation or a report takes over)
        no_descent[act] = np.where(bad & (err[act] > tol), no_descent[act] + 1, 0)
        stalled[act[no_descent[act] >= 2]] = True
        # no 10% progress in 12 iterations far from a solution: creeping, not converging
        gained = et < 0.9 * best[act]
        since[act] = np.where(gained, 0, since[act] + 1)
        best[act] = np.minimum(best[act], et)
        stalled[act[(since[act] >= 12) & (et > 1e-3)]] = True
        improved = et < err[act]
        # below tol, a step that does not improve is round-off: keep the better point
        keep = improved | (err[act] > tol)
        u[act[keep]] += lam[keep, None] * dx[keep]
        f[act[keep]] = ft[keep]
        stalled[act[~improved & (err[act] <= tol)]] = True
        # refresh the Jacobian where the error did not fall tenfold (chord -> Newton)
        slow = act[keep & ~(et < 0.1 * err[act]) & (et > target)]
        err[act[keep]] = et[keep]
        if slow.size:
            jac[slow] = _jacobian(base, a, slow, u[slow], step)
    return u, err, it


#: Scenarios at or above which a batch shares the baseline factorisations (see
#: :func:`_solve_shared`); smaller batches use Newton with per-scenario Jacobians.
_SHARED_MIN = 16
#: Scenarios iterated together by the shared path (work arrays of a few MB).
_SHARED_BLOCK = 64


@dataclass(frozen=True)
class _Shared:
    """Baseline factorisations shared by every scenario of a batch.

    ``price``: LU of ``I - K0``, the Jacobian of the cost/price system (10)-(11) at the
    baseline, ``K0[(n, j), (i, k)] = io[n, k, j] pi[k, i, n]``; ``leontief``: LU of the
    baseline ``I - A0`` of eq. (13); ``step_t = -J0^-T`` of the factor-market residual.
    """

    price: tuple[FloatArray, NDArray[np.int32]]
    leontief: tuple[FloatArray, NDArray[np.int32]]
    step_t: FloatArray


def _shared(base: _MultiBase) -> _Shared:
    n, s, ns = base.n, base.s, base.n * base.s
    a0 = base.pi[None]
    kmat = np.swapaxes(base.io, 1, 2)[:, :, None, :] * np.transpose(base.pi, (2, 1, 0))[:, None]
    k0 = np.eye(ns) - kmat.reshape(ns, ns)  # rows (n, j), columns (i, k)
    jac0 = _jacobian_exact(base, a0, np.zeros((1, n)))[0]
    try:
        inv = np.linalg.inv(jac0)
    except np.linalg.LinAlgError:
        inv = np.linalg.pinv(jac0)
    del s
    return _Shared(
        price=scipy.linalg.lu_factor(k0),
        leontief=scipy.linalg.lu_factor(_leontief(base, a0)[0]),
        step_t=np.ascontiguousarray(-inv.T),
    )


def _lu_apply(lu: tuple[FloatArray, NDArray[np.int32]], rhs: FloatArray) -> FloatArray:
    """Solve the shared system for a batch of right-hand sides (M, N, S), country-major."""
    m = rhs.shape[0]
    flat = rhs.reshape(m, -1)
    return np.asarray(scipy.linalg.lu_solve(lu, flat.T, check_finite=False).T).reshape(rhs.shape)


def _evaluate_shared(
    base: _MultiBase,
    sh: _Shared,
    a: FloatArray,
    u: FloatArray,
    c0: FloatArray | None = None,
    x0: FloatArray | None = None,
    at: FloatArray | None = None,
    want_share: bool = True,
) -> _MState:
    """Equilibrium conditions at ``u`` as :func:`_evaluate`, without per-scenario solves.

    The price system (10)-(11) and the absorption system (13) are solved by Newton-type
    iterations preconditioned with the baseline factorisations (``sh``), matrix-free: each
    step is one product with the scenario's cost shares ``a`` (O(S N^2)) and one shared
    triangular solve for the whole block (O((N S)^2) per scenario). They start from
    ``c0``/``x0`` (warm starts from a nearby point) and stop at round-off (1e-14). ``at``
    is ``a`` with its last two axes swapped, C-contiguous (computed if not given); the
    (M, S, N, N) trade shares are formed only if ``want_share`` (else ``share`` is empty).
    """
    th = base.theta
    gu = base.gamma * u[:, :, None]
    if at is None:
        at = np.ascontiguousarray(np.swapaxes(a, 2, 3))  # at[m, s, x, i] = a[m, s, i, x]

    def prices(c: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        z = np.exp(-th * c)  # (M, N, S)
        q = np.matmul(at, np.swapaxes(z, 1, 2)[:, :, :, None])[:, :, :, 0]  # (M, S, N)
        with np.errstate(divide="ignore"):
            p = -np.log(np.swapaxes(q, 1, 2)) / th  # (M, N, S)
        return z, q, p

    c = gu.copy() if c0 is None else c0.copy()
    if base.has_io:
        for _ in range(100):
            _, _, p = prices(c)
            res = c - gu - np.einsum("nkj,mnk->mnj", base.io, p)
            ok = np.isfinite(res)
            res = np.where(ok, res, 0.0)
            c = np.where(ok, c - _lu_apply(sh.price, res), c)
            if np.all(np.abs(res) <= 1e-14 * (1.0 + np.abs(c))):
                break
    else:
        c = gu
    z, q, p = prices(c)
    zt = np.swapaxes(z, 1, 2)  # (M, S, N)
    w = np.exp(u)
    inc = _income(base, w)
    fin = base.alpha * inc[:, :, None]  # (M, N, S)

    def output(xe: FloatArray) -> FloatArray:
        """Gross output ``Y[m, n, k] = z[n, k] sum_x a[m, k, n, x] X[m, x, k] / q[m, k, x]``.

        (eq. 12 times absorption, without forming the (M, S, N, N) shares).
        """
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            scaled = np.swapaxes(xe, 1, 2) / q  # (M, S, N)
            return np.swapaxes(zt * np.matmul(a, scaled[:, :, :, None])[..., 0], 1, 2)

    if base.has_io:
        xe = fin.copy() if x0 is None else x0.copy()
        for _ in range(100):
            res = fin + np.einsum("njk,mnk->mnj", base.io, output(xe)) - xe
            ok = np.isfinite(res)
            res = np.where(ok, res, 0.0)
            xe = np.where(ok, xe + _lu_apply(sh.leontief, res), xe)
            scale = np.abs(xe).max(axis=(1, 2), keepdims=True)
            if np.all(np.abs(res) <= 1e-14 * scale):
                break
    else:
        xe = fin
    yo = output(xe)
    va_dem = (base.gamma * yo).sum(axis=2)
    va_sup = w * base.va
    with np.errstate(divide="ignore", invalid="ignore"):
        ed = va_dem / va_sup - 1.0
        share = a * zt[:, :, :, None] / q[:, :, None, :] if want_share else np.empty(0)
        diag = np.arange(base.n)
        own = a[:, :, diag, diag] * zt / q
    err = np.abs(ed).max(axis=1)
    err = np.where(np.isfinite(err), err, np.inf)
    f = ed.copy()
    f[:, -1] = np.log(va_sup.sum(axis=1) / base.va.sum())
    return _MState(c, p, share, xe, yo, inc, f, err, own)


def _solve_shared(
    base: _MultiBase,
    sh: _Shared,
    kt: FloatArray,
    tol: float,
    max_iter: int,
    progress: Callable[[int], None] | None = None,
) -> tuple[FloatArray, FloatArray, int, FloatArray, FloatArray]:
    """Anderson-accelerated chord over a large batch, sharing the baseline factorisations.

    The factor-market residual of each scenario is evaluated by :func:`_evaluate_shared`
    (warm-started from the scenario's previous evaluation); the outer iteration is the
    shared-Jacobian chord of :func:`geolever.models.gravity.single._anderson`. Scenarios it
    cannot finish get ``err = inf`` (left to Newton with their own Jacobians). Also
    returns the last costs and absorption of each scenario (warm starts, (B, N, S) each).
    """
    nb, n = kt.shape[0], base.n
    u = np.zeros((nb, n))
    err = np.full(nb, np.inf)
    iters = 0
    warm_c_all = np.zeros((nb, n, base.s))  # baseline: no change of costs
    warm_x_all = np.repeat(base.e[None], nb, axis=0)  # baseline absorption
    for lo in range(0, nb, _SHARED_BLOCK):
        rows = np.arange(lo, min(lo + _SHARED_BLOCK, nb))
        a = base.pi[None] * kt[rows]
        warm_c, warm_x = warm_c_all[rows], warm_x_all[rows]

        cache: dict[bytes, tuple[FloatArray, FloatArray]] = {}

        def residual(
            idx: NDArray[np.intp],
            v: FloatArray,
            a: FloatArray = a,
            warm_c: FloatArray = warm_c,
            warm_x: FloatArray = warm_x,
            cache: dict[bytes, tuple[FloatArray, FloatArray]] = cache,
        ) -> tuple[FloatArray, FloatArray]:
            key = idx.tobytes()
            if key not in cache:  # the live set changes only when scenarios finish
                cache.clear()
                sub = a[idx]
                cache[key] = (sub, np.ascontiguousarray(np.swapaxes(sub, 2, 3)))
            sub, sub_t = cache[key]
            st = _evaluate_shared(
                base, sh, sub, v, warm_c[idx], warm_x[idx], at=sub_t, want_share=False
            )
            good = np.isfinite(st.c).all(axis=(1, 2)) & np.isfinite(st.xe).all(axis=(1, 2))
            warm_c[idx[good]], warm_x[idx[good]] = st.c[good], st.xe[good]
            return st.f, st.err

        u[rows], err[rows], it = _anderson(residual, rows.size, sh.step_t, tol, max_iter)
        warm_c_all[rows], warm_x_all[rows] = warm_c, warm_x
        iters = max(iters, it)
        if progress:
            progress(rows.size)
    return u, err, iters, warm_c_all, warm_x_all


#: Smallest continuation step before a scenario is given up (reported not converged).
_MIN_STAGE = 1e-4
#: Newton iterations of one continuation stage.
_STAGE_MAX_ITER = 25
#: Newton iterations all continuation stages of a call may spend together.
_MAX_STAGE_ITERATIONS = 20_000


def _homotopy(
    base: _MultiBase,
    kappa_t: FloatArray,
    tol: float,
    max_iter: int,
    step: int,
    stages: int = 10,
) -> tuple[FloatArray, FloatArray, int]:
    """Continuation for shocks Newton cannot reach from the baseline: apply in stages.

    Each scenario moves from the baseline (``s = 0``) to its shock (``s = 1``) along
    ``A(s) = pi (1 + s (kappa - 1))``, starting with steps of ``1 / stages``; a stage that
    does not converge is retried from the last solved point with half the step (down to
    :data:`_MIN_STAGE`), a stage that does lets the next step grow by half. The last
    stretch of an embargo (``kappa`` -> 0: the last of a flow removed) is where prices move
    most at low elasticities, so a fixed grid of stages often fails exactly there.
    A scenario whose step falls below the minimum keeps ``err > tol`` (reported, never
    taken as converged).
    """
    nb, n = kappa_t.shape[0], base.n
    u_out = np.zeros((nb, n))
    err_out = np.full(nb, np.inf)
    total = 0
    for b in range(nb):
        kt = kappa_t[b : b + 1]
        u: FloatArray | None = None
        done, ds = 0.0, 1.0 / stages
        while done < 1.0 and ds >= _MIN_STAGE and total < _MAX_STAGE_ITERATIONS:
            s = min(1.0, done + ds)
            a = base.pi * (1.0 + s * (kt - 1.0))
            stage_tol = tol if s == 1.0 else 1e-8
            # from a nearby solved point Newton needs a few steps; a stage that needs many
            # is better retried with half the step than iterated on
            u_s, err_s, it = _solve(base, a, stage_tol, min(max_iter, _STAGE_MAX_ITER), step,
                                    u0=u)
            total += it
            if np.isfinite(u_s).all() and err_s[0] <= stage_tol:
                u, done, ds = u_s, s, ds * 1.5
                err_out[b] = err_s[0] if s == 1.0 else np.inf
            else:
                ds /= 2.0
        if u is not None and done == 1.0:
            u_out[b] = u[0]
    return u_out, err_out, total


def _as_sector_vector(value: ArrayLike, s: int, name: str) -> FloatArray:
    v = np.asarray(value, dtype=np.float64)
    if v.ndim == 0:
        v = np.full(s, float(v))
    if v.shape != (s,):
        raise InvalidDataError(
            f"{name} must be a scalar or have shape (S,) = ({s},), got {v.shape}",
            field=name,
            fix="give one elasticity per sector",
        )
    return v


def _multi_baseline(
    flows: ArrayLike,
    sigma: ArrayLike | None,
    theta: ArrayLike | None,
    value_added_share: ArrayLike | None,
    io_shares: ArrayLike | None,
    closure: Closure,
    countries: Sequence[str] | None,
    sectors: Sequence[str] | None,
) -> _MultiBase:
    x = np.asarray(flows, dtype=np.float64)
    if x.ndim != 3 or x.shape[1] != x.shape[2]:
        raise InvalidDataError(
            f"flows must have shape (S, N, N), got {x.shape}",
            field="flows",
            fix="pass sector x exporter x importer flows, domestic sales on the diagonal",
        )
    s, n = x.shape[0], x.shape[1]
    cn = list(countries) if countries is not None else [f"#{k}" for k in range(n)]
    sn = list(sectors) if sectors is not None else [f"s{k}" for k in range(s)]
    if len(cn) != n or len(sn) != s:
        raise InvalidDataError(
            f"{len(cn)} country and {len(sn)} sector codes for flows of shape {x.shape}",
            field="countries" if len(cn) != n else "sectors",
            fix="give one code per country (matrix row) and per sector (first axis)",
        )
    bad = ~np.isfinite(x) | (x < 0)
    if bad.any():
        k, i, j = np.argwhere(bad)[0]
        raise InvalidDataError(
            f"flow {cn[i]}->{cn[j]} in sector {sn[k]} is {x[k, i, j]}",
            field=f"flows[{sn[k]},{cn[i]},{cn[j]}]",
            fix="flows must be finite and >= 0 (0 for no trade)",
        )
    if (sigma is None) == (theta is None):
        raise InvalidDataError(
            "give exactly one of sigma (elasticity of substitution) and theta (trade elasticity)",
            field="sigma",
            fix="pass sigma=... (> 1) or theta=... (> 0), one per sector",
        )
    if sigma is not None:
        sig = _as_sector_vector(sigma, s, "sigma")
        if not (np.isfinite(sig).all() and (sig > 1.0).all()):
            k = int(np.flatnonzero(~(sig > 1.0) | ~np.isfinite(sig))[0])
            raise InvalidDataError(
                f"the elasticity of substitution of sector {sn[k]} is {sig[k]}; it must be > 1",
                field=f"sigma[{sn[k]}]",
                fix="use sigma > 1 (typical values 3-10)",
            )
        th = sig - 1.0
    else:
        th = _as_sector_vector(theta, s, "theta")  # type: ignore[arg-type]
        if not (np.isfinite(th).all() and (th > 0.0).all()):
            k = int(np.flatnonzero(~(th > 0.0) | ~np.isfinite(th))[0])
            raise InvalidDataError(
                f"the trade elasticity of sector {sn[k]} is {th[k]}; it must be > 0",
                field=f"theta[{sn[k]}]",
                fix="use theta > 0 (typical values 2-10)",
            )
    g = np.ones(n) if value_added_share is None else np.asarray(value_added_share, float)
    if g.shape == (n,):
        g = np.repeat(g[:, None], s, axis=1)
    elif g.shape == (s, n):
        g = g.T.copy()
    else:
        raise InvalidDataError(
            f"value_added_share must have shape (N,) = ({n},) or (S, N) = ({s}, {n}), "
            f"got {g.shape}",
            field="value_added_share",
            fix="give each country's (and sector's) value-added share of gross output",
        )
    io = np.zeros((n, s, s)) if io_shares is None else np.asarray(io_shares, float)
    if io.shape != (n, s, s):
        raise InvalidDataError(
            f"io_shares must have shape (N, S, S) = ({n}, {s}, {s}), got {io.shape}",
            field="io_shares",
            fix="io_shares[n, k, j] = share of sector-k inputs in sector j's costs in country n",
        )
    if not (np.isfinite(g).all() and (g > 0).all() and (g <= 1).all()):
        i, j = np.argwhere(~((g > 0) & (g <= 1)))[0]
        raise InvalidDataError(
            f"value-added share of {cn[i]} sector {sn[j]} is {g[i, j]}; it must be in (0, 1]",
            field=f"value_added_share[{sn[j]},{cn[i]}]",
            fix="every sector needs some value added",
        )
    if not (np.isfinite(io).all() and (io >= 0).all()):
        i, k, j = np.argwhere(~(np.isfinite(io) & (io >= 0)))[0]
        raise InvalidDataError(
            f"input share io_shares[{cn[i]}, {sn[k]}, {sn[j]}] = {io[i, k, j]} is negative",
            field=f"io_shares[{cn[i]},{sn[k]},{sn[j]}]",
            fix="input shares must be finite and >= 0",
        )
    total = g + io.sum(axis=1)
    off = np.abs(total - 1.0) > 1e-8
    if off.any():
        i, j = np.argwhere(off)[0]
        raise InvalidDataError(
            f"cost shares of {cn[i]} sector {sn[j]} sum to {total[i, j]:.6g}, not 1 "
            "(value added + inputs of every sector)",
            field=f"io_shares[{cn[i]},:,{sn[j]}]",
            fix="value_added_share[j, n] + sum_k io_shares[n, k, j] must equal 1",
        )
    y = x.sum(axis=2).T  # (N, S)
    e = x.sum(axis=1).T  # (N, S)
    if (e <= 0).any():
        i, j = np.argwhere(e <= 0)[0]
        raise InvalidDataError(
            f"{cn[i]} buys nothing in sector {sn[j]} (its column sums to 0)",
            field=f"flows[{sn[j]},:,{cn[i]}]",
            fix="add domestic sales on the diagonal or merge that sector",
        )
    va = (g * y).sum(axis=1)
    if (va <= 0).any():
        i = int(np.argmin(va))
        raise InvalidDataError(
            f"{cn[i]} has no output in any sector",
            field=f"flows[:,{cn[i]},:]",
            fix="drop that country or add its domestic sales",
        )
    fin = e - np.einsum("njk,nk->nj", io, y)  # absorption minus intermediate use
    neg = fin < -1e-9 * e
    if neg.any():
        i, j = np.argwhere(neg)[0]
        raise InvalidDataError(
            f"intermediate use of sector {sn[j]} in {cn[i]} implied by io_shares exceeds its "
            f"absorption ({e[i, j]:.6g}) by {-fin[i, j]:.6g}",
            field=f"io_shares[{cn[i]},{sn[j]},:]",
            fix="make the input shares consistent with the flows (final demand must be >= 0)",
        )
    fin = np.maximum(fin, 0.0)
    inc = fin.sum(axis=1)
    if closure not in ("fixed_share", "proportional"):
        raise InvalidDataError(
            f"unknown closure {closure!r}",
            field="closure",
            fix="use 'fixed_share' or 'proportional'",
        )
    return _MultiBase(
        x=x,
        pi=x / e.T[:, None, :],
        y=y,
        e=e,
        va=va,
        inc=inc,
        alpha=fin / inc[:, None],
        gamma=g,
        io=io,
        theta=th,
        closure=closure,
    )


def _kappa(tau_hat: ArrayLike, base: _MultiBase) -> tuple[FloatArray, bool]:
    """Return ``kappa ** (-theta)`` as (B, S, N, N) and whether the input was one scenario."""
    tau = np.asarray(tau_hat, dtype=np.float64)
    single = tau.ndim == 3
    if single:
        tau = tau[None]
    shape = (base.s, base.n, base.n)
    if tau.ndim != 4 or tau.shape[1:] != shape:
        raise InvalidDataError(
            f"tau_hat must have shape (S, N, N) = {shape} or (B, S, N, N), got {tau.shape}",
            field="tau_hat",
            fix="give one trade-cost change factor per sector and ordered country pair",
        )
    if np.isnan(tau).any() or (tau <= 0).any():
        b, k, i, j = np.argwhere(np.isnan(tau) | (tau <= 0))[0]
        raise InvalidDataError(
            f"tau_hat[{b}, {k}, {i}, {j}] = {tau[b, k, i, j]}; cost changes must be > 0",
            field="tau_hat",
            fix="use 1 for no change, >1 for higher costs, np.inf for an embargo",
        )
    t = np.ones(tau.shape)
    b, k, i, j = np.nonzero(tau != 1.0)  # most cells are unchanged: no power taken there
    with np.errstate(divide="ignore", over="ignore"):
        t[b, k, i, j] = tau[b, k, i, j] ** (-base.theta[k])  # inf -> 0: embargoed flows are zero
    return t, single


def solve_ge_multisector(
    flows: ArrayLike,
    tau_hat: ArrayLike,
    sigma: ArrayLike | None = None,
    value_added_share: ArrayLike | None = None,
    io_shares: ArrayLike | None = None,
    *,
    theta: ArrayLike | None = None,
    reference: int | str = 0,
    countries: Sequence[str] | None = None,
    sectors: Sequence[str] | None = None,
    closure: Closure = "proportional",
    normalise: Normalise = "consumer_price",
    tol: float = 1e-10,
    max_iter: int = 100,
    keep_flows: bool = True,
    chunk: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> MultiGEResult:
    """Solve the multi-sector GE (Caliendo-Parro 2015, eqs. 10-14) of trade-cost shocks.

    Parameters
    ----------
    flows
        Baseline flows, shape (S, N, N), USD (any one currency unit): sector, exporter,
        importer; domestic sales on the diagonal; finite and >= 0. Every country must buy
        something in every sector (column sums > 0).
    tau_hat
        Iceberg trade-cost change factor per sector and ordered pair, shape (S, N, N) or
        (B, S, N, N) for a batch. 1 = no change; ``np.inf`` = embargo (flow exactly zero).
    sigma
        Elasticity of substitution per sector, scalar or (S,), each > 1 (``theta = sigma
        - 1``). Give either ``sigma`` or ``theta``.
    value_added_share
        Value-added share of gross output ``gamma_n^j`` (dimensionless, in (0, 1]), shape
        (N,) (same in every sector) or (S, N). Default 1 (no intermediate inputs).
    io_shares
        ``io_shares[n, k, j] = gamma_n^{k,j}``: share of sector-``k`` inputs in the costs of
        sector ``j`` in country ``n``, shape (N, S, S), >= 0, with
        ``value_added_share + io_shares.sum(axis=1) == 1``. Default 0.
    theta
        Trade elasticity per sector (scalar or (S,), > 0), instead of ``sigma``.
    reference, countries, closure, normalise, tol, max_iter, keep_flows
        As in :func:`geolever.models.gravity.solve_ge`; ``closure`` applies to final
        spending ``I`` relative to value added, ``"world_output"`` normalises world
        value added.
    sectors
        Sector codes (first axis of ``flows``), used in errors.
    chunk
        Scenarios per internal chunk (>= 1): every step whose memory grows with
        ``B * (N*S)^2`` runs chunk by chunk, so peak memory is bounded by the chunk, not
        the batch (plus the ``(B, S, N, N)`` inputs and, with ``keep_flows``, the flows).
        Default: about 64 MB of float64 work arrays per chunk. Results do not depend on it.
    progress
        Called with the number of scenarios finished, as they finish (e.g. to advance a
        progress bar).

    Returns
    -------
    MultiGEResult
        Percent changes per country and per country-sector, flows (USD) and diagnostics.

    Raises
    ------
    InvalidDataError
        Shape mismatch, negative or missing flows, cost shares not summing to 1, input
        use above absorption, ``sigma <= 1`` / ``theta <= 0``, bad ``tau_hat``.
    UnknownCodeError
        Unknown reference country.
    ConvergenceError
        If any counterfactual does not clear every factor market to ``tol``.
    """
    base = _multi_baseline(
        flows, sigma, theta, value_added_share, io_shares, closure, countries, sectors
    )
    ref = _reference_index(reference, countries, base.n)
    if chunk is not None and (isinstance(chunk, bool) or int(chunk) != chunk or chunk < 1):
        raise InvalidDataError(
            f"chunk must be a whole number >= 1, got {chunk!r}",
            field="chunk",
            fix="pass the number of scenarios per internal chunk, or None for the default",
        )
    step = _chunk_size(base, None if chunk is None else int(chunk))
    kt, single = _kappa(tau_hat, base)
    nb = kt.shape[0]
    sh = _shared(base) if nb >= _SHARED_MIN else None
    if sh is not None:
        # every scenario shares the baseline: chord + Anderson with shared factorisations
        u, err, iters, warm_c, warm_x = _solve_shared(base, sh, kt, tol, max_iter, progress)
        rest = np.flatnonzero(~(err <= tol))
    else:
        u, err, iters, rest = np.zeros((nb, base.n)), np.full(nb, np.inf), 0, np.arange(nb)
    if rest.size:  # Newton with each scenario's own Jacobian
        u_r, err_r, it_r = _solve(base, base.pi[None] * kt[rest], tol, max_iter, step)
        u[rest], err[rest] = u_r, err_r
        iters = max(iters, it_r)
    bad = ~(err <= tol) | ~np.isfinite(u).all(axis=1)
    if bad.any():
        idx = np.flatnonzero(bad)
        u_h, err_h, it_h = _homotopy(base, kt[idx], tol, max_iter, step)
        u[idx], err[idx] = u_h, err_h
        iters += it_h
    if progress and sh is None:
        progress(nb)
    bad = ~(err <= tol) | ~np.isfinite(u).all(axis=1)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise ConvergenceError(
            f"{int(bad.sum())} of {nb} counterfactuals did not clear factor markets "
            f"to {tol:g} after {iters} iterations (scenario {k}: residual {err[k]:.3g})",
            field="tau_hat",
            fix="a country may have lost every supplier of a sector it needs; with "
            "closure='fixed_share' try 'proportional'; otherwise raise max_iter or loosen tol",
        )

    def evaluate(sl: slice, v: FloatArray) -> _MState:
        a = base.pi[None] * kt[sl]
        if sh is None:
            return _evaluate(base, a, v)
        c0, x0 = (warm_c[sl], warm_x[sl]) if not bad.any() else (None, None)
        return _evaluate_shared(base, sh, a, v, c0, x0, want_share=keep_flows)

    step = step if sh is None else _SHARED_BLOCK
    return _finish(
        base, evaluate, u, ref, normalise, countries, sectors, keep_flows, single, iters, step
    )


def _finish(
    base: _MultiBase,
    evaluate: Callable[[slice, FloatArray], _MState],
    u: FloatArray,
    ref: int,
    normalise: Normalise,
    countries: Sequence[str] | None,
    sectors: Sequence[str] | None,
    keep_flows: bool,
    single: bool,
    iters: int,
    step: int,
) -> MultiGEResult:
    if normalise not in ("consumer_price", "factory_price", "world_output"):
        raise InvalidDataError(
            f"unknown normalise {normalise!r}",
            field="normalise",
            fix="use 'consumer_price', 'factory_price' or 'world_output'",
        )
    nb, n, s = u.shape[0], base.n, base.s
    out = {k: np.empty((nb, n)) for k in ("factory", "gdp", "welfare", "cpi", "exports", "imports")}
    out3 = {k: np.empty((nb, n, s)) for k in ("output", "price", "cost")}
    resid = np.empty(nb)
    flows = np.empty((nb, s, n, n)) if keep_flows else None
    off = ~np.eye(n, dtype=bool)
    exp0 = (base.x * off).sum(axis=(0, 2))
    imp0 = (base.x * off).sum(axis=(0, 1))
    for lo in range(0, nb, step):
        sl = slice(lo, lo + step)
        st = evaluate(sl, u[sl])
        if normalise == "consumer_price":
            shift = (base.alpha[ref] * st.p[:, ref, :]).sum(axis=1)
        elif normalise == "factory_price":
            shift = u[sl, ref]
        else:
            shift = np.zeros(st.p.shape[0])
        # homogeneous of degree one: the normalised point is a solution with log costs
        # and prices shifted by -shift, nominal values scaled by exp(-shift), same shares
        uc = u[sl] - shift[:, None]
        scale = np.exp(-shift)[:, None, None]
        p, c = st.p - shift[:, None, None], st.c - shift[:, None, None]
        xe, yo, inc = st.xe * scale, st.yo * scale, st.inc * scale[:, :, 0]
        w = np.exp(uc)
        if not (np.isfinite(w).all() and (w > 0).all() and np.isfinite(p).all()):
            raise ConvergenceError(
                "the solver produced a non-positive or non-finite price",
                field="tau_hat",
                fix="check the shock: a country may have lost every supplier of a sector",
            )
        cpi = np.exp((base.alpha * p).sum(axis=2))
        # international sales/purchases = totals minus domestic (diagonal) flows, without
        # building the (S, N, N) flows when they are not kept
        xe_s = np.swapaxes(xe, 1, 2)  # (M, S, N)
        if flows is not None:
            sales = st.share * xe_s[:, :, None, :]
            flows[sl] = sales
            exp1 = (sales * off).sum(axis=(1, 3))
            imp1 = (sales * off).sum(axis=(1, 2))
        else:
            dom = (st.own * xe_s).sum(axis=1)  # (M, N)
            exp1 = yo.sum(axis=2) - dom
            imp1 = xe_s.sum(axis=1) - dom  # an importer's shares sum to 1 in each sector
        with np.errstate(divide="ignore", invalid="ignore"):
            out["exports"][sl] = 100.0 * (exp1 / exp0 - 1.0)
            out["imports"][sl] = 100.0 * (imp1 / imp0 - 1.0)
            out3["output"][sl] = 100.0 * (yo / base.y - 1.0)
        out["factory"][sl] = 100.0 * (w - 1.0)
        out["gdp"][sl] = 100.0 * (w / cpi - 1.0)
        out["welfare"][sl] = 100.0 * (inc / base.inc / cpi - 1.0)
        out["cpi"][sl] = 100.0 * (cpi - 1.0)
        out3["price"][sl] = 100.0 * np.expm1(p)
        out3["cost"][sl] = 100.0 * np.expm1(c)
        resid[sl] = st.err
    res = MultiGEResult(
        countries=tuple(countries) if countries is not None else None,
        sectors=tuple(sectors) if sectors is not None else None,
        reference=ref,
        sigma=base.theta + 1.0,
        factory_price_pct=out["factory"],
        real_gdp_pct=out["gdp"],
        welfare_pct=out["welfare"],
        consumer_price_pct=out["cpi"],
        exports_pct=out["exports"],
        imports_pct=out["imports"],
        sector_output_pct=out3["output"],
        sector_price_pct=out3["price"],
        sector_cost_pct=out3["cost"],
        flows=flows,
        residual=resid,
        iterations=iters,
        converged=True,
    )
    if single:
        res = MultiGEResult(
            **{
                k: (v[0] if isinstance(v, np.ndarray) and k != "sigma" else v)
                for k, v in res.__dict__.items()
            }
        )
    return res


__all__ = ["MultiGEResult", "solve_ge_multisector"]


def solve_sector_shocks(
    flows: ArrayLike,
    cells: ArrayLike,
    tau_hat: ArrayLike,
    sigma: ArrayLike | None = None,
    value_added_share: ArrayLike | None = None,
    io_shares: ArrayLike | None = None,
    *,
    chunk: int = 256,
    progress: Callable[[int], None] | None = None,
    **kwargs: object,
) -> MultiGEResult:
    """Solve a batch of multi-sector shocks given as changed cells, memory-bounded.

    Scenario ``b`` changes the trade costs of the cells ``cells[b, e] = (sector,
    exporter, importer)`` by the factors ``tau_hat[b, e]`` (the rest stay 1): the sparse
    form of :func:`solve_ge_multisector`'s dense ``(B, S, N, N)`` input, which is never
    formed for the whole batch. Scenarios run ``chunk`` at a time (the dense cost change
    of one chunk at a time), so peak memory is bounded by ``chunk`` and the (B, N) or
    (B, N, S) results; the numbers equal one dense call on the whole batch.

    Parameters
    ----------
    flows, sigma, value_added_share, io_shares
        As in :func:`solve_ge_multisector`: flows (S, N, N), USD.
    cells
        Integer array (B, E, 3) of ``(sector, exporter, importer)`` per changed cell, or
        (B, 3) for one cell per scenario. A cell appears at most once per scenario; a
        factor of 1 is a no-op (padding for shorter scenarios).
    tau_hat
        Cost change factor per cell (``np.inf`` = embargo): scalar, (B,) or (B, E).
    chunk
        Scenarios per call of the dense solver (>= 1).
    progress
        Called with the number of scenarios finished.
    **kwargs
        Passed on to :func:`solve_ge_multisector` (``theta``, ``reference``, ``closure``,
        ``tol``, ...); flows are not kept.

    Returns
    -------
    MultiGEResult
        Batched result (``flows=None``); row ``b`` is scenario ``b``.
    """
    x = np.asarray(flows, dtype=np.float64)
    c = np.asarray(cells, dtype=np.intp)
    if c.ndim == 2 and c.shape[1] == 3:
        c = c[:, None, :]
    if x.ndim != 3 or c.ndim != 3 or c.shape[2] != 3:
        raise InvalidDataError(
            f"cells must have shape (B, 3) or (B, E, 3), got {np.shape(cells)} (flows "
            f"{x.shape})",
            field="cells",
            fix="give (sector, exporter, importer) per changed cell and flows as (S, N, N)",
        )
    nb, ne = c.shape[:2]
    limits = np.array(x.shape)
    if c.size and ((c < 0).any() or (c >= limits).any()):
        raise InvalidDataError("cell index out of range", field="cells",
                               fix=f"sector in 0..{x.shape[0] - 1}, countries in "
                               f"0..{x.shape[1] - 1}")
    tau = cost_changes_per_cell(tau_hat, nb, ne)
    code = np.where(tau != 1.0, (c[..., 0] * x.shape[1] + c[..., 1]) * x.shape[1] + c[..., 2],
                    -1 - np.arange(ne))
    srt = np.sort(code, axis=1)
    if ne > 1 and (srt[:, 1:] == srt[:, :-1]).any():
        k = int(np.flatnonzero((srt[:, 1:] == srt[:, :-1]).any(axis=1))[0])
        raise InvalidDataError(f"scenario {k} changes the same cell more than once",
                               field=f"cells[{k}]", fix="combine the factors by multiplying")
    if isinstance(chunk, bool) or int(chunk) != chunk or chunk < 1:
        raise InvalidDataError(f"chunk must be a whole number >= 1, got {chunk!r}",
                               field="chunk", fix="pass the number of scenarios per call")
    parts: list[MultiGEResult] = []
    for lo in range(0, nb, int(chunk)):
        hi = min(lo + int(chunk), nb)
        dense = np.ones((hi - lo, *x.shape))
        rows = np.repeat(np.arange(hi - lo), ne)
        part = c[lo:hi].reshape(-1, 3)
        dense[rows, part[:, 0], part[:, 1], part[:, 2]] = tau[lo:hi].reshape(-1)
        parts.append(solve_ge_multisector(x, dense, sigma, value_added_share, io_shares,
                                          keep_flows=False, progress=progress,
                                          **kwargs))  # type: ignore[arg-type]
        del dense
    if not parts:
        raise InvalidDataError("no scenarios", field="cells", fix="give at least one scenario")
    first = parts[0]
    batched = {k: np.concatenate([getattr(p, k) for p in parts])
               for k, v in first.__dict__.items()
               if isinstance(v, np.ndarray) and k != "sigma"}
    return MultiGEResult(**{**first.__dict__, **batched, "flows": None,
                            "iterations": max(p.iterations for p in parts)})
