"""Fit the substitution parameters to the episodes and score the fit by leave-one-out.

The substitution model (``models.substitution.calc_replaceable_share``) takes, per horizon,
the attainable growth of sales to existing partners ``g`` (``existing_partner_growth_*``)
and the share of the lost flow placed with new partners ``n`` (``new_market_share_*``, one
for specific and one for commodity goods). The calibration keeps the shipped shapes
(horizons and goods relative to each other) and fits three numbers: a scale factor for all
``g`` (``kappa_growth``), one for all ``n`` (``kappa_new``), both by the least mean squared
log error of the predicted median rerouted share against the observed ones, and a band
widening (``spread``), the smallest that covers 90% of the training observations. Three
numbers are what a handful of episodes can identify. Leave-one-out scores each episode
with the values fitted on the others only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from geolever.backtest.compare import LOG_FLOOR, PreparedEpisode, Row, predict, score
from geolever.backtest.episodes import HORIZONS
from geolever.world.case import ParameterSpec

#: Scale factors tried for g and n (log-spaced, with 1 = the shipped parameters).
KAPPA_GRID = np.unique(np.concatenate([np.geomspace(0.05, 4.0, 15), [1.0]]))
#: Band widening factors tried (1 = the shipped spread around the mode).
SPREAD_GRID = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0)
#: Coverage the widening aims for on the training episodes.
TARGET_COVERAGE = 0.9
#: What a fit holds: scale of g, scale of n, band widening.
FIT_KEYS = ("kappa_growth", "kappa_new", "spread")


def _family(name: str) -> str | None:
    """Return 'growth' or 'new' for the substitution parameters, None for the others."""
    if any(name == f"existing_partner_growth_{h}" for h in HORIZONS):
        return "growth"
    if any(name == f"new_market_share_{m}_{h}" for m in ("specific", "commodity")
           for h in HORIZONS):
        return "new"
    return None


def scale_parameters(params: Mapping[str, ParameterSpec], kappa_growth: float = 1.0,
                     kappa_new: float = 1.0, spread: float = 1.0, *,
                     source: str = "") -> dict[str, ParameterSpec]:
    """Return ``params`` with the substitution parameters scaled and their bands widened.

    Low, mode and high of every ``existing_partner_growth_*`` are multiplied by
    ``kappa_growth`` and of every ``new_market_share_*`` by ``kappa_new``; then low and high
    move away from the mode by the factor ``spread`` (1 keeps the shape). Values stay within
    [0, cap], cap 1 for the shares. With ``source``, the scaled parameters are labelled
    ``sourced`` with that source.
    """
    out = dict(params)
    for name, spec in params.items():
        family = _family(name)
        if family is None:
            continue
        k = kappa_growth if family == "growth" else kappa_new
        cap = 1.0 if family == "new" else np.inf
        mode = spec.central * k
        low = max(0.0, mode - spread * (mode - spec.low * k))
        high = mode + spread * (spec.high * k - mode)
        updates: dict[str, Any] = {
            "low": float(min(low, cap)), "high": float(min(high, cap)),
            "mode": None if spec.mode is None else float(min(mode, cap))}
        if source:  # a data file for people: 4 significant digits are plenty
            updates.update({k: None if v is None else float(f"{v:.4g}")
                            for k, v in updates.items()})
            updates.update(basis="sourced", source=source,
                           rationale=f"shipped {spec.low:g}/{spec.central:g}/{spec.high:g} "
                           f"scaled by {k:.3g}, band widened x{spread:g}. " + spec.rationale)
        out[name] = spec.model_copy(update=updates)
    return out


class Evaluator:
    """Scored rows of each episode under a parameter scaling, computed once and cached."""

    def __init__(self, prepared: Sequence[PreparedEpisode], n_draws: int, seed: int,
                 progress: Callable[[int], None] | None = None):
        self.prepared = {p.episode.name: p for p in prepared}
        self.n_draws, self.seed = n_draws, seed
        self.progress = progress
        self._cache: dict[tuple[str, float, float, float], list[Row]] = {}

    def rows(self, episode: str, kappa_growth: float = 1.0, kappa_new: float = 1.0,
             spread: float = 1.0) -> list[Row]:
        """Return the scored rows of ``episode`` under this scaling."""
        key = (episode, float(kappa_growth), float(kappa_new), float(spread))
        if key not in self._cache:
            prep = self.prepared[episode]
            params = scale_parameters(prep.episode.parameters, kappa_growth, kappa_new, spread)
            self._cache[key] = score(prep, predict(prep, params, self.n_draws, self.seed))
            if self.progress:
                self.progress(1)
        return self._cache[key]

    def fitted_rows(self, episode: str, fitted: Mapping[str, float]) -> list[Row]:
        """Return the rows of ``episode`` under a fit (see :func:`fit`)."""
        return self.rows(episode, *(fitted[k] for k in FIT_KEYS))


def _rerouted(rows: Sequence[Row]) -> list[Row]:
    return [r for r in rows if r.metric == "rerouted_share" and r.inside is not None]


def fit(ev: Evaluator, episodes: Sequence[str]) -> dict[str, float]:
    """Return kappa_growth, kappa_new and spread fitted on the rerouted shares of ``episodes``.

    The kappas minimise the mean squared log error of the median (ties: closest to 1, the
    shipped values); the spread is the smallest of :data:`SPREAD_GRID` whose 90% bands cover
    at least :data:`TARGET_COVERAGE` of those observations (the largest if none does).
    Without observations the shipped values stand (1, 1, 1).
    """
    candidates = []
    for kg in KAPPA_GRID:
        for kn in KAPPA_GRID:
            rows = _rerouted([r for e in episodes for r in ev.rows(e, float(kg), float(kn))])
            errs = [r.abs_log_error ** 2 for r in rows if r.abs_log_error is not None]
            if errs:
                distance = abs(np.log(kg)) + abs(np.log(kn))
                candidates.append((round(float(np.mean(errs)), 10), distance, kg, kn))
    if not candidates:
        return {"kappa_growth": 1.0, "kappa_new": 1.0, "spread": 1.0}
    _, _, kg, kn = min(candidates)
    spread = SPREAD_GRID[-1]
    for w in SPREAD_GRID:
        rows = _rerouted([r for e in episodes for r in ev.rows(e, kg, kn, w)])
        if np.mean([bool(r.inside) for r in rows]) >= TARGET_COVERAGE:
            spread = w
            break
    return {"kappa_growth": float(kg), "kappa_new": float(kn), "spread": spread}


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
    loo_fit: dict[str, dict[str, float]]
    fit_all: dict[str, float]
    prior: dict[str, dict[str, float | int | None]]
    loo: dict[str, dict[str, float | int | None]]
    in_sample: dict[str, dict[str, float | int | None]]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"fit_all_episodes": self.fit_all, "fit_leave_one_out": self.loo_fit,
                "prior": self.prior, "leave_one_out": self.loo, "in_sample": self.in_sample,
                "loo_rows": [r.to_dict() for r in self.loo_rows], "log_floor": LOG_FLOOR}


def evaluations(n_episodes: int) -> int:
    """Return how many effects evaluations :func:`calibrate` makes at most (for progress)."""
    return n_episodes * (len(KAPPA_GRID) ** 2 + len(SPREAD_GRID) * (n_episodes + 1))


def calibrate(prepared: Sequence[PreparedEpisode], *, n_draws: int = 1000, seed: int = 42,
              progress: Callable[[int], None] | None = None) -> Calibration:
    """Fit on all episodes, and on all but each one in turn (leave-one-out), and score.

    ``progress`` is called with 1 after each new effects evaluation (at most
    :func:`evaluations` of them).
    """
    ev = Evaluator(prepared, n_draws, seed, progress)
    names = [p.episode.name for p in prepared]
    prior_rows = [r for e in names for r in ev.rows(e)]
    loo_rows: list[Row] = []
    loo_fit = {}
    for e in names:
        loo_fit[e] = fit(ev, [o for o in names if o != e])
        loo_rows += ev.fitted_rows(e, loo_fit[e])
    fit_all = fit(ev, names)
    in_sample = [r for e in names for r in ev.fitted_rows(e, fit_all)]
    return Calibration(prior_rows, loo_rows, loo_fit, fit_all, summarise(prior_rows),
                       summarise(loo_rows), summarise(in_sample))


def calibrated_parameters(base: Mapping[str, ParameterSpec], calibration: Calibration,
                          episodes: Sequence[str]) -> dict[str, ParameterSpec]:
    """Return the substitution parameters fitted on all ``episodes``, with their basis."""
    loo = calibration.loo["rerouted_share"]
    f = calibration.fit_all
    cov, err = loo["coverage_90"], loo["median_abs_log_error"]
    source = (f"geolever backtest calibration on the episodes {', '.join(episodes)}: scale of "
              f"g {f['kappa_growth']:.3g}, scale of n {f['kappa_new']:.3g}, band widening "
              f"x{f['spread']:g}, fitted to {loo['n']} observed rerouted shares; "
              "leave-one-out coverage of the 90% band "
              + ("n/a" if cov is None else f"{cov:.0%}") + ", median absolute log error "
              + ("n/a" if err is None else f"{err:.2f}"))
    scaled = scale_parameters(base, f["kappa_growth"], f["kappa_new"], f["spread"],
                              source=source)
    return {n: s for n, s in scaled.items() if _family(n) is not None}
