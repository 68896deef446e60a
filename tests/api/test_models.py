"""geolever.ge and geolever.io_extract: the CLI's numbers and errors, as DataFrames."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import geolever
from geolever import cli
from geolever.cli import app
from geolever.core.errors import GeoleverError

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()
cli.err_console.width = 400


def _cli(args: list[str]) -> tuple[int, str]:
    out = runner.invoke(app, args)
    return out.exit_code, " ".join(out.stderr.split()).removeprefix("error: ")


def test_ge_equals_the_cli_on_the_gegravity_sample(shared_data: Path, tmp_path: Path) -> None:
    data = shared_data / "gravity" / "sample_data_set.dlm"
    res = geolever.ge(data, embargo=["USA:CAN"], tariff=["CHN:JPN=0.1"], sigma=5,
                      reference="DEU")
    code, err = _cli(["ge", str(data), "--embargo", "USA:CAN", "--tariff", "CHN:JPN=0.1",
                      "--sigma", "5", "--reference", "DEU", "--out", str(tmp_path)])
    assert code == 0, err
    by_cli = pd.read_csv(tmp_path / "results.csv", index_col=0)
    frame = res.to_frame()
    pd.testing.assert_frame_equal(frame, by_cli.loc[frame.index], check_names=False,
                                  check_index_type=False, rtol=1e-12)
    assert frame.loc["CAN", "real_gdp_pct"] < 0  # the embargo hurts Canada


def test_ge_errors_are_the_clis(shared_data: Path) -> None:
    data = shared_data / "gravity" / "sample_data_set.dlm"
    with pytest.raises(GeoleverError) as err:
        geolever.ge(data, embargo=["USA:XXX"])
    code, text = _cli(["ge", str(data), "--embargo", "USA:XXX"])
    assert code == 2 and text == " ".join(str(err.value).split())
    with pytest.raises(GeoleverError, match="sigma"):
        geolever.ge(data, embargo=["USA:CAN"], sigma=0.5)


def test_ge_runs_a_replication_spec(shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the spec names ../shared/data/gravity/..., read from the repository root (the dataset
    # is real: without ../shared the test is skipped, with the reason, not failed)
    if not (REPO.parent / "shared" / "data" / "gravity").is_dir():
        pytest.skip(f"the spec's dataset folder {REPO.parent / 'shared' / 'data'} is absent")
    monkeypatch.chdir(REPO)
    spec = REPO / "examples" / "gravity" / "app1_trade_without_borders.yaml"
    rep = geolever.ge(spec=spec)
    assert rep.result.residual < 1e-6
    assert len(rep.countries) == 69


def test_io_extract_equals_the_cli(shared_data: Path, tmp_path: Path) -> None:
    frame = geolever.io_extract("RUS", "TUR", sectors=["food"], data_dir=shared_data)
    code, err = _cli(["io", "extract", "--table", "wiod2013", "--year", "2008", "--sender",
                      "RUS", "--target", "TUR", "--sectors", "food", "--out-dir",
                      str(tmp_path), "--data-dir", str(shared_data)])
    assert code == 0, err
    by_cli = pd.read_csv(tmp_path / "losses.csv", index_col=[0, 1])
    assert frame.attrs["sectors_cut"] == ["c1", "c3"]
    assert (frame.attrs["sender"], frame.attrs["target"], frame.attrs["table"]) == (
        "RUS", "TUR", "wiod2013")
    for col in ("output_loss", "forward_output_loss", "value_added_loss"):
        assert frame[col].to_numpy() == pytest.approx(by_cli[col].to_numpy(), rel=1e-12)
    with pytest.raises(GeoleverError) as missing:
        geolever.io_extract("RUS", "AZE", data_dir=shared_data)
    assert "AZE" in str(missing.value) and missing.value.field == "target"
