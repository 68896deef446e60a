"""``trade_restriction``: the sender restricts trade with the target in some goods.

The model is one typed choice on the lever, taken once (``model: {name: io, table:
wiod2013, year: 2011}``; the short forms ``model: ge`` and the flat ``io_table`` /
``io_year`` fields of geolever 0.1 are still read):

- ``pe`` (default): partial equilibrium on the case's product-level bilateral flows and
  both sides' partner shares; compiles into a :class:`~geolever.shocks.FlowCut`.
- ``ge``: structural gravity in general equilibrium on the case's world trade matrix
  (``ge_world`` in pack.yaml); compiles into a :class:`~geolever.shocks.TradeCostShock`.
- ``io``: hypothetical extraction on a world input-output table; compiles into an
  :class:`~geolever.shocks.IOLinkCut` (a country the table does not list separately
  makes the lever not assessable, never silently substituted).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from geolever.core.errors import DataNotFoundError, InvalidDataError, UnknownCodeError
from geolever.core.goods import product_info
from geolever.levers.base import LeverKind, as_value_error
from geolever.levers.goods import resolve_goods
from geolever.levers.registry import register
from geolever.shocks import (
    FlowCut,
    IOLinkCut,
    IOPairLinkCuts,
    PairTradeCostShocks,
    Shock,
    TradeCostShock,
    goods_flows,
    trade_links,
)
from geolever.world import Case
from geolever.world.io import IOTable, io_table, io_table_year
from geolever.world.matrix import MatrixBaseline
from geolever.world.trade import case_world_matrix


class PartialEquilibrium(BaseModel):
    """Partial equilibrium on the case's bilateral flows and partner shares."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: Literal["pe"] = "pe"


class GeneralEquilibrium(BaseModel):
    """Structural gravity in general equilibrium on the case's world trade matrix."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: Literal["ge"] = "ge"


class InputOutput(BaseModel):
    """Input-output extraction on a world input-output table."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: Literal["io"] = "io"
    table: str = Field("wiod2013", description="Input-output table (see geolever io)")
    year: int | None = Field(None, description="Table year; default: the latest year of "
                             "the table not after the case year")
    sectors: list[str] | None = Field(
        None, min_length=1, description="Sectors of the table cut: product groups, sector "
        "codes or 'all' (default: the product groups of the lever's goods)")
    share: float | None = Field(None, ge=0.0, le=1.0, description="Share of each link cut, "
                                "0-1 (default: 1 for an embargo, the trade lost for a tariff)")
    intermediate: bool = Field(True, description="Cut the importer's industries' purchases")
    final: bool = Field(True, description="Cut the importer's final purchases")


TradeModel = Annotated[PartialEquilibrium | GeneralEquilibrium | InputOutput,
                       Field(discriminator="name")]


