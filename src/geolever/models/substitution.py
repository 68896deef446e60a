"""Substitution: how much of a lost market or supplier can be replaced, and how fast."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]


def calc_replaceable_share(partner_share: Array | float, existing_growth: Array | float,
                           new_market_share: Array | float) -> Array:
    """Share of a lost bilateral flow that other partners can take over within a horizon.

    The lost partner took ``s`` of the product's trade; the other partners took ``1 - s``.
    Within the horizon, trade with them can grow by ``g`` (a share of today's), and a
    share ``n`` of the lost flow can be placed with new partners:

        replaceable = min(1, (1 - s) / s * g + n)

    Parameters
    ----------
    partner_share
        ``s``, share of the lost partner in the product's exports (or imports), 0-1.
    existing_growth
        ``g``, attainable growth of trade with existing other partners (0 = none).
    new_market_share
        ``n``, share of the lost flow placed with new partners, 0-1.

    Returns
    -------
    Replaceable share, 0-1, broadcast over the inputs (e.g. Monte Carlo draws).
    """
    s = np.clip(np.asarray(partner_share, dtype=float), 1e-9, 1.0)
    return np.clip((1.0 - s) / s * np.asarray(existing_growth) + np.asarray(new_market_share),
                   0.0, 1.0)


def calc_tariff_cut(tariff: float | Array, elasticity: Array | float) -> Array:
    """Share of a flow that a tariff stops: ``1 - (1 + t) ** (-elasticity)``.

    Parameters
    ----------
    tariff
        Ad-valorem tariff as a fraction (0.25 = 25%).
    elasticity
        Trade elasticity (sigma - 1), positive.
    """
    return 1.0 - np.power(1.0 + np.asarray(tariff, dtype=float), -np.asarray(elasticity))


def calc_unrerouted(flow: Array | float, cut_share: float,
                    rerouted_share: Array | float) -> Array:
    """Return the part of a cut flow that finds no other channel or market (unit of flow).

    ``lost = flow * cut_share * (1 - rerouted_share)``
    """
    return np.asarray(flow, dtype=float) * cut_share * (1.0 - np.asarray(rerouted_share))
