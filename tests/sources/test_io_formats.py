"""Readers of WIOD 2016, EXIOBASE 3 and GLORIA on tiny files in the published layouts.

The fixtures (``tests/fixtures/io``, written by ``make_io_fixtures.py``) hold one economy
of 3 regions x 3 sectors under each table's labels. Russian food (sector 0) buys only
Russian energy (Z[1, 0] = 10 of an output of 80), Russian energy buys no intermediates,
and Russian food sells 5 + 3 to Turkish industries and 12 to Turkish households. So
cutting Russian food supply to Turkey lowers Russian food output by 8 + 12 = 20 and
Russian energy output by 10 / 80 * 20 = 2.5 in the backward (Leontief) model, and no
other output moves.
"""

# ruff: noqa: N806

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from geolever.cli.io_cmd import io_app
from geolever.core.errors import DataNotFoundError, InvalidDataError
from geolever.models import io as iom
from geolever.sources.io_catalog import load_io_table
from geolever.sources.io_tables import PRODUCT_GROUPS, IOTable, read_sector_groups
from geolever.sources.wiod2016 import read_wiod2016, wiod2016_path

FIXTURES = Path(__file__).parents[1] / "fixtures" / "io"
WIOD = FIXTURES / "wiod2016"
EXIO = FIXTURES / "exiobase3" / "IOT_2022_ixi.zip"
GLORIA = FIXTURES / "gloria"
X = np.array([80.0, 69, 46, 62, 46, 62, 88, 79, 112])


def _read_exiobase(path: Path = EXIO) -> IOTable:
    pytest.importorskip("pymrio")
    from geolever.sources.pymrio_tables import read_exiobase3

    return read_exiobase3(path)


def _read_gloria(folder: Path = GLORIA) -> IOTable:
    pytest.importorskip("pymrio")
    from geolever.sources.pymrio_tables import read_gloria

    return read_gloria(folder, 2022)


def _check_hand_extraction(t: IOTable) -> None:
    """Cut RUS food -> TUR (whole link): the losses computed by hand in the module doc."""
    s, tt = t.region_index("RUS"), t.region_index("TUR")
    res = iom.extract_link(t.Z, t.Y, t.x, s, tt, t.group_mask("food"), 1.0)
    assert res.extracted_intermediate == pytest.approx(8.0)
    assert res.extracted_final == pytest.approx(12.0)
    expected = np.zeros((3, 3))
    expected[0, 0], expected[0, 1] = 20.0, 2.5
    np.testing.assert_allclose(res.output_loss, expected, atol=1e-9)


def _check_balance(t: IOTable) -> None:
    np.testing.assert_allclose(t.x, X, rtol=1e-12)
    np.testing.assert_allclose(t.Z.sum(axis=1) + t.Y.sum(axis=1), t.x, rtol=1e-12)
    # Value added (x minus intermediate inputs) is what the fixture puts in: all positive.
    np.testing.assert_allclose(t.x - t.Z.sum(axis=0), [70, 69, 28, 42, 36, 33, 62, 69, 81])


# ------------------------------------------------------------------ WIOD 2016


@pytest.mark.parametrize(
    "name",
    ["WIOT2014_Nov16_ROW.xlsx", "WIOT2014_Nov16_ROW.csv", "WIOT2014_October16_ROW.RData"],
)
def test_wiod2016_fixture(name: str) -> None:
    t = read_wiod2016(WIOD / name)
    assert (t.name, t.year, t.unit) == ("wiod2016", 2014, "USD million")
    assert t.regions == ("RUS", "TUR", "ROW")
    assert t.sectors == ("A01", "B", "C26")
    assert t.sector_groups == ("food", "energy", "machinery")
    assert t.fd_categories == ("CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN")
    assert (t.Z.shape, t.Y.shape) == ((9, 9), (9, 15))
    assert t.Z[1, 0] == 10 and t.Y[0, 5] == 12  # RUS energy -> RUS food; RUS food -> TUR CONS_h
    assert set(t.region_members) == {"ROW"}
    _check_balance(t)
    _check_hand_extraction(t)


