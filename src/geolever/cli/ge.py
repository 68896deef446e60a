"""``geolever ge``: a general-equilibrium gravity counterfactual from a gravity dataset file.

Shock syntax (repeatable options; ``A:B`` is one direction, exporter A to importer B;
``A-B`` is both directions):

* ``--embargo RUS:AZE`` prohibitive trade cost (the flow becomes exactly zero);
* ``--tariff CAN:JPN=0.1`` trade-cost change factor ``1 + 0.1`` (ad-valorem equivalent);
* ``--pta CAN-JPN`` a trade agreement: the ``--pta-var`` column becomes 1 for the pair;
  the trade-cost term changes by ``exp(b (1 - current value))`` with ``b`` its PPML
  coefficient, estimated with the ``--costs`` terms (``log(DIST)`` allowed). A pair that
  already has the agreement is an error (nothing would change), and so is a coefficient
  ``b <= 0`` (an "agreement" that lowers trade is a sign of a misspecified regression,
  e.g. distance in levels, never used silently).

The baseline is the observed flow matrix of the chosen year (domestic sales included).

Every mode is one pipeline: the shock is a ``trade_cost_change`` lever
(:mod:`geolever.levers.kinds.trade_cost_change`) compiled on the dataset (the world
layer's :class:`~geolever.world.gravity.GravityBaseline`) into a
:class:`~geolever.shocks.GravityCostChange`, or with the spec's gravity equation into a
:class:`~geolever.shocks.GravityEstimatedChange`; the GE trade-cost engine estimates
(PPML) and solves it (:mod:`geolever.effects.engines.ge_trade_cost`: ``solve_cost_change``,
``solve_estimated_change``).

**Replication specs** (``--spec FILE.yaml``, see ``examples/gravity/``, or the same fields
as options: ``--formula``, ``--fixed-effects``, ``--years``, ``--derive``, ``--fill-in``,
``--baseline-flows``, ``--year``, ``--change``, ``--sigma``, ``--reference``,
``--closure``, ``--method``, ``--convention``, ``--format``): PPML with transforms and
pair effects, a fitted (structural) or observed baseline, counterfactual regressor changes
``VAR=VALUE[@A-B,C:D]``, and the exact solver or the book's iterative procedure
(``--method yotov2016``), as in Yotov et al. (2016, ch. 2). Options override the spec's
fields; the spec schema is :class:`geolever.scenario.ge_replication.ReplicationSpec`.

Multi-sector datasets (a ``sector`` column, or the one named by ``--sector-col``) run the
Caliendo-Parro multi-sector model (:func:`geolever.models.gravity.solve_ge_multisector`)
on the (sector, exporter, importer) flows. A shock may then name a sector after ``@``
(``--embargo RUS:AZE@food``, ``--tariff A:B@manuf=0.1``, ``--pta A-B@food``); without
``@`` it applies to every sector. ``--sigma 5`` sets every sector's elasticity,
``--sigma food=8 --sigma manuf=5`` one per sector (a bare value is the default for the
others); a PTA coefficient is estimated by PPML per sector. ``--io-shares FILE`` (columns
country, input_sector, sector, share) adds input-output links and ``--va-share FILE``
(country, sector, share) value-added shares; with io shares alone the value-added share
is one minus the input shares.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from geolever.cli.common import FitConsole, err_console, fail
from geolever.core.errors import GeoleverError, InvalidDataError
from geolever.core.outputs import check_output_dir

if TYPE_CHECKING:  # the GE engine and runners (scipy, the assessment) load when the command runs
    from geolever.effects.engines.ge_trade_cost import GEResult, MultiGEResult
    from geolever.scenario.ge_dataset import GERun
    from geolever.scenario.ge_replication import Replication, ReplicationSpec


def _country_table(df: pd.DataFrame, labels: dict[str, str], title: str) -> Table:
    """Per-country percent changes, worst real GDP first (``labels``: column -> header)."""
    table = Table(title=title)
    table.add_column("country")
    for label in labels.values():
        table.add_column(label, justify="right")
    for code, row in df.sort_values("real_gdp_pct").iterrows():
        table.add_row(str(code), *(f"{row[c]:+.4f}" for c in labels))
    return table


def _table(res: GEResult, title: str) -> Table:
    return _country_table(res.to_frame(), {
        "real_gdp_pct": "real GDP %",
        "factory_price_pct": "factory price %",
        "exports_pct": "exports %",
        "imports_pct": "imports %",
        "inward_mr_pct": "inward MR %",
        "outward_mr_pct": "outward MR %",
    }, title)


def _multi_tables(res: MultiGEResult, title: str) -> tuple[Table, Table]:
    countries = _country_table(res.to_frame(), {
        "real_gdp_pct": "real GDP %",
        "welfare_pct": "welfare %",
        "factory_price_pct": "factor price %",
        "consumer_price_pct": "consumer price %",
        "exports_pct": "exports %",
        "imports_pct": "imports %",
    }, title)
    sectors = Table(title="Per sector: gross output and prices")
    for col in ("country", "sector"):
        sectors.add_column(col)
    for label in ("output %", "price %", "unit cost %"):
        sectors.add_column(label, justify="right")
    for _, row in _sector_frame(res).iterrows():
        sectors.add_row(
            str(row["country"]),
            str(row["sector"]),
            *(f"{row[c]:+.4f}" for c in ("output_pct", "price_pct", "unit_cost_pct")),
        )
    return countries, sectors


def _sector_frame(res: MultiGEResult) -> pd.DataFrame:
    """Per-country-and-sector changes of one scenario as a long table (percent)."""
    n, s = res.sector_output_pct.shape
    countries = list(res.countries) if res.countries else [str(k) for k in range(n)]
    sectors = list(res.sectors) if res.sectors else [str(k) for k in range(s)]
    index = pd.MultiIndex.from_product([countries, sectors], names=["country", "sector"])
    return pd.DataFrame(
        {
            "output_pct": res.sector_output_pct.ravel(),
            "price_pct": res.sector_price_pct.ravel(),
            "unit_cost_pct": res.sector_cost_pct.ravel(),
        },
        index=index,
    ).reset_index()


Opt = typer.Option


def ge_command(
    dataset: Annotated[
        Path | None,
        typer.Argument(help="Gravity dataset (.csv/.tsv/.dlm/.dta/.parquet); with --spec it "
                       "replaces the spec's data.path."),
    ] = None,
    spec: Annotated[
        Path | None, Opt(help="Replication spec (YAML), e.g. examples/gravity/*.yaml.")
    ] = None,
    embargo: Annotated[
        list[str] | None,
        Opt(help="Embargo, EXPORTER:IMPORTER or A-B (both ways); @SECTOR for one."),
    ] = None,
    tariff: Annotated[
        list[str] | None,
        Opt(help="Trade-cost change, e.g. CAN:JPN=0.1 (+10 %) or CAN:JPN@food=0.1."),
    ] = None,
    pta: Annotated[
        list[str] | None,
        Opt(help="Trade agreement between two countries, A-B (the --pta-var dummy becomes 1)."),
    ] = None,
    pta_var: Annotated[str, Opt(help="Agreement dummy column for --pta.")] = "pta",
    costs: Annotated[
        str | None,
        Opt(help="Comma-separated trade-cost terms for PPML (--pta), e.g. 'log(DIST),CNTG'."),
    ] = None,
    change: Annotated[
        list[str] | None,
        Opt(help="Counterfactual regressor change VAR=VALUE[@A-B,C:D] (spec mode; replaces "
            "the spec's counterfactual)."),
    ] = None,
    formula: Annotated[
        str | None, Opt(help="PPML formula, e.g. 'trade ~ log(DIST) + CNTG + INTL_BRDR'.")
    ] = None,
    fixed_effects: Annotated[
        str | None,
        Opt(help="'exporter + importer', 'exporter-year + importer-year' or "
            "'pair + exporter-year + importer-year'."),
    ] = None,
    years: Annotated[
        str | None, Opt(help="Estimation years, comma-separated (e.g. 1986,1990,1994).")
    ] = None,
    derive: Annotated[
        list[str] | None,
        Opt(help="Column derived before estimation, NAME=EXPRESSION (repeatable)."),
    ] = None,
    fill_in: Annotated[
        str | None,
        Opt(help="Second-stage formula for pairs without flows, e.g. 'log(DIST) + CNTG'."),
    ] = None,
    baseline_flows: Annotated[
        str | None, Opt(help="Spec mode: 'fitted' (structural, default) or 'observed'.")
    ] = None,
    method: Annotated[
        str | None,
        Opt(help="Spec mode: 'exact' (default) or 'yotov2016' (the book's iterative PPML)."),
    ] = None,
    closure: Annotated[
        str | None, Opt(help="Spec mode: 'proportional' (default) or 'fixed_share'.")
    ] = None,
    convention: Annotated[
        str | None,
        Opt(help="Spec mode: 'counterfactual' (default) or 'existing_policy' (the book's "
            "report of a policy the counterfactual removes)."),
    ] = None,
    fmt: Annotated[
        str | None, Opt("--format", help="Spec mode: per-country table as 'csv' or 'parquet'.")
    ] = None,
    sigma: Annotated[
        list[str] | None,
        Opt(help="Elasticity of substitution (> 1): 5 for all, or SECTOR=8 each."),
    ] = None,
    reference: Annotated[
        str | None, Opt(help="Reference (numeraire) country; default the first code.")
    ] = None,
    year: Annotated[int | None, Opt(help="Year of the baseline.")] = None,
    rename: Annotated[
        list[str] | None, Opt(help="Recode a country code, e.g. ZZZ=DEU.")
    ] = None,
    sector_col: Annotated[
        str | None,
        Opt(help="Sector column (multi-sector model); default 'sector' if present."),
    ] = None,
    io_shares: Annotated[
        Path | None,
        Opt(help="CSV of input cost shares: country,input_sector,sector,share."),
    ] = None,
    va_share: Annotated[
        Path | None, Opt(help="CSV of value-added shares: country,sector,share.")
    ] = None,
    out: Annotated[Path | None, Opt(help="Folder for the result files.")] = None,
) -> None:
    """Run a general-equilibrium gravity counterfactual and print per-country changes."""
    from geolever.effects.engines.ge_trade_cost import MultiGEResult
    from geolever.scenario.ge_dataset import solve_dataset
    from geolever.world.gravity import read_gravity

    console = FitConsole(markup=False)  # the terminal's width, or 120 columns in a pipe
    try:
        if out is not None:
            check_output_dir(out)  # before any work (issue 14)
        mapping = _renames(rename or [])
        if spec is not None or change or formula:
            overrides = {
                "dataset": dataset, "change": change, "formula": formula,
                "fixed_effects": fixed_effects, "years": years, "derive": derive,
                "fill_in": fill_in, "baseline_flows": baseline_flows, "method": method,
                "closure": closure, "convention": convention, "format": fmt,
                "sigma": sigma, "reference": reference, "year": year, "rename": mapping,
                "pta": pta, "pta_var": pta_var,
            }
            for opt, value in (("--embargo", embargo), ("--tariff", tariff),
                               ("--costs", costs), ("--sector-col", sector_col),
                               ("--io-shares", io_shares), ("--va-share", va_share)):
                if value:
                    raise InvalidDataError(
                        f"{opt} is not part of a replication spec",
                        field=opt,
                        fix="express the shock as --change VAR=VALUE@PAIRS (a regressor of the "
                        "formula), or run without --spec/--change/--formula",
                    )
            _run_spec(console, spec, overrides, out)
            return
        if dataset is None:
            raise InvalidDataError(
                "no dataset given", field="DATASET",
                fix="name a gravity file, or pass --spec FILE.yaml",
            )
        df = read_gravity(
            dataset,
            rename=mapping or None,
            sector=sector_col or "sector",
            sector_optional=sector_col is None,
        )
        run = solve_dataset(
            df,
            embargo=embargo or [],
            tariff=tariff or [],
            pta=pta or [],
            pta_var=pta_var,
            costs=costs,
            sigma_specs=sigma or [],
            reference=reference,
            year=year,
            io_path=io_shares,
            va_path=va_share,
            note=console.print,
        )
        if isinstance(run.result, MultiGEResult):
            _print_multi(console, run, dataset, io_path=io_shares, va_path=va_share, out=out,
                         embargo=embargo or [], tariff=tariff or [], pta=pta or [])
            return
        res, sig, ref, coef = run.result, float(run.sigma[0]), run.reference, run.pta_coef
    except GeoleverError as err:
        fail(err)
    console.print(_table(res, f"GE counterfactual, sigma={sig}, reference {ref}"))
    console.print(
        f"market-clearing residual {float(res.residual):.2e}, {res.iterations} iterations"
    )
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        frame = res.to_frame()
        frame.to_csv(out / "results.csv")
        meta = {
            "dataset": str(dataset),
            "sigma": sig,
            "reference": ref,
            "shock": {"embargo": embargo, "tariff": tariff, "pta": pta, "pta_coef": coef},
            "residual": float(res.residual),
            "iterations": res.iterations,
            "results": frame.reset_index().to_dict(orient="records"),
        }
        (out / "results.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        console.print(f"saved {out / 'results.csv'} and {out / 'results.json'}")


def _renames(specs: list[str]) -> dict[str, str]:
    """Read ``--rename OLD=NEW`` options."""
    out = {}
    for r in specs:
        old, eq, new = r.partition("=")
        if not eq or not old.strip() or not new.strip():
            raise InvalidDataError(
                f"cannot read --rename {r!r}", field="--rename", fix="write OLD=NEW, e.g. ZZZ=DEU"
            )
        out[old.strip().upper()] = new.strip().upper()
    return out


def _spec_mapping(spec: Path | None, o: dict[str, Any]) -> tuple[dict[str, Any], Any, str]:
    """Lay the command-line options over the spec file's mapping."""
    from geolever.scenario.ge_replication import read_spec_file

    if spec is not None:
        data, root = read_spec_file(spec)
        origin = str(spec)
    else:
        data, root, origin = {}, None, "command line"
    data = {k: (dict(v) if isinstance(v, dict) else v) for k, v in data.items()}

    def part(name: str) -> dict[str, Any]:
        cur = data.get(name)
        data[name] = dict(cur) if isinstance(cur, dict) else ({} if cur is None else cur)
        return data[name]

    if o["dataset"] is not None:
        part("data")["path"] = str(o["dataset"])
    if o["rename"]:
        part("data")["rename"] = o["rename"]
    est = {"formula": o["formula"], "fixed_effects": o["fixed_effects"]}
    if o["years"]:
        try:
            est["years"] = [int(y) for y in o["years"].split(",")]
        except ValueError:
            raise InvalidDataError(f"cannot read --years {o['years']!r}", field="--years",
                                   fix="write years separated by commas, e.g. 1986,1990") from None
    if o["derive"]:
        pairs = [d.partition("=") for d in o["derive"]]
        if any(not eq for _, eq, _ in pairs):
            raise InvalidDataError("cannot read --derive", field="--derive",
                                   fix="write NAME=EXPRESSION, e.g. 'INTL_BRDR=INTL_BRDR - AB'")
        est["derive"] = {n.strip(): e.strip() for n, _, e in pairs}
    if o["fill_in"]:
        est["fill_in"] = {"formula": o["fill_in"]}
    for k, v in est.items():
        if v is not None:
            part("estimation")[k] = v
    if o["baseline_flows"] is not None:
        part("baseline")["flows"] = o["baseline_flows"]
    if o["year"] is not None:
        part("baseline")["year"] = o["year"]
    changes = list(o["change"] or [])
    if o["pta"]:
        changes += [f"{o['pta_var']}=1@{p}" for p in o["pta"]]
        signs = part("estimation").setdefault("expected_signs", {})
        signs[o["pta_var"]] = "+"
    if changes:
        data["counterfactual"] = changes
    if o["sigma"]:
        if len(o["sigma"]) != 1 or "=" in o["sigma"][0]:
            raise InvalidDataError("a replication takes one --sigma", field="--sigma",
                                   fix="give one number, e.g. --sigma 7")
        try:
            part("solution")["sigma"] = float(o["sigma"][0])
        except ValueError:
            raise InvalidDataError(f"cannot read --sigma {o['sigma'][0]!r}", field="--sigma",
                                   fix="give a number > 1, e.g. 7") from None
    for key, opt in (("reference", "reference"), ("closure", "closure"), ("method", "method")):
        if o[opt] is not None:
            part("solution")[key] = o[opt]
    for key, opt in (("convention", "convention"), ("format", "format")):
        if o[opt] is not None:
            part("output")[key] = o[opt]
    return data, root, origin


