"""Charts of results as matplotlib figures, for notebooks and scripts.

The figures are the report's own (:mod:`geolever.report.charts`, the matrix command's
heatmap), returned instead of written, so a notebook shows what the report shows.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from geolever.core.errors import GeoleverError


def loss_vs_cost(doc: dict[str, Any]) -> Figure:
    """Target loss against sender cost per lever (US$ million/yr, p5-p95 whiskers).

    Parameters
    ----------
    doc
        A result.json document (``Assessment.document``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from geolever.report.charts import loss_vs_cost_figure

    return loss_vs_cost_figure(doc)


def routes(doc: dict[str, Any], lever: str | None = None) -> Figure:
    """Capacity and volume carried (Mt/yr) on each route of a network lever.

    Parameters
    ----------
    doc
        A result.json document.
    lever
        Id of a lever with routes (a transit block or corridor exclusion); default the
        first one.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    GeoleverError
        If the lever does not exist or has no routes.
    """
    from geolever.report.charts import route_edges, routes_figure

    with_routes = [lv for lv in doc["levers"] if route_edges(lv)]
    chosen = [lv for lv in with_routes if lever is None or lv["id"] == lever]
    if not chosen:
        ids = ", ".join(lv["id"] for lv in with_routes) or "none"
        raise GeoleverError(f"no route chart for lever {lever!r}" if lever else
                            "no lever of this assessment has routes", field="lever",
                            fix=f"use a lever with routes: {ids}")
    lv = chosen[0]
    return routes_figure(route_edges(lv), f"{lv['label']}: capacity and volume carried")


def heatmap(frame: pd.DataFrame, value: str = "target_loss_pct") -> Figure:
    """Sender x target heatmap of one column of the all-pairs matrix.

    Parameters
    ----------
    frame
        The matrix from :func:`geolever.matrix`.
    value
        ``target_loss_pct``, ``sender_cost_pct`` (% of own GDP) or ``ratio`` (drawn on a
        log10 scale).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from geolever.cli.matrix_cmd import heatmap_figure

    return heatmap_figure(frame, value=value)


def svg(fig: Figure) -> str:
    """Return ``fig`` as inline SVG text and close it (for HTML display)."""
    from geolever.report.charts import _svg

    return _svg(fig)
