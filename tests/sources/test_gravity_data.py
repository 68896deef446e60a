"""Tests of the gravity dataset reader (geolever.sources.gravity_data)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geolever.core.errors import DataNotFoundError, InvalidDataError
from geolever.sources.gravity_data import flow_matrix, read_gravity


def _write(tmp_path: Path, rows: list[tuple[str, str, int, float]], name: str = "g.csv") -> Path:
    df = pd.DataFrame(rows, columns=["exporter", "importer", "year", "trade"])
    path = tmp_path / name
    if name.endswith(".parquet"):
        df.to_parquet(path)
    elif name.endswith(".dta"):
        df.to_stata(path, write_index=False)
    else:
        df.to_csv(path, sep="\t" if name.endswith(".dlm") else ",", index=False)
    return path


GOOD = [
    ("AAA", "AAA", 2006, 5.0),
    ("AAA", "BBB", 2006, 1.0),
    ("BBB", "AAA", 2006, 2.0),
    ("BBB", "BBB", 2006, 7.0),
]


@pytest.mark.parametrize("name", ["g.csv", "g.dlm", "g.parquet", "g.dta"])
def test_read_formats(tmp_path: Path, name: str) -> None:
    df = read_gravity(_write(tmp_path, GOOD, name))
    codes, x = flow_matrix(df)
    assert codes == ["AAA", "BBB"]
    assert x.tolist() == [[5.0, 1.0], [2.0, 7.0]]


def test_duplicate_rows(tmp_path: Path) -> None:
    with pytest.raises(InvalidDataError, match="duplicate") as info:
        read_gravity(_write(tmp_path, [*GOOD, ("AAA", "BBB", 2006, 3.0)]))
    assert info.value.field == "exporter,importer,year"


def test_missing_pair_named(tmp_path: Path) -> None:
    df = read_gravity(_write(tmp_path, GOOD[:3]))
    with pytest.raises(InvalidDataError) as info:
        flow_matrix(df)
    assert info.value.field == "BBB->BBB"


def test_nan_and_negative(tmp_path: Path) -> None:
    with pytest.raises(InvalidDataError, match="missing trade"):
        read_gravity(_write(tmp_path, [*GOOD[:3], ("BBB", "BBB", 2006, float("nan"))]))
    with pytest.raises(InvalidDataError, match="negative"):
        read_gravity(_write(tmp_path, [*GOOD[:3], ("BBB", "BBB", 2006, -1.0)]))


def test_missing_file_and_columns(tmp_path: Path) -> None:
    with pytest.raises(DataNotFoundError):
        read_gravity(tmp_path / "nope.csv")
    with pytest.raises(InvalidDataError) as info:
        read_gravity(_write(tmp_path, GOOD), trade="value")
    assert info.value.field == "value"


def test_year_required_for_panels(tmp_path: Path) -> None:
    df = read_gravity(_write(tmp_path, [*GOOD, ("AAA", "AAA", 2007, 1.0)]))
    with pytest.raises(InvalidDataError, match="year"):
        flow_matrix(df)
    assert flow_matrix(df, year=2006)[1].shape == (2, 2)
