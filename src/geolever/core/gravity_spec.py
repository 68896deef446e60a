"""The specification of a structural-gravity application: estimation, counterfactual, solution.

Plain data types, shared by the layers that build a gravity counterfactual (the
``trade_cost_change`` lever kind, the shocks that carry it), the GE trade-cost engine that
estimates and solves it and the models it calls. One pydantic schema (YAML files through
:mod:`geolever.scenario.ge_replication`, the options of ``geolever ge``, web bodies)
describes a general-equilibrium gravity application as Yotov et al. (2016, ch. 2) set
them up:

* :class:`Estimation`: a PPML formula with transforms (``trade ~ log(DIST) + CNTG +
  INTL_BRDR``), the fixed-effect structure, the years used, columns derived once before
  estimation (a recoded dummy), and the second-stage fill-in of trade costs for pairs
  that never trade (Anderson and Yotov 2016);
* :class:`Baseline`: fitted (structural) or observed flows, and the year;
* counterfactual *changes* of regressors, ``VAR=VALUE[@PAIRS]`` (:class:`Change`);
* :class:`Solution`: sigma, reference country, closure and method (``exact`` or the
  book's truncated iterative PPML, ``yotov2016``).

This module imports only :mod:`geolever.core`; it knows no files and runs no model.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from geolever.core.errors import InvalidDataError

FixedEffects = Literal[
    "exporter + importer",
    "exporter-year + importer-year",
    "pair + exporter-year + importer-year",
]
_CODE = r"[A-Za-z0-9_]+"
_PAIR = re.compile(rf"^\s*({_CODE})\s*([:-])\s*({_CODE})\s*$")
_CHANGE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*([^@]+?)\s*(?:@(.*))?$")


class Change(BaseModel):
    """A counterfactual change of one regressor column, for all pairs or selected ones.

    ``INTL_BRDR=0`` (every pair), ``INTL_BRDR=0@CAN-USA`` (both directions),
    ``RTA=0@CAN-USA,CAN-MEX,MEX-USA`` (several pairs), ``INTL_BRDR_AB=0@CAN:USA`` (one
    direction: exports of CAN to USA).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    variable: str = Field(..., description="Column of the prepared data to change")
    value: float = Field(..., description="Its counterfactual value")
    pairs: tuple[tuple[str, str], ...] | None = Field(
        default=None, description="Directed (exporter, importer) pairs; None = every pair"
    )
    text: str = Field(..., description="The change as written")

    @classmethod
    def parse(cls, text: str, *, field: str = "counterfactual") -> Change:
        """Read ``VAR=VALUE[@A-B,C:D,...]`` (``A-B`` both directions, ``A:B`` one).

        Raises
        ------
        InvalidDataError
            Naming ``field`` and the expected syntax.
        """
        m = _CHANGE.match(text)
        if m is None:
            raise InvalidDataError(
                f"cannot read the change {text!r}",
                field=field,
                fix="write VAR=VALUE, VAR=VALUE@A-B (both directions) or VAR=VALUE@A:B "
                "(exports of A to B); several pairs separated by commas",
            )
        var, raw, sel = m.groups()
        try:
            value = float(raw)
        except ValueError:
            raise InvalidDataError(
                f"the value {raw!r} in {text!r} is not a number",
                field=field,
                fix="write VAR=0 or VAR=1 (a number)",
            ) from None
        pairs: list[tuple[str, str]] | None = None
        if sel is not None:
            pairs = []
            for item in sel.split(","):
                p = _PAIR.match(item)
                if p is None or p.group(1).upper() == p.group(3).upper():
                    raise InvalidDataError(
                        f"cannot read the pair {item.strip()!r} in {text!r}",
                        field=field,
                        fix="name two different countries as A-B (both directions) or A:B",
                    )
                a, sep, b = p.group(1).upper(), p.group(2), p.group(3).upper()
                pairs.append((a, b))
                if sep == "-":
                    pairs.append((b, a))
        return cls(
            variable=var,
            value=value,
            pairs=None if pairs is None else tuple(dict.fromkeys(pairs)),
            text=text.strip(),
        )


