"""Input-output models: hand-computed 3-region examples and property tests."""

# Matrix names (Z, Y, A, L, G) follow the input-output literature and pymrio.
# ruff: noqa: N803, N806

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from geolever.core.errors import InvalidDataError
from geolever.models import io as iom

# --------------------------------------------------------------------------- hand-computed
# Three regions with one sector each. Region 0 sells inputs to region 1 (A[0,1] = 0.5),
# region 1 sells inputs to region 2 (A[1,2] = 0.5). With x = (100, 80, 40):
#   Z[0,1] = 0.5 * 80 = 40, Z[1,2] = 0.5 * 40 = 20, final demand y = x - Z 1 = (60, 60, 40),
#   value added v = x - 1'Z = (100, 40, 20), so v/x = (1, 0.5, 0.5);
#   L = I + A + A^2 = [[1, .5, .25], [0, 1, .5], [0, 0, 1]].
Z3 = np.array([[0.0, 40.0, 0.0], [0.0, 0.0, 20.0], [0.0, 0.0, 0.0]])
Y3 = np.array([[30.0, 20.0, 10.0], [0.0, 60.0, 0.0], [10.0, 10.0, 20.0]])
ONE = np.array([True])


def test_hand_leontief_ghosh_and_multipliers() -> None:
    x = iom.total_output(Z3, Y3)
    np.testing.assert_allclose(x, [100, 80, 40])
    np.testing.assert_allclose(iom.value_added(Z3, x), [100, 40, 20])
    L = iom.leontief_inverse(iom.technical_coefficients(Z3, x))
    np.testing.assert_allclose(L, [[1, 0.5, 0.25], [0, 1, 0.5], [0, 0, 1]], atol=1e-15)
    # B[0,1] = 40/100, B[1,2] = 20/80; G = I + B + B^2.
    G = iom.ghosh_inverse(iom.allocation_coefficients(Z3, x))
    np.testing.assert_allclose(G, [[1, 0.4, 0.1], [0, 1, 0.25], [0, 0, 1]], atol=1e-15)
    np.testing.assert_allclose(iom.ghosh_output(G, [100, 40, 20]), x)
    np.testing.assert_allclose(iom.output_multipliers(L), [1, 1.5, 1.75])
    vc = iom.value_added_coefficients(Z3, x)
    np.testing.assert_allclose(vc, [1, 0.5, 0.5])
    # Region 2's final demand: 0.25 of value added in region 0, 0.25 in 1, 0.5 at home.
    by_region = iom.value_added_multipliers(L, vc, n_regions=3)
    np.testing.assert_allclose(by_region[:, 2], [0.25, 0.25, 0.5])
    np.testing.assert_allclose(iom.value_added_multipliers(L, vc), [1, 1, 1])
    np.testing.assert_allclose(iom.cost_push_prices(L, vc), [1, 1, 1])
    # Primary costs of region 0 up by 0.1 per unit: prices rise 0.1, 0.05, 0.025.
    np.testing.assert_allclose(iom.cost_push_prices(L, [0.1, 0, 0]), [0.1, 0.05, 0.025])


def test_hand_full_extraction_intermediate() -> None:
    # Cut region 1 -> region 2 (A[1,2] -> 0): region 1 loses the 20 it sold, region 0 loses
    # 0.5 * 20 = 10 of inputs it sold to region 1. Forward: region 2 loses its 20 of inputs.
    r = iom.extract_link(Z3, Y3, None, 1, 2, ONE, 1.0)
    np.testing.assert_allclose(r.output_loss.ravel(), [10, 20, 0], atol=1e-12)
    np.testing.assert_allclose(r.value_added_loss.ravel(), [10, 10, 0], atol=1e-12)
    assert r.forward_output_loss is not None
    np.testing.assert_allclose(r.forward_output_loss.ravel(), [0, 0, 20], atol=1e-12)
    assert r.extracted_intermediate == pytest.approx(20)
    assert r.extracted_final == 0
    np.testing.assert_allclose(r.output_loss_by_region, [10, 20, 0], atol=1e-12)


def test_hand_partial_extraction() -> None:
    # Half the link: A[1,2] = 0.25, so x1 = 60 + 0.25 * 40 = 70, x0 = 60 + 0.5 * 70 = 95.
    r = iom.extract_link(Z3, Y3, None, 1, 2, ONE, 0.5)
    np.testing.assert_allclose(r.output_loss.ravel(), [5, 10, 0], atol=1e-12)
    assert r.forward_output_loss is not None
    # Ghosh: x2 = v2 + x1 * B[1,2] = 20 + 80 * 0.125 = 30.
    np.testing.assert_allclose(r.forward_output_loss.ravel(), [0, 0, 10], atol=1e-12)


