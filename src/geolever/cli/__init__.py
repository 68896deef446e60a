"""Command-line interface (Typer + Rich)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from geolever import __version__
from geolever.cli.claims_cmd import claims_app
from geolever.cli.common import check_options, console, err_console, friendly_errors, run_cli
from geolever.cli.data_sources import SOURCES, import_source
from geolever.cli.ge import ge_command
from geolever.cli.io_cmd import io_app
from geolever.cli.matrix_cmd import matrix_command
from geolever.cli.schema_cmd import schema_command
from geolever.cli.serve_cmd import serve_command
from geolever.core.errors import GeoleverError
from geolever.core.outputs import check_output_dir, output_file
from geolever.core.units import format_amount
from geolever.levers import kind_table
from geolever.report import write_report
from geolever.scenario import Scenario, ScenarioResult, load_scenario, run_scenario
from geolever.sources.packs import available_packs
from geolever.store import FactStore, default_store_path
from geolever.store.bulk import flow_datasets

app = typer.Typer(
    name="geolever",
    help="Measure economic leverage between countries, with numbers and their sources.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
data_app = typer.Typer(help="Inspect and load the fact store.", no_args_is_help=True)
app.add_typer(data_app, name="data")
app.add_typer(io_app, name="io", help="Input-output propagation on world input-output tables.")
app.add_typer(claims_app, name="claims", help="Fact-check the quantitative claims in a text.")
app.command("ge", help="Run a general-equilibrium gravity counterfactual on a dataset file.")(
    ge_command
)
app.command("matrix", help="The all-pairs leverage matrix from stored trade flows.")(
    matrix_command
)
app.command("schema", help="Print the JSON Schema of result.json or of a scenario.")(
    schema_command
)
app.command("serve", help="Start the web API and dashboard (127.0.0.1:8000 by default).")(
    serve_command
)

StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="DuckDB store file (default: $GEOLEVER_STORE, else the user "
                 "data folder)"),
]


def store_path(option: Path | None) -> Path:
    """Return the store file to use: the option, $GEOLEVER_STORE, or the default location."""
    return option or Path(os.environ.get("GEOLEVER_STORE", default_store_path()))


@contextmanager
def progress_bar(total: int, what: str) -> Iterator[Callable[[int], None]]:
    """Show a Rich progress bar; yield the callback that advances it."""
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                  console=err_console, transient=False) as bar:
        task = bar.add_task(what, total=total)
        yield lambda n: bar.advance(task, n)


def _band(b: dict[str, float] | None, scale: float = 1e-6, fmt: str = "{:,.0f}") -> str:
    if b is None:
        return "-"
    return f"{fmt.format(b['p50'] * scale)} [{fmt.format(b['p5'] * scale)}-" \
           f"{fmt.format(b['p95'] * scale)}]"


VERDICT_STYLE = {"effective": "bold green", "limited": "yellow", "ineffective": "dim",
                 "infeasible": "dim red", "backfires": "bold red", "costly for both": "magenta"}


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
            f"[{VERDICT_STYLE.get(lv['verdict'], 'default')}]{lv['verdict']}[/]",
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
         store: Path | None) -> ScenarioResult:
    # options checked by the scenario schema's own fields, before the file is read
    checked = check_options(Scenario, seed=("--seed", seed), draws=("--draws", draws))
    if out is not None:  # a bad --out costs nothing and changes nothing (issue 14)
        check_output_dir(out, "--out", ["result.json", "report.md", "report.html", "charts"])
    scenario = load_scenario(scenario_path)
    updates = {k: v for k, v in checked.items() if v is not None}
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


@app.command()
@friendly_errors
def assess(
    scenario: Annotated[Path, typer.Argument(help="YAML scenario file")],
    out: Annotated[Path | None, typer.Option("--out", help="Write report.md, report.html, "
                                             "result.json and charts here")] = None,
    seed: Annotated[int | None, typer.Option(help="Monte Carlo seed (overrides the file)")] = None,
    draws: Annotated[int | None,
                     typer.Option(help="Monte Carlo draws (overrides the file)")] = None,
    store: StoreOption = None,
) -> None:
    """Assess the levers and claims of a scenario file."""
    _run(scenario, out, seed, draws, store)


@app.command()
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


@app.command()
def levers() -> None:
    """List the lever kinds and their parameters."""
    for entry in kind_table():
        table = Table(title=f"{entry['kind']}: {entry['title']}")
        for col in ("parameter", "type", "default", "description"):
            table.add_column(col, overflow="fold")
        for row in entry["parameters"]:
            default = "required" if row["required"] else repr(row["default"])
            table.add_row(row["name"], row["type"], default, row["description"])
        console.print(table)


@app.command()
def version() -> None:
    """Print the geolever version."""
    console.print(__version__)


@data_app.command("list")
@friendly_errors
def data_list(store: StoreOption = None) -> None:
    """List the datasets in the store and the case packs shipped with geolever."""
    with FactStore(store_path(store)) as db:
        frame = db.datasets()
        table = Table(title=f"store {db.path}")
        for col in ("dataset", "kind", "origin", "facts", "loaded"):
            table.add_column(col)
        for row in frame.itertuples():
            table.add_row(str(row.name), str(row.kind), str(row.origin), str(row.facts),
                          str(row.loaded_at)[:19])
        console.print(table)
        flows = flow_datasets(db)
        if not flows.empty:
            bulk = Table(title="trade-flow datasets")
            for col in flows.columns:
                bulk.add_column(str(col))
            for record in flows.to_dict("records"):
                bulk.add_row(*(str(v) for v in record.values()))
            console.print(bulk)
    console.print(f"case packs shipped: {', '.join(available_packs())}")


@data_app.command("show")
@friendly_errors
def data_show(
    indicator: Annotated[str, typer.Argument(help="Indicator, e.g. remittances_received")],
    country: Annotated[str | None, typer.Option(help="ISO3 code")] = None,
    partner: Annotated[str | None, typer.Option(help="ISO3 code")] = None,
    year: Annotated[int | None, typer.Option(help="Year")] = None,
    store: StoreOption = None,
) -> None:
    """Show the stored facts of an indicator with units and sources."""
    from geolever.core.countries import normalise_country
    from geolever.core.facts import indicator_table

    if indicator not in indicator_table():
        raise GeoleverError(f"unknown indicator {indicator!r}", field="INDICATOR",
                            fix=f"use one of: {', '.join(indicator_table())}")
    with FactStore(store_path(store)) as db:
        if db.count() == 0:
            for pack in available_packs():
                db.load_pack(pack)
        frame = db.query(indicator=indicator,
                         country=normalise_country(country) if country else None,
                         partner=normalise_country(partner, field="partner") if partner else None,
                         year=year)
    table = Table(title=f"{indicator}: {len(frame)} facts", show_lines=False)
    for col in ("country", "partner", "product", "entity", "measure", "year", "period", "value",
                "unit", "quality", "pref", "source"):
        table.add_column(col, overflow="fold")
    for r in frame.to_dict("records"):
        table.add_row(*(str(r[c]) for c in ("country", "partner", "product", "entity", "measure",
                                            "year", "period")),
                      f"{r['value']:,.6g}", str(r["unit"]), str(r["quality"]),
                      "yes" if r["preferred"] else "", str(r["source"]))
    console.print(table)


@data_app.command("import")
@friendly_errors
def data_import(
    source: Annotated[str, typer.Argument(help=f"One of: {', '.join(SOURCES)}")],
    path: Annotated[str, typer.Argument(help="File to import (the pack name for 'pack'; "
                                        "'api:...' for online wdi/comtrade)")],
    opt: Annotated[list[str] | None, typer.Option(
        "--opt", help="Source option KEY=VALUE, repeatable (e.g. blank_country=TWN)")] = None,
    store: StoreOption = None,
) -> None:
    """Import a dataset into the store (validated first; nothing is written if a row is bad)."""
    options = {}
    for item in opt or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise GeoleverError(f"option {item!r} is not KEY=VALUE", field="--opt",
                                fix="write options as KEY=VALUE, e.g. --opt year=2021")
        options[key.strip()] = value.strip()
    with FactStore(store_path(store)) as db, progress_bar(100, f"importing {source}") as tick:
        before = db.count()
        rows = import_source(source, Path(path), db, progress=tick, options=options)
        added = db.count() - before
    if source in ("facts", "pack", "wdi", "knomad"):
        console.print(f"{added} new facts; the store holds {before + added}")
    else:
        console.print(f"{rows:,} trade-flow rows stored for this dataset")


@data_app.command("export")
@friendly_errors
def data_export(
    path: Annotated[Path, typer.Argument(help="Parquet file to write")],
    store: StoreOption = None,
) -> None:
    """Export every fact in the store to Parquet (pack columns)."""
    with FactStore(store_path(store)) as db, output_file(path, "PATH") as tmp:
        rows = db.export_parquet(tmp)
    console.print(f"wrote {rows} facts to {path}")


def main() -> None:
    """Run the ``geolever`` command (user errors: one line, exit status 2)."""
    raise SystemExit(run_cli(app))
