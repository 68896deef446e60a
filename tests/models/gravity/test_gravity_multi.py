"""Tests of the multi-sector GE gravity model with input-output links (Caliendo-Parro 2015)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geolever.core.errors import ConvergenceError, InvalidDataError, UnknownCodeError
from geolever.models.gravity import solve_ge
from geolever.models.gravity.multi import solve_ge_multisector
from geolever.models.gravity.single import Closure


def _world(n: int, seed: int, balanced: bool = False) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.lognormal(0.0, 1.0, (n, n)) + np.diag(rng.uniform(20, 80, n) * n)
    return x + x.T if balanced else x


def _multi_world(
    n: int, s: int, seed: int, balanced: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flows (S, N, N), value-added shares (S, N) and io shares (N, S, S) consistent with them."""
    rng = np.random.default_rng(seed)
    x = np.stack([_world(n, seed * 31 + k, balanced) for k in range(s)])
    y, e = x.sum(axis=2).T, x.sum(axis=1).T  # (N, S)
    inter = 1.0 - rng.uniform(0.3, 0.9, (n, s))  # intermediate share of each sector's costs
    mix = rng.dirichlet(np.ones(s), size=(n, s))  # mix[n, j, :] over input sectors k
    mix = np.swapaxes(mix, 1, 2)  # mix[n, k, j]
    use = np.einsum("njk,nk->nj", mix * inter[:, None, :], y)  # intermediate use of j
    scale = np.minimum(1.0, 0.8 / (use / e).max(axis=1))  # keep final demand > 0
    inter = inter * scale[:, None]
    return x, (1.0 - inter).T, mix * inter[:, None, :]


def test_one_sector_without_inputs_is_solve_ge() -> None:
    x = _world(6, 3)
    tau = np.ones((3, 6, 6))
    tau[0, 0, 1:] = 1.4
    tau[0, 2, 3] = np.inf
    tau[1, 1, 0] = 0.8
    tau[2, 4, 5] = tau[2, 5, 4] = np.inf
    closures: tuple[Closure, ...] = ("proportional", "fixed_share")
    for closure in closures:
        # solve_ge to round-off: at its default tol a result may sit 3e-11 from the root
        a = solve_ge(x, tau, 5.0, reference=2, closure=closure, tol=1e-14)
        b = solve_ge_multisector(x[None], tau[:, None], 5.0, reference=2, closure=closure)
        np.testing.assert_allclose(b.real_gdp_pct, a.real_gdp_pct, atol=1e-9)
        np.testing.assert_allclose(b.factory_price_pct, a.factory_price_pct, atol=1e-9)
        np.testing.assert_allclose(b.exports_pct, a.exports_pct, atol=1e-8)
        np.testing.assert_allclose(b.imports_pct, a.imports_pct, atol=1e-8)
        np.testing.assert_allclose(b.consumer_price_pct, a.inward_mr_pct, atol=1e-9)
        assert a.flows is not None and b.flows is not None
        np.testing.assert_allclose(b.flows[:, 0], a.flows, rtol=1e-10, atol=1e-10)
        assert b.residual.max() < 1e-10 and b.converged
    # the numeraire choice is the same as solve_ge's
    c = solve_ge(x, tau[0], 5.0, reference=1, normalise="factory_price", tol=1e-14)
    d = solve_ge_multisector(x[None], tau[0][None], 5.0, reference=1, normalise="factory_price")
    np.testing.assert_allclose(d.factory_price_pct, c.factory_price_pct, atol=1e-9)
    assert d.factory_price_pct[1] == pytest.approx(0.0, abs=1e-12)


