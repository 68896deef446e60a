"""The rerouting engine: extra cost >= 0 by construction, status and volume kept consistent.

Built for any pair: Russia -> Kazakhstan on the INSTC network (the eastern route crosses
Kazakhstan) gave a negative sender cost (rerouting cheaper than the route used, an
impossible optimum), an "asymmetry >100000x" and a 1e6 placeholder before issue 14's fix.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from geolever.assessment import assess_levers
from geolever.core.facts import Fact
from geolever.levers.kinds.corridor_exclusion import CorridorExclusion
from geolever.levers.kinds.transit_block import TransitBlock
from geolever.store import FactStore
from geolever.world import load_case


@pytest.fixture
def rus_kaz():
    store = FactStore(":memory:")
    store.add_facts([Fact(indicator="gdp", country="KAZ", year=2024, value=2.6e11, unit="USD",
                          source="test row (order of WDI's 2023 value)")], dataset="test")
    return load_case(store, "russia-azerbaijan", year=2024, sender="RUS", target="KAZ")


def test_excluding_kazakhstan_from_the_instc_costs_the_shipper_nothing_negative(rus_kaz):
    res = assess_levers(rus_kaz, [CorridorExclusion(corridor="instc")], n_draws=2000,
                        seed=3).levers[0]
    assert res.feasible
    assert np.all(res.sender_draws >= 0)  # was p50 -39m: the eastern route is the dearest
    assert res.sender_cost_usd.p5 >= 0
    # the central tariffs say the route used is not the cheapest: flagged, not hidden
    assert any("contradict the observed routing" in n for n in res.notes)
    assert res.asymmetry is None
    assert any("No asymmetry" in n for n in res.notes)
    text = json.dumps(res.to_dict(), allow_nan=False)
    assert "1000000.0" not in text


def test_a_draw_with_cheaper_alternatives_counts_as_no_extra_cost(rus_kaz):
    case = load_case(rus_kaz.store, "russia-azerbaijan", year=2024)
    res = assess_levers(case, [CorridorExclusion(corridor="instc")], n_draws=2000,
                        seed=3).levers[0]
    rerouted = res.details.delivered_mt
    assert rerouted == pytest.approx(res.details.blocked_mt)
    zero = res.sender_draws == 0
    assert 0 < zero.mean() < 0.5 and np.all(res.sender_draws >= 0)
    note = next(n for n in res.notes if "counts as 0 in those draws" in n)
    assert f"{int(zero.sum()):,} of 2,000 draws" in note


def test_operating_link_without_a_volume_is_flagged():
    store = FactStore(":memory:")
    case = load_case(store, "russia-azerbaijan", year=2024)
    store.con.execute("DELETE FROM facts WHERE indicator = 'pipeline_throughput' "
                      "AND entity = 'BAKU_SUPSA'")
    res = assess_levers(case, [TransitBlock(asset="BTC")], n_draws=200).levers[0]
    assert any("Baku-Supsa" in n and "reported operating" in n and "no throughput" in n
               for n in res.notes)
