"""Engine for :class:`~geolever.shocks.IOLinkCut`: input-output hypothetical extraction.

The exporter's loss is demand-driven (Leontief), the importer's supply-driven (Ghosh),
as shares of each region's value added in the table year scaled to the case year's GDP
(:func:`geolever.models.io.extract_link`, one factorisation per table and year).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field

from geolever.effects.registry import register
from geolever.effects.types import CountryEffect, EngineDetails, LeverEffects
from geolever.models.io import (
    ExtractionResult,
    PairChunk,
    PreparedTable,
    extract_link,
    iter_all_pairs_extraction,
    prepare_table,
)
from geolever.models.uncertainty import ParameterDraws
from geolever.shocks import IOLinkCut, IOPairLinkCuts
from geolever.world import Case
from geolever.world.io import IOTable

SECTION = """{% if lv.details.io_value_added_loss_backward %}Input-output {#
#}value-added losses ({{ lv.details.io_unit }}, {{ lv.details.io_table }}; {#
#}exporter side demand-driven): {% for k, v in
lv.details.io_value_added_loss_backward.items() %}{{ k }} {#
#}{{ "%.1f"|format(v) }}{% if not loop.last %}, {% endif %}{% endfor
%}.
{% endif %}"""


class IOExtractionDetails(EngineDetails):
    """Details of the ``io_extraction`` engine: the table and the value added lost.

    Only ``io_table`` is set when the table does not list both countries (the lever is
    then not assessable with it).
    """

    engine: Literal["io_extraction"] = "io_extraction"
    io_table: str = Field(..., description="Table name and year, e.g. 'wiod2013 2008'")
    io_unit: str | None = Field(default=None,
                                description="Unit of the table's values, e.g. 'USD million'")
    io_source: str | None = Field(default=None, description="Citation of the table")
    io_groups: list[str] = Field(default_factory=list, description="Sector groups cut")
    io_share_cut: float | None = Field(default=None,
                                       description="Share (0-1) of the link cut")
    io_link_value: float | None = Field(
        default=None, description="Intermediate and final flows extracted, in io_unit")
    io_value_added_loss_backward: dict[str, float] = Field(
        default_factory=dict, description="Demand-driven (Leontief) value-added loss by "
        "region, in io_unit: the target, the sender and the five largest third countries")
    io_value_added_loss_forward: dict[str, float] = Field(
        default_factory=dict, description="Supply-driven (Ghosh) value-added loss of the "
        "target and the sender, in io_unit")


_PREPARED: dict[tuple[str, int], PreparedTable] = {}


def _prepared(table: IOTable) -> PreparedTable:
    """Return the table's factorisation, computed once per table and year in a process."""
    key = (table.name, table.year)
    if key not in _PREPARED:
        _PREPARED[key] = prepare_table(table.Z, table.Y, table.x, len(table.sectors))
    return _PREPARED[key]


