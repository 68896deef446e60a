"""``geolever io``: input-output propagation of a cut bilateral link (hypothetical extraction).

``extract`` cuts one sender -> target link and reports who loses output downstream and
upstream; ``matrix`` does it for every ordered pair (and sector group) from one
factorisation and streams the results to Parquet. Both write ``result.json`` naming the
table and year, and a PNG chart.

Both are a ``trade_restriction`` lever (direction ``exports``, ``model: {name: io, ...}``;
:func:`geolever.assessment.io_extract.supply_cut`) compiled against the table the world
layer loads (:func:`geolever.world.io.io_table`) and run by the input-output engine
(:mod:`geolever.effects.engines.io_extraction`).
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from geolever.cli.common import check_option, err_console, fail
from geolever.cli.output import Column, FormatOption, OutTable, check_format, emit, status
from geolever.core.errors import GeoleverError, InvalidDataError
from geolever.core.formats import format_number
from geolever.core.inputs import NumericOptions
from geolever.core.outputs import check_output_dir, write_tree
from geolever.world.io import IO_TABLES, PRODUCT_GROUPS, IOTable, io_table

io_app = typer.Typer(
    help="Input-output propagation: who loses output when a bilateral link is cut.",
    no_args_is_help=True,
)

#: The options both commands take: the table, its year and the folder of its files.
TableOption = Annotated[str, typer.Option(help=f"Input-output table: {', '.join(IO_TABLES)}.")]
YearOption = Annotated[int, typer.Option(help="Year of the table.")]
DataDirOption = Annotated[
    Path | None, typer.Option(help="Folder with the table's files (default ../shared/data).")]

def load_table(table: str, year: int, data_dir: Path | None) -> IOTable:
    """Load a named input-output table for a year (the world layer's :func:`io_table`)."""
    return io_table(table, year, data_dir)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=err_console,  # stdout is for the table (or json/csv)
        transient=False,
    )


@contextmanager
def _user_errors(out_dir: Path | None) -> Iterator[None]:
    """Print a user error as one line, exit 2; nothing is written into ``out_dir``.

    (It used to record the error in ``out_dir/result.json``: a failed run must leave the
    output folder as it was, issue 14.)
    """
    try:
        if out_dir is not None:
            check_output_dir(out_dir, "--out-dir")  # before any work (issue 14)
        yield
    except GeoleverError as err:
        fail(err)


@cache
def _sector_names() -> dict[str, dict[str, str]]:
    """Sector code -> name of every classification shipped (``io_sector_groups_*.csv``)."""
    out: dict[str, dict[str, str]] = {}
    for ref in resources.files("geolever.reference").iterdir():
        if ref.name.startswith("io_sector_groups_") and ref.name.endswith(".csv"):
            rows = csv.DictReader(ref.read_text("utf-8").splitlines())
            out[ref.name] = {r["code"]: r.get("name") or r["code"] for r in rows}
    return out


def sector_labels(sectors: Sequence[str]) -> dict[str, str]:
    """Name each sector code from the shipped classification that lists all of them.

    Parameters
    ----------
    sectors
        The table's sector codes (``c1``, ``c3``, ``A01``, ...).

    Returns
    -------
    dict
        ``{code: name}``; codes no shipped classification covers keep their code.
    """
    wanted = set(sectors)
    for names in _sector_names().values():
        if wanted <= set(names):
            return {c: names[c] for c in sectors}
    return {c: c for c in sectors}


def _unit_label(unit: str) -> str:
    """Short unit for a header: ``USD million`` -> ``US$m``."""
    return {"USD million": "US$m", "million USD": "US$m", "USD": "US$",
            "EUR million": "EURm", "USD thousand": "US$k",
            "thousand USD": "US$k"}.get(unit, unit)


