"""Loaders of trade-flow sources (BACI, Comtrade, gravity sets) into the bulk table."""

from __future__ import annotations

import csv
import shutil
from importlib import resources
from pathlib import Path

import pytest

from geolever.core.errors import DataNotFoundError, InvalidDataError, UnknownCodeError
from geolever.sources.baci import baci_source, read_country_codes
from geolever.sources.codes import hs_chapter_groups, hs_group, to_iso3
from geolever.sources.comtrade import comtrade_source
from geolever.sources.gravity_flows import gravity_flow_source
from geolever.store import FactStore
from geolever.store.bulk import aggregate_flows, flow_datasets, ingest_flows, query_flows

FIX = Path(__file__).parents[1] / "fixtures" / "sources"
BACI = FIX / "baci" / "BACI_HS92_Y2021_V202401b.csv"


@pytest.fixture()
def store() -> FactStore:
    with FactStore(":memory:") as db:
        yield db


# ----------------------------------------------------------------------------- codes
def test_to_iso3_numeric_old_codes_and_names() -> None:
    got = (
        to_iso3(
            ["31", "031", 643, "490", "S19", "251", "842", "58", "ROM", "AZE", "XX9"], names=None
        )
        .set_index("code")["iso3"]
        .to_dict()
    )
    assert got["31"] == got["031"] == "AZE"
    assert got["643"] == "RUS"
    assert got["490"] == got["S19"] == "TWN"  # BACI/Comtrade 'Other Asia, nes'
    assert (got["251"], got["842"], got["58"], got["ROM"]) == ("FRA", "USA", "BEL", "ROU")
    assert got["AZE"] == "AZE"
    assert got["XX9"] is None
    named = to_iso3(["9991", "9992"], names=["Korea, Rep.", "Egypt, Arab Rep."])
    assert list(named["iso3"]) == ["KOR", "EGY"]


def test_hs_chapter_groups_agree_with_products_csv() -> None:
    text = resources.files("geolever.reference").joinpath("products.csv").read_text("utf-8")
    # the partition groups: not the aggregates over several of them (all goods, non-oil)
    rows = [r for r in csv.DictReader(text.splitlines())
            if r["code"] == r["group"] and r["code"] not in ("TOTAL", "non_oil")]
    table = hs_chapter_groups()
    checked = 0
    for row in rows:
        for part in row["hs"].split():
            lo, _, hi = part.partition("-")
            for chapter in range(int(lo), int(hi or lo) + 1):
                assert table[f"{chapter:02d}"] == row["group"], chapter
                checked += 1
    assert checked == 97
    assert (hs_group("10121"), hs_group("270900"), hs_group("847130")) == (
        "food",
        "energy",
        "machinery",
    )
    assert hs_group("abc") is None


# ----------------------------------------------------------------------------- BACI
def test_baci_country_table_maps_special_codes() -> None:
    table = read_country_codes(FIX / "baci" / "country_codes_V202401b.csv")
    assert dict(zip(table["code"], table["iso3"], strict=True))["490"] == "TWN"
    assert set(table["iso3"]) == {"AZE", "FRA", "GEO", "TWN", "RUS", "TUR", "USA"}


def test_baci_fixture_loads_with_units_groups_and_provenance(store: FactStore) -> None:
    src = baci_source(BACI)
    assert src.dataset == "baci:HS92:V202401b:2021"
    assert ingest_flows(store, src) == 13
    flows = query_flows(store, year=2021)
    row = flows[(flows.exporter == "AZE") & (flows.importer == "FRA")].iloc[0]
    assert row.value_usd == pytest.approx(1.2e9)  # v is in thousand US$
    assert row.quantity_t == pytest.approx(2.4e6)
    assert row.product_group == "energy" and row.hs6 == "270900"
    assert row.source == "CEPII BACI" and "V202401b" in row.citation
    assert "TWN" in set(flows.importer)  # 490 'Other Asia, nes'
    na = flows[(flows.exporter == "RUS") & (flows.hs6 == "721391")].iloc[0]
    assert na.quantity_t != na.quantity_t  # NA -> missing, not an error
    horses = flows[flows.hs6 == "010121"].iloc[0]  # leading zero restored
    assert horses.product_group == "food"
    groups = dict(zip(flows.hs6, flows.product_group, strict=True))
    assert (groups["721391"], groups["390110"], groups["940360"]) == (
        "metals",
        "chemicals",
        "other",
    )
    info = flow_datasets(store).iloc[0]
    assert info["rows"] == 13 and info["value_usd"] == pytest.approx(flows.value_usd.sum())


def test_baci_reimport_is_idempotent(store: FactStore) -> None:
    ingest_flows(store, baci_source(BACI))
    before = query_flows(store)
    assert ingest_flows(store, baci_source(BACI)) == 13
    after = query_flows(store)
    assert len(after) == 13
    assert after.equals(before)