@register(IOLinkCut, name="io_extraction", section=SECTION, details=IOExtractionDetails)
def io_link_cut(shock: IOLinkCut, case: Case, draws: ParameterDraws,
                key: str) -> LeverEffects:
    """Effects of cutting supply links in an input-output table (hypothetical extraction)."""
    n = draws.n
    label = f"{shock.table_name} {shock.year}"
    if shock.table is None:
        return LeverEffects(
            target=CountryEffect.zero(case.target, n), sender=CountryEffect.zero(case.sender, n),
            others={}, feasible=True, assessable=False,
            feasibility=f"not assessable with {label}: {shock.unavailable}",
            value_at_risk_usd=0.0, substitution_1y=None, substitution_3y=None, facts=[],
            notes=[f"{shock.unavailable}. Use the partial-equilibrium model (model: pe) or a "
                   "table that lists both countries."],
            details=IOExtractionDetails(io_table=label),
        )
    table = shock.table
    mask = table.group_mask(list(shock.groups))
    va_region = np.zeros(len(table.regions))
    backward = np.zeros(len(table.regions))
    forward = np.zeros(len(table.regions))
    cut_value = 0.0
    for exporter, importer in shock.links:
        res = extract_link(table.Z, table.Y, table.x, table.region_index(exporter),
                           table.region_index(importer), mask, shock.share,
                           intermediate=shock.intermediate, final=shock.final,
                           prepared=_prepared(table))
        va_region = res.baseline_value_added.sum(axis=1)
        backward += res.value_added_loss.sum(axis=1)
        if res.forward_value_added_loss is not None:
            forward += res.forward_value_added_loss.sum(axis=1)
        cut_value += res.extracted_intermediate + res.extracted_final
    # Losses are shares of each region's value added in the table year, scaled to the case
    # year's GDP: the table gives the structure, the case the size.
    share_lost = {}
    for who in (case.target, case.sender):
        i = table.region_index(who)
        exporter_side = any(e == who for e, _ in shock.links)
        loss = backward[i] if exporter_side else forward[i]
        share_lost[who] = loss / va_region[i]
    effects = {}
    for who, share in share_lost.items():
        usd = np.full(n, share * case.gdp_usd(who).value)
        effects[who] = CountryEffect(who, usd, np.zeros(n), np.zeros(n), np.zeros(n))
    order = np.argsort(-backward)
    third = [table.regions[i] for i in order if table.regions[i] not in
             (case.target, case.sender)][:5]
    backward_by_region = {r: float(backward[table.regions.index(r)])
                          for r in (case.target, case.sender, *third)}
    details = IOExtractionDetails(
        io_table=label, io_unit=table.unit, io_source=table.source,
        io_groups=list(shock.groups), io_share_cut=shock.share, io_link_value=cut_value,
        io_value_added_loss_backward=backward_by_region,
        io_value_added_loss_forward={r: float(forward[table.regions.index(r)])
                                     for r in (case.target, case.sender)},
    )
    return LeverEffects(
        target=effects[case.target], sender=effects[case.sender], others={},
        feasible=cut_value > 0,
        feasibility=(f"feasible: the link carries {cut_value:,.0f} {table.unit} in {label}"
                     if cut_value > 0 else f"infeasible: no flow on the link in {label}"),
        value_at_risk_usd=cut_value * 1e6 if table.unit == "USD million" else 0.0,
        substitution_1y=None, substitution_3y=None, facts=[],
        budget_estimated=False,
        budget_note="the input-output table gives value added, not tax revenue",
        notes=[f"Input-output extraction on {label} ({table.source}); losses as shares of each "
               "region's value added in the table year, scaled to the case year's GDP. "
               "The exporter's loss is demand-driven (Leontief), the importer's supply-driven "
               "(Ghosh); the two models are never added. No substitution: an upper bound.",
               f"Largest third-country value-added losses ({table.unit}): "
               + ", ".join(f"{r} {backward_by_region[r]:,.1f}" for r in third) + "."],
        details=details,
    )


def extract_link_cut(shock: IOLinkCut, *,
            on_step: Callable[[str], None] | None = None) -> tuple[ExtractionResult, pd.DataFrame]:
    """Extract one link of a table (``geolever io extract``), in the table's units.

    The deterministic entry of the engine: the cut of ``shock.links[0]`` (exporter ->
    importer) over the whole table, not scaled to a case.

    Parameters
    ----------
    shock
        From :meth:`geolever.levers.kinds.trade_restriction.TradeRestriction.compile_table`.
    on_step
        Called with the name of each step as it starts (for a progress bar).

    Returns
    -------
    tuple
        The extraction (:class:`~geolever.models.io.ExtractionResult`) and its table:
        one row per (region, sector), losses in the table's currency unit per year
        (``output_loss``, ``forward_output_loss``, ``value_added_loss``, ...), and the
        sector's ``sector_group``.
    """
    table = shock.table
    assert table is not None, shock.unavailable
    exporter, importer = shock.links[0]
    s, t = table.region_index(exporter), table.region_index(importer)
    if on_step is not None:
        on_step("factorising (Leontief and Ghosh inverses)")
    prep = prepare_table(table.Z, table.Y, table.x, len(table.sectors))
    if on_step is not None:
        on_step(f"extracting {table.regions[s]} -> {table.regions[t]}")
    res = extract_link(table.Z, table.Y, table.x, s, t, table.group_mask(list(shock.groups)),
                       shock.share, intermediate=shock.intermediate, final=shock.final,
                       prepared=prep)
    frame = res.to_frame(table.regions, table.sectors)
    frame["sector_group"] = np.tile(np.asarray(table.sector_groups), len(table.regions))
    return res, frame


def extract_all_pairs(shock: IOPairLinkCuts, *, forward: bool = True,
                      on_prepared: Callable[[], None] | None = None) -> Iterator[PairChunk]:
    """Extract every ordered pair's link, per sector group (``geolever io matrix``).

    One factorisation of the table, then one batch of Woodbury updates per sender and
    group (:func:`geolever.models.io.iter_all_pairs_extraction`).

    Parameters
    ----------
    shock
        From :meth:`~geolever.levers.kinds.trade_restriction.TradeRestriction.compile_table_pairs`.
    forward
        Also compute forward (Ghosh) losses (doubles the factorisation cost).
    on_prepared
        Called once the table is factorised.

    Yields
    ------
    PairChunk
        One per (sender, group): losses in the table's currency unit per year.
    """
    table = shock.table
    prep = prepare_table(table.Z, table.Y, table.x, len(table.sectors), supply_model=forward)
    if on_prepared is not None:
        on_prepared()
    yield from iter_all_pairs_extraction(
        table.Z, table.Y, table.x, shock.groups, shock.share, intermediate=shock.intermediate,
        final=shock.final, supply_model=forward, prepared=prep)
