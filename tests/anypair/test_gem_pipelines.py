"""GEM pipeline trackers: the real map-data files, and transit levers that need throughput."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from geolever.cli import app
from geolever.cli.data_sources import import_source
from geolever.core.errors import InvalidDataError
from geolever.sources.gem import read_gem_csv
from geolever.store import FactStore
from geolever.store.assets import pipelines_crossing

runner = CliRunner()


@pytest.fixture(scope="module")
def gem_store(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    folder = shared_data / "gem-pipelines"
    if not folder.is_dir():
        pytest.skip(f"GEM files not found at {folder}")
    path = tmp_path_factory.mktemp("gem") / "store.duckdb"
    with FactStore(path) as store:
        assert import_source("gem", folder / "goit_map_data_2024-06.csv", store) == 1018
        assert import_source("gem", folder / "europe_gas_tracker_map_data_2024-05.csv",
                             store) == 852
    return path


def test_gem_real_files_source_checks(gem_store: Path) -> None:
    with FactStore(gem_store) as store:
        cpc = pipelines_crossing(store, "KAZ", "RUS").set_index("asset_id")
        # SOURCES.md: CPC (KAZ, RUS) operating 1,340,000 bpd; TurkStream 15.75 bcm/y
        assert cpc.loc["CASPIAN_PIPELINE", "capacity"] == 1_340_000
        assert cpc.loc["CASPIAN_PIPELINE", "capacity_unit"] == "bbl/d"
        assert cpc.loc["CASPIAN_PIPELINE", "status"] == "operating"
        btc = pipelines_crossing(store, "AZE", "GEO", "TUR").set_index("asset_id")
        assert btc.loc["BAKU_TBILISI_CEYHAN_PIPELINE", "capacity"] == 1_200_000
        assert btc.loc["SOUTH_CAUCASUS_GAS_PIPELINE", "capacity"] == pytest.approx(7.41)
        ts = pipelines_crossing(store, "RUS", "TUR").set_index("asset_id")
        assert ts.loc["TURKSTREAM_GAS_PIPELINE", "capacity_unit"] == "bcm/yr"
        assert str(ts.loc["TURKSTREAM_GAS_PIPELINE", "source"]).startswith(
            "Global Energy Monitor, europe gas tracker 2024-05")


def test_gem_layout_errors(tmp_path: Path) -> None:
    bad = tmp_path / "goit_map_data_x.csv"
    bad.write_text("project,type,countries,status,capacity\nA,oil_pipelines,Russia,operating,"
                   "lots\n")
    with pytest.raises(InvalidDataError, match="row 2, column capacity"):
        read_gem_csv(bad)
    bad.write_text("name,capacity\nA,1\n")
    with pytest.raises(InvalidDataError, match="lacks GEM's columns"):
        read_gem_csv(bad)


def test_transit_lever_from_gem_needs_throughput(gem_store: Path, tmp_path: Path) -> None:
    pack = tmp_path / "rus-kaz"
    res = runner.invoke(app, ["pack", "init", str(pack), "--sender", "RUS", "--target", "KAZ",
                              "--year", "2021", "--store", str(gem_store)])
    assert res.exit_code == 0, res.output
    infra = (pack / "infrastructure.yaml").read_text()
    assert "CASPIAN_PIPELINE" in infra and "volume_required: true" in infra
    assert "pipeline_capacity,,,,CASPIAN_PIPELINE" in (pack / "facts.csv").read_text()
    assert runner.invoke(app, ["pack", "check", str(pack)]).exit_code == 0
    scenario = tmp_path / "s.yaml"
    scenario.write_text("sender: RUS\ntarget: KAZ\nyear: 2021\ndraws: 200\nlevers:\n"
                        "  - kind: transit_block\n    asset: CASPIAN_PIPELINE\n")
    with (pack / "facts.csv").open("a") as fh:
        fh.write("gdp,KAZ,,,,,2021,FY,1.97e11,USD,reported,,World Bank WDI (test row),,\n")
        fh.write("gdp,RUS,,,,,2021,FY,1.84e12,USD,reported,,World Bank WDI (test row),,\n")
    out = tmp_path / "out"
    res = runner.invoke(app, ["assess", str(scenario), "--pack", str(pack), "--store",
                              str(tmp_path / "db.duckdb"), "--out", str(out)])
    assert res.exit_code == 0, res.output
    report = (out / "report.md").read_text()
    # GEM gives capacity and status, not what flows: not assessable, not 'idle'
    assert "not assessable" in report and "no throughput of Caspian Pipeline" in report
