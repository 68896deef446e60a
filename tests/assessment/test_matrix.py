"""The all-pairs leverage matrix: baseline, shocks, GE results, Dask equality, CLI."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from geolever.assessment.matrix import leverage_matrix
from geolever.cli.matrix_cmd import matrix_command
from geolever.core.errors import DataNotFoundError, UnknownCodeError
from geolever.core.facts import Fact
from geolever.models.gravity import cost_factor, solve_ge
from geolever.sources.baci import baci_source
from geolever.sources.gravity_flows import gravity_flow_source
from geolever.store import FactStore
from geolever.store.bulk import ingest_flows
from geolever.world.matrix import MatrixBaseline, baseline_from_store
from geolever.world.trade import domestic_from_gdp

FIX = Path(__file__).parents[1] / "fixtures" / "sources"
BACI = FIX / "baci" / "BACI_HS92_Y2021_V202401b.csv"
GDP = {
    "AZE": 54.8e9,
    "RUS": 1843.4e9,
    "GEO": 18.7e9,
    "TUR": 819.0e9,
    "USA": 23315.1e9,
    "FRA": 2957.9e9,
    "TWN": 775.0e9,
    "WLD": 97531.5e9,
}


def _toy(n: int = 5, seed: int = 0) -> MatrixBaseline:
    rng = np.random.default_rng(seed)
    x = rng.uniform(1.0, 10.0, (n, n))
    x[np.diag_indices(n)] = rng.uniform(50.0, 100.0, n)
    codes = tuple(f"C{k}" for k in range(n))
    off = x.copy()
    np.fill_diagonal(off, 0.0)
    return MatrixBaseline(countries=codes, flows=x, restricted=off)


@pytest.fixture()
def baci_store() -> FactStore:
    with FactStore(":memory:") as db:
        ingest_flows(db, baci_source(BACI))
        db.add_facts(
            [
                Fact(indicator="gdp", country=c, year=2021, value=v, unit="USD", source="test")
                for c, v in GDP.items()
            ],
            dataset="gdp",
        )
        yield db


def test_domestic_from_gdp_by_hand() -> None:
    dom, floored = domestic_from_gdp(np.array([30.0, 120.0]), np.array([100.0, 100.0]), 0.05)
    assert dom.tolist() == [70.0, 6.0]  # 100 - 30; floor 5% of max(100, 120)
    assert floored.tolist() == [False, True]


def test_cost_factor_embargo_tariff_and_share() -> None:
    sigma = 5.0
    tau = cost_factor(np.array([1.0, 0.0, 0.5]), sigma, None)
    assert tau[0] == np.inf and tau[1] == 1.0
    # half the flow embargoed: t = tau^(1-sigma) = 0.5
    assert tau[2] ** (1 - sigma) == pytest.approx(0.5)
    full = cost_factor(np.array([1.0]), sigma, 25.0)
    assert full[0] == pytest.approx(1.25)  # all goods taxed: tau_hat = 1 + tariff


@settings(max_examples=20, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(1.5, 10.0), st.floats(0.0, 200.0))
def test_cost_factor_removes_exactly_the_restricted_part(
    share: float, sigma: float, tariff: float
) -> None:
    t = cost_factor(np.array([share]), sigma, tariff)[0] ** (1.0 - sigma)
    f = (1.0 + tariff / 100.0) ** (1.0 - sigma)
    assert t == pytest.approx(1.0 - share * (1.0 - f), abs=1e-12)


def test_export_ban_equals_direct_ge_solution() -> None:
    base = _toy()
    frame = leverage_matrix(base, lever="export_ban", sigma=4.0)
    assert len(frame) == 20
    tau = np.ones((5, 5))
    tau[1, 3] = np.inf  # sender C1 stops selling to target C3
    direct = solve_ge(base.flows, tau, 4.0, closure="fixed_share").real_gdp_pct
    row = frame[(frame.sender == "C1") & (frame.target == "C3")].iloc[0]
    assert row.target_loss_pct == pytest.approx(-direct[3], rel=1e-8)
    assert row.sender_cost_pct == pytest.approx(-direct[1], rel=1e-8)
    assert row.ratio == pytest.approx(row.target_loss_pct / row.sender_cost_pct)
    assert row.flow_cut_usd == pytest.approx(base.flows[1, 3])
    assert row.target_loss_usd == pytest.approx(row.target_loss_pct / 100 * base.flows[3].sum())


def test_two_way_embargo_equals_direct_ge_solution() -> None:
    base = _toy()
    frame = leverage_matrix(base, lever="embargo", sigma=4.0)
    tau = np.ones((5, 5))
    tau[1, 3] = tau[3, 1] = np.inf  # C1 and C3 stop trading both ways
    direct = solve_ge(base.flows, tau, 4.0, closure="fixed_share").real_gdp_pct
    row = frame[(frame.sender == "C1") & (frame.target == "C3")].iloc[0]
    assert row.target_loss_pct == pytest.approx(-direct[3], rel=1e-8)
    assert row.sender_cost_pct == pytest.approx(-direct[1], rel=1e-8)
    # the other closure on request, equal to the solver's own default
    prop = leverage_matrix(base, lever="embargo", sigma=4.0, closure="proportional")
    direct = solve_ge(base.flows, tau, 4.0).real_gdp_pct
    row = prop[(prop.sender == "C1") & (prop.target == "C3")].iloc[0]
    assert row.target_loss_pct == pytest.approx(-direct[3], rel=1e-8)
    assert row.sender_cost_pct == pytest.approx(-direct[1], rel=1e-8)


def test_embargo_is_symmetric_and_import_ban_mirrors_export_ban() -> None:
    base = _toy(4, seed=3)
    emb = leverage_matrix(base, lever="embargo").set_index(["sender", "target"])
    for (s, t), row in emb.iterrows():
        assert row.target_loss_pct == pytest.approx(emb.loc[(t, s), "sender_cost_pct"])
    exp = leverage_matrix(base, lever="export_ban").set_index(["sender", "target"])
    imp = leverage_matrix(base, lever="import_ban").set_index(["sender", "target"])
    # S banning imports from T cuts the same flow as T banning exports to S
    assert imp.loc[("C0", "C2"), "target_loss_pct"] == pytest.approx(
        exp.loc[("C2", "C0"), "sender_cost_pct"]
    )


def test_zero_share_means_no_effect() -> None:
    base = _toy()
    none = MatrixBaseline(base.countries, base.flows, np.zeros_like(base.flows))
    frame = leverage_matrix(none, lever="embargo")
    assert np.abs(frame[["target_loss_pct", "sender_cost_pct"]].to_numpy()).max() < 1e-9
    assert frame.ratio.isna().all()  # no cost to divide by


def test_unknown_lever_and_country() -> None:
    with pytest.raises(UnknownCodeError, match="lever"):
        leverage_matrix(_toy(), lever="blockade")
    with pytest.raises(UnknownCodeError, match="XYZ"):
        leverage_matrix(_toy(), senders=["XYZ"])


def test_dask_local_cluster_gives_identical_results() -> None:
    from distributed import Client, LocalCluster

    base = _toy(12, seed=7)
    local = leverage_matrix(base, lever="export_ban", chunk=25)
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        ticks: list[int] = []
        remote = leverage_matrix(
            base, lever="export_ban", chunk=25, client=client, progress=ticks.append
        )
    assert sum(ticks) == 132 and len(ticks) == 6  # 132 pairs in chunks of 25
    pd.testing.assert_frame_equal(local, remote, check_exact=True)


def test_baseline_from_baci_and_gdp(baci_store: FactStore) -> None:
    base = baseline_from_store(baci_store, 2021, ["AZE", "RUS", "GEO"], goods=["food"])
    assert base.countries == ("AZE", "RUS", "GEO", "ROW")
    x = base.flows
    assert x[1, 0] == pytest.approx((250000 + 80000) * 1e3)  # RUS -> AZE, US$
    exports_aze = x[0].sum() - x[0, 0]
    assert x[0, 0] == pytest.approx(GDP["AZE"] - exports_aze)  # GDP - exports
    rest_gdp = GDP["WLD"] - GDP["AZE"] - GDP["RUS"] - GDP["GEO"]
    assert x[3].sum() == pytest.approx(rest_gdp)  # ROW output = its GDP
    assert base.restricted[1, 0] == pytest.approx(250000e3)  # food only
    assert any("Anderson and van Wincoop" in a for a in base.assumptions)
    frame = leverage_matrix(base, lever="export_ban")
    row = frame[(frame.sender == "RUS") & (frame.target == "AZE")].iloc[0]
    assert row.flow_cut_usd == pytest.approx(250000e3)
    assert row.target_loss_pct > 0


def test_baseline_errors(baci_store: FactStore) -> None:
    with pytest.raises(DataNotFoundError, match="2019"):
        baseline_from_store(baci_store, 2019)
    with pytest.raises(UnknownCodeError, match="BRA"):
        baseline_from_store(baci_store, 2021, ["AZE", "BRA"])
    with pytest.raises(DataNotFoundError, match="GDP"):
        baseline_from_store(baci_store, 2021, ["AZE", "RUS"], gdp=pd.Series({"AZE": 1e9}))


def test_matrix_on_yotov_data_with_recorded_domestic_sales(shared_data: Path) -> None:
    with FactStore(":memory:") as db:
        ingest_flows(
            db,
            gravity_flow_source(
                shared_data / "gravity" / "1_TradeWithoutBorder.dta", rename={"ZZZ": "DEU"}
            ),
        )
        base = baseline_from_store(db, 2006, ["USA", "CAN", "MEX", "DEU", "CHN"])
    frame = leverage_matrix(base, lever="embargo", sigma=7.0)
    usa_can = frame[(frame.sender == "USA") & (frame.target == "CAN")].iloc[0]
    # Canada depends far more on the US than the reverse: the ratio is well above 1
    assert usa_can.target_loss_pct > 0 and usa_can.ratio > 1.5
    assert (frame.target_loss_pct > 0).all()


def test_matrix_command_writes_parquet_csv_and_charts(
    baci_store: FactStore, tmp_path: Path
) -> None:
    db_path = tmp_path / "store.duckdb"
    with FactStore(db_path) as db:
        ingest_flows(db, baci_source(BACI))
        db.add_facts(
            [
                Fact(indicator="gdp", country=c, year=2021, value=v, unit="USD", source="test")
                for c, v in GDP.items()
            ],
            dataset="gdp",
        )
    app = typer.Typer()
    app.command()(matrix_command)
    runner = CliRunner()
    out, chart = tmp_path / "m.parquet", tmp_path / "m.png"
    result = runner.invoke(
        app,
        [
            "--year",
            "2021",
            "--countries",
            "AZE,RUS,TUR,GEO",
            "--out",
            str(out),
            "--chart",
            str(chart),
            "--store",
            str(db_path),
        ],
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_parquet(out)
    assert len(frame) == 12 and set(frame.columns) >= {"sender", "target", "ratio"}
    assert chart.read_bytes()[:4] == b"\x89PNG"
    svg = tmp_path / "m.svg"
    result = runner.invoke(
        app,
        [
            "--year",
            "2021",
            "--countries",
            "AZE,RUS,TUR",
            "--lever",
            "embargo",
            "--goods",
            "energy",
            "--out",
            str(tmp_path / "m.csv"),
            "--chart",
            str(svg),
            "--chart-value",
            "ratio",
            "--store",
            str(db_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert svg.read_text().lstrip().startswith("<?xml")
    assert len(pd.read_csv(tmp_path / "m.csv")) == 6
    bad = runner.invoke(app, ["--year", "2021", "--lever", "blockade", "--store", str(db_path)])
    assert bad.exit_code == 2 and "use one of" in bad.output


def test_pair_without_equilibrium_is_nan_not_a_crash(baci_store: FactStore) -> None:
    # GEO (a deficit economy here) buys abroad only from RUS: under the proportional
    # closure it cannot keep spending more than it earns once RUS stops selling to it
    base = baseline_from_store(baci_store, 2021, ["AZE", "RUS", "TUR", "GEO"])
    frame = leverage_matrix(base, lever="export_ban").set_index(["sender", "target"])
    assert not frame.loc[("RUS", "GEO"), "converged"]
    assert np.isnan(frame.loc[("RUS", "GEO"), "target_loss_pct"])
    assert frame.loc[("RUS", "AZE"), "converged"]
    assert frame["converged"].sum() >= 9
