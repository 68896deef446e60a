"""Fit the substitution parameters to the episodes and score the fit by leave-one-out.

The substitution model (``models.substitution.calc_replaceable_share``) has, per horizon, an
attainable growth of sales to existing partners ``g`` and a share placed with new partners
``n`` (one for specific, one for commodity goods). The calibration keeps their shipped
shapes and fits one scale factor per horizon, ``kappa``, multiplying low, mode and high
(shares capped at 1): one number per horizon is what a handful of episodes can identify.
``kappa`` minimises the mean squared log error of the predicted median rerouted share
against the observed ones; leave-one-out scores each episode with the ``kappa`` fitted on
the others only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from geolever.backtest.compare import LOG_FLOOR, PreparedEpisode, Row, predict, score
from geolever.backtest.episodes import HORIZONS
from geolever.world.case import ParameterSpec

#: Scale factors tried (log-spaced; 1 = the shipped parameters).
KAPPA_GRID = np.unique(np.concatenate([np.geomspace(0.02, 5.0, 33), [1.0]]))
#: Band widening factors tried (1 = the shipped spread around the mode).
SPREAD_GRID = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0)
#: Coverage the widening aims for on the training episodes.
TARGET_COVERAGE = 0.9


def scaled_names(horizon: str) -> tuple[str, ...]:
    """Return the names of the substitution parameters of ``horizon`` that ``kappa`` scales."""
    return (f"existing_partner_growth_{horizon}", f"new_market_share_specific_{horizon}",
            f"new_market_share_commodity_{horizon}")


def scale_parameters(params: Mapping[str, ParameterSpec], kappa: Mapping[str, float],
                     spread: Mapping[str, float] | None = None, *,
                     source: str = "") -> dict[str, ParameterSpec]:
    """Return ``params`` with each horizon's substitution parameters scaled and widened.

    Low, mode and high are multiplied by ``kappa[horizon]``; then low and high move away
    from the mode by ``spread[horizon]`` (1 keeps the shape). Values stay within [0, cap],
    cap 1 for shares (``new_market_share_*``). With ``source``, the result is labelled
    ``sourced`` with that source.
    """
    out = dict(params)
    for horizon, k in kappa.items():
        w = (spread or {}).get(horizon, 1.0)
        for name in scaled_names(horizon):
            if name not in params:
                continue
            spec = params[name]
            cap = 1.0 if name.startswith("new_market_share") else np.inf
            mode = spec.central * k
            low = max(0.0, mode - w * (mode - spec.low * k))
            high = mode + w * (spec.high * k - mode)
            updates: dict[str, Any] = {
                "low": float(min(low, cap)), "high": float(min(high, cap)),
                "mode": None if spec.mode is None else float(min(mode, cap))}
            if source:
                updates.update(basis="sourced", source=source,
                               rationale=f"shipped {spec.low:g}/{spec.central:g}/{spec.high:g} "
                               f"scaled by {k:.3g}, spread x{w:g}. " + spec.rationale)
            out[name] = spec.model_copy(update=updates)
    return out


class Evaluator:
    """Scored rows of the episodes for a parameter scaling, computed once and cached.

    Each horizon's substitution share depends only on that horizon's parameters, so rows of
    one horizon can be read from an evaluation that scaled both horizons.
    """

    def __init__(self, prepared: Sequence[PreparedEpisode], n_draws: int, seed: int):
        self.prepared = {p.episode.name: p for p in prepared}
        self.n_draws, self.seed = n_draws, seed
        self._cache: dict[tuple[str, float, float], list[Row]] = {}

    def rows(self, episode: str, horizon: str, kappa: float, spread: float = 1.0) -> list[Row]:
        """Return the rows of ``episode`` at ``horizon`` under (kappa, spread)."""
        key = (episode, float(kappa), float(spread))
        if key not in self._cache:
            prep = self.prepared[episode]
            params = scale_parameters(prep.episode.parameters, {h: kappa for h in HORIZONS},
                                      {h: spread for h in HORIZONS})
            self._cache[key] = score(prep, predict(prep, params, self.n_draws, self.seed))
        return [r for r in self._cache[key] if r.horizon == horizon]


def _rerouted(rows: Sequence[Row]) -> list[Row]:
    return [r for r in rows if r.metric == "rerouted_share" and r.inside is not None]


def fit(ev: Evaluator, episodes: Sequence[str]) -> dict[str, dict[str, float | None]]:
    """Return per horizon the kappa and spread fitted on the rerouted shares of ``episodes``.

    kappa minimises the mean squared log error of the median (ties: closest to 1); the
    spread is the smallest of :data:`SPREAD_GRID` whose 90% bands cover at least
    :data:`TARGET_COVERAGE` of the training observations (the largest if none does).
    None where those episodes observed nothing at that horizon (the shipped values stand).
    """
    fitted: dict[str, dict[str, float | None]] = {}
    for horizon in HORIZONS:
        losses = []
        for k in KAPPA_GRID:
            rows = _rerouted([r for e in episodes for r in ev.rows(e, horizon, float(k))])
            errs = [r.abs_log_error ** 2 for r in rows if r.abs_log_error is not None]
            losses.append(float(np.mean(errs)) if errs else np.nan)
        loss = np.array(losses, dtype=float)
        if np.all(np.isnan(loss)):
            fitted[horizon] = {"kappa": None, "spread": None}
            continue
        near = np.flatnonzero(loss <= np.nanmin(loss) + 1e-12)
        kappa = float(KAPPA_GRID[near[np.argmin(np.abs(np.log(KAPPA_GRID[near])))]])
        spread = SPREAD_GRID[-1]
        for w in SPREAD_GRID:
            rows = _rerouted([r for e in episodes for r in ev.rows(e, horizon, kappa, w)])
            if np.mean([bool(r.inside) for r in rows]) >= TARGET_COVERAGE:
                spread = w
                break
        fitted[horizon] = {"kappa": kappa, "spread": spread}
    return fitted


def rows_at(ev: Evaluator, episode: str,
            fitted: Mapping[str, Mapping[str, float | None]]) -> list[Row]:
    """Return the episode's rows, each horizon's taken at that horizon's fitted values."""
    out = []
    for horizon in HORIZONS:
        f = fitted.get(horizon, {})
        out += ev.rows(episode, horizon, f.get("kappa") or 1.0, f.get("spread") or 1.0)
    return out


