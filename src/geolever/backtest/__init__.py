"""Backtest: how geolever's assessments, made as of the year before, held up against history.

An episode (a past use of a lever) is assessed on the figures of the year before the measure
and its predictions are set beside what happened 1 and 3 years later; the substitution
parameters can be fitted to the episodes and scored by leave-one-out.
"""

from geolever.backtest.compare import (
    METRICS,
    EpisodeResult,
    Observation,
    Row,
    observe,
    prepare,
    run_episode,
)
from geolever.backtest.episodes import Episode, read_episode, shipped_episodes

__all__ = [
    "METRICS",
    "Episode",
    "EpisodeResult",
    "Observation",
    "Row",
    "observe",
    "prepare",
    "read_episode",
    "run_episode",
    "shipped_episodes",
]
