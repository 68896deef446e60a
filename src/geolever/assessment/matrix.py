"""The all-pairs leverage matrix: every ordered sender-target pair, one GE counterfactual each.

For each ordered pair (S, T) the sender S restricts trade with the target T (an export
ban, an import ban or both, on all goods or some product groups, as an embargo or a
tariff). The single-sector general-equilibrium gravity model
(:func:`geolever.models.gravity.solve_pair_shocks` / :func:`~geolever.models.gravity.solve_ge`)
gives every country's real-income change; the matrix keeps

* ``target_loss_pct``: T's real GDP loss, percent (positive = loss);
* ``sender_cost_pct``: S's real GDP loss, percent (positive = cost; negative = S gains,
  e.g. a terms-of-trade gain from an import ban);
* ``ratio``: ``target_loss_pct / sender_cost_pct`` when the sender bears a cost
  (> 1e-9 %), else NaN (no cost to divide by: see ``sender_cost_pct``);
* the same losses in US$ (percent x baseline output) and the flow directly cut.

**Baseline.** Flows of one year from the store's bulk table, aggregated to the chosen
countries plus the rest of the world (``ROW``). The GE model needs each country's
domestic sales (the diagonal). When the dataset records them (gravity datasets), they
are used. Otherwise (BACI, Comtrade) the **assumption** is Anderson and van Wincoop's
(2003, *American Economic Review* 93(1), 170-192, section IV): a country's output,
sales to all destinations including itself, equals its GDP (World Bank WDI
NY.GDP.MKTP.CD, current US$), so domestic sales = GDP - exports of goods to the other
units, floored at ``floor`` x max(GDP, exports) for entrepot economies whose goods
exports exceed GDP. This treats services and non-traded output as domestic sales of
the one good; losses are therefore relative to GDP, the usual welfare measure.

**Product groups.** The model has one sector. A restriction on a group ``g`` changes
the pair's trade-cost term so that, before general-equilibrium adjustment, the pair's
flow loses exactly the restricted part: ``t = 1 - s_g (1 - f)`` with ``s_g`` the group's
share of the pair's flow and ``f = 0`` (embargo) or ``(1 + tariff) ** (1 - sigma)``;
``tau_hat = t ** (1 / (1 - sigma))``.

**Closure.** Deficits are held fixed as a share of world output (Dekle, Eaton and
Kortum 2008) unless ``closure="proportional"``; see :func:`leverage_matrix`. A pair whose
counterfactual has no equilibrium is reported (``converged`` False, NaN, ``reason``), never
dropped, and never holds up the other pairs.

**Scale-out.** Pairs are cut into chunks (each a few seconds of work); the same chunks
run one after another locally or as tasks on a Dask distributed cluster, so the results
are identical either way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geolever.core.errors import (
    DataNotFoundError,
    InvalidDataError,
    UnknownCodeError,
)
from geolever.models.gravity import Closure, cost_factor, domestic_from_gdp, solve_pair_shocks
from geolever.store.bulk import aggregate_flows, flow_datasets_for_year
from geolever.store.facts import FactStore, rank_facts

FloatArray = NDArray[np.float64]
MatrixLever = Literal["export_ban", "import_ban", "embargo"]

#: Lever kinds of the matrix and the trade direction they cut, seen from the sender.
MATRIX_LEVERS: dict[str, str] = {
    "export_ban": "sender stops selling to the target (flow sender -> target)",
    "import_ban": "sender stops buying from the target (flow target -> sender)",
    "embargo": "both directions",
}

#: Work per task, in pair-scenarios x N^2 cells (about 2-4 s on one core).
_TASK_CELLS = 160_000_000

DOMESTIC_ASSUMPTION = (
    "domestic sales = GDP (WDI NY.GDP.MKTP.CD, current US$) minus goods exports to the "
    "other units, floored at {floor:.0%} of max(GDP, exports); output = GDP as in Anderson "
    "and van Wincoop (2003, AER 93(1), section IV)"
)


@dataclass(frozen=True)
class MatrixBaseline:
    """The baseline of the matrix: aggregated flows with domestic sales, and their origin.

    Attributes
    ----------
    countries
        Codes in matrix order; the rest of the world, if any, last.
    flows
        (N, N) flows, US$: exporter rows, importer columns, domestic sales on the diagonal.
    restricted
        (N, N) international flows of the restricted product groups, US$ (equal to the
        off-diagonal of ``flows`` for all goods).
    rest
        Code of the rest-of-world unit, or None.
    year, dataset
        Year and the store dataset(s) the flows come from.
    assumptions
        Sentences stating how the baseline was built (domestic sales, floors, ...).
    """

    countries: tuple[str, ...]
    flows: FloatArray
    restricted: FloatArray
    rest: str | None = None
    year: int | None = None
    dataset: str = ""
    assumptions: tuple[str, ...] = field(default_factory=tuple)

    @property
    def n(self) -> int:
        """Number of units (countries and the rest of the world)."""
        return len(self.countries)


def _pick_gdp(store: FactStore, year: int) -> pd.Series:
    """One GDP value (US$) per country for ``year`` by the store's selection order."""
    frame = store.query(indicator="gdp", year=year)
    frame = frame[(frame["unit"] == "USD") & frame["period"].isin(["FY", "point"])]
    if frame.empty:
        return pd.Series(dtype=float)
    best = rank_facts(frame).drop_duplicates("country")
    return best.set_index("country")["value"].astype(float)


