"""``TradeRestriction.compile_pairs``: the all-pairs matrix through the lever kind and engine."""

from __future__ import annotations

import numpy as np
import pytest

from geolever.assessment.matrix import leverage_matrix
from geolever.core.errors import ConvergenceError, InvalidDataError, UnknownCodeError
from geolever.effects.engines.ge_trade_cost import solve_pair_shocks_batch
from geolever.levers import TradeRestriction
from geolever.models.gravity import cost_factor, solve_ge
from geolever.world.matrix import MatrixBaseline


def _world(half_food: bool = False) -> MatrixBaseline:
    flows = np.array([[60.0, 8.0, 2.0, 4.0], [6.0, 80.0, 3.0, 5.0], [1.0, 2.0, 40.0, 3.0],
                      [5.0, 4.0, 2.0, 90.0]])
    restricted = flows.copy()
    np.fill_diagonal(restricted, 0.0)
    if half_food:
        restricted *= 0.5
    return MatrixBaseline(countries=("AAA", "BBB", "CCC", "ROW"), flows=flows,
                          restricted=restricted, rest="ROW",
                          goods=("food",) if half_food else ("TOTAL",))


def _lever(direction: str, goods: list[str] | None = None, **kw: object) -> TradeRestriction:
    return TradeRestriction.model_validate({"goods": goods or ["TOTAL"],
                                            "direction": direction, "model": "ge", **kw})


def test_pairs_cut_the_links_of_each_direction() -> None:
    world = _world()
    exports = _lever("exports").compile_pairs(world)
    assert exports.size == 6  # 3 countries, ordered, no self pairs, not the rest of the world
    names = np.array(world.countries)
    pairs = {(s, t) for s, t in names[exports.cells]}
    assert ("AAA", "BBB") in pairs and ("ROW", "AAA") not in pairs
    k = next(b for b, (s, t) in enumerate(names[exports.cells]) if (s, t) == ("AAA", "BBB"))
    assert exports.entries[k].tolist() == [[0, 1]]  # AAA stops selling to BBB
    assert exports.restricted_usd[k] == 8.0 and exports.restricted[k].tolist() == [1.0]
    imports = _lever("imports").compile_pairs(world)
    assert imports.entries[k].tolist() == [[1, 0]] and imports.restricted_usd[k] == 6.0
    both = _lever("both").compile_pairs(world)
    assert both.entries[k].tolist() == [[0, 1], [1, 0]] and both.restricted_usd[k] == 14.0


def test_goods_share_and_choices() -> None:
    world = _world(half_food=True)
    food = _lever("exports", ["food"]).compile_pairs(world, senders=["AAA"], targets=["BBB"])
    assert food.size == 1 and food.restricted.tolist() == [[0.5]]
    assert food.restricted_usd.tolist() == [4.0]
    with pytest.raises(InvalidDataError, match="restricts TOTAL but the matrix baseline"):
        _lever("exports").compile_pairs(world)
    with pytest.raises(InvalidDataError, match="not with model 'pe'"):
        TradeRestriction(goods=["food"], direction="exports").compile_pairs(world)
    with pytest.raises(UnknownCodeError, match="ROW not in the matrix"):
        _lever("exports", ["food"]).compile_pairs(world, senders=["ROW"])


def test_engine_batch_equals_one_solve_per_pair() -> None:
    world = _world()
    shocks = _lever("both", measure="tariff", tariff_pct=40).compile_pairs(world)
    real, cut, reasons = solve_pair_shocks_batch(shocks, 5.0, "proportional")
    assert reasons == [""] * shocks.size
    for b in range(shocks.size):
        tau = np.ones((4, 4))
        for (i, j), share in zip(shocks.entries[b], shocks.restricted[b], strict=True):
            tau[i, j] = cost_factor(share, 5.0, 40)
        one = solve_ge(world.flows, tau, 5.0, countries=world.countries)
        s, t = shocks.cells[b]
        assert real[b].tolist() == pytest.approx(
            [one.real_gdp_pct[s], one.real_gdp_pct[t]], abs=1e-9)
        # a 40% tariff at sigma 5 cuts 1 - 1.4 ** -4 of the taxed flow before adjustment
        assert cut[b] == pytest.approx(shocks.restricted_usd[b] * (1 - 1.4 ** -4))


def test_matrix_takes_the_lever_object_or_its_name() -> None:
    world = _world()
    by_name = leverage_matrix(world, lever="import_ban", sigma=4.0)
    by_lever = leverage_matrix(world, lever=_lever("imports"), sigma=4.0)
    cols = ["target_loss_pct", "sender_cost_pct", "flow_cut_usd"]
    assert np.allclose(by_name[cols].to_numpy(), by_lever[cols].to_numpy(), atol=0)
    assert by_lever.attrs["lever"] == "embargo on imports of TOTAL"


def test_matrix_on_the_shared_path_equals_one_solve_per_pair() -> None:
    """A world large enough for the shared-baseline chord, sparse like a product-level
    matrix (zero cells, tiny flows): every pair equals its own exact solve to 1e-9, and a
    pair that restricts no flow is the baseline with its reason, exactly zero."""
    rng = np.random.default_rng(17)
    n = 14
    x = rng.lognormal(0.0, 2.5, (n, n)) * (rng.uniform(size=(n, n)) < 0.4)
    x[np.arange(n), (np.arange(n) + 1) % n] += 1.0  # one trading network
    x[np.diag_indices(n)] = rng.uniform(200, 900, n) * n
    off = x.copy()
    np.fill_diagonal(off, 0.0)
    world = MatrixBaseline(countries=tuple(f"C{k:02d}" for k in range(n)), flows=x,
                           restricted=off)
    frame = leverage_matrix(world, lever="export_ban", sigma=5.0)
    assert len(frame) == n * (n - 1) and frame.converged.mean() > 0.9
    idx = {c: k for k, c in enumerate(world.countries)}
    zero = frame.flow_cut_usd.to_numpy() == 0
    assert 0 < zero.sum() < len(frame)
    assert (frame.reason[zero] == "no baseline flow: no effect").all()
    assert (frame.reason[~zero & frame.converged] == "").all()
    assert (frame.reason[~frame.converged].str.len() > 0).all()
    assert (frame.loc[zero, ["target_loss_pct", "sender_cost_pct"]].to_numpy() == 0).all()
    for row in frame.itertuples():
        s, t = idx[row.sender], idx[row.target]
        tau = np.ones((n, n))
        tau[s, t] = np.inf
        if not row.converged:  # reported with its reason, NaN, and no solution either
            assert np.isnan(row.target_loss_pct)
            with pytest.raises(ConvergenceError):
                solve_ge(x, tau, 5.0, closure="fixed_share")
            continue
        one = solve_ge(x, tau, 5.0, closure="fixed_share", tol=1e-13)
        assert row.target_loss_pct == pytest.approx(-one.real_gdp_pct[t], abs=1e-9)
        assert row.sender_cost_pct == pytest.approx(-one.real_gdp_pct[s], abs=1e-9)
