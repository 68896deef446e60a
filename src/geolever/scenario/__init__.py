"""Scenarios: one schema (YAML files, CLI, web API) and the runner that assesses them."""

from geolever.scenario.run import (
    ResultDocument,
    ScenarioResult,
    result_schema,
    run_scenario,
    standard_levers,
)
from geolever.scenario.schema import (
    MAX_DRAWS,
    MAX_LEVERS,
    Scenario,
    load_scenario,
    parse_scenario,
)

__all__ = [
    "MAX_DRAWS",
    "MAX_LEVERS",
    "ResultDocument",
    "Scenario",
    "ScenarioResult",
    "load_scenario",
    "parse_scenario",
    "result_schema",
    "run_scenario",
    "standard_levers",
]
