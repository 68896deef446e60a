"""The shock vocabulary: what changes when a lever is pulled, as typed data.

A lever kind (:mod:`geolever.levers.kinds`) compiles into one of these; an engine
(:mod:`geolever.effects.engines`) registered for the shock's type evaluates it. Shocks
carry the sourced data they act on but know nothing about lever names or models.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from geolever.core.gravity_spec import Baseline, Change, Estimation
from geolever.core.quantity import Quantity
from geolever.world import Network
from geolever.world.io import IOTable
from geolever.world.trade import TradeMatrix

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class FlowParameters:
    """Names of the case parameters that model a flow cut whose rerouting is an assumption.

    Used for flows without a market structure to derive substitution from (remittances,
    tourism receipts): the cut flow ``value * cut_share`` is rerouted by the share
    ``reroute_1y`` (``reroute_3y`` after three years); the rest is lost. Every name is a
    parameter of the case pack's ``parameters.yaml`` (a distribution, labelled).

    Attributes
    ----------
    reroute_1y, reroute_3y
        Share of the cut flow that still reaches the target (or is replaced) in 1 / 3 years.
    sender_cost_ratio
        The sender's own loss per US$ of flow cut.
    income_share
        Share of the unreplaced flow that is the target's income (value added); None: all.
    budget_share
        Share of the target's income loss that the state budget loses; None: the
        target's budget revenue / GDP ratio.
    """

    reroute_1y: str
    reroute_3y: str
    sender_cost_ratio: str
    income_share: str | None = None
    budget_share: str | None = None


@dataclass(frozen=True)
class CutFlow:
    """A bilateral flow that a lever cuts.

    Attributes
    ----------
    channel
        What flows, e.g. ``remittances``, ``goods``, ``tourism``.
    origin, destination
        Paying/exporting and receiving/importing country (ISO3).
    product
        Product code for goods ('' otherwise).
    value
        The flow in US$ per year (sourced).
    cut_share
        Share of the flow stopped (1 for a ban or embargo); None for a tariff, where the
        cut depends on the trade elasticity (``tariff`` is then set, as a fraction).
    market
        ``commodity`` (world-traded) or ``specific`` (differentiated or perishable).
    origin_share
        Share of the origin's exports of the product that go to the destination.
    destination_share
        Share of the destination's imports of the product that come from the origin.
    parameters
        For a flow whose rerouting is an assumption (no market structure): the parameter
        names that model it; None for goods (substitution from the partner shares).
    """

    channel: str
    origin: str
    destination: str
    product: str
    value: Quantity
    cut_share: float | None
    tariff: float | None
    market: str
    origin_share: Quantity | None
    destination_share: Quantity | None
    parameters: FlowParameters | None = None


@dataclass(frozen=True)
class FlowCut:
    """Shock: flows of money, goods or services between sender and target are cut.

    ``notes`` are sentences the lever kind adds to every report of the shock.
    """

    flows: tuple[CutFlow, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class EdgeRemoval:
    """Shock: links of an infrastructure network are closed to the target's traffic."""

    network: Network
    removed: tuple[str, ...]
    excluded_country: str | None


@dataclass(frozen=True)
class JudgementShock:
    """Shock scored by expert judgement (no data model behind it)."""

    likelihood: tuple[float, float]
    target_impact_pct_gdp: tuple[float, float, float]
    sender_cost_pct_gdp: tuple[float, float, float]
    elicited_by: str
    rationale: str


@dataclass(frozen=True)
class IOLinkCut:
    """Shock: supply links between sender and target are cut in an input-output table.

    ``links`` are (exporter, importer) regions; ``groups`` the product groups or sector
    codes of the exporter cut (``all``: every sector), each link by ``share`` (0-1), in
    the importer's intermediate and/or final purchases. ``table`` is None when the table
    cannot represent the case (``unavailable`` says why, e.g. the target is inside the
    table's rest of the world).
    """

    table: IOTable | None
    table_name: str
    year: int
    links: tuple[tuple[str, str], ...]
    groups: tuple[str, ...]
    share: float
    unavailable: str | None
    intermediate: bool = True
    final: bool = True


