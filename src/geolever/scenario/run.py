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
    Source,
    VerdictScales,
    assess_levers,
    damage_rule,
    scales,
)
from geolever.assessment.answer import Answer
from geolever.assessment.balance import (
    BalanceAssessment,
    BalanceSummary,
    Side,
    assess_balance,
    one_direction_answer,
    side_of,
)
from geolever.claims import ClaimResult, evaluate_claim
from geolever.core.countries import country_name
from geolever.core.errors import DataNotFoundError
from geolever.core.quantity import Quantity
from geolever.levers import Lever
from geolever.scenario.schema import Scenario
from geolever.store import FactStore
from geolever.world import open_case
from geolever.world.case import pack_for_pair


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


class DirectionResult(BaseModel):
    """One direction of a balance run: who pulls the levers on whom, and the results."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    sender: str = Field(..., description="ISO3 code of the side pulling these levers")
    sender_name: str
    target: str = Field(..., description="ISO3 code of the side they act on")
    target_name: str
    levers: list[LeverAssessment]
    combined: LeverAssessment | None = Field(
        ..., description="All feasible levers of this direction together (None with fewer "
        "than two)")
    side: Side = Field(..., description="The direction's headline: largest feasible damage "
                       "and own cost")
    denominators: dict[str, Source] = Field(
        ..., description="Sourced quantities this direction's shares are taken of")


class DatasetEntry(BaseModel):
    """A dataset loaded in the store for the run."""

    name: str
    kind: str
    origin: str
    facts: int


class StandIn(BaseModel):
    """A value from an earlier year standing in for the case year (allow_earlier_year)."""

    label: str = Field(..., description="What the value is")
    year: int = Field(..., description="The year of the value used")
    stand_in_for: int = Field(..., description="The year asked for")
    source: str


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
    denominators: dict[str, Source] = Field(
        ..., description="Sourced quantities the shares are taken of")
    verdict_thresholds: VerdictDefinitions = Field(
        ..., description="The damage and leverage scales the verdicts use "
        "(reference/verdict_scales.yaml)")
    data: list[DatasetEntry]
    parameters: Scenario = Field(..., description="The scenario that was run")
    stand_ins: list[StandIn] = Field(
        default_factory=list, description="Values from an earlier year standing in for the "
        "case year (allow_earlier_year), one per quantity")
    answer: Answer | None = Field(
        None, description="The one-paragraph answer: who holds more leverage over whom, at "
        "what cost to each, how certain (assessment/answer.py), with the numbers it uses")
    directions: list[DirectionResult] = Field(
        default_factory=list, description="With directions: both, [sender -> target, "
        "target -> sender], each with its levers and combined row; empty otherwise (the "
        "top-level levers are the sender's)")
    balance: BalanceSummary | None = Field(
        None, description="With directions: both, the two sides next to each other and the "
        "escalation")

    def to_dict(self) -> dict[str, Any]:
        """Return result.json as JSON-ready data (the aliases its schema names)."""
        return self.model_dump(mode="json", by_alias=True)


@dataclass
class ScenarioResult:
    """The outcome of a scenario run: lever assessments and claim checks."""

    scenario: Scenario
    assessment: CaseAssessment
    claims: list[ClaimResult]
    balance: BalanceAssessment | None = None

    def document(self) -> ResultDocument:
        """Return the typed result.json document."""
        case = self.assessment.case
        directions = []
        if self.balance is not None:
            directions = [_direction(ca) for ca in (self.balance.forward,
                                                   self.balance.reverse)]
        used = list(case.used) + (list(self.balance.reverse.case.used)
                                  if self.balance is not None else [])
        return ResultDocument(
            case=case.name,
            case_basis=case.meta.basis,
            title=self.scenario.title or case.title,
            sender=case.sender, sender_name=country_name(case.sender),
            target=case.target, target_name=country_name(case.target),
            year=case.year, seed=self.assessment.seed, draws=self.assessment.n_draws,
            geolever_version=__version__,
            levers=self.assessment.levers, combined=self.assessment.combined,
            claims=[c.to_dict() for c in self.claims],
            denominators={k: Source.of(q) for k, q in self.assessment.denominators.items()},
            verdict_thresholds=verdict_definitions(),
            data=[DatasetEntry(name=str(r["name"]), kind=str(r["kind"]), origin=str(r["origin"]),
                               facts=int(r["facts"]))
                  for r in case.store.datasets().to_dict("records")],
            parameters=self.scenario,
            stand_ins=_stand_ins(used),
            answer=(self.balance.answer if self.balance is not None
                    else one_direction_answer(self.assessment)),
            directions=directions,
            balance=None if self.balance is None else self.balance.summary,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the result.json document as JSON-ready data."""
        return self.document().to_dict()


