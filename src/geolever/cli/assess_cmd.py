"""``geolever assess`` and ``geolever demo``: run a scenario, print verdicts, write the report."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from geolever.cli.common import check_options, console, friendly_errors
from geolever.cli.options import StoreOption, progress_bar, store_path
from geolever.cli.output import Column, FormatOption, OutTable, check_format, emit, status
from geolever.core.formats import format_amount, format_money, format_pct, format_share
from geolever.core.outputs import check_output_dir, written_summary
from geolever.report import write_report
from geolever.store import FactStore

if TYPE_CHECKING:  # the scenario runner (assessment, scipy) is imported when a command runs
    from geolever.scenario import ScenarioResult


def _money_band(b: Mapping[str, float] | None) -> str:
    """``328m`` over ``[223m, 430m]``: the p50 and its 90% band (the header names US$/yr)."""
    if b is None:
        return "-"
    return (f"{format_money(b['p50'], currency='')}\n[{format_money(b['p5'], currency='')}, "
            f"{format_money(b['p95'], currency='')}]")


VERDICT_STYLE = {"strong leverage": "bold green", "moderate leverage": "green",
                 "weak leverage": "yellow", "no leverage": "dim", "infeasible": "dim red",
                 "backfires": "bold red"}


def _routed(lv: Mapping[str, Any]) -> str:
    return " / ".join("-" if lv[k] is None else format_share(lv[k]["p50"])
                      for k in ("substitution_1y", "substitution_3y"))


def _asymmetry(lv: Mapping[str, Any]) -> str:
    if not lv["feasible"] or lv["verdict"] == "not assessable" or lv["asymmetry"] is None:
        return "-"  # None: the sender's cost is zero in some draw (no ratio, issue 14)
    return f"{lv['asymmetry']['p50']:,.0f}x"


def _why(lv: Mapping[str, Any]) -> str:
    """Return the verdict's reason without its ``Verdict 'x':`` prefix (a column has it)."""
    reasons = list(lv.get("reasons") or [])
    text = next((r for r in reasons if r.startswith("Verdict")),
                reasons[0] if reasons else str(lv.get("feasibility") or ""))
    head, sep, rest = text.partition(": ")
    return rest if sep and head.startswith("Verdict") else text


def _missing(lv: Mapping[str, Any]) -> str:
    """Return what a not-assessable lever lacks and the import that supplies it."""
    missing = lv.get("missing") or {}
    if not missing:
        return str(lv.get("feasibility") or "")
    fix = f" Fix: {missing['fix']}" if missing.get("fix") else ""
    return f"missing data: {missing.get('message', '')}.{fix}"


