"""Set the assessment made as of the year before an episode beside what happened.

For each trade lever of an episode and each horizon (1 and 3 years) two quantities are
compared, both as shares of the pre-episode flow to the sender so that money and tonnes
score alike:

- **rerouted share**: how much of the exports the sender stopped buying went elsewhere,
  observed as ``(others(t) - others(base)) / (to_sender(base) - to_sender(t))`` where
  ``others = world - to_sender``; predicted by the substitution draws of the same effects
  the assessment reports (``routed around 1y/3y``);
- **unreplaced loss**: exports of the goods not sold to anyone, observed as
  ``(world(base) - world(t)) / to_sender(base)``; predicted as ``cut * (1 - rerouted)`` with
  the cut the lever makes (1 for an embargo), shown in US$ at the base-year flow.

Observed values carry no counterfactual trend (markets grew or shrank for other reasons
too); that is stated in every report.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from geolever.assessment import CaseAssessment, assess_levers
from geolever.backtest.episodes import HORIZONS, Episode
from geolever.core.errors import DataNotFoundError
from geolever.core.quantity import Quantity
from geolever.effects import compute_effects
from geolever.levers import Lever, compile_lever, lever_ids
from geolever.models.uncertainty import ParameterDraws, percentiles
from geolever.shocks import FlowCut, Shock
from geolever.store import FactStore
from geolever.world import Case
from geolever.world.case import ParameterSpec

Array = npt.NDArray[np.float64]

#: Metrics scored, in report order.
METRICS = ("rerouted_share", "unreplaced_loss")
#: Indicators an outcome may be stated in, preferred first.
OUTCOME_INDICATORS = ("exports", "exports_volume")
#: Floor for shares in the log error (a share of 0 has no logarithm).
LOG_FLOOR = 0.01


@dataclass(frozen=True)
class Observation:
    """What happened to one lever's goods by one outcome year.

    ``rerouted_share`` is None when the flow to the sender did not fall (nothing to
    reroute). ``facts`` are the four values used (sender and world, base and outcome year).
    """

    year: int
    indicator: str
    unit: str
    period: str
    cut_share: float
    rerouted_share: float | None
    unreplaced_loss: float
    facts: tuple[Quantity, ...]


@dataclass
class Row:
    """One scored comparison: a lever, a horizon, a metric."""

    episode: str
    lever: str
    label: str
    horizon: str
    year: int
    metric: str
    predicted: dict[str, float]
    observed: float | None
    inside: bool | None
    ratio: float | None
    abs_log_error: float | None
    scale_usd: float
    note: str = ""
    sources: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (shares as fractions; ``scale_usd`` turns them into US$)."""
        return {k: getattr(self, k) for k in (
            "episode", "lever", "label", "horizon", "year", "metric", "predicted", "observed",
            "inside", "ratio", "abs_log_error", "scale_usd", "note", "sources")}


def _flows(store: FactStore, indicator: str, exporter: str, partner: str,
           products: tuple[str, ...], year: int) -> tuple[float, str, str, list[Quantity]]:
    """Sum of ``products`` exported by ``exporter`` to ``partner`` in ``year`` (one unit/period)."""
    found = [store.get(indicator, exporter, year, partner=partner, product=p, allow_partial=True)
             for p in products]
    units = {q.unit for q in found}
    periods = {q.period for q in found}
    if len(units) > 1 or len(periods) > 1:
        raise DataNotFoundError(f"{indicator} of {', '.join(products)} mix units or periods",
                                field="outcomes.csv", fix="state every good in one unit")
    return float(sum(q.value for q in found)), units.pop(), periods.pop(), found


