"""Input-output formulas: Leontief, Ghosh, cost-push prices and multipliers.

Small pure functions over a multi-regional input-output table, in the spirit of pymrio's
``calc_*`` functions (Miller and Blair, *Input-Output Analysis*, 2nd ed., 2009). The
hypothetical extraction of bilateral links built on them is in
:mod:`geolever.models.io.extraction`.

Conventions
-----------
* ``n = R * S`` region-sectors, ordered region-major (all sectors of region 0, then region
  1, ...), as in WIOD, OECD ICIO, EXIOBASE and GLORIA.
* ``Z`` (n x n): intermediate flows, rows = supplying region-sector, columns = using one.
* ``Y`` (n x R*c): final demand, columns region-major (``c`` categories per region; c = 1
  for a table already summed by region).
* ``x`` (n): gross output. ``v = x - Z.sum(axis=0)``: value added (incl. net taxes).
* All flows in the table's currency unit (e.g. millions of US dollars); coefficients,
  multipliers and prices are unitless (prices are index numbers, 1 = base).

"""

# Matrix names (Z, Y, A, L, G) follow the input-output literature and pymrio.
# ruff: noqa: N803, N806

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from geolever.core.errors import InvalidDataError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

__all__ = [
    "allocation_coefficients",
    "cost_push_prices",
    "ghosh_inverse",
    "ghosh_output",
    "leontief_inverse",
    "leontief_output",
    "output_multipliers",
    "technical_coefficients",
    "total_output",
    "value_added",
    "value_added_coefficients",
    "value_added_multipliers",
]


# --------------------------------------------------------------------------- basics


def _as_float(a: npt.ArrayLike, name: str, ndim: int) -> FloatArray:
    arr = np.asarray(a, dtype=np.float64)
    if arr.ndim != ndim:
        raise InvalidDataError(
            f"expected a {ndim}-dimensional array, got shape {arr.shape}",
            field=name,
            fix=f"pass {name} as a {ndim}-D numpy array",
        )
    if not np.all(np.isfinite(arr)):
        raise InvalidDataError(
            "contains NaN or infinite values",
            field=name,
            fix="fill missing flows with 0 before building the model",
        )
    return arr


def _safe_reciprocal(x: FloatArray) -> FloatArray:
    # Zero-output region-sectors get zero coefficients, as in pymrio.
    out = np.zeros_like(x)
    np.divide(1.0, x, out=out, where=x != 0)
    return out


def total_output(Z: npt.ArrayLike, Y: npt.ArrayLike) -> FloatArray:
    """Gross output as the row sums of intermediate and final use.

    Parameters
    ----------
    Z
        Intermediate flows (n x n), in the table's currency unit.
    Y
        Final demand (n x m), same unit.

    Returns
    -------
    numpy.ndarray
        ``x = Z 1 + Y 1`` (n,), same unit.
    """
    z = _as_float(Z, "Z", 2)
    y = _as_float(Y, "Y", 2)
    return np.asarray(z.sum(axis=1) + y.sum(axis=1), dtype=np.float64)


def value_added(Z: npt.ArrayLike, x: npt.ArrayLike) -> FloatArray:
    """Value added (all primary inputs incl. net taxes) as output minus intermediate inputs.

    Parameters
    ----------
    Z
        Intermediate flows (n x n), in the table's currency unit.
    x
        Gross output (n,), same unit.

    Returns
    -------
    numpy.ndarray
        ``v = x - 1' Z`` (n,), same unit.
    """
    z = _as_float(Z, "Z", 2)
    return np.asarray(_as_float(x, "x", 1) - z.sum(axis=0), dtype=np.float64)


def technical_coefficients(Z: npt.ArrayLike, x: npt.ArrayLike) -> FloatArray:
    """Technical (input) coefficients ``A = Z diag(x)^-1``.

    Parameters
    ----------
    Z
        Intermediate flows (n x n), currency unit.
    x
        Gross output (n,), same unit.

    Returns
    -------
    numpy.ndarray
        ``A`` (n x n), unitless; columns of zero-output sectors are zero.
    """
    z = _as_float(Z, "Z", 2)
    return np.asarray(z * _safe_reciprocal(_as_float(x, "x", 1))[None, :], dtype=np.float64)


def allocation_coefficients(Z: npt.ArrayLike, x: npt.ArrayLike) -> FloatArray:
    """Allocation (output) coefficients of the Ghosh model ``B = diag(x)^-1 Z``.

    Parameters
    ----------
    Z
        Intermediate flows (n x n), currency unit.
    x
        Gross output (n,), same unit.

    Returns
    -------
    numpy.ndarray
        ``B`` (n x n), unitless; rows of zero-output sectors are zero.
    """
    z = _as_float(Z, "Z", 2)
    return np.asarray(_safe_reciprocal(_as_float(x, "x", 1))[:, None] * z, dtype=np.float64)


def value_added_coefficients(Z: npt.ArrayLike, x: npt.ArrayLike) -> FloatArray:
    """Value added per unit of output ``v / x`` (unitless; 0 where output is 0)."""
    xx = _as_float(x, "x", 1)
    return np.asarray(value_added(Z, xx) * _safe_reciprocal(xx), dtype=np.float64)


