"""Loaders for the standard datasets, on the real shared files and on layout fixtures."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from geolever.cli.data_sources import import_source
from geolever.core.errors import InvalidDataError
from geolever.sources.dots import read_dots
from geolever.sources.knomad import read_knomad_xlsx
from geolever.sources.wdi import read_wdi_csv
from geolever.store import FactStore
from geolever.store.totals import total_flow, total_years


def _dots_workbook(path: Path, reporter: str, rows: dict[str, list[object]],
                   years: tuple[int, ...] = (2019, 2020)) -> Path:
    """Write a workbook in the IMF download's layout (column A empty, B4 reporter, row 7 years)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet, title in (("Exports, FOB", "Exports, FOB to Partner Countries"),
                         ("Imports, CIF", "Imports, CIF from Partner Countries")):
        ws = book.create_sheet(sheet)
        ws["B2"], ws["B4"], ws["B5"] = title, reporter, "US Dollars, Millions"
        for k, y in enumerate(years):
            ws.cell(row=7, column=3 + k, value=y)
        for r, (partner, values) in enumerate(rows.items()):
            ws.cell(row=8 + r, column=2, value=partner)
            for k, v in enumerate(values):
                ws.cell(row=8 + r, column=3 + k, value=v)
    book.save(path)
    return path


def test_dots_layout_fixture(tmp_path: Path) -> None:
    rows = {"Georgia": [1.5, 2.0], "World": [100.0, "1,032.13 e"], "Euro Area": [9.0, 9.0],
            "Georgia ": [1.5, 2.0], "Russian Federation": [None, 3.25],
            "Memorandum Items": [None, None], "Czechoslovakia": [4.0, None]}
    book = _dots_workbook(tmp_path / "DOTS_1.xlsx", "Azerbaijan, Rep. of", rows)
    read = read_dots(book)
    f = read.frame.set_index(["reporter", "partner", "year", "flow"])
    assert f.loc[("AZE", "WLD", 2020, "exports"), "value_usd"] == pytest.approx(1_032.13e6)
    assert bool(f.loc[("AZE", "WLD", 2020, "exports"), "estimated"])
    assert not bool(f.loc[("AZE", "GEO", 2019, "imports"), "estimated"])
    assert ("AZE", "RUS", 2019, "exports") not in f.index  # blank = not available
    assert {"Euro Area", "Czechoslovakia"} <= set(read.skipped)  # aggregate, historical
    assert len(f) == 2 * 2 + 2 * 2 + 2  # GEO, WLD in both years, RUS 2020; both sheets / 2


def test_dots_bad_cell_is_named(tmp_path: Path) -> None:
    book = _dots_workbook(tmp_path / "bad.xlsx", "Georgia", {"Turkey": [1.0, "n/a"]})
    with pytest.raises(InvalidDataError, match=r"bad.xlsx, sheet 'Exports, FOB', row 8, "
                       r"column 4: cell 'n/a' is not a number"):
        read_dots(book)


def test_dots_real_workbooks_source_checks(shared_data: Path) -> None:
    store = FactStore(":memory:")
    for name in ("DOTS_13.xlsx", "DOTS_162.xlsx"):  # Azerbaijan, Russian Federation
        import_source("dots", shared_data / "imf-dots" / name, store,
                      options={"dataset": f"imf:dots:{name}"})
    # SOURCES.md checks (US$ million)
    expect = {("AZE", "WLD", 2019, "exports"): 19_635.7, ("AZE", "WLD", 2020, "exports"): 13_740.8,
              ("AZE", "RUS", 2019, "exports"): 731.9, ("AZE", "ITA", 2019, "exports"): 5_638.6,
              ("AZE", "RUS", 2019, "imports"): 2_289.6, ("AZE", "RUS", 2020, "imports"): 1_962.3,
              ("RUS", "AZE", 2019, "exports"): 2_315.4, ("RUS", "WLD", 2019, "exports"): 419_731.7,
              ("RUS", "KAZ", 2019, "exports"): 13_682.5, ("RUS", "CHN", 2019, "exports"): 54_937.5}
    for (rep, par, year, flow), million in expect.items():
        got = total_flow(store, rep, par, year, flow)
        assert got is not None, (rep, par, year, flow)
        assert got[0] / 1e6 == pytest.approx(million, abs=0.06)
        assert got[2].startswith("imf:dots") and got[3] == "IMF DOTS"
    assert max(total_years(store, "AZE", "WLD", "exports")) == 2020
    again = import_source("dots", shared_data / "imf-dots" / "DOTS_13.xlsx", store,
                          options={"dataset": "imf:dots:DOTS_13.xlsx"})
    assert again == store.con.execute(
        "SELECT count(*) FROM trade_totals WHERE dataset = 'imf:dots:DOTS_13.xlsx'").fetchone()[0]