def _broken(tmp_path: Path, line: int, text: str) -> Path:
    folder = tmp_path / "baci"
    shutil.copytree(FIX / "baci", folder)
    lines = BACI.read_text().splitlines()
    lines[line - 1] = text
    path = folder / BACI.name
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(
    ("line", "text", "column", "error"),
    [
        (3, "2021,31,643,100110,     -150.500,      500.000", "column v", InvalidDataError),
        (3, "2021,31,643,100110,,      500.000", "column v", InvalidDataError),
        (3, "2021,31,643,100110,  1.2e3x,      500.000", "column v", InvalidDataError),
        (4, "2021,31,999,270900,      535.000,     1057.000", "column j", UnknownCodeError),
        (4, "2021,31,643,999999,      535.000,     1057.000", "column k", UnknownCodeError),
        (4, "2021,31,643,270900,      535.000,    -5", "column q", InvalidDataError),
        (4, "2021,31,643,100110,      535.000,     1057.000", "columns i,j,t,k", InvalidDataError),
    ],
)
def test_baci_bad_rows_name_line_and_column_and_write_nothing(
    store: FactStore, tmp_path: Path, line: int, text: str, column: str, error: type
) -> None:
    ingest_flows(store, baci_source(BACI))  # a good earlier import of the same dataset
    before = query_flows(store)
    bad = _broken(tmp_path, line, text)
    with pytest.raises(error) as info:
        ingest_flows(store, baci_source(bad))
    assert column in str(info.value)
    if "columns" not in column:  # duplicates are reported by flow, not by line
        assert f"line {line}" in str(info.value)
    assert query_flows(store).equals(before)  # the transaction left the store as it was


def test_baci_without_code_tables_uses_country_converter(store: FactStore, tmp_path: Path) -> None:
    path = tmp_path / "BACI_HS92_Y2021_V202401b.csv"
    shutil.copy(BACI, path)
    src = baci_source(path)
    assert src.products is None
    assert ingest_flows(store, src) == 13
    assert "TWN" in set(query_flows(store).importer)


def test_baci_extract_in_shared_data_matches_sources_md(
    store: FactStore, shared_data: Path
) -> None:
    path = shared_data / "baci-crude-oil-2021" / "crude_oil_hs270900_2021.csv"
    with pytest.raises(UnknownCodeError, match="location_code"):
        ingest_flows(store, baci_source(path))  # blank codes are refused by default
    assert ingest_flows(store, baci_source(path, blank_country="TWN")) == 1445
    con = store.con
    aze = con.execute(
        "SELECT sum(value_usd), sum(quantity_t) FROM trade_flows WHERE exporter = 'AZE'"
    ).fetchone()
    assert aze[0] / 1e9 == pytest.approx(13.49, abs=0.01)  # SOURCES.md sanity figure 1
    assert aze[1] / 1e6 == pytest.approx(27.40, abs=0.01)
    rus_chn = con.execute(
        "SELECT value_usd, quantity_t FROM trade_flows WHERE exporter = 'RUS' AND importer = 'CHN'"
    ).fetchone()
    assert rus_chn[0] / 1e9 == pytest.approx(35.42, abs=0.01)  # figure 4
    assert rus_chn[1] / 1e6 == pytest.approx(71.03, abs=0.01)
    total = con.execute("SELECT sum(value_usd) FROM trade_flows").fetchone()[0]
    assert total / 1e9 == pytest.approx(951.4, abs=0.1)


# ----------------------------------------------------------------------------- Comtrade
def test_comtrade_plus_bulk_keeps_hs6_country_rows_both_reports(store: FactStore) -> None:
    assert ingest_flows(store, comtrade_source(FIX / "comtrade_plus_2021.txt")) == 5
    flows = query_flows(store)
    aze_rus = flows[(flows.exporter == "AZE") & (flows.importer == "RUS")]
    assert sorted(aze_rus.flow_basis) == ["export_report", "import_report"]
    assert sorted(aze_rus.value_usd) == [535000.0, 560000.0]
    ita = flows[flows.importer == "ITA"].iloc[0]
    assert ita.quantity_t == pytest.approx(12_580_000)  # kg -> t
    assert flows[flows.exporter == "TUR"].iloc[0].quantity_t != 0  # blank net weight -> NaN
    # the mirror rule: the importer's report wins
    agg = aggregate_flows(store, 2021, ["AZE", "RUS"])
    cell = agg[(agg.exporter == "AZE") & (agg.importer == "RUS")]
    assert cell.value_usd.sum() == pytest.approx(560000.0)


def test_comtrade_legacy_csv(store: FactStore) -> None:
    assert ingest_flows(store, comtrade_source(FIX / "comtrade_legacy_2021.csv")) == 2
    flows = query_flows(store).set_index(["exporter", "importer"])
    assert flows.loc[("RUS", "AZE"), "value_usd"] == pytest.approx(4.2e8)
    assert flows.loc[("RUS", "AZE"), "flow_basis"] == "import_report"


def test_comtrade_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("refYear,reporterCode\n2021,31\n")
    with pytest.raises(InvalidDataError, match="flowCode"):
        comtrade_source(path)


def test_missing_file() -> None:
    with pytest.raises(DataNotFoundError):
        baci_source(Path("/nonexistent/BACI_HS92_Y2021_V1.csv"))


# ----------------------------------------------------------------------------- gravity
def test_gravity_dataset_as_flows_with_domestic_sales(store: FactStore, shared_data: Path) -> None:
    path = shared_data / "gravity" / "1_TradeWithoutBorder.dta"
    with pytest.raises(UnknownCodeError, match="ZZZ"):
        ingest_flows(store, gravity_flow_source(path))
    n = ingest_flows(store, gravity_flow_source(path, rename={"ZZZ": "DEU"}))
    assert n == 69 * 69
    agg = aggregate_flows(store, 2006, ["USA", "CAN"])
    assert agg[agg.domestic & (agg.exporter == "USA")].value_usd.iloc[0] > 0
    assert (agg.product_group == "TOTAL").all()