def summarise(rows: Sequence[Row]) -> dict[str, dict[str, float | int | None]]:
    """Return the 90%-band coverage and median absolute log error per metric of ``rows``."""
    out: dict[str, dict[str, float | int | None]] = {}
    for metric in ("rerouted_share", "unreplaced_loss"):
        scored = [r for r in rows if r.metric == metric and r.inside is not None]
        errs = [r.abs_log_error for r in scored if r.abs_log_error is not None]
        out[metric] = {
            "n": len(scored),
            "coverage_90": (sum(bool(r.inside) for r in scored) / len(scored)) if scored else None,
            "median_abs_log_error": float(np.median(errs)) if errs else None,
        }
    return out


@dataclass
class Calibration:
    """Result of the calibration: shipped (prior), leave-one-out and all-episode fits."""

    prior_rows: list[Row]
    loo_rows: list[Row]
    loo_fit: dict[str, dict[str, dict[str, float | None]]]
    fit_all: dict[str, dict[str, float | None]]
    prior: dict[str, dict[str, float | int | None]]
    loo: dict[str, dict[str, float | int | None]]
    in_sample: dict[str, dict[str, float | int | None]]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"fit_all_episodes": self.fit_all, "fit_leave_one_out": self.loo_fit,
                "prior": self.prior, "leave_one_out": self.loo, "in_sample": self.in_sample,
                "loo_rows": [r.to_dict() for r in self.loo_rows], "log_floor": LOG_FLOOR}


def calibrate(prepared: Sequence[PreparedEpisode], *, n_draws: int = 1000,
              seed: int = 42) -> Calibration:
    """Fit on all episodes, and on all but each one in turn (leave-one-out), and score."""
    ev = Evaluator(prepared, n_draws, seed)
    names = [p.episode.name for p in prepared]
    shipped: dict[str, dict[str, float | None]] = {h: {"kappa": 1.0, "spread": 1.0}
                                                   for h in HORIZONS}
    prior_rows = [r for e in names for r in rows_at(ev, e, shipped)]
    loo_rows: list[Row] = []
    loo_fit = {}
    for e in names:
        loo_fit[e] = fit(ev, [o for o in names if o != e])
        loo_rows += rows_at(ev, e, loo_fit[e])
    fit_all = fit(ev, names)
    in_sample = [r for e in names for r in rows_at(ev, e, fit_all)]
    return Calibration(prior_rows, loo_rows, loo_fit, fit_all, summarise(prior_rows),
                       summarise(loo_rows), summarise(in_sample))


def calibrated_parameters(base: Mapping[str, ParameterSpec], calibration: Calibration,
                          episodes: Sequence[str]) -> dict[str, ParameterSpec]:
    """Return the substitution parameters fitted on all ``episodes``, with their basis."""
    loo = calibration.loo["rerouted_share"]
    source = (f"geolever backtest calibration on the episodes {', '.join(episodes)}: per "
              "horizon one scale factor (fitted to the observed rerouted shares) and one "
              f"band widening; leave-one-out coverage of the 90% band {loo['coverage_90']}, "
              f"median absolute log error {loo['median_abs_log_error']}")
    kappa = {h: f["kappa"] for h, f in calibration.fit_all.items() if f["kappa"] is not None}
    spread = {h: calibration.fit_all[h]["spread"] or 1.0 for h in kappa}
    scaled = scale_parameters(base, {h: float(k) for h, k in kappa.items() if k is not None},
                              spread, source=source)
    return {n: scaled[n] for h in kappa for n in scaled_names(h) if n in scaled}
