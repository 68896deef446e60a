"""Partial-equilibrium losses from a cut bilateral goods flow, for exporter and importer."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]


def calc_exporter_loss(cut_value: Array | float, replaced: Array | float,
                       value_added_share: Array | float, discount: Array | float) -> Array:
    """Income lost by the exporter when ``cut_value`` of its sales is stopped (US$).

    Sales not replaced lose their domestic value added; sales placed elsewhere lose the
    price discount needed to sell them:

        loss = V * [(1 - r) * va + r * d]
    """
    r = np.asarray(replaced, dtype=float)
    kept = (1 - r) * np.asarray(value_added_share) + r * np.asarray(discount)
    return np.asarray(cut_value) * kept


def calc_importer_loss(cut_value: Array | float, replaced: Array | float,
                       shortage_ratio: Array | float, premium: Array | float) -> Array:
    """Income lost by the importer when ``cut_value`` of its purchases is stopped (US$).

    Purchases not replaced cost a welfare loss per US$ (``shortage_ratio``); replaced ones
    cost the price premium of the alternative suppliers:

        loss = V * [(1 - r) * l + r * p]
    """
    r = np.asarray(replaced, dtype=float)
    return np.asarray(cut_value) * ((1 - r) * np.asarray(shortage_ratio) + r * np.asarray(premium))
