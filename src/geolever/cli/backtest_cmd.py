"""``geolever backtest``: assess past episodes as of the year before and score the outcome."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
import yaml
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from geolever.cli.common import err_console, friendly_errors
from geolever.cli.output import Column, FormatOption, OutTable, check_format, emit, status
from geolever.core.formats import format_share

if TYPE_CHECKING:  # the backtest (assessment, matplotlib) is imported when the command runs
    from geolever.backtest import EpisodeResult
    from geolever.backtest.calibrate import Calibration

CALIBRATED_HEADER = """\
# Substitution parameters fitted to the backtest episodes by `geolever backtest --out DIR`
# (scale of g, scale of n, band widening; see README, 'Backtest'). Their basis is the
# episodes, named in each `source` with the leave-one-out record of the fit. A case pack or
# the generic defaults can take them over; with a leave-one-out record worse than the
# shipped values' they are not used by default.
"""


def _tables(results: list[EpisodeResult], calibration: Calibration | None) -> list[OutTable]:
    """Return the backtest rows (and the calibration summary) as printable tables."""
    from geolever.backtest.report import fmt_band, fmt_value, verdict_of

    rows = [{**dataclasses.asdict(r),
             "metric_text": "rerouted" if r.metric == "rerouted_share" else "not replaced US$m",
             "horizon_text": f"{r.horizon} ({r.year})", "predicted_text": fmt_band(r),
             "observed_text": fmt_value(r, r.observed), "inside_text": verdict_of(r)}
            for res in results for r in res.rows]
    tables = [OutTable(
        name="backtest",
        title="Backtest: predicted (as of the year before) vs observed",
        columns=[Column("episode", "episode", "short"), Column("lever", "lever", "short"),
                 Column("label", "label", table=False),
                 Column("horizon", "horizon", table=False), Column("year", "year", table=False),
                 Column("horizon_text", "horizon", "short", data=False),
                 Column("metric", "metric", table=False),
                 Column("metric_text", "metric", "short", data=False),
                 Column("predicted", "predicted", table=False),
                 Column("predicted_text", "predicted p50 [p5-p95]", "short", data=False),
                 Column("observed", "observed", table=False),
                 Column("observed_text", "observed", "short", data=False),
                 Column("inside", "inside 90%", table=False),
                 Column("inside_text", "inside 90%?", "short", data=False),
                 Column("ratio", "pred/obs", "num",
                        fmt=lambda v: "-" if v is None else f"{v:.2f}"),
                 Column("abs_log_error", "abs log error", table=False),
                 Column("note", "note", "long"), Column("sources", "sources", table=False)],
        rows=rows, full_text="the report (--out) or --format json")]
    if calibration is not None:
        cal = [{"parameters": label, "metric": metric, **s}
               for label, summary in (("shipped", calibration.prior),
                                      ("leave-one-out", calibration.loo),
                                      ("in-sample", calibration.in_sample))
               for metric, s in summary.items()]
        tables.append(OutTable(
            name="calibration",
            title="Calibration: coverage of the 90% bands and median abs. log error",
            columns=[Column("parameters", "parameters", "short"),
                     Column("metric", "metric", "short"), Column("n", "n", "num"),
                     Column("coverage_90", "coverage", "num", fmt=format_share),
                     Column("median_abs_log_error", "MALE", "num",
                            fmt=lambda v: "-" if v is None else f"{v:.2f}")],
            rows=cal))
    return tables


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
    fmt: FormatOption = "table",
) -> None:
    """Assess past episodes as of the year before and set the predictions beside the outcome."""
    from geolever.backtest import prepare, read_episode, run_episode, shipped_episodes
    from geolever.backtest.calibrate import calibrate, calibrated_parameters, evaluations
    from geolever.backtest.report import write_backtest_report

    check_format(fmt)
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
    emit(_tables(results, calibration), fmt)
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
        status(f"wrote {', '.join(str(p) for p in files.values())}", fmt)
