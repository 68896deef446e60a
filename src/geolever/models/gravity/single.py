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

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import scipy.linalg
from numpy.typing import ArrayLike, NDArray

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
        batch), dimensionless.
    iterations
        Newton/chord iterations used (largest over the batch).
    converged
        True; a result that did not converge is never returned (ConvergenceError).
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

    def to_frame(self, scenario: int | None = None) -> pd.DataFrame:
        """Return per-country results of one scenario as a DataFrame (percent changes).

        Parameters
        ----------
        scenario
            Index of the scenario in a batch; must be ``None`` for a single scenario.
        """
        cols = {
            "factory_price_pct": self.factory_price_pct,
            "real_gdp_pct": self.real_gdp_pct,
            "exports_pct": self.exports_pct,
            "imports_pct": self.imports_pct,
            "inward_mr_pct": self.inward_mr_pct,
            "outward_mr_pct": self.outward_mr_pct,
        }
        batched = self.real_gdp_pct.ndim == 2
        if batched and scenario is None:
            raise InvalidDataError(
                "a batched result needs a scenario index",
                field="scenario",
                fix="pass scenario=k for the k-th counterfactual",
            )
        data = {k: (v[scenario] if batched else v) for k, v in cols.items()}
        n = self.real_gdp_pct.shape[-1]
        index = list(self.countries) if self.countries else list(range(n))
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

    def _scatter(self, at: NDArray[np.intp], values: FloatArray) -> FloatArray:
        out = np.bincount(at, weights=values, minlength=self.nb * self.n)
        return np.asarray(out, dtype=np.float64).reshape(self.nb, self.n)

    def price_index(self, xw: FloatArray) -> FloatArray:
        """``Q[b, j] = sum_i A[b, i, j] xw[b, i]`` with ``A = pi * t``."""
        q = xw @ self.pi
        if self.b.size:
            q += self._scatter(self.b * self.n + self.j, self.d * xw[self.b, self.i])
        return q

    def demand(self, r: FloatArray) -> FloatArray:
        """``s[b, i] = sum_j A[b, i, j] r[b, j]``."""
        s = r @ self.pi.T
        if self.b.size:
            s += self._scatter(self.b * self.n + self.i, self.d * r[self.b, self.j])
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
    w = np.exp(u)
    xw = np.exp((1.0 - base.sigma) * u)
    q = costs.price_index(xw)
    e_new, _, _ = _expenditure(base, w)
    with np.errstate(divide="ignore", invalid="ignore"):
        sales = xw * costs.demand(e_new / q)
    ed = (sales - w * base.y) / (w * base.y)
    err = np.abs(ed).max(axis=1)
    f = ed.copy()
    f[:, -1] = np.log((w * base.y).sum(axis=1) / base.yw)
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
) -> tuple[FloatArray, FloatArray, int]:
    """Damped Newton on a (small) batch; returns log prices, errors and iterations."""
    a = costs.dense()
    u = np.zeros((costs.nb, base.n)) if u0 is None else u0.copy()
    st = _evaluate(base, costs, u)
    it = 0
    while it < max_iter and not np.all(st.err <= tol):
        it += 1
        active = st.err > tol
        jac = _jacobian(base, a, st)
        step = np.zeros_like(u)
        try:
            step[active] = -np.linalg.solve(jac[active], st.f[active][:, :, None])[:, :, 0]
        except np.linalg.LinAlgError as exc:
            raise ConvergenceError(
                "the general-equilibrium Jacobian is singular",
                field="flows",
                fix="check for countries with no trade at all, or pass a smaller shock",
            ) from exc
        # cap the step in log prices (no overflow), then backtrack on the 2-norm
        step *= np.minimum(1.0, 2.0 / np.maximum(np.abs(step).max(axis=1), 1e-300))[:, None]
        norm0 = np.linalg.norm(st.f, axis=1)
        lam = np.ones(costs.nb)
        for _ in range(40):
            trial = _evaluate(base, costs, u + lam[:, None] * step)
            norm1 = np.linalg.norm(trial.f, axis=1)
            bad = ~(norm1 <= (1.0 - 1e-4 * lam) * norm0) & active & (trial.err > tol)
            if not bad.any():
                break
            lam[bad] *= 0.5
        u = u + lam[:, None] * step
        st = _evaluate(base, costs, u)
    return u, st.err, it


