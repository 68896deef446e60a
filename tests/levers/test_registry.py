"""The lever registry: kinds found in levers/kinds/ feed the schema, tables and error texts."""

import pytest
from pydantic import TypeAdapter, ValidationError

from geolever.core.errors import ScenarioError
from geolever.levers import LeverKind, kind_names, kind_table, lever_kinds, lever_union
from geolever.levers.kinds.trade_restriction import InputOutput, TradeRestriction
from geolever.scenario import parse_scenario


def test_every_module_in_kinds_is_registered_once():
    from importlib import resources

    modules = {p.name.removesuffix(".py") for p in
               resources.files("geolever.levers.kinds").iterdir()
               if p.name.endswith(".py") and p.name != "__init__.py"}
    kinds = lever_kinds()
    assert set(kinds) == modules  # one kind per file, named like the file
    assert all(issubclass(cls, LeverKind) for cls in kinds.values())


def test_union_and_tables_come_from_the_registry():
    adapter = TypeAdapter(lever_union())
    for kind in lever_kinds():
        assert kind in kind_names()
    assert [e["kind"] for e in kind_table()] == list(lever_kinds())
    lever = adapter.validate_python({"kind": "remittance_ban", "share": 0.5})
    assert type(lever) is lever_kinds()["remittance_ban"]
    with pytest.raises(ValidationError):
        adapter.validate_python({"kind": "nuclear_option"})


def test_unknown_kind_error_lists_the_registered_kinds():
    with pytest.raises(ScenarioError) as info:
        parse_scenario({"sender": "RUS", "target": "AZE", "levers": [{"kind": "nope"}]})
    assert info.value.fix == f"kind must be one of {kind_names()}"
    assert "levers[0]" in str(info.value.field)


def test_trade_model_is_one_typed_choice_and_the_flat_spelling_still_reads():
    nested = TradeRestriction(goods=["food"], model={"name": "io", "table": "wiod2013",
                                                     "year": 2008})
    flat = TradeRestriction.model_validate({"goods": ["food"], "model": "io",
                                            "io_table": "wiod2013", "io_year": 2008})
    assert nested == flat and flat.model == InputOutput(table="wiod2013", year=2008)
    assert TradeRestriction(goods=["food"]).model.name == "pe"
    assert TradeRestriction(goods=["food"], model="ge").model.name == "ge"
    with pytest.raises(ValidationError, match="only apply to model: io"):
        TradeRestriction.model_validate({"goods": ["food"], "io_year": 2008})
    with pytest.raises(ValidationError):
        TradeRestriction.model_validate({"goods": ["food"], "model": {"name": "cge"}})


def test_kind_table_defaults_are_json_ready():
    import json

    trade = next(e for e in kind_table() if e["kind"] == "trade_restriction")
    model = next(p for p in trade["parameters"] if p["name"] == "model")
    assert model["default"] == {"name": "pe"}
    json.dumps(kind_table())
