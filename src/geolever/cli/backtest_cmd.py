"""``geolever backtest``: assess past episodes as of the year before and score the outcome."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from geolever.backtest import EpisodeResult, prepare, read_episode, run_episode, shipped_episodes
from geolever.backtest.calibrate import (
    Calibration,
    calibrate,
    calibrated_parameters,
    evaluations,
)
from geolever.backtest.report import fmt_band, fmt_value, verdict_of, write_backtest_report
from geolever.cli.common import console, err_console, friendly_errors

CALIBRATED_HEADER = """\
# Substitution parameters fitted to the backtest episodes by `geolever backtest --out DIR`
# (scale of g, scale of n, band widening; see README, 'Backtest'). Their basis is the
# episodes, named in each `source` with the leave-one-out record of the fit. A case pack or
# the generic defaults can take them over; with a leave-one-out record worse than the
# shipped values' they are not used by default.
"""


def _print(results: list[EpisodeResult], calibration: Calibration | None) -> None:
    table = Table(title="Backtest: predicted (as of the year before) vs observed",
                  show_lines=False)
    for col in ("episode", "lever", "horizon", "metric", "predicted p50 [p5-p95]", "observed",
                "inside 90%?", "pred/obs"):
        table.add_column(col, overflow="fold")
    for res in results:
        for r in res.rows:
            metric = "rerouted" if r.metric == "rerouted_share" else "not replaced US$m"
            table.add_row(r.episode, r.lever, f"{r.horizon} ({r.year})", metric, fmt_band(r),
                          fmt_value(r, r.observed), verdict_of(r),
                          "-" if r.ratio is None else f"{r.ratio:.2f}")
    console.print(table)
    if calibration is not None:
        cal = Table(title="Calibration: coverage of the 90% bands and median abs. log error")
        for col in ("parameters", "metric", "n", "coverage", "MALE"):
            cal.add_column(col)
        for label, summary in (("shipped", calibration.prior),
                               ("leave-one-out", calibration.loo),
                               ("in-sample", calibration.in_sample)):
            for metric, s in summary.items():
                cal.add_row(label, metric, str(s["n"]),
                            "-" if s["coverage_90"] is None else f"{s['coverage_90']:.0%}",
                            "-" if s["median_abs_log_error"] is None
                            else f"{s['median_abs_log_error']:.2f}")
        console.print(cal)


@friendly_errors
def backtest_command(
    episodes: Annotated[list[str] | None, typer.Argument(
        help="Episode names or folders (default: every shipped episode)")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Write report.md, report.html, backtest.json (and the calibrated "
        "parameters) here")] = None,
    calibrate_: Annotated[bool, typer.Option(
        "--calibrate/--no-calibrate", help="Fit the substitution parameters to the episodes "
        "and score them by leave-one-out")] = True,
    draws: Annotated[int | None, typer.Option(help="Monte Carlo draws (default: each "
                                                   "episode's scenario)")] = None,
    seed: Annotated[int | None, typer.Option(help="Monte Carlo seed")] = None,
) -> None:
    """Assess past episodes as of the year before and set the predictions beside the outcome."""
    names = list(episodes or shipped_episodes())
    eps = [read_episode(n) for n in names]
    results = []
    calibration = None
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                  console=err_console) as bar:
        task = bar.add_task("backtesting episodes", total=len(eps))
        prepared = []
        for ep in eps:
            prep = prepare(ep)
            prepared.append(prep)
            results.append(run_episode(ep, n_draws=draws, seed=seed, prepared=prep))
            bar.advance(task)
        if calibrate_ and len(eps) > 1:
            fit_task = bar.add_task("calibrating (leave-one-out)",
                                    total=evaluations(len(eps)))
            calibration = calibrate(prepared, n_draws=draws or 1000,
                                    seed=42 if seed is None else seed,
                                    progress=lambda n: bar.advance(fit_task, n))
            bar.update(fit_task, completed=evaluations(len(eps)))
    _print(results, calibration)
    if out is not None:
        extra = {}
        if calibration is not None:
            params = calibrated_parameters(eps[0].parameters, calibration,
                                           [e.name for e in eps])
            extra["calibrated_parameters.yaml"] = CALIBRATED_HEADER + yaml.safe_dump(
                {"parameters": {k: v.model_dump(exclude={"name"}, exclude_none=True)
                                for k, v in params.items()}},
                sort_keys=False, allow_unicode=True, width=95)
        files = write_backtest_report(results, calibration, out, extra)
        console.print(f"wrote {', '.join(str(p) for p in files.values())}")