def test_hand_final_use_only() -> None:
    # Region 2 stops buying 10 of region 0's product for final use; no input link exists.
    r = iom.extract_link(Z3, Y3, None, 0, 2, ONE, 1.0, intermediate=False)
    np.testing.assert_allclose(r.output_loss.ravel(), [10, 0, 0], atol=1e-12)
    assert r.extracted_final == pytest.approx(10)
    # Region 1 -> 0 final use (Y[1,0] = 0) and intermediate (A[1,0] = 0): nothing happens.
    r = iom.extract_link(Z3, Y3, None, 1, 0, ONE, 1.0)
    np.testing.assert_allclose(r.output_loss, 0, atol=1e-12)


def test_hand_sector_mask_two_sectors() -> None:
    # Three regions x two sectors; only region 0 sector b sells to region 2 sector a.
    Z = np.zeros((6, 6))
    Z[1, 4] = 30.0
    Y = np.diag([50.0, 20.0, 40.0, 40.0, 100.0, 60.0]) @ np.repeat(np.eye(3), 2, axis=0) / 1
    r_a = iom.extract_link(Z, Y, None, 0, 2, np.array([True, False]), 1.0)
    np.testing.assert_allclose(r_a.output_loss, 0, atol=1e-12)
    r_b = iom.extract_link(Z, Y, None, 0, 2, np.array([False, True]), 1.0)
    np.testing.assert_allclose(r_b.output_loss, [[0, 30], [0, 0], [0, 0]], atol=1e-12)
    assert r_b.forward_output_loss is not None
    # Region 2 sector a: x = 100 + 30, v = 100; without the inputs its output is 100.
    np.testing.assert_allclose(r_b.forward_output_loss, [[0, 0], [0, 0], [30, 0]], atol=1e-12)
    frame = r_b.to_frame(["AAA", "BBB", "CCC"], ["a", "b"])
    assert frame.loc[("AAA", "b"), "output_loss"] == pytest.approx(30)


def test_input_errors() -> None:
    with pytest.raises(InvalidDataError, match="share"):
        iom.extract_link(Z3, Y3, None, 1, 2, ONE, 1.5)
    with pytest.raises(InvalidDataError, match="same region"):
        iom.extract_link(Z3, Y3, None, 1, 1, ONE, 1.0)
    with pytest.raises(InvalidDataError, match="outside"):
        iom.extract_link(Z3, Y3, None, 1, 3, ONE, 1.0)
    with pytest.raises(InvalidDataError, match="NaN"):
        iom.extract_link(np.full((3, 3), np.nan), Y3, None, 1, 2, ONE, 1.0)
    with pytest.raises(InvalidDataError, match="whole number of regions"):
        iom.extract_link(Z3, Y3, None, 1, 2, np.array([True, False]), 1.0)
    with pytest.raises(InvalidDataError, match="singular"):
        iom.leontief_inverse(np.eye(2))


# --------------------------------------------------------------------------- properties


@st.composite
def tables(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, int, int]:
    """A random non-negative table whose every row has positive final demand (so I - A is
    invertible with a non-negative inverse)."""
    R = draw(st.integers(2, 4))
    S = draw(st.integers(1, 3))
    n = R * S
    elems = st.floats(0.0, 10.0, allow_nan=False, allow_infinity=False)
    Z = draw(arrays(np.float64, (n, n), elements=elems))
    Y = draw(arrays(np.float64, (n, R * 2), elements=elems)) + 0.5
    return Z, Y, R, S


def _direct(Z: np.ndarray, Y: np.ndarray, R: int, S: int, s: int, t: int, mask, share):
    """Extraction by brute force: modify A, B and y, invert again."""
    n = R * S
    x = Z.sum(1) + Y.sum(1)
    A = Z / x[None, :]
    B = Z / x[:, None]
    rows = s * S + np.flatnonzero(mask)
    cols = np.arange(t * S, (t + 1) * S)
    A2, B2 = A.copy(), B.copy()
    A2[np.ix_(rows, cols)] *= 1 - share
    B2[np.ix_(rows, cols)] *= 1 - share
    y2 = Y.reshape(n, R, -1).sum(2)
    y2[rows, t] *= 1 - share
    x_back = np.linalg.solve(np.eye(n) - A2, y2.sum(1))
    x_fwd = np.linalg.solve((np.eye(n) - B2).T, x - Z.sum(0))
    return x - x_back, x - x_fwd


@settings(max_examples=60, deadline=None)
@given(tables(), st.floats(0.0, 1.0), st.data())
def test_woodbury_equals_direct_inverse(table, share, data) -> None:
    Z, Y, R, S = table
    s, t = data.draw(st.permutations(range(R)))[:2]
    mask = np.asarray(data.draw(st.lists(st.booleans(), min_size=S, max_size=S)))
    res = iom.extract_link(Z, Y, None, s, t, mask, share)
    back, fwd = _direct(Z, Y, R, S, s, t, mask, share)
    scale = max(1.0, np.abs(back).max())
    np.testing.assert_allclose(res.output_loss.ravel(), back, rtol=0, atol=1e-9 * scale)
    assert res.forward_output_loss is not None
    np.testing.assert_allclose(res.forward_output_loss.ravel(), fwd, rtol=0, atol=1e-9 * scale)


