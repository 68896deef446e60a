"""Cases for any pair built from the store's datasets, goods as people name them, and the
latest-earlier-year rule; end to end on real shared files where they cover the lever."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from geolever.cli.data_sources import import_source
from geolever.core.errors import DataNotFoundError, UnknownCodeError
from geolever.core.goods import product_info, resolve_goods
from geolever.scenario import parse_scenario, run_scenario
from geolever.store import FactStore
from geolever.world import case_from_store, generic_parameters, open_case

FIX = Path(__file__).parents[1] / "fixtures" / "anypair"


# ------------------------------------------------------------------- goods
def test_goods_as_people_name_them() -> None:
    assert resolve_goods(["2204", "2701", "1003", "270900"]) == ["2204", "2701", "1003",
                                                                 "270900"]
    assert resolve_goods(["HS 27", "22.04", "coal", "Barley", "wine"]) == [
        "27", "2204", "coal", "barley", "wine"]
    assert resolve_goods(["10"]) == ["10"]  # chapter 10 (cereals), never wheat
    assert product_info("10")["name"] == "Cereals"
    assert product_info("1003") == {"code": "1003", "name": "Barley", "group": "food",
                                    "hs": "1003", "market": "commodity"}
    assert product_info("2204")["market"] == "specific"
    assert product_info("270900")["group"] == "energy"


@pytest.mark.parametrize(("goods", "message"), [
    ("oil", r"ambiguous goods 'oil'.*crude_oil.*sunflower_oil"),
    ("vodka", r"unknown goods 'vodka'.*products\.csv"),
    ("cucumbers", r"unknown goods 'cucumbers'.*0707 \(Cucumbers"),
    ("123", r"HS code '123' has 3 digits.*0123"),
    ("7777", r"no HS chapter or heading 7777"),
])
def test_unknown_or_ambiguous_goods_list_the_nearest(goods: str, message: str) -> None:
    with pytest.raises(UnknownCodeError, match=message):
        resolve_goods([goods])


def test_bananas_are_a_named_product() -> None:
    # reference/products.csv names bananas (HS 0803) since the China-Philippines texts
    assert resolve_goods(["bananas"]) == ["bananas"]


def test_generic_parameters_have_a_basis_and_name_no_country() -> None:
    params = generic_parameters()
    assert {"trade_elasticity", "export_value_added_share", "remittance_reroute_share_1y",
            "new_market_share_commodity_1y", "existing_partner_growth_3y"} <= set(params)
    for p in params.values():
        assert p.basis in ("sourced", "assumption")
        assert p.source if p.basis == "sourced" else p.rationale
        for name in ("Azerbaijan", "Russia", "Kazakhstan", "Georgia", "Turkey"):
            assert name not in p.description + p.rationale


# ---------------------------------------------------- product-level fixture
@pytest.fixture()
def food_coal_store() -> FactStore:
    store = FactStore(":memory:")
    import_source("baci", FIX / "BACI_HS17_Y2020_V202401b.csv", store)
    return store


def test_trade_by_product_from_baci_rows(food_coal_store: FactStore) -> None:
    case = case_from_store(food_coal_store, "CHN", "AUS", 2020)
    coal = case.bilateral("AUS", "CHN", "2701")  # 270112 + 270119, thousand US$ x 1000
    assert coal.value == pytest.approx((5_200_000 + 1_100_000) * 1e3)
    assert coal.source == "CEPII BACI (baci:HS17:V202401b:2020)" and coal.year == 2020
    assert case.bilateral("AUS", "CHN", "coal").value == coal.value  # named product = 2701
    assert case.bilateral("AUS", "CHN", "barley").value == pytest.approx(230_000e3)
    world = case.quantity("imports", "CHN", partner="WLD", product="2701")
    assert world.value == pytest.approx((5_200_000 + 1_100_000 + 9_800_000 + 4_100_000) * 1e3)
    # a heading the extract holds but no flow for the pair: zero, said so
    zero = case.bilateral("CHN", "AUS", "2204")
    assert zero.value == 0 and "no flow" in zero.note
    # a chapter (or group) needs a complete dataset: an extract never stands in for it
    with pytest.raises(DataNotFoundError, match=r"covering 22 .*geolever data import baci"):
        case.bilateral("AUS", "CHN", "22")
    with pytest.raises(DataNotFoundError, match="covering food"):
        case.bilateral("AUS", "CHN", "food")


def test_china_australia_2020_coal_barley_wine_end_to_end(food_coal_store: FactStore,
                                                         shared_data: Path) -> None:
    # GDP from the real WDI file; trade from the layout fixture
    import_source("wdi", shared_data / "wdi-gdp" / "gdp.csv", food_coal_store)
    scenario = parse_scenario({
        "sender": "CHN", "target": "AUS", "year": 2020, "draws": 200,
        "levers": [{"kind": "trade_restriction", "goods": ["2701", "1003", "2204"],
                    "direction": "imports"}]})
    result = run_scenario(scenario, food_coal_store).to_dict()
    assert result["title"] == "China -> Australia, 2020"
    assert "no case pack" in result["case_basis"]
    lever = result["levers"][0]
    assert lever["verdict"] in ("no leverage", "weak leverage", "moderate leverage",
                                "strong leverage", "backfires")
    assert lever["damage"] in ("none", "minor", "material", "severe")
    text = str(result)
    assert "Azerbaijan" not in text and "Kazakhstan" not in text
    assert "CEPII BACI (baci:HS17:V202401b:2020)" in text
    assert "World Bank WDI NY.GDP.MKTP.CD" in text


def test_focus_rows_answer_as_the_whole_table(food_coal_store: FactStore) -> None:
    """Product questions read the pair's own rows once; the answers are the same."""
    from geolever.world.datasets import StoreDatasets

    focused = StoreDatasets(food_coal_store, focus=("CHN", "AUS"))
    whole = StoreDatasets(food_coal_store)
    questions = [("exports", "AUS", "CHN", "2701"), ("exports", "AUS", "WLD", "coal"),
                 ("imports", "CHN", "WLD", "2701"), ("imports", "CHN", "AUS", "barley"),
                 ("exports", "IDN", "CHN", "2701")]  # IDN is outside the focus: whole table
    for indicator, country, partner, product in questions:
        a = focused.quantity(indicator, country, 2020, partner=partner, product=product)
        b = whole.quantity(indicator, country, 2020, partner=partner, product=product)
        assert (a.value, a.note, a.source) == (b.value, b.note, b.source)
    assert focused._focus_tables and not whole._focus_tables


