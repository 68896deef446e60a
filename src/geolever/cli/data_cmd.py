"""``geolever data list|show|import|export``: inspect and load the fact store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from geolever.cli.common import console, friendly_errors
from geolever.cli.data_sources import SOURCES, import_source
from geolever.cli.options import StoreOption, progress_bar, store_path
from geolever.core.errors import GeoleverError
from geolever.core.outputs import output_file
from geolever.sources.packs import available_packs
from geolever.store import FactStore
from geolever.store.bulk import flow_datasets

data_app = typer.Typer(help="Inspect and load the fact store.", no_args_is_help=True)


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