def _run_spec(console: Console, spec_path: Path | None, o: dict[str, Any],
              out: Path | None) -> None:
    """Spec mode of ``geolever ge`` (raises GeoleverError on bad input)."""
    from geolever.scenario.ge_replication import STEPS, parse_spec, run_spec, write_outputs

    data, root, origin = _spec_mapping(spec_path, o)
    spec = parse_spec(data, origin=origin, root=root)
    steps = ["read data", *STEPS]
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
        TextColumn("{task.fields[detail]}"), TimeElapsedColumn(),
        console=err_console, transient=True,
    ) as bar:
        task = bar.add_task("replication", total=len(steps), detail="")

        def on_step(name: str) -> None:
            done = steps.index(name) if name in steps else 0
            bar.update(task, completed=done, description=name, detail="")

        def on_pass(k: int, sd: float, mx: float) -> None:
            bar.update(task, detail=f"PPML pass {k}: sd(dif) {sd:.2g}, max(dif) {mx:.2g}")

        rep = run_spec(spec, on_step=on_step, on_pass=on_pass)
        bar.update(task, completed=len(steps))
    table = rep.table(spec.output.convention)
    _print_replication(console, spec, rep, table)
    if out is not None:
        files = write_outputs(spec, rep, out)
        console.print("saved " + ", ".join(str(f) for f in files))