def test_focus_rows_follow_a_new_import(tmp_path: Path) -> None:
    store = FactStore(tmp_path / "s.duckdb")
    import_source("baci", FIX / "BACI_HS17_Y2020_V202401b.csv", store)
    before = case_from_store(store, "CHN", "AUS", 2020).bilateral("AUS", "CHN", "2701").value
    doubled = tmp_path / "BACI_HS17_Y2020_V202401b.csv"  # the same dataset, values x 2
    lines = (FIX / "BACI_HS17_Y2020_V202401b.csv").read_text().splitlines()
    rows = [lines[0]] + [",".join([*r.split(",")[:4], str(2 * float(r.split(",")[4])),
                                   r.split(",")[5]]) for r in lines[1:]]
    doubled.write_text("\n".join(rows) + "\n")
    import_source("baci", doubled, store)
    after = case_from_store(store, "CHN", "AUS", 2020).bilateral("AUS", "CHN", "2701").value
    assert after == pytest.approx(2 * before)


def test_coverage_of_a_store_from_before_the_coverage_table(tmp_path: Path) -> None:
    from geolever.store.bulk import flow_coverage

    store = FactStore(tmp_path / "s.duckdb")
    import_source("baci", FIX / "BACI_HS17_Y2020_V202401b.csv", store)
    expected = flow_coverage(store, 2020)
    store.con.execute("DELETE FROM flow_coverage")  # as a store written by geolever 0.1
    assert flow_coverage(store, 2020) == expected  # scanned (reading never writes)
    assert store.con.execute("SELECT count(*) FROM flow_coverage").fetchall() == [(0,)]
    assert expected[0][0].startswith("baci:") and expected[0][3] >= 1


