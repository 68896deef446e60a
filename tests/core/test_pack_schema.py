"""The case pack schema (geolever.core.pack_schema): one model per YAML file of a pack."""

from __future__ import annotations

from importlib import resources

import pytest

from geolever.core.errors import InvalidDataError
from geolever.core.pack_schema import (
    Infrastructure,
    PackMeta,
    ParametersFile,
    read_pack_file,
)

SHIPPED = resources.files("geolever.packs").joinpath("russia-azerbaijan")


def test_the_shipped_pack_files_validate() -> None:
    meta = read_pack_file(PackMeta, SHIPPED.joinpath("pack.yaml").read_text(), "pack.yaml")
    assert (meta.sender, meta.target, meta.default_year) == ("RUS", "AZE", 2024)
    assert meta.ge_world is not None and meta.ge_world.regions[:2] == ["AZE", "RUS"]
    infra = read_pack_file(Infrastructure, SHIPPED.joinpath("infrastructure.yaml").read_text(),
                           "infrastructure.yaml")
    names = {e.id for _, e in infra.edges()}
    assert {"BTC", "BAKU_SUPSA", "BAKU_NOVOROSSIYSK"} <= names
    btc = infra.networks["oil_exports"].edges[0]
    assert (btc.source, btc.to, btc.countries) == ("BAKU", "CEYHAN", ("AZE", "GEO", "TUR"))
    params = read_pack_file(ParametersFile, SHIPPED.joinpath("parameters.yaml").read_text(),
                            "parameters.yaml").parameters
    assert params["remittance_reroute_share_1y"].name == "remittance_reroute_share_1y"
    assert params["remittance_reroute_share_1y"].central == 0.4


def test_codes_are_normalised_and_the_meta_reads_by_key_as_its_dict_did() -> None:
    meta = read_pack_file(PackMeta, "sender: rus\ntarget: Azerbaijan\nge_world:\n  year: 2023\n"
                          "  regions: [AZE, RUS]\n", "pack.yaml")
    assert (meta.sender, meta.target) == ("RUS", "AZE")
    assert meta["ge_world"]["regions"] == ["AZE", "RUS"] and meta["title"] == ""
    with pytest.raises(KeyError):
        meta["ge_wrld"]


def test_an_infrastructure_dumps_to_the_yaml_it_reads() -> None:
    text = ("networks:\n  oil:\n    origin: A\n    destination: B\n    edges:\n"
            "      - {id: P1, name: Pipe, from: A, to: B, mode: pipeline, countries: [AZE]}\n")
    infra = read_pack_file(Infrastructure, text, "infrastructure.yaml")
    doc = infra.model_dump(mode="json", by_alias=True, exclude_none=True)
    assert doc["networks"]["oil"]["edges"][0]["from"] == "A"
    assert Infrastructure.model_validate(doc) == infra


@pytest.mark.parametrize(("text", "where"), [
    ("parameters:\n  p:\n    description: d\n    distribution: fixed\n    low: 1\n    high: 1\n"
     "    unit: share\n    basis: guess\n", "p.yaml, parameters.p.basis, line 8"),
    ("parameters:\n  p: 0.5\n", "p.yaml, parameters.p, line 2"),
    ("parameters: [a]\n", "p.yaml, parameters, line 1"),
])
def test_a_bad_parameters_file_names_the_field_and_line(text: str, where: str) -> None:
    with pytest.raises(InvalidDataError) as err:
        read_pack_file(ParametersFile, text, "p.yaml")
    assert err.value.field == where and err.value.fix


def test_empty_files_and_empty_mappings_are_the_defaults() -> None:
    assert read_pack_file(Infrastructure, "", "i.yaml").networks == {}
    assert read_pack_file(Infrastructure, "networks:\n", "i.yaml").networks == {}
    assert read_pack_file(ParametersFile, "parameters:\n", "p.yaml").parameters == {}
    assert read_pack_file(PackMeta, "# nothing yet\n", "pack.yaml").sender is None
