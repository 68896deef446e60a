"""Engine for :class:`~geolever.shocks.TradeCostShock`: structural gravity in GE.

Exact hat algebra (:func:`geolever.models.gravity.solve_ge`) on the case's world trade
matrix, solved at a few points of the trade-elasticity distribution and interpolated
for the draws in between. The trade-cost change is a restriction's (``trade_restriction``
with ``model: ge``: shares of links stopped or taxed) times a stated iceberg change
(``trade_cost_change``: ``tau_hat``).

Deterministic entries without draws: :func:`solve_pair_shocks_batch` (the all-pairs
matrix) and :func:`solve_cost_change` (``geolever ge``: a gravity dataset's trade-cost
change, whose size the engine estimates by PPML where the shock carries a regression).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from geolever.core.errors import InvalidDataError
from geolever.core.gravity_spec import Baseline, Solution
from geolever.effects.registry import register
from geolever.effects.types import Array, CountryEffect, EngineDetails, LeverEffects
from geolever.models.gravity import (
    Closure,
    GEResult,
    MultiGEResult,
    cost_factor,
    solve_ge,
    solve_ge_multisector,
    solve_pair_shocks,
)
from geolever.models.gravity.estimation import estimate_ppml
from geolever.models.gravity.replication import (
    STEPS,
    Replication,
    StepCallback,
    solve_costs,
    trade_costs,
)
from geolever.models.gravity.yotov import Progress
from geolever.models.uncertainty import ParameterDraws
from geolever.shocks import (
    GravityCostChange,
    GravityEstimatedChange,
    PairTradeCostShocks,
    TradeCostShock,
)
from geolever.world import Case
from geolever.world.trade import domestic_from_gdp

SECTION = """{% if lv.details.ge_real_gdp_pct_median %}General-equilibrium {#
#}real GDP change by region (median elasticity, sigma = {{ "%.1f"|format(lv.details.ge_sigma_median)
}}): {{ pct_map(lv.details.ge_real_gdp_pct_median) }}. Exports: {#
#}{{ pct_map(lv.details.ge_exports_pct_median) }}. Market-clearing {#
#}residual {{ "%.1e"|format(lv.details.ge_residual) }}.

Trade matrix {{ lv.details.ge_matrix_year }}, US$bn (rows export {#
#}to columns; * = filled biproportionally where no bilateral figure {#
#}was found; every cell's provenance is in result.json):

{{ matrix_table(lv.details.ge_matrix) }}
{% endif %}"""


class MatrixCell(BaseModel):
    """One cell of the GE engine's world trade matrix."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    exporter: str = Field(..., description="ISO3 code or region (ROW, EU27)")
    importer: str
    value_usd: float = Field(..., description="Flow, US$ a year")
    provenance: str = Field(..., description="Where the figure comes from ('filled ...' for "
                            "a biproportional fill-in)")


class GETradeCostDetails(EngineDetails):
    """Details of the ``ge_trade_cost`` engine: GE changes at the median elasticity."""

    engine: Literal["ge_trade_cost"] = "ge_trade_cost"
    ge_matrix_year: int = Field(..., description="Year of the world trade matrix")
    ge_real_gdp_pct_median: dict[str, float] = Field(
        ..., description="Real GDP change by region, % (median elasticity)")
    ge_exports_pct_median: dict[str, float] = Field(
        ..., description="Exports change by region, % (median elasticity)")
    ge_sigma_median: float = Field(..., description="Elasticity of substitution at the median")
    ge_residual: float = Field(..., description="Largest market-clearing residual of the "
                               "solves")
    ge_matrix: list[MatrixCell] = Field(..., description="The baseline trade matrix")


#: The reason given for a pair shock that restricts no baseline flow (zero effects).
NO_FLOW = "no baseline flow: no effect"

#: Points of the trade-elasticity distribution at which the GE model is solved; draws in
#: between are interpolated (real GDP changes are smooth in the elasticity).
GE_SIGMA_POINTS = 9


@register(TradeCostShock, name="ge_trade_cost", section=SECTION, details=GETradeCostDetails)
def trade_cost(shock: TradeCostShock, case: Case, draws: ParameterDraws,
               key: str) -> LeverEffects:
    """Effects of higher trade costs in structural gravity, general equilibrium."""
    tm, n = shock.matrix, draws.n
    offdiag_exports = tm.flows.sum(axis=1) - np.diag(tm.flows)
    domestic, floored = domestic_from_gdp(offdiag_exports, tm.gdp)
    flows = tm.flows + np.diag(domestic)
    elasticity = draws["trade_elasticity"]
    grid = np.unique(np.quantile(elasticity, np.linspace(0, 1, GE_SIGMA_POINTS)))
    gdp_pct = np.empty((len(grid), len(tm.regions)))
    exp_pct = np.empty_like(gdp_pct)
    imp_pct = np.empty_like(gdp_pct)
    residual = 0.0
    for g, eps in enumerate(grid):
        sigma = 1.0 + float(eps)
        tau = np.where(shock.restricted > 0,
                       cost_factor(shock.restricted, sigma, shock.tariff_pct), 1.0)
        if shock.tau_hat is not None:  # a stated iceberg change (trade_cost_change)
            tau = tau * shock.tau_hat
        res = solve_ge(flows, tau, sigma, reference=tm.regions[-1], countries=tm.regions)
        gdp_pct[g], exp_pct[g], imp_pct[g] = res.real_gdp_pct, res.exports_pct, res.imports_pct
        residual = max(residual, float(np.max(res.residual)))

    def per_draw(values: Array) -> Array:
        return np.interp(elasticity, grid, values) if len(grid) > 1 else np.full(n, values[0])

    effects: dict[str, CountryEffect] = {}
    for r, region in enumerate(tm.regions):
        if region == "ROW":
            continue
        loss_pct = -per_draw(gdp_pct[:, r])
        gdp_case = case.gdp_usd(region).value if region in (case.target, case.sender) \
            else tm.gdp[r]
        income = loss_pct / 100 * gdp_case
        fx = -per_draw(exp_pct[:, r]) / 100 * offdiag_exports[r]
        effects[region] = CountryEffect(region, income, fx, np.zeros(n), np.zeros(n))
    t = tm.index(case.target)
    # the links whose trade cost changes, with the share of their flow concerned
    changed = shock.restricted if shock.tau_hat is None else \
        np.maximum(shock.restricted, (shock.tau_hat != 1.0).astype(np.float64))
    cut_exports = float((changed[t] * tm.flows[t]).sum())
    cut_imports = float((changed[:, t] * tm.flows[:, t]).sum())
    others = np.ones_like(changed, dtype=bool)
    others[t, :] = others[:, t] = False
    cut_elsewhere = float((changed * tm.flows)[others].sum())  # links without the target
    substitution: Array | None = None
    if cut_exports > 0:
        lost = -per_draw(exp_pct[:, t]) / 100 * offdiag_exports[t]
        substitution = np.clip(1 - lost / cut_exports, 0.0, 1.0)
    elif cut_imports > 0 or shock.tau_hat is None:
        lost = -per_draw(imp_pct[:, t]) / 100 * (tm.flows[:, t].sum() - tm.flows[t, t])
        substitution = np.clip(1 - lost / max(cut_imports, 1e-9), 0.0, 1.0)
    at_risk = cut_exports + cut_imports + cut_elsewhere
    what = "restricted flows were" if shock.tau_hat is None else \
        "flows on the links whose trade cost changes were"
    mid = len(grid) // 2
    target = effects.pop(case.target)
    sender = effects.pop(case.sender)
    return LeverEffects(
        target=target, sender=sender, others=effects,
        feasible=at_risk > 0,
        feasibility=(f"feasible: the {what} US$"
                     f"{at_risk / 1e6:,.0f}m in the {tm.year} world "
                     "trade matrix"),
        value_at_risk_usd=at_risk,
        substitution_1y=None, substitution_3y=substitution,
        facts=[*shock.shares, *tm.sources],
        budget_estimated=False,
        budget_note="the gravity model gives real income, not tax revenue (no sourced fiscal "
        "channel; the loss times revenue/GDP would only repeat its share of GDP)",
        notes=[
            "Structural gravity in general equilibrium (exact hat algebra; Yotov et al. 2016 "
            f"ch. 2) on the {tm.year} trade matrix of {', '.join(tm.regions)}; output = GDP, "
            "domestic sales = GDP minus exports"
            + (f" (floored for {', '.join(np.array(tm.regions)[floored])})"
               if floored.any() else "") + ". Real GDP changes are long-run (the routing "
            "around is the 3-year figure) and scaled to the case year's GDP; sigma = 1 + the "
            f"trade elasticity, solved at {len(grid)} points of its distribution and "
            f"interpolated; market-clearing residual {residual:.1e}.",
            "Cells without a bilateral figure are filled biproportionally (see the matrix "
            "table)" + ("; a product group restricts its share of the pair's 'TOTAL' trade."
                        if shock.tau_hat is None else "."),
            *shock.notes,
        ],
        details=GETradeCostDetails(
            ge_matrix_year=tm.year,
            ge_real_gdp_pct_median={reg: float(gdp_pct[mid, r])
                                    for r, reg in enumerate(tm.regions)},
            ge_exports_pct_median={reg: float(exp_pct[mid, r])
                                   for r, reg in enumerate(tm.regions)},
            ge_sigma_median=1.0 + float(grid[mid]),
            ge_residual=residual,
            ge_matrix=[MatrixCell.model_validate(c) for c in tm.table()],
        ),
    )


def solve_pair_shocks_batch(
    shocks: PairTradeCostShocks,
    sigma: float,
    closure: Closure = "fixed_share",
    progress: Callable[[int], None] | None = None,
) -> tuple[Array, Array, list[str]]:
    """Solve a batch of pair shocks (the all-pairs matrix) in one batched GE solve.

    The same model as :func:`trade_cost` (exact hat algebra, trade costs raised on the
    restricted links by :func:`~geolever.models.gravity.cost_factor`), one deterministic
    solve per scenario at the given ``sigma``, all scenarios sharing the baseline
    (:func:`~geolever.models.gravity.solve_pair_shocks`).

    Parameters
    ----------
    shocks
        The scenarios (one ordered sender-target pair each).
    sigma
        Elasticity of substitution (> 1).
    closure
        ``fixed_share`` or ``proportional`` (see :func:`~geolever.models.gravity.solve_ge`).
    progress
        Called with the number of scenarios finished.

    Returns
    -------
    real_gdp_pct : numpy.ndarray
        (B, 2) real GDP change, %, of each scenario's sender and target (NaN where the
        counterfactual has no equilibrium).
    flow_cut_usd : numpy.ndarray
        (B,) flow cut before adjustment, US$ per year: all of the restricted flow for an
        embargo, ``1 - (1 + tariff) ** (1 - sigma)`` of it for a tariff.
    reasons : list of str
        Why a scenario has no result; :data:`NO_FLOW` for one that restricts no baseline
        flow (its equilibrium is the baseline: exactly zero effects, not iterated); ''
        for the others.
    """
    b = shocks.size
    tau = cost_factor(shocks.restricted, sigma, shocks.tariff_pct)
    res = solve_pair_shocks(shocks.flows, shocks.entries, tau, sigma, closure=closure,
                            countries=shocks.countries, chunk=max(b, 1), on_failure="nan",
                            progress=progress)
    real = np.asarray(res.real_gdp_pct).reshape(b, -1)
    rows = np.arange(b)
    out = np.stack([real[rows, shocks.cells[:, 0]], real[rows, shocks.cells[:, 1]]], axis=1)
    tariff = shocks.tariff_pct
    cut_share = 1.0 if tariff is None else 1.0 - (1.0 + tariff / 100.0) ** (1.0 - sigma)
    reasons = list(res.failure_reasons or [""] * b)
    for k in np.flatnonzero((shocks.restricted_usd == 0) & np.isfinite(out).all(axis=1)):
        reasons[k] = NO_FLOW
    return out, shocks.restricted_usd * cut_share, reasons



@dataclass(frozen=True)
class CostChangeSolution:
    """A gravity dataset's embargoes, tariffs and agreements, solved.

    The result of :func:`solve_cost_change` (``geolever ge DATASET``); a replication
    spec's is a :class:`~geolever.models.gravity.replication.Replication`
    (:func:`solve_estimated_change`).

    Attributes
    ----------
    result
        Percent changes per country (and per sector with sectors), with ``to_frame()``.
    countries
        Country codes in array order.
    sectors
        Sector codes in array order (None: one sector).
    year
        Baseline year (None: the dataset's only year).
    observed
        Observed baseline flows with domestic sales, the dataset's currency unit (USD):
        (N, N), or (S, N, N) with sectors.
    cost_baseline, cost_counterfactual
        Trade-cost terms ``T`` and ``T'`` the solve used, dimensionless, the flows' shape
        (``T = 1`` where only the change is known).
    coefficients
        The agreements' estimated coefficients: stage (``pta``), sector, term, coef.
        None: nothing estimated.
    changed
        Number of ordered pairs (cells with sectors) whose trade cost changes.
    """

    result: GEResult | MultiGEResult
    countries: tuple[str, ...]
    sectors: tuple[str, ...] | None
    year: int | None
    observed: Array
    cost_baseline: Array
    cost_counterfactual: Array
    coefficients: pd.DataFrame | None = None
    changed: int = 0


def agreement_costs(
    shock: GravityCostChange, note: Callable[[str], None] | None = None
) -> tuple[Array, pd.DataFrame | None]:
    """Estimate the effect of a shock's new trade agreements on the trade-cost term.

    PPML of the agreement dummy (:func:`~geolever.models.gravity.estimation.estimate_ppml`,
    one regression per sector with sectors) on the shock's rows; each link's trade-cost
    term ``T'`` is multiplied by ``exp(b * gain)``, ``b`` its sector's coefficient.

    Parameters
    ----------
    shock
        The trade-cost change (its ``agreements``, if any, are estimated).
    note
        Called with each estimated coefficient, as a line worth showing.

    Returns
    -------
    cost_counterfactual : numpy.ndarray
        ``T'``, dimensionless, the flows' shape.
    coefficients : pandas.DataFrame or None
        Stage (``pta``), sector, term, coef (None without agreements).

    Raises
    ------
    InvalidDataError
        A coefficient <= 0 (the regression says agreements lower trade), naming the
        caller's option for agreements and the fix.
    """
    ag = shock.agreements
    if ag is None:
        return shock.cost_counterfactual, None
    coef: dict[str | None, float] = {}
    for sec in ag.sectors:
        rows = ag.rows if sec is None else ag.rows[ag.rows["sector"] == sec]
        fit = estimate_ppml(rows, list(ag.regressors), fixed_effects=ag.fixed_effects)
        coef[sec] = float(fit.coef[ag.variable])
    for sec, c in coef.items():
        if note is not None:
            where = "" if sec is None else f" in sector {sec}"
            note(f"PPML coefficient of {ag.variable}{where}: {c:.4f}")
    names: tuple[str | None, ...] = shock.sectors if shock.sectors is not None else (None,)
    b = np.array([coef.get(name, np.nan) for name in names])[ag.links[:, 0]]
    bad = ~(b > 0)
    if bad.any():
        pta, costs, tariff = (ag.options[f] for f in ("pta", "costs", "tariff"))
        raise InvalidDataError(
            f"the PPML coefficient of the agreement dummy is {b[np.argmax(bad)]:.4f} <= 0: "
            f"the regression says agreements lower trade, so {pta} would apply a trade "
            "cost increase",
            field=pta,
            fix=f"check {costs} (distance in levels? use log(DIST)), the domestic flows (add "
            f"a border dummy) and the years; or pass {tariff} with your own number",
        )
    ratio = shock.cost_counterfactual.copy()
    cells = tuple(ag.links.T if shock.sectors is not None else ag.links.T[1:])
    np.multiply.at(ratio, cells, np.exp(b * ag.gain))  # in order: a link named twice, twice
    table = pd.DataFrame([("pta", sec, ag.variable, c) for sec, c in coef.items()],
                         columns=["stage", "sector", "term", "coef"])
    return ratio, table


def solve_estimated_change(
    shock: GravityEstimatedChange,
    solution: Solution,
    *,
    on_step: StepCallback | None = None,
    on_pass: Progress | None = None,
) -> Replication:
    """Estimate and solve a replication spec's counterfactual (``geolever ge --spec``).

    A deterministic entry of the engine (one solve at the spec's elasticity, no draws):
    PPML of the gravity equation, the baseline year's trade-cost terms ``T`` and those
    with the changed regressors ``T'``
    (:func:`geolever.models.gravity.replication.trade_costs`), then the spec's baseline
    (fitted or observed flows) and method (``exact`` hat algebra or the book's
    ``yotov2016``: :func:`geolever.models.gravity.replication.solve_costs`).

    Parameters
    ----------
    shock
        From :meth:`geolever.levers.kinds.trade_cost_change.TradeCostChange.compile_estimated`.
    solution
        Elasticity (> 1), reference country, closure and method
        (:mod:`geolever.core.gravity_spec`).
    on_step
        Called with ``"estimate PPML"``, ``"trade costs"`` and ``"solve"`` (:data:`STEPS`)
        when they start.
    on_pass
        ``yotov2016``: called after every PPML pass.

    Returns
    -------
    Replication
        The coefficients, the trade costs before and after, the observed flows and the GE
        result (per-country percent changes in the book's definitions: ``table()``).

    Raises
    ------
    InvalidDataError, UnknownCodeError, ConvergenceError
        Bad specification or data, naming the field and the fix.
    """
    costs = trade_costs(shock.data, shock.estimation, shock.baseline, shock.changes,
                        reference=shock.reference, on_step=on_step)
    if on_step is not None:
        on_step("solve")
    res = solve_costs(costs.observed, costs.cost_baseline, costs.cost_counterfactual,
                      costs.countries, shock.baseline, solution, on_pass)
    return Replication.of(costs, res, solution.method, shock.baseline)


def solve_cost_change(
    shock: GravityCostChange,
    solution: Solution,
    *,
    sigma: Array | None = None,
    on_pass: Progress | None = None,
    note: Callable[[str], None] | None = None,
) -> CostChangeSolution:
    """Solve a gravity dataset's embargoes, tariffs and agreements (``geolever ge``).

    A deterministic entry of the engine, as :func:`solve_pair_shocks_batch` is for the
    all-pairs matrix: one solve at the given elasticity, no draws. The agreements' PPML
    coefficients first (:func:`agreement_costs`), then exact hat algebra on the observed
    flows, or the multi-sector model with sectors; the iceberg cost changes by ``tau_hat
    * (T' / T) ** (1 / (1 - sigma))``.

    Parameters
    ----------
    shock
        From :meth:`geolever.levers.kinds.trade_cost_change.TradeCostChange.compile_baseline`.
    solution
        Elasticity (> 1), reference country, closure (:mod:`geolever.core.gravity_spec`).
    sigma
        Multi-sector: elasticity per sector, shape (S,) (default ``solution.sigma``).
    on_pass
        ``yotov2016``: called after every PPML pass.
    note
        Called with lines worth showing (the agreements' estimated coefficients).

    Returns
    -------
    CostChangeSolution
        The GE result (percent changes per country, and per sector with sectors), the
        trade costs before and after and the agreements' coefficients.

    Raises
    ------
    InvalidDataError, ConvergenceError
        A coefficient <= 0 or a regression that fails, naming the field and the fix.
    """
    cost1, coefficients = agreement_costs(shock, note)
    if shock.sectors is not None:
        sig = (np.full(len(shock.sectors), solution.sigma) if sigma is None
               else np.asarray(sigma, dtype=np.float64))
        tau = (cost1 / shock.cost_baseline) ** (1.0 / (1.0 - sig))[:, None, None]
        if shock.tau_hat is not None:
            tau = tau * shock.tau_hat
        res: GEResult | MultiGEResult = solve_ge_multisector(
            shock.flows, tau, sig, shock.va_share, shock.io_shares,
            reference=solution.reference, countries=shock.countries, sectors=shock.sectors,
            closure=solution.closure)
    else:
        res = solve_costs(shock.flows, shock.cost_baseline, cost1, list(shock.countries),
                          Baseline(flows="observed"), solution, on_pass,
                          tau_hat=shock.tau_hat)
    return CostChangeSolution(
        res, shock.countries, shock.sectors, shock.year, shock.flows, shock.cost_baseline,
        cost1, coefficients, changed=shock.changed)


#: Besides the engine's own names, the model types its deterministic entries take and hand
#: back (the scenario layer and the all-pairs matrix reach them through the engine, never
#: the model).
__all__ = [
    "GE_SIGMA_POINTS", "NO_FLOW", "SECTION", "STEPS", "Closure", "CostChangeSolution", "GEResult",
    "GETradeCostDetails", "MatrixCell", "MultiGEResult", "Progress", "Replication",
    "StepCallback", "agreement_costs", "solve_cost_change", "solve_estimated_change",
    "solve_pair_shocks_batch", "trade_cost",
]
