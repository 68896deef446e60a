"""Replication specs for structural-gravity applications: YAML schema, runner, outputs.

A spec (``examples/gravity/*.yaml``) names the data file and the model parts of
:mod:`geolever.core.gravity_spec`; ``geolever ge --spec FILE`` runs it and its options
override the same fields (one schema for YAML, CLI options and web bodies)::

    name: Yotov et al. (2016) ch. 2 application 1, trade without borders
    data: {path: ../shared/data/gravity/1_TradeWithoutBorder.dta, rename: {ZZZ: DEU}}
    estimation: {formula: "trade ~ log(DIST) + CNTG + INTL_BRDR"}
    baseline: {flows: fitted}
    counterfactual: ["INTL_BRDR=0"]
    solution: {sigma: 7, reference: DEU, method: exact}
    output: {format: csv}

Relative data paths are read from the current directory (run from the repository root
for ``../shared/data``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from geolever import __version__
from geolever.core.errors import DataNotFoundError, InvalidDataError, ScenarioError
from geolever.core.gravity_spec import Baseline, Change, Estimation, Solution
from geolever.core.inputs import schema_error
from geolever.effects.engines.ge_trade_cost import STEPS as STEPS  # the steps a run reports
from geolever.effects.engines.ge_trade_cost import (
    Progress,
    Replication,
    StepCallback,
    solve_estimated_change,
)
from geolever.levers.kinds.trade_cost_change import TradeCostChange
from geolever.world.gravity import read_gravity


class DataSource(BaseModel):
    """The gravity dataset of the application."""

    model_config = ConfigDict(extra="forbid")

    path: str = Field(..., description="Gravity file (.dta/.csv/.tsv/.dlm/.parquet)")
    rename: dict[str, str] = Field(
        default_factory=dict, description="Country codes to recode, e.g. {ZZZ: DEU}"
    )


class Output(BaseModel):
    """What is written."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["csv", "parquet"] = Field(default="csv", description="Per-country table format")
    convention: Literal["counterfactual", "existing_policy"] = Field(
        default="counterfactual",
        description="'existing_policy': the effect of the policy the counterfactual "
        "removes, in the book's convention (application 2)",
    )