def test_two_identical_sectors_aggregate_to_one() -> None:
    # splitting every flow 30/70 into two sectors with the same elasticity and shock
    # changes nothing: the sector split is irrelevant without input-output links
    x = _world(5, 8)
    tau = np.ones((5, 5))
    tau[0, 3] = np.inf
    tau[2, 1] = 1.3
    one = solve_ge(x, tau, 6.0, reference=0, tol=1e-14)
    two = solve_ge_multisector(np.stack([0.3 * x, 0.7 * x]), np.stack([tau, tau]), [6.0, 6.0])
    np.testing.assert_allclose(two.real_gdp_pct, one.real_gdp_pct, atol=1e-9)
    np.testing.assert_allclose(two.sector_price_pct[:, 0], one.inward_mr_pct, atol=1e-9)


def test_autarky_with_inputs_hand_computed() -> None:
    # one sector, pi_ii = 0.8, theta = 4, value-added share 1/2: input-output links
    # amplify the loss from autarky to pi_ii ** (1 / (theta gamma)) = 0.8 ** 0.5
    x = np.array([[[80.0, 20.0], [20.0, 80.0]]])
    tau = np.array([[[1.0, np.inf], [np.inf, 1.0]]])
    r = solve_ge_multisector(
        x, tau, theta=4.0, value_added_share=[0.5, 0.5], io_shares=np.full((2, 1, 1), 0.5)
    )
    np.testing.assert_allclose(r.real_gdp_pct, 100 * (0.8**0.5 - 1), atol=1e-10)  # -10.557 %
    no_io = solve_ge_multisector(x, tau, theta=4.0)
    np.testing.assert_allclose(no_io.real_gdp_pct, 100 * (0.8**0.25 - 1), atol=1e-10)


def test_two_country_two_sector_autarky_hand_computed() -> None:
    # food (theta 2) and industry (theta 6); each country's trade is balanced overall but
    # not by sector. In autarky pi'_nn = 1 in every sector and Caliendo-Parro's welfare
    # formula gives ln(w/P)_n = -alpha_n . (I - G_n^T)^-1 b_n, b_nj = -ln(pi_nn^j) / theta_j
    food = np.array([[100.0, 30.0], [10.0, 60.0]])
    ind = np.array([[90.0, 10.0], [30.0, 120.0]])
    x = np.stack([food, ind])
    theta = np.array([2.0, 6.0])
    va = np.array([[0.6, 0.5], [0.4, 0.45]])  # (S, N)
    io = np.array(
        [
            [[0.3, 0.2], [0.1, 0.4]],  # country 0: io[k, j], columns sum to 1 - va[j, 0]
            [[0.25, 0.15], [0.25, 0.4]],
        ]
    )
    tau = np.where(np.eye(2, dtype=bool), 1.0, np.inf)[None].repeat(2, axis=0)
    r = solve_ge_multisector(x, tau, theta=theta, value_added_share=va, io_shares=io)
    y, e = x.sum(axis=2).T, x.sum(axis=1).T
    fin = e - np.einsum("njk,nk->nj", io, y)
    alpha = fin / fin.sum(axis=1, keepdims=True)
    expected = []
    for n in range(2):
        pi_nn = np.array([x[s, n, n] / e[n, s] for s in range(2)])
        b = -np.log(pi_nn) / theta
        expected.append(-alpha[n] @ np.linalg.solve(np.eye(2) - io[n].T, b))
    np.testing.assert_allclose(r.real_gdp_pct, 100 * np.expm1(expected), atol=1e-9)
    np.testing.assert_allclose(r.welfare_pct, r.real_gdp_pct, atol=1e-9)  # balanced trade
    assert r.flows is not None and r.flows[:, 0, 1].max() == 0.0 and r.flows[:, 1, 0].max() == 0.0