# ----------------------------------------------------------- real datasets
@pytest.fixture(scope="module")
def real_store(pair_datasets_store: Callable[[], Path], shared_data: Path) -> FactStore:
    store = FactStore(pair_datasets_store())
    import_source("baci", shared_data / "baci-crude-oil-2021" / "crude_oil_hs270900_2021.csv",
                  store, options={"blank_country": "TWN"})
    return store


def _run(store: FactStore, doc: dict[str, object]) -> dict[str, object]:
    return run_scenario(parse_scenario({"draws": 300, **doc}), store).to_dict()


def test_china_stops_buying_russian_crude_2021(real_store: FactStore) -> None:
    result = _run(real_store, {"sender": "CHN", "target": "RUS", "year": 2021, "levers": [
        {"kind": "trade_restriction", "goods": ["crude_oil"], "direction": "imports"}]})
    lever = result["levers"][0]
    flow = next(s for s in lever["sources"] if s["label"].startswith("exports of crude_oil"))
    # BACI SOURCES.md: RUS -> CHN is the largest RUS cell, US$35.42bn
    assert flow["value"] == pytest.approx(35.42e9, rel=1e-3)
    assert flow["source"] == "CEPII BACI (baci:crude_oil_hs270900_2021)" and flow["year"] == 2021
    gdp = result["denominators"]["target_gdp"]
    assert gdp["value"] == pytest.approx(1_843.4e9, rel=1e-3) and "NY.GDP.MKTP.CD" in gdp["source"]
    assert result["title"] == "China -> Russian Federation, 2021"
    assert lever["verdict"] != "not assessable"


def test_russia_bans_remittances_to_georgia_2021(real_store: FactStore) -> None:
    result = _run(real_store, {"sender": "RUS", "target": "GEO", "year": 2021,
                               "levers": [{"kind": "remittance_ban"}]})
    lever = result["levers"][0]
    flow = lever["sources"][0]
    assert flow["value"] == pytest.approx(1_339.8e6, rel=1e-4)  # KNOMAD SOURCES.md check
    assert flow["source"] == "World Bank/KNOMAD bilateral remittance matrix"
    # 7% of Georgia's GDP at risk, over 2% lost: severe damage; routing around >= 50%
    # within three years takes one step off 'strong leverage'
    assert lever["damage"] == "severe"
    assert lever["target_loss_pct_gdp"]["p50"] >= 2.0
    assert lever["substitution_3y"]["p50"] >= 0.5
    assert lever["verdict"] == "moderate leverage"
    assert "Kazakhstan, Turkey" not in str(result)


def test_g7_stops_buying_russian_crude_2021(real_store: FactStore) -> None:
    result = _run(real_store, {"sender": "G7", "target": "RUS", "year": 2021, "levers": [
        {"kind": "trade_restriction", "goods": ["270900"], "direction": "imports"}]})
    lever = result["levers"][0]
    flow = next(s for s in lever["sources"] if s["label"].startswith("exports of 270900"))
    members = ("CAN", "FRA", "DEU", "ITA", "JPN", "GBR", "USA")
    case = open_case(real_store, None, "RUS", "CHN", 2021)
    parts = sum(case.bilateral("RUS", m, "270900").value for m in members)
    assert flow["value"] == pytest.approx(parts)
    assert result["denominators"]["sender_gdp"]["note"].startswith("sum over the 7 members")
    assert result["sender_name"] == "Group of Seven"


