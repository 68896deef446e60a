"""``geolever schema result|scenario``: the JSON Schemas of result.json and scenario files."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from geolever.scenario import Scenario, result_schema


class SchemaName(StrEnum):
    """The documents whose schema is published."""

    result = "result"
    scenario = "scenario"


def schema_command(
    name: Annotated[SchemaName, typer.Argument(help="result (result.json) or scenario "
                                               "(scenario YAML / web body)")],
) -> None:
    """Print the JSON Schema of result.json or of a scenario (generated from the models)."""
    schema = (result_schema() if name is SchemaName.result
              else Scenario.model_json_schema())
    typer.echo(json.dumps(schema, indent=2))
