"""Backtest: episode reading, observed vs predicted arithmetic, calibration, CLI."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geolever.backtest import prepare, read_episode, run_episode, shipped_episodes
from geolever.backtest.calibrate import Evaluator, calibrate, fit, scale_parameters
from geolever.cli import app
from geolever.core.errors import InvalidDataError, UnknownCodeError

TINY = Path(__file__).parent / "data" / "tiny-ban"


def _rows(result):
    return {(r.lever, r.horizon, r.metric): r for r in result.rows}


def test_tiny_episode_is_pinned():
    """Made-up round figures: shares 0.8 to the sender, g/n fixed -> exact predictions."""
    rows = _rows(run_episode(read_episode(TINY)))
    r1 = rows[("wine", "1y", "rerouted_share")]
    # observed: others 20 -> 40 (+20) for 80 lost; predicted min(1, 0.2/0.8*0.3 + 0.1)
    assert r1.observed == pytest.approx(0.25)
    assert r1.predicted == pytest.approx({"p5": 0.175, "p50": 0.175, "p95": 0.175})
    assert r1.inside is False
    assert r1.ratio == pytest.approx(0.7)
    assert r1.abs_log_error == pytest.approx(abs(math.log(0.175 / 0.25)))
    l1 = rows[("wine", "1y", "unreplaced_loss")]
    assert l1.observed == pytest.approx(0.75)          # (100 - 40) / 80
    assert l1.predicted["p50"] == pytest.approx(0.825)  # 1 - 0.175
    assert l1.scale_usd == pytest.approx(80e6)
    r3 = rows[("wine", "3y", "rerouted_share")]
    assert r3.observed == pytest.approx(40 / 70)       # others 20 -> 60 for 70 lost
    assert r3.predicted["p50"] == pytest.approx(0.35)   # 0.25 * 0.6 + 0.2
    assert rows[("wine", "3y", "unreplaced_loss")].observed == pytest.approx(30 / 80)


def test_outcomes_do_not_leak_into_the_assessment(tmp_path):
    """Changing the outcomes changes the observations, never the predictions."""
    copy = tmp_path / "tiny"
    shutil.copytree(TINY, copy)
    text = (copy / "outcomes.csv").read_text().replace("40000000", "75000000")
    (copy / "outcomes.csv").write_text(text)
    base, changed = run_episode(read_episode(TINY)), run_episode(read_episode(copy))
    for a, b in zip(base.rows, changed.rows, strict=True):
        assert a.predicted == b.predicted
    assert base.assessment.levers[0].target_loss_usd == changed.assessment.levers[0].target_loss_usd
    assert _rows(changed)[("wine", "1y", "rerouted_share")].observed == pytest.approx(55 / 80)


def test_scaling_keeps_shares_within_bounds():
    ep = read_episode(TINY)
    scaled = scale_parameters(ep.parameters, kappa_growth=20.0, kappa_new=20.0, spread=3.0)
    spec = scaled["new_market_share_specific_1y"]
    assert spec.high <= 1.0 and spec.low >= 0.0
    assert scaled["existing_partner_growth_1y"].low == pytest.approx(6.0)   # fixed 0.3 x 20
    widened = scale_parameters(ep.parameters, spread=2.0)["new_market_share_commodity_1y"]
    shipped = ep.parameters["new_market_share_commodity_1y"]
    assert widened.mode == shipped.mode
    assert widened.high - widened.mode == pytest.approx(min(1.0, 2 * (shipped.high - shipped.mode)
                                                           + shipped.mode) - shipped.mode)
    assert scale_parameters(ep.parameters, 2.0)["trade_elasticity"] == ep.parameters[
        "trade_elasticity"]


def test_leave_one_out_never_uses_the_scored_episode(tmp_path):
    """Three copies with different outcomes: each fold's fit equals the fit on the others."""
    folders = []
    for i, others_2011 in enumerate(("40000000", "60000000", "90000000")):
        copy = tmp_path / f"ep{i}"
        shutil.copytree(TINY, copy)
        (copy / "pack.yaml").write_text((copy / "pack.yaml").read_text().replace(
            "name: tiny-ban", f"name: ep{i}"))
        (copy / "outcomes.csv").write_text(
            (copy / "outcomes.csv").read_text().replace("40000000", others_2011))
        folders.append(copy)
    prepared = [prepare(read_episode(f)) for f in folders]
    cal = calibrate(prepared, n_draws=200, seed=1)
    ev = Evaluator(prepared, 200, 1)
    for name in ("ep0", "ep1", "ep2"):
        assert cal.loo_fit[name] == fit(ev, [n for n in ("ep0", "ep1", "ep2") if n != name])
    assert cal.loo["rerouted_share"]["n"] == 6
    # more rerouting observed than the shipped fixture predicts: the fit scales up
    assert cal.fit_all["kappa_growth"] > 1.0 or cal.fit_all["kappa_new"] > 1.0


def test_shipped_episodes_load_and_have_observations():
    names = shipped_episodes()
    assert {"russia-georgia-2006", "russia-turkey-2016", "china-australia-2020",
            "russia-azerbaijan-2020"} <= set(names)
    for name in names:
        prep = prepare(read_episode(name))
        assert any(o is not None for o in prep.observations.values()), name
        for fact in prep.episode.facts + prep.episode.outcomes:
            assert fact.source, name


def test_unknown_episode_and_bad_folder(tmp_path):
    with pytest.raises(UnknownCodeError):
        read_episode("no-such-episode")
    bad = tmp_path / "bad"
    shutil.copytree(TINY, bad)
    (bad / "outcomes.csv").unlink()
    with pytest.raises(InvalidDataError, match=r"outcomes\.csv"):
        read_episode(bad)


def test_cli_writes_report_and_exits_2_on_bad_input(tmp_path):
    runner = CliRunner()
    out = tmp_path / "out"
    res = runner.invoke(app, ["backtest", str(TINY), "--out", str(out), "--no-calibrate"])
    assert res.exit_code == 0, res.output
    doc = json.loads((out / "backtest.json").read_text())
    assert doc["episodes"][0]["rows"][0]["observed"] == pytest.approx(0.25)
    html = (out / "report.html").read_text()
    assert "<svg" in html and "tiny-ban" in html
    bad = tmp_path / "bad"
    shutil.copytree(TINY, bad)
    (bad / "outcomes.csv").write_text((bad / "outcomes.csv").read_text().replace(
        "40000000", "forty"))
    res = runner.invoke(app, ["backtest", str(bad), "--out", str(tmp_path / "o2")])
    assert res.exit_code == 2
    assert "outcomes.csv line 3" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "o2").exists()


def test_unquoted_comma_in_a_source_is_an_error_not_a_shift(tmp_path):
    """A source 'Publisher, 2021' without quotes would push the URL into the note column."""
    bad = tmp_path / "bad"
    shutil.copytree(TINY, bad)
    text = (bad / "facts.csv").read_text().replace("reported,,fixture,,\n",
                                                   "reported,,Publisher, 2021,,\n", 1)
    (bad / "facts.csv").write_text(text)
    with pytest.raises(InvalidDataError, match="fields where the header has") as err:
        read_episode(bad)
    assert err.value.field.endswith("facts.csv line 2")


def test_horizon_before_the_base_year_is_an_error(tmp_path):
    bad = tmp_path / "bad"
    shutil.copytree(TINY, bad)
    (bad / "pack.yaml").write_text((bad / "pack.yaml").read_text().replace("1y: 2011", "1y: 2010"))
    with pytest.raises(InvalidDataError, match="not after the base year"):
        read_episode(bad)