def test_g7_remittance_ban_sums_the_members_corridors(real_store: FactStore) -> None:
    # KNOMAD 2021 lists no JPN -> UKR corridor; the six others are summed, JPN is named
    result = _run(real_store, {"sender": "G7", "target": "UKR", "year": 2021,
                               "levers": [{"kind": "remittance_ban"}]})
    lever = result["levers"][0]
    assert lever["verdict"] != "not assessable", lever["reasons"]
    flow = lever["sources"][0]
    case = open_case(real_store, None, "RUS", "UKR", 2021)
    members = ("CAN", "FRA", "DEU", "ITA", "GBR", "USA")
    parts = {m: case.quantity("remittances_received", "UKR", partner=m).value for m in members}
    assert flow["value"] == pytest.approx(sum(parts.values()))
    assert flow["by_member"] == pytest.approx(parts)
    assert "no bilateral value for JPN" in flow["note"]
    assert flow["quality"] == "derived"
    # the cost is shared by the part of each member's corridor, in US$ and % of own GDP
    split = {p["member"]: p for p in lever["sender_cost_by_member"]}
    assert set(split) == {*members, "JPN"} and split["JPN"]["share_of_flow"] == 0
    assert sum(p["cost_usd"]["p50"] for p in split.values()) == pytest.approx(
        lever["sender_cost_usd"]["p50"])
    usa_share = parts["USA"] / sum(parts.values())
    assert split["USA"]["share_of_flow"] == pytest.approx(usa_share)
    usa_gdp = case.gdp_usd("USA").value
    assert split["USA"]["cost_pct_gdp"]["p50"] == pytest.approx(
        100 * usa_share * lever["sender_cost_usd"]["p50"] / usa_gdp)
    assert any(r.startswith("The coalition's cost falls on its members") for r in lever["reasons"])
    gdp = result["denominators"]["sender_gdp"]
    assert set(gdp["by_member"]) == {*members, "JPN"}
    assert sum(gdp["by_member"].values()) == pytest.approx(gdp["value"])


def test_coalition_trade_keeps_each_members_part(real_store: FactStore) -> None:
    case = open_case(real_store, None, "G7", "RUS", 2021)
    members = ("CAN", "FRA", "DEU", "ITA", "JPN", "GBR", "USA")
    flow = case.bilateral("RUS", "G7", "270900")
    one_by_one = {m: case.bilateral("RUS", m, "270900").value for m in members}
    assert dict(flow.by_member) == pytest.approx(
        {m: v for m, v in one_by_one.items() if v > 0})
    assert sum(dict(flow.by_member).values()) == pytest.approx(flow.value)
    assert case.bilateral("RUS", "CHN", "270900").by_member == ()  # one country: no parts


def test_latest_earlier_year_only_when_allowed(real_store: FactStore) -> None:
    doc = {"sender": "RUS", "target": "KAZ", "year": 2024, "levers": [{"kind": "remittance_ban"}]}
    with pytest.raises(DataNotFoundError, match=r"latest earlier year with a value is 2023.*"
                       r"allow_earlier_year"):
        _run(real_store, doc)
    result = _run(real_store, {**doc, "allow_earlier_year": True})
    gdp = result["denominators"]["target_gdp"]
    assert gdp["year"] == 2023 and gdp["stand_in_for"] == 2024
    assert "[2023 value: no 2024 value]" in gdp["label"]
    assert {s["stand_in_for"] for s in result["stand_ins"]} == {2024}


def test_reading_a_fresh_store_never_writes_it(tmp_path: Path) -> None:
    """A case asked for trade data before any import (a failed run, say) leaves the store
    file as it was; an import after that, in the same connection, is read."""
    import hashlib

    path = tmp_path / "fresh.duckdb"
    FactStore(path).close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    store = FactStore(path)
    case = case_from_store(store, "CHN", "AUS", 2020)
    with pytest.raises(DataNotFoundError):
        case.bilateral("AUS", "CHN", "2701")
    with pytest.raises(DataNotFoundError):
        case.quantity("exports", "AUS", partner="WLD")  # DOTS totals: none either
    store.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    store = FactStore(path)
    with pytest.raises(DataNotFoundError):
        case_from_store(store, "CHN", "AUS", 2020).bilateral("AUS", "CHN", "2701")
    import_source("baci", FIX / "BACI_HS17_Y2020_V202401b.csv", store)  # same connection
    coal = case_from_store(store, "CHN", "AUS", 2020).bilateral("AUS", "CHN", "2701")
    assert coal.value == pytest.approx((5_200_000 + 1_100_000) * 1e3)