def _print_replication(console: Console, spec: ReplicationSpec, rep: Replication,
                       table: pd.DataFrame) -> None:
    coef = Table(title=f"PPML ({spec.estimation.fixed_effects} effects)")
    for col in ("stage", "term", "coef", "se", "obs"):
        coef.add_column(col, justify="right" if col in ("coef", "se", "obs") else "left")
    for _, r in rep.coefficients.iterrows():
        coef.add_row(str(r["stage"]), str(r["term"]), f"{r['coef']:.7f}", f"{r['se']:.7f}",
                     str(r["nobs"]))
    console.print(coef)
    head = "effect of the existing policy (book convention)" if (
        spec.output.convention == "existing_policy") else "counterfactual"
    sol = spec.solution
    t = Table(title=f"{spec.name or 'GE replication'}: {head}, baseline {rep.year}, "
              f"sigma {sol.sigma:g}, reference {sol.reference}, method {rep.method}")
    labels = {"factory_price_change_pct": "factory price %", "exports_change_pct": "exports %",
              "real_gdp_change_pct": "real GDP %", "imr_change_pct": "IMR %",
              "omr_change_pct": "OMR %"}
    t.add_column("iso3")
    for label in labels.values():
        t.add_column(label, justify="right")
    for _, r in table.sort_values("real_gdp_change_pct").iterrows():
        t.add_row(str(r["iso3"]), *(f"{r[c]:+.4f}" for c in labels))
    console.print(t)
    note = (" (the book's truncated iterative PPML: markets do not clear exactly)"
            if rep.method == "yotov2016" else "")
    console.print(f"market-clearing residual {rep.residual:.2e}{note}, "
                  f"{rep.result.iterations} iterations, {rep.changed} pair(s) changed"
                  + (f", {len(rep.filled)} trade cost(s) filled in" if rep.filled else ""))