def _bar_chart(labels: list[str], series: dict[str, list[float]], title: str) -> bytes:
    """Return a horizontal bar chart as PNG bytes."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 0.35 * len(labels) + 1.5))
    pos = np.arange(len(labels))
    height = 0.8 / max(1, len(series))
    for i, (name, values) in enumerate(series.items()):
        ax.barh(pos + i * height, values, height=height, label=name)
    ax.set_yticks(pos + height * (len(series) - 1) / 2, labels)
    ax.invert_yaxis()
    ax.set_xlabel("loss")
    ax.set_title(title)
    if len(series) > 1:
        ax.legend()
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=120)
    plt.close(fig)
    return buf.getvalue()


@io_app.command("extract")
def extract(
    sender: Annotated[str, typer.Option(help="ISO3 code of the country that cuts supply.")],
    target: Annotated[str, typer.Option(help="ISO3 code of the country that loses supply.")],
    table: TableOption = "wiod2013",
    year: YearOption = 2008,
    sectors: Annotated[
        str,
        typer.Option(help="Product groups or sector codes, comma-separated, or 'all'."),
    ] = "all",
    share: Annotated[float, typer.Option(help="Share of the link cut, 0..1.")] = 1.0,
    intermediate: Annotated[
        bool, typer.Option(help="Cut the target's industries' purchases.")
    ] = True,
    final: Annotated[bool, typer.Option(help="Cut the target's final purchases.")] = True,
    top: Annotated[int, typer.Option(help="Sectors shown in the table and chart.")] = 15,
    out_dir: Annotated[Path | None, typer.Option(
        help="Folder for result.json, losses.csv and the chart (default: print only, "
             "write nothing).")] = None,
    data_dir: DataDirOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Cut (a share of) SENDER's supply to TARGET and report output and value-added losses.

    Prints the most affected sectors; writes files only with ``--out-dir``.
    """
    # the assessment and the engine (scipy) are imported when the command runs
    from geolever.assessment.io_extract import MODEL_NOTE, supply_cut
    from geolever.effects.engines.io_extraction import extract_link_cut

    context: dict[str, Any] = {
        "command": "io extract",
        "table": table,
        "year": year,
        "sender": sender,
        "target": target,
        "sectors": sectors,
        "share": share,
    }
    with _user_errors(out_dir), _progress() as progress:
        check_format(fmt)
        check_option("--share", share, NumericOptions, "share")  # shared rule (issue 14)
        step = progress.add_task("input-output extraction", total=4)
        progress.update(step, description=f"reading {table} {year}")
        tbl = load_table(table, year, data_dir)
        groups = [g.strip() for g in sectors.split(",")]
        shock = supply_cut(tbl.name, tbl.year, groups, share, intermediate=intermediate,
                           final=final).compile_table(tbl, sender, target)
        s, t = (tbl.region_index(code) for code in shock.links[0])
        mask = tbl.group_mask(groups)

        def on_step(what: str) -> None:
            progress.advance(step)
            progress.update(step, description=what)

        res, frame = extract_link_cut(shock, on_step=on_step)
        progress.advance(step)
        names = sector_labels(tbl.sectors)
        # Rank by the larger of the two models' losses (they are alternatives, not parts).
        rank = np.maximum(frame["output_loss"], frame.get("forward_output_loss", 0.0))
        worst = frame.iloc[np.argsort(-np.asarray(rank), kind="stable")[:top]]
        chart_name = "most_affected_sectors.png"
        files: dict[str, str | bytes] = {}
        if out_dir is not None:
            progress.update(step, description="writing result.json and chart")
            files["losses.csv"] = frame.to_csv()
            labels = [f"{r} {names.get(sec, sec)[:40]}" for r, sec in worst.index]
            series = {"backward (Leontief)": worst["output_loss"].tolist()}
            if "forward_output_loss" in worst:
                series["forward (Ghosh)"] = worst["forward_output_loss"].tolist()
            files[chart_name] = _bar_chart(
                labels,
                series,
                f"{tbl.label}: output loss if {tbl.regions[s]} cuts {sectors} supply to "
                f"{tbl.regions[t]} ({tbl.unit})",
            )
        by_region = frame.groupby(level="region", sort=False)[
            [c for c in frame.columns if c.endswith("loss")]
        ].sum()
        result = {
            **context,
            "sender": tbl.regions[s],
            "target": tbl.regions[t],
            "table": tbl.name,
            "year": tbl.year,
            "source": tbl.source,
            "unit": tbl.unit,
            "sectors_cut": [c for c, m in zip(tbl.sectors, mask, strict=True) if m],
            "intermediate": intermediate,
            "final": final,
            "model": MODEL_NOTE,
            "extracted_intermediate": res.extracted_intermediate,
            "extracted_final": res.extracted_final,
            "loss_by_region": {
                str(r): {k: float(v) for k, v in row.items()}
                for r, row in by_region.to_dict("index").items()
            },
            "most_affected_sectors": [
                {
                    "region": row["region"],
                    "sector": row["sector"],
                    "sector_name": names.get(row["sector"], row["sector"]),
                    "output_loss": float(row["output_loss"]),
                    "forward_output_loss": float(row.get("forward_output_loss", 0.0)),
                    "value_added_loss": float(row["value_added_loss"]),
                }
                for row in worst.reset_index().to_dict("records")
            ],
            "files": {"losses": "losses.csv", "chart": chart_name},
        }
        if out_dir is not None:
            files["result.json"] = json.dumps(result, indent=2)
            write_tree(out_dir, files, option="--out-dir")  # all or nothing
        progress.advance(step)

    u = _unit_label(tbl.unit)
    loss = lambda v: f"{v:,.1f}"  # noqa: E731  (the header names the unit)
    emit([OutTable(
        name="most_affected_sectors",
        title=f"{tbl.label}: {tbl.regions[s]} cuts {sectors} supply to {tbl.regions[t]} "
              f"(share {share:g}); most affected sectors, output lost in {tbl.unit} a year",
        columns=[Column("region", "region", "short"), Column("sector", "code", "short"),
                 Column("sector_name", "sector"),
                 Column("output_loss", f"backward loss (Leontief), {u}", "num", fmt=loss),
                 Column("forward_output_loss", f"forward loss (Ghosh), {u}", "num", fmt=loss),
                 Column("value_added_loss", f"value added lost, {u}", "num", fmt=loss)],
        rows=result["most_affected_sectors"],
        note=f"cut flow: {format_number(res.extracted_intermediate, digits=4)} intermediate + "
             f"{format_number(res.extracted_final, digits=4)} final ({tbl.unit}). Backward "
             "and forward losses are two models, not parts of one total.",
    )], fmt)
    if out_dir is not None:
        status(f"wrote result.json, losses.csv and {chart_name} to {out_dir}", fmt)


