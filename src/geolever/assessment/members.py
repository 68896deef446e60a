"""A coalition's cost shared among its members.

When the sender is a coalition (``G7``, ``EU27``, ``USA+GBR+DEU``), the lever's cost falls on
its members in proportion to their part of the flows the lever cuts: a member that sends
nothing to the target bears nothing of a remittance ban, and the largest buyer bears most of
an import ban. The parts come from the datasets themselves (each coalition sum keeps its
members' values, :attr:`geolever.core.quantity.Quantity.by_member`); each member's cost is
also given as a share of its own GDP, because a coalition's total can hide a member that
pays a large share of its economy.

The split is by value cut, over every flow of the lever (all goods and directions
together): a lever whose model does not see the members separately (general-equilibrium
trade-cost shocks, where the coalition is one region) gets no split, and says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from geolever.assessment.results import Band, MemberCost
from geolever.core.countries import country_name, group_members
from geolever.core.formats import format_money
from geolever.core.quantity import Quantity

Array = npt.NDArray[np.float64]


def calc_member_shares(sender: str, cut_flows: Sequence[Quantity]) -> dict[str, float]:
    """Return each member's share of the value cut, from the flows' member parts.

    Parameters
    ----------
    sender
        The coalition's code; a single country gives ``{}``.
    cut_flows
        The flows the lever cuts (US$ per year), each a coalition sum with ``by_member``.

    Returns
    -------
    dict
        Member -> share (summing to 1 over the members with a part); ``{}`` when the flows
        carry no member parts (the model sees the coalition as one) or cut nothing.
    """
    members = group_members(sender)
    if len(members) < 2:
        return {}
    totals = dict.fromkeys(members, 0.0)
    for flow in cut_flows:
        for member, value in flow.by_member:
            if member in totals:
                totals[member] += value
    whole = sum(totals.values())
    if whole <= 0:
        return {}
    return {m: v / whole for m, v in totals.items()}


def member_costs(sender: str, cut_flows: Sequence[Quantity], sender_cost_draws: Array,
                 member_gdp_usd: Mapping[str, float]) -> list[MemberCost]:
    """Split the coalition's cost draws among its members by their part of the flows cut.

    Parameters
    ----------
    sender
        The coalition's code.
    cut_flows
        The lever's cut flows (see :func:`calc_member_shares`).
    sender_cost_draws
        The coalition's cost per draw, US$ per year.
    member_gdp_usd
        Each member's GDP, US$ (members missing here get no % of GDP).

    Returns
    -------
    list of MemberCost
        Largest share first; empty when there is nothing to split.
    """
    shares = calc_member_shares(sender, cut_flows)
    rows = []
    for member, share in sorted(shares.items(), key=lambda kv: (-kv[1], kv[0])):
        cost = share * np.asarray(sender_cost_draws, dtype=np.float64)
        gdp = member_gdp_usd.get(member)
        rows.append(MemberCost(
            member=member, name=country_name(member), share_of_flow=share,
            cost_usd=Band.of(cost),
            cost_pct_gdp=None if not gdp else Band.of(100 * cost / gdp)))
    return rows


def member_cost_reason(parts: Sequence[MemberCost], *, shown: int = 3) -> str:
    """One sentence naming the members that bear most of the cost, in US$ and % of GDP."""
    def one(p: MemberCost) -> str:
        pct = "" if p.cost_pct_gdp is None else f", {p.cost_pct_gdp.p50:.3f}% of its GDP"
        return f"{p.name} {p.share_of_flow:.0%} ({format_money(p.cost_usd.p50)}{pct})"
    head = "; ".join(one(p) for p in parts[:shown])
    rest = len([p for p in parts[shown:] if p.share_of_flow > 0])
    more = f"; {rest} other members the rest" if rest else ""
    heaviest = max((p for p in parts if p.cost_pct_gdp is not None),
                   key=lambda p: p.cost_pct_gdp.p50 if p.cost_pct_gdp else 0.0, default=None)
    tail = ""
    if heaviest is not None and heaviest.cost_pct_gdp is not None and heaviest is not parts[0]:
        tail = (f" Relative to its economy {heaviest.name} bears most "
                f"({heaviest.cost_pct_gdp.p50:.3f}% of its GDP).")
    return ("The coalition's cost falls on its members by their part of the flows cut: "
            f"{head}{more}.{tail}")