def test_food_and_industry_embargo_differ_for_same_value() -> None:
    # the same bilateral value (20 each way) is embargoed in food or in industry: food is
    # less substitutable (sigma 2.5 vs 8) and an input to industry, so losing it costs more
    x, va, io = _multi_world(4, 2, 5, balanced=True)
    x[:, 1, 0] = x[:, 0, 1] = 20.0  # countries 0 and 1 trade 20 of food and 20 of goods
    va[:, 0] = [0.8, 0.5]
    io[0] = [[0.1, 0.3], [0.1, 0.2]]
    tau = np.ones((2, 2, 4, 4))
    tau[0, 0, 1, 0] = tau[0, 0, 0, 1] = np.inf  # food embargo between 0 and 1
    tau[1, 1, 1, 0] = tau[1, 1, 0, 1] = np.inf  # industrial-goods embargo
    r = solve_ge_multisector(x, tau, [2.5, 8.0], va, io, sectors=["food", "industry"])
    food, ind = r.real_gdp_pct[0], r.real_gdp_pct[1]
    # measured: country 0 -1.90 % (food) vs -0.42 % (industry); country 1 -2.21 vs -0.48
    assert food[0] < 2 * ind[0] < 0 and food[1] < 2 * ind[1] < 0
    assert not np.allclose(food[2:], ind[2:], atol=1e-3)  # third countries differ too
    assert r.flows is not None
    assert r.flows[0, 0, 1, 0] == 0.0 and r.flows[1, 1, 1, 0] == 0.0
    assert r.flows[1, 0, 1, 0] > 0 and r.flows[0, 1, 1, 0] > 0
    assert r.sector_output_pct.shape == (2, 4, 2)


def test_batched_equals_one_by_one() -> None:
    x, va, io = _multi_world(5, 3, 2)
    tau = np.ones((3, 3, 5, 5))
    tau[0, 0, 1, 2] = np.inf
    tau[1, :, 3, 4] = 1.5
    tau[2, 2, 0, :] = 1.2
    batch = solve_ge_multisector(x, tau, [3.0, 5.0, 8.0], va, io, reference=3)
    for k in range(3):
        one = solve_ge_multisector(x, tau[k], [3.0, 5.0, 8.0], va, io, reference=3)
        np.testing.assert_allclose(batch.real_gdp_pct[k], one.real_gdp_pct, atol=1e-9)
        np.testing.assert_allclose(batch.sector_price_pct[k], one.sector_price_pct, atol=1e-9)
    assert batch.to_frame(1).shape == (5, 6)


@pytest.mark.parametrize(
    ("kwargs", "err", "field"),
    [
        ({"flows": -np.ones((1, 2, 2))}, InvalidDataError, "flows[s0,#0,#0]"),
        ({"flows": np.ones((2, 2))}, InvalidDataError, "flows"),
        ({"tau_hat": np.ones((2, 2, 2))}, InvalidDataError, "tau_hat"),
        ({"sigma": 1.0}, InvalidDataError, "sigma[s0]"),
        ({"sigma": [5.0, 5.0]}, InvalidDataError, "sigma"),
        ({"sigma": None, "theta": -1.0}, InvalidDataError, "theta[s0]"),
        ({"theta": 4.0}, InvalidDataError, "sigma"),
        ({"value_added_share": [0.5, 1.0]}, InvalidDataError, "io_shares[#0,:,s0]"),
        ({"value_added_share": np.ones(3)}, InvalidDataError, "value_added_share"),
        (
            {
                "flows": np.array([[[8.0, 6.0], [0.1, 8.0]]]),  # country 0: Y 14 > E 8.1
                "value_added_share": [0.1, 0.1],
                "io_shares": np.full((2, 1, 1), 0.9),
            },
            InvalidDataError,
            "io_shares[#0,s0,:]",
        ),
        ({"reference": "XXX"}, UnknownCodeError, "reference"),
    ],
)
def test_input_errors_name_the_culprit(
    kwargs: dict[str, object], err: type[Exception], field: str
) -> None:
    args: dict[str, object] = {
        "flows": np.array([[[8.0, 2.0], [2.0, 8.0]]]),
        "tau_hat": np.ones((1, 2, 2)),
        "sigma": 5.0,
        **kwargs,
    }
    with pytest.raises(err) as info:
        solve_ge_multisector(**args)  # type: ignore[arg-type]
    assert info.value.field == field  # type: ignore[attr-defined]