def _print_multi(
    console: Console,
    run: GERun,
    dataset: Path,
    *,
    io_path: Path | None,
    va_path: Path | None,
    out: Path | None,
    embargo: list[str],
    tariff: list[str],
    pta: list[str],
) -> None:
    """Print (and with ``out`` write) the multi-sector result of ``geolever ge``."""
    from geolever.effects.engines.ge_trade_cost import MultiGEResult

    res = run.result
    assert isinstance(res, MultiGEResult)
    sectors, sig, ref, coef = list(res.sectors or []), run.sigma, run.reference, run.pta_coef
    sig_txt = ", ".join(f"{s}={v:g}" for s, v in zip(sectors, sig, strict=True))
    for table in _multi_tables(
        res, f"Multi-sector GE counterfactual, sigma {sig_txt}, reference {ref}"
    ):
        console.print(table)
    console.print(
        f"market-clearing residual {float(res.residual):.2e}, {res.iterations} iterations"
    )
    if out is None:
        return
    out.mkdir(parents=True, exist_ok=True)
    frame = res.to_frame()
    frame.to_csv(out / "results.csv")
    by_sector = _sector_frame(res)
    by_sector.to_csv(out / "sectors.csv", index=False)
    meta = {
        "dataset": str(dataset),
        "sectors": sectors,
        "sigma": dict(zip(sectors, sig.tolist(), strict=True)),
        "reference": ref,
        "io_shares": None if io_path is None else str(io_path),
        "va_share": None if va_path is None else str(va_path),
        "shock": {"embargo": embargo, "tariff": tariff, "pta": pta, "pta_coef": coef},
        "residual": float(res.residual),
        "iterations": res.iterations,
        "results": frame.reset_index().to_dict(orient="records"),
        "sector_results": by_sector.to_dict(orient="records"),
    }
    (out / "results.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    console.print(f"saved {out / 'results.csv'}, {out / 'sectors.csv'} and {out / 'results.json'}")
