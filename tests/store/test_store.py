from pathlib import Path

import pytest

from geolever.core.errors import DataNotFoundError, InvalidDataError, UnitError, UnknownCodeError
from geolever.core.facts import Fact
from geolever.store import FactStore

HEADER = ("indicator,country,partner,product,entity,measure,year,period,value,unit,quality,"
          "preferred,source,citation,note\n")


def fact(**kw):
    base = dict(indicator="remittances_received", country="AZE", partner="WLD", year=2022,
                value=2.8e9, unit="USD", source="CBA via menafn")
    base.update(kw)
    return Fact(**base)


def test_loading_twice_adds_nothing(tmp_path):
    with FactStore(tmp_path / "s.duckdb") as db:
        facts = [fact(), fact(value=3.6e9, source="IOM citing CBA")]
        assert db.add_facts(facts, dataset="t") == 2
        assert db.add_facts(facts, dataset="t") == 0
        assert db.count() == 2
    with FactStore(tmp_path / "s.duckdb") as db:  # a real file: it persists
        assert db.count() == 2


def test_conflicts_are_kept_and_the_preferred_one_is_used():
    db = FactStore()
    db.add_facts([fact(value=2.8e9, preferred=True), fact(value=3.6e9, source="IOM")],
                 dataset="t")
    q = db.get("remittances_received", "AZE", 2022, partner="WLD")
    assert q.value == 2.8e9
    assert [a.value for a in q.alternatives] == [3.6e9]


def test_selection_rule_prefers_reported_over_derived_and_estimate():
    db = FactStore()
    db.add_facts([fact(value=1.0, quality="estimate", source="A"),
                  fact(value=2.0, quality="derived", source="B"),
                  fact(value=3.0, quality="reported", source="C")], dataset="t")
    assert db.get("remittances_received", "AZE", 2022, partner="WLD").value == 3.0


def test_partial_periods_are_annualised_only_on_request():
    db = FactStore()
    db.add_facts([fact(year=2023, period="Jan-Sep", value=829e6, partner="RUS")], dataset="t")
    with pytest.raises(DataNotFoundError, match="2023 Jan-Sep"):
        db.get("remittances_received", "AZE", 2023, partner="RUS")
    q = db.get("remittances_received", "AZE", 2023, partner="RUS", allow_partial=True)
    assert q.annualised and q.value == pytest.approx(829e6 * 12 / 9)


def test_missing_year_lists_the_years_that_exist():
    db = FactStore()
    db.add_facts([fact(year=2021), fact(year=2022)], dataset="t")
    with pytest.raises(DataNotFoundError, match="2021 FY, 2022 FY"):
        db.get("remittances_received", "AZE", 2019, partner="WLD")


def test_a_bad_row_writes_nothing(tmp_path):
    good = "remittances_received,AZE,WLD,,,,2022,FY,2800000000,USD,reported,,CBA,,\n"
    bad = "remittances_received,AZE,WLD,,,,2023,FY,-5,USD,reported,,CBA,,\n"
    path = tmp_path / "f.csv"
    path.write_text(HEADER + good + bad)
    db = FactStore()
    with pytest.raises(InvalidDataError, match=r"f.csv line 3.*negative"):
        db.import_file(path)
    assert db.count() == 0


@pytest.mark.parametrize(
    ("row", "error", "message"),
    [
        ("remittances_received,AZR,WLD,,,,2022,FY,1,USD,reported,,CBA,,", UnknownCodeError,
         "did you mean AZE"),
        ("remittances_received,AZE,WLD,,,,2022,FY,1,Mt,reported,,CBA,,", InvalidDataError,
         "currency units"),
        ("remittances_received,AZE,WLD,,,,2022,FY,1,USDX,reported,,CBA,,", UnitError,
         "unknown unit"),
        ("remittances_received,AZE,WLD,,,,2022,FY,1.2bn,USD,reported,,CBA,,", InvalidDataError,
         "column value"),
        ("remittances_received,AZE,WLD,,,,2022,FY,,USD,reported,,CBA,,", InvalidDataError,
         "column value"),
        ("remittances_received,AZE,WLD,,,,2022,FY,1,USD,reported,,,,", InvalidDataError,
         "no source"),
        ("remitances,AZE,WLD,,,,2022,FY,1,USD,reported,,CBA,,", UnknownCodeError,
         "unknown indicator"),
    ],
)
def test_bad_input_is_named(tmp_path, row, error, message):
    path = tmp_path / "f.csv"
    path.write_text(HEADER + row + "\n")
    with pytest.raises(error, match=message):
        FactStore().import_file(path)


def test_two_preferred_values_for_one_quantity_are_refused():
    with pytest.raises(InvalidDataError, match="preferred"):
        FactStore().add_facts([fact(preferred=True), fact(value=1.0, source="X",
                                                          preferred=True)], dataset="t")


def test_parquet_round_trip(tmp_path: Path):
    db = FactStore()
    db.load_pack("russia-azerbaijan")
    n = db.export_parquet(tmp_path / "facts.parquet")
    other = FactStore()
    assert other.import_file(tmp_path / "facts.parquet") == n
    assert other.get("gdp", "AZE", 2023).value == db.get("gdp", "AZE", 2023).value


def test_reloading_a_corrected_dataset_replaces_its_old_values():
    db = FactStore()
    db.add_facts([fact(value=2.8e9, preferred=True)], dataset="pack:x", replace=True)
    db.add_facts([fact(value=2.9e9, preferred=True)], dataset="pack:x", replace=True)
    q = db.get("remittances_received", "AZE", 2022, partner="WLD")
    assert q.value == 2.9e9 and not q.alternatives
    db.add_facts([fact(value=3.6e9, source="IOM")], dataset="other")  # other datasets stay
    db.add_facts([fact(value=2.9e9, preferred=True)], dataset="pack:x", replace=True)
    assert db.count() == 2


def test_pack_loads_idempotently_and_every_fact_has_a_source():
    db = FactStore()
    n = db.load_pack("russia-azerbaijan")
    assert n > 300
    assert db.load_pack("russia-azerbaijan") == 0
    frame = db.query()
    assert (frame["source"].str.strip() != "").all()
