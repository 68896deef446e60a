"""Single-sector structural gravity in general equilibrium (exact hat algebra).

The model is the one-sector Armington / Anderson-van Wincoop structural gravity system
with endowment economies, solved in changes ("exact hat algebra", Dekle, Eaton and
Kortum 2008) from an observed baseline. It is the model of Yotov, Piermartini, Monteiro
and Larch (2016), *An Advanced Guide to Trade Policy Analysis*, ch. 2 ("full endowment
general equilibrium"), solved to machine precision instead of by repeated PPML.

Notation (all changes are ratios new/baseline, written with a hat):

* ``X[i, j]``: baseline flow from exporter ``i`` to importer ``j`` (USD), domestic sales
  on the diagonal; ``Y_i = sum_j X[i, j]`` output, ``E_j = sum_i X[i, j]`` expenditure.
* ``pi[i, j] = X[i, j] / E_j``: importer ``j``'s expenditure share on ``i``.
* ``t[i, j] = tau_hat[i, j] ** (1 - sigma)``: change of the trade-cost term; an embargo is
  ``tau_hat = inf`` so ``t = 0`` and the flow is exactly zero.
* ``w_i``: change of the factory-gate price (= change of nominal output with endowments
  fixed). ``P_j ** (1 - sigma) = sum_i pi[i, j] t[i, j] w_i ** (1 - sigma)``: change of the
  inward multilateral resistance (consumer price index).
* Market clearing: ``w_i Y_i = sum_j X'[i, j]`` with
  ``X'[i, j] = pi[i, j] t[i, j] w_i ** (1 - sigma) / P_j ** (1 - sigma) * E'_j``.

Expenditure closes the model in one of two ways, both homogeneous of degree one in
prices so that every real result is independent of the numeraire:

* ``"fixed_share"`` (Dekle-Eaton-Kortum): ``E'_j = w_j Y_j + D_j * Yw'/Yw`` with the
  baseline deficit ``D_j = E_j - Y_j`` held as a share of world output;
* ``"proportional"``: ``E'_j = phi_j Y'_j * Yw' / sum_k phi_k Y'_k`` with
  ``phi_j = E_j / Y_j`` (Yotov et al. 2016 and gegravity hold ``phi`` fixed; the rescaling
  keeps world spending equal to world income, without which no exact solution exists).

The system is solved by Newton's method in log prices, batched over scenarios; for large
batches of small shocks (e.g. every bilateral embargo) a chord method reuses the baseline
Jacobian, and any scenario it cannot finish is handed to full Newton. A solution is only
returned when every market clears to ``tol``; otherwise :class:`ConvergenceError`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_tree, connected_components
from threadpoolctl import ThreadpoolController

from geolever.core.errors import ConvergenceError, InvalidDataError, UnknownCodeError

Closure = Literal["fixed_share", "proportional"]
Normalise = Literal["consumer_price", "factory_price", "world_output"]
FloatArray = NDArray[np.float64]

#: Largest number of float64 cells in one dense (batch, N, N) work array (about 64 MB).
_DENSE_CELLS = 8_000_000


@dataclass(frozen=True)
class GEResult:
    """Counterfactual of the single-sector general-equilibrium gravity model.

    Per-country arrays have shape ``(N,)`` for one scenario or ``(B, N)`` for a batch of
    ``B`` scenarios; percentages are ``100 * (new / baseline - 1)``. Nominal changes
    (factory price, exports, flows) are in units of the numeraire chosen by ``normalise``
    (by default the reference country's consumer price index); real GDP is numeraire-free.

    Attributes
    ----------
    countries
        Country codes in matrix order (or ``None`` if not given).
    reference
        Index of the reference (numeraire) country.
    sigma
        Elasticity of substitution used (dimensionless, > 1).
    factory_price_pct
        Change of the factory-gate price = nominal output, percent.
    real_gdp_pct
        Change of real GDP ``Y_i / P_i`` (the welfare measure of Yotov et al.), percent.
    exports_pct
        Change of international exports ``sum_{j != i} X_ij`` (nominal), percent.
    imports_pct
        Change of international imports ``sum_{i != j} X_ij`` (nominal), percent.
    inward_mr_pct
        Change of the inward multilateral resistance ``P_j`` (consumer price index), percent.
    outward_mr_pct
        Change of the outward multilateral resistance ``Pi_i``, percent.
    flows
        Counterfactual flow matrix (same currency unit as the baseline, exporter rows,
        importer columns), shape ``(N, N)`` or ``(B, N, N)``; ``None`` if not kept.
    residual
        Largest market-clearing error ``|sum_j X'_ij - Y'_i| / Y'_i`` (per scenario for a
        batch), dimensionless, at the solved point (before prices are normalised to the
        reference, which changes it only by round-off).
    iterations
        Newton/chord iterations used (largest over the batch).
    converged
        True when every scenario cleared its markets. Only
        :func:`solve_pair_shocks` with ``on_failure="nan"`` returns False (the other
        solvers raise ConvergenceError instead).
    scenario_converged
        Per scenario (B,): whether it cleared every market to ``tol``; ``None`` where the
        solver raises on failure.
    failure_reasons
        Per scenario (B,): why it has no result (``""`` where it converged), e.g. a
        surplus country left without a foreign buyer; ``None`` where the solver raises.
    """

    countries: tuple[str, ...] | None
    reference: int
    sigma: float
    factory_price_pct: FloatArray
    real_gdp_pct: FloatArray
    exports_pct: FloatArray
    imports_pct: FloatArray
    inward_mr_pct: FloatArray
    outward_mr_pct: FloatArray
    flows: FloatArray | None
    residual: FloatArray
    iterations: int
    converged: bool
    scenario_converged: NDArray[np.bool_] | None = None
    failure_reasons: tuple[str, ...] | None = None

    def to_frame(self, scenario: int | None = None) -> pd.DataFrame:
        """Return per-country results of one scenario as a DataFrame (percent changes).

        Parameters
        ----------
        scenario
            Index of the scenario in a batch; must be ``None`` for a single scenario.
        """
        cols = ("factory_price_pct", "real_gdp_pct", "exports_pct", "imports_pct",
                "inward_mr_pct", "outward_mr_pct")
        return scenario_frame(self, cols, scenario)


class _PerCountry(Protocol):
    """A GE result: per-country arrays of shape (N,) or (B, N) and the country codes."""

    @property
    def countries(self) -> tuple[str, ...] | None: ...

    @property
    def real_gdp_pct(self) -> FloatArray: ...


def scenario_frame(result: _PerCountry, columns: Sequence[str],
                   scenario: int | None) -> pd.DataFrame:
    """Return the per-country ``columns`` of one scenario of a GE result as a DataFrame.

    Parameters
    ----------
    result
        A single- or multi-sector result; its per-country arrays are ``(N,)`` or ``(B, N)``.
    columns
        Names of per-country attributes (percent changes).
    scenario
        Index of the scenario in a batch; must be ``None`` for a single scenario.

    Returns
    -------
    pandas.DataFrame
        One row per country (index ``country``: the codes, or 0..N-1), one column each.
    """
    batched = result.real_gdp_pct.ndim == 2
    if batched and scenario is None:
        raise InvalidDataError(
            "a batched result needs a scenario index",
            field="scenario",
            fix="pass scenario=k for the k-th counterfactual",
        )
    data = {c: getattr(result, c)[scenario] if batched else getattr(result, c) for c in columns}
    n = result.real_gdp_pct.shape[-1]
    index = list(result.countries) if result.countries else list(range(n))
    return pd.DataFrame(data, index=pd.Index(index, name="country"))


@dataclass(frozen=True)
class _Baseline:
    """Validated baseline: shares, output, expenditure and closure constants."""

    pi: FloatArray  # (N, N) expenditure shares X_ij / E_j
    y: FloatArray  # (N,) output, USD
    e: FloatArray  # (N,) expenditure, USD
    x: FloatArray  # (N, N) flows, USD
    sigma: float
    closure: Closure

    @property
    def n(self) -> int:
        return int(self.y.shape[0])

    @property
    def yw(self) -> float:
        return float(self.y.sum())


class _Costs:
    """Trade-cost changes ``t = tau_hat ** (1 - sigma)`` of a batch, dense or sparse.

    Sparse form: the baseline shares ``pi`` plus entries ``d = pi_ij (t_bij - 1)`` at
    ``(b, i, j)``; every product below is a shared matrix product plus a scatter-add, so a
    batch of single-pair shocks costs O(B N^2) memory-free of any (B, N, N) array.
    """

    def __init__(
        self,
        pi: FloatArray,
        b: NDArray[np.intp],
        i: NDArray[np.intp],
        j: NDArray[np.intp],
        t: FloatArray,
        nb: int,
    ) -> None:
        self.pi = pi
        self.b, self.i, self.j = b, i, j
        self.t = t
        self.d = pi[i, j] * (t - 1.0)
        self.nb = nb
        self.n = pi.shape[0]

    def take(self, rows: NDArray[np.intp]) -> _Costs:
        """Return the costs of the scenarios ``rows`` (renumbered 0..len(rows)-1)."""
        pos = np.full(self.nb, -1, dtype=np.intp)
        pos[rows] = np.arange(rows.size)
        keep = pos[self.b] >= 0
        return _Costs(
            self.pi, pos[self.b[keep]], self.i[keep], self.j[keep], self.t[keep], rows.size
        )

    def _add(self, out: FloatArray, at: NDArray[np.intp], values: FloatArray) -> None:
        """Add ``values`` at the flat cells ``at`` of the (B, N) array ``out``, in place."""
        flat = out.reshape(-1)
        if self.b.size < 2 or bool(np.all(self.b[1:] > self.b[:-1])):
            flat[at] += values  # one cell per scenario: the cells are distinct
        else:
            np.add.at(flat, at, values)

    def price_index(self, xw: FloatArray) -> FloatArray:
        """``Q[b, j] = sum_i A[b, i, j] xw[b, i]`` with ``A = pi * t``."""
        q = xw @ self.pi
        if self.b.size:
            bn = self.b * self.n
            self._add(q, bn + self.j, self.d * xw.reshape(-1)[bn + self.i])
        return q

    def demand(self, r: FloatArray) -> FloatArray:
        """``s[b, i] = sum_j A[b, i, j] r[b, j]``."""
        s = r @ self.pi.T
        if self.b.size:
            bn = self.b * self.n
            self._add(s, bn + self.i, self.d * r.reshape(-1)[bn + self.j])
        return s

    def dense(self) -> FloatArray:
        """Return ``A = pi * t`` as a (B, N, N) array."""
        a = np.broadcast_to(self.pi, (self.nb, self.n, self.n)).copy()
        a[self.b, self.i, self.j] *= self.t
        return a


def _expenditure(base: _Baseline, w: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return ``E'`` and the rank-one parts ``(a, b)`` of ``dE'/du = diag(g) + a b^T``."""
    yw_new = w * base.y
    s = yw_new.sum(axis=1, keepdims=True)
    if base.closure == "fixed_share":
        deficit = base.e - base.y
        e_new = yw_new + deficit * (s / base.yw)
        return e_new, np.broadcast_to(deficit, w.shape), yw_new / base.yw
    phi = base.e / base.y
    t = (phi * yw_new).sum(axis=1, keepdims=True)
    e_new = phi * yw_new * (s / t)
    return e_new, e_new, yw_new / s - phi * yw_new / t


