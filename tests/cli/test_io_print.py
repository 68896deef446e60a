"""``geolever io extract|matrix`` print for people and write only where told (issue 18)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from geolever.cli.io_cmd import io_app, sector_labels

app = typer.Typer()
app.add_typer(io_app, name="io")
runner = CliRunner()


@pytest.fixture
def in_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_extract_without_out_dir_prints_names_and_units_and_writes_nothing(
        shared_data: Path, in_empty_folder: Path) -> None:
    args = ["io", "extract", "--sender", "RUS", "--target", "TUR", "--sectors", "food",
            "--data-dir", str(shared_data)]
    result = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Food, beverages and tobacco" in result.output  # c3, named
    assert "US$m" in result.output and "USD million" in result.output
    assert list(in_empty_folder.iterdir()) == []  # nothing in the current folder


def test_extract_json_is_parseable_with_sector_names(shared_data: Path,
                                                     in_empty_folder: Path) -> None:
    args = ["io", "extract", "--sender", "RUS", "--target", "TUR", "--sectors", "food",
            "--data-dir", str(shared_data), "--format", "json", "--top", "5"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert len(rows) == 5 and rows[0]["sector_name"] and rows[0]["output_loss"] > 0
    assert list(in_empty_folder.iterdir()) == []


def test_matrix_without_out_dir_prints_only(shared_data: Path, in_empty_folder: Path) -> None:
    args = ["io", "matrix", "--groups", "energy", "--top", "3", "--no-forward",
            "--data-dir", str(shared_data), "--format", "csv"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("sender,target,world_backward_loss") and len(lines) == 4
    assert list(in_empty_folder.iterdir()) == []


def test_sector_labels_fall_back_to_codes() -> None:
    assert sector_labels(["c1", "c3"])["c3"] == "Food, beverages and tobacco"
    assert sector_labels(["nope"]) == {"nope": "nope"}