def test_wiod2016_value_added_rows_match_the_derived_value_added() -> None:
    # The sheet's TXSP + VA rows (all primary inputs of the fixture) equal x - 1'Z.
    grid = pd.read_csv(WIOD / "WIOT2014_Nov16_ROW.csv", header=None, dtype=object)
    rows = grid.set_index(0)
    primary = rows.loc[["TXSP", "VA"]].iloc[:, 3:12].astype(float).sum(axis=0).to_numpy()
    t = read_wiod2016(WIOD / "WIOT2014_Nov16_ROW.csv")
    np.testing.assert_allclose(primary, t.x - t.Z.sum(axis=0))


def test_wiod2016_sector_table_covers_the_release() -> None:
    mapping = read_sector_groups("io_sector_groups_wiod2016.csv")
    assert len(mapping) == 56 and set(mapping.values()) <= set(PRODUCT_GROUPS)
    assert [c for c, g in mapping.items() if g == "food"] == ["A01", "A03", "C10-C12"]


def test_wiod2016_path_by_name(tmp_path: Path) -> None:
    assert wiod2016_path(FIXTURES, 2014).name == "WIOT2014_Nov16_ROW.xlsx"
    with pytest.raises(DataNotFoundError, match="2000 to 2014"):
        wiod2016_path(FIXTURES, 2016)
    with pytest.raises(DataNotFoundError, match=r"WIOT2013_Nov16_ROW\.xlsb"):
        wiod2016_path(tmp_path, 2013)


def _grid() -> pd.DataFrame:
    return pd.read_csv(WIOD / "WIOT2014_Nov16_ROW.csv", header=None, dtype=object)


def _write(grid: pd.DataFrame, tmp_path: Path) -> Path:
    path = tmp_path / "WIOT2014_Nov16_ROW.csv"
    grid.to_csv(path, header=False, index=False)
    return path


def test_wiod2016_missing_sheet_names_file_and_sheet() -> None:
    with pytest.raises(InvalidDataError) as info:
        read_wiod2016(WIOD / "WIOT2014_Nov16_ROW.xlsx", 2013)
    assert "WIOT2014_Nov16_ROW.xlsx" in info.value.message
    assert "no sheet '2013'" in info.value.message and "2014" in info.value.message


def test_wiod2016_missing_final_demand_column(tmp_path: Path) -> None:
    grid = _grid()
    gov_tur = 4 + 9 + 5 + 2  # TUR CONS_g
    path = _write(grid.drop(columns=gov_tur), tmp_path)
    with pytest.raises(InvalidDataError, match=r"WIOT2014_Nov16_ROW.csv.*missing: TUR CONS_g"):
        read_wiod2016(path)


def test_wiod2016_text_in_a_number_cell(tmp_path: Path) -> None:
    grid = _grid()
    grid.iloc[7, 5] = "n/a"
    with pytest.raises(InvalidDataError, match=r"cell F8 holds 'n/a', not a number"):
        read_wiod2016(_write(grid, tmp_path))


def test_wiod2016_rows_that_do_not_add_up(tmp_path: Path) -> None:
    grid = _grid()
    grid.iloc[6, 4 + 9 + 15] = "81"  # RUS A01 total output 80 -> 81
    with pytest.raises(InvalidDataError, match="row RUS A01: intermediate plus final use is 80"):
        read_wiod2016(_write(grid, tmp_path))


def test_wiod2016_missing_row_and_header(tmp_path: Path) -> None:
    grid = _grid()
    with pytest.raises(InvalidDataError, match="no data row for TUR B"):
        read_wiod2016(_write(grid.drop(index=10), tmp_path))
    no_header = grid.copy()
    no_header.iloc[3] = None  # the row of column codes (A01 ..., CONS_h ...)
    with pytest.raises(InvalidDataError, match="no header row with 'CONS_h'"):
        read_wiod2016(_write(no_header, tmp_path))


def test_wiod2016_broken_rdata(tmp_path: Path) -> None:
    path = tmp_path / "WIOT2014_October16_ROW.RData"
    path.write_bytes(b"not an R file")
    with pytest.raises(InvalidDataError, match=r"WIOT2014_October16_ROW\.RData: not a readable"):
        read_wiod2016(path)


# ------------------------------------------------------------------ EXIOBASE 3