def test_dots_workbooks_imported_one_at_a_time_add_up(shared_data: Path) -> None:
    """Each workbook is one reporter: a second one must not wipe the first (it did)."""
    store = FactStore(":memory:")

    def count(reporter: str) -> int:
        return int(store.con.execute("SELECT count(*) FROM trade_totals WHERE reporter = ?",
                                     [reporter]).fetchall()[0][0])

    first = import_source("dots", shared_data / "imf-dots" / "DOTS_13.xlsx", store)
    aze = count("AZE")
    assert first == aze > 0
    total = import_source("dots", shared_data / "imf-dots" / "DOTS_162.xlsx", store)
    assert count("AZE") == aze and count("RUS") > 0 and total == aze + count("RUS")
    assert total_flow(store, "AZE", "RUS", 2019, "exports") is not None
    # re-importing a workbook replaces its reporter's rows only (idempotent)
    again = import_source("dots", shared_data / "imf-dots" / "DOTS_13.xlsx", store)
    assert again == total and count("AZE") == aze


@pytest.mark.parametrize(("name", "year", "checks"), [
    ("bilateral_remittance_matrix_2021_0.xlsx", 2021,
     {("AZE", "RUS"): 1_004.6, ("GEO", "RUS"): 1_339.8, ("ARM", "RUS"): 989.9,
      ("MDA", "RUS"): 553.9, ("KAZ", "RUS"): 184.2, ("AZE", "TUR"): 127.2,
      ("RUS", "AZE"): 24.2, ("CHN", "AUS"): 3_369.0, ("AZE", "WLD"): 1_526.636}),
    ("WB_Bilateral_Remittance_Estimates_2017.xlsx", 2017, {("AZE", "RUS"): 610.3}),
])
def test_knomad_real_workbooks(shared_data: Path, name: str, year: int,
                               checks: dict[tuple[str, str], float]) -> None:
    read = read_knomad_xlsx(shared_data / "knomad-remittances" / name)
    assert read.year == year
    got = {(f.country, f.partner): f.value / 1e6 for f in read.facts}
    for key, million in checks.items():
        assert got[key] == pytest.approx(million, abs=0.06), key
    assert read.skipped == ["Channel Islands", "Kosovo"]  # notes rows are not names
    if year == 2021:  # the 2021 matrix sets Azerbaijan-Armenia to zero: left out
        assert ("ARM", "AZE") not in got and ("AZE", "ARM") not in got


@pytest.mark.parametrize(("name", "code", "checks"), [
    ("API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_38454.csv", "BX.TRF.PWKR.CD.DT",
     {("AZE", 2021): 1.527e9, ("GEO", 2021): 2.644e9, ("CHN", 2021): 22.48e9}),
    ("API_TX.VAL.FUEL.ZS.UN_DS2_en_csv_v2_1353.csv", "TX.VAL.FUEL.ZS.UN",  # no preamble
     {("AZE", 2021): 88.4, ("RUS", 2021): 43.1, ("NOR", 2022): 79.3}),
    ("API_GC.TAX.TOTL.GD.ZS_DS2_en_csv_v2_1167.csv", "GC.TAX.TOTL.GD.ZS",
     {("AZE", 2022): 15.4, ("GEO", 2022): 22.9, ("AUS", 2022): 23.6}),
    ("API_NY.GDP.MKTP.CD_DS2_en_excel_v2_5795872.xls", "NY.GDP.MKTP.CD",  # Excel download
     {("AZE", 2021): 54.825e9, ("RUS", 2021): 1_836.9e9}),
])
def test_wdi_real_layouts(shared_data: Path, name: str, code: str,
                          checks: dict[tuple[str, int], float]) -> None:
    read = read_wdi_csv(shared_data / "wdi-indicators" / name)
    assert read.indicator == code
    got = {(f.country, f.year): f for f in read.facts}
    for key, value in checks.items():
        assert got[key].value == pytest.approx(value, rel=4e-3), key  # SOURCES.md rounds
        assert got[key].source == f"World Bank WDI {code}"
    unit = "pct" if code.endswith(".ZS") or code.endswith(".UN") else "USD"
    assert {f.unit for f in read.facts} == {unit}
    assert "EUU" in read.skipped  # aggregates are left out