@io_app.command("matrix")
def matrix(
    table: TableOption = "wiod2013",
    year: YearOption = 2008,
    groups: Annotated[
        str,
        typer.Option(help="Comma-separated product groups to cut, plus 'all' (whole link)."),
    ] = ",".join((*PRODUCT_GROUPS, "all")),
    share: Annotated[float, typer.Option(help="Share of each link cut, 0..1.")] = 1.0,
    out: Annotated[
        Path | None, typer.Option(help="Parquet file for the full pair x region table.")
    ] = None,
    by_sector: Annotated[
        bool, typer.Option(help="One Parquet row per affected sector, not per region.")
    ] = False,
    forward: Annotated[bool, typer.Option(help="Also compute forward (Ghosh) losses.")] = True,
    top: Annotated[int, typer.Option(help="Pairs shown per group (table, result.json, chart).")
                   ] = 15,
    out_dir: Annotated[Path | None, typer.Option(
        help="Folder for result.json and the chart (default: print only; --out still "
             "writes the Parquet table).")] = None,
    data_dir: DataDirOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Cut every ordered sender -> target link (per sector group) and rank the pairs.

    Prints the top pairs of each group; writes files only with ``--out`` / ``--out-dir``.
    """
    from geolever.assessment.io_extract import MODEL_NOTE, supply_cut
    from geolever.effects.engines.io_extraction import extract_all_pairs

    context: dict[str, Any] = {"command": "io matrix", "table": table, "year": year}
    with _user_errors(out_dir), _progress() as progress:
        check_format(fmt)
        load = progress.add_task(f"reading {table} {year} and factorising", total=2)
        tbl = load_table(table, year, data_dir)
        names = [g.strip() for g in groups.split(",") if g.strip()]
        if not names:
            raise InvalidDataError(
                "no sector group given", field="--groups",
                fix="name product groups, sector codes or 'all', comma-separated "
                "(e.g. --groups food,all)")
        shock = supply_cut(tbl.name, tbl.year, names, share).compile_table_pairs(tbl)
        masks = shock.groups
        progress.advance(load)
        nr = len(tbl.regions)
        # Per pair: backward loss of the sender and of the world, forward loss of the
        # target and of the world (two models, kept apart rather than added).
        totals = {g: np.zeros((nr, nr, 4)) for g in masks}
        writer = None
        # the Parquet table is streamed beside --out and renamed into place at the end
        partial = None if out is None else out.with_name(f".{out.name}.partial")
        work = progress.add_task("all pairs (sender x group)", total=nr * len(masks))
        try:
            for chunk in extract_all_pairs(shock, forward=forward,
                                           on_prepared=lambda: progress.advance(load)):
                back = chunk.output_loss.sum(axis=2)
                tt = chunk.targets
                acc = totals[chunk.group]
                acc[chunk.sender, tt, 0] = back[:, chunk.sender]
                acc[chunk.sender, tt, 1] = back.sum(axis=1)
                if chunk.forward_output_loss is not None:
                    fwd = chunk.forward_output_loss.sum(axis=2)
                    acc[chunk.sender, tt, 2] = fwd[np.arange(tt.size), tt]
                    acc[chunk.sender, tt, 3] = fwd.sum(axis=1)
                if out is not None:
                    import pyarrow as pa
                    import pyarrow.parquet as pq

                    frame = chunk.to_frame(tbl.regions, tbl.sectors, by_sector=by_sector)
                    batch = pa.Table.from_pandas(frame, preserve_index=False)
                    if writer is None:
                        out.parent.mkdir(parents=True, exist_ok=True)
                        meta = {
                            b"geolever.table": tbl.name.encode(),
                            b"geolever.year": str(tbl.year).encode(),
                            b"geolever.unit": tbl.unit.encode(),
                        }
                        schema = batch.schema.with_metadata(meta)
                        writer = pq.ParquetWriter(partial, schema)
                    writer.write_table(batch.cast(writer.schema))
                progress.advance(work)
        except BaseException:
            if writer is not None:
                writer.close()
            if partial is not None:
                partial.unlink(missing_ok=True)
            raise
        if writer is not None:
            writer.close()

        ranking: dict[str, list[dict[str, Any]]] = {}
        for g, acc in totals.items():
            order = np.argsort(acc[:, :, 1], axis=None)[::-1][:top]
            ranking[g] = [
                {
                    "sender": tbl.regions[i // nr],
                    "target": tbl.regions[i % nr],
                    "sender_backward_loss": float(acc[i // nr, i % nr, 0]),
                    "world_backward_loss": float(acc[i // nr, i % nr, 1]),
                    "target_forward_loss": float(acc[i // nr, i % nr, 2]),
                    "world_forward_loss": float(acc[i // nr, i % nr, 3]),
                }
                for i in order
                if i // nr != i % nr
            ]
        first = "all" if "all" in ranking else next(iter(ranking))
        chart_name = "most_affected_pairs.png"
        png = b""
        if out_dir is not None:
            png = _bar_chart(
                [f"{p['sender']} -> {p['target']}" for p in ranking[first]],
                {
                    "sender, backward": [p["sender_backward_loss"] for p in ranking[first]],
                    "target, forward": [p["target_forward_loss"] for p in ranking[first]],
                },
                f"{tbl.label}: largest output losses, links cut in {first} ({tbl.unit})",
            )
        result = {
            **context,
            "table": tbl.name,
            "year": tbl.year,
            "source": tbl.source,
            "unit": tbl.unit,
            "share": share,
            "groups": names,
            "pairs": nr * (nr - 1),
            "model": MODEL_NOTE,
            "ranking": "pairs by world output loss, backward (Leontief) model",
            "top_pairs": ranking,
            "files": {"chart": chart_name, "parquet": str(out) if out is not None else None},
        }
        if out_dir is not None:
            write_tree(out_dir, {chart_name: png, "result.json": json.dumps(result, indent=2)},
                       option="--out-dir")  # all or nothing
        if partial is not None and partial.exists() and out is not None:
            os.replace(partial, out)
    u = _unit_label(tbl.unit)
    loss = lambda v: f"{v:,.1f}"  # noqa: E731  (the header names the unit)
    emit([OutTable(
        name=g,
        title=f"{tbl.label}: pairs with the largest world output loss when the sender cuts "
              f"its {g} supply to the target ({tbl.unit} a year)",
        columns=[Column("sender", "sender", "short"), Column("target", "target", "short"),
                 Column("world_backward_loss", f"world backward loss, {u}", "num", fmt=loss),
                 Column("sender_backward_loss", f"sender backward loss, {u}", "num", fmt=loss),
                 Column("world_forward_loss", f"world forward loss, {u}", "num", fmt=loss),
                 Column("target_forward_loss", f"target forward loss, {u}", "num", fmt=loss)],
        rows=rows,
    ) for g, rows in ranking.items()], fmt)
    status(f"{nr * (nr - 1)} ordered pairs x {len(masks)} groups from {tbl.label}"
           + (f"; results in {out_dir}" if out_dir is not None else "")
           + (f"; table in {out}" if out is not None else ""), fmt)