def _chord(
    base: _Baseline, costs: _Costs, tol: float, max_iter: int
) -> tuple[FloatArray, FloatArray, int]:
    """Chord iterations with the baseline Jacobian shared by every scenario."""
    one = _Costs(base.pi, *(np.zeros(0, dtype=np.intp),) * 3, np.zeros(0), 1)
    st0 = _evaluate(base, one, np.zeros((1, base.n)))
    lu = scipy.linalg.lu_factor(_jacobian(base, one.dense(), st0)[0])
    u = np.zeros((costs.nb, base.n))
    st = _evaluate(base, costs, u)
    it = 0
    prev = np.full(costs.nb, np.inf)
    stalled = np.zeros(costs.nb, dtype=bool)
    while it < max_iter:
        stalled |= ~np.isfinite(st.f).all(axis=1)  # overshot: left to damped Newton
        live = (st.err > tol) & ~stalled
        if not live.any():
            break
        it += 1
        step = -scipy.linalg.lu_solve(lu, np.where(live[:, None], st.f, 0.0).T).T
        u = u + step
        st = _evaluate(base, costs, u)
        # a scenario whose error does not halve is left to full Newton
        stalled |= live & ~(st.err < 0.5 * prev) & (st.err > tol) & (it > 2)
        prev = np.where(live, st.err, prev)
    u[stalled] = 0.0
    err = np.where(stalled, np.inf, st.err)  # never mistaken for converged
    return u, err, it


def _to_costs(base: _Baseline, t: FloatArray) -> _Costs:
    b, i, j = np.nonzero(t != 1.0)
    return _Costs(base.pi, b, i, j, t[b, i, j], t.shape[0])


