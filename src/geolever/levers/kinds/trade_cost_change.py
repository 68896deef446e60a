"""``trade_cost_change``: trade costs change on named links of a gravity dataset.

The counterfactuals of ``geolever ge`` and of the published structural-gravity
applications (Yotov et al. 2016, ch. 2; ``examples/gravity/``) as one lever kind. It
compiles into a shock that the GE trade-cost engine estimates (where an effect must be
estimated) and solves (:mod:`geolever.effects.engines.ge_trade_cost`); the kind itself runs
no model:

- :meth:`TradeCostChange.compile_baseline`: embargoes, trade-cost changes and trade
  agreements on the observed flows of a :class:`~geolever.world.gravity.GravityBaseline`,
  a :class:`~geolever.shocks.GravityCostChange` (an agreement's effect is its PPML
  coefficient, which the engine estimates on the dataset:
  :class:`~geolever.shocks.AgreementChange`);
- :meth:`TradeCostChange.compile_estimated`: regressors of a gravity equation set to new
  values (``RTA=0@CAN-USA``, ``INTL_BRDR=0``), a
  :class:`~geolever.shocks.GravityEstimatedChange` (the engine estimates the equation and
  the trade costs before and after).

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
from geolever.core.gravity_spec import Baseline, Change, Estimation
from geolever.levers.base import LeverKind, as_value_error
from geolever.levers.registry import register
from geolever.shocks import (
    AgreementChange,
    GravityCostChange,
    GravityEstimatedChange,
    Shock,
    TradeCostShock,
)
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


def split_number(spec: str, what: str, field: str, *, fix: str,
                 last: bool = False) -> tuple[str, str, float]:
    """Split ``KEY=NUMBER`` at its first ``=`` (its last with ``last``) and read the number.

    Returns
    -------
    tuple of (str, str, float)
        The key, the separator (``""`` where the text has no ``=``) and the number.

    Raises
    ------
    InvalidDataError
        If the number cannot be read, naming ``what`` and ``field`` and the fix.
    """
    key, eq, value = spec.rpartition("=") if last else spec.partition("=")
    try:
        return key, eq, float(value)
    except ValueError as exc:
        raise InvalidDataError(f"cannot read {what} {spec!r}", field=field, fix=fix) from exc


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
        self._cell_changes(tau, codes, tariff=self.tariff, embargo=self.embargo,
                           spell=_plain, world=world)
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
    ) -> GravityEstimatedChange:
        """Compile ``change`` for an estimated gravity equation (a replication).

        The shock carries the data, the regression and the changed regressors; the GE
        trade-cost engine estimates it by PPML and builds the trade-cost terms before and
        after (:func:`geolever.effects.engines.ge_trade_cost.solve_estimated_change`).

        Parameters
        ----------
        data
            Long gravity table (:func:`geolever.world.gravity.read_gravity`), flows in
            USD, every ordered pair (domestic included) in the baseline year.
        estimation, baseline
            The gravity regression and the baseline year.
        reference
            Reference country of the solution, checked against the data's codes by the
            engine.

        Raises
        ------
        InvalidDataError
            The lever has no ``change`` (naming the field).
        """
        if not self.change:
            raise InvalidDataError("no counterfactual change", field="change",
                                   fix="add a change such as INTL_BRDR=0 or RTA=0@CAN-USA")
        return GravityEstimatedChange(data, estimation, baseline, tuple(self.changes()),
                                      reference=reference)

    def compile_baseline(
        self,
        base: GravityBaseline,
        *,
        spell: Spelling = _plain,
    ) -> GravityCostChange:
        """Compile ``embargo``, ``tariff`` and ``pta`` on a dataset's observed flows.

        An embargo makes the pair's iceberg trade cost infinite (the flow becomes exactly
        zero); a tariff ``r`` multiplies it by ``1 + r``; an agreement is a
        :class:`~geolever.shocks.AgreementChange`: the GE trade-cost engine multiplies the
        trade-cost term by ``exp(b (1 - current))``, with ``b`` the PPML coefficient of the
        ``pta_var`` dummy that it estimates (per sector with sectors) and ``current`` the
        dummy's value for the pair.

        Parameters
        ----------
        base
            The baseline (:func:`geolever.world.gravity.gravity_baseline`).
        spell
            Names a lever field in errors (``geolever ge``: its option, ``--embargo``).

        Raises
        ------
        InvalidDataError, UnknownCodeError
            A pair, sector or value that cannot be read, or an agreement that changes
            nothing (naming the field and the fix).
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
        current = base.values(self.pta_var) if self.pta else None

        def of(opt: str, sec: str | None) -> list[str]:
            return [spec for spec, name in parsed[opt] if name in (None, sec)]

        tau = np.ones_like(base.flows)
        links: list[tuple[int, int, int, float]] = []
        for k, sec in enumerate(names):
            tau_k = tau if sec is None else tau[k]
            now_k = current if (current is None or sec is None) else current[k]
            self._cell_changes(tau_k, base.countries, tariff=of("tariff", sec), embargo=(),
                               spell=spell)
            links += [(k, i, j, gain) for i, j, gain in self._agreement_links(
                of("pta", sec), base.countries, now_k, spell)]
            self._cell_changes(tau_k, base.countries, tariff=(), embargo=of("embargo", sec),
                               spell=spell)
        agreements = None
        changed_cells = tau != 1.0
        if links:
            wanted = {name for _, name in parsed["pta"]}
            cells = np.array([link[:3] for link in links], dtype=np.intp)
            gain = np.array([link[3] for link in links], dtype=np.float64)
            regs = list(self.costs) if self.costs else [self.pta_var]
            if self.pta_var not in regs:
                regs.append(self.pta_var)
            rows = base.rows()
            agreements = AgreementChange(
                self.pta_var, tuple(regs),
                "exporter^year + importer^year" if rows["year"].nunique() > 1 else
                "exporter + importer", rows,
                tuple(sec for sec in names if sec is None or None in wanted or sec in wanted),
                cells, gain, {f: spell(f) for f in ("pta", "costs", "tariff")})
            moved = cells[gain != 0.0]
            hit = np.zeros_like(changed_cells)
            hit[tuple(moved.T[1:] if sectors is None else moved.T)] = True
            changed_cells |= hit
        return GravityCostChange(
            tuple(base.countries), None if sectors is None else tuple(sectors), base.flows,
            np.ones_like(base.flows), np.ones_like(base.flows), year=base.year,
            changed=int(changed_cells.sum()), tau_hat=tau, agreements=agreements,
            io_shares=base.io_shares, va_share=base.va_share)

    @staticmethod
    def _agreement_links(
        pta: Sequence[str],
        codes: list[str],
        current: NDArray[np.float64] | None,
        spell: Spelling,
    ) -> list[tuple[int, int, float]]:
        """Return (exporter, importer, 1 - current dummy) of each link an agreement changes.

        Raises
        ------
        InvalidDataError
            A pair that already has the agreement on every link it names.
        """
        out: list[tuple[int, int, float]] = []
        for spec in pta:
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
            out += [(i, j, 1.0 - v) for (i, j), v in zip(pairs, now, strict=True)]
        return out

    def _cell_changes(
        self,
        tau: NDArray[np.float64],
        codes: list[str],
        *,
        tariff: Sequence[str],
        embargo: Sequence[str],
        spell: Spelling,
        world: str | None = None,
    ) -> None:
        """Multiply one sector's (N, N) iceberg-cost changes ``tau`` in place.

        A tariff ``r`` multiplies the link's cost by ``1 + r``; an embargo makes it
        ``inf``.
        """
        for spec in tariff:
            pair, _, rate = split_number(spec, "tariff", spell("tariff"),
                                         fix="write A:B=0.1 (+10 %)")
            if rate <= -1:
                raise InvalidDataError(
                    f"tariff change {rate} would make trade costs non-positive",
                    field=spell("tariff"),
                    fix="use a change > -1",
                )
            for i, j in _pairs(pair, codes, spell("tariff"), world):
                tau[i, j] *= 1.0 + rate
        for spec in embargo:
            for i, j in _pairs(spec, codes, spell("embargo"), world):
                tau[i, j] = np.inf