@dataclass(frozen=True)
class TradeCostShock:
    """Shock: trade costs change on some links of the case's world trade matrix (GE model).

    ``restricted[i, j]`` is the share of the flow from region i to region j that the lever
    stops (embargo) or taxes (``tariff_pct``); the shares come from the case's
    product-level data, the flows from :class:`~geolever.world.trade.TradeMatrix`.
    ``tau_hat`` is a stated change of the iceberg trade cost on links (a factor,
    dimensionless, the flows' shape; ``inf``: an embargo; None: none), multiplied on top
    of the restriction's; ``notes`` are sentences the lever kind adds to every report of
    the shock.
    """

    matrix: TradeMatrix
    restricted: npt.NDArray[np.float64]
    tariff_pct: float | None
    shares: tuple[Quantity, ...]
    tau_hat: npt.NDArray[np.float64] | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PairTradeCostShocks:
    """Shocks: one trade restriction per ordered sender-target pair of a world matrix.

    The all-pairs leverage matrix: scenario ``b`` restricts the links ``entries[b]`` (one
    per direction cut) of the baseline ``flows``; the engine solves them in batches
    (:func:`geolever.effects.engines.ge_trade_cost.solve_pair_shocks_batch`).

    Attributes
    ----------
    countries
        Codes in matrix order (the rest of the world, if any, last).
    flows
        (N, N) baseline flows with domestic sales on the diagonal, US$.
    cells
        (B, 2) matrix indices of each scenario's sender and target.
    entries
        (B, E, 2) exporter and importer index of each link a scenario restricts (E = 1 for
        one direction, 2 for both).
    restricted
        (B, E) share of each link's flow that the lever stops or taxes (0-1).
    tariff_pct
        Ad-valorem tariff, % (None: an embargo).
    restricted_usd
        (B,) flow the lever stops or taxes, before any adjustment, US$ per year.
    """

    countries: tuple[str, ...]
    flows: npt.NDArray[np.float64]
    cells: npt.NDArray[np.intp]
    entries: npt.NDArray[np.intp]
    restricted: npt.NDArray[np.float64]
    tariff_pct: float | None
    restricted_usd: npt.NDArray[np.float64]

    @property
    def size(self) -> int:
        """Number of scenarios (ordered pairs)."""
        return int(self.cells.shape[0])

    def take(self, lo: int, hi: int) -> PairTradeCostShocks:
        """Return scenarios ``lo`` to ``hi - 1`` (a chunk, e.g. one Dask task's)."""
        return PairTradeCostShocks(self.countries, self.flows, self.cells[lo:hi],
                                   self.entries[lo:hi], self.restricted[lo:hi],
                                   self.tariff_pct, self.restricted_usd[lo:hi])


@dataclass(frozen=True)
class AgreementChange:
    """New trade agreements on links of a gravity dataset, their effect to be estimated.

    The GE trade-cost engine estimates the PPML coefficient ``b`` of the agreement dummy
    ``variable`` on ``rows`` (per sector with sectors) and multiplies the trade-cost term
    of each link ``links[k]`` by ``exp(b * gain[k])``, in the order of the entries (a link
    named twice changes twice).

    Attributes
    ----------
    variable
        The agreement dummy column (0/1).
    regressors
        Trade-cost terms of the PPML regression, ``variable`` included (column names or
        expressions such as ``log(DIST)``).
    fixed_effects
        The regression's fixed effects (pyfixest syntax, e.g. ``"exporter + importer"``).
    rows
        The long table the regression runs on (the baseline year; a ``sector`` column with
        sectors), flows in the dataset's currency unit.
    sectors
        The sectors whose coefficient is estimated, in the shock's sector order (``(None,)``:
        one regression on all rows, a single-sector dataset).
    links
        (K, 3) sector index (0 without sectors), exporter index and importer index of each
        changed link, in the flows' order.
    gain
        (K,) change of the dummy on each link, ``1 - current value``, dimensionless.
    options
        How the caller names the lever's fields ``pta``, ``costs`` and ``tariff`` in errors
        (``geolever ge``: ``--pta``); the engine's error for a coefficient <= 0 uses them.
    """

    variable: str
    regressors: tuple[str, ...]
    fixed_effects: str
    rows: pd.DataFrame
    sectors: tuple[str | None, ...]
    links: npt.NDArray[np.intp]
    gain: npt.NDArray[np.float64]
    options: Mapping[str, str]


