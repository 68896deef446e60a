"""Run a scenario: load the case, assess its levers, evaluate its claims."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from geolever import __version__
from geolever.assessment import (
    COSTLY_SENDER_FROM_PCT_GDP,
    EFFECTIVE_FROM_PCT_GDP,
    INEFFECTIVE_BELOW_PCT_GDP,
    CaseAssessment,
    assess_levers,
)
from geolever.claims import ClaimResult, evaluate_claim
from geolever.core.countries import country_name
from geolever.scenario.schema import Scenario
from geolever.store import FactStore
from geolever.world import load_case


@dataclass
class ScenarioResult:
    """The outcome of a scenario run: lever assessments and claim checks."""

    scenario: Scenario
    assessment: CaseAssessment
    claims: list[ClaimResult]

    def to_dict(self) -> dict[str, Any]:
        """Return the result.json document (the contract other tools read)."""
        case = self.assessment.case
        return {
            "case": case.name,
            "title": self.scenario.title or case.meta.get("title", case.name),
            "sender": case.sender,
            "sender_name": country_name(case.sender),
            "target": case.target,
            "target_name": country_name(case.target),
            "year": case.year,
            "seed": self.assessment.seed,
            "draws": self.assessment.n_draws,
            "geolever_version": __version__,
            "levers": [lever.to_dict() for lever in self.assessment.levers],
            "combined": (None if self.assessment.combined is None
                         else self.assessment.combined.to_dict()),
            "claims": [c.to_dict() for c in self.claims],
            "denominators": {k: q.to_dict() for k, q in self.assessment.denominators.items()},
            "verdict_thresholds": {
                "ineffective_below_pct_gdp": INEFFECTIVE_BELOW_PCT_GDP,
                "effective_from_pct_gdp": EFFECTIVE_FROM_PCT_GDP,
                "costly_sender_from_pct_gdp": COSTLY_SENDER_FROM_PCT_GDP,
            },
            "data": case.store.datasets()[["name", "kind", "origin", "facts"]].to_dict("records"),
            "parameters": self.scenario.model_dump(mode="json"),
        }


def run_scenario(scenario: Scenario, store: FactStore | None = None, *,
                 progress: Callable[[int], None] | None = None) -> ScenarioResult:
    """Assess every lever of ``scenario`` and evaluate its claims.

    Parameters
    ----------
    scenario
        A validated scenario.
    store
        Fact store to read (and load the case pack into); an in-memory one by default.
    progress
        Called with 1 after each lever and each claim.
    """
    store = store or FactStore(":memory:")
    case = load_case(store, scenario.case, year=scenario.year, sender=scenario.sender,
                     target=scenario.target)
    assessment = assess_levers(case, scenario.levers, n_draws=scenario.draws,
                               seed=scenario.seed, progress=progress)
    claims = []
    for spec in scenario.claims:
        claims.append(evaluate_claim(spec, case))
        if progress:
            progress(1)
    return ScenarioResult(scenario, assessment, claims)
