"""``data import gravity`` stores US$: the file's unit comes from its documentation.

Yotov et al. (2016) and gegravity's sample hold US$ million (their Stata label says "current US
dollars"); before issue 14's fix the store read them as US$, a million times too small.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from geolever.core.errors import InvalidDataError
from geolever.sources.gravity_data import read_gravity, trade_unit
from geolever.sources.gravity_flows import gravity_flow_source
from geolever.store import FactStore
from geolever.store.bulk import aggregate_flows, ingest_flows


@pytest.mark.parametrize("name", ["1_TradeWithoutBorder.dta", "sample_data_set.dlm"])
def test_published_datasets_are_read_in_their_documented_unit(shared_data: Path,
                                                              name: str) -> None:
    path = shared_data / "gravity" / name
    unit = trade_unit(path)
    assert unit.unit == "USD million" and unit.usd == 1e6 and name in unit.basis
    raw = read_gravity(path, rename={"ZZZ": "DEU"})
    usa = float(raw[(raw.exporter == "USA") & (raw.importer == "USA")].trade.iloc[0])
    with FactStore(":memory:") as store:
        ingest_flows(store, gravity_flow_source(path, rename={"ZZZ": "DEU"}))
        agg = aggregate_flows(store, 2006, ["USA", "CAN"])
    stored = float(agg[agg.domestic & (agg.exporter == "USA")].value_usd.iloc[0])
    assert stored == pytest.approx(usa * 1e6)  # US$4.2 trillion, not US$4.2 million
    assert 1e12 < stored < 1e13


def test_an_undocumented_file_needs_its_unit(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text("exporter,importer,year,trade\nAUS,CAN,2006,5\nCAN,AUS,2006,7\n")
    with pytest.raises(InvalidDataError, match="not documented") as err:
        gravity_flow_source(path)
    assert err.value.field == "unit" and "unit=USD_million" in (err.value.fix or "")
    with FactStore(":memory:") as store:
        ingest_flows(store, gravity_flow_source(path, unit="USD_thousand"))
        agg = aggregate_flows(store, 2006, ["AUS", "CAN"])
    assert float(agg[(agg.exporter == "AUS") & (agg.importer == "CAN")].value_usd.iloc[0]) \
        == pytest.approx(5e3)
    with pytest.raises(InvalidDataError, match="unknown trade unit"):
        trade_unit(path, "EUR")
