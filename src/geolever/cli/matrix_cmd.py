"""``geolever matrix``: the all-pairs leverage matrix from the store's trade flows.

Runs locally by default; ``--scheduler tcp://HOST:PORT`` sends the same chunks as tasks
to a Dask distributed scheduler, ``--engine dask`` starts a local Dask cluster. Writes
the long table (Parquet or CSV by the ``--out`` suffix) and a heatmap (``--chart``,
PNG or SVG), and prints the pairs with the most leverage.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from geolever.cli.common import check_choice, check_codes, check_option, fail
from geolever.cli.options import StoreOption, store_path
from geolever.cli.output import Column, FormatOption, OutTable, check_format, emit, status
from geolever.core.errors import GeoleverError, InvalidDataError
from geolever.core.formats import format_money, format_pct
from geolever.core.inputs import NumericOptions
from geolever.core.outputs import check_output_file
from geolever.store.facts import FactStore

if TYPE_CHECKING:  # matplotlib and the assessment are imported when a matrix is computed
    from matplotlib.figure import Figure

#: Columns ``--chart-value`` may draw.
CHART_VALUES = ("target_loss_pct", "sender_cost_pct", "ratio")


def write_heatmap(frame: pd.DataFrame, path: Path, *, value: str = "target_loss_pct") -> Path:
    """Draw a sender x target heatmap of one column of the matrix to PNG or SVG.

    Parameters
    ----------
    frame
        Long matrix from :func:`geolever.assessment.matrix.leverage_matrix`.
    path
        File to write; the suffix (``.png`` or ``.svg``) picks the format.
    value
        Column to draw (``target_loss_pct``, ``sender_cost_pct`` or ``ratio``, drawn
        on a log10 scale).

    Returns
    -------
    Path
        ``path``.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if path.suffix.lower() not in (".png", ".svg"):
        raise InvalidDataError(
            f"cannot draw a {path.suffix} chart",
            field="--chart",
            fix="use a .png or .svg file name",
        )
    fig = heatmap_figure(frame, value=value)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def heatmap_figure(frame: pd.DataFrame, *, value: str = "target_loss_pct") -> Figure:
    """Return the sender x target heatmap of one column of the matrix (matplotlib).

    Parameters
    ----------
    frame
        Long matrix from :func:`geolever.assessment.matrix.leverage_matrix`.
    value
        Column to draw (``target_loss_pct``, ``sender_cost_pct`` or ``ratio``, drawn
        on a log10 scale).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from geolever.assessment.matrix import matrix_pivot

    table = matrix_pivot(frame, value)
    data = table.to_numpy(dtype=float)
    label = value.replace("_", " ")
    if value == "ratio":
        with np.errstate(divide="ignore", invalid="ignore"):
            data = np.log10(data)
        label = "log10(target loss / sender cost)"
    n = max(table.shape)
    size = min(4 + 0.12 * n, 30)
    fig, ax = plt.subplots(figsize=(size, size * 0.85))
    image = ax.imshow(data, cmap="magma_r", aspect="auto", interpolation="nearest")
    step = max(1, n // 60)
    ax.set_xticks(
        range(0, table.shape[1], step),
        table.columns[::step],
        rotation=90,
        fontsize=6 if n > 30 else 8,
    )
    ax.set_yticks(range(0, table.shape[0], step), table.index[::step], fontsize=6 if n > 30 else 8)
    ax.set_xlabel("target")
    ax.set_ylabel("sender")
    attrs = frame.attrs
    ax.set_title(
        f"{attrs.get('lever', '')} {attrs.get('year', '')}: {label} "
        f"(GE gravity, sigma={attrs.get('sigma', '')})"
    )
    fig.colorbar(image, ax=ax, label=label)
    fig.tight_layout()
    return fig


def write_matrix(frame: pd.DataFrame, path: Path) -> Path:
    """Write the long matrix to Parquet (``.parquet``) or CSV (``.csv``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        plain = pd.DataFrame(frame)
        plain.attrs = {}
        plain.to_parquet(path, index=False)
    elif suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        raise InvalidDataError(
            f"cannot write {suffix} files", field="--out", fix="use a .parquet or .csv file name"
        )
    return path


@contextlib.contextmanager
def dask_client(scheduler: str | None, engine: str) -> Iterator[Any]:
    """Yield a Dask client for ``--scheduler`` / ``--engine dask``, or None for local runs."""
    if scheduler is None and engine == "local":
        yield None
        return
    if engine not in ("local", "dask"):
        raise InvalidDataError(
            f"unknown engine {engine!r}", field="--engine", fix="use 'local' or 'dask'"
        )
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except OSError as err:
            raise InvalidDataError(
                f"cannot reach the Dask scheduler {scheduler}: {err}",
                field="--scheduler",
                fix="start it (dask scheduler) or check the address",
            ) from None
        with client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _top(frame: pd.DataFrame, k: int = 15) -> OutTable:
    """Return the ``k`` pairs with the largest target loss, as a printable table."""
    rows = frame.nlargest(k, "target_loss_pct").to_dict("records")
    return OutTable(
        name="top_pairs",
        title="Pairs with the largest target loss",
        columns=[Column("sender", "sender", "short"), Column("target", "target", "short"),
                 Column("target_loss_pct", "target loss, % GDP", "num", fmt=format_pct),
                 Column("sender_cost_pct", "sender cost, % GDP", "num", fmt=format_pct),
                 Column("ratio", "loss/cost", "num",
                        fmt=lambda r: "n/a" if r is None or np.isnan(r) else f"{r:,.2f}x"),
                 Column("flow_cut_usd", "flow cut, US$/yr", "num", fmt=format_money)],
        rows=[{str(key): v for key, v in r.items()} for r in rows],
    )


def matrix_command(
    year: Annotated[int, typer.Option(help="Year of the trade flows.")],
    lever: Annotated[
        str,
        typer.Option(
            help="export_ban (sender stops selling to target), import_ban, or embargo (both)."
        ),
    ] = "export_ban",
    countries: Annotated[
        str | None,
        typer.Option(help="Comma-separated ISO3 codes (others form ROW); default every country."),
    ] = None,
    goods: Annotated[
        str,
        typer.Option(
            help="Restricted product groups, comma-separated (food, energy, metals, chemicals, "
            "machinery, other) or TOTAL."
        ),
    ] = "TOTAL",
    tariff_pct: Annotated[
        float | None, typer.Option(help="Ad-valorem tariff in percent instead of an embargo.")
    ] = None,
    sigma: Annotated[float, typer.Option(help="Elasticity of substitution (> 1).")] = 5.0,
    closure: Annotated[
        str,
        typer.Option(
            help="fixed_share (deficits fixed as a share of world output) or proportional "
            "(spending/income fixed up to one world factor)."
        ),
    ] = "fixed_share",
    dataset: Annotated[
        str | None, typer.Option(help="Store dataset of flows (when several hold the year).")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Write the matrix (.parquet or .csv).")] = None,
    chart: Annotated[Path | None, typer.Option(help="Write a heatmap (.png or .svg).")] = None,
    chart_value: Annotated[
        str, typer.Option(help="Heatmap column: target_loss_pct, sender_cost_pct or ratio.")
    ] = "target_loss_pct",
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address, e.g. tcp://10.0.0.5:8786.")
    ] = None,
    engine: Annotated[str, typer.Option(help="local, or dask (a local Dask cluster).")] = "local",
    chunk: Annotated[
        int | None, typer.Option(help="Pairs per task (default: seconds each).")
    ] = None,
    store: StoreOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Compute the leverage matrix for every ordered sender-target pair (GE gravity)."""
    from geolever.assessment.matrix import MATRIX_LEVERS, leverage_matrix
    from geolever.levers.kinds.trade_restriction import TradeRestriction
    from geolever.world.matrix import baseline_from_store

    console = Console(stderr=True)  # progress and notes; stdout is for the table
    try:
        check_format(fmt)
        # options checked by the shared pydantic fields before any data is read (issue 14)
        check_option("--tariff-pct", tariff_pct, TradeRestriction, "tariff_pct")
        check_option("--sigma", sigma, NumericOptions, "sigma")
        check_option("--chunk", chunk, NumericOptions, "chunk")
        check_choice("--chart-value", chart_value, CHART_VALUES)
        check_choice("--engine", engine, ("local", "dask"))
        check_codes("--countries", countries)
        for option, target in (("--out", out), ("--chart", chart)):
            if target is not None:
                check_output_file(target, option)
        if lever not in MATRIX_LEVERS:
            raise InvalidDataError(
                f"unknown lever {lever!r}",
                field="--lever",
                fix=f"use one of: {', '.join(MATRIX_LEVERS)}",
            )
        if closure not in ("fixed_share", "proportional"):
            raise InvalidDataError(
                f"unknown closure {closure!r}",
                field="--closure",
                fix="use fixed_share or proportional",
            )
        path = store_path(store)
        groups = [g.strip().lower() for g in goods.split(",") if g.strip()]
        groups = [] if groups in ([], ["total"]) else groups
        with FactStore(path) as db:
            base = baseline_from_store(
                db,
                year,
                countries.split(",") if countries else None,
                goods=groups or None,
                dataset=dataset,
            )
        pairs = (base.n - (1 if base.rest else 0)) * (base.n - (1 if base.rest else 0) - 1)
        with (
            dask_client(scheduler, engine) as client,
            Progress(
                TextColumn("[progress.description]{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                TimeElapsedColumn(),
                console=console,
            ) as bar,
        ):
            task = bar.add_task(
                f"{pairs} ordered pairs ({'dask' if client else 'local'})", total=pairs
            )
            frame = leverage_matrix(
                base,
                lever=lever,
                sigma=sigma,
                tariff_pct=tariff_pct,
                chunk=chunk,
                client=client,
                progress=lambda k: bar.advance(task, k),
                closure=closure,  # type: ignore[arg-type]
            )
        frame.attrs["goods"] = groups or ["TOTAL"]
        if out:
            write_matrix(frame, out)
        if chart:
            write_heatmap(frame, chart, value=chart_value)
    except GeoleverError as err:
        fail(err)
    emit([_top(frame)], fmt)
    failed = frame[~frame["converged"]]
    if len(failed):
        console.print(
            f"[yellow]{len(failed)} of {len(frame)} pair(s) have no result (NaN, "
            "converged=False, the reason column says why):[/yellow]",
            markup=True,
        )
        kinds = failed["reason"].str.split(":").str[0].value_counts()
        for kind, count in kinds.items():
            first = failed[failed["reason"].str.startswith(str(kind))].iloc[0]
            console.print(
                f"  {count} {kind}, e.g. {first['sender']} -> {first['target']}: "
                f"{first['reason'].split(': ', 1)[-1]}",
                markup=False,
                highlight=False,
            )
    for note in frame.attrs["assumptions"]:
        console.print(f"[dim]assumption: {escape(note)}[/dim]")
    if out:
        status(f"wrote {len(frame)} pairs to {out}", fmt)
    if chart:
        status(f"wrote heatmap {chart}", fmt)