def result_tables(result: Mapping[str, Any], report: str | None = None) -> list[OutTable]:
    """Return the verdict table and the claims table of a result.json document.

    Parameters
    ----------
    result
        The result document (``ScenarioResult.to_dict()``).
    report
        Where the full text is (the report folder), named under a table whose cells
        were cut; None: ``--format json``.
    """
    full = f"{report}/report.md" if report else "--format json (or write the report with --out)"
    t, s = result["target"], result["sender"]
    rows: list[dict[str, Any]] = []
    for lv in [*result["levers"], *([result["combined"]] if result["combined"] else [])]:
        # a lever without data has no numbers: its zero bands are placeholders, shown as "-"
        assessed = lv["verdict"] != "not assessable"
        rows.append({
            **{k: lv.get(k) for k in ("id", "kind", "verdict", "feasible", "feasibility")},
            **{k: lv.get(k) if assessed else None
               for k in ("target_loss_usd", "target_loss_pct_gdp", "sender_cost_usd",
                         "sender_cost_pct_gdp", "asymmetry", "substitution_1y",
                         "substitution_3y")},
            "label": lv["label"] + (" (judgement)" if lv.get("judgement") else ""),
            "damage": lv.get("damage") if assessed else None,
            "verdict_text": lv["verdict"] + (f"\ndamage {lv['damage']}"
                                             if lv.get("damage") and assessed else ""),
            "routed": _routed(lv),
            "asymmetry_text": _asymmetry(lv),
            "why": _why(lv) if assessed else _missing(lv),
            "reasons": lv["reasons"],
        })
    p50 = lambda b: None if b is None else b["p50"]  # noqa: E731
    levers = OutTable(
        name="levers",
        title=f"{result['title']} ("
              + ("" if str(result["title"]).endswith(str(result["year"]))
                 else f"{result['year']}, ")
              + f"{result['draws']} draws, seed {result['seed']})",
        columns=[
            Column("id", "id", table=False),
            Column("kind", "kind", table=False),
            Column("label", "lever"),
            Column("verdict", "verdict", table=False),
            Column("damage", "damage", table=False),
            Column("verdict_text", "verdict", "short", data=False,
                   style=lambda v: VERDICT_STYLE.get(v.split("\n")[0], "")),
            Column("target_loss_usd", f"{t} loss US$/yr", "short",
                   fmt=_money_band),
            Column("target_loss_pct_gdp", "% GDP", "num",
                   fmt=lambda b: format_pct(p50(b))),
            Column("sender_cost_usd", f"{s} cost US$/yr", "short",
                   fmt=_money_band),
            Column("sender_cost_pct_gdp", f"{s} cost % of GDP", "num",
                   fmt=lambda b: format_pct(p50(b)), table=False),
            Column("asymmetry", "asymmetry (p50)", table=False),
            Column("asymmetry_text", "loss/ cost", "num", data=False),
            Column("substitution_1y", "routed around 1y", table=False),
            Column("substitution_3y", "routed around 3y", table=False),
            Column("routed", "routed 1y/3y", "short", data=False),
            Column("feasible", "feasible", table=False),
            Column("feasibility", "feasibility", table=False),
            Column("why", "why", "long"),
            Column("reasons", "reasons", table=False),
        ],
        rows=rows,
        note=f"US$/yr: median [5th, 95th percentile] of the draws; % GDP: {t}'s loss, median; "
             f"loss/cost: {t}'s loss as a share of its GDP over {s}'s cost as a share of its "
             "GDP (how much harder the target is hit, relative to size); routed: share of the "
             "cut flow replaced within 1 and 3 years.",
        full_text=full,
    )
    tables = [levers]
    if result["claims"]:
        tables.append(OutTable(
            name="claims",
            title="Claims",
            columns=[
                Column("text", "claim"),
                Column("year", "year", "short"),
                Column("claimed", "claimed", table=False),
                Column("computed", "computed", table=False),
                Column("unit", "unit", table=False),
                Column("claimed_text", "claimed", "short", data=False),
                Column("computed_text", "computed", "short", data=False),
                Column("verdict", "verdict", "short"),
                Column("explanation", "explanation", "long"),
            ],
            rows=[{**c, "claimed_text": format_amount(c["claimed"], c["unit"]),
                   "computed_text": format_amount(c["computed"], c["unit"])}
                  for c in result["claims"]],
            full_text=full,
        ))
    return tables


def print_result(result: Mapping[str, Any], fmt: str = "table",
                 report: str | None = None, *, answer: bool = True) -> None:
    """Print the answer, the verdict table and the claims table (``fmt``: table, json, csv).

    The answer paragraph (issue 19's ``answer``) opens the table output; json and csv
    print the tables only (the answer is in result.json).
    """
    text = result.get("answer")
    if answer and fmt == "table" and isinstance(text, Mapping) and text.get("text"):
        console.print(Text.assemble(("Answer. ", "bold"), str(text["text"])))
    emit(result_tables(result, report), fmt)


def _run(scenario_path: Path, out: Path | None, seed: int | None, draws: int | None,
         store: Path | None, pack: Path | None = None, fmt: str = "table") -> ScenarioResult:
    from geolever.scenario import Scenario, load_scenario, run_scenario

    # options checked by the scenario schema's own fields, before the file is read
    check_format(fmt)
    checked = check_options(Scenario, seed=("--seed", seed), draws=("--draws", draws))
    if out is not None:  # a bad --out costs nothing and changes nothing (issue 14)
        check_output_dir(out, "--out", ["result.json", "report.md", "report.html", "charts/"])
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
    files = write_report(doc, out) if out is not None else {}
    print_result(doc, fmt, report=str(out) if out is not None else None)
    if out is not None:
        status(written_summary(out, files), fmt)
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
    fmt: FormatOption = "table",
) -> None:
    """Assess the levers and claims of a scenario file."""
    _run(scenario, out, seed, draws, store, pack, fmt)


@friendly_errors
def demo(
    out: Annotated[Path, typer.Option("--out", help="Report folder")] = Path("report"),
    seed: Annotated[int | None, typer.Option(help="Monte Carlo seed")] = None,
    draws: Annotated[int | None, typer.Option(help="Monte Carlo draws")] = None,
    store: StoreOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Run the flagship Russia -> Azerbaijan assessment on the embedded data."""
    ref = resources.files("geolever.packs").joinpath("russia-azerbaijan/scenario.yaml")
    with resources.as_file(ref) as path:
        _run(path, out, seed, draws, store, fmt=fmt)