class PairEffects(BaseModel):
    """How pair fixed effects are defined (with ``pair + exporter-year + importer-year``)."""

    model_config = ConfigDict(extra="forbid")

    symmetric: bool = Field(default=True, description="One effect for A->B and B->A")
    shared_domestic: bool = Field(
        default=True, description="One effect shared by all domestic flows (the reference level)"
    )


class FillIn(BaseModel):
    """Second stage for pairs whose pair effect is not identified (no trade in any year).

    The estimated pair effects ``exp(gamma_ij)`` of the baseline year are regressed by
    PPML on ``formula`` with exporter and importer effects (international pairs), and the
    prediction replaces the missing ones (Anderson and Yotov 2016; Yotov et al. 2016,
    ch. 2 application 2).
    """

    model_config = ConfigDict(extra="forbid")

    formula: str = Field(..., description="Right-hand side, e.g. 'log(DIST) + CNTG + LANG + CLNY'")


class Estimation(BaseModel):
    """The PPML gravity regression that gives the trade-cost coefficients."""

    model_config = ConfigDict(extra="forbid")

    formula: str = Field(
        ..., description="'trade ~ log(DIST) + CNTG + INTL_BRDR': flow column ~ terms"
    )
    fixed_effects: FixedEffects = Field(default="exporter + importer", description="Fixed effects")
    pair_effects: PairEffects = Field(
        default_factory=lambda: PairEffects(), description="Pair effects definition"
    )
    years: list[int] | None = Field(default=None, description="Years used; default all")
    derive: dict[str, str] = Field(
        default_factory=dict,
        description="Columns computed once, in order, before estimation: NAME: expression "
        "(pandas eval syntax, e.g. 'INTL_BRDR - INTL_BRDR_AB'); counterfactual changes act "
        "on them, formula terms are recomputed after the change",
    )
    fill_in: FillIn | None = Field(default=None, description="Second stage for pairs without flows")
    expected_signs: dict[str, Literal["+", "-"]] = Field(
        default_factory=dict,
        description="Term -> expected sign; a coefficient of the other sign is an error",
    )

    @field_validator("fixed_effects", mode="before")
    @classmethod
    def _spaces(cls, v: object) -> object:
        return " + ".join(p.strip() for p in v.split("+")) if isinstance(v, str) else v


class Baseline(BaseModel):
    """The baseline of the counterfactual."""

    model_config = ConfigDict(extra="forbid")

    flows: Literal["fitted", "observed"] = Field(
        default="fitted",
        description="'fitted': the PPML-consistent flows (Yotov et al.), 'observed': data",
    )
    year: int | None = Field(default=None, description="Year; may be omitted for one-year data")


class Solution(BaseModel):
    """How the general equilibrium is solved."""

    model_config = ConfigDict(extra="forbid")

    sigma: float = Field(..., gt=1.0, description="Elasticity of substitution (> 1)")
    reference: str = Field(..., description="Reference country (ISO3): its consumer price is 1")
    closure: Literal["proportional", "fixed_share"] = Field(
        default="proportional", description="Expenditure closure (yotov2016: proportional only)"
    )
    method: Literal["exact", "yotov2016"] = Field(
        default="exact",
        description="'exact' (Newton, markets clear to 1e-10) or 'yotov2016' (the book's "
        "iterative PPML with its stopping rule: a truncated heuristic)",
    )
    tol_sd: float = Field(default=0.01, gt=0, description="yotov2016: stop when sd(dif) <= this")
    tol_max: float = Field(default=0.01, gt=0, description="yotov2016: and abs(max(dif)) <= this")
    max_passes: int = Field(default=100, ge=1, le=10_000, description="yotov2016: most PPML passes")

    @field_validator("reference")
    @classmethod
    def _upper(cls, v: str) -> str:
        return v.strip().upper()
