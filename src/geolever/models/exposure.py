"""Exposure accounting (partial equilibrium): shares at risk and partner concentration."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]


def calc_share(at_risk: Array | float, denominator: float) -> Array:
    """Return ``at_risk / denominator`` in percent (e.g. loss as % of GDP).

    Parameters
    ----------
    at_risk
        Flow at risk, same unit as ``denominator`` (US$ per year).
    denominator
        GDP, budget revenue, export earnings... (US$ per year), must be positive.
    """
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    return 100.0 * np.asarray(at_risk, dtype=float) / denominator


def calc_hhi(shares: Array) -> Array:
    """Herfindahl-Hirschman index of partner shares along the last axis (0-10,000).

    Shares are normalised to sum to one first, so partial lists give the concentration
    among the partners listed.
    """
    s = np.asarray(shares, dtype=float)
    total = s.sum(axis=-1, keepdims=True)
    norm = np.divide(s, total, out=np.zeros_like(s), where=total > 0)
    return 10_000.0 * np.square(norm).sum(axis=-1)


def calc_hhi_bounds(partner_share: Array | float) -> tuple[Array, Array]:
    """Bounds of the HHI (0-10,000) when only one partner's share ``s`` is known.

    The other partners hold ``1 - s`` together: the HHI is lowest when they are many and
    small (``s**2``) and highest when they are one (``s**2 + (1 - s)**2``).
    """
    s = np.clip(np.asarray(partner_share, dtype=float), 0.0, 1.0)
    return 10_000.0 * s**2, 10_000.0 * (s**2 + (1.0 - s) ** 2)
