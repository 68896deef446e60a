"""``geolever io extract`` and ``geolever io matrix`` on WIOD 2013, via a throwaway Typer app."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner

from geolever.cli.io_cmd import io_app

app = typer.Typer()
app.add_typer(io_app, name="io")
runner = CliRunner()


def test_extract_rus_tur_food(shared_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "ex"
    args = ["io", "extract", "--table", "wiod2013", "--year", "2008", "--sender", "RUS"]
    args += ["--target", "TUR", "--sectors", "food", "--out-dir", str(out)]
    args += ["--data-dir", str(shared_data)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads((out / "result.json").read_text())
    assert (data["table"], data["year"], data["sender"], data["target"]) == (
        "wiod2013",
        2008,
        "RUS",
        "TUR",
    )
    assert data["sectors_cut"] == ["c1", "c3"]
    assert data["extracted_intermediate"] + data["extracted_final"] > 0
    # Backward losses fall on RUS, forward losses on TUR.
    by_region = data["loss_by_region"]
    assert by_region["RUS"]["output_loss"] == max(r["output_loss"] for r in by_region.values())
    assert by_region["TUR"]["forward_output_loss"] == max(
        r["forward_output_loss"] for r in by_region.values()
    )
    assert (out / "most_affected_sectors.png").stat().st_size > 1000
    losses = pd.read_csv(out / "losses.csv")
    assert len(losses) == 41 * 35


def test_extract_missing_target_says_so(shared_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "aze"
    args = ["io", "extract", "--sender", "RUS", "--target", "AZE", "--out-dir", str(out)]
    result = runner.invoke(app, [*args, "--data-dir", str(shared_data)])
    assert result.exit_code == 2
    assert "AZE" in result.output and "ROW" in result.output
    assert "target" in result.output and "not substitute" in result.output
    assert not out.exists()  # a failed run writes nothing (issue 14), not an error record


def test_unknown_table(tmp_path: Path) -> None:
    args = ["io", "extract", "--table", "wiod2099", "--sender", "RUS", "--target", "TUR"]
    result = runner.invoke(app, [*args, "--out-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "unknown input-output table" in result.output


def test_matrix_streams_parquet(shared_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "m"
    pq_file = tmp_path / "pairs.parquet"
    args = ["io", "matrix", "--table", "wiod2013", "--year", "2008", "--groups", "energy,all"]
    args += ["--out", str(pq_file), "--out-dir", str(out), "--data-dir", str(shared_data)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads((out / "result.json").read_text())
    assert (data["table"], data["year"], data["pairs"]) == ("wiod2013", 2008, 1640)
    top = data["top_pairs"]["all"]
    assert top[0]["world_backward_loss"] >= top[-1]["world_backward_loss"]
    assert all(p["sender"] != p["target"] for p in top)
    meta = pq.read_schema(pq_file).metadata
    assert meta[b"geolever.table"] == b"wiod2013" and meta[b"geolever.year"] == b"2008"
    frame = pd.read_parquet(pq_file)
    assert len(frame) == 2 * 1640 * 41
    assert set(frame["group"]) == {"energy", "all"}
    # The whole link never costs less than its energy part.
    key = ["sender", "target", "region"]
    wide = frame.pivot_table(index=key, columns="group", values="output_loss")
    assert (wide["all"] >= wide["energy"] - 1e-6).all()
    assert (out / "most_affected_pairs.png").is_file()


@pytest.mark.parametrize("bad", ["--share=1.5"])
def test_bad_share(shared_data: Path, tmp_path: Path, bad: str) -> None:
    args = ["io", "extract", "--sender", "RUS", "--target", "TUR", bad]
    result = runner.invoke(app, [*args, "--out-dir", str(tmp_path), "--data-dir", str(shared_data)])
    assert result.exit_code == 2
    assert "share" in result.output


def test_matrix_without_a_group_names_the_option(shared_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "none"
    args = ["io", "matrix", "--groups", ",", "--out-dir", str(out)]
    result = runner.invoke(app, [*args, "--data-dir", str(shared_data)])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "--groups: no sector group given" in text and "--groups food,all" in text
    assert not out.exists() and "Traceback" not in text