def _direction(ca: CaseAssessment) -> DirectionResult:
    c = ca.case
    return DirectionResult(
        sender=c.sender, sender_name=country_name(c.sender), target=c.target,
        target_name=country_name(c.target), levers=ca.levers, combined=ca.combined,
        side=side_of(ca), denominators={k: Source.of(q) for k, q in ca.denominators.items()})


def standard_levers(sender: str, target: str) -> list[Lever]:
    """Return the levers every pair's standard datasets can assess (counter-levers by default).

    A ban on remittances from migrants in ``sender`` to ``target`` (KNOMAD/WDI), the sender
    stopping all imports of the target's goods and all its exports to it (DOTS totals,
    BACI). Missing data make one of them "not assessable", naming the import that supplies
    it. Labels name the pair.
    """
    from pydantic import TypeAdapter

    s, t = country_name(sender), country_name(target)
    adapter: TypeAdapter[Lever] = TypeAdapter(Lever)
    return [adapter.validate_python(x) for x in (
        {"kind": "remittance_ban", "id": "remittances",
         "label": f"{s} bans remittances from migrants in {s} to {t}"},
        {"kind": "trade_restriction", "id": "all_imports", "goods": ["TOTAL"],
         "direction": "imports", "label": f"{s} stops buying {t}'s goods"},
        {"kind": "trade_restriction", "id": "all_exports", "goods": ["TOTAL"],
         "direction": "exports", "label": f"{s} stops selling goods to {t}"},
    )]


def counter_levers(scenario: Scenario) -> list[Lever]:
    """Return the target's counter-levers of a scenario: its own, else the standard levers."""
    return list(scenario.counter_levers) or standard_levers(scenario.target, scenario.sender)


def result_schema() -> dict[str, Any]:
    """Return the JSON Schema of result.json (:class:`ResultDocument`, as serialised)."""
    return ResultDocument.model_json_schema(mode="serialization", by_alias=True)


def _stand_ins(used: list[Quantity]) -> list[StandIn]:
    """Values from an earlier year standing in for the case year, one per quantity."""
    seen: dict[str, StandIn] = {}
    for q in used:
        if q.stand_in_for is not None:
            seen.setdefault(q.label, StandIn(label=q.label, year=q.year,
                                             stand_in_for=q.stand_in_for, source=q.source))
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
    name = scenario.case
    if name is None and scenario.directions == "both":
        name = pack_for_pair(scenario.sender, scenario.target)  # both directions, one pack
    case = open_case(store, name, scenario.sender, scenario.target, scenario.year,
                     allow_earlier_year=scenario.allow_earlier_year)
    assessment = assess_levers(case, scenario.levers, n_draws=scenario.draws,
                               seed=scenario.seed, progress=progress)
    balance = None
    if scenario.directions == "both":
        reverse_case = open_case(store, name, scenario.target, scenario.sender, case.year,
                                 allow_earlier_year=scenario.allow_earlier_year)
        reverse = assess_levers(reverse_case, counter_levers(scenario),
                                n_draws=scenario.draws, seed=scenario.seed, progress=progress)
        if all(r.verdict == "not assessable" for r in [*assessment.levers, *reverse.levers]):
            raise DataNotFoundError(
                f"no lever of either direction has data for {scenario.sender} and "
                f"{scenario.target} in {case.year}", field="year",
                fix="choose a year the store's datasets cover (DOTS totals end in 2020, "
                "KNOMAD is 2021 and 2017), allow an earlier year (--allow-earlier-year), or "
                "import the datasets (geolever data import)")
        balance = assess_balance(assessment, reverse)
    claims = []
    for spec in scenario.claims:
        claims.append(evaluate_claim(spec, case, assessment=assessment))
        if progress:
            progress(1)
    return ScenarioResult(scenario, assessment, claims, balance)
