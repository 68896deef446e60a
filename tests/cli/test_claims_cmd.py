"""``geolever claims check --sender S --target T``: a text about a pair without a case pack."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geolever import cli
from geolever.cli import app

runner = CliRunner()
cli.console.width = 250
cli.err_console.width = 250

# Figures as reported in 2022 (Banco de Guatemala: US$15.3bn of remittances in 2021, about
# 18% of GDP); the store holds the World Bank's figures for the same year.
TEXT = ("Remittances to Guatemala reached a record $15.3 billion in 2021, according to the "
        "Bank of Guatemala. Remittances are equivalent to about 18 percent of Guatemala's "
        "GDP.\n")


def test_a_text_about_a_pair_from_the_datasets(pair_datasets_store: Callable[[], Path],
                                               tmp_path: Path) -> None:
    article = tmp_path / "gtm.txt"
    article.write_text(TEXT, "utf-8")
    store = pair_datasets_store()
    out = tmp_path / "out"
    result = runner.invoke(app, ["claims", "check", str(article), "--sender", "USA",
                                 "--target", "GTM", "--year", "2021", "--published", "2022",
                                 "--store", str(store), "--out", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "claims.json").read_text("utf-8"))
    assert (doc["sender"], doc["target"]) == ("USA", "GTM")
    claims = [c for s in doc["sentences"] for c in s.get("claims", [])]
    # "Remittances are equivalent to about 18 percent of Guatemala's GDP" names no sender:
    # all remittances as a share of GDP (before claims4: read as the USA's share)
    assert [c["metric"] for c in claims] == ["remittances_total",
                                             "remittances_total_share_of_gdp"]
    assert all(c["verdict"] == "accurate" and c["year"] == 2021 for c in claims), claims


def test_an_unknown_sender_code_is_one_line(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(TEXT, "utf-8")
    result = runner.invoke(app, ["claims", "check", str(article), "--sender", "USX",
                                 "--target", "GTM", "--store", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "unknown country code 'USX'" in text and "USA (United States)" in text
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("args", "field", "words"), [
    (["--sender", "USA", "--target", "USA"], "target", "also the sender"),
    (["--sender", "USA", "--target", "GTM", "--published", "1700"], "published",
     "from 1900 to 2100"),
])
def test_an_impossible_pair_or_year_is_refused(tmp_path: Path, args: list[str], field: str,
                                               words: str) -> None:
    article = tmp_path / "a.txt"
    article.write_text(TEXT, "utf-8")
    result = runner.invoke(app, ["claims", "check", str(article), *args,
                                 "--store", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert f"error: {field}:" in text and words in text and "Traceback" not in text


def test_without_out_no_report_is_rendered(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # nothing is written without --out, so nothing is rendered (the HTML report of 1 MB of
    # text took 2.5 s of a 1 MB check)
    from geolever.cli import claims_cmd

    def no_render(doc: object) -> str:
        raise AssertionError("rendered without --out")
    for name in ("render_markdown", "render_json", "render_html"):
        monkeypatch.setattr(claims_cmd, name, no_render)
    article = tmp_path / "a.txt"
    article.write_text("Remittances were $2 billion in 2021.\n", "utf-8")
    result = runner.invoke(app, ["claims", "check", str(article), "--store",
                                 str(tmp_path / "s.duckdb")])
    assert result.exit_code == 0, result.output
    assert "Claims in a.txt" in result.output


def test_the_console_table_shows_the_first_rows_and_counts_the_rest(tmp_path: Path) -> None:
    article = tmp_path / "long.txt"
    article.write_text(TEXT * 30, "utf-8")  # 60 sentences, each with a claim
    result = runner.invoke(app, ["claims", "check", str(article), "--sender", "USA",
                                 "--target", "GTM", "--published", "2022", "--rows", "5",
                                 "--store", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 0, result.output
    assert "55 more rows not shown" in result.output
    assert "verdicts: 60 unverifiable" in result.output
    result = runner.invoke(app, ["claims", "check", str(article), "--sender", "USA",
                                 "--target", "GTM", "--published", "2022", "--rows", "0",
                                 "--store", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 0 and "more rows not shown" not in result.output