class ReplicationSpec(BaseModel):
    """A structural-gravity application: data, estimation, baseline, counterfactual, solution."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="", description="Title of the application")
    source: str = Field(
        default="", description="Where the application and its published results are"
    )
    data: DataSource
    estimation: Estimation
    baseline: Baseline = Field(
        default_factory=lambda: Baseline(), description="Baseline flows and year"
    )
    counterfactual: list[str] = Field(
        ..., min_length=1, max_length=200,
        description="Changes VAR=VALUE[@A-B,C:D]: A-B both directions, A:B exports of A to B",
    )
    solution: Solution
    output: Output = Field(
        default_factory=lambda: Output(), description="Output format and convention"
    )

    @field_validator("counterfactual")
    @classmethod
    def _changes(cls, v: list[str]) -> list[str]:
        for k, text in enumerate(v):
            try:
                Change.parse(text, field=f"counterfactual[{k}]")
            except InvalidDataError as err:
                raise ValueError(f"{err.message} ({err.fix})") from None
        return v

    def changes(self) -> list[Change]:
        """Parse the counterfactual changes."""
        return [Change.parse(t, field=f"counterfactual[{k}]")
                for k, t in enumerate(self.counterfactual)]


def parse_spec(data: Any, *, origin: str = "spec", root: yaml.Node | None = None
               ) -> ReplicationSpec:
    """Validate a mapping (YAML, CLI options, a JSON body) into a :class:`ReplicationSpec`.

    Raises
    ------
    ScenarioError
        Naming the origin (file and line when known), the field and the fix.
    """
    if not isinstance(data, dict):
        raise ScenarioError("a replication spec must be a mapping of fields", field=origin,
                            fix="start with 'data:', 'estimation:', 'counterfactual:' and "
                            "'solution:'")
    try:
        return ReplicationSpec.model_validate(data)
    except ValidationError as err:
        fixes = {"missing": "add this field (sigma and reference must be explicit)",
                 "literal_error": "use one of the values listed"}
        raise schema_error(err, origin, root, fixes=fixes, error=ScenarioError) from None


def read_spec_file(path: Path) -> tuple[dict[str, Any], yaml.Node | None]:
    """Read a YAML spec into a mapping and its node tree (for line numbers).

    Raises
    ------
    ScenarioError
        Missing file or malformed YAML (file, line and column).
    """
    if not path.is_file():
        raise ScenarioError(f"no such file {path}", field="--spec",
                            fix="give a YAML replication spec, e.g. "
                            "examples/gravity/app1_trade_without_borders.yaml")
    text = path.read_text("utf-8")
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{path}, line {mark.line + 1}, column {mark.column + 1}" if mark else str(path)
        raise ScenarioError(f"malformed YAML: {getattr(err, 'problem', err)}", field=where,
                            fix="check indentation, colons and quotes at that line") from None
    return (data if isinstance(data, dict) else {"_": data}), root


def load_spec(path: Path) -> ReplicationSpec:
    """Read and validate a YAML replication spec."""
    data, root = read_spec_file(path)
    return parse_spec(data, origin=str(path), root=root)


def run_spec(
    spec: ReplicationSpec,
    *,
    on_step: StepCallback | None = None,
    on_pass: Progress | None = None,
) -> Replication:
    """Read the spec's data and run the application.

    The counterfactual is a ``trade_cost_change`` lever
    (:class:`~geolever.levers.kinds.trade_cost_change.TradeCostChange`) compiled into a
    :class:`~geolever.shocks.GravityEstimatedChange` (the data, the regression and the
    changed regressors:
    :meth:`~geolever.levers.kinds.trade_cost_change.TradeCostChange.compile_estimated`),
    which the GE trade-cost engine estimates (PPML, trade costs before and after) and
    solves (:func:`~geolever.effects.engines.ge_trade_cost.solve_estimated_change`).
    """
    if on_step is not None:
        on_step("read data")
    path = Path(spec.data.path)
    if not path.is_file():
        raise DataNotFoundError(
            f"gravity dataset {path} not found (relative paths are read from the current "
            f"directory, {Path.cwd()})",
            field="data.path",
            fix="run from the repository root for ../shared/data, or pass the dataset as "
            "the command's argument",
        )
    df = read_gravity(path, rename=spec.data.rename or None)
    # the application's counterfactual is a trade_cost_change lever, compiled through the
    # estimated gravity equation and solved by the GE trade-cost engine
    lever = TradeCostChange.model_validate({"change": spec.counterfactual})
    shock = lever.compile_estimated(df, spec.estimation, spec.baseline,
                                    reference=spec.solution.reference)
    return solve_estimated_change(shock, spec.solution, on_step=on_step, on_pass=on_pass)


def write_outputs(spec: ReplicationSpec, rep: Replication, out: Path) -> list[Path]:
    """Write the per-country table, the coefficients and ``results.json`` into ``out``.

    Everything is built in memory first, so nothing is written half-way.

    Returns
    -------
    list of Path
        The files written.
    """
    table = rep.table(spec.output.convention)
    meta = {
        "geolever": __version__,
        "name": spec.name,
        "source": spec.source,
        "data": spec.data.model_dump(),
        "baseline_year": rep.year,
        "method": rep.method,
        "convention": spec.output.convention,
        "sigma": spec.solution.sigma,
        "reference": spec.solution.reference,
        "closure": spec.solution.closure,
        "market_clearing_residual": rep.residual,
        "iterations": rep.result.iterations,
        "pairs_changed": rep.changed,
        "pairs_filled_in": [f"{a}:{b}" for a, b in rep.filled],
        "coefficients": rep.coefficients.to_dict(orient="records"),
        "spec": spec.model_dump(mode="json"),
        "units": "percent changes (factory-gate price, international exports, real GDP, "
        "inward and outward multilateral resistance)",
        "results": table.replace({np.nan: None}).to_dict(orient="records"),
    }
    text = json.dumps(meta, indent=2)
    out.mkdir(parents=True, exist_ok=True)
    name = "results.parquet" if spec.output.format == "parquet" else "results.csv"
    files = [out / name, out / "coefficients.csv", out / "results.json"]
    if spec.output.format == "parquet":
        table.to_parquet(files[0], index=False)
    else:
        table.to_csv(files[0], index=False, float_format="%.10g")
    rep.coefficients.to_csv(files[1], index=False, float_format="%.10g")
    files[2].write_text(text, encoding="utf-8")
    return files


def published_gaps(table: pd.DataFrame, published: pd.DataFrame,
                   columns: dict[str, str]) -> pd.DataFrame:
    """Absolute gaps (pp) between a result table and a published one, per column.

    Parameters
    ----------
    table
        :meth:`Replication.table` output (``iso3`` column).
    published
        Published table indexed by ISO3.
    columns
        Our column -> published column.

    Returns
    -------
    pandas.DataFrame
        Rows per column: median and max absolute gap (pp) and the country of the max.
    """
    ours = table.set_index("iso3")
    common = ours.index.intersection(published.index)
    rows = []
    for mine, theirs in columns.items():
        gap = (ours.loc[common, mine] - published.loc[common, theirs]).abs()
        rows.append({"column": mine, "median_pp": float(gap.median()),
                     "max_pp": float(gap.max()), "max_at": str(gap.idxmax())})
    return pd.DataFrame(rows).set_index("column")
