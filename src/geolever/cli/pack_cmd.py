"""``geolever pack init|check``: users' own case packs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from geolever.cli.common import console, fail
from geolever.core.countries import country_name, normalise_country
from geolever.core.errors import GeoleverError
from geolever.sources.packs import PACKS_ENV, add_infrastructure, write_pack_skeleton
from geolever.store import FactStore
from geolever.world import pair_title
from geolever.world.packs import check_pack, gem_oil_routes

pack_app = typer.Typer(help="Write and check your own case packs (folders of sourced facts, "
                       f"infrastructure and parameters; found by --pack DIR or {PACKS_ENV}).",
                       no_args_is_help=True)


@pack_app.command("init")
def pack_init(
    folder: Annotated[Path, typer.Argument(help="New pack folder")],
    sender: Annotated[str, typer.Option("--sender", help="ISO3 code (or group) of the sender")],
    target: Annotated[str, typer.Option("--target", help="ISO3 code of the target")],
    year: Annotated[int, typer.Option("--year", help="Default year of the case")] = 2023,
    store: Annotated[Path | None, typer.Option(
        "--store", help="Store with GEM pipelines (geolever data import gem): the target's "
        "oil pipelines are written into infrastructure.yaml with GEM's capacity and status")
                     ] = None,
) -> None:
    """Write a commented pack skeleton (facts, infrastructure, parameters, scenario)."""
    try:
        s = normalise_country(sender, field="--sender")
        t = normalise_country(target, field="--target")
        files = write_pack_skeleton(folder, sender=s, target=t, year=year,
                                    title=pair_title(s, t, year), sender_name=country_name(s),
                                    target_name=country_name(t))
        if store is not None:
            with FactStore(store) as db:
                routes, facts = gem_oil_routes(db, s, t)
            if routes.networks:
                add_infrastructure(folder, routes, facts)
                console.print(f"GEM: {len(routes.edges())} oil "
                              "pipelines written; add their pipeline_throughput facts")
    except GeoleverError as err:
        fail(err)
    console.print(f"wrote {', '.join(p.name for p in files)} in {folder}; check it with "
                  f"geolever pack check {folder}")


@pack_app.command("check")
def pack_check(
    pack: Annotated[str, typer.Argument(help=f"Pack folder (or the name of a pack under "
                                        f"{PACKS_ENV} or shipped)")],
) -> None:
    """Validate a pack with the same rules and messages as imports (exit 2 on a problem)."""
    from geolever.scenario import parse_scenario  # the assessment (scipy): when it runs

    try:
        report = check_pack(pack)
        if report.scenario is not None:
            parse_scenario({"case": pack, **report.scenario}
                           if "case" not in report.scenario else report.scenario,
                           origin=f"{report.name}/scenario.yaml")
    except GeoleverError as err:
        fail(err)
    table = Table(title=f"pack {report.name} ({report.origin})")
    table.add_column("part")
    table.add_column("content", overflow="fold")
    table.add_row("pair", f"{report.sender} -> {report.target}")
    table.add_row("facts.csv", f"{report.facts} sourced facts")
    table.add_row("infrastructure.yaml", f"{report.networks} networks, {report.assets} links")
    table.add_row("parameters.yaml", ", ".join(report.overrides) or
                  "none (the generic defaults apply)")
    table.add_row("scenario.yaml", "valid" if report.scenario is not None else "none")
    console.print(table)
    console.print("ok")
