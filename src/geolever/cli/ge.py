"""``geolever ge``: a general-equilibrium gravity counterfactual from a gravity dataset file.

Shock syntax (repeatable options; ``A:B`` is one direction, exporter A to importer B;
``A-B`` is both directions):

* ``--embargo RUS:AZE`` prohibitive trade cost (the flow becomes exactly zero);
* ``--tariff CAN:JPN=0.1`` trade-cost change factor ``1 + 0.1`` (ad-valorem equivalent);
* ``--pta CAN-JPN`` a trade agreement: the PPML coefficient of the ``--pta-var`` column,
  estimated on the dataset with the ``--costs`` regressors, applied where it becomes 1.

The baseline is the observed flow matrix of the chosen year (domestic sales included).
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from geolever.cli.common import fail
from geolever.core.errors import GeoleverError, InvalidDataError, UnknownCodeError
from geolever.models.gravity import GEResult, solve_ge
from geolever.models.gravity.estimation import estimate_ppml
from geolever.sources.gravity_data import flow_matrix, read_gravity


def _pairs(spec: str, codes: list[str], option: str) -> list[tuple[int, int]]:
    both = "-" in spec and ":" not in spec
    parts = spec.split("-" if both else ":")
    if len(parts) != 2:
        raise InvalidDataError(
            f"cannot read pair {spec!r}",
            field=option,
            fix="write EXPORTER:IMPORTER (one direction) or A-B (both directions)",
        )
    idx = []
    for code in (p.strip().upper() for p in parts):
        if code not in codes:
            near = difflib.get_close_matches(code, codes, n=3)
            hint = f" (did you mean {', '.join(near)}?)" if near else ""
            raise UnknownCodeError(
                f"country {code!r} is not in the dataset",
                field=option,
                fix=f"use one of the dataset's codes{hint}",
            )
        idx.append(codes.index(code))
    a, b = idx
    if a == b:
        raise InvalidDataError(
            f"{spec!r} names the same country twice", field=option, fix="name two countries"
        )
    return [(a, b), (b, a)] if both else [(a, b)]


def build_tau_hat(
    codes: list[str],
    *,
    embargo: list[str],
    tariff: list[str],
    pta: list[str],
    pta_coef: float | None,
    sigma: float,
) -> np.ndarray:
    """Build the (N, N) trade-cost change matrix of a shock description.

    Parameters
    ----------
    codes
        Country codes in matrix order.
    embargo, tariff, pta
        Shock specifications (see the module docstring).
    pta_coef
        PPML coefficient of the agreement dummy (needed when ``pta`` is not empty).
    sigma
        Elasticity of substitution (> 1).

    Returns
    -------
    numpy.ndarray
        Iceberg trade-cost change factors (dimensionless; ``inf`` = embargo).
    """
    tau = np.ones((len(codes), len(codes)))
    for spec in tariff:
        pair, _, value = spec.partition("=")
        try:
            rate = float(value)
        except ValueError as exc:
            raise InvalidDataError(
                f"cannot read tariff {spec!r}", field="--tariff", fix="write A:B=0.1 (+10 %)"
            ) from exc
        if rate <= -1:
            raise InvalidDataError(
                f"tariff change {rate} would make trade costs non-positive",
                field="--tariff",
                fix="use a change > -1",
            )
        for i, j in _pairs(pair, codes, "--tariff"):
            tau[i, j] *= 1.0 + rate
    for spec in pta:
        if pta_coef is None:
            raise InvalidDataError(
                "--pta needs an estimated coefficient", field="--pta", fix="pass --pta-var"
            )
        for i, j in _pairs(spec, codes, "--pta"):
            tau[i, j] *= np.exp(pta_coef / (1.0 - sigma))
    for spec in embargo:
        for i, j in _pairs(spec, codes, "--embargo"):
            tau[i, j] = np.inf
    return tau


def _table(res: GEResult, title: str) -> Table:
    df = res.to_frame()
    table = Table(title=title)
    table.add_column("country")
    labels = {
        "real_gdp_pct": "real GDP %",
        "factory_price_pct": "factory price %",
        "exports_pct": "exports %",
        "imports_pct": "imports %",
        "inward_mr_pct": "inward MR %",
        "outward_mr_pct": "outward MR %",
    }
    for label in labels.values():
        table.add_column(label, justify="right")
    for code, row in df.sort_values("real_gdp_pct").iterrows():
        table.add_row(str(code), *(f"{row[c]:+.4f}" for c in labels))
    return table


def ge_command(
    dataset: Annotated[
        Path, typer.Argument(help="Gravity dataset (.csv/.tsv/.dlm/.dta/.parquet).")
    ],
    embargo: Annotated[
        list[str] | None, typer.Option(help="Embargo, EXPORTER:IMPORTER or A-B (both ways).")
    ] = None,
    tariff: Annotated[
        list[str] | None, typer.Option(help="Trade-cost change, e.g. CAN:JPN=0.1 (+10 %).")
    ] = None,
    pta: Annotated[
        list[str] | None, typer.Option(help="Trade agreement between two countries, A-B.")
    ] = None,
    pta_var: Annotated[str, typer.Option(help="Agreement dummy column for --pta.")] = "pta",
    costs: Annotated[
        str | None, typer.Option(help="Comma-separated trade-cost regressors for PPML (--pta).")
    ] = None,
    sigma: Annotated[float, typer.Option(help="Elasticity of substitution (> 1).")] = 5.0,
    reference: Annotated[
        str | None, typer.Option(help="Reference (numeraire) country; default the first code.")
    ] = None,
    year: Annotated[int | None, typer.Option(help="Year of the baseline.")] = None,
    rename: Annotated[
        list[str] | None, typer.Option(help="Recode a country code, e.g. ZZZ=DEU.")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Folder for results.csv/results.json.")] = None,
) -> None:
    """Run a general-equilibrium gravity counterfactual and print per-country changes."""
    console = Console()
    try:
        mapping = dict(r.split("=", 1) for r in (rename or []))
        df = read_gravity(dataset, rename=mapping or None)
        codes, flows = flow_matrix(df, year=year)
        coef = None
        if pta:
            regs = costs.split(",") if costs else [pta_var]
            if pta_var not in regs:
                regs.append(pta_var)
            sub = df if year is None else df[df["year"] == year]
            fes = (
                "exporter^year + importer^year"
                if sub["year"].nunique() > 1
                else "exporter + importer"
            )
            coef = float(estimate_ppml(sub, regs, fixed_effects=fes).coef[pta_var])
            console.print(f"PPML coefficient of {pta_var}: {coef:.4f}")
        if not (embargo or tariff or pta):
            raise InvalidDataError(
                "no shock given", field="shock", fix="pass --embargo, --tariff or --pta"
            )
        tau = build_tau_hat(
            codes,
            embargo=embargo or [],
            tariff=tariff or [],
            pta=pta or [],
            pta_coef=coef,
            sigma=sigma,
        )
        ref = reference.upper() if reference else codes[0]
        res = solve_ge(flows, tau, sigma, reference=ref, countries=codes)
    except GeoleverError as err:
        fail(err)
    console.print(_table(res, f"GE counterfactual, sigma={sigma}, reference {ref}"))
    console.print(
        f"market-clearing residual {float(res.residual):.2e}, {res.iterations} iterations"
    )
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        frame = res.to_frame()
        frame.to_csv(out / "results.csv")
        meta = {
            "dataset": str(dataset),
            "sigma": sigma,
            "reference": ref,
            "shock": {"embargo": embargo, "tariff": tariff, "pta": pta, "pta_coef": coef},
            "residual": float(res.residual),
            "iterations": res.iterations,
            "results": frame.reset_index().to_dict(orient="records"),
        }
        (out / "results.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        console.print(f"saved {out / 'results.csv'} and {out / 'results.json'}")
