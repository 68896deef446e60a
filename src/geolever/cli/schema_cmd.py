"""``geolever schema result|scenario|ge-spec|pack|...``: JSON Schemas of result.json and inputs.

The case pack's files: ``pack`` (pack.yaml), ``infrastructure`` (infrastructure.yaml) and
``parameters`` (parameters.yaml), the models the pack reader validates them with.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from pydantic import BaseModel

from geolever.core.pack_schema import Infrastructure, PackMeta, ParametersFile


class SchemaName(StrEnum):
    """The documents whose schema is published."""

    result = "result"
    scenario = "scenario"
    ge_spec = "ge-spec"
    pack = "pack"
    infrastructure = "infrastructure"
    parameters = "parameters"


def _models() -> dict[SchemaName, type[BaseModel]]:
    """Return the models of the input files whose schema is a model's own.

    The scenario's models import the assessment (scipy): they are read when the command runs.
    """
    from geolever.scenario import Scenario
    from geolever.scenario.ge_replication import ReplicationSpec

    return {SchemaName.scenario: Scenario, SchemaName.ge_spec: ReplicationSpec,
            SchemaName.pack: PackMeta, SchemaName.infrastructure: Infrastructure,
            SchemaName.parameters: ParametersFile}


def schema_command(
    name: Annotated[SchemaName, typer.Argument(help="result (result.json), scenario "
                                               "(scenario YAML / web body), ge-spec "
                                               "(geolever ge --spec YAML), or a case pack's "
                                               "pack, infrastructure or parameters YAML")],
) -> None:
    """Print the JSON Schema of result.json, a scenario, a GE spec or a case pack's file."""
    from geolever.scenario import result_schema

    schema = result_schema() if name is SchemaName.result else _models()[name].model_json_schema()
    typer.echo(json.dumps(schema, indent=2))
