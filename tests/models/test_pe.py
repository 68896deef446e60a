import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geolever.models.exposure import calc_hhi, calc_hhi_bounds, calc_share
from geolever.models.network import solve_reroute
from geolever.models.remittances import calc_indirect_budget_loss, calc_remittance_loss
from geolever.models.substitution import calc_replaceable_share, calc_tariff_cut
from geolever.models.trade_pe import calc_exporter_loss, calc_importer_loss
from geolever.models.uncertainty import ParameterDraws, percentiles

shares = st.floats(0.01, 1.0)
unit = st.floats(0.0, 1.0)


def test_exposure_share_and_hhi_by_hand():
    assert calc_share(574e6, 74.17e9) == pytest.approx(0.774, abs=1e-3)
    # wheat suppliers 90.2% / 9.8%: 0.902^2 + 0.098^2 = 0.8232 -> 8232
    assert calc_hhi(np.array([0.902, 0.098])) == pytest.approx(8232.08)
    assert calc_hhi(np.array([[1, 1, 1, 1]])) == pytest.approx([2500.0])


def test_hhi_bounds_from_one_known_share():
    low, high = calc_hhi_bounds(0.902)
    assert low == pytest.approx(8136.04) and high == pytest.approx(8232.08)
    assert calc_hhi_bounds(1.0) == (10_000.0, 10_000.0)
    lo, hi = calc_hhi_bounds(np.array([0.2, 0.5]))
    assert np.all(lo <= hi) and hi[1] == pytest.approx(5000.0)


def test_replaceable_share_by_hand():
    # tomatoes: Russia takes 96%; others 4% can grow 30% -> 0.04/0.96*0.3 = 0.0125, +10% new
    assert calc_replaceable_share(0.96, 0.3, 0.1) == pytest.approx(0.1125)
    assert calc_replaceable_share(0.5, 2.0, 0.5) == 1.0  # capped
    assert calc_replaceable_share(1.0, 0.3, 0.0) == 0.0  # no other partner, no new market


def test_trade_losses_by_hand():
    # 100 cut, 20% replaced; exporter keeps value added 0.65 on the rest, 10% discount on replaced
    assert calc_exporter_loss(100.0, 0.2, 0.65, 0.1) == pytest.approx(0.8 * 65 + 0.2 * 10)
    assert calc_importer_loss(100.0, 0.8, 0.4, 0.07) == pytest.approx(0.2 * 40 + 0.8 * 7)
    assert calc_tariff_cut(0.25, 5.0) == pytest.approx(1 - 1.25 ** -5)


def test_remittance_loss_by_hand():
    loss = calc_remittance_loss(574.1e6, 1.0, 0.4)
    assert loss == pytest.approx(344.46e6)
    assert calc_indirect_budget_loss(loss, 0.1) == pytest.approx(34.446e6)


def test_reroute_hand_computed():
    # western route (0.8 Mt) closed; Caspian has 2 Mt spare at 60 $/t, east 0.6 Mt spare at 75
    r = solve_reroute(["W", "C", "E"], ["R"] * 3, ["I"] * 3, np.array([2.0, 12.0, 2.5]),
                      np.array([0.8, 10.0, 1.9]), np.array([50.0, 60.0, 75.0]),
                      [True, False, False], "R", "I")
    assert r.blocked_volume == pytest.approx(0.8)
    assert r.rerouted.tolist() == pytest.approx([0.0, 0.8, 0.0])
    assert r.unserved == pytest.approx(0.0)
    # not enough spare capacity: 3 Mt blocked, 2 + 0.6 spare -> 0.4 unserved, cheapest first
    r = solve_reroute(["W", "C", "E"], ["R"] * 3, ["I"] * 3, np.array([3.0, 12.0, 2.5]),
                      np.array([3.0, 10.0, 1.9]), np.array([50.0, 60.0, 75.0]),
                      [True, False, False], "R", "I")
    assert r.rerouted.tolist() == pytest.approx([0.0, 2.0, 0.6])
    assert r.unserved == pytest.approx(0.4)


def test_reroute_through_terminals_in_series():
    # pipeline A (closed) and B share no terminal; B -> its terminal is uncapacitated
    r = solve_reroute(["A", "B", "TA", "TB"], ["O", "O", "a", "b"], ["a", "b", "W", "W"],
                      np.array([5.0, 50.0, np.inf, np.inf]), np.array([1.0, 20.0, 0.0, 0.0]),
                      np.array([15.0, 30.0, 0.0, 0.0]), [True, False, False, False], "O", "W")
    assert r.delivered == pytest.approx(1.0) and r.unserved == 0.0
    assert r.new_flow.tolist() == pytest.approx([0.0, 21.0, 0.0, 1.0])


@given(shares, unit, unit, unit, unit)
def test_zero_cut_changes_nothing(s, g, n, va, d):
    r = calc_replaceable_share(s, g, n)
    assert calc_exporter_loss(0.0, r, va, d) == 0.0
    assert calc_importer_loss(0.0, r, va, d) == 0.0
    assert calc_remittance_loss(1e9, 0.0, r) == 0.0


@given(st.floats(0, 1e10), unit, unit, st.floats(0, 1), st.floats(0, 1))
def test_bigger_cut_never_helps(v, r, va, d, extra):
    small = calc_exporter_loss(v, r, va, d)
    assert calc_exporter_loss(v * (1 + extra), r, va, d) >= small
    assert calc_remittance_loss(v, 0.5, r) <= calc_remittance_loss(v, 0.5 + extra / 2, r)


@given(st.floats(0.0, 5.0), st.floats(0.0, 5.0), st.floats(1.0, 10.0))
def test_higher_tariff_cuts_more(t1, t2, e):
    lo, hi = sorted((t1, t2))
    assert calc_tariff_cut(lo, e) <= calc_tariff_cut(hi, e) + 1e-12


@given(st.lists(st.booleans(), min_size=3, max_size=3), st.lists(st.booleans(), min_size=3,
                                                                  max_size=3))
def test_closing_more_routes_never_serves_more(a, b):
    args = (["W", "C", "E"], ["R"] * 3, ["I"] * 3, np.array([3.0, 11.0, 2.5]),
            np.array([1.0, 10.0, 1.9]), np.array([50.0, 60.0, 75.0]))
    more = [x or y for x, y in zip(a, b, strict=True)]
    fewer = solve_reroute(*args, a, "R", "I")
    bigger = solve_reroute(*args, more, "R", "I")
    assert bigger.unserved >= fewer.unserved - 1e-9
    assert bigger.new_flow.sum() <= fewer.new_flow.sum() + 1e-9


def test_parameter_draws_are_seeded_and_per_name():
    class Spec:
        distribution, low, mode, high = "triangular", 0.0, 0.5, 1.0

    a = ParameterDraws({"x": Spec(), "y": Spec()}, 500, seed=3)
    b = ParameterDraws({"y": Spec(), "x": Spec()}, 500, seed=3)
    _ = b["y"]
    assert np.array_equal(a["x"], b["x"])  # order of use does not matter
    assert not np.array_equal(a["x"], a["y"])
    assert not np.array_equal(a["x"], ParameterDraws({"x": Spec()}, 500, seed=4)["x"])
    band = percentiles(a["x"])
    assert 0 < band["p5"] < band["p50"] < band["p95"] < 1
