"""The dataset mode of ``geolever ge``: a counterfactual on a gravity dataset's flows.

``--embargo``, ``--tariff`` and ``--pta`` (and ``geolever.ge(dataset, ...)``) are a
``trade_cost_change`` lever (:mod:`geolever.levers.kinds.trade_cost_change`) compiled on
the dataset's observed baseline (the world layer's
:class:`~geolever.world.gravity.GravityBaseline`) into a
:class:`~geolever.shocks.GravityCostChange` and solved by the GE trade-cost engine
(:func:`geolever.effects.engines.ge_trade_cost.solve_cost_change`). The command line and
the Python API both call :func:`solve_dataset`; errors name the command's options
(``--embargo``), which the API reports as they are. The spec mode is
:mod:`geolever.scenario.ge_replication`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geolever.core.errors import InvalidDataError
from geolever.core.gravity_spec import Solution
from geolever.core.inputs import NumericOptions, check_option
from geolever.effects.engines.ge_trade_cost import GEResult, MultiGEResult, solve_cost_change
from geolever.levers.kinds.trade_cost_change import TradeCostChange, sector_of, split_number
from geolever.world.gravity import gravity_baseline

#: Elasticity of substitution when none is given.
DEFAULT_SIGMA = 5.0


def parse_sigma(specs: list[str], sectors: list[str] | None) -> NDArray[np.float64]:
    """Read ``--sigma`` values: one bare number and/or ``SECTOR=VALUE`` per sector.

    Parameters
    ----------
    specs
        Option values, e.g. ``["5"]`` or ``["food=8", "manuf=5"]`` or ``["5", "food=8"]``
        (the bare number is the default of the sectors not named). Empty: 5 for all.
    sectors
        Sector codes, or None for a single-sector dataset (then only a bare number).

    Returns
    -------
    numpy.ndarray
        Elasticity of substitution per sector, shape (S,) (shape (1,) without sectors);
        values are checked (> 1) by the solver.
    """
    default: float | None = None
    named: dict[str, float] = {}
    for spec in specs:
        key, eq, number = split_number(spec, "--sigma", "--sigma", last=True,
                                       fix="write a number (all sectors) or SECTOR=NUMBER")
        if not eq:
            if default is not None:
                raise InvalidDataError(
                    "--sigma has two values for all sectors",
                    field="--sigma",
                    fix="give one bare value, and SECTOR=VALUE for the exceptions",
                )
            default = number
            continue
        if sectors is None:
            raise InvalidDataError(
                f"--sigma {spec!r} names a sector but the dataset has no sector column",
                field="--sigma",
                fix="give one number, or pass --sector-col",
            )
        _, name = sector_of(f"x@{key}", "--sigma", sectors)
        assert name is not None
        named[name] = number
    if sectors is None:
        single = DEFAULT_SIGMA if default is None else default
        check_option("--sigma", single, NumericOptions, "sigma")  # shared bounds (issue 14)
        return np.array([single])
    if named and default is None:
        absent = [s for s in sectors if s not in named]
        if absent:
            raise InvalidDataError(
                f"no elasticity for sector {absent[0]}",
                field="--sigma",
                fix=f"add --sigma {absent[0]}=VALUE or a bare --sigma VALUE for the rest",
            )
    fallback = DEFAULT_SIGMA if default is None else default
    sig = np.array([named.get(s, fallback) for s in sectors])
    # checked here too so that the message names option and sector (the solver's field
    # sigma[SECTOR] would read as Rich markup on the console)
    low = ~(sig > 1.0) | ~np.isfinite(sig)
    if low.any():
        k = int(np.flatnonzero(low)[0])
        raise InvalidDataError(
            f"the elasticity of substitution of sector {sectors[k]} is {sig[k]:g}; it must be > 1",
            field="--sigma",
            fix=f"use --sigma {sectors[k]}=VALUE with VALUE > 1 (typical values 3-10)",
        )
    for name, value in zip(sectors, sig, strict=True):
        # the shared bounds (1.1-50): sigma near 1 overflows to +-inf (issue 14)
        check_option(f"--sigma {name}", float(value), NumericOptions, "sigma")
    return sig


def no_sector_options(
    specs: dict[str, list[str]], io_shares: Path | None, va_share: Path | None
) -> None:
    """Reject sector syntax on a dataset without sectors."""
    for opt, values in specs.items():
        for spec in values:
            if "@" in spec:
                raise InvalidDataError(
                    f"{opt} {spec!r} names a sector but the dataset has no sector column",
                    field=opt,
                    fix="drop @SECTOR, or pass --sector-col",
                )
    for opt, path in (("--io-shares", io_shares), ("--va-share", va_share)):
        if path is not None:
            raise InvalidDataError(
                f"{opt} needs a multi-sector dataset",
                field=opt,
                fix="pass --sector-col naming the dataset's sector column",
            )


class GERun(NamedTuple):
    """A solved counterfactual of :func:`solve_dataset` with the settings it used."""

    result: GEResult | MultiGEResult
    sigma: NDArray[np.float64]
    reference: str
    pta_coef: float | dict[str, float] | None


def solve_dataset(
    df: pd.DataFrame,
    *,
    embargo: list[str],
    tariff: list[str],
    pta: list[str],
    pta_var: str = "pta",
    costs: str | None = None,
    sigma_specs: Sequence[str] = (),
    reference: str | None = None,
    year: int | None = None,
    io_path: Path | None = None,
    va_path: Path | None = None,
    note: Callable[[str], None] | None = None,
) -> GERun:
    """Solve the counterfactual of ``geolever ge`` on a read gravity dataset.

    Parameters
    ----------
    df
        The dataset (:func:`~geolever.sources.gravity_data.read_gravity`); with a
        ``sector`` column the multi-sector model runs.
    embargo, tariff, pta, pta_var, costs, sigma_specs, reference, year, io_path, va_path
        The command's options (see the module docstring), as lists of their texts.
    note
        Called with lines worth showing (the estimated PPML coefficients).

    Returns
    -------
    GERun
        The result (per-country percent changes: ``result.to_frame()``), the
        elasticities per sector (shape (1,) without sectors), the reference country and
        the PPML coefficient(s).

    Raises
    ------
    GeoleverError
        Bad options or data, naming the option and the fix.
    """
    if "sector" not in df.columns:
        no_sector_options(
            {"--embargo": embargo, "--tariff": tariff, "--pta": pta},
            io_path,
            va_path,
        )
        sig = parse_sigma(list(sigma_specs), None)
        base = gravity_baseline(df, year=year)
    else:
        base = gravity_baseline(df, year=year)
        sig = parse_sigma(list(sigma_specs), base.sectors)
        if va_path is not None and io_path is None:
            raise InvalidDataError(
                "--va-share without --io-shares: the rest of the costs would be unexplained",
                field="--va-share",
                fix="pass --io-shares too (value added + input shares = 1 per sector)",
            )
        base = base.with_shares(io_path, va_path)
    if not (embargo or tariff or pta):
        raise InvalidDataError(
            "no shock given", field="shock", fix="pass --embargo, --tariff or --pta"
        )
    # the shock is a trade_cost_change lever compiled on the dataset's baseline and solved
    # by the GE trade-cost engine (errors name the command's options)
    lever = TradeCostChange.model_validate({
        "embargo": list(embargo), "tariff": list(tariff), "pta": list(pta),
        "pta_var": pta_var, "costs": costs.split(",") if costs else None})
    shock = lever.compile_baseline(base, spell=_option)
    ref = reference.upper() if reference else base.countries[0]
    sol = solve_cost_change(shock, Solution(sigma=float(sig[0]), reference=ref), sigma=sig,
                            note=note)
    coef: float | dict[str, float] | None = None
    if sol.coefficients is not None:
        pairs = zip(sol.coefficients["sector"], sol.coefficients["coef"], strict=True)
        coef = {str(k): float(c) for k, c in pairs} if sol.sectors is not None else \
            float(sol.coefficients["coef"].iloc[0])
    return GERun(sol.result, sig, ref, coef)


def _option(field: str) -> str:
    """Name a lever field as the option of ``geolever ge`` that sets it."""
    return "--" + field.replace("_", "-")


__all__ = ["DEFAULT_SIGMA", "GERun", "no_sector_options", "parse_sigma", "solve_dataset"]