def test_exiobase3_fixture_zip_and_folder(tmp_path: Path) -> None:
    t = _read_exiobase()
    assert (t.name, t.year, t.unit) == ("exiobase3_ixi", 2022, "EUR million")
    # ISO2 -> ISO3; RoW Asia and Pacific stays the aggregate WA.
    assert t.regions == ("RUS", "TUR", "WA")
    assert "WA" in t.region_members and "Asia" in t.region_members["WA"]
    assert t.sectors == ("i01.b", "i11.a", "i30")
    assert t.sector_groups == ("food", "energy", "machinery")
    assert len(t.fd_categories) == 7 and t.fd_categories[-1] == "Exports: Total (fob)"
    assert (t.Z.shape, t.Y.shape) == ((9, 9), (9, 21))
    _check_balance(t)
    _check_hand_extraction(t)
    # The unpacked folder reads the same.
    with zipfile.ZipFile(EXIO) as zf:
        zf.extractall(tmp_path)
    folder = _read_exiobase(tmp_path / "IOT_2022_ixi")
    np.testing.assert_array_equal(folder.Z, t.Z)
    np.testing.assert_array_equal(folder.Y, t.Y)


def test_exiobase3_aggregate_is_never_a_country() -> None:
    t = _read_exiobase()
    with pytest.raises(DataNotFoundError) as info:
        t.region_index("AZE", field="target")
    msg = info.value.message
    assert "AZE" in msg and "WA" in msg and "not substitute" in msg
    assert t.region_index("WA") == 2  # the aggregate itself, by its exact code


def test_exiobase3_sector_tables_cover_the_classification() -> None:
    ixi = read_sector_groups("io_sector_groups_exiobase3_ixi.csv")
    pxp = read_sector_groups("io_sector_groups_exiobase3_pxp.csv")
    assert (len(ixi), len(pxp)) == (163, 200)
    assert ixi["i23.2"] == "energy" and ixi["i27.a"] == "metals" and ixi["i15.a"] == "food"
    assert pxp["p24.d"] == "chemicals" and pxp["p34"] == "machinery"


def _rezip(tmp_path: Path, drop: str | None = None, edit: dict[str, bytes] | None = None) -> Path:
    target = tmp_path / "IOT_2022_ixi.zip"
    with zipfile.ZipFile(EXIO) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.namelist():
            if item == drop:
                continue
            dst.writestr(item, (edit or {}).get(item, src.read(item)))
    return target


def test_exiobase3_missing_file_names_the_archive(tmp_path: Path) -> None:
    path = _rezip(tmp_path, drop="IOT_2022_ixi/Y.txt")
    with pytest.raises(InvalidDataError) as info:
        _read_exiobase(path)
    assert "IOT_2022_ixi.zip" in info.value.message and "EXIOBASE 3" in info.value.message


def test_exiobase3_output_that_does_not_add_up(tmp_path: Path) -> None:
    with zipfile.ZipFile(EXIO) as zf:
        x_txt = zf.read("IOT_2022_ixi/x.txt").decode().replace("\t80\n", "\t85\n")
    path = _rezip(tmp_path, edit={"IOT_2022_ixi/x.txt": x_txt.encode()})
    with pytest.raises(InvalidDataError, match=r"IOT_2022_ixi.zip: row .*RU.*Z plus Y add up"):
        _read_exiobase(path)


# ------------------------------------------------------------------ GLORIA


def test_gloria_fixture() -> None:
    t = _read_gloria()
    assert (t.name, t.year, t.unit) == ("gloria", 2022, "USD thousand")
    assert t.regions == ("RUS", "TUR", "XAS")
    assert set(t.region_members) == {"XAS"}
    assert t.sectors == ("Wheat", "Crude petroleum", "Electronic equipment")
    assert t.sector_groups == ("food", "energy", "machinery")
    assert len(t.fd_categories) == 6 and t.fd_categories[0].startswith("Household")
    assert (t.Z.shape, t.Y.shape) == ((9, 9), (9, 18))
    _check_balance(t)
    _check_hand_extraction(t)
    # Value added in the V file equals x - 1'Z of the constructed table.
    v_file = next((GLORIA / "GLORIA_MRIOs_59_2022").glob("*_V-Results_*"))
    V = pd.read_csv(v_file, header=None).to_numpy()
    industries = [r * 6 + s for r in range(3) for s in range(3)]
    np.testing.assert_allclose(V[:, industries].sum(axis=0), t.x - t.Z.sum(axis=0), atol=1e-9)


