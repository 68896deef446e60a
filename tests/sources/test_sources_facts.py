"""WDI, KNOMAD and online loaders (facts), and import_source for every source."""

from __future__ import annotations

from pathlib import Path

import pytest

from geolever.cli.data_sources import SOURCES, import_source
from geolever.core.errors import InvalidDataError, UnknownCodeError
from geolever.sources.knomad import MEASURE, read_knomad_xlsx
from geolever.sources.online import (
    COMTRADE_KEY_ENV,
    OnlineUnavailableError,
    fetch_comtrade,
    fetch_wdi,
    online_unavailable,
)
from geolever.sources.wdi import read_wdi_csv
from geolever.store import FactStore
from geolever.store.bulk import flow_datasets

FIX = Path(__file__).parents[1] / "fixtures" / "sources"
KNOMAD = FIX / "bilateralremittancematrix2021_fixture.xlsx"


@pytest.fixture()
def store() -> FactStore:
    with FactStore(":memory:") as db:
        yield db


def test_wdi_long_shared_file_check_values(shared_data: Path) -> None:
    read = read_wdi_csv(shared_data / "wdi-gdp" / "gdp.csv")
    values = {(f.country, f.year): f.value for f in read.facts}
    # SOURCES.md check values
    assert values[("AZE", 2022)] == pytest.approx(78_807_470_588, rel=1e-9)
    assert values[("AZE", 2023)] == pytest.approx(72_356_176_471, rel=1e-9)
    assert values[("RUS", 2023)] == pytest.approx(2_021_421_476_035, rel=1e-9)
    assert "WLD" in {f.country for f in read.facts}
    assert {"EUU", "ARB", "XKX"} <= set(read.skipped)  # aggregates and non-ISO codes
    assert all(f.indicator == "gdp" and f.unit == "USD" for f in read.facts)


def test_wdi_wide_world_bank_download() -> None:
    read = read_wdi_csv(FIX / "API_NY.GDP.MKTP.CD_DS2_en_csv_v2_fixture.csv")
    assert read.indicator == "NY.GDP.MKTP.CD"
    values = {(f.country, f.year): f.value for f in read.facts}
    assert values[("GEO", 2023)] == pytest.approx(30_535_530_479)
    assert ("TUV", 2022) not in values  # empty cell
    assert read.skipped == ["ARB", "XKX"]
    assert len(read.facts) == 3 * 4 + 2


def test_wdi_unknown_indicator() -> None:
    with pytest.raises(UnknownCodeError, match=r"SP\.POP\.TOTL"):
        read_wdi_csv(
            FIX / "API_NY.GDP.MKTP.CD_DS2_en_csv_v2_fixture.csv", indicator_code="SP.POP.TOTL"
        )


def test_knomad_matrix_orientation_units_and_names() -> None:
    read = read_knomad_xlsx(KNOMAD)
    assert read.year == 2021
    facts = {(f.country, f.partner): f for f in read.facts}
    aze_rus = facts[("AZE", "RUS")]  # sender RUS (row) -> receiver AZE (column)
    assert aze_rus.value == pytest.approx(421.7e6)  # millions of US$
    assert aze_rus.measure == MEASURE and aze_rus.quality == "estimate"
    assert facts[("AZE", "WLD")].value == pytest.approx(1390e6)  # the WORLD row
    assert facts[("KGZ", "RUS")].value == pytest.approx(1873.4e6)
    assert ("GEO", "KAZ") not in facts  # empty cell
    assert read.skipped == ["Channel Islands"]


def test_knomad_negative_cell(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.load_workbook(KNOMAD)
    book.active["C3"] = -5
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    with pytest.raises(InvalidDataError, match="row 3"):
        read_knomad_xlsx(bad)


def test_import_source_every_offline_source(store: FactStore, shared_data: Path) -> None:
    ticks: list[int] = []
    assert (
        import_source("baci", FIX / "baci" / "BACI_HS92_Y2021_V202401b.csv", store, ticks.append)
        == 13
    )
    assert sum(ticks) == 100
    assert import_source("comtrade", FIX / "comtrade_plus_2021.txt", store) == 5
    gdp = import_source("wdi", shared_data / "wdi-gdp" / "gdp.csv", store)
    assert gdp > 10_000
    assert import_source("wdi", shared_data / "wdi-gdp" / "gdp.csv", store) == 0  # again
    assert store.get("gdp", "AZE", 2022).value == pytest.approx(78_807_470_588, rel=1e-9)
    assert import_source("knomad", KNOMAD, store) == 6 + 6 + 5 + 6  # RUS, TUR, KAZ, WORLD
    got = store.get("remittances_received", "AZE", 2021, partner="RUS", measures=[MEASURE])
    assert got.value == pytest.approx(421.7e6)
    assert import_source("gravity", shared_data / "gravity" / "sample_data_set.dlm", store) == 900
    assert import_source("pack", Path("russia-azerbaijan"), store) > 0
    assert set(flow_datasets(store)["kind"]) == {"baci", "comtrade", "gravity"}
    with pytest.raises(UnknownCodeError, match="use one of"):
        import_source("oecd", FIX, store)
    assert set(SOURCES) == {"baci", "comtrade", "wdi", "knomad", "dots", "gem", "gravity", "facts",
                            "pack"}


def test_comtrade_api_without_key_is_skipped_with_a_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, store: FactStore
) -> None:
    monkeypatch.delenv(COMTRADE_KEY_ENV, raising=False)
    why = online_unavailable("comtrade")
    assert why is not None and ("COMTRADE_API_KEY" in why or "comtradeapicall" in why)
    with pytest.raises(OnlineUnavailableError, match="skipped"):
        fetch_comtrade(2021, ["31"], tmp_path / "x.csv")
    with pytest.raises(OnlineUnavailableError):
        import_source("comtrade", Path("api:2021:31"), store)


def test_comtrade_api_live(tmp_path: Path, store: FactStore) -> None:
    why = online_unavailable("comtrade")
    if why:
        pytest.skip(f"Comtrade API not usable here: {why}")
    path = fetch_comtrade(2021, ["31"], tmp_path / "aze.csv")
    assert import_source("comtrade", path, store) > 0


def test_wdi_api_live(tmp_path: Path, store: FactStore) -> None:
    why = online_unavailable("worldbank")
    if why:
        pytest.skip(f"World Bank API not usable here: {why}")
    path = fetch_wdi("NY.GDP.MKTP.CD", tmp_path / "gdp.csv", years=(2022, 2022))
    assert read_wdi_csv(path).facts
