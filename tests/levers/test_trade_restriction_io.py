"""The input-output model behind the TradeRestriction lever (real WIOD 2013 tables)."""

import numpy as np
import pytest

from geolever.assessment import assess_levers
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