def baseline_from_store(
    store: FactStore,
    year: int,
    countries: Sequence[str] | None = None,
    *,
    goods: Sequence[str] | None = None,
    dataset: str | None = None,
    rest: str = "ROW",
    floor: float = 0.05,
    gdp: pd.Series | None = None,
) -> MatrixBaseline:
    """Build the matrix baseline from the store's trade flows (and GDP facts).

    Parameters
    ----------
    store
        Store with bulk flows (``geolever data import baci ...``) and, unless the dataset
        has domestic flows, GDP facts (``geolever data import wdi ...``).
    year
        Calendar year of the flows.
    countries
        ISO3 codes to keep separately (others form ``rest``). Default: every country
        with flows in the year (and GDP, when GDP is needed).
    goods
        Product groups restricted (``food``, ``energy``, ...); default all goods.
    dataset
        Store dataset to use; needed when several hold flows for the year.
    rest
        Code of the rest-of-world unit.
    floor
        Smallest domestic share of output (see :func:`domestic_from_gdp`).
    gdp
        GDP per ISO3 code, US$, instead of the store's ``gdp`` facts.

    Returns
    -------
    MatrixBaseline

    Raises
    ------
    DataNotFoundError
        No flows for the year, several datasets and none chosen, or no GDP for a chosen
        country.
    UnknownCodeError
        A chosen country with no flows in the year.
    """
    names = flow_datasets_for_year(store, year)
    if not names:
        raise DataNotFoundError(
            f"no trade flows for {year} in the store",
            field="year",
            fix="import a BACI year or another flow source (geolever data import baci FILE)",
        )
    if dataset is None and len(names) > 1:
        raise DataNotFoundError(
            f"{len(names)} datasets hold flows for {year}: {', '.join(names)}",
            field="dataset",
            fix="choose one with --dataset",
        )
    ds = dataset or names[0]
    if ds not in names:
        raise DataNotFoundError(
            f"dataset {ds!r} has no flows for {year}",
            field="dataset",
            fix=f"use one of: {', '.join(names)}",
        )
    raw = store.con.execute(
        "SELECT exporter, importer, sum(value_usd) AS v, bool_or(exporter = importer) AS dom "
        "FROM trade_flows WHERE year = ? AND dataset = ? GROUP BY ALL",
        [year, ds],
    ).df()
    has_domestic = bool(raw["dom"].any())
    present = sorted(set(raw["exporter"]) | set(raw["importer"]))
    gdp_all = (
        gdp
        if gdp is not None
        else (pd.Series(dtype=float) if has_domestic else _pick_gdp(store, year))
    )
    notes: list[str] = []
    if countries:
        chosen = [c.strip().upper() for c in countries]
        missing = [c for c in chosen if c not in present]
        if missing:
            raise UnknownCodeError(
                f"no flows for {', '.join(missing)} in {ds} {year}",
                field="countries",
                fix="choose countries present in the dataset",
            )
        if not has_domestic:
            no_gdp = [c for c in chosen if c not in gdp_all.index]
            if no_gdp:
                raise DataNotFoundError(
                    f"no GDP for {', '.join(no_gdp)} in {year} (needed for domestic sales)",
                    field="countries",
                    fix="import WDI GDP (geolever data import wdi gdp.csv) or drop them",
                )
    else:
        chosen = [c for c in present if has_domestic or c in gdp_all.index]
        dropped = len(present) - len(chosen)
        if dropped:
            notes.append(f"{dropped} economies without GDP for {year} are in {rest}")
    agg = aggregate_flows(store, year, chosen, dataset=ds, rest=rest)
    units = list(chosen) + (
        [rest] if (agg["exporter"] == rest).any() or (agg["importer"] == rest).any() else []
    )
    index = {c: k for k, c in enumerate(units)}
    n = len(units)
    flows = np.zeros((n, n))
    intl = agg[~agg["domestic"]]
    np.add.at(
        flows,
        (intl["exporter"].map(index).to_numpy(), intl["importer"].map(index).to_numpy()),
        intl["value_usd"].to_numpy(),
    )
    restricted = flows.copy()
    if goods and not (len(goods) == 1 and goods[0].upper() == "TOTAL"):
        part = intl[intl["product_group"].isin(list(goods))]
        if part.empty and not intl.empty:
            have = sorted(set(intl["product_group"]))
            raise DataNotFoundError(
                f"no flows of {', '.join(goods)} in {ds} {year} (groups there: {have})",
                field="goods",
                fix="choose product groups present in the dataset",
            )
        restricted = np.zeros((n, n))
        np.add.at(
            restricted,
            (part["exporter"].map(index).to_numpy(), part["importer"].map(index).to_numpy()),
            part["value_usd"].to_numpy(),
        )
    np.fill_diagonal(restricted, 0.0)
    if has_domestic:
        dom = agg[agg["domestic"]]
        np.add.at(
            flows,
            (dom["exporter"].map(index).to_numpy(), dom["importer"].map(index).to_numpy()),
            dom["value_usd"].to_numpy(),
        )
        notes.append(f"domestic sales as recorded in {ds}")
    else:
        gdp_units = np.array([float(gdp_all.get(c, np.nan)) for c in chosen])
        if rest in index:
            world = float(gdp_all.get("WLD", np.nan))
            others = gdp_all.drop([c for c in [*chosen, "WLD"] if c in gdp_all.index])
            others = others[[c for c in others.index if c in present]]
            rest_gdp = world - gdp_units.sum() if np.isfinite(world) else float(others.sum())
            gdp_units = np.append(gdp_units, max(rest_gdp, 0.0))
        exports = flows.sum(axis=1) - np.diag(flows)
        domestic, floored = domestic_from_gdp(exports, gdp_units, floor)
        # intra-ROW trade is part of ROW's GDP-based domestic sales, not added to it
        flows[np.diag_indices(n)] = domestic
        notes.append(DOMESTIC_ASSUMPTION.format(floor=floor))
        if floored.any():
            notes.append("floor applied for " + ", ".join(np.array(units)[floored]))
    return MatrixBaseline(
        countries=tuple(units),
        flows=flows,
        restricted=restricted,
        rest=rest if rest in index else None,
        year=year,
        dataset=ds,
        assumptions=tuple(notes),
    )