@settings(max_examples=40, deadline=None)
@given(tables(), st.data())
def test_extracting_nothing_changes_nothing(table, data) -> None:
    Z, Y, R, S = table
    s, t = data.draw(st.permutations(range(R)))[:2]
    full = np.ones(S, dtype=bool)
    for res in (
        iom.extract_link(Z, Y, None, s, t, full, 0.0),
        iom.extract_link(Z, Y, None, s, t, np.zeros(S, dtype=bool), 1.0),
        iom.extract_link(Z, Y, None, s, t, full, 1.0, intermediate=False, final=False),
        # A share too small to matter goes through the Woodbury algebra.
        iom.extract_link(Z, Y, None, s, t, full, 1e-15),
    ):
        np.testing.assert_allclose(res.output_loss, 0, atol=1e-9)
        assert res.forward_output_loss is not None
        np.testing.assert_allclose(res.forward_output_loss, 0, atol=1e-9)
        np.testing.assert_allclose(res.baseline_output.ravel(), Z.sum(1) + Y.sum(1), rtol=1e-9)


@settings(max_examples=60, deadline=None)
@given(tables(), st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.data())
def test_extracting_more_never_raises_output(table, a, b, data) -> None:
    Z, Y, R, S = table
    lo, hi = sorted((a, b))
    s, t = data.draw(st.permutations(range(R)))[:2]
    mask = np.asarray(data.draw(st.lists(st.booleans(), min_size=S, max_size=S)))
    small = iom.extract_link(Z, Y, None, s, t, mask, lo)
    big = iom.extract_link(Z, Y, None, s, t, mask, hi)
    wider = iom.extract_link(Z, Y, None, s, t, np.ones(S, dtype=bool), hi)
    tol = 1e-9 * max(1.0, float(Z.sum() + Y.sum()))
    for fine, coarse in ((small, big), (big, wider)):
        assert np.all(fine.output_loss >= -tol)
        assert np.all(coarse.output_loss >= fine.output_loss - tol)
        assert fine.forward_output_loss is not None and coarse.forward_output_loss is not None
        assert np.all(fine.forward_output_loss >= -tol)
        assert np.all(coarse.forward_output_loss >= fine.forward_output_loss - tol)


@settings(max_examples=60, deadline=None)
@given(tables(), st.data())
def test_demand_and_price_models_are_dual(table, data) -> None:
    Z, Y, R, S = table
    n = R * S
    x = iom.total_output(Z, Y)
    L = iom.leontief_inverse(iom.technical_coefficients(Z, x))
    vals = st.floats(-5.0, 5.0, allow_nan=False)
    y = data.draw(arrays(np.float64, (n,), elements=vals))
    vc = data.draw(arrays(np.float64, (n,), elements=vals))
    # p'y (final demand at model prices) equals v_c'x (value added paid on the output).
    lhs = iom.cost_push_prices(L, vc) @ y
    rhs = vc @ iom.leontief_output(L, y)
    assert lhs == pytest.approx(rhs, rel=1e-9, abs=1e-9)
    # With the table's own value added, every price is 1.
    np.testing.assert_allclose(
        iom.cost_push_prices(L, iom.value_added_coefficients(Z, x)), 1.0, rtol=1e-9
    )
    # Ghosh is Leontief seen through output shares: G = diag(x)^-1 L diag(x).
    G = iom.ghosh_inverse(iom.allocation_coefficients(Z, x))
    np.testing.assert_allclose(G, (L * x[None, :]) / x[:, None], rtol=1e-9, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(tables(), st.floats(0.0, 1.0))
def test_all_pairs_equal_single_extractions(table, share) -> None:
    Z, Y, R, S = table
    groups = {"all": np.ones(S, dtype=bool), "first": np.arange(S) == 0}
    seen = 0
    for chunk in iom.iter_all_pairs_extraction(Z, Y, None, groups, share):
        assert chunk.sender not in chunk.targets
        assert len(chunk.targets) == R - 1
        for i, t in enumerate(chunk.targets):
            one = iom.extract_link(Z, Y, None, chunk.sender, int(t), groups[chunk.group], share)
            np.testing.assert_allclose(chunk.output_loss[i], one.output_loss, atol=1e-9)
            assert chunk.forward_output_loss is not None and one.forward_output_loss is not None
            np.testing.assert_allclose(
                chunk.forward_output_loss[i], one.forward_output_loss, atol=1e-9
            )
            assert chunk.extracted_final[i] == pytest.approx(one.extracted_final)
            seen += 1
    assert seen == R * (R - 1) * 2