@dataclass
class _State:
    w: FloatArray
    xw: FloatArray
    q: FloatArray
    e_new: FloatArray
    sales: FloatArray
    f: FloatArray  # scaled residual (B, N), last row replaced by the normalisation
    err: FloatArray  # (B,) max |excess demand| / output


def _evaluate(base: _Baseline, costs: _Costs, u: FloatArray) -> _State:
    """Evaluate the equilibrium conditions of every scenario at log factory prices ``u``.

    Float64 throughout, two shared matrix products (price index and demand) plus each
    scenario's cell corrections, and element-wise work done in place.
    """
    w = np.exp(u)
    xw = np.multiply(u, 1.0 - base.sigma)
    np.exp(xw, out=xw)
    q = costs.price_index(xw)
    wy = w * base.y
    total = wy.sum(axis=1)
    if base.closure == "fixed_share":
        e_new = (total / base.yw)[:, None] * (base.e - base.y)
        e_new += wy
    else:
        e_new, _, _ = _expenditure(base, w)
    with np.errstate(divide="ignore", invalid="ignore"):
        sales = costs.demand(e_new / q)
        sales *= xw
        f = np.divide(sales, wy)
    f -= 1.0
    err = np.maximum(f.max(axis=1), -f.min(axis=1))
    f[:, -1] = np.log(total / base.yw)
    return _State(w, xw, q, e_new, sales, f, err)


def _jacobian(base: _Baseline, a: FloatArray, st: _State) -> FloatArray:
    """Exact Jacobian of the scaled residual in log prices, shape (B, N, N)."""
    sig1 = 1.0 - base.sigma
    _, ca, cb = _expenditure(base, st.w)
    g = base.y * st.w if base.closure == "fixed_share" else st.e_new
    xa = st.xw[:, :, None] * a  # x_i A_ij
    jac = xa * (g / st.q)[:, None, :]  # x_i A_ik g_k / Q_k
    jac += (xa @ (ca / st.q)[:, :, None]) * cb[:, None, :]
    jac -= sig1 * (xa * (st.e_new / st.q**2)[:, None, :]) @ np.swapaxes(xa, 1, 2)
    idx = np.arange(base.n)
    jac[:, idx, idx] += sig1 * st.sales - base.y * st.w
    # d[(S_i - Y_i w_i)/(Y_i w_i)]/du_k = dED_ik/(Y_i w_i) - delta_ik S_i/(Y_i w_i)
    yiw = base.y * st.w
    jac /= yiw[:, :, None]
    jac[:, idx, idx] -= st.sales / yiw - 1.0
    jac[:, -1, :] = yiw / yiw.sum(axis=1, keepdims=True)
    return jac