def observe(store: FactStore, target: str, sender: str, products: tuple[str, ...],
            base_year: int, year: int) -> Observation | None:
    """Return the observed outcome of cutting ``products`` by ``year`` (None without data).

    The first indicator of :data:`OUTCOME_INDICATORS` with the target's exports to the
    sender and to the world in both years, in one unit and one period, is used.
    """
    for indicator in OUTCOME_INDICATORS:
        try:
            s_b, unit, period, f1 = _flows(store, indicator, target, sender, products, base_year)
            w_b, unit2, period2, f2 = _flows(store, indicator, target, "WLD", products, base_year)
            s_t, unit3, period3, f3 = _flows(store, indicator, target, sender, products, year)
            w_t, unit4, period4, f4 = _flows(store, indicator, target, "WLD", products, year)
        except DataNotFoundError:
            continue
        if len({unit, unit2, unit3, unit4}) > 1 or len({period, period2, period3, period4}) > 1:
            continue
        if s_b <= 0:
            continue
        lost = s_b - s_t
        gained = (w_t - s_t) - (w_b - s_b)
        return Observation(
            year=year, indicator=indicator, unit=unit, period=period,
            cut_share=lost / s_b,
            rerouted_share=gained / lost if lost > 0 else None,
            unreplaced_loss=(w_b - w_t) / s_b,
            facts=tuple(f1 + f2 + f3 + f4))
    return None


@dataclass
class PreparedEpisode:
    """An episode's case and compiled shocks (compiled once, re-evaluated per parameter set)."""

    episode: Episode
    case: Case
    levers: list[Lever]
    shocks: dict[str, Shock]
    observations: dict[tuple[str, str], Observation | None]
    notes: dict[str, str]


def _scored_goods(shock: Shock, episode: Episode) -> tuple[str, ...] | None:
    """Goods whose exports from the target to the sender the shock cuts (None: not scored).

    The backtest scores any lever that compiles into cutting the target's goods exports to
    the sender, whatever its kind: the observations are those exports.
    """
    if not isinstance(shock, FlowCut) or not shock.flows:
        return None
    if any(f.channel != "goods" or f.origin != episode.target or f.destination != episode.sender
           for f in shock.flows):
        return None
    return tuple(dict.fromkeys(f.product for f in shock.flows))


def prepare(episode: Episode) -> PreparedEpisode:
    """Load the episode's facts, compile its levers and read the observations for them."""
    case = episode.case(FactStore(":memory:"))
    outcomes = episode.outcome_store()
    levers = list(episode.scenario.levers)
    shocks: dict[str, Shock] = {}
    observations: dict[tuple[str, str], Observation | None] = {}
    notes: dict[str, str] = {}
    for lid, lever in zip(lever_ids(levers), levers, strict=True):
        try:
            shock = compile_lever(lever, case)
        except DataNotFoundError as err:
            notes[lid] = f"not assessable as of {episode.base_year}: {err.message}"
            continue
        goods = _scored_goods(shock, episode)
        if goods is None:
            notes[lid] = ("not scored: the backtest scores levers that cut the target's goods "
                          "exports to the sender (observed in outcomes.csv)")
            continue
        shocks[lid] = shock
        for horizon, year in episode.horizon_years().items():
            observations[(lid, horizon)] = observe(
                outcomes, episode.target, episode.sender, goods, episode.base_year, year)
    return PreparedEpisode(episode, case, levers, shocks, observations, notes)


def predict(prep: PreparedEpisode, parameters: Mapping[str, ParameterSpec], n_draws: int,
            seed: int) -> dict[tuple[str, str], dict[str, Array]]:
    """Per lever and horizon, draws of the predicted rerouted share and unreplaced loss.

    The draws come from :func:`geolever.effects.compute_effects` on the compiled shock,
    with the parameters given (the episode's own, or calibrated ones).
    """
    draws = ParameterDraws(parameters, n_draws, seed)
    out: dict[tuple[str, str], dict[str, Array]] = {}
    for lid, shock in prep.shocks.items():
        eff = compute_effects(shock, prep.case, draws, key=lid)
        for horizon in HORIZONS:
            sub = eff.substitution_1y if horizon == "1y" else eff.substitution_3y
            if sub is None:
                continue
            # An embargo cuts the whole flow; the substitution share applies to what is cut.
            out[(lid, horizon)] = {"rerouted_share": sub, "unreplaced_loss": 1.0 - sub,
                                   "scale_usd": np.full(1, eff.value_at_risk_usd)}
    return out


