"""Remittances: household income lost when a corridor of transfers is banned."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from geolever.models.substitution import calc_unrerouted

Array = npt.NDArray[np.float64]


def calc_remittance_loss(flow: Array | float, banned_share: float,
                         rerouted_share: Array | float) -> Array:
    """Household income lost (US$/yr): the banned flow that does not find another channel.

    ``loss = flow * banned_share * (1 - rerouted_share)``
    """
    return calc_unrerouted(flow, banned_share, rerouted_share)


def calc_indirect_budget_loss(household_loss: Array | float,
                              consumption_tax_share: Array | float) -> Array:
    """Budget revenue lost through consumption taxes on the household income lost (US$/yr).

    Remittances are household income, not budget revenue: the state only loses the
    indirect taxes it would have collected when the money was spent.
    """
    return np.asarray(household_loss, dtype=float) * np.asarray(consumption_tax_share)