def _newton(
    base: _Baseline,
    costs: _Costs,
    tol: float,
    max_iter: int,
    u0: FloatArray | None = None,
    target: float | None = None,
) -> tuple[FloatArray, FloatArray, int]:
    """Damped Newton on a (small) batch; returns log prices, errors and iterations.

    A scenario stops at ``err <= target`` (default ``tol``), or below ``tol`` once a step
    no longer improves it (round-off), or when two line searches in a row find no descent
    (a stall: no equilibrium nearby); a stalled scenario keeps its error above ``tol``.
    """
    goal = tol if target is None else target
    a = costs.dense()
    u = np.zeros((costs.nb, base.n)) if u0 is None else u0.copy()
    st = _evaluate(base, costs, u)
    stuck = np.zeros(costs.nb, dtype=np.intp)
    it = 0
    while it < max_iter:
        active = (st.err > goal) & (stuck < 2)
        if not active.any():
            break
        it += 1
        act = np.flatnonzero(active)
        sub = _State(*(getattr(st, k)[act] for k in ("w", "xw", "q", "e_new", "sales", "f", "err")))
        jac = _jacobian(base, a[act], sub)
        step = np.zeros_like(u)
        try:
            step[act] = -np.linalg.solve(jac, sub.f[:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:  # e.g. a country priced out of every market
            step[act] = -(np.linalg.pinv(jac) @ sub.f[:, :, None])[:, :, 0]
        step = np.where(np.isfinite(step), step, 0.0)
        # cap the step in log prices (no overflow), then backtrack on the 2-norm
        step *= np.minimum(1.0, 2.0 / np.maximum(np.abs(step).max(axis=1), 1e-300))[:, None]
        norm0 = np.linalg.norm(st.f, axis=1)
        lam = np.where(active, 1.0, 0.0)
        for _ in range(40):
            trial = _evaluate(base, costs, u + lam[:, None] * step)
            norm1 = np.linalg.norm(trial.f, axis=1)
            bad = ~(norm1 <= (1.0 - 1e-4 * lam) * norm0) & active & (trial.err > goal)
            if not bad.any():
                break
            lam[bad] *= 0.5
        worse = active & ~(trial.err < st.err)
        if goal < tol:  # below tol a step that does not improve is round-off: stop there
            lam[worse & (st.err <= tol)] = 0.0
            stuck[worse & (st.err <= tol)] = 2
        stuck = np.where(active & (lam < 1e-9), stuck + 1, np.where(active, 0, stuck))
        u = u + lam[:, None] * step
        st = _evaluate(base, costs, u)
    return u, st.err, it


#: Threads running the chord's blocks (each with a one-thread BLAS).
_WORKERS = max(1, os.cpu_count() or 1)
#: Scenarios iterated together by the shared-baseline chord (keeps work arrays in cache).
_BLOCK = 512
#: Plain chord steps before the scenarios still running get Anderson mixing.
_PLAIN_STEPS = 6
#: Smallest batch solved by the shared-baseline chord (smaller ones: per-scenario Newton).
_CHORD_MIN = 16
#: Past steps mixed into each chord step (Anderson acceleration memory).
_MEMORY = 5


_BLAS: list[ThreadpoolController] = []


def _one_blas_thread() -> AbstractContextManager[object]:
    """Limit BLAS to one thread (the batched solver parallelises over scenarios instead).

    Many small matrix products from several threads, or per-scenario (N, N) solves, gain
    nothing from BLAS threads and lose much where they wait on a busy machine.
    """
    if not _BLAS:
        _BLAS.append(ThreadpoolController())
    return _BLAS[0].limit(limits=1, user_api="blas")


def _baseline_step(base: _Baseline) -> FloatArray:
    """Return ``-J0^-T``: the chord step of a batch of residuals ``f`` is ``f @ _baseline_step``.

    ``J0`` is the exact Jacobian of the baseline (no shock, ``u = 0``), shared by every
    scenario of a batch.
    """
    one = _Costs(base.pi, *(np.zeros(0, dtype=np.intp),) * 3, np.zeros(0), 1)
    st0 = _evaluate(base, one, np.zeros((1, base.n)))
    jac0 = _jacobian(base, one.dense(), st0)[0]
    try:
        inv = np.linalg.inv(jac0)
    except np.linalg.LinAlgError:  # a country that trades with no one: least squares
        inv = np.linalg.pinv(jac0)
    return np.ascontiguousarray(-inv.T)


def _anderson(
    residual: Callable[[NDArray[np.intp], FloatArray], tuple[FloatArray, FloatArray]],
    nb: int,
    step_t: FloatArray,
    tol: float,
    max_iter: int,
    u0: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray, int]:
    """Chord iterations with a shared Jacobian, Anderson-accelerated, for ``nb`` scenarios.

    ``residual(rows, u)`` returns the scaled residual ``f`` (len(rows), N) and the
    market-clearing error (len(rows),) of scenarios ``rows`` at log prices ``u``, in
    float64 on the exact equilibrium conditions. The fixed-point map is the chord step
    ``G(u) = u + f(u) @ step_t`` with ``step_t = -J0^-T`` of the baseline: one matrix
    product for all scenarios. Anderson acceleration (type II, Walker and Ni 2011) mixes
    the last :data:`_MEMORY` steps of each scenario (a small least-squares problem per
    scenario), which turns the linear rate of the chord into a near-Newton one at no
    extra matrix product. A candidate that does not keep the error within a factor 2 is
    replaced by the plain chord step (safeguard). Scenarios stop at ``err <= tol * 1e-3``
    (or below ``tol`` once no longer improving); one that makes no 10 % progress in 8
    iterations, or leaves the finite range, gets ``err = inf`` (left to damped Newton).
    The iterations start at ``u0`` (default the baseline, ``u = 0``).
    """
    n, m = step_t.shape[0], _MEMORY
    target = tol * 1e-3
    u_out = np.zeros((nb, n)) if u0 is None else u0.copy()
    everyone = np.arange(nb)
    f_all, err_out = residual(everyone, u_out)
    err_out = err_out.copy()
    live = np.flatnonzero(err_out > target)
    u = u_out[live].copy()
    f, err = f_all[live], err_out[live]
    r = f @ step_t
    g = u + r
    hist_r = np.zeros((live.size, m, n))
    hist_g = np.zeros((live.size, m, n))
    best = err.copy()
    since = np.zeros(live.size, dtype=np.intp)
    k = it = 0
    while live.size and it < max_iter:
        it += 1
        used = min(k, m)
        if used:
            rr = hist_r[:, :used]
            mat = rr @ np.swapaxes(rr, 1, 2)
            rhs = (rr @ r[:, :, None])[:, :, 0]
            reg = 1e-12 * np.trace(mat, axis1=1, axis2=2) + 1e-300
            mat += reg[:, None, None] * np.eye(used)
            gam = np.linalg.solve(mat, rhs[:, :, None])[:, :, 0]
            cand = g - np.einsum("lk,lkn->ln", gam, hist_g[:, :used])
        else:
            cand = g.copy()
        with np.errstate(over="ignore", invalid="ignore"):
            fn, en = residual(live, cand)
        worse = ~(en <= 2.0 * err)
        if used and worse.any():  # safeguard: the plain chord point instead
            idx = np.flatnonzero(worse)
            cand[idx] = g[idx]
            with np.errstate(over="ignore", invalid="ignore"):
                fn[idx], en[idx] = residual(live[idx], g[idx])
            hist_r[idx], hist_g[idx] = 0.0, 0.0
        fn = np.where(np.isfinite(fn), fn, 0.0)
        rn = fn @ step_t
        gn = cand + rn
        slot = k % m
        hist_r[:, slot], hist_g[:, slot] = rn - r, gn - g
        k += 1
        u, r, g, err = cand, rn, gn, en
        better = en < 0.9 * best
        since = np.where(better, 0, since + 1)
        best = np.minimum(best, en)
        done = (en <= target) | ((en <= tol) & (since >= 3))
        fail = ~np.isfinite(en) | ((en > tol) & (since >= 8)) | ~np.isfinite(u).all(axis=1)
        fin = done | fail
        if it == max_iter:
            fail |= ~done
            fin[:] = True
        if fin.any():
            u_out[live[done]] = u[done]
            err_out[live[done]] = en[done]
            err_out[live[fail & ~done]] = np.inf  # never mistaken for converged
            keep = np.flatnonzero(~fin)
            live = live[keep]
            u, r, g, err = u[keep], r[keep], g[keep], err[keep]
            hist_r, hist_g = hist_r[keep], hist_g[keep]
            best, since = best[keep], since[keep]
    return u_out, err_out, it


_STATE_FIELDS = ("w", "xw", "q", "e_new", "sales", "f", "err")
#: The fields of a solved state that the results are computed from.
_RESULT_FIELDS = ("w", "xw", "q", "e_new", "sales", "err")


def _empty_state(nb: int, n: int) -> _State:
    """Return a zero :class:`_State` for ``nb`` scenarios of ``n`` countries, to fill in."""
    w, xw, q, e_new, sales, f = (np.zeros((nb, n)) for _ in range(6))
    return _State(w, xw, q, e_new, sales, f, np.zeros(nb))


def _put(
    dst: _State,
    rows: NDArray[np.intp],
    src: _State,
    sel: NDArray[np.intp],
    fields: Sequence[str] = _STATE_FIELDS,
) -> None:
    """Copy the scenarios ``sel`` of ``src`` into rows ``rows`` of ``dst``, in place."""
    for k in fields:
        getattr(dst, k)[rows] = getattr(src, k)[sel]


@dataclass(frozen=True)
class _Chord:
    """The baseline operators every scenario of a batch shares.

    ``step_t = -J0^-T`` (the chord step of residuals ``f`` is ``f @ step_t``) and
    ``first = C @ step_t`` with ``C[j, k] = X_kj / Y_k`` (``k < N - 1``): the chord's
    first step from the baseline is a combination of rows of these two matrices.
    """

    step_t: FloatArray
    first: FloatArray


#: The last baseline's operators (a batch cut into chunks shares them), keyed by its data.
_CHORD_CACHE: dict[bytes, _Chord] = {}


def _chord_operators(base: _Baseline) -> _Chord:
    """Return the shared chord operators of ``base`` (computed once per baseline)."""
    digest = hashlib.blake2b(base.x.tobytes(), digest_size=16)
    digest.update(f"{base.sigma!r}{base.closure}{base.x.shape}".encode())
    key = digest.digest()
    ops = _CHORD_CACHE.get(key)
    if ops is None:
        with _one_blas_thread():  # one (N, N) inverse and product: threads only wait
            step_t = _baseline_step(base)
            c = base.x.T / base.y  # c[j, k] = X_kj / Y_k
            c[:, -1] = 0.0  # the last condition is the normalisation, 0 at the baseline
            ops = _Chord(step_t, c @ step_t)
        _CHORD_CACHE.clear()
        _CHORD_CACHE[key] = ops
    return ops


def _first_step(base: _Baseline, costs: _Costs, ops: _Chord) -> FloatArray:
    """Return the chord's first iterate ``f(0) @ step_t`` without evaluating ``f(0)``.

    At the baseline prices only the shocked cells move: column ``j``'s price index
    becomes ``q_j = 1 + sum d`` over the scenario's cells in column ``j``, so
    ``f_k(0) = (1/q_j - 1) X_kj / Y_k`` summed over those columns, plus
    ``d E_j / (q_j Y_i)`` at each cell's exporter ``i``; its chord step is the same
    combination of rows of ``first`` and ``step_t`` (O(N) per cell instead of a matrix
    product and an evaluation).
    """
    n = base.n
    code = costs.b * n + costs.j
    cols, inv = np.unique(code, return_inverse=True)
    q = 1.0 + np.bincount(inv, weights=costs.d, minlength=cols.size)
    u = np.zeros((costs.nb, n))
    alpha = 1.0 / q - 1.0
    beta = costs.d * base.e[costs.j] / (q[inv] * base.y[costs.i])
    beta[costs.i == n - 1] = 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        for rows, part in ((cols // n, alpha[:, None] * ops.first[cols % n]),
                           (costs.b, beta[:, None] * ops.step_t[costs.i])):
            if rows.size < 2 or bool(np.all(rows[1:] > rows[:-1])):
                u[rows] += part  # one column (cell) per scenario: rows are distinct
            else:
                np.add.at(u, rows, part)
    return u


def _chord_block(
    base: _Baseline,
    costs: _Costs,
    ops: _Chord,
    tol: float,
    max_iter: int,
    u_out: FloatArray,
    out: _State,
) -> int:
    """Shared-baseline chord iterations for the scenarios of one block, in place.

    Every step is ``u += f(u) @ step_t`` with ``step_t = -J0^-T`` of the baseline: one
    matrix product for all scenarios of the block, after the two of the evaluation (the
    first step needs neither, :func:`_first_step`). A scenario stops at
    ``err <= tol * 1e-3`` (or below ``tol`` once three steps no longer improve it by
    10 %); one that makes no 10 % progress in 8 steps, or leaves the finite range, gets
    ``err = inf`` (left to damped Newton). Writes the log prices and the state evaluated
    at them (float64, the exact equilibrium conditions) into ``u_out`` and ``out``;
    returns the number of steps.
    """
    target = tol * 1e-3
    live = np.arange(costs.nb)
    sub = costs
    u = _first_step(base, costs, ops)
    slow = np.zeros(0, dtype=np.intp)
    best = np.full(costs.nb, np.inf)
    since = np.zeros(costs.nb, dtype=np.intp)
    it = 1
    while True:
        with np.errstate(over="ignore", invalid="ignore"):
            st = _evaluate(base, sub, u)
        err = st.err
        better = err < 0.9 * best
        since = np.where(better, 0, since + 1)
        best = np.minimum(best, err)
        done = (err <= target) | ((err <= tol) & (since >= 3))
        fail = ~np.isfinite(err) | ((err > tol) & (since >= 8)) | ~np.isfinite(u).all(axis=1)
        if it >= max_iter:
            fail |= ~done
        if it == _PLAIN_STEPS:  # the slow few: Anderson-accelerated from here on
            slow = np.flatnonzero(~done & ~fail)
            fail |= ~done
        fin = done | fail
        f = st.f
        if fin.any():
            hit = np.flatnonzero(done)
            u_out[live[hit]] = u[hit]
            _put(out, live[hit], st, hit, _RESULT_FIELDS)
            out.err[live[fail & ~done]] = np.inf  # never mistaken for converged
            keep = np.flatnonzero(~fin)
            if slow.size:
                return it + _accelerate(base, costs, ops, tol, max_iter - it, live[slow],
                                        u[slow], u_out, out)
            if not keep.size:
                return it
            live, u, best, since = live[keep], u[keep], best[keep], since[keep]
            f = f[keep]
            sub = costs.take(live)
        it += 1
        f[~np.isfinite(f)] = 0.0
        u += f @ ops.step_t


def _accelerate(
    base: _Baseline,
    costs: _Costs,
    ops: _Chord,
    tol: float,
    max_iter: int,
    rows: NDArray[np.intp],
    u0: FloatArray,
    u_out: FloatArray,
    out: _State,
) -> int:
    """Finish the slowly converging scenarios ``rows`` of a block with Anderson mixing.

    The plain chord contracts by a factor set by how far prices move; for the few
    scenarios still running after :data:`_PLAIN_STEPS` steps, :func:`_anderson` mixes the
    last steps (history arrays only for these). Writes the converged ones' prices and
    state into ``u_out`` and ``out`` (the others get ``err = inf``); returns its steps.
    """
    part = costs.take(rows)
    cache: dict[bytes, _Costs] = {}

    def residual(idx: NDArray[np.intp], v: FloatArray) -> tuple[FloatArray, FloatArray]:
        key = idx.tobytes()
        if key not in cache:  # the live set changes only when scenarios finish
            cache.clear()
            cache[key] = part.take(idx)
        st = _evaluate(base, cache[key], v)
        return st.f, st.err

    u, err, it = _anderson(residual, rows.size, ops.step_t, tol, max(max_iter, 1), u0)
    ok = np.flatnonzero(err <= tol)
    out.err[rows] = np.inf
    if ok.size:
        st = _evaluate(base, part.take(ok), u[ok])
        u_out[rows[ok]] = u[ok]
        _put(out, rows[ok], st, np.arange(ok.size), _RESULT_FIELDS)
    return it


def _chord(
    base: _Baseline,
    costs: _Costs,
    tol: float,
    max_iter: int,
    progress: Callable[[int], None] | None = None,
) -> tuple[FloatArray, _State, int]:
    """Shared-baseline chord over a large batch, block by block (see :func:`_chord_block`).

    Blocks are independent (each writes its own rows), so they run on :data:`_WORKERS`
    threads, each with a one-thread BLAS (numpy's element-wise work then uses every core
    too, and the result does not depend on the number of threads).
    """
    ops = _chord_operators(base)
    u = np.zeros((costs.nb, base.n))
    state = _empty_state(costs.nb, base.n)

    def run(lo: int) -> tuple[slice, int]:
        rows = slice(lo, min(lo + _BLOCK, costs.nb))
        block = costs.take(np.arange(rows.start, rows.stop))
        view = _State(*(getattr(state, k)[rows] for k in _STATE_FIELDS))
        return rows, _chord_block(base, block, ops, tol, max_iter, u[rows], view)

    starts = range(0, costs.nb, _BLOCK)
    iters = 0
    with _one_blas_thread(), ThreadPoolExecutor(max(1, min(_WORKERS, len(starts)))) as pool:
        for done in as_completed([pool.submit(run, lo) for lo in starts]):
            rows, it = done.result()
            iters = max(iters, it)
            if progress:
                progress(int(np.sum(state.err[rows] <= tol)))
    return u, state, iters


def _to_costs(base: _Baseline, t: FloatArray) -> _Costs:
    b, i, j = np.nonzero(t != 1.0)
    return _Costs(base.pi, b, i, j, t[b, i, j], t.shape[0])


def _moved(costs: _Costs) -> NDArray[np.bool_]:
    """Scenarios that change at least one cell with baseline trade, (B,).

    A cost change on a cell without baseline flow changes nothing (its share stays 0):
    such a scenario's equilibrium is the baseline itself.
    """
    moved = np.zeros(costs.nb, dtype=bool)
    moved[costs.b[costs.d != 0.0]] = True
    return moved


def _polish(
    base: _Baseline,
    costs: _Costs,
    tol: float,
    max_iter: int,
    u: FloatArray,
    st: _State,
    chunk: int,
) -> None:
    """Newton steps, in place, for the scenarios the chord left between ``tol * 1e-3`` and ``tol``.

    The chord accepts a scenario whose error stalls below ``tol``; a slowly contracting
    chord can stall there well above round-off, and the answer is then off by the
    error's condition number times ``tol`` (about 1e-9 percentage points on a lopsided
    sparse world). Newton from the chord's point reaches the one-at-a-time answer;
    it never makes a scenario worse (a step that does not improve one below ``tol``
    is not taken).
    """
    rows = np.flatnonzero((st.err <= tol) & (st.err > tol * 1e-3))
    with _one_blas_thread():
        for start in range(0, rows.size, chunk):
            sel = rows[start : start + chunk]
            sub = costs.take(sel)
            u_s, err_s, _ = _newton(base, sub, tol, max_iter, u0=u[sel], target=tol * 1e-3)
            better = err_s < st.err[sel]
            if not better.any():
                continue
            sel, u_s = sel[better], u_s[better]
            u[sel] = u_s
            _put(st, sel, _evaluate(base, costs.take(sel), u_s), np.arange(sel.size))


def _solve_costs(
    base: _Baseline,
    costs: _Costs,
    tol: float,
    max_iter: int,
    progress: Callable[[int], None] | None = None,
    screened: bool = False,
) -> tuple[FloatArray, FloatArray, int, _State]:
    """Solve every scenario of ``costs`` for log factory prices (world output numeraire).

    A scenario that changes no traded cell is the baseline (not iterated); one that
    provably has no equilibrium (:func:`_stranded`, :func:`_split`) is never solved.
    Batches of at least :data:`_CHORD_MIN` scenarios (or too large for dense Newton) run
    the shared-baseline chord first; what it hands back, and every scenario of a small
    batch, goes to damped Newton and then, if that stalls, to continuation. Scenarios
    that still do not clear keep ``err > tol`` (the caller decides whether that raises);
    ``progress`` is called with the number of scenarios finished at each step (``screened``:
    the scenarios are known to move and to have an equilibrium). Returns log prices,
    errors, iterations and the evaluated state at the prices.
    """
    n = base.n
    if screened:
        skip = failed = np.zeros(costs.nb, dtype=bool)
    else:
        failed = _stranded(base, costs) | _split(base, costs)
        skip = ~_moved(costs) | failed
    if skip.any():
        u = np.zeros((costs.nb, n))
        st = _empty_state(costs.nb, n)
        keep = np.flatnonzero(~skip)
        iters = 0
        if keep.size:
            u_k, _, iters, st_k = _solve_costs(base, costs.take(keep), tol, max_iter, progress,
                                               screened=True)
            u[keep] = u_k
            _put(st, keep, st_k, np.arange(keep.size))
        none = _Costs(base.pi, *(np.zeros(0, dtype=np.intp),) * 3, np.zeros(0), 1)
        st0 = _evaluate(base, none, np.zeros((1, n)))  # the baseline, for every skipped one
        for k in _STATE_FIELDS:
            getattr(st, k)[skip] = getattr(st0, k)[0]
        st.err[failed] = np.inf  # no equilibrium to look for: reported as failed
        if progress:
            progress(int(skip.sum()))
        return u, st.err, iters, st
    shared = costs.nb >= _CHORD_MIN or costs.nb * n * n > _DENSE_CELLS
    if shared:
        u, st, iters = _chord(base, costs, tol, max_iter, progress)
    else:
        u, st, iters = np.zeros((costs.nb, n)), _empty_state(costs.nb, n), 0
        st.err[:] = np.inf
    rows = np.flatnonzero(~(st.err <= tol))
    chunk = max(1, _DENSE_CELLS // (n * n))
    if shared:
        _polish(base, costs, tol, max_iter, u, st, chunk)
    with _one_blas_thread():  # per-scenario (N, N) solves
        for start in range(0, rows.size, chunk):
            sel = rows[start : start + chunk]
            sub = costs.take(sel)
            target = tol * 1e-3 if shared else None
            u_s, err_s, it_s = _newton(base, sub, tol, max_iter, target=target)
            bad = ~(err_s <= tol)
            if shared and bad.any():
                # aiming below tol, the line search refuses steps that clear to tol but not
                # the 2-norm test: a scenario can then stall above tol that Newton aiming at
                # tol solves (as one alone, in solve_ge); the better of the two is kept
                redo = np.flatnonzero(bad)
                u_r, err_r, it_r = _newton(base, sub.take(redo), tol, max_iter)
                won = err_r < err_s[redo]
                u_s[redo[won]], err_s[redo[won]] = u_r[won], err_r[won]
                it_s += it_r
                bad = ~(err_s <= tol)
            if bad.any():
                u_s[bad], err_s[bad], it_h = _homotopy(
                    base, sub.take(np.flatnonzero(bad)), tol, max_iter
                )
                it_s += it_h
            u[sel] = u_s
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                st_s = _evaluate(base, sub, np.where(np.isfinite(u_s), u_s, 0.0))
            st_s.err[:] = err_s  # the error judged (of the iterate Newton stopped at)
            _put(st, sel, st_s, np.arange(sel.size))
            iters = max(iters, it_s)
            if progress:
                progress(sel.size)
    return u, st.err, iters, st


def _homotopy(
    base: _Baseline, costs: _Costs, tol: float, max_iter: int, stages: int = 20
) -> tuple[FloatArray, FloatArray, int]:
    """Continuation for shocks Newton cannot reach from the baseline: apply in stages.

    A scenario that fails a stage (no equilibrium along the path) stops there with its
    error, instead of running every later stage.
    """
    u = np.zeros((costs.nb, base.n))
    err = np.full(costs.nb, np.inf)
    alive = np.arange(costs.nb)
    total = 0
    for s in np.linspace(1.0 / stages, 1.0, stages):
        part = costs.take(alive)
        part = _Costs(base.pi, part.b, part.i, part.j, 1.0 + s * (part.t - 1.0), part.nb)
        last = s == 1.0
        u_a, err_a, it = _newton(base, part, tol if last else 1e-8, max_iter, u0=u[alive])
        u[alive], err[alive] = u_a, err_a
        total += it
        if not last:
            alive = alive[err_a <= 1e-8]
            if not alive.size:
                break
    return u, err, total


def _baseline(
    flows: ArrayLike, sigma: float, closure: Closure, countries: Sequence[str] | None
) -> _Baseline:
    x = np.asarray(flows, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] != x.shape[1]:
        raise InvalidDataError(
            f"the flow matrix must be square (N x N), got shape {x.shape}",
            field="flows",
            fix="pass exporter rows by importer columns, domestic sales on the diagonal",
        )
    n = x.shape[0]
    names = list(countries) if countries is not None else [f"#{k}" for k in range(n)]
    if len(names) != n:
        raise InvalidDataError(
            f"{len(names)} country codes for a {n} x {n} flow matrix",
            field="countries",
            fix="give one code per row/column of the flow matrix",
        )
    bad = ~np.isfinite(x)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise InvalidDataError(
            f"flow {names[i]}->{names[j]} is {x[i, j]} (missing or not finite)",
            field=f"flows[{names[i]},{names[j]}]",
            fix="fill missing pairs with observed values or 0 for no trade",
        )
    if (x < 0).any():
        i, j = np.argwhere(x < 0)[0]
        raise InvalidDataError(
            f"flow {names[i]}->{names[j]} is negative ({x[i, j]})",
            field=f"flows[{names[i]},{names[j]}]",
            fix="trade flows must be >= 0",
        )
    y, e = x.sum(axis=1), x.sum(axis=0)
    for what, v in (("output", y), ("expenditure", e)):
        if (v <= 0).any():
            k = int(np.argmin(v))
            raise InvalidDataError(
                f"{names[k]} has zero {what} (its {'row' if what == 'output' else 'column'}"
                " of the flow matrix sums to 0)",
                field=f"flows[{names[k]}]",
                fix="drop that country or add its domestic sales on the diagonal",
            )
    # Countries that trade (directly or through others) with no one outside their group: the
    # price level of one group relative to another is not determined, so under fixed
    # deficits even real GDP has a continuum of equilibria (found by Hypothesis: two solvers
    # returned two of them). Each group must be solved on its own, or linked (a ROW unit).
    link = (x + x.T) > 0
    np.fill_diagonal(link, False)
    groups, label = connected_components(link, directed=False)
    if groups > 1:
        parts = [[names[k] for k in np.flatnonzero(label == g)] for g in range(groups)]
        shown = "; ".join(", ".join(p[:5]) + (" ..." if len(p) > 5 else "") for p in parts[:3])
        raise InvalidDataError(
            f"the flow matrix falls into {groups} groups of countries that do not trade with "
            f"each other ({shown}): their relative prices are not determined",
            field="flows",
            fix="solve each group on its own, or add a rest-of-the-world unit that trades "
            "with them")
    if not (np.isfinite(sigma) and sigma > 1.0):
        raise InvalidDataError(
            f"the elasticity of substitution must be > 1, got {sigma}",
            field="sigma",
            fix="use a trade elasticity sigma > 1 (typical values 4-8)",
        )
    if closure not in ("fixed_share", "proportional"):
        raise InvalidDataError(
            f"unknown closure {closure!r}",
            field="closure",
            fix="use 'fixed_share' or 'proportional'",
        )
    return _Baseline(pi=x / e, y=y, e=e, x=x, sigma=float(sigma), closure=closure)


def _reference_index(reference: int | str, countries: Sequence[str] | None, n: int) -> int:
    if isinstance(reference, str):
        if countries is None or reference not in countries:
            raise UnknownCodeError(
                f"reference country {reference!r} is not in the data",
                field="reference",
                fix="pick one of the countries of the flow matrix",
            )
        return list(countries).index(reference)
    if not (0 <= int(reference) < n):
        raise UnknownCodeError(
            f"reference index {reference} is outside 0..{n - 1}",
            field="reference",
            fix="pass the index (or code) of a country in the flow matrix",
        )
    return int(reference)


def _cost_change(tau_hat: ArrayLike, n: int, sigma: float) -> tuple[FloatArray, bool]:
    tau = np.asarray(tau_hat, dtype=np.float64)
    single = tau.ndim == 2
    if single:
        tau = tau[None]
    if tau.ndim != 3 or tau.shape[1:] != (n, n):
        raise InvalidDataError(
            f"tau_hat must have shape (N, N) or (B, N, N) with N = {n}, got {tau.shape}",
            field="tau_hat",
            fix="give one trade-cost change factor per ordered country pair",
        )
    if np.isnan(tau).any() or (tau <= 0).any():
        b, i, j = np.argwhere(np.isnan(tau) | (tau <= 0))[0]
        raise InvalidDataError(
            f"tau_hat[{b}, {i}, {j}] = {tau[b, i, j]}; cost changes must be > 0",
            field="tau_hat",
            fix="use 1 for no change, >1 for higher costs, np.inf for an embargo",
        )
    with np.errstate(divide="ignore", over="ignore"):
        t = tau ** (1.0 - sigma)  # inf -> 0: embargoed flows are exactly zero
    return t, single


def _partners_left(base: _Baseline, costs: _Costs) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Foreign buyers and foreign suppliers each country keeps in each scenario, (B, N) each.

    A partner is lost where the shock sets an off-diagonal cell with baseline trade to
    exactly zero (an embargo).
    """
    off = ~np.eye(base.n, dtype=bool)
    traded = (base.pi > 0) & off
    cut = (costs.t == 0.0) & (costs.i != costs.j) & (base.pi[costs.i, costs.j] > 0)
    size = costs.nb * base.n
    lost_b = np.bincount(costs.b[cut] * base.n + costs.i[cut], minlength=size)
    lost_s = np.bincount(costs.b[cut] * base.n + costs.j[cut], minlength=size)
    buyers = traded.sum(axis=1)[None] - lost_b.reshape(costs.nb, base.n)
    sellers = traded.sum(axis=0)[None] - lost_s.reshape(costs.nb, base.n)
    return buyers, sellers


def _stranded(base: _Baseline, costs: _Costs) -> NDArray[np.bool_]:
    """Scenarios that provably have no equilibrium under the fixed-share closure, (B,).

    With the deficit ``D = E - Y`` fixed in world-output units, a surplus country with no
    foreign buyer left would have to sell its surplus to no one, and a deficit country
    with no foreign supplier left would have to buy its deficit from no one.
    """
    out = np.zeros(costs.nb, dtype=bool)
    if base.closure != "fixed_share" or not costs.b.size:
        return out
    n = base.n
    cut = (costs.t == 0.0) & (costs.i != costs.j) & (base.pi[costs.i, costs.j] > 0)
    traded = (base.pi > 0) & ~np.eye(n, dtype=bool)
    # only a country that lost partners can be left without any (a surplus needs a buyer
    # and a deficit a supplier at the baseline): O(cells), not O(B N)
    for who, had, short in ((costs.i, traded.sum(axis=1), base.e < base.y),
                            (costs.j, traded.sum(axis=0), base.e > base.y)):
        code, lost = np.unique(costs.b[cut] * n + who[cut], return_counts=True)
        c = code % n
        out[code[(had[c] == lost) & short[c]] // n] = True
    return out


#: The last baseline's trade links and the links that alone hold it together (bridges).
_LINK_CACHE: dict[bytes, tuple[NDArray[np.bool_], NDArray[np.intp], NDArray[np.intp]]] = {}


def _links(base: _Baseline) -> tuple[NDArray[np.bool_], NDArray[np.intp], NDArray[np.intp]]:
    """Return the baseline's trade links, its spanning-tree links and its bridges.

    Links are undirected, (N, N) booleans; tree links and bridges (links whose loss alone
    splits the world) are codes ``min * N + max``. Only the N - 1 links of one spanning
    tree can be bridges, so N - 1 connectivity checks once per baseline find them all.
    """
    key = hashlib.blake2b(base.x.tobytes(), digest_size=16).digest()
    found = _LINK_CACHE.get(key)
    if found is None:
        n = base.n
        link = (base.x + base.x.T) > 0
        np.fill_diagonal(link, False)
        tree = breadth_first_tree(csr_matrix(link), 0, directed=False).tocoo()
        lo, hi = np.minimum(tree.row, tree.col), np.maximum(tree.row, tree.col)
        graph = csr_matrix(link.astype(np.int8))
        bridge = np.zeros(lo.size, dtype=bool)
        for e in range(lo.size):  # N - 1 tree links, once per baseline
            g = graph.copy()
            g[lo[e], hi[e]] = g[hi[e], lo[e]] = 0
            g.eliminate_zeros()
            bridge[e] = connected_components(g, directed=False)[0] > 1
        codes = (lo * n + hi).astype(np.intp)
        found = (link, codes, codes[bridge])
        _LINK_CACHE.clear()
        _LINK_CACHE[key] = found
    return found


def _split_groups(base: _Baseline, costs: _Costs) -> dict[int, NDArray[np.intp]]:
    """Scenarios whose embargoes split the world into groups that no longer trade.

    Returns, for each such scenario, the group label of every country (N,). A scenario
    that loses one link splits the world when that link is a bridge (:func:`_links`);
    one that loses several, among them a spanning-tree link, is checked on its own graph.
    """
    n = base.n
    cut = (costs.t == 0.0) & (costs.i != costs.j) & (base.pi[costs.i, costs.j] > 0)
    if not cut.any():
        return {}
    b, i, j = costs.b[cut], costs.i[cut], costs.j[cut]
    code = (b * n + i) * n + j
    # the link {i, j} is lost when the other direction has no flow or is cut as well
    lost = (base.pi[j, i] == 0) | np.isin((b * n + j) * n + i, code)
    if not lost.any():
        return {}
    b, i, j = b[lost], i[lost], j[lost]
    edge = np.minimum(i, j) * n + np.maximum(i, j)
    link, tree, bridges = _links(base)
    one = np.bincount(b, minlength=costs.nb) == 1  # (both directions of a link count twice
    first = np.zeros(costs.nb, dtype=np.intp)      # when cut: checked on their graph)
    first[b] = edge
    check = set(np.flatnonzero(one & np.isin(first, bridges)).tolist())
    check |= set(np.unique(b[~one[b] & np.isin(edge, tree)]).tolist())
    out: dict[int, NDArray[np.intp]] = {}
    for k in sorted(check):  # only scenarios that split the world, or may
        g = link.copy()
        sel = b == k
        g[i[sel], j[sel]] = g[j[sel], i[sel]] = False
        groups, label = connected_components(g, directed=False)
        if groups > 1:
            out[int(k)] = label
    return out


def _split(base: _Baseline, costs: _Costs) -> NDArray[np.bool_]:
    """Scenarios that split the world under fixed deficits: no determinate equilibrium, (B,).

    A group of countries that no longer trades with the others must spend what it earns.
    With deficits held fixed in world-output units (``fixed_share``) it then has no
    equilibrium, or (when its deficits sum to zero) a continuum of them whose real GDP
    differs; and even without deficits the groups' relative price level is not
    determined. Under the proportional closure real GDP within each group is determined
    (the groups' relative nominal level is a convention); a split that the solver cannot
    clear is then reported with this reason (:func:`_failure_reasons`).
    """
    out = np.zeros(costs.nb, dtype=bool)
    if base.closure == "fixed_share":
        out[list(_split_groups(base, costs))] = True
    return out


def _failure_reasons(
    base: _Baseline,
    costs: _Costs,
    u: FloatArray,
    err: FloatArray,
    rows: NDArray[np.intp],
    countries: Sequence[str] | None,
    iters: int,
) -> list[str]:
    """Say why each scenario of ``rows`` has no solution (one sentence each).

    Fixed-share closure: a surplus country left without any foreign buyer cannot earn its
    surplus, a deficit country left without any foreign supplier cannot spend its deficit
    (:func:`_stranded`). Proportional closure, at the last iterate: a country with no
    foreign buyer asked to spend less than it earns, or one with no foreign supplier
    asked to spend more, because the world spending factor ``k`` moved. Otherwise the
    residual reached is reported.
    """
    names = list(countries) if countries is not None else [f"#{k}" for k in range(base.n)]
    sub = costs.take(rows)
    buyers, sellers = _partners_left(base, sub)
    ub = np.where(np.isfinite(u[rows]), u[rows], 0.0)
    w = np.exp(np.clip(ub, -700.0, 700.0)) * base.y
    phi = base.e / base.y
    k_world = w.sum(axis=1) / (phi * w).sum(axis=1)
    fixed = base.closure == "fixed_share"
    split = _split_groups(base, sub)
    balanced = bool(np.all(np.abs(base.e - base.y) <= 1e-9 * base.y))
    out = []
    for r in range(rows.size):
        no_buyer = np.flatnonzero((buyers[r] == 0) & (phi < 1.0))
        no_seller = np.flatnonzero((sellers[r] == 0) & (phi > 1.0))
        low = (buyers[r] == 0) & (phi * k_world[r] < 1.0)
        high = (sellers[r] == 0) & (phi * k_world[r] > 1.0)
        if r in split and not (fixed and (no_buyer.size or no_seller.size)):
            label = split[r]
            small = np.flatnonzero(label != np.bincount(label).argmax())
            shown = ", ".join(names[c] for c in small[:6]) + (" ..." if small.size > 6 else "")
            head = (f"the shock cuts the last trade link between {shown} and the other "
                    "countries")
            if fixed and not balanced:
                out.append(
                    f"no equilibrium: {head}; with deficits held fixed (closure='fixed_share')"
                    " a group that trades with no one else has no equilibrium, or (its "
                    "deficits summing to zero) a continuum of them with different real GDP:"
                    " solve each group on its own")
            else:
                out.append(
                    f"no unique equilibrium: {head}, so the groups' relative price level is "
                    "not determined (the solver does not fix it): solve each group on its own")
        elif fixed and no_buyer.size:
            c = int(no_buyer[0])
            out.append(
                f"no equilibrium: {names[c]} runs a trade surplus ({100 * (1 - phi[c]):.3g}% of "
                "its output) but has no foreign buyer left, so it cannot earn it"
            )
        elif fixed and no_seller.size:
            c = int(no_seller[0])
            out.append(
                f"no equilibrium: {names[c]} runs a trade deficit ({100 * (phi[c] - 1):.3g}% of "
                "its output) but has no foreign supplier left, so it cannot spend it"
            )
        elif not fixed and (low.any() or high.any()):
            c = int(np.flatnonzero(low | high)[0])
            what = "sells nothing abroad" if low[c] else "buys nothing abroad"
            goal = "less" if low[c] else "more"
            out.append(
                f"no equilibrium under the proportional closure: {names[c]} {what}, but "
                f"holding spending/income at phi x k (world factor k = {k_world[r]:.6g}) asks "
                f"it to spend {goal} than it earns; closure='fixed_share' holds deficits "
                "instead"
            )
        else:
            c = int(np.argmax(np.abs(ub[r])))
            out.append(
                f"not converged: market-clearing residual {err[rows[r]]:.3g} after {iters} "
                f"iterations; largest price change {names[c]} (x{np.exp(ub[r, c]):.3g}, "
                f"{int(buyers[r, c])} foreign buyers and {int(sellers[r, c])} suppliers left)"
            )
    return out


def _finish(
    base: _Baseline,
    costs: _Costs,
    u: FloatArray,
    st: _State,
    iters: int,
    *,
    tol: float,
    reference: int,
    normalise: Normalise,
    countries: Sequence[str] | None,
    keep_flows: bool,
    single: bool,
    mark: bool = False,
) -> GEResult:
    """Turn solved log prices and the state evaluated there into results.

    The numeraire is applied by scaling: every nominal quantity is homogeneous of degree
    one in prices, so the results at the normalised prices are the solved point's times
    one factor per scenario (no re-evaluation, hence the residual reported is exactly the
    one judged). A scenario that changes no traded cell is the baseline: its changes are
    exactly zero.
    """
    err = st.err
    bad = ~(err <= tol) | ~np.isfinite(u).all(axis=1)
    reasons = [""] * costs.nb
    if bad.any():
        rows = np.flatnonzero(bad)
        why = _failure_reasons(base, costs, u, err, rows[: None if mark else 1], countries, iters)
        if not mark:
            k = int(rows[0])
            raise ConvergenceError(
                f"{int(bad.sum())} of {costs.nb} counterfactuals did not clear markets to "
                f"{tol:g} after {iters} iterations (scenario {k}: residual {err[k]:.3g}; "
                f"{why[0]})",
                field="tau_hat",
                fix="with closure='fixed_share' a country whose fixed trade surplus exceeds what "
                "it can still export has no equilibrium: use closure='proportional'; otherwise "
                "raise max_iter or loosen tol",
            )
        for row, text in zip(rows, why, strict=True):
            reasons[int(row)] = text
    good = ~bad
    if not (np.all(np.isfinite(st.w[good])) and np.all(st.w[good] > 0)):
        raise ConvergenceError(
            "the solver produced a non-positive or non-finite factory price",
            field="tau_hat",
            fix="check the shock and the baseline flows",
        )
    pct = {k: np.empty((costs.nb, base.n)) for k in _PCT_FIELDS}

    def run(lo: int) -> None:
        rows = slice(lo, min(lo + _BLOCK, costs.nb))
        part = _State(*(getattr(st, k)[rows] for k in _STATE_FIELDS))
        block = costs.take(np.arange(rows.start, rows.stop))
        for k, v in _changes(base, block, u[rows], part, good[rows], reference,
                             normalise).items():
            pct[k][rows] = v

    starts = range(0, costs.nb, _BLOCK)
    with ThreadPoolExecutor(max(1, min(_WORKERS, len(starts)))) as pool:
        for done in [pool.submit(run, lo) for lo in starts]:
            done.result()
    flows = None
    if keep_flows:
        c = np.exp(-_numeraire_shift(base, u, st, good, reference, normalise))[:, None]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            flows = costs.dense() * (st.xw[:, :, None] * (st.e_new / st.q * c)[:, None, :])
    still = ~_moved(costs) & good  # the baseline itself: no change at all
    if still.any():
        for v in pct.values():
            v[still] = 0.0
        if flows is not None:
            flows[still] = base.x
    res = GEResult(
        countries=tuple(countries) if countries is not None else None,
        reference=reference,
        sigma=base.sigma,
        **pct,
        flows=flows,
        residual=err,
        iterations=iters,
        converged=not bad.any(),
        scenario_converged=~bad if mark else None,
        failure_reasons=tuple(reasons) if mark else None,
    )
    if mark and bad.any():
        nan = {
            k: np.where(bad.reshape((-1,) + (1,) * (v.ndim - 1)), np.nan, v)
            for k, v in res.__dict__.items()
            if k.endswith("_pct") or (k == "flows" and v is not None)
        }
        nan["residual"] = err
        res = GEResult(**{**res.__dict__, **nan})
    if single:
        res = GEResult(
            **{k: (v[0] if isinstance(v, np.ndarray) else v) for k, v in res.__dict__.items()}
        )
    return res


_PCT_FIELDS = ("factory_price_pct", "real_gdp_pct", "exports_pct", "imports_pct",
               "inward_mr_pct", "outward_mr_pct")


def _numeraire_shift(
    base: _Baseline,
    u: FloatArray,
    st: _State,
    good: NDArray[np.bool_],
    reference: int,
    normalise: Normalise,
) -> FloatArray:
    """Return the log price shift of each scenario that puts it in the numeraire, (B,)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if normalise == "consumer_price":
            shift = np.log(st.q[:, reference]) / (1.0 - base.sigma)
        elif normalise == "factory_price":
            shift = u[:, reference].copy()
        else:
            shift = np.zeros(u.shape[0])
    return np.where(good, shift, 0.0)


def _changes(
    base: _Baseline,
    costs: _Costs,
    u: FloatArray,
    st: _State,
    good: NDArray[np.bool_],
    reference: int,
    normalise: Normalise,
) -> dict[str, FloatArray]:
    """Percent changes of every country in each scenario, from its solved state.

    Nominal quantities are scaled by ``c = exp(-shift)`` into the numeraire; real GDP
    ``w / P`` does not depend on it.
    """
    sig1 = 1.0 - base.sigma
    c = np.exp(-_numeraire_shift(base, u, st, good, reference, normalise))[:, None]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        p_solved = np.exp(np.log(st.q) / sig1)
        r = st.e_new / st.q
        yw_hat = (st.w * base.y).sum(axis=1, keepdims=True) / base.yw
        # Pi_i^(1-sigma) change: sum_j (X_ij / Y_i) t_ij (E'_j / E_j) / Q_j / Yw_hat, where
        # sum_j A_ij r_j = sales_i / x_i
        omr = st.sales / st.xw / base.y / yw_hat
        sales_dom = st.xw * base.pi.diagonal() * _diag_t(costs) * r
        dom = np.diag(base.x)
        exports = 100.0 * ((st.w * base.y - sales_dom) * c / (base.y - dom) - 1.0)
        imports = 100.0 * ((st.e_new - sales_dom) * c / (base.e - dom) - 1.0)
        return {
            "factory_price_pct": 100.0 * (st.w * c - 1.0),
            "real_gdp_pct": 100.0 * (st.w / p_solved - 1.0),
            "exports_pct": exports,
            "imports_pct": imports,
            "inward_mr_pct": 100.0 * (p_solved * c - 1.0),
            "outward_mr_pct": 100.0 * (np.exp(np.log(omr) / sig1) / c - 1.0),
        }


def _diag_t(costs: _Costs) -> FloatArray:
    """Return the domestic cost changes ``t[b, i, i]`` as a (B, N) array."""
    t = np.ones((costs.nb, costs.n))
    on = costs.i == costs.j
    t[costs.b[on], costs.i[on]] = costs.t[on]
    return t


def solve_ge(
    flows: ArrayLike,
    tau_hat: ArrayLike,
    sigma: float,
    *,
    reference: int | str = 0,
    countries: Sequence[str] | None = None,
    closure: Closure = "proportional",
    normalise: Normalise = "consumer_price",
    tol: float = 1e-10,
    max_iter: int = 100,
    keep_flows: bool = True,
    progress: Callable[[int], None] | None = None,
) -> GEResult:
    """Solve the full-endowment general equilibrium of a trade-cost shock exactly.

    Parameters
    ----------
    flows
        Baseline flow matrix, shape (N, N), USD (any one currency unit): exporter rows,
        importer columns, domestic sales on the diagonal. Flows must be finite and >= 0,
        every row and column sum (output, expenditure) > 0.
    tau_hat
        Change factor of iceberg trade costs ``tau'/tau`` per ordered pair, shape (N, N)
        for one counterfactual or (B, N, N) for a batch. 1 = no change; ``np.inf`` =
        prohibitive (embargo: the flow becomes exactly zero). A change of the gravity
        term ``exp(beta * dummy)`` is ``tau_hat = exp(beta / (1 - sigma))``.
    sigma
        Elasticity of substitution between origins (dimensionless, > 1; the trade
        elasticity is ``sigma - 1``).
    reference
        Index or code of the reference country (numeraire, see ``normalise``).
    countries
        Country codes in matrix order; used to name culprits in errors and results.
    closure
        How expenditure follows income: ``"proportional"`` (default; ``E_j / Y_j`` fixed up
        to one world-wide factor, as Yotov et al. 2016 and gegravity; always has a
        solution) or ``"fixed_share"`` (deficits fixed as a share of world output,
        Dekle-Eaton-Kortum; may have no solution when an embargo cuts most exports of a
        surplus country).
    normalise
        Numeraire: ``"consumer_price"`` (the reference's inward multilateral resistance is
        unchanged, as Yotov et al. and gegravity), ``"factory_price"`` (the reference's
        factory price is unchanged) or ``"world_output"`` (world nominal output unchanged).
    tol
        Largest allowed market-clearing error ``|sales_i - Y'_i| / Y'_i``.
    max_iter
        Largest number of Newton iterations.
    keep_flows
        Whether to return the counterfactual flow matrices (B x N x N floats).
    progress
        Called with the number of counterfactuals finished, as they finish (e.g. to
        advance a progress bar).

    Returns
    -------
    GEResult
        Percent changes per country, counterfactual flows (USD) and diagnostics.

    Raises
    ------
    InvalidDataError
        Malformed flows, ``tau_hat`` or ``sigma <= 1``.
    UnknownCodeError
        Unknown reference country.
    ConvergenceError
        If any counterfactual does not clear markets to ``tol``.
    """
    base = _baseline(flows, sigma, closure, countries)
    ref = _reference_index(reference, countries, base.n)
    t, single = _cost_change(tau_hat, base.n, base.sigma)
    costs = _to_costs(base, t)
    u, _, iters, st = _solve_costs(base, costs, tol, max_iter, progress)
    return _finish(
        base,
        costs,
        u,
        st,
        iters,
        tol=tol,
        reference=ref,
        normalise=normalise,
        countries=countries,
        keep_flows=keep_flows,
        single=single,
    )


def _cell_shocks(
    pairs: ArrayLike, tau_hat: ArrayLike, n: int, sigma: float
) -> tuple[NDArray[np.intp], FloatArray, int]:
    """Validate the shocked cells: return (B, E, 2) indices, (B, E) ``t`` and B."""
    p = np.asarray(pairs, dtype=np.intp)
    if p.ndim == 3 and p.shape[2] == 2:
        many = True
    elif p.size % 2 == 0 and ((p.ndim == 2 and p.shape[1] == 2) or p.ndim <= 1):
        many = False
        p = p.reshape(-1, 1, 2)
    else:
        raise InvalidDataError(
            f"pairs must have shape (B, 2) or (B, E, 2), got {p.shape}",
            field="pairs",
            fix="give (exporter, importer) per scenario, or E of them per scenario",
        )
    nb, ne = p.shape[0], p.shape[1]
    if p.size and (p.min() < 0 or p.max() >= n):
        raise InvalidDataError(
            "pair index out of range", field="pairs", fix=f"use indices in 0..{n - 1}"
        )
    tau = cost_changes_per_cell(tau_hat, nb, ne, per_cell=many)
    if np.isnan(tau).any() or (tau <= 0).any():
        raise InvalidDataError(
            "cost changes must be > 0", field="tau_hat", fix="use np.inf for an embargo"
        )
    with np.errstate(divide="ignore"):
        t = tau ** (1.0 - sigma)
    if ne > 1:
        # a cell shocked twice in one scenario would be counted twice (t = 1 is padding)
        code = np.where(t != 1.0, p[:, :, 0] * n + p[:, :, 1], -1 - np.arange(ne))
        srt = np.sort(code, axis=1)
        dup = (srt[:, 1:] == srt[:, :-1]).any(axis=1)
        if dup.any():
            k = int(np.flatnonzero(dup)[0])
            raise InvalidDataError(
                f"scenario {k} shocks the same ordered pair more than once",
                field=f"pairs[{k}]",
                fix="list each (exporter, importer) cell once per scenario; combine the "
                "cost changes by multiplying them",
            )
    return p, t, nb


def cost_changes_per_cell(
    tau_hat: ArrayLike, nb: int, ne: int, per_cell: bool = False
) -> FloatArray:
    """Iceberg cost changes ``tau_hat`` (unitless factors) as one per scenario and cell.

    A scalar applies to every cell; a 1-D array of length ``nb`` gives one factor per
    scenario, the same for its cells; with ``per_cell`` a 1-D array of another length is
    one factor per cell, the same in every scenario; a (B, E) array is taken as it is.
    Returns a read-only (nb, ne) view; a shape that does not fit is an
    :class:`InvalidDataError` naming ``tau_hat``.
    """
    tau = np.asarray(tau_hat, dtype=np.float64)
    if tau.ndim == 1 and (not per_cell or tau.shape[0] == nb):
        tau = tau[:, None]
    try:
        return np.broadcast_to(tau, (nb, ne))
    except ValueError as exc:
        raise InvalidDataError(
            f"tau_hat of shape {np.shape(tau_hat)} does not fit {nb} scenarios of {ne} cells",
            field="tau_hat",
            fix="give a scalar, one value per scenario (B,) or one per cell (B, E)",
        ) from exc


def solve_pair_shocks(
    flows: ArrayLike,
    pairs: ArrayLike,
    tau_hat: ArrayLike,
    sigma: float,
    *,
    reference: int | str = 0,
    countries: Sequence[str] | None = None,
    closure: Closure = "proportional",
    normalise: Normalise = "consumer_price",
    tol: float = 1e-10,
    max_iter: int = 100,
    chunk: int = 8192,
    on_failure: Literal["raise", "nan"] = "raise",
    progress: Callable[[int], None] | None = None,
) -> GEResult:
    """Solve a batch of counterfactuals that each change a few cells' trade costs.

    The memory-light path for e.g. every bilateral embargo among N countries, one-way or
    two-way: no (B, N, N) array is formed (flows are not returned). Each scenario shocks
    one ordered pair (``pairs`` of shape (B, 2)) or a small set of ``E`` ordered pairs
    (shape (B, E, 2), e.g. both directions of a pair for a two-way embargo); the cost is
    O(B (N^2 + E)) time per iteration and O(B (N + E)) memory.

    Every scenario shares the baseline: large batches iterate the chord step with the
    baseline Jacobian (one LU for the batch, one matrix product per step for all
    scenarios), Anderson-accelerated per scenario, in blocks of :data:`_BLOCK`; residuals
    are checked in float64 on the exact equilibrium conditions. A scenario the chord
    cannot finish goes to damped Newton with its own Jacobian, then to continuation.

    Parameters
    ----------
    flows
        Baseline flow matrix (N, N), USD, as in :func:`solve_ge`.
    pairs
        Integer array of ``(exporter, importer)`` indices: (B, 2), one cell per scenario,
        or (B, E, 2), ``E`` cells per scenario. A cell may appear only once per scenario;
        cells with ``tau_hat = 1`` are no-ops (use them to pad shorter scenarios).
    tau_hat
        Cost change factor (``np.inf`` = embargo): scalar, one per scenario (B,), or with
        (B, E, 2) pairs one per cell (B, E).
    sigma
        Elasticity of substitution (> 1).
    reference, countries, closure, normalise, tol, max_iter
        As in :func:`solve_ge`.
    chunk
        Scenarios solved together (bounds memory at about ``chunk * N * 80`` bytes).
    on_failure
        ``"raise"`` (default): ConvergenceError if any scenario does not clear every
        market to ``tol``. ``"nan"``: such scenarios get NaN results, and the result's
        ``scenario_converged`` and ``failure_reasons`` say which and why; the others are
        unaffected.
    progress
        Called with the number of scenarios finished, as they finish.

    Returns
    -------
    GEResult
        Batched result with ``flows=None``; row ``b`` is scenario ``b``.
    """
    if on_failure not in ("raise", "nan"):
        raise InvalidDataError(
            f"unknown on_failure {on_failure!r}", field="on_failure", fix="use 'raise' or 'nan'"
        )
    base = _baseline(flows, sigma, closure, countries)
    ref = _reference_index(reference, countries, base.n)
    p, t, nb_all = _cell_shocks(pairs, tau_hat, base.n, base.sigma)
    parts: list[GEResult] = []
    for start in range(0, nb_all, chunk):
        sl = slice(start, start + chunk)
        pc, tc = p[sl], t[sl]
        nb = pc.shape[0]
        live = tc != 1.0
        rows = np.broadcast_to(np.arange(nb)[:, None], tc.shape)[live]
        costs = _Costs(base.pi, rows, pc[..., 0][live], pc[..., 1][live], tc[live].copy(), nb)
        u, _, iters, st = _solve_costs(base, costs, tol, max_iter, progress)
        parts.append(
            _finish(
                base,
                costs,
                u,
                st,
                iters,
                tol=tol,
                reference=ref,
                normalise=normalise,
                countries=countries,
                keep_flows=False,
                single=False,
                mark=on_failure == "nan",
            )
        )
    fields = ["factory_price_pct", "real_gdp_pct", "exports_pct", "imports_pct"]
    fields += ["inward_mr_pct", "outward_mr_pct", "residual"]
    joined = {f: (getattr(parts[0], f) if len(parts) == 1  # one chunk: no copy
                  else np.concatenate([getattr(r, f) for r in parts])) for f in fields}
    ok = None
    why = None
    if on_failure == "nan":
        ok = np.concatenate([np.asarray(r.scenario_converged) for r in parts])
        why = tuple(w for r in parts for w in (r.failure_reasons or ()))
    return GEResult(
        countries=tuple(countries) if countries is not None else None,
        reference=ref,
        sigma=base.sigma,
        flows=None,
        iterations=max(r.iterations for r in parts),
        converged=all(r.converged for r in parts),
        scenario_converged=ok,
        failure_reasons=why,
        **joined,
    )


def all_pair_embargoes(
    flows: ArrayLike,
    sigma: float,
    *,
    two_way: bool = False,
    **kwargs: object,
) -> tuple[NDArray[np.intp], GEResult]:
    """Solve every bilateral embargo among the N countries, batched.

    Parameters
    ----------
    flows
        Baseline flow matrix (N, N), USD.
    sigma
        Elasticity of substitution (> 1).
    two_way
        False (default): every ordered pair, exporter ``i`` may not sell to ``j``
        (N(N-1) scenarios). True: every unordered pair ``i < j``, trade stopped in both
        directions (N(N-1)/2 scenarios).
    **kwargs
        Passed on to :func:`solve_pair_shocks` (reference, countries, closure, ...).

    Returns
    -------
    pairs, result
        ``pairs`` (K, 2) exporter/importer indices (for ``two_way``, ``i < j``) and the
        batched result, whose row ``k`` is the embargo on ``pairs[k]``.
    """
    n = np.asarray(flows).shape[0]
    mask = np.triu(np.ones((n, n), dtype=bool), 1) if two_way else ~np.eye(n, dtype=bool)
    i, j = np.nonzero(mask)
    pairs = np.stack([i, j], axis=1)
    cells = np.stack([pairs, pairs[:, ::-1]], axis=1) if two_way else pairs
    return pairs, solve_pair_shocks(flows, cells, np.inf, sigma, **kwargs)  # type: ignore[arg-type]