def _score(pred: Array, observed: float | None) -> tuple[bool | None, float | None, float | None]:
    if observed is None:
        return None, None, None
    band = percentiles(pred)
    inside = band["p5"] <= observed <= band["p95"]
    ratio = band["p50"] / observed if observed > 0 else None
    err = abs(float(np.log(max(band["p50"], LOG_FLOOR) / max(observed, LOG_FLOOR))))
    return bool(inside), ratio, err


def score(prep: PreparedEpisode, predictions: dict[tuple[str, str], dict[str, Array]],
          labels: Mapping[str, str] | None = None) -> list[Row]:
    """Rows comparing predictions with the observations (None where nothing was observed)."""
    rows = []
    years = prep.episode.horizon_years()
    for (lid, horizon), pred in predictions.items():
        obs = prep.observations.get((lid, horizon))
        scale = float(pred["scale_usd"][0])
        for metric in METRICS:
            value = None if obs is None else getattr(obs, metric)
            inside, ratio, err = _score(pred[metric], value)
            if obs is None:
                note = ("not observed: outcomes.csv lacks the exports to the sender or to the "
                        "world for this year (in the base year's indicator, unit and period)")
            else:
                note = (f"observed in {obs.indicator} ({obs.unit}, {obs.period}); the flow to "
                        f"{prep.episode.sender} fell by {obs.cut_share:.0%}")
                if metric == "rerouted_share" and value is None:
                    note += "; nothing to reroute (the flow to the sender did not fall)"
            rows.append(Row(
                episode=prep.episode.name, lever=lid, label=(labels or {}).get(lid, lid),
                horizon=horizon, year=years[horizon], metric=metric,
                predicted=percentiles(pred[metric]), observed=value, inside=inside,
                ratio=ratio, abs_log_error=err, scale_usd=scale, note=note,
                sources=[] if obs is None else sorted({q.cite() for q in obs.facts})))
    return rows


@dataclass
class EpisodeResult:
    """The backtest of one episode: the assessment as of the base year and the scored rows."""

    episode: Episode
    assessment: CaseAssessment
    rows: list[Row]
    notes: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (lever verdicts from the assessment, scored rows, episode info)."""
        ep = self.episode
        return {
            "episode": ep.name, "title": ep.meta.get("title", ep.name),
            "sender": ep.sender, "target": ep.target, "base_year": ep.base_year,
            "horizons": ep.horizon_years(),
            # YAML dates (announced: 2006-03-27) become ISO strings in JSON.
            "info": json.loads(json.dumps(ep.info, default=str)),
            "levers": [{"id": la.id, "label": la.label, "verdict": la.verdict,
                        "target_loss_usd": la.target_loss_usd.to_dict(),
                        "target_loss_pct_gdp": la.target_loss_pct_gdp.to_dict(),
                        "flow_at_risk_usd": la.flow_at_risk_usd}
                       for la in self.assessment.levers],
            "rows": [r.to_dict() for r in self.rows],
            "notes": self.notes,
        }


def run_episode(episode: Episode, *, parameters: Mapping[str, ParameterSpec] | None = None,
                n_draws: int | None = None, seed: int | None = None,
                prepared: PreparedEpisode | None = None) -> EpisodeResult:
    """Assess ``episode`` as of its base year and score it against its outcomes.

    Parameters
    ----------
    episode
        From :func:`geolever.backtest.read_episode`.
    parameters
        Parameter set to use instead of the episode's (e.g. calibrated on other episodes).
    n_draws, seed
        Monte Carlo settings; the scenario's by default.
    prepared
        A :func:`prepare` result to reuse.
    """
    prep = prepared or prepare(episode)
    params = dict(parameters if parameters is not None else episode.parameters)
    prep.case.parameters = params
    n = n_draws or episode.scenario.draws
    s = episode.scenario.seed if seed is None else seed
    assessment = assess_levers(prep.case, prep.levers, n_draws=n, seed=s)
    labels = {la.id: la.label for la in assessment.levers}
    rows = score(prep, predict(prep, params, n, s), labels)
    return EpisodeResult(episode, assessment, rows, prep.notes)
