"""``geolever assess`` and ``geolever demo``: run a scenario, print verdicts, write the report."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from geolever.cli.common import check_options, console, friendly_errors
from geolever.cli.options import StoreOption, progress_bar, store_path
from geolever.core.outputs import check_output_dir
from geolever.core.units import format_amount
from geolever.report import write_report
from geolever.scenario import Scenario, ScenarioResult, load_scenario, run_scenario
from geolever.store import FactStore


def _band(b: dict[str, float] | None, scale: float = 1e-6, fmt: str = "{:,.0f}") -> str:
    if b is None:
        return "-"
    return f"{fmt.format(b['p50'] * scale)} [{fmt.format(b['p5'] * scale)}-" \
           f"{fmt.format(b['p95'] * scale)}]"


VERDICT_STYLE = {"strong leverage": "bold green", "moderate leverage": "green",
                 "weak leverage": "yellow", "no leverage": "dim", "infeasible": "dim red",
                 "backfires": "bold red"}


def print_result(result: dict[str, Any]) -> None:
    """Print the verdict table and the claims table."""
    table = Table(title=f"{result['title']} ({result['year']}, {result['draws']} draws, "
                  f"seed {result['seed']})", show_lines=True)
    for col in ("lever", "verdict", f"{result['target']} loss US$m p50 [p5-p95]",
                "% GDP", f"{result['sender']} cost US$m", "asymmetry", "routed around 1y/3y",
                "feasibility", "why"):
        table.add_column(col, overflow="fold")
    rows = list(result["levers"]) + ([result["combined"]] if result["combined"] else [])
    for lv in rows:
        sub = " / ".join("-" if lv[k] is None else f"{lv[k]['p50']:.0%}"
                         for k in ("substitution_1y", "substitution_3y"))
        asym = lv["asymmetry"]["p50"]
        table.add_row(
            lv["label"] + (" (judgement)" if lv["judgement"] else ""),
            f"[{VERDICT_STYLE.get(lv['verdict'], 'default')}]{lv['verdict']}[/]"
            + (f"\ndamage {lv['damage']}" if lv.get("damage") else ""),
            _band(lv["target_loss_usd"]),
            f"{lv['target_loss_pct_gdp']['p50']:.2f}",
            _band(lv["sender_cost_usd"]),
            "-" if not lv["feasible"] or lv["verdict"] == "not assessable"
            else (f"{asym:,.0f}x" if asym < 1e5 else ">100000x"),
            sub,
            lv["feasibility"],
            next((r for r in lv["reasons"] if r.startswith("Verdict")), ""),
        )
    console.print(table)
    if result["claims"]:
        claims = Table(title="Claims", show_lines=True)
        for col in ("claim", "year", "claimed", "computed", "verdict", "explanation"):
            claims.add_column(col, overflow="fold")
        for c in result["claims"]:
            claims.add_row(c["text"], str(c["year"]), format_amount(c["claimed"], c["unit"]),
                           format_amount(c["computed"], c["unit"]), c["verdict"],
                           c["explanation"])
        console.print(claims)


def _run(scenario_path: Path, out: Path | None, seed: int | None, draws: int | None,
         store: Path | None, pack: Path | None = None) -> ScenarioResult:
    # options checked by the scenario schema's own fields, before the file is read
    checked = check_options(Scenario, seed=("--seed", seed), draws=("--draws", draws))
    if out is not None:  # a bad --out costs nothing and changes nothing (issue 14)
        check_output_dir(out, "--out", ["result.json", "report.md", "report.html", "charts"])
    scenario = load_scenario(scenario_path)
    updates: dict[str, object] = {k: v for k, v in checked.items() if v is not None}
    if pack is not None:
        updates["case"] = str(pack)
    if updates:
        scenario = scenario.model_copy(update=updates)
    with FactStore(store_path(store)) as db, progress_bar(
            len(scenario.levers) + len(scenario.claims), "assessing levers and claims") as tick:
        result = run_scenario(scenario, db, progress=tick)
        doc = result.to_dict()
    print_result(doc)
    if out is not None:
        files = write_report(doc, out)
        console.print(f"wrote {', '.join(str(p) for p in files.values() if p.parent == out)}")
    return result


@friendly_errors
def assess(
    scenario: Annotated[Path, typer.Argument(help="YAML scenario file")],
    out: Annotated[Path | None, typer.Option("--out", help="Write report.md, report.html, "
                                             "result.json and charts here")] = None,
    seed: Annotated[int | None, typer.Option(help="Monte Carlo seed (overrides the file)")] = None,
    draws: Annotated[int | None,
                     typer.Option(help="Monte Carlo draws (overrides the file)")] = None,
    store: StoreOption = None,
    pack: Annotated[Path | None, typer.Option("--pack", help="Case pack folder to use "
                                              "(overrides the scenario's case)")] = None,
) -> None:
    """Assess the levers and claims of a scenario file."""
    _run(scenario, out, seed, draws, store, pack)


@friendly_errors
def demo(
    out: Annotated[Path, typer.Option("--out", help="Report folder")] = Path("report"),
    seed: Annotated[int | None, typer.Option(help="Monte Carlo seed")] = None,
    draws: Annotated[int | None, typer.Option(help="Monte Carlo draws")] = None,
    store: StoreOption = None,
) -> None:
    """Run the flagship Russia -> Azerbaijan assessment on the embedded data."""
    ref = resources.files("geolever.packs").joinpath("russia-azerbaijan/scenario.yaml")
    with resources.as_file(ref) as path:
        _run(path, out, seed, draws, store)