def _solve_costs(
    base: _Baseline, costs: _Costs, tol: float, max_iter: int
) -> tuple[FloatArray, FloatArray, int]:
    """Solve every scenario of ``costs`` for log factory prices (world output numeraire)."""
    n = base.n
    u = np.zeros((costs.nb, n))
    err = np.zeros(costs.nb)
    iters = 0
    if costs.nb * n * n > _DENSE_CELLS:
        u, err, iters = _chord(base, costs, tol, max_iter)
    todo = np.flatnonzero(~(err <= tol)) if costs.nb * n * n > _DENSE_CELLS else None
    rows = np.arange(costs.nb) if todo is None else todo
    chunk = max(1, _DENSE_CELLS // (n * n))
    for start in range(0, rows.size, chunk):
        sel = rows[start : start + chunk]
        sub = costs.take(sel)
        u_s, err_s, it_s = _newton(base, sub, tol, max_iter)
        bad = ~(err_s <= tol)
        if bad.any():
            u_s[bad], err_s[bad], it_h = _homotopy(
                base, sub.take(np.flatnonzero(bad)), tol, max_iter
            )
            it_s += it_h
        u[sel], err[sel] = u_s, err_s
        iters = max(iters, it_s)
    return u, err, iters


def _homotopy(
    base: _Baseline, costs: _Costs, tol: float, max_iter: int, stages: int = 20
) -> tuple[FloatArray, FloatArray, int]:
    """Continuation for shocks Newton cannot reach from the baseline: apply in stages."""
    u = np.zeros((costs.nb, base.n))
    err = np.full(costs.nb, np.inf)
    total = 0
    for s in np.linspace(1.0 / stages, 1.0, stages):
        part = _Costs(base.pi, costs.b, costs.i, costs.j, 1.0 + s * (costs.t - 1.0), costs.nb)
        u, err, it = _newton(base, part, tol if s == 1.0 else 1e-8, max_iter, u0=u)
        total += it
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


def _finish(
    base: _Baseline,
    costs: _Costs,
    u: FloatArray,
    err: FloatArray,
    iters: int,
    *,
    tol: float,
    reference: int,
    normalise: Normalise,
    countries: Sequence[str] | None,
    keep_flows: bool,
    single: bool,
) -> GEResult:
    bad = ~(err <= tol) | ~np.isfinite(u).all(axis=1)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise ConvergenceError(
            f"{int(bad.sum())} of {costs.nb} counterfactuals did not clear markets to "
            f"{tol:g} after {iters} iterations (scenario {k}: residual {err[k]:.3g})",
            field="tau_hat",
            fix="with closure='fixed_share' a country whose fixed trade surplus exceeds what it "
            "can still export has no equilibrium: use closure='proportional'; otherwise raise "
            "max_iter or loosen tol",
        )
    sig1 = 1.0 - base.sigma
    st = _evaluate(base, costs, u)
    if normalise == "consumer_price":
        shift = np.log(st.q[:, reference]) / sig1
    elif normalise == "factory_price":
        shift = u[:, reference]
    else:
        shift = np.zeros(costs.nb)
    u = u - shift[:, None]
    st = _evaluate(base, costs, u)  # homogeneous of degree one: still a solution
    if not (np.all(np.isfinite(st.w)) and np.all(st.w > 0)):
        raise ConvergenceError(
            "the solver produced a non-positive or non-finite factory price",
            field="tau_hat",
            fix="check the shock and the baseline flows",
        )
    p_in = st.q ** (1.0 / sig1)
    r = st.e_new / st.q
    yw_hat = (st.w * base.y).sum(axis=1, keepdims=True) / base.yw
    # Pi_i^(1-sigma) change: sum_j (X_ij / Y_i) t_ij (E'_j / E_j) / Q_j / Yw_hat
    omr = costs.demand(r) / base.y / yw_hat
    p_out = omr ** (1.0 / sig1)
    dom = np.diag(base.x)
    sales_dom = st.xw * base.pi.diagonal() * _diag_t(costs) * r
    exp_new = st.w * base.y - sales_dom
    imp_new = st.e_new - sales_dom
    with np.errstate(divide="ignore", invalid="ignore"):
        exports = 100.0 * (exp_new / (base.y - dom) - 1.0)
        imports = 100.0 * (imp_new / (base.e - dom) - 1.0)
    flows = None
    if keep_flows:
        flows = costs.dense() * (st.xw[:, :, None] * r[:, None, :])
    res = GEResult(
        countries=tuple(countries) if countries is not None else None,
        reference=reference,
        sigma=base.sigma,
        factory_price_pct=100.0 * (st.w - 1.0),
        real_gdp_pct=100.0 * (st.w / p_in - 1.0),
        exports_pct=exports,
        imports_pct=imports,
        inward_mr_pct=100.0 * (p_in - 1.0),
        outward_mr_pct=100.0 * (p_out - 1.0),
        flows=flows,
        residual=st.err,
        iterations=iters,
        converged=True,
    )
    if single:
        res = GEResult(
            **{k: (v[0] if isinstance(v, np.ndarray) else v) for k, v in res.__dict__.items()}
        )
    return res


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
    u, err, iters = _solve_costs(base, costs, tol, max_iter)
    return _finish(
        base,
        costs,
        u,
        err,
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
    tau = np.asarray(tau_hat, dtype=np.float64)
    if many and tau.ndim == 1 and tau.shape[0] == nb:
        tau = tau[:, None]  # one cost change per scenario, the same for its cells
    if not many and tau.ndim == 1:
        tau = tau[:, None]
    try:
        tau = np.broadcast_to(tau, (nb, ne))
    except ValueError as exc:
        raise InvalidDataError(
            f"tau_hat of shape {tau.shape} does not fit {nb} scenarios of {ne} cells",
            field="tau_hat",
            fix="give a scalar, one value per scenario (B,) or one per cell (B, E)",
        ) from exc
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
) -> GEResult:
    """Solve a batch of counterfactuals that each change a few cells' trade costs.

    The memory-light path for e.g. every bilateral embargo among N countries, one-way or
    two-way: no (B, N, N) array is formed (flows are not returned). Each scenario shocks
    one ordered pair (``pairs`` of shape (B, 2)) or a small set of ``E`` ordered pairs
    (shape (B, E, 2), e.g. both directions of a pair for a two-way embargo); the cost is
    O(B (N^2 + E)) time per iteration and O(B (N + E)) memory.

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

    Returns
    -------
    GEResult
        Batched result with ``flows=None``; row ``b`` is scenario ``b``.
    """
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
        u, err, iters = _solve_costs(base, costs, tol, max_iter)
        parts.append(
            _finish(
                base,
                costs,
                u,
                err,
                iters,
                tol=tol,
                reference=ref,
                normalise=normalise,
                countries=countries,
                keep_flows=False,
                single=False,
            )
        )
    fields = ["factory_price_pct", "real_gdp_pct", "exports_pct", "imports_pct"]
    fields += ["inward_mr_pct", "outward_mr_pct", "residual"]
    joined = {f: np.concatenate([getattr(r, f) for r in parts]) for f in fields}
    return GEResult(
        countries=tuple(countries) if countries is not None else None,
        reference=ref,
        sigma=base.sigma,
        flows=None,
        iterations=max(r.iterations for r in parts),
        converged=True,
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