@register
class TradeRestriction(LeverKind):
    """The sender restricts trade with the target in some goods.

    ``direction`` is seen from the sender: ``imports`` stops what the sender buys from the
    target (hits the target's exports), ``exports`` stops what the sender sells to it (hits
    the target's supply), ``both`` does both.
    """

    kind: Literal["trade_restriction"] = "trade_restriction"
    goods: list[str] = Field(..., min_length=1, description="Named products or groups "
                             "(reference/products.csv) or HS codes of 2, 4 or 6 digits")
    direction: Literal["imports", "exports", "both"] = "both"
    measure: Literal["embargo", "tariff"] = "embargo"
    tariff_pct: float | None = Field(None, gt=0, le=1000, description="Ad-valorem tariff, %")
    model: TradeModel = Field(
        default_factory=PartialEquilibrium,
        description="pe: partial equilibrium on the case's bilateral flows; ge: structural "
        "gravity in general equilibrium on the case's world trade matrix (pack.yaml "
        "ge_world); io: input-output extraction on a world input-output table "
        "({name: io, table: wiod2013, year: 2011})")

    @model_validator(mode="before")
    @classmethod
    def _model_spelling(cls, data: Any) -> Any:
        """Read ``model: io`` and the flat ``io_table`` / ``io_year`` of geolever 0.1."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        model = data.get("model", "pe")
        if isinstance(model, str):
            model = {"name": model}
        flat = {k: data.pop(f"io_{k}") for k in ("table", "year") if f"io_{k}" in data}
        if flat and isinstance(model, dict):
            if model.get("name") != "io":
                raise ValueError("io_table and io_year only apply to model: io")
            model = {**model, **flat}
        data["model"] = model
        return data

    @field_validator("goods")
    @classmethod
    def _goods(cls, v: list[str]) -> list[str]:
        return as_value_error(resolve_goods, v)

    @model_validator(mode="after")
    def _tariff(self) -> TradeRestriction:
        if self.measure == "tariff" and self.tariff_pct is None:
            raise ValueError("a tariff needs tariff_pct (e.g. 25 for 25%)")
        if self.measure == "embargo" and self.tariff_pct is not None:
            raise ValueError("an embargo takes no tariff_pct; use measure: tariff")
        return self

    def describe(self) -> str:
        """One-line description."""
        what = "embargo" if self.measure == "embargo" else f"{self.tariff_pct:g}% tariff"
        return f"{what} on {self.direction} of {', '.join(self.goods)}"

    def compile(self, case: Case, year: int | None = None) -> Shock:
        """Return the shock of the chosen model (see the module docstring)."""
        if isinstance(self.model, InputOutput):
            return self._io_link_cut(case, self.model)
        if isinstance(self.model, GeneralEquilibrium):
            return self._trade_cost_shock(case)
        return FlowCut(tuple(goods_flows(case, self.goods, self.direction, self.tariff_pct,
                                         year)))

    def _io_link_cut(self, case: Case, model: InputOutput) -> IOLinkCut:
        links = tuple(trade_links(case, self.direction))
        year = io_table_year(model.table, case.year, model.year)
        share = model.share
        if share is None:
            share = 1.0
            if self.measure == "tariff" and self.tariff_pct is not None:
                elasticity = case.parameter("trade_elasticity").central
                share = float(1 - (1 + self.tariff_pct / 100) ** -elasticity)
        table = io_table(model.table, year)
        try:
            for country in (case.sender, case.target):
                table.region_index(country)
        except DataNotFoundError as err:
            return IOLinkCut(None, model.table, year, links, self._io_groups(model), share,
                             err.message, model.intermediate, model.final)
        return IOLinkCut(table, model.table, year, links, self._io_groups(model), share, None,
                         model.intermediate, model.final)

    def _io_groups(self, model: InputOutput) -> tuple[str, ...]:
        """Return the table's sectors cut: ``model.sectors``, else the goods' groups."""
        if model.sectors is not None:
            return tuple(model.sectors)
        return tuple(sorted({"all" if g == "TOTAL" else (product_info(g) or {})["group"]
                             for g in self.goods}))

    def _io_model(self) -> InputOutput:
        """Return the lever's input-output model and its share of each link cut.

        Raises
        ------
        InvalidDataError
            A model other than ``io``, or a tariff without ``model.share`` (without a
            case there is no trade elasticity to turn it into a share).
        """
        if not isinstance(self.model, InputOutput):
            raise InvalidDataError(
                f"an input-output table is cut with model io, not {self.model.name!r}",
                field="model", fix="use model: {name: io, table: ..., year: ...}")
        if self.model.share is None and self.measure == "tariff":
            raise InvalidDataError(
                "a tariff on an input-output table needs the share of the link it cuts",
                field="model.share", fix="give model.share (0-1)")
        return self.model

    def compile_table(self, table: IOTable, sender: str, target: str) -> IOLinkCut:
        """Compile the lever against a world input-output table (``geolever io extract``).

        The sender's links to the target (``direction``: ``exports`` cuts the sender's
        supply to the target, ``imports`` the target's supply to the sender) in
        ``model.sectors`` (or the goods' product groups), each by ``model.share``.

        Parameters
        ----------
        table
            The table (:func:`geolever.world.io.io_table`).
        sender, target
            ISO3 codes (or the table's own aggregates, e.g. ``ROW``).

        Raises
        ------
        DataNotFoundError
            The table has no separate region for a country (naming the aggregate).
        UnknownCodeError
            Not a country code, or a sector or group the table does not have.
        """
        model = self._io_model()
        s = table.regions[table.region_index(sender, field="sender")]
        t = table.regions[table.region_index(target, field="target")]
        groups = self._io_groups(model)
        table.group_mask(list(groups))  # an unknown sector is an error here, before any work
        links = {"exports": ((s, t),), "imports": ((t, s),),
                 "both": ((s, t), (t, s))}[self.direction]
        share = 1.0 if model.share is None else model.share
        return IOLinkCut(table, table.name, table.year, links, groups, share, None,
                         model.intermediate, model.final)

    def compile_table_pairs(self, table: IOTable) -> IOPairLinkCuts:
        """Compile the lever for every ordered pair of an input-output table (``io matrix``).

        Each sender cuts its supply to every other region (``direction: exports``), one
        scenario per entry of ``model.sectors`` (a product group, a sector code or
        ``all``), each link by ``model.share``.

        Raises
        ------
        InvalidDataError
            A direction other than ``exports``, or no ``model.sectors``.
        UnknownCodeError
            A sector or group the table does not have.
        """
        model = self._io_model()
        if self.direction != "exports":
            raise InvalidDataError(
                "the all-pairs extraction cuts each sender's supply to every target",
                field="direction", fix="use direction: exports")
        groups = model.sectors or list(self._io_groups(model))
        share = 1.0 if model.share is None else model.share
        return IOPairLinkCuts(table, {g: table.group_mask(g) for g in groups}, share,
                              model.intermediate, model.final)

    def _trade_cost_shock(self, case: Case) -> TradeCostShock:
        matrix = case_world_matrix(case)
        if matrix is None:
            raise DataNotFoundError(
                f"case pack {case.name} defines no world trade matrix for the GE model",
                field="model", fix="add ge_world (year, regions) to pack.yaml, or use model: pe")
        restricted = np.zeros_like(matrix.flows)
        shares = []
        for flow in goods_flows(case, self.goods, self.direction, self.tariff_pct, None):
            if flow.product == "TOTAL":
                share = 1.0
            else:
                total = case.bilateral(flow.origin, flow.destination, "TOTAL",
                                       year=flow.value.year)
                share = flow.value.value / total.value
                shares.append(replace(total, value=min(1.0, share), unit="share",
                                      label=f"share of {flow.product} in {flow.origin}->"
                                      f"{flow.destination} goods trade", quality="derived",
                                      note=f"{flow.value.value / 1e6:,.1f}m / "
                                      f"{total.value / 1e6:,.1f}m US$", alternatives=()))
            i, j = matrix.index(flow.origin), matrix.index(flow.destination)
            restricted[i, j] = min(1.0, restricted[i, j] + share)
        return TradeCostShock(matrix, restricted, self.tariff_pct, tuple(shares))

    def compile_pairs(self, world: MatrixBaseline, senders: Sequence[str] | None = None,
                      targets: Sequence[str] | None = None) -> PairTradeCostShocks:
        """Compile the lever for every ordered pair of a world matrix (the all-pairs matrix).

        Each ordered pair (S, T), S != T, pulls this lever with S as the sender: the links
        it cuts are S -> T (``exports``), T -> S (``imports``) or both, each restricted by
        the share of the goods in the pair's flow (the matrix's ``restricted`` flows; all
        goods: 1).

        Parameters
        ----------
        world
            The matrix baseline (:func:`geolever.world.matrix.baseline_from_store`); its
            ``goods`` must be the lever's.
        senders, targets
            ISO3 codes (default every country of the baseline, not the rest of the world).

        Raises
        ------
        InvalidDataError
            A model other than ``ge``, or goods other than the baseline's.
        UnknownCodeError
            A sender or target not in the baseline.
        """
        if not isinstance(self.model, GeneralEquilibrium):
            raise InvalidDataError(
                f"the all-pairs matrix solves every pair in general equilibrium, not with "
                f"model {self.model.name!r}", field="model", fix="use model: ge")
        if tuple(self.goods) != tuple(world.goods):
            raise InvalidDataError(
                f"the lever restricts {', '.join(self.goods)} but the matrix baseline holds "
                f"the flows of {', '.join(world.goods)}", field="goods",
                fix="build the baseline with the lever's goods (baseline_from_store(goods=...))")
        index = {c: k for k, c in enumerate(world.countries)}
        real = [c for c in world.countries if c != world.rest]

        def pick(codes: Sequence[str] | None, what: str) -> list[int]:
            chosen = [c.strip().upper() for c in codes] if codes else real
            bad = [c for c in chosen if c not in index or c == world.rest]
            if bad:
                raise UnknownCodeError(f"{', '.join(bad)} not in the matrix", field=what,
                                       fix=f"use codes of the baseline: {', '.join(real[:20])}")
            return [index[c] for c in chosen]

        s_idx, t_idx = pick(senders, "senders"), pick(targets, "targets")
        s, t = np.meshgrid(s_idx, t_idx, indexing="ij")
        keep = s != t
        cells = np.stack([s[keep], t[keep]], axis=1).astype(np.intp)
        total = world.flows.copy()
        np.fill_diagonal(total, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(total > 0, world.restricted / total, 0.0)
        links = {"exports": [cells[:, [0, 1]]], "imports": [cells[:, [1, 0]]],
                 "both": [cells[:, [0, 1]], cells[:, [1, 0]]]}[self.direction]
        entries = np.stack(links, axis=1)
        restricted = share[entries[..., 0], entries[..., 1]]
        restricted_usd = world.restricted[entries[..., 0], entries[..., 1]].sum(axis=1)
        return PairTradeCostShocks(tuple(world.countries), world.flows, cells, entries,
                                   restricted, self.tariff_pct, restricted_usd)

