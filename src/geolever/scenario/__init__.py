"""Scenarios: one schema (YAML files, CLI, web API) and the runner that assesses them."""

from geolever.scenario.run import ScenarioResult, run_scenario
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
    "Scenario",
    "ScenarioResult",
    "load_scenario",
    "parse_scenario",
    "run_scenario",
]
