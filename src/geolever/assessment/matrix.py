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

**One pipeline.** The lever is a ``trade_restriction`` lever kind (``export_ban``,
``import_ban`` and ``embargo`` are its directions ``exports``, ``imports`` and ``both``); it
compiles every pair into shocks (``TradeRestriction.compile_pairs``), and the GE trade-cost
engine solves them (:func:`~geolever.effects.engines.ge_trade_cost.solve_pair_shocks_batch`),
the same lever kind and engine as ``geolever assess`` with ``model: ge``.

**Baseline** (:mod:`geolever.world.matrix`): one year's flows from the store, aggregated
to the chosen countries and the rest of the world (``ROW``), domestic sales as recorded or
GDP minus exports (Anderson and van Wincoop 2003; the assumption is stated in the result).

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
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from pydantic import ValidationError

from geolever.core.errors import (
    InvalidDataError,
    UnknownCodeError,
)
from geolever.effects.engines.ge_trade_cost import Closure, solve_pair_shocks_batch
from geolever.levers.kinds.trade_restriction import TradeRestriction
from geolever.world.matrix import MatrixBaseline

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

def as_matrix_lever(lever: MatrixLever | str | TradeRestriction, base: MatrixBaseline,
                    tariff_pct: float | None = None) -> TradeRestriction:
    """Return the lever of the matrix as a ``trade_restriction`` lever (model ``ge``).

    ``export_ban`` / ``import_ban`` / ``embargo`` are the restriction's directions
    ``exports`` / ``imports`` / ``both`` seen from the sender, on the baseline's goods; a
    ``tariff_pct`` makes it a tariff instead of an embargo.
    """
    if isinstance(lever, TradeRestriction):
        return lever
    if lever not in MATRIX_LEVERS:
        raise UnknownCodeError(
            f"unknown matrix lever {lever!r}",
            field="lever",
            fix=f"use one of: {', '.join(MATRIX_LEVERS)}",
        )
    direction = {"export_ban": "exports", "import_ban": "imports", "embargo": "both"}[lever]
    try:
        return TradeRestriction.model_validate({
            "goods": list(base.goods), "direction": direction,
            "measure": "embargo" if tariff_pct is None else "tariff",
            "tariff_pct": tariff_pct, "model": {"name": "ge"}})
    except ValidationError as err:
        first = err.errors()[0]
        raise InvalidDataError(f"invalid matrix lever: {first['msg']}",
                               field=".".join(str(p) for p in first["loc"]) or "lever",
                               fix="see geolever levers trade_restriction") from None


def leverage_matrix(
    base: MatrixBaseline,
    *,
    lever: MatrixLever | str | TradeRestriction = "export_ban",
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
        Baseline flows (see :func:`geolever.world.matrix.baseline_from_store`).
    lever
        ``export_ban``, ``import_ban`` or ``embargo`` (both; see :data:`MATRIX_LEVERS`),
        or a ``TradeRestriction`` lever with ``model: ge`` on the baseline's goods.
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
        solution) and ``reason`` (why it did not converge; ``no baseline flow: no effect``
        for a pair that restricts no flow, whose effects are exactly zero; empty
        otherwise). ``attrs``
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
    restriction = as_matrix_lever(lever, base, tariff_pct)
    shocks = restriction.compile_pairs(base, senders, targets)  # the lever kind's pairs
    cells = shocks.cells
    n, b = base.n, shocks.size
    per = chunk or int(np.clip(_TASK_CELLS // (n * n), 64, 8192))
    bounds = [(k, min(k + per, b)) for k in range(0, b, per)]
    out = np.empty((b, 2))
    cut = np.empty(b)
    reasons: list[str] = [""] * b
    if client is None:
        for lo, hi in bounds:
            out[lo:hi], cut[lo:hi], reasons[lo:hi] = solve_pair_shocks_batch(
                shocks.take(lo, hi), sigma, closure, progress)
    else:
        from distributed import as_completed

        futures = {
            client.submit(solve_pair_shocks_batch, shocks.take(lo, hi), sigma, closure,
                          pure=False): (lo, hi)
            for lo, hi in bounds
        }
        for fut in as_completed(futures):
            lo, hi = futures[fut]
            out[lo:hi], cut[lo:hi], reasons[lo:hi] = fut.result()
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
            "lever": lever if isinstance(lever, str) else restriction.describe(),
            "sigma": sigma,
            "tariff_pct": restriction.tariff_pct,
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
