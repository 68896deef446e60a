"""``geolever data list|show|import|export``: inspect and load the fact store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from geolever.cli.common import console, friendly_errors
from geolever.cli.data_sources import SOURCES, import_source
from geolever.cli.options import StoreOption, progress_bar, store_path
from geolever.cli.output import Column, FormatOption, OutTable, check_format, emit
from geolever.core.errors import GeoleverError
from geolever.core.formats import format_number
from geolever.core.outputs import output_file
from geolever.sources.packs import available_packs
from geolever.store import FactStore
from geolever.store.bulk import flow_datasets

data_app = typer.Typer(help="Inspect and load the fact store.", no_args_is_help=True)


@data_app.command("list")
@friendly_errors
def data_list(store: StoreOption = None, fmt: FormatOption = "table") -> None:
    """List the datasets in the store and the case packs shipped with geolever."""
    check_format(fmt)
    with FactStore(store_path(store)) as db:
        frame = db.datasets()
        tables = [OutTable(
            name="datasets",
            title=f"store {db.path}",
            columns=[Column("name", "dataset"), Column("kind", "kind", "short"),
                     Column("origin", "origin", "long"), Column("facts", "facts", "num"),
                     Column("loaded_at", "loaded", "short", fmt=lambda v: str(v)[:19])],
            rows=[{**{str(k): v for k, v in r.items()}, "loaded_at": str(r["loaded_at"])}
                  for r in frame.to_dict("records")],
        )]
        flows = flow_datasets(db)
        if not flows.empty:
            tables.append(OutTable(
                name="trade_flows",
                title="trade-flow datasets",
                columns=[Column(str(c), str(c), "num" if flows[c].dtype.kind in "iuf"
                                else "text") for c in flows.columns],
                rows=flows.to_dict("records"),
            ))
    tables.append(OutTable(name="packs", title="case packs shipped",
                           columns=[Column("pack", "pack", "short")],
                           rows=[{"pack": p} for p in available_packs()]))
    emit(tables, fmt)


@data_app.command("show")
@friendly_errors
def data_show(
    indicator: Annotated[str, typer.Argument(help="Indicator, e.g. remittances_received")],
    country: Annotated[str | None, typer.Option(help="ISO3 code")] = None,
    partner: Annotated[str | None, typer.Option(help="ISO3 code")] = None,
    year: Annotated[int | None, typer.Option(help="Year")] = None,
    store: StoreOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Show the stored facts of an indicator with units and sources."""
    from geolever.core.countries import normalise_country
    from geolever.core.facts import indicator_table

    check_format(fmt)
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
    cols = [Column("country", "country", "short"), Column("partner", "partner", "short"),
            Column("product", "product", "short"), Column("entity", "entity"),
            Column("measure", "measure"), Column("year", "year", "short"),
            Column("period", "period", "short"),
            Column("value", "value", "num", fmt=lambda v: format_number(v)),
            Column("unit", "unit", "short"), Column("quality", "quality", "short"),
            Column("preferred", "pref", "short", fmt=lambda v: "yes" if v else ""),
            Column("source", "source", "long"), Column("citation", "citation", table=False),
            Column("note", "note", table=False)]
    keep = [c.key for c in cols]
    rows = [{k: r.get(k) for k in keep} for r in frame.to_dict("records")]
    emit([OutTable(name="facts", title=f"{indicator}: {len(frame)} facts", columns=cols,
                   rows=rows, full_text="--format json or --format csv")], fmt)


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
