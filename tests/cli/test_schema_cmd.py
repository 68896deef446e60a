"""``geolever schema``: the published JSON Schemas are valid JSON from the models."""

import json

from typer.testing import CliRunner

from geolever.cli import app
from geolever.scenario import Scenario, result_schema


def test_schema_result_and_scenario_print_the_models_schemas():
    runner = CliRunner()
    out = runner.invoke(app, ["schema", "result"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output) == result_schema()
    out = runner.invoke(app, ["schema", "scenario"])
    assert out.exit_code == 0 and json.loads(out.output) == Scenario.model_json_schema()
    bad = runner.invoke(app, ["schema", "nope"])
    assert bad.exit_code == 2


def test_schema_of_the_case_pack_files_are_the_readers_models():
    from geolever.core.pack_schema import Infrastructure, PackMeta, ParametersFile

    runner = CliRunner()
    for name, model in (("pack", PackMeta), ("infrastructure", Infrastructure),
                        ("parameters", ParametersFile)):
        out = runner.invoke(app, ["schema", name])
        assert out.exit_code == 0 and json.loads(out.output) == model.model_json_schema()
    edge = Infrastructure.model_json_schema()["$defs"]["EdgeSpec"]
    assert "from" in edge["required"] and "source" not in edge["properties"]
