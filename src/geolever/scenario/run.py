"""Run a scenario: load the case, assess its levers, evaluate its claims."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from geolever import __version__
from geolever.assessment import (
    CaseAssessment,
    LeverAssessment,
    VerdictScales,
    assess_levers,
    damage_rule,
    scales,
)
from geolever.claims import ClaimResult, evaluate_claim
from geolever.core.countries import country_name
from geolever.scenario.schema import Scenario
from geolever.store import FactStore
from geolever.world import open_case


class VerdictDefinitions(BaseModel):
    """The two verdict scales of the run (reference/verdict_scales.yaml), with rule texts."""

    scales: VerdictScales
    damage_rule: str = Field(..., description="The damage scale in one sentence")
    leverage_rule: str = Field(..., description="The leverage scale in one sentence")


def verdict_definitions() -> VerdictDefinitions:
    """Return the verdict scales and their one-sentence rules."""
    from geolever.assessment import leverage_rule

    return VerdictDefinitions(scales=scales(), damage_rule=damage_rule(),
                              leverage_rule=leverage_rule("weak leverage"))


class DatasetEntry(BaseModel):
    """A dataset loaded in the store for the run."""

    name: str
    kind: str
    origin: str
    facts: int


class ResultDocument(BaseModel):
    """result.json: the contract other tools read (schema: ``geolever schema result``)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    case: str = Field(..., description="Case pack name (or the pair, for a case built from "
                      "the store's datasets)")
    case_basis: str = Field("", description="How the case was built when not from a pack")
    title: str
    sender: str = Field(..., description="ISO3 code of the sender")
    sender_name: str
    target: str = Field(..., description="ISO3 code of the target")
    target_name: str
    year: int
    seed: int = Field(..., description="Monte Carlo seed")
    draws: int = Field(..., description="Monte Carlo draws")
    geolever_version: str
    levers: list[LeverAssessment]
    combined: LeverAssessment | None = Field(
        ..., description="All feasible levers together (None with fewer than two)")
    claims: list[dict[str, Any]] = Field(..., description="Claim checks (geolever.claims)")
    denominators: dict[str, dict[str, Any]] = Field(
        ..., description="Sourced quantities the shares are taken of")
    verdict_thresholds: VerdictDefinitions = Field(
        ..., description="The damage and leverage scales the verdicts use "
        "(reference/verdict_scales.yaml)")
    data: list[DatasetEntry]
    parameters: Scenario = Field(..., description="The scenario that was run")
    stand_ins: list[dict[str, Any]] = Field(
        default_factory=list, description="Values from an earlier year standing in for the "
        "case year (allow_earlier_year): label, year, stand_in_for, source")


@dataclass
class ScenarioResult:
    """The outcome of a scenario run: lever assessments and claim checks."""

    scenario: Scenario
    assessment: CaseAssessment
    claims: list[ClaimResult]

    def document(self) -> ResultDocument:
        """Return the typed result.json document."""
        case = self.assessment.case
        return ResultDocument(
            case=case.name,
            case_basis=str(case.meta.get("basis", "")),
            title=self.scenario.title or case.title,
            sender=case.sender, sender_name=country_name(case.sender),
            target=case.target, target_name=country_name(case.target),
            year=case.year, seed=self.assessment.seed, draws=self.assessment.n_draws,
            geolever_version=__version__,
            levers=self.assessment.levers, combined=self.assessment.combined,
            claims=[c.to_dict() for c in self.claims],
            denominators={k: q.to_dict() for k, q in self.assessment.denominators.items()},
            verdict_thresholds=verdict_definitions(),
            data=[DatasetEntry(name=str(r["name"]), kind=str(r["kind"]), origin=str(r["origin"]),
                               facts=int(r["facts"]))
                  for r in case.store.datasets().to_dict("records")],
            parameters=self.scenario,
            stand_ins=_stand_ins(case.used),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the result.json document as JSON-ready data."""
        return self.document().model_dump(mode="json", by_alias=True)


def result_schema() -> dict[str, Any]:
    """Return the JSON Schema of result.json (:class:`ResultDocument`, as serialised)."""
    return ResultDocument.model_json_schema(mode="serialization", by_alias=True)


def _stand_ins(used: list[Any]) -> list[dict[str, Any]]:
    """Values from an earlier year standing in for the case year, one per quantity."""
    seen: dict[str, dict[str, Any]] = {}
    for q in used:
        if q.stand_in_for is not None:
            seen.setdefault(q.label, {"label": q.label, "year": q.year,
                                      "stand_in_for": q.stand_in_for, "source": q.source})
    return list(seen.values())


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
    case = open_case(store, scenario.case, scenario.sender, scenario.target, scenario.year,
                     allow_earlier_year=scenario.allow_earlier_year)
    assessment = assess_levers(case, scenario.levers, n_draws=scenario.draws,
                               seed=scenario.seed, progress=progress)
    claims = []
    for spec in scenario.claims:
        claims.append(evaluate_claim(spec, case, assessment=assessment))
        if progress:
            progress(1)
    return ScenarioResult(scenario, assessment, claims)
