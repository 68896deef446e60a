"""``geolever balance SENDER TARGET``: both directions of a pair and the balance between them."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from geolever.cli.assess_cmd import print_result
from geolever.cli.common import check_options, console, friendly_errors
from geolever.cli.options import StoreOption, progress_bar, store_path
from geolever.core.countries import normalise_country
from geolever.core.errors import ScenarioError
from geolever.core.outputs import check_output_dir, written_summary
from geolever.report import write_report
from geolever.store import FactStore
from geolever.world.case import pack_for_pair

if TYPE_CHECKING:  # the scenario runner (assessment, scipy) is imported when a command runs
    from geolever.scenario import Scenario


def _pct(band: dict[str, float] | None, digits: int = 2) -> str:
    if band is None:
        return "-"
    return f"{band['p50']:.{digits}f} [{band['p5']:.{digits}f}-{band['p95']:.{digits}f}]"


def print_balance(doc: dict[str, Any]) -> None:
    """Print the answer, both sides next to each other and the escalation."""
    bal = doc["balance"]
    # Text, not markup: the stdout console prints values as they are (issue 18)
    console.print(Text.assemble(("Answer. ", "bold"), doc["answer"]["text"]))
    table = Table(title=f"Balance {doc['sender']} <-> {doc['target']}, {doc['year']} "
                  f"({doc['draws']} draws, seed {doc['seed']})", show_lines=True)
    for col in ("side", "largest feasible damage", "leverage", "damage", "% of target GDP",
                "% of target budget", "% of target export earnings", "own cost % GDP",
                "best single lever"):
        table.add_column(col, overflow="fold")
    for side in bal["sides"]:
        table.add_row(f"{side['sender']} -> {side['target']}", side["headline_label"],
                      side["verdict"], side["damage"], _pct(side["damage_pct_gdp"]),
                      _pct(side["damage_pct_budget"]), _pct(side["damage_pct_fx_earnings"]),
                      _pct(side["cost_pct_gdp"], 3) + f" ({side['cost_damage']})",
                      side["best_lever_label"] or "-")
    console.print(table)
    esc = bal["escalation"]
    if esc:
        steps = Table(title="Escalation: the sender's levers, then the target's best counter",
                      show_lines=True)
        for col in ("step", f"{doc['sender']} loss % GDP", f"{doc['target']} loss % GDP"):
            steps.add_column(col, overflow="fold")
        for st in esc["steps"]:
            steps.add_row(st["step"], _pct(st["sender_loss_pct_gdp"], 3)
                          + f" ({st['sender_damage']})",
                          _pct(st["target_loss_pct_gdp"], 3) + f" ({st['target_damage']})")
        console.print(steps)


def balance_scenario(sender: str, target: str, year: int | None, *, draws: int | None = None,
                     seed: int | None = None, allow_earlier_year: bool = False) -> Scenario:
    """Return the scenario of a balance run: the pair's pack scenario, else the standard levers.

    Raises
    ------
    ScenarioError
        For an unknown country code, a target equal to the sender, bad draws or seed.
    """
    from geolever.scenario import Scenario, load_scenario, parse_scenario
    from geolever.scenario.run import standard_levers

    checked = check_options(Scenario, seed=("--seed", seed), draws=("--draws", draws))
    s = normalise_country(sender, field="SENDER")
    t = normalise_country(target, field="TARGET")
    if s == t:
        raise ScenarioError(f"TARGET {t} is also the SENDER", field="TARGET",
                            fix="give two different countries (e.g. geolever balance RUS AZE)")
    pack = pack_for_pair(s, t)
    updates: dict[str, Any] = {k: v for k, v in checked.items() if v is not None}
    updates["directions"] = "both"
    if allow_earlier_year:
        updates["allow_earlier_year"] = True
    if year is not None:
        updates["year"] = year
    if pack is not None:
        ref = resources.files("geolever.packs").joinpath(f"{pack}/scenario.yaml")
        if ref.is_file():
            with resources.as_file(ref) as path:
                scenario = load_scenario(path)
            return scenario.model_copy(update=updates)
    data: dict[str, Any] = {"sender": s, "target": t, "year": year,
                            "levers": [lv.model_dump(exclude_none=True)
                                       for lv in standard_levers(s, t)]}
    scenario = parse_scenario(data, origin="geolever balance")
    return scenario.model_copy(update=updates)


@friendly_errors
def balance(
    sender: Annotated[str, typer.Argument(help="ISO3 code of the sender (e.g. RUS)")],
    target: Annotated[str, typer.Argument(help="ISO3 code of the target (e.g. AZE)")],
    year: Annotated[int | None, typer.Option("--year", help="Case year (default: the pair's "
                                             "pack's; required without a pack)")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write report.md, report.html, "
                                             "result.json and charts here")] = None,
    draws: Annotated[int | None, typer.Option(help="Monte Carlo draws")] = None,
    seed: Annotated[int | None, typer.Option(help="Monte Carlo seed")] = None,
    allow_earlier_year: Annotated[bool, typer.Option(
        "--allow-earlier-year", help="Where a value for the year is missing, use the latest "
        "earlier year (flagged)")] = False,
    store: StoreOption = None,
) -> None:
    """Both directions: the sender's levers on the target, the target's counter-levers."""
    from geolever.scenario import run_scenario
    from geolever.scenario.run import counter_levers

    if out is not None:  # a bad --out costs nothing and changes nothing
        check_output_dir(out, "--out", ["result.json", "report.md", "report.html", "charts/"])
    scenario = balance_scenario(sender, target, year, draws=draws, seed=seed,
                                allow_earlier_year=allow_earlier_year)
    n = len(scenario.levers) + len(counter_levers(scenario)) + len(scenario.claims)
    with FactStore(store_path(store)) as db, progress_bar(n, "assessing both directions") as tick:
        result = run_scenario(scenario, db, progress=tick)
        doc = result.to_dict()
    print_balance(doc)
    print_result(doc, answer=False)
    reverse = {**doc, **doc["directions"][1], "title": f"Counter-levers: "
               f"{doc['target_name']} -> {doc['sender_name']}", "claims": []}
    print_result(reverse, answer=False)
    if out is not None:
        files = write_report(doc, out)
        console.print(written_summary(out, files))
