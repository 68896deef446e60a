"""Users' own case packs: skeleton, check, --pack DIR and GEOLEVER_PACKS, overlay rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from geolever.cli import app
from geolever.cli.data_sources import import_source
from geolever.scenario import parse_scenario, run_scenario
from geolever.sources.packs import PACKS_ENV, available_packs, read_pack
from geolever.store import FactStore
from geolever.world import open_case

FIX = Path(__file__).parents[1] / "fixtures" / "anypair"
runner = CliRunner()


def _flat(text: str) -> str:
    """The CLI's output without the console's line wrapping."""
    return " ".join(text.split())


def _init(folder: Path) -> Path:
    res = runner.invoke(app, ["pack", "init", str(folder), "--sender", "CHN", "--target",
                              "AUS", "--year", "2020"])
    assert res.exit_code == 0, res.output
    return folder


def test_init_writes_a_commented_skeleton_that_checks(tmp_path: Path) -> None:
    pack = _init(tmp_path / "china-australia")
    names = sorted(p.name for p in pack.iterdir())
    assert names == ["facts.csv", "infrastructure.yaml", "pack.yaml", "parameters.yaml",
                     "scenario.yaml"]
    assert "# " in (pack / "facts.csv").read_text() and "#" in (pack / "pack.yaml").read_text()
    res = runner.invoke(app, ["pack", "check", str(pack)])
    assert res.exit_code == 0 and "CHN -> AUS" in _flat(res.output), res.output
    again = runner.invoke(app, ["pack", "init", str(pack), "--sender", "CHN", "--target", "AUS"])
    assert again.exit_code == 2 and "already holds a pack" in _flat(again.output)


def test_check_reports_a_bad_row_like_an_import(tmp_path: Path) -> None:
    pack = _init(tmp_path / "p")
    with (pack / "facts.csv").open("a") as fh:
        fh.write("gdp,AUS,,,,,2020,FY,-5,USD,reported,,IMF,,\n")
    res = runner.invoke(app, ["pack", "check", str(pack)])
    assert res.exit_code == 2
    assert "p/facts.csv line 4" in _flat(res.output) and "negative value" in _flat(res.output)
    assert "Traceback" not in res.output
    (pack / "facts.csv").write_text((pack / "facts.csv").read_text().replace(",-5,", ",5e11,"))
    (pack / "pack.yaml").write_text((pack / "pack.yaml").read_text().replace("target: AUS",
                                                                               "target: AUZ"))
    res = runner.invoke(app, ["pack", "check", str(pack)])
    assert res.exit_code == 2 and "pack.yaml, target" in _flat(res.output)
    assert "AUZ" in res.output and "AUS (Australia)" in _flat(res.output)


def test_pack_overlays_the_datasets_for_its_pair(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    store = FactStore(":memory:")
    import_source("baci", FIX / "BACI_HS17_Y2020_V202401b.csv", store)
    pack = _init(tmp_path / "packs" / "china-australia")
    # the pack's own sourced figure for barley wins over the dataset's; coal comes from BACI
    with (pack / "facts.csv").open("a") as fh:
        fh.write("exports,AUS,CHN,1003,,,2020,FY,600000000,USD,reported,,Australian Bureau "
                 "of Statistics (test value),,written for this test\n")
        fh.write("gdp,AUS,,,,,2020,FY,1.3e12,USD,reported,,test GDP,,\n")
        fh.write("gdp,CHN,,,,,2020,FY,1.47e13,USD,reported,,test GDP,,\n")
    store.add_facts([], dataset="empty")
    case = open_case(store, str(pack), "CHN", "AUS", None)
    assert case.title == "China -> Australia, 2020" and case.name == "china-australia"
    barley = case.bilateral("AUS", "CHN", "1003")
    assert barley.value == 600e6 and barley.source.startswith("Australian Bureau")
    coal = case.bilateral("AUS", "CHN", "2701")
    assert coal.source == "CEPII BACI (baci:HS17:V202401b:2020)"
    # found by name under GEOLEVER_PACKS, and by pair when the scenario names no case
    monkeypatch.setenv(PACKS_ENV, str(tmp_path / "packs"))
    assert "china-australia" in available_packs()
    assert read_pack("china-australia").meta["sender"] == "CHN"
    result = run_scenario(parse_scenario({
        "sender": "CHN", "target": "AUS", "year": 2020, "draws": 200,
        "levers": [{"kind": "trade_restriction", "goods": ["barley", "coal"],
                    "direction": "imports"}]}), store).to_dict()
    assert result["case"] == "china-australia"
    flows = {s["label"]: s for s in result["levers"][0]["sources"]}
    assert any(v["source"].startswith("Australian Bureau") for v in flows.values())


def test_assess_with_pack_option(tmp_path: Path) -> None:
    pack = _init(tmp_path / "cn-au")
    with (pack / "facts.csv").open("a") as fh:
        fh.write("gdp,AUS,,,,,2020,FY,1.3e12,USD,reported,,test GDP,,\n")
        fh.write("gdp,CHN,,,,,2020,FY,1.47e13,USD,reported,,test GDP,,\n")
        fh.write("remittances_received,AUS,CHN,,,,2020,FY,2e8,USD,estimate,,test value,,\n")
    scenario = tmp_path / "s.yaml"
    scenario.write_text("sender: CHN\ntarget: AUS\nyear: 2020\ndraws: 200\nlevers:\n"
                        "  - kind: remittance_ban\n")
    res = runner.invoke(app, ["assess", str(scenario), "--pack", str(pack), "--store",
                              str(tmp_path / "db.duckdb"), "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    report = (tmp_path / "out" / "report.md").read_text()
    assert report.startswith("# China -> Australia, 2020")
    assert "test value" in report and "Azerbaijan" not in report


def test_a_user_packs_scenario_is_read_from_the_pack(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # it used to be looked up among the shipped packs only: "ships no scenario.yaml"
    import httpx

    import geolever
    from geolever.web import create_app, serve_in_background

    _init(tmp_path / "packs" / "cn-au")
    monkeypatch.setenv(PACKS_ENV, str(tmp_path / "packs"))
    scenario = geolever.pack_scenario("cn-au")
    assert (scenario.sender, scenario.target, scenario.year) == ("CHN", "AUS", 2020)
    with serve_in_background(create_app(store_path=tmp_path / "web.duckdb")) as url:
        assert httpx.get(f"{url}/api/cases/cn-au").json()["has_scenario"] is True
        doc = httpx.get(f"{url}/api/cases/cn-au/scenario")
        assert doc.status_code == 200 and doc.json()["sender"] == "CHN"
