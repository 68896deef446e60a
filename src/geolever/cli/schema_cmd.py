"""``geolever schema result|scenario|ge-spec``: JSON Schemas of result.json and input files."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from geolever.scenario import Scenario, result_schema
from geolever.scenario.ge_replication import ReplicationSpec


class SchemaName(StrEnum):
    """The documents whose schema is published."""

    result = "result"
    scenario = "scenario"
    ge_spec = "ge-spec"


def schema_command(
    name: Annotated[SchemaName, typer.Argument(help="result (result.json), scenario "
                                               "(scenario YAML / web body) or ge-spec "
                                               "(geolever ge --spec YAML)")],
) -> None:
    """Print the JSON Schema of result.json, a scenario or a GE replication spec."""
    if name is SchemaName.ge_spec:
        typer.echo(json.dumps(ReplicationSpec.model_json_schema(), indent=2))
        return
    schema = (result_schema() if name is SchemaName.result
              else Scenario.model_json_schema())
    typer.echo(json.dumps(schema, indent=2))