def test_gloria_missing_satellites_and_bad_readme(tmp_path: Path) -> None:
    pytest.importorskip("pymrio")
    from geolever.sources.pymrio_tables import read_gloria

    folder = tmp_path / "g"
    shutil.copytree(GLORIA, folder)
    shutil.rmtree(folder / "GLORIA_SatelliteAccounts_059_2022")
    with pytest.raises(DataNotFoundError, match="lacks GLORIA_SatelliteAccounts_059_2022"):
        read_gloria(folder, 2022)
    shutil.copytree(
        GLORIA / "GLORIA_SatelliteAccounts_059_2022", folder / "GLORIA_SatelliteAccounts_059_2022"
    )
    readme = folder / "GLORIA_ReadMe_059.xlsx"
    sheets = pd.read_excel(readme, sheet_name=None)
    with pd.ExcelWriter(readme, engine="openpyxl") as xw:
        for name, frame in sheets.items():
            if name != "Sectors":
                frame.to_excel(xw, sheet_name=name, index=False)
    with pytest.raises(InvalidDataError, match=r"GLORIA_ReadMe_059\.xlsx has no sheet 'Sectors'"):
        read_gloria(folder, 2022)


def test_gloria_wrong_shape(tmp_path: Path) -> None:
    pytest.importorskip("pymrio")
    from geolever.sources.pymrio_tables import read_gloria

    folder = tmp_path / "g"
    shutil.copytree(GLORIA, folder)
    t_file = next((folder / "GLORIA_MRIOs_59_2022").glob("*_T-Results_*"))
    T = pd.read_csv(t_file, header=None)
    T.iloc[:-1, :-1].to_csv(t_file, header=False, index=False)  # 17 x 17 instead of 18 x 18
    with pytest.raises(InvalidDataError, match=r"T must be 18 x 18"):
        read_gloria(folder, 2022)


# ------------------------------------------------------------------ by name and the CLI


@pytest.mark.parametrize(
    ("table", "year"),
    [("wiod2016", 2014), ("exiobase3_ixi", 2022), ("gloria", 2022), ("oecd_icio", 2019)],
)
def test_load_by_name_from_a_data_folder(table: str, year: int) -> None:
    if table != "wiod2016":
        pytest.importorskip("pymrio")
    t = load_io_table(table, year, FIXTURES)
    assert (t.name, t.year) == (table, year)


def test_load_by_name_missing_year(tmp_path: Path) -> None:
    for table in ("wiod2016", "exiobase3_pxp", "gloria"):
        with pytest.raises(DataNotFoundError):
            load_io_table(table, 2010, tmp_path)


@pytest.mark.parametrize(
    ("table", "year", "sender", "target", "cut"),
    [
        ("wiod2016", 2014, "RUS", "TUR", ["A01"]),
        ("exiobase3_ixi", 2022, "RUS", "TUR", ["i01.b"]),
        ("gloria", 2022, "RUS", "TUR", ["Wheat"]),
    ],
)
def test_cli_extract(
    table: str, year: int, sender: str, target: str, cut: list[str], tmp_path: Path
) -> None:
    if table != "wiod2016":
        pytest.importorskip("pymrio")
    app = typer.Typer()
    app.add_typer(io_app, name="io")
    out = tmp_path / "ex"
    args = ["io", "extract", "--table", table, "--year", str(year), "--sender", sender]
    args += ["--target", target, "--sectors", "food", "--out-dir", str(out)]
    result = CliRunner().invoke(app, [*args, "--data-dir", str(FIXTURES)])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "result.json").read_text())
    assert (data["table"], data["year"], data["sectors_cut"]) == (table, year, cut)
    assert data["extracted_intermediate"] == pytest.approx(8.0)
    assert data["extracted_final"] == pytest.approx(12.0)
    assert data["loss_by_region"]["RUS"]["output_loss"] == pytest.approx(22.5)
    # An aggregate's members are never substituted: AZE is reported as missing.
    bad = ["io", "extract", "--table", table, "--year", str(year), "--sender", "RUS"]
    bad += ["--target", "AZE", "--out-dir", str(tmp_path / "aze"), "--data-dir", str(FIXTURES)]
    result = CliRunner().invoke(app, bad)
    assert result.exit_code == 2
    assert "not substitute" in " ".join(result.output.split())
    assert not (tmp_path / "aze").exists()  # a failed run writes nothing (issue 14)
