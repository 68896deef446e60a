"""The shared-baseline batch paths of the GE solvers equal one-at-a-time solves."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geolever.models.gravity.multi as multi
from geolever.models.gravity import solve_ge_multisector
from geolever.models.gravity.single import Closure

from .test_gravity_multi import _multi_world


def _two_way(n: int, s: int, sector: int, pairs: np.ndarray) -> np.ndarray:
    tau = np.ones((len(pairs), s, n, n))
    b = np.arange(len(pairs))
    tau[b, sector, pairs[:, 0], pairs[:, 1]] = np.inf
    tau[b, sector, pairs[:, 1], pairs[:, 0]] = np.inf
    return tau


@settings(max_examples=4, deadline=None)
@given(
    st.integers(4, 6),
    st.integers(1, 3),
    st.integers(0, 1000),
    st.sampled_from(["proportional", "fixed_share"]),
)
def test_shared_multisector_batch_equals_loop(n: int, s: int, seed: int, closure: str) -> None:
    x, va, io = _multi_world(n, s, seed)
    sigma = np.linspace(3.0, 8.0, s)
    i, j = np.triu_indices(n, 1)
    tau = _two_way(n, s, 0, np.stack([i, j], axis=1))
    rng = np.random.default_rng(seed)
    tau[:, -1] *= rng.uniform(0.9, 1.3, (len(i), n, n))  # and a dense tariff change
    cl: Closure = closure  # type: ignore[assignment]
    seen: list[int] = []
    old = multi._SHARED_MIN
    multi._SHARED_MIN = 1  # the shared path for any batch
    try:
        batch = solve_ge_multisector(
            x, tau, sigma, va, io, closure=cl, keep_flows=True, progress=seen.append
        )
    finally:
        multi._SHARED_MIN = old
    assert sum(seen) == len(i) and batch.residual.max() <= 1e-10
    assert batch.flows is not None
    for b in range(len(i)):
        one = solve_ge_multisector(x, tau[b], sigma, va, io, closure=cl)
        for name in (
            "real_gdp_pct",
            "welfare_pct",
            "factory_price_pct",
            "exports_pct",
            "imports_pct",
            "sector_output_pct",
            "sector_price_pct",
        ):
            np.testing.assert_allclose(
                getattr(batch, name)[b], getattr(one, name), atol=1e-9, err_msg=name
            )
        assert one.flows is not None
        np.testing.assert_allclose(batch.flows[b], one.flows, rtol=1e-9, atol=1e-9)


def test_shared_path_reports_a_sector_without_suppliers() -> None:
    # every supplier of sector 0 of country 2 cut off, in a batch: no equilibrium, raised
    x, va, io = _multi_world(4, 2, 5)
    tau = np.ones((20, 2, 4, 4))
    tau[3, 0, :, 2] = np.inf
    with pytest.raises(multi.ConvergenceError):
        solve_ge_multisector(x, tau, 5.0, va, io)


def test_sector_shocks_as_cells_equal_the_dense_batch() -> None:
    """The sparse form (changed cells per scenario, solved chunk by chunk) gives the
    dense batch's numbers: every two-way embargo in sector 0 plus a tariff in sector 1."""
    from geolever.core.errors import InvalidDataError
    from geolever.models.gravity import solve_sector_shocks

    n, s = 6, 2
    x, va, io = _multi_world(n, s, 3)
    sigma = np.array([4.0, 6.0])
    i, j = np.triu_indices(n, 1)
    nb = i.size
    cells = np.stack([np.stack([np.zeros(nb, int), i, j], 1),
                      np.stack([np.zeros(nb, int), j, i], 1),
                      np.stack([np.ones(nb, int), i, (i + 2) % n], 1)], axis=1)
    cells[i == (i + 2) % n, 2, 2] = (i[i == (i + 2) % n] + 1) % n
    factors = np.stack([np.full(nb, np.inf), np.full(nb, np.inf), np.full(nb, 1.25)], 1)
    dense = np.ones((nb, s, n, n))
    rows = np.repeat(np.arange(nb), 3)
    flat = cells.reshape(-1, 3)
    dense[rows, flat[:, 0], flat[:, 1], flat[:, 2]] = factors.reshape(-1)
    whole = solve_ge_multisector(x, dense, sigma, va, io, keep_flows=False)
    seen: list[int] = []
    cut = solve_sector_shocks(x, cells, factors, sigma, va, io, chunk=4, progress=seen.append)
    assert sum(seen) == nb and cut.flows is None and cut.real_gdp_pct.shape == (nb, n)
    for name in ("real_gdp_pct", "welfare_pct", "exports_pct", "sector_output_pct",
                 "residual"):
        np.testing.assert_allclose(getattr(cut, name), getattr(whole, name), atol=1e-9)
    with pytest.raises(InvalidDataError, match="more than once"):
        solve_sector_shocks(x, [[[0, 1, 2], [0, 1, 2]]], 2.0, sigma, va, io)
    with pytest.raises(InvalidDataError, match="out of range"):
        solve_sector_shocks(x, [[2, 0, 1]], np.inf, sigma, va, io)
