"""``trade_cost_change``: trade costs change on named links of a gravity dataset.

The counterfactuals of ``geolever ge`` and of the published structural-gravity
applications (Yotov et al. 2016, ch. 2; ``examples/gravity/``) as one lever kind. It
compiles into a :class:`~geolever.shocks.GravityCostChange` (the trade-cost term ``T = t
** (1 - sigma)`` of every pair before and after), which the GE trade-cost engine solves
(:func:`geolever.effects.engines.ge_trade_cost.solve_cost_change`):

- :meth:`TradeCostChange.compile_baseline`: embargoes, trade-cost changes and trade
  agreements on the observed flows of a :class:`~geolever.world.gravity.GravityBaseline`
  (an agreement's effect is its PPML coefficient, estimated on the dataset);
- :meth:`TradeCostChange.compile_estimated`: regressors of an estimated gravity equation
  set to new values (``RTA=0@CAN-USA``, ``INTL_BRDR=0``), trade costs from the estimates.

Pairs are written ``A:B`` (one direction, exporter A to importer B) or ``A-B`` (both);
``@SECTOR`` limits a change to one sector of a multi-sector dataset.

In a scenario (:meth:`TradeCostChange.compile`) the stated changes, ``embargo`` and
``tariff``, act on the case's GE world trade matrix (``ge_world``: a pack's matrix, or the
pair and the target's largest partners from the store's DOTS totals): they compile into a
:class:`~geolever.shocks.TradeCostShock` with the iceberg change ``tau_hat``, which the
GE trade-cost engine evaluates as it does ``trade_restriction`` with ``model: ge`` (real
GDP of the target, the sender and every third region, over the trade-elasticity draws).
``pta`` and ``change`` need a gravity dataset's regressors (``geolever ge``).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from pydantic import Field, field_validator, model_validator

from geolever.core.errors import DataNotFoundError, InvalidDataError, UnknownCodeError
from geolever.levers.base import LeverKind, as_value_error
from geolever.levers.registry import register
from geolever.models.gravity.estimation import estimate_ppml
from geolever.models.gravity.replication import StepCallback, trade_costs
from geolever.models.gravity.spec import Baseline, Change, Estimation
from geolever.shocks import GravityCostChange, Shock, TradeCostShock
from geolever.world import Case
from geolever.world.gravity import GravityBaseline
from geolever.world.trade import case_world_matrix

#: Names a lever field in an error (``geolever ge`` names its options: ``--embargo``).
Spelling = Callable[[str], str]


def _plain(name: str) -> str:
    return name


def _near(name: str, choices: Sequence[str]) -> str:
    """Return ' (did you mean A, B?)' for the closest of ``choices``, or ''."""
    near = difflib.get_close_matches(name, list(choices), n=3)
    return f" (did you mean {', '.join(near)}?)" if near else ""


def sector_of(spec: str, option: str, sectors: list[str]) -> tuple[str, str | None]:
    """Split ``PAIR@SECTOR[=VALUE]`` into ``PAIR[=VALUE]`` and the sector (None: all).

    Raises
    ------
    UnknownCodeError
        If the sector is not one of ``sectors`` (case-insensitive), naming ``option``.
    """
    head, eq, value = spec.partition("=")
    pair, at, name = head.partition("@")
    if not at:
        return spec, None
    name = name.strip()
    if name not in sectors:
        folded = [s for s in sectors if s.lower() == name.lower()]
        if len(folded) != 1:
            raise UnknownCodeError(f"sector {name!r} in {spec!r} is not in the dataset",
                                   field=option,
                                   fix=f"use one of {', '.join(sectors)}{_near(name, sectors)}")
        name = folded[0]
    return pair + eq + value, name


def _pairs(spec: str, codes: list[str], option: str,
           world: str | None = None) -> list[tuple[int, int]]:
    """Matrix indices of ``A:B`` (one direction) or ``A-B`` (both).

    ``world`` names the matrix of a case (its regions are listed in an error), None: a
    gravity dataset.
    """
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
        if code not in codes and world is not None:
            raise UnknownCodeError(
                f"region {code!r} in {spec!r} is not a region of {world}", field=option,
                fix=f"use one of {', '.join(codes)}, or add it to ge_world.regions in the "
                "case pack's pack.yaml")
        if code not in codes:
            raise UnknownCodeError(f"country {code!r} is not in the dataset", field=option,
                                   fix=f"use one of the dataset's codes{_near(code, codes)}")
        idx.append(codes.index(code))
    a, b = idx
    if a == b:
        raise InvalidDataError(
            f"{spec!r} names the same country twice", field=option, fix="name two countries"
        )
    return [(a, b), (b, a)] if both else [(a, b)]


@register
class TradeCostChange(LeverKind):
    """Trade costs change on named links (general-equilibrium counterfactual).

    ``embargo``, ``tariff`` and ``pta`` act on a gravity dataset's observed flows; ``change``
    sets regressors of an estimated gravity equation (a replication spec's
    counterfactual). In a scenario, ``embargo`` and ``tariff`` act on the case's world
    trade matrix (``ge_world``).
    """

    kind: Literal["trade_cost_change"] = "trade_cost_change"
    embargo: list[str] = Field(default_factory=list, description="Embargoed links, "
                               "EXPORTER:IMPORTER or A-B (both ways), @SECTOR for one sector of a "
                               "multi-sector dataset")
    tariff: list[str] = Field(default_factory=list, description="Trade-cost changes, "
                              "A:B=0.1 (+10 %, iceberg factor 1.1), @SECTOR for one sector")
    pta: list[str] = Field(default_factory=list, description="New trade agreements, A-B: the "
                           "pta_var dummy becomes 1, its PPML coefficient gives the effect")
    pta_var: str = Field("pta", description="Agreement dummy column of the dataset")
    costs: list[str] | None = Field(None, description="Trade-cost terms of the PPML "
                                    "regression behind pta, e.g. ['log(DIST)', 'CNTG']")
    change: list[str] = Field(default_factory=list, description="Regressor changes of an "
                              "estimated gravity equation, VAR=VALUE[@A-B,C:D]",
                              # an entry holds commas: a form takes one entry per line
                              json_schema_extra={"x-one-per-line": True})

    @field_validator("change")
    @classmethod
    def _changes(cls, v: list[str]) -> list[str]:
        for k, text in enumerate(v):
            as_value_error(Change.parse, text, field=f"change[{k}]")
        return v

    @model_validator(mode="after")
    def _something(self) -> TradeCostChange:
        if not (self.embargo or self.tariff or self.pta or self.change):
            raise ValueError("no trade-cost change given: name an embargo, tariff, pta or "
                             "change")
        if self.change and (self.embargo or self.tariff):
            raise ValueError("change (an estimated equation's regressors) does not mix with "
                             "embargo or tariff (changes of the observed flows)")
        return self

    def describe(self) -> str:
        """One-line description."""
        parts = [f"{name} {', '.join(items)}" for name, items in (
            ("embargo", self.embargo), ("tariff", self.tariff), ("agreement", self.pta),
            ("change", self.change)) if items]
        return "trade-cost change: " + "; ".join(parts)

    def compile(self, case: Case, year: int | None = None) -> Shock:
        """Compile ``embargo`` and ``tariff`` against the case's GE world trade matrix.

        The matrix is the case's ``ge_world`` (:func:`geolever.world.trade.case_world_matrix`,
        flows in US$ a year); pairs name its regions (``ROW`` included). An embargo makes
        the link's iceberg trade cost infinite, a tariff ``r`` multiplies it by ``1 + r``
        (the same trade-cost change as ``trade_restriction`` with ``model: ge`` and
        ``measure: tariff``, ``tariff_pct = 100 r``, on all goods of the link). ``year`` is
        not used: the matrix has its own year.

        Raises
        ------
        DataNotFoundError
            The case has no world trade matrix, or the lever has ``pta`` / ``change`` (they
            need a gravity dataset's regressors): the lever is not assessable.
        InvalidDataError, UnknownCodeError
            A pair, value or ``@SECTOR`` that cannot be read, or a region that is not one of
            the matrix's (naming the field and the fix).
        """
        if self.pta or self.change:
            field = "pta" if self.pta else "change"
            raise DataNotFoundError(
                f"{field} needs a gravity dataset's regressors (an estimated PPML "
                f"coefficient); case {case.name} has a world trade matrix without them",
                field=field,
                fix="run it with geolever ge DATASET (or --spec FILE.yaml), or state the "
                "trade-cost change in tariff: [A:B=0.1]")
        matrix = case_world_matrix(case)
        if matrix is None:
            raise DataNotFoundError(
                f"case {case.name} has neither a gravity dataset nor a world trade matrix",
                field="kind",
                fix="import goods-trade totals (geolever data import dots "
                "../shared/data/imf-dots) or add ge_world (year, regions) to the pack's "
                "pack.yaml; or run geolever ge DATASET")
        codes = list(matrix.regions)
        world = f"the case's {matrix.year} world trade matrix (ge_world)"
        for opt, specs in (("embargo", self.embargo), ("tariff", self.tariff)):
            for spec in specs:
                if "@" in spec.partition("=")[0]:
                    raise InvalidDataError(
                        f"{spec!r} names a sector, but the case's world trade matrix has "
                        "one (all goods)", field=opt,
                        fix="drop @SECTOR, or use trade_restriction with the goods and "
                        "model: ge")
        tau = np.ones_like(matrix.flows)
        self._cell_changes(np.ones_like(tau), tau, codes, tariff=self.tariff, pta=(),
                           embargo=self.embargo, coef=None, current=None, spell=_plain,
                           world=world)
        links = [f"{codes[i]}->{codes[j]} "
                 + ("embargo" if np.isinf(tau[i, j]) else f"x{tau[i, j]:.4g}")
                 for i, j in zip(*np.nonzero(tau != 1.0), strict=True)]
        note = ("Stated iceberg trade-cost changes (the scenario's, not estimated; "
                "x1.2: delivered cost up 20%): " + (", ".join(links) or "none") + ".")
        return TradeCostShock(matrix, np.zeros_like(matrix.flows), None, (), tau_hat=tau,
                              notes=(note,))

    def changes(self) -> list[Change]:
        """Return ``change`` parsed (variable, value, pairs)."""
        return [Change.parse(text, field=f"change[{k}]") for k, text in enumerate(self.change)]

    def compile_estimated(
        self,
        data: pd.DataFrame,
        estimation: Estimation,
        baseline: Baseline,
        *,
        reference: str | None = None,
        on_step: StepCallback | None = None,
    ) -> GravityCostChange:
        """Compile ``change`` through an estimated gravity equation (a replication).

        PPML of ``estimation`` on the long table, the baseline year's trade-cost terms
        and those with the changed regressors
        (:func:`geolever.models.gravity.replication.trade_costs`).

        Parameters
        ----------
        data
            Long gravity table (:func:`geolever.world.gravity.read_gravity`), flows in
            USD, every ordered pair (domestic included) in the baseline year.
        estimation, baseline
            The gravity regression and the baseline year.
        reference
            Reference country of the solution, checked against the data's codes.
        on_step
            Called with ``"estimate PPML"`` and ``"trade costs"`` when they start.

        Raises
        ------
        InvalidDataError, UnknownCodeError
            Bad specification or data (the message names the field).
        """
        costs = trade_costs(data, estimation, baseline, self.changes(), reference=reference,
                            on_step=on_step)
        return GravityCostChange(
            tuple(costs.countries), None, costs.observed, costs.cost_baseline,
            costs.cost_counterfactual, year=costs.year, coefficients=costs.coefficients,
            filled=tuple(costs.filled), changed=costs.changed)

    def compile_baseline(
        self,
        base: GravityBaseline,
        *,
        spell: Spelling = _plain,
        note: Callable[[str], None] | None = None,
    ) -> GravityCostChange:
        """Compile ``embargo``, ``tariff`` and ``pta`` on a dataset's observed flows.

        An embargo makes the pair's iceberg trade cost infinite (the flow becomes exactly
        zero); a tariff ``r`` multiplies it by ``1 + r``; an agreement multiplies the
        trade-cost term by ``exp(b (1 - current))``, with ``b`` the PPML coefficient of
        the ``pta_var`` dummy (estimated per sector with sectors) and ``current`` its
        value for the pair.

        Parameters
        ----------
        base
            The baseline (:func:`geolever.world.gravity.gravity_baseline`).
        spell
            Names a lever field in errors (``geolever ge``: its option, ``--embargo``).
        note
            Called with lines worth showing (the estimated PPML coefficients).

        Raises
        ------
        InvalidDataError, UnknownCodeError
            A pair, sector or value that cannot be read, or an agreement that changes
            nothing or whose coefficient is <= 0 (naming the field and the fix).
        """
        if self.change:
            raise InvalidDataError("change needs an estimated gravity equation",
                                   field=spell("change"), fix="use compile_estimated")
        sectors = base.sectors
        names = sectors if sectors is not None else [None]
        parsed = {
            opt: [sector_of(spec, spell(opt), sectors) if sectors is not None else (spec, None)
                  for spec in specs]
            for opt, specs in (("embargo", self.embargo), ("tariff", self.tariff),
                               ("pta", self.pta))
        }
        coef: dict[str | None, float] = {}
        current = None
        if self.pta:
            sub = base.rows()
            wanted = {name for _, name in parsed["pta"]}
            coef = {sec: self._ppml_pta(sub if sec is None else sub[sub["sector"] == sec])
                    for sec in names if sec is None or None in wanted or sec in wanted}
            for sec, c in coef.items():
                if note is not None:
                    where = "" if sec is None else f" in sector {sec}"
                    note(f"PPML coefficient of {self.pta_var}{where}: {c:.4f}")
            current = base.values(self.pta_var)

        def of(opt: str, sec: str | None) -> list[str]:
            return [spec for spec, name in parsed[opt] if name in (None, sec)]

        ratio = np.ones_like(base.flows)
        tau = np.ones_like(base.flows)
        for k, sec in enumerate(names):
            ratio_k, tau_k = (ratio, tau) if sec is None else (ratio[k], tau[k])
            now_k = current if (current is None or sec is None) else current[k]
            self._cell_changes(
                ratio_k, tau_k, base.countries, tariff=of("tariff", sec), pta=of("pta", sec),
                embargo=of("embargo", sec), coef=coef.get(sec), current=now_k, spell=spell)
        changed = int(((ratio != 1.0) | (tau != 1.0)).sum())
        return GravityCostChange(
            tuple(base.countries), None if sectors is None else tuple(sectors), base.flows,
            np.ones_like(base.flows), ratio, year=base.year,
            coefficients=self._coefficient_table(coef), changed=changed, tau_hat=tau,
            io_shares=base.io_shares, va_share=base.va_share)

    def _coefficient_table(self, coef: dict[str | None, float]) -> pd.DataFrame | None:
        """Return the agreement coefficients as a table (stage, sector, term, coef)."""
        if not coef:
            return None
        return pd.DataFrame([("pta", sec, self.pta_var, c) for sec, c in coef.items()],
                            columns=["stage", "sector", "term", "coef"])

    def _ppml_pta(self, rows: pd.DataFrame) -> float:
        """PPML coefficient of the agreement dummy (exporter/importer(-year) effects)."""
        regs = list(self.costs) if self.costs else [self.pta_var]
        if self.pta_var not in regs:
            regs.append(self.pta_var)
        fes = "exporter^year + importer^year" if rows["year"].nunique() > 1 else \
            "exporter + importer"
        return float(estimate_ppml(rows, regs, fixed_effects=fes).coef[self.pta_var])

    def _cell_changes(
        self,
        ratio: NDArray[np.float64],
        tau: NDArray[np.float64],
        codes: list[str],
        *,
        tariff: Sequence[str],
        pta: Sequence[str],
        embargo: Sequence[str],
        coef: float | None,
        current: NDArray[np.float64] | None,
        spell: Spelling,
        world: str | None = None,
    ) -> None:
        """Multiply one sector's (N, N) changes in place.

        ``ratio`` is the change of the trade-cost term (agreements), ``tau`` that of the
        iceberg cost (tariffs; ``inf``: an embargo).
        """
        for spec in tariff:
            pair, _, value = spec.partition("=")
            try:
                rate = float(value)
            except ValueError as exc:
                raise InvalidDataError(
                    f"cannot read tariff {spec!r}", field=spell("tariff"),
                    fix="write A:B=0.1 (+10 %)"
                ) from exc
            if rate <= -1:
                raise InvalidDataError(
                    f"tariff change {rate} would make trade costs non-positive",
                    field=spell("tariff"),
                    fix="use a change > -1",
                )
            for i, j in _pairs(pair, codes, spell("tariff"), world):
                tau[i, j] *= 1.0 + rate
        for spec in pta:
            if coef is None:
                raise InvalidDataError(
                    f"{spell('pta')} needs an estimated coefficient", field=spell("pta"),
                    fix=f"pass {spell('pta_var')}")
            if not coef > 0:
                raise InvalidDataError(
                    f"the PPML coefficient of the agreement dummy is {coef:.4f} <= 0: the "
                    f"regression says agreements lower trade, so {spell('pta')} would apply "
                    "a trade cost increase",
                    field=spell("pta"),
                    fix=f"check {spell('costs')} (distance in levels? use log(DIST)), the "
                    "domestic flows (add a border dummy) and the years; or pass "
                    f"{spell('tariff')} with your own number",
                )
            pairs = _pairs(spec, codes, spell("pta"))
            now = [0.0 if current is None else float(current[i, j]) for i, j in pairs]
            if all(v == 1.0 for v in now):
                raise InvalidDataError(
                    f"{spec} already has the agreement (dummy = 1): {spell('pta')} changes "
                    "nothing",
                    field=spell("pta"),
                    fix=f"name a pair without an agreement, or remove it with "
                    f"{spell('change')} VAR=0@A-B",
                )
            for (i, j), v in zip(pairs, now, strict=True):
                ratio[i, j] *= np.exp(coef * (1.0 - v))
        for spec in embargo:
            for i, j in _pairs(spec, codes, spell("embargo"), world):
                tau[i, j] = np.inf
