"""Infrastructure networks: reroute what a closed link carried by min-cost flow (networkx)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]

#: Flows are solved in kilotonnes and costs in US cents per tonne: networkx's min-cost
#: flow is exact only for integer capacities and weights.
_KT_PER_MT = 1000.0
_CENTS = 100.0


@dataclass(frozen=True)
class RerouteResult:
    """Outcome of closing links of a network.

    All volumes are in Mt per year, per edge in the order of ``edge_ids``.
    """

    edge_ids: tuple[str, ...]
    baseline: Array
    rerouted: Array
    new_flow: Array
    blocked_volume: float
    delivered: float
    unserved: float


def solve_reroute(
    edge_ids: Sequence[str],
    tails: Sequence[str],
    heads: Sequence[str],
    capacity_mt: Array,
    baseline_mt: Array,
    unit_cost: Array,
    removed: npt.ArrayLike,
    origin: str,
    destination: str,
) -> RerouteResult:
    """Reroute the volume carried by ``removed`` edges over the rest at least cost.

    Parameters
    ----------
    edge_ids, tails, heads
        Edge ids and their end nodes (parallel edges are allowed).
    capacity_mt
        Capacity per edge, Mt/yr (``np.inf`` for unconstrained links such as terminals).
    baseline_mt
        Volume each edge carries today, Mt/yr.
    unit_cost
        Cost per tonne on each edge, US$/t (used to rank alternatives).
    removed
        True for edges closed by the lever.
    origin, destination
        Nodes where the rerouted volume starts and must arrive.

    Returns
    -------
    RerouteResult
        Rerouted and new flows per edge, the volume blocked, delivered and unserved.
    """
    cap = np.asarray(capacity_mt, dtype=float)
    base = np.asarray(baseline_mt, dtype=float)
    cut = np.asarray(removed, dtype=bool)
    if np.any(base < 0) or np.any(cap < 0):
        raise ValueError("capacities and volumes must be non-negative")
    blocked = float(base[cut].sum())
    graph = nx.DiGraph()
    demand_kt = round(blocked * _KT_PER_MT)
    graph.add_edge("__supply__", origin, capacity=demand_kt, weight=0)
    for i, (edge, tail, head) in enumerate(zip(edge_ids, tails, heads, strict=True)):
        if cut[i]:
            continue
        mid = f"__edge__{edge}"
        spare = cap[i] - base[i]
        attrs: dict[str, int] = {"weight": round(float(unit_cost[i]) * _CENTS)}
        if np.isfinite(spare):
            attrs["capacity"] = max(0, int(np.floor(spare * _KT_PER_MT)))
        graph.add_edge(tail, mid, **attrs)
        graph.add_edge(mid, head, weight=0)
    rerouted = np.zeros(len(edge_ids))
    if demand_kt > 0 and destination in graph and nx.has_path(graph, "__supply__", destination):
        flow = nx.max_flow_min_cost(graph, "__supply__", destination)
        for i, edge in enumerate(edge_ids):
            mid = f"__edge__{edge}"
            if not cut[i] and mid in flow:
                rerouted[i] = flow[mid][heads[i]] / _KT_PER_MT
    # Flow into the destination counts once, on the edges that reach it.
    into_destination = np.array([h == destination for h in heads])
    delivered = float(rerouted[into_destination].sum())
    delivered = min(delivered, blocked)
    new_flow = np.where(cut, 0.0, base + rerouted)
    return RerouteResult(
        edge_ids=tuple(edge_ids),
        baseline=base,
        rerouted=rerouted,
        new_flow=new_flow,
        blocked_volume=blocked,
        delivered=delivered,
        unserved=max(0.0, blocked - delivered),
    )