def test_never_reports_unconverged() -> None:
    x, va, io = _multi_world(4, 2, 1)
    tau = np.ones((2, 4, 4))
    tau[0, 0, 1] = 3.0
    with pytest.raises(ConvergenceError):
        solve_ge_multisector(x, tau, 5.0, va, io, max_iter=1, tol=1e-16)


worlds = st.tuples(st.integers(3, 5), st.integers(1, 3), st.integers(0, 10_000))
sigmas = st.lists(st.floats(1.5, 10.0), min_size=3, max_size=3)


@settings(max_examples=15, deadline=None)
@given(worlds, sigmas)
def test_zero_shock_changes_nothing(w: tuple[int, int, int], sig: list[float]) -> None:
    n, s, seed = w
    x, va, io = _multi_world(n, s, seed)
    r = solve_ge_multisector(x, np.ones((s, n, n)), sig[:s], va, io)
    for arr in (r.real_gdp_pct, r.welfare_pct, r.factory_price_pct, r.sector_price_pct):
        np.testing.assert_allclose(arr, 0.0, atol=1e-10)
    assert r.flows is not None
    np.testing.assert_allclose(r.flows, x, rtol=1e-10)


@settings(max_examples=15, deadline=None)
@given(worlds, sigmas, st.data())
def test_embargo_flows_zero_and_markets_clear(
    w: tuple[int, int, int], sig: list[float], data: st.DataObject
) -> None:
    n, s, seed = w
    x, va, io = _multi_world(n, s, seed)
    k = data.draw(st.integers(0, s - 1))
    i = data.draw(st.integers(0, n - 1))
    j = data.draw(st.integers(0, n - 1).filter(lambda m: m != i))
    tau = np.ones((s, n, n))
    tau[k, i, j] = tau[k, j, i] = np.inf
    r = solve_ge_multisector(x, tau, sig[:s], va, io, reference=0)
    assert r.flows is not None
    assert r.flows[k, i, j] == 0.0 and r.flows[k, j, i] == 0.0
    assert r.residual < 1e-9
    # factor markets clear: value added paid out of gross sales equals w VA
    gamma = va.T  # (N, S)
    sales = r.flows.sum(axis=2).T  # (N, S)
    va0 = (gamma * x.sum(axis=2).T).sum(axis=1)
    va1 = va0 * (1 + r.factory_price_pct / 100)
    np.testing.assert_allclose((gamma * sales).sum(axis=1), va1, rtol=1e-9)


@settings(max_examples=12, deadline=None)
@given(worlds, sigmas, st.data())
def test_bigger_embargo_never_helps_target(
    w: tuple[int, int, int], sig: list[float], data: st.DataObject
) -> None:
    n, s, seed = w
    x, va, io = _multi_world(n, s, seed, balanced=True)
    target = data.draw(st.integers(0, n - 1))
    order = data.draw(st.permutations([m for m in range(n) if m != target]))
    k = data.draw(st.integers(1, len(order) - 1))  # cut off from all: see below
    sector = data.draw(st.integers(0, s - 1))
    small, big = np.ones((s, n, n)), np.ones((s, n, n))
    for m, partner in enumerate(order):
        if m < k - 1:
            small[sector, target, partner] = np.inf
        if m < k:
            big[sector, target, partner] = np.inf
    r = solve_ge_multisector(x, np.stack([small, big]), sig[:s], va, io, reference=target)
    assert r.real_gdp_pct[1, target] <= r.real_gdp_pct[0, target] + 1e-9


def test_country_cut_off_from_every_market_has_no_equilibrium() -> None:
    # with trade balanced, a country that can sell nowhere abroad cannot pay for imports:
    # its factor price tends to 0 and no equilibrium exists; the solver says so
    x, va, io = _multi_world(3, 1, 0, balanced=True)
    tau = np.ones((1, 3, 3))
    tau[0, 2, [0, 1]] = np.inf
    with pytest.raises(ConvergenceError, match="did not clear"):
        solve_ge_multisector(x, tau, 2.0, va, io, max_iter=20)