def _solve_chunk(
    flows: FloatArray,
    entries: NDArray[np.intp],
    tau: FloatArray,
    sigma: float,
    cells: NDArray[np.intp],
    closure: Closure = "fixed_share",
    countries: Sequence[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[FloatArray, list[str]]:
    """Solve one chunk: real GDP change (%) of the sender and target (B, 2), and reasons.

    ``entries`` is (B, E, 2) exporter/importer indices shocked per scenario (E = 1 or 2),
    ``tau`` (B, E) their cost changes, ``cells`` (B, 2) the sender and target indices.
    A counterfactual with no equilibrium gives NaN and a reason (``""`` for the others):
    e.g. a deficit country whose only foreign supplier is cut off cannot spend more than
    it earns. One batched solve; a failed scenario never holds up or changes the others.
    """
    b = entries.shape[0]
    res = solve_pair_shocks(
        flows,
        entries,
        tau,
        sigma,
        closure=closure,
        countries=countries,
        chunk=max(b, 1),
        on_failure="nan",
        progress=progress,
    )
    real = np.asarray(res.real_gdp_pct).reshape(b, -1)
    out = np.stack([real[np.arange(b), cells[:, 0]], real[np.arange(b), cells[:, 1]]], axis=1)
    return out, list(res.failure_reasons or [""] * b)


def _scenarios(
    base: MatrixBaseline,
    lever: str,
    sigma: float,
    tariff_pct: float | None,
    senders: Sequence[str] | None,
    targets: Sequence[str] | None,
) -> tuple[NDArray[np.intp], NDArray[np.intp], FloatArray, FloatArray]:
    if lever not in MATRIX_LEVERS:
        raise UnknownCodeError(
            f"unknown matrix lever {lever!r}",
            field="lever",
            fix=f"use one of: {', '.join(MATRIX_LEVERS)}",
        )
    index = {c: k for k, c in enumerate(base.countries)}
    real = [c for c in base.countries if c != base.rest]

    def pick(codes: Sequence[str] | None, what: str) -> list[int]:
        chosen = [c.strip().upper() for c in codes] if codes else real
        bad = [c for c in chosen if c not in index or c == base.rest]
        if bad:
            raise UnknownCodeError(
                f"{', '.join(bad)} not in the matrix",
                field=what,
                fix=f"use codes of the baseline: {', '.join(real[:20])}",
            )
        return [index[c] for c in chosen]

    s_idx, t_idx = pick(senders, "senders"), pick(targets, "targets")
    s, t = np.meshgrid(s_idx, t_idx, indexing="ij")
    keep = s != t
    cells = np.stack([s[keep], t[keep]], axis=1).astype(np.intp)
    total = base.flows.copy()
    np.fill_diagonal(total, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total > 0, base.restricted / total, 0.0)
    out = (
        [cells[:, [0, 1]]]
        if lever == "export_ban"
        else [cells[:, [1, 0]]]
        if lever == "import_ban"
        else [cells[:, [0, 1]], cells[:, [1, 0]]]
    )
    entries = np.stack(out, axis=1)
    tau = cost_factor(share[entries[..., 0], entries[..., 1]], sigma, tariff_pct)
    cut_share = 1.0 - (0.0 if tariff_pct is None else (1.0 + tariff_pct / 100.0) ** (1.0 - sigma))
    cut = (base.restricted[entries[..., 0], entries[..., 1]] * cut_share).sum(axis=1)
    return cells, entries, tau, cut


def leverage_matrix(
    base: MatrixBaseline,
    *,
    lever: str = "export_ban",
    sigma: float = 5.0,
    tariff_pct: float | None = None,
    senders: Sequence[str] | None = None,
    targets: Sequence[str] | None = None,
    chunk: int | None = None,
    client: Any = None,
    progress: Callable[[int], None] | None = None,
    closure: Closure = "fixed_share",
) -> pd.DataFrame:
    """Compute the leverage of every ordered sender-target pair with the GE gravity model.

    Parameters
    ----------
    base
        Baseline flows (see :func:`baseline_from_store`).
    lever
        ``export_ban``, ``import_ban`` or ``embargo`` (both); see :data:`MATRIX_LEVERS`.
    sigma
        Elasticity of substitution (> 1; trade elasticity ``sigma - 1``).
    tariff_pct
        Ad-valorem tariff (percent) instead of an embargo, on the restricted goods.
    senders, targets
        ISO3 codes (default every country of the baseline, not the rest of the world).
    chunk
        Pairs per task; default so that a task is a few seconds of work. Local and Dask
        runs with the same chunk give identical numbers.
    client
        A ``dask.distributed.Client``: run the chunks as tasks on its cluster.
    progress
        Called with the number of pairs finished, as they finish (locally) or after
        each chunk (Dask).
    closure
        How spending follows income in the GE model (see
        :func:`geolever.models.gravity.solve_ge`): ``"fixed_share"`` (default; deficits
        fixed as a share of world output, Dekle, Eaton and Kortum 2008) or
        ``"proportional"`` (spending/income fixed up to one world factor ``k``). On
        product-level matrices many economies buy a product but sell none of it; under the
        proportional closure such an economy has no equilibrium as soon as a shock moves
        ``k`` below ``1/phi`` (it would have to spend less than it earns with nothing to
        sell), which on BACI crude oil 2021 is most embargoes by a surplus exporter. The
        fixed-share closure fails only where the shock itself strands a country (a surplus
        economy loses its last foreign buyer, a deficit economy its last supplier).

    Returns
    -------
    pandas.DataFrame
        One row per ordered pair: ``sender``, ``target``, ``flow_cut_usd``,
        ``target_loss_pct``, ``sender_cost_pct``, ``ratio``, ``target_loss_usd``,
        ``sender_cost_usd`` (US$ from percent x baseline output), ``converged`` (False,
        with NaN results, for a counterfactual without an equilibrium; never a partial
        solution) and ``reason`` (why it did not converge; empty otherwise). ``attrs``
        holds the lever, sigma, closure, year, dataset and the baseline's assumptions.

    Raises
    ------
    UnknownCodeError
        Unknown lever or country.
    """
    if not (np.isfinite(sigma) and sigma > 1.0):
        raise InvalidDataError(
            f"sigma must be > 1, got {sigma}",
            field="sigma",
            fix="use a trade elasticity sigma > 1 (typical 4-8)",
        )
    cells, entries, tau, cut = _scenarios(base, lever, sigma, tariff_pct, senders, targets)
    n, b = base.n, cells.shape[0]
    per = chunk or int(np.clip(_TASK_CELLS // (n * n), 64, 8192))
    bounds = [(k, min(k + per, b)) for k in range(0, b, per)]
    out = np.empty((b, 2))
    reasons: list[str] = [""] * b
    if client is None:
        for lo, hi in bounds:
            out[lo:hi], reasons[lo:hi] = _solve_chunk(
                base.flows,
                entries[lo:hi],
                tau[lo:hi],
                sigma,
                cells[lo:hi],
                closure,
                base.countries,
                progress,
            )
    else:
        from distributed import as_completed

        flows = client.scatter(base.flows, broadcast=True)
        futures = {
            client.submit(
                _solve_chunk,
                flows,
                entries[lo:hi],
                tau[lo:hi],
                sigma,
                cells[lo:hi],
                closure,
                base.countries,
                pure=False,
            ): (lo, hi)
            for lo, hi in bounds
        }
        for fut in as_completed(futures):
            lo, hi = futures[fut]
            out[lo:hi], reasons[lo:hi] = fut.result()
            if progress:
                progress(hi - lo)
    output = base.flows.sum(axis=1)
    names = np.array(base.countries)
    target_loss, sender_cost = -out[:, 1], -out[:, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(sender_cost > 1e-9, target_loss / sender_cost, np.nan)
    frame = pd.DataFrame(
        {
            "sender": names[cells[:, 0]],
            "target": names[cells[:, 1]],
            "flow_cut_usd": cut,
            "target_loss_pct": target_loss,
            "sender_cost_pct": sender_cost,
            "ratio": ratio,
            "target_loss_usd": target_loss / 100.0 * output[cells[:, 1]],
            "sender_cost_usd": sender_cost / 100.0 * output[cells[:, 0]],
            "converged": np.isfinite(out).all(axis=1),
            "reason": reasons,
        }
    )
    frame.attrs.update(
        {
            "lever": lever,
            "sigma": sigma,
            "tariff_pct": tariff_pct,
            "closure": closure,
            "year": base.year,
            "dataset": base.dataset,
            "countries": list(base.countries),
            "rest": base.rest,
            "assumptions": list(base.assumptions),
            "chunk": per,
        }
    )
    return frame


def matrix_pivot(frame: pd.DataFrame, value: str = "ratio") -> pd.DataFrame:
    """Return one column of the long matrix as a sender x target table."""
    return frame.pivot(index="sender", columns="target", values=value)
