"""Hypothesis fuzzing (issue 14): the scenario schema, the readers and the text checker
either accept their input or raise one GeoleverError; never any other exception."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geolever.claims import check_text
from geolever.core.errors import GeoleverError
from geolever.core.inputs import load_yaml
from geolever.scenario import parse_scenario
from geolever.sources.gravity_data import read_gravity
from geolever.sources.packs import read_facts_file
from geolever.sources.wdi import read_wdi_csv
from geolever.store import FactStore

FUZZ = settings(max_examples=30, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=20,
)
lever = st.fixed_dictionaries(
    {"kind": st.sampled_from(["remittance_ban", "trade_restriction", "transit_block",
                              "corridor_exclusion", "expert_judgement", "nuke"])},
    optional={"id": st.text(max_size=70), "share": json_values, "goods": json_values,
              "tariff_pct": json_values, "measure": json_values, "alternative_to": json_values,
              "asset": json_values, "label": st.text(max_size=20)})
scenario = st.fixed_dictionaries(
    {"sender": st.sampled_from(["RUS", "AZE", "ZZZ", "", "rus"]),
     "target": st.sampled_from(["AZE", "RUS", "KAZ", "XXX"]),
     "levers": st.lists(lever, max_size=4)},
    optional={"draws": json_values, "seed": json_values, "year": json_values,
              "claims": json_values, "title": json_values, "case": json_values,
              "extra": json_values})


def only_user_errors(call: Any) -> None:
    try:
        call()
    except GeoleverError as err:
        assert str(err)  # one line with the field and the fix


@FUZZ
@given(scenario)
def test_scenario_schema(data: dict[str, Any]) -> None:
    only_user_errors(lambda: parse_scenario(data, origin="fuzz"))


@FUZZ
@given(json_values)
def test_scenario_schema_any_value(data: Any) -> None:
    only_user_errors(lambda: parse_scenario(data, origin="fuzz"))


@FUZZ
@given(st.text(max_size=400))
def test_yaml_reader(text: str) -> None:
    def run() -> None:
        data, root = load_yaml(text, "fuzz.yaml")
        parse_scenario(data, origin="fuzz.yaml", root=root)

    only_user_errors(run)


@FUZZ
@given(st.binary(max_size=600), st.sampled_from(["f.csv", "f.parquet"]))
def test_facts_reader(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        only_user_errors(lambda: read_facts_file(path))


@FUZZ
@given(st.binary(max_size=600) | st.text(max_size=300).map(
    lambda t: ("Country Name,Country Code,Year,Value\n" + t).encode()))
def test_wdi_reader(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "w.csv"
        path.write_bytes(data)
        only_user_errors(lambda: read_wdi_csv(path))


@FUZZ
@given(st.binary(max_size=600) | st.text(max_size=300).map(
    lambda t: ("exporter,importer,year,trade\n" + t).encode()),
    st.sampled_from(["g.csv", "g.dta", "g.parquet", "g.tsv"]))
def test_gravity_reader(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        only_user_errors(lambda: read_gravity(path))


@pytest.fixture(scope="module")
def store() -> FactStore:
    return FactStore(":memory:")


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300) | st.from_regex(
    r"[A-Za-z ]{0,20}(remittances|budget|pipeline|US\$|%|million|billion)[0-9 .,%]{0,30}",
    fullmatch=True))
def test_text_checker(store: FactStore, text: str) -> None:
    only_user_errors(lambda: check_text(text, store=store))


def test_wdi_reader_missing_country_code() -> None:
    """Found by Hypothesis: a row without a country code (NA through astype(str) under
    pandas' string dtype) made sorting the skipped codes raise TypeError."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "w.csv"
        path.write_bytes(b"Country Code,Year,Value\n\x00\r,")
        only_user_errors(lambda: read_wdi_csv(path))
