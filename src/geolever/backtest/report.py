"""The backtest report: a table per episode, one chart, the calibration; Markdown and HTML."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from geolever.backtest.calibrate import Calibration
from geolever.backtest.compare import EpisodeResult, Row
from geolever.report.charts import TARGET_COLOUR, _svg
from geolever.report.render import html_page, to_json, write_files

METRIC_TITLES = {"rerouted_share": "rerouted share of the lost exports",
                 "unreplaced_loss": "exports not replaced (US$m at the base-year flow)"}


def fmt_value(row: Row, value: float | None) -> str:
    """Format a share (rerouted) or a loss in US$m (unreplaced share x base-year flow)."""
    if value is None:
        return "-"
    if row.metric == "unreplaced_loss":
        return f"{value * row.scale_usd / 1e6:,.0f}"
    return f"{value:.0%}"


def fmt_band(row: Row) -> str:
    """Format the predicted p50 [p5-p95]."""
    b = row.predicted
    return f"{fmt_value(row, b['p50'])} [{fmt_value(row, b['p5'])}-{fmt_value(row, b['p95'])}]"


def verdict_of(row: Row) -> str:
    """Return 'inside', 'MISS (below/above)' or '-' for a row."""
    if row.inside is None or row.observed is None:
        return "-"
    if row.inside:
        return "inside"
    return "MISS (" + ("over" if row.predicted["p50"] > row.observed else "under") + \
        "-predicted)"


def band_chart(rows: Sequence[Row]) -> str:
    """Predicted 90% bands (bars, median tick) against the observed points, rerouted share."""
    shown = [r for r in rows if r.metric == "rerouted_share" and r.observed is not None]
    fig, ax = plt.subplots(figsize=(8, 0.5 * max(len(shown), 2) + 1))
    y = np.arange(len(shown))
    for i, r in enumerate(shown):
        ax.plot([r.predicted["p5"], r.predicted["p95"]], [i, i], lw=6, color="#95a5a6",
                solid_capstyle="butt", label="predicted 90% band" if i == 0 else None)
        ax.plot([r.predicted["p50"]], [i], "|", ms=14, color="#2c3e50",
                label="predicted median" if i == 0 else None)
        ax.plot([float(r.observed or 0.0)], [i], "o", color=TARGET_COLOUR,
                label="observed" if i == 0 else None)
    ax.set_yticks(y, [f"{r.episode} {r.lever} {r.horizon}" for r in shown])
    ax.set_xlabel("share of the lost exports sold elsewhere")
    ax.axvline(0, color="black", lw=0.5)
    ax.invert_yaxis()
    if shown:
        ax.legend(loc="lower right", fontsize=8)
    ax.set_title("Backtest: predicted rerouting vs observed")
    return _svg(fig)


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(results: Sequence[EpisodeResult], calibration: Calibration | None) -> str:
    """Render the Markdown report."""
    lines = ["# geolever backtest: predictions made as of the year before vs what happened", "",
             "Each episode is assessed on the figures of the year before the measure (its "
             "`facts.csv`) with the normal assessment pipeline; the outcomes (`outcomes.csv`) "
             "are read only to score. Rerouted share = (exports to everyone else in the "
             "outcome year minus in the base year) / (fall of the exports to the sender); "
             "exports not replaced = fall of the exports to the world, as a share of the "
             "base-year flow to the sender, shown in US$m at that flow. Observations carry no "
             "counterfactual trend (world demand, prices and harvests moved too).", "",
             "![backtest chart](charts/bands.svg)", ""]
    for res in results:
        ep = res.episode
        info = ep.info
        lines += [f"## {ep.meta.get('title', ep.name)}", "",
                  f"{ep.sender} -> {ep.target}; assessed as of {ep.base_year}; horizons "
                  + ", ".join(f"{h} = {y}" for h, y in ep.horizon_years().items()) + ".", ""]
        for m in info.get("measures") or []:
            lines.append(f"- **{_cell(m.get('lever', ''))}**: {_cell(m.get('what', ''))}; "
                         f"announced {m.get('announced', '?')}, ended {m.get('ended', '?')} "
                         f"({_cell(m.get('source', ''))})")
        lines += ["", "| lever | verdict (as of base year) | target loss US$m p50 [p5-p95] "
                  "| % GDP | flow at risk US$m |", "|---|---|---|---|---|"]
        for la in res.assessment.levers:
            b = la.target_loss_usd
            lines.append(f"| {_cell(la.label)} | {la.verdict} | {b.p50 / 1e6:,.0f} "
                         f"[{b.p5 / 1e6:,.0f}-{b.p95 / 1e6:,.0f}] | "
                         f"{la.target_loss_pct_gdp.p50:.3f} | {la.flow_at_risk_usd / 1e6:,.0f} |")
        lines += ["", "| lever | horizon | metric | predicted p50 [p5-p95] | observed | inside "
                  "90% band? | predicted / observed | note |",
                  "|---|---|---|---|---|---|---|---|"]
        for r in res.rows:
            ratio = "-" if r.ratio is None else f"{r.ratio:.2f}"
            lines.append(f"| {r.lever} | {r.horizon} ({r.year}) | {METRIC_TITLES[r.metric]} | "
                         f"{fmt_band(r)} | {fmt_value(r, r.observed)} | {verdict_of(r)} | "
                         f"{ratio} | {_cell(r.note)} |")
        total = res.assessment.combined or res.assessment.levers[0]
        if info.get("published_losses"):
            b = total.target_loss_usd
            lines.append(f"\nThe model's 1-year target loss (income, all levers together), as "
                         f"of {ep.base_year}: US$m {b.p50 / 1e6:,.0f} [{b.p5 / 1e6:,.0f}-"
                         f"{b.p95 / 1e6:,.0f}], beside the published estimates:")
        for loss in info.get("published_losses") or []:
            low, high = loss.get("low"), loss.get("high")
            amount = f"{low:,}" if low == high else f"{low:,}-{high:,}"
            lines.append(f"\nPublished loss estimate: {_cell(loss.get('what', ''))}: "
                         f"{amount} {loss.get('unit', '')} ({loss.get('per', '')}) "
                         f"({_cell(loss.get('source', ''))}).")
        if info.get("not_scored"):
            lines.append(f"\nNot scored: {_cell(info['not_scored'])}")
        for lid, note in res.notes.items():
            lines.append(f"\n{lid}: {note}")
        srcs = sorted({s for r in res.rows for s in r.sources})
        if srcs:
            lines += ["", "Outcome sources:", ""] + [f"- {_cell(s)}" for s in srcs]
        lines.append("")
    if calibration is not None:
        lines += ["## Calibration (substitution parameters fitted to the episodes)", "",
                  "Two scale factors, one on the growth of sales to existing partners (g) and "
                  "one on the share placed with new partners (n), both horizons and both "
                  "kinds of goods alike, are fitted to the observed rerouted shares (least "
                  "squared log error of the median); then the bands are widened until they "
                  "cover 90% of the training observations. "
                  "Leave-one-out: each episode is scored with the values fitted on the others "
                  "only.", "",
                  "| parameters | metric | n | coverage of the 90% band | median abs. log "
                  "error |", "|---|---|---|---|---|"]
        for label, summary in (("shipped (prior)", calibration.prior),
                               ("leave-one-out", calibration.loo),
                               ("fitted on all (in-sample)", calibration.in_sample)):
            for metric, s in summary.items():
                cov = "-" if s["coverage_90"] is None else f"{s['coverage_90']:.0%}"
                err = ("-" if s["median_abs_log_error"] is None
                       else f"{s['median_abs_log_error']:.2f}")
                lines.append(f"| {label} | {METRIC_TITLES[metric]} | {s['n']} | {cov} | {err} |")
        lines += ["", "| fitted on | scale of g (growth with existing partners) | scale of n "
                  "(share placed with new partners) | band widening |", "|---|---|---|---|"]
        fits = {"all episodes": calibration.fit_all,
                **{f"all but {e}": f for e, f in calibration.loo_fit.items()}}
        for who, f in fits.items():
            lines.append(f"| {who} | {f['kappa_growth']:.3g} | {f['kappa_new']:.3g} | "
                         f"x{f['spread']:g} |")
        lines += ["", "Leave-one-out rows:", "", "| episode | lever | horizon | predicted "
                  "p50 [p5-p95] | observed | inside? |", "|---|---|---|---|---|---|"]
        for r in calibration.loo_rows:
            if r.metric == "rerouted_share" and r.observed is not None:
                lines.append(f"| {r.episode} | {r.lever} | {r.horizon} | {fmt_band(r)} | "
                             f"{fmt_value(r, r.observed)} | {verdict_of(r)} |")
        lines.append("")
    return "\n".join(lines)


def write_backtest_report(results: Sequence[EpisodeResult], calibration: Calibration | None,
                          out: Path, extra: dict[str, str] | None = None) -> dict[str, Path]:
    """Write report.md, report.html (chart inline), backtest.json and ``extra`` files to ``out``."""
    rows = [r for res in results for r in res.rows]
    svg = band_chart(rows)
    markdown = render_markdown(results, calibration)
    doc = {"episodes": [res.to_dict() for res in results],
           "calibration": None if calibration is None else calibration.to_dict()}
    files = {"report.md": markdown, "charts/bands.svg": svg,
             "report.html": html_page("geolever backtest", markdown, {"bands.svg": svg}),
             "backtest.json": to_json(doc), **(extra or {})}
    return write_files(out, files)