def _inverse_of_identity_minus(M: FloatArray, name: str) -> FloatArray:
    n = M.shape[0]
    if M.shape != (n, n):
        raise InvalidDataError(
            f"expected a square matrix, got shape {M.shape}", field=name, fix="pass an n x n matrix"
        )
    try:
        # One LU factorisation (LAPACK getrf/getri), the same route as pymrio.calc_L.
        return np.asarray(np.linalg.inv(np.eye(n) - M), dtype=np.float64)
    except np.linalg.LinAlgError as exc:
        raise InvalidDataError(
            f"I - {name} is singular, so the model has no unique solution",
            field=name,
            fix="check for sectors whose intermediate inputs equal or exceed their output",
        ) from exc


def leontief_inverse(A: npt.ArrayLike) -> FloatArray:
    """Leontief inverse ``L = (I - A)^-1`` (demand-driven model).

    Parameters
    ----------
    A
        Technical coefficients (n x n), unitless.

    Returns
    -------
    numpy.ndarray
        ``L`` (n x n), unitless: output of row i needed per unit of final demand for j.
    """
    return _inverse_of_identity_minus(_as_float(A, "A", 2), "A")


def ghosh_inverse(B: npt.ArrayLike) -> FloatArray:
    """Ghosh inverse ``G = (I - B)^-1`` (supply-driven model).

    Parameters
    ----------
    B
        Allocation coefficients (n x n), unitless.

    Returns
    -------
    numpy.ndarray
        ``G`` (n x n), unitless: output of column j enabled per unit of primary input in i.
    """
    return _inverse_of_identity_minus(_as_float(B, "B", 2), "B")


def leontief_output(L: npt.ArrayLike, y: npt.ArrayLike) -> FloatArray:
    """Output required by final demand, ``x = L y`` (batched over columns of ``y``).

    Parameters
    ----------
    L
        Leontief inverse (n x n), unitless.
    y
        Final demand (n,) or (n x k) for k scenarios, currency unit.

    Returns
    -------
    numpy.ndarray
        Gross output, same shape and unit as ``y``.
    """
    return np.asarray(np.asarray(L, dtype=np.float64) @ np.asarray(y, dtype=np.float64))


def ghosh_output(G: npt.ArrayLike, v: npt.ArrayLike) -> FloatArray:
    """Output enabled by primary inputs, ``x' = v' G`` (batched over rows of ``v``).

    Parameters
    ----------
    G
        Ghosh inverse (n x n), unitless.
    v
        Primary inputs (value added), (n,) or (k x n) for k scenarios, currency unit.

    Returns
    -------
    numpy.ndarray
        Gross output, same shape and unit as ``v``.
    """
    return np.asarray(np.asarray(v, dtype=np.float64) @ np.asarray(G, dtype=np.float64))


def cost_push_prices(L: npt.ArrayLike, va_coefficients: npt.ArrayLike) -> FloatArray:
    """Leontief cost-push price model ``p' = v_c' L``, i.e. ``p = L' v_c``.

    With the table's own value-added coefficients every price is 1 (basic prices of the
    base year); a change ``dv_c`` in primary-input costs per unit of output (e.g. dearer
    imports) gives the price change ``L' dv_c``. The model is the dual of
    :func:`leontief_output`: ``p' y = v_c' x`` for any ``y`` and ``v_c``.

    Parameters
    ----------
    L
        Leontief inverse (n x n), unitless.
    va_coefficients
        Primary-input cost per unit of output (n,) or (n x k) for k scenarios, unitless.

    Returns
    -------
    numpy.ndarray
        Price indices (1 = base) or price changes, same shape as ``va_coefficients``.
    """
    return np.asarray(
        np.asarray(L, dtype=np.float64).T @ np.asarray(va_coefficients, dtype=np.float64)
    )


def output_multipliers(L: npt.ArrayLike) -> FloatArray:
    """Type-I output multipliers: world output per unit of final demand, ``1' L``.

    Parameters
    ----------
    L
        Leontief inverse (n x n), unitless.

    Returns
    -------
    numpy.ndarray
        (n,), unitless.
    """
    return np.asarray(np.asarray(L, dtype=np.float64).sum(axis=0))


def value_added_multipliers(
    L: npt.ArrayLike, va_coefficients: npt.ArrayLike, n_regions: int | None = None
) -> FloatArray:
    """Value added generated per unit of final demand for each product.

    Parameters
    ----------
    L
        Leontief inverse (n x n), unitless.
    va_coefficients
        Value added per unit of output (n,), unitless.
    n_regions
        If given, split the multiplier by the region where the value added arises.

    Returns
    -------
    numpy.ndarray
        ``v_c' L`` (n,) (equal to 1 wherever the coefficients are the table's own), or,
        with ``n_regions``, an (R x n) matrix whose row r is the value added in region r
        per unit of final demand for product j (a domestic-content / GVC measure).
    """
    LL = np.asarray(L, dtype=np.float64)
    vc = np.asarray(va_coefficients, dtype=np.float64)
    if n_regions is None:
        return np.asarray(vc @ LL)
    n = LL.shape[0]
    if n % n_regions:
        raise InvalidDataError(
            f"{n} region-sectors cannot be split into {n_regions} regions",
            field="n_regions",
            fix="pass the number of regions of the table",
        )
    contrib = (vc[:, None] * LL).reshape(n_regions, n // n_regions, n)
    return np.asarray(contrib.sum(axis=1))