@dataclass(frozen=True)
class GravityCostChange:
    """Shock: trade costs change on links of a gravity dataset's baseline (``geolever ge``).

    A command line's embargo, tariff or agreement on the observed flows, solved
    deterministically in general equilibrium
    (:func:`geolever.effects.engines.ge_trade_cost.solve_cost_change`). A change of the
    trade-cost term ``T = t ** (1 - sigma)`` of the gravity equation is given as ``T``
    before and after (and for agreements, the estimation the engine runs), a stated one
    (tariff, embargo) in the iceberg cost ``t``, so that neither depends on the elasticity
    the solution uses: the iceberg cost changes by ``tau_hat * (T' / T) ** (1 / (1 -
    sigma))``.

    Attributes
    ----------
    countries
        Codes in array order.
    sectors
        Sector codes in array order (None: one sector).
    flows
        Observed baseline flows with domestic sales, the dataset's currency unit (USD):
        (N, N), or (S, N, N) with sectors.
    cost_baseline, cost_counterfactual
        Trade-cost terms ``T`` and ``T'``, dimensionless, the flows' shape (``T = 1`` where
        only the change is known).
    year
        Baseline year (None: the dataset's only year).
    changed
        Number of ordered pairs (cells with sectors) whose trade cost changes.
    tau_hat
        Stated change of the iceberg trade cost, dimensionless, the flows' shape (``inf``:
        an embargo), or None (none).
    agreements
        New trade agreements whose effect on ``T'`` the engine estimates, or None.
    io_shares, va_share
        Multi-sector input cost shares (N, S, S) and value-added shares (S, N),
        dimensionless, or None.
    """

    countries: tuple[str, ...]
    sectors: tuple[str, ...] | None
    flows: npt.NDArray[np.float64]
    cost_baseline: npt.NDArray[np.float64]
    cost_counterfactual: npt.NDArray[np.float64]
    year: int | None = None
    changed: int = 0
    tau_hat: npt.NDArray[np.float64] | None = None
    agreements: AgreementChange | None = None
    io_shares: npt.NDArray[np.float64] | None = None
    va_share: npt.NDArray[np.float64] | None = None


@dataclass(frozen=True)
class GravityEstimatedChange:
    """Shock: regressors of an estimated gravity equation change (a replication spec).

    A published structural-gravity application (Yotov et al. 2016, ch. 2): the GE
    trade-cost engine estimates ``estimation`` by PPML on ``data``, builds the trade-cost
    terms ``T`` of the baseline year and ``T'`` with the changed regressors, then solves
    (:func:`geolever.effects.engines.ge_trade_cost.solve_cost_change`).

    Attributes
    ----------
    data
        Long gravity table (one row per exporter, importer, year), flows in USD, every
        ordered pair (domestic included) in the baseline year.
    estimation
        The PPML gravity regression (formula, fixed effects, years, derived columns,
        fill-in).
    baseline
        Fitted or observed baseline flows, and the baseline year.
    changes
        The regressor changes (``RTA=0@CAN-USA``, ``INTL_BRDR=0``), at least one.
    reference
        Reference country of the solution, checked against the data's codes (None: not
        checked).
    """

    data: pd.DataFrame
    estimation: Estimation
    baseline: Baseline
    changes: tuple[Change, ...]
    reference: str | None = None


@dataclass(frozen=True)
class IOPairLinkCuts:
    """Shocks: every ordered sender -> target link of an input-output table cut, per group.

    The all-pairs extraction (``geolever io matrix``): for each sender region and each
    sector group, the sender's supply of the group's sectors to every other region is cut
    by ``share``; the engine runs them from one factorisation
    (:func:`geolever.effects.engines.io_extraction.extract_all_pairs`).

    Attributes
    ----------
    table
        The input-output table.
    groups
        ``{group name: boolean mask (S,)}`` of the sectors each scenario cuts.
    share
        Share of each link cut, 0-1.
    intermediate, final
        Whether the target's industries' purchases and its final purchases are cut.
    """

    table: IOTable
    groups: dict[str, npt.NDArray[np.bool_]]
    share: float
    intermediate: bool = True
    final: bool = True


Shock = FlowCut | EdgeRemoval | JudgementShock | IOLinkCut | TradeCostShock