@pytest.mark.parametrize("closure", ["proportional", "fixed_share"])
def test_chunked_equals_unchunked(closure: Closure) -> None:
    # internal chunks bound memory; they must not change any number, with or without flows
    x, va, io = _multi_world(5, 3, 11)
    rng = np.random.default_rng(3)
    tau = np.where(rng.random((7, 3, 5, 5)) < 0.2, rng.uniform(0.8, 1.8, (7, 3, 5, 5)), 1.0)
    tau[2, 1, 0, 3] = tau[2, 1, 3, 0] = np.inf
    args = (x, tau, [3.0, 5.0, 8.0], va, io)
    whole = solve_ge_multisector(*args, closure=closure, reference=1, chunk=7)
    fields = (
        "factory_price_pct",
        "real_gdp_pct",
        "welfare_pct",
        "consumer_price_pct",
        "exports_pct",
        "imports_pct",
        "sector_output_pct",
        "sector_price_pct",
        "sector_cost_pct",
    )
    for chunk, keep in ((1, True), (3, False), (None, False)):
        part = solve_ge_multisector(
            *args, closure=closure, reference=1, chunk=chunk, keep_flows=keep
        )
        for name in fields:
            np.testing.assert_allclose(getattr(part, name), getattr(whole, name), atol=1e-12)
        assert (part.flows is None) != keep
        assert part.residual.max() < 1e-9
    assert whole.flows is not None and whole.flows[2, 1, 0, 3] == 0.0
    with pytest.raises(InvalidDataError) as info:
        solve_ge_multisector(*args, chunk=0)
    assert info.value.field == "chunk"


def test_analytic_jacobian_matches_central_differences() -> None:
    from geolever.models.gravity import multi

    x, va, io = _multi_world(6, 3, 4)
    rng = np.random.default_rng(0)
    tau = np.where(rng.random((2, 3, 6, 6)) < 0.3, rng.uniform(0.7, 2.0, (2, 3, 6, 6)), 1.0)
    tau[0, 0, 1, 2] = np.inf
    closures: tuple[Closure, ...] = ("proportional", "fixed_share")
    for closure in closures:
        for g, m in ((va, io), (None, None)):
            base = multi._multi_baseline(x, [3.0, 5.0, 8.0], None, g, m, closure, None, None)
            a = base.pi[None] * multi._kappa(tau, base)[0]
            u = rng.normal(0.0, 0.1, (2, 6))
            jac = multi._jacobian_exact(base, a, u)
            h = 1e-5
            fd = np.stack(
                [
                    multi._evaluate(base, a, u + h * e).f - multi._evaluate(base, a, u - h * e).f
                    for e in np.eye(6)
                ],
                axis=2,
            ) / (2 * h)
            np.testing.assert_allclose(jac, fd, atol=1e-8)


def test_low_elasticity_embargo_reaches_its_limit() -> None:
    """Found by Hypothesis: at sigma 1.5 the last stretch of an embargo (kappa -> 0) moves
    prices most; a fixed grid of continuation stages failed there (residual 1.03)."""
    x, va, io = _multi_world(4, 1, 1000)
    tau = np.ones((1, 4, 4))
    tau[0, 2, 3] = tau[0, 3, 2] = np.inf
    r = solve_ge_multisector(x, tau, [1.5], va, io, reference=0)
    assert r.residual < 1e-9
    near = np.ones((1, 4, 4))
    near[0, 2, 3] = near[0, 3, 2] = 1e5  # the limit is approached continuously
    far = solve_ge_multisector(x, near, [1.5], va, io, reference=0)
    assert abs(r.real_gdp_pct[3] - far.real_gdp_pct[3]) < 0.5
    assert r.real_gdp_pct[3] < far.real_gdp_pct[3] < 0
