"""The input-output model behind the TradeRestriction lever (real WIOD 2013 tables)."""

import numpy as np
import pytest

from geolever.assessment import assess_levers
from geolever.core.errors import DataNotFoundError, InvalidDataError, UnknownCodeError
from geolever.levers.kinds.trade_restriction import TradeRestriction
from geolever.models.io import extract_link
from geolever.sources.io_catalog import load_io_table
from geolever.store import FactStore
from geolever.world import load_case


@pytest.fixture(scope="module")
def store():
    return FactStore()


def test_target_outside_the_table_is_not_assessable(store, shared_data):
    case = load_case(store, "russia-azerbaijan", year=2023)
    lever = TradeRestriction(goods=["food"], direction="exports", model="io")
    res = assess_levers(case, [lever], n_draws=100).levers[0]
    assert res.verdict == "not assessable"
    assert "AZE" in res.feasibility and "rest-of-world" in res.feasibility
    assert "does not substitute" in res.feasibility


def test_io_embargo_matches_a_direct_extraction(store, shared_data):
    case = load_case(store, "russia-azerbaijan", year=2023, sender="RUS", target="TUR")
    lever = TradeRestriction(goods=["food"], direction="exports", model="io", io_year=2008)
    res = assess_levers(case, [lever], n_draws=100).levers[0]
    table = load_io_table("wiod2013", 2008, shared_data)
    r, t = table.regions.index("RUS"), table.regions.index("TUR")
    direct = extract_link(table.Z, table.Y, table.x, r, t, table.group_mask("food"), 1.0)
    va = direct.baseline_value_added.sum(axis=1)
    tur_share = direct.forward_value_added_loss.sum(axis=1)[t] / va[t]  # importer: supply-driven
    rus_share = direct.value_added_loss.sum(axis=1)[r] / va[r]  # exporter: demand-driven
    assert res.target_loss_usd.p50 == pytest.approx(tur_share * case.gdp_usd("TUR").value,
                                                    rel=1e-9)
    assert res.sender_cost_usd.p50 == pytest.approx(rus_share * case.gdp_usd("RUS").value,
                                                    rel=1e-9)
    assert res.details.io_table == "wiod2013 2008"
    assert np.isfinite(res.target_loss_pct_gdp.p50) and res.target_loss_usd.p50 > 0


def test_sector_share_and_final_options_reach_the_case_engine(store, shared_data):
    # model.sectors names table sectors, model.share a partial cut, final=False spares the
    # target's final purchases: the case's loss follows the direct extraction of that cut
    case = load_case(store, "russia-azerbaijan", year=2023, sender="RUS", target="TUR")
    lever = TradeRestriction(goods=["TOTAL"], direction="exports", model={
        "name": "io", "year": 2008, "sectors": ["c3"], "share": 0.4, "final": False})
    res = assess_levers(case, [lever], n_draws=100).levers[0]
    table = load_io_table("wiod2013", 2008, shared_data)
    r, t = table.regions.index("RUS"), table.regions.index("TUR")
    direct = extract_link(table.Z, table.Y, table.x, r, t, table.group_mask("c3"), 0.4,
                          final=False)
    va = direct.baseline_value_added.sum(axis=1)
    tur_share = direct.forward_value_added_loss.sum(axis=1)[t] / va[t]
    assert res.target_loss_usd.p50 == pytest.approx(tur_share * case.gdp_usd("TUR").value,
                                                    rel=1e-9)
    assert direct.extracted_final == 0.0


def test_compile_table_is_the_cut_of_geolever_io_extract(shared_data):
    from geolever.effects.engines.io_extraction import extract_link_cut
    from geolever.world.io import io_table

    table = io_table("wiod2013", 2008, shared_data)
    lever = TradeRestriction(goods=["TOTAL"], direction="exports",
                             model={"name": "io", "table": "wiod2013", "year": 2008,
                                    "sectors": ["food"], "share": 0.5})
    shock = lever.compile_table(table, "rus", "TUR")
    assert shock.links == (("RUS", "TUR"),) and shock.groups == ("food",)
    res, frame = extract_link_cut(shock)
    r, t = table.regions.index("RUS"), table.regions.index("TUR")
    direct = extract_link(table.Z, table.Y, table.x, r, t, table.group_mask("food"), 0.5)
    np.testing.assert_array_equal(res.output_loss, direct.output_loss)
    assert len(frame) == len(table.regions) * len(table.sectors)
    both = TradeRestriction(goods=["TOTAL"], direction="both", model="io")
    assert both.compile_table(table, "RUS", "TUR").links == (("RUS", "TUR"), ("TUR", "RUS"))
    with pytest.raises(InvalidDataError) as info:
        TradeRestriction(goods=["TOTAL"], measure="tariff", tariff_pct=10,
                         model="io").compile_table(table, "RUS", "TUR")
    assert info.value.field == "model.share"
    with pytest.raises(DataNotFoundError, match="rest-of-world"):
        lever.compile_table(table, "RUS", "AZE")
    with pytest.raises(UnknownCodeError) as info:
        TradeRestriction(goods=["TOTAL"], model={"name": "io", "sectors": ["fuel"]}
                         ).compile_table(table, "RUS", "TUR")
    assert info.value.field == "sectors"


def test_compile_table_pairs_is_one_scenario_per_sector_group(shared_data):
    from geolever.effects.engines.io_extraction import extract_all_pairs
    from geolever.models.io import iter_all_pairs_extraction
    from geolever.world.io import io_table

    table = io_table("wiod2013", 2008, shared_data)
    lever = TradeRestriction(goods=["TOTAL"], direction="exports",
                             model={"name": "io", "sectors": ["energy", "all"]})
    shocks = lever.compile_table_pairs(table)
    assert list(shocks.groups) == ["energy", "all"] and shocks.groups["all"].all()
    chunks = extract_all_pairs(shocks, forward=False)
    first = next(chunks)
    direct = next(iter_all_pairs_extraction(table.Z, table.Y, table.x, shocks.groups,
                                            supply_model=False))
    assert (first.sender, first.group) == (direct.sender, direct.group) == (0, "energy")
    np.testing.assert_allclose(first.output_loss, direct.output_loss, rtol=1e-12)
    with pytest.raises(InvalidDataError, match="direction"):
        TradeRestriction(goods=["TOTAL"], direction="both",
                         model="io").compile_table_pairs(table)
