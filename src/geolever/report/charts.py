"""Charts as SVG text (matplotlib), embedded inline so the HTML report is self-contained."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from geolever.effects.engines.rerouting import EdgeRow

TARGET_COLOUR = "#c0392b"
SENDER_COLOUR = "#2c3e50"


def _svg(fig: Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]


def _legend_below(fig: Figure, ax: Any, ncol: int) -> None:
    """Put the legend about 0.55 inch under the axes (below the x label), not over bars."""
    axes_height = fig.get_figheight() * ax.get_position().height
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.55 / axes_height),
              ncol=ncol, frameon=False)


def loss_vs_cost_chart(result: dict[str, Any]) -> str:
    """Horizontal bars of target loss and sender cost per lever (US$m), p5-p95 whiskers."""
    return _svg(loss_vs_cost_figure(result))


def _wrap(text: str, width: int = 34, lines: int = 3) -> str:
    """Wrap a bar label at words into at most ``lines`` lines (the last cut with …)."""
    parts = textwrap.wrap(text, width) or [""]
    if len(parts) > lines:
        parts = [*parts[:lines - 1], textwrap.shorten(" ".join(parts[lines - 1:]), width,
                                                       placeholder=" …")]
    return "\n".join(parts)


def loss_vs_cost_figure(result: dict[str, Any]) -> Figure:
    """Return the figure of :func:`loss_vs_cost_chart` (a result.json document).

    Bars are labelled with the levers' labels (wrapped), not their ids.
    """
    levers = [lv for lv in result["levers"]]
    labels = [_wrap(f"{lv['label']}{' (judgement)' if lv['judgement'] else ''}")
              + f"\n[{lv['verdict']}]" for lv in levers]
    y = np.arange(len(levers))
    fig, ax = plt.subplots(figsize=(9, 1.2 + 0.85 * len(levers)))
    for offset, key, colour, name in ((-0.18, "target_loss_usd", TARGET_COLOUR,
                                       f"{result['target']} loss"),
                                      (0.18, "sender_cost_usd", SENDER_COLOUR,
                                       f"{result['sender']} cost")):
        mid = np.array([lv[key]["p50"] for lv in levers]) / 1e6
        lo = mid - np.array([lv[key]["p5"] for lv in levers]) / 1e6
        hi = np.array([lv[key]["p95"] for lv in levers]) / 1e6 - mid
        ax.barh(y + offset, mid, height=0.34, color=colour, label=name,
                xerr=np.vstack([np.clip(lo, 0, None), np.clip(hi, 0, None)]),
                error_kw={"elinewidth": 1, "capsize": 3, "ecolor": "#7f8c8d"})
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.6)
    ax.set_xlabel("US$ million per year (median; whiskers: 5th-95th percentile)")
    ax.set_title(f"Target loss vs sender cost, {result['sender']} -> {result['target']}, "
                 f"{result['year']}", fontsize=10)
    # the legend sits under the axes, never over the bars
    _legend_below(fig, ax, ncol=2)
    ax.grid(axis="x", alpha=0.3)
    return fig


def route_edges(lever: dict[str, Any]) -> list[EdgeRow]:
    """Return the routes table of a result.json lever (``details.edges``; [] if it has none).

    Engines that move freight on a network report one (the rerouting engine's
    :class:`~geolever.effects.engines.rerouting.ReroutingDetails`); the others report other
    details or none (``details`` is None). The rows are read back into their typed model.
    """
    details = lever["details"]
    return [EdgeRow.model_validate(e) for e in (details or {}).get("edges") or []]


def routes_chart(edges: Sequence[EdgeRow], title: str) -> str:
    """Capacity vs volume carried (Mt/yr) for each route of a network, before and after."""
    return _svg(routes_figure(edges, title))


def routes_figure(edges: Sequence[EdgeRow], title: str) -> Figure:
    """Return the figure of :func:`routes_chart` (a network lever's :func:`route_edges`).

    Routes are labelled with their names (wrapped), the legend sits under the axes.
    """
    names = [_wrap(e.name or e.id, 30) for e in edges]
    y = np.arange(len(edges))
    caps = np.array([np.nan if e.capacity_mt is None else e.capacity_mt for e in edges])
    vol = np.array([e.volume_mt for e in edges])
    new = np.array([e.new_volume_mt for e in edges])
    fig, ax = plt.subplots(figsize=(9, 1.4 + 0.75 * len(edges)))
    ax.barh(y, np.nan_to_num(caps), height=0.7, color="#ecf0f1", edgecolor="#95a5a6",
            label="capacity")
    ax.barh(y - 0.15, vol, height=0.28, color="#2980b9", label="carried (baseline)")
    ax.barh(y + 0.15, new, height=0.28, color="#e67e22", label="after the lever")
    for i, e in enumerate(edges):
        if not e.operating:
            ax.text(0.02, i, "  suspended", va="center", fontsize=8, color="#c0392b")
    ax.set_yticks(y, names, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("Mt per year")
    ax.set_title(_wrap(title, 80, 2), fontsize=10)
    _legend_below(fig, ax, ncol=3)
    ax.grid(axis="x", alpha=0.3)
    return fig
