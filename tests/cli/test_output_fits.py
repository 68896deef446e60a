"""Terminal output that fits (issue 18): no word split across lines in a pipe, markup
printed as text, machine formats on every table command, numbers without exponents."""

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from geolever.cli.output import Column, OutTable, _widths
from geolever.core.formats import format_money, format_number, format_pct

REPO = Path(__file__).resolve().parents[2]
BOX = re.compile(r"[│┃┆┊║|─━┄┈═┏┓┗┛┣┫┳┻╋┡┩╇┢┪┠┨┯┷┼├┤┬┴┌┐└┘╭╮╯╰]")


def _geolever(args, tmp_path, columns=None):
    """Run the real ``geolever`` in a subprocess, stdout a pipe (not a terminal)."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["GEOLEVER_STORE"] = str(tmp_path / "store.duckdb")
    env["PYTHONPATH"] = str(REPO / "src")
    if columns:
        env["COLUMNS"] = str(columns)
    proc = subprocess.run([sys.executable, "-c", "from geolever.cli import main; main()",
                           *args], capture_output=True, text=True, env=env, timeout=600,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _tokens(text):
    return BOX.sub(" ", text).split()


def _assert_no_split_words(piped, wide):
    words = set(_tokens(wide))
    for line_no, token in enumerate(_tokens(piped)):
        if token in words:
            continue
        # a long cell cut to one line ends in an ellipsis: its stem begins a real word
        stem = token.rstrip("…")
        assert token.endswith("…") and (not stem or any(w.startswith(stem) for w in words)), (
            f"token {token!r} (#{line_no}) is not a word of the unwrapped output: a word "
            "was split across lines")


@pytest.fixture(scope="module")
def demo_outputs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fits")
    args = ["demo", "--draws", "300", "--seed", "3"]
    piped = _geolever([*args, "--out", str(tmp / "a")], tmp)
    wide = _geolever([*args, "--out", str(tmp / "b")], tmp, columns=1000)
    return piped, wide.replace(str(tmp / "b"), str(tmp / "a"))


def test_demo_in_a_pipe_is_120_columns_and_splits_no_word(demo_outputs):
    piped, wide = demo_outputs
    lines = piped.splitlines()
    assert max(len(line) for line in lines) <= 120
    assert any(len(line) > 100 for line in lines)  # sized to 120, not Rich's 80
    _assert_no_split_words(piped, wide)
    # long cells are cut, and the note says where the full text is
    assert "…" in piped and "report.md" in piped
    # the one-paragraph answer (issue 19) opens the output, wrapped at words
    assert piped.startswith("Answer. ")
    for word in ("verdict", "feasible", "infeasible", "Claims"):
        assert word in _tokens(piped) or word.capitalize() in _tokens(piped)


def test_demo_numbers_read_as_money_and_percent(demo_outputs):
    piped, _ = demo_outputs
    assert re.search(r"\b\d+(\.\d+)?m\b", piped)  # 327m
    assert re.search(r"\d\.\d+%", piped)          # 0.44%
    assert "e+0" not in piped


def test_levers_in_a_pipe_keeps_markup_text_and_type_names(tmp_path):
    piped = _geolever(["levers"], tmp_path)
    assert "[low, high]" in piped            # was eaten as Rich markup
    assert "<class" not in piped and "typing." not in piped
    assert "tuple[float, float]" in piped
    assert max(len(line) for line in piped.splitlines()) <= 120
    _assert_no_split_words(piped, _geolever(["levers"], tmp_path, columns=1000))


def test_machine_formats(tmp_path):
    doc = json.loads(_geolever(["levers", "--format", "json"], tmp_path))
    assert "remittance_ban" in doc and doc["remittance_ban"][0]["name"] == "id"
    shown = _geolever(["data", "show", "gdp", "--format", "csv"], tmp_path)
    rows = list(csv.DictReader(io.StringIO(shown)))
    assert rows and float(rows[0]["value"]) > 1e9 and rows[0]["source"]
    table = _geolever(["data", "show", "gdp"], tmp_path)
    assert "e+" not in table and re.search(r"\d{1,3}(,\d{3}){3}", table)
    listed = json.loads(_geolever(["data", "list", "--format", "json"], tmp_path))
    assert {"pack": "russia-azerbaijan"} in listed["packs"]


def test_bad_format_is_one_line(tmp_path):
    env = {**os.environ, "GEOLEVER_STORE": str(tmp_path / "s.duckdb"),
           "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.run([sys.executable, "-c", "from geolever.cli import main; main()",
                           "levers", "--format", "xml"], capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 2 and "--format" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_widths_never_go_below_the_longest_word():
    cols = [Column("a", "lever"), Column("b", "why", "long"), Column("c", "n", "num")]
    cells = [["Ban on remittances from migrants", "x " * 80, "12"],
             ["Exclude Azerbaijan from the North-South corridor", "y", "3"]]
    widths = _widths(cols, cells, 60)
    assert widths is not None and sum(widths) <= 60
    assert widths[0] >= len("North-South") and widths[2] >= 2
    assert _widths(cols, cells, 10) is None  # then the block layout is used
    assert OutTable("t", "t", cols).full_text


@pytest.mark.parametrize(("value", "text"), [
    (16.1e6, "US$16.1m"), (1.61e9, "US$1.61bn"), (328.3e6, "US$328m"), (999.6e3, "US$1m"),
    (-7e6, "-US$7m"), (0, "US$0"), (35.42e9, "US$35.4bn")])
def test_format_money(value, text):
    assert format_money(value) == text


def test_format_pct_and_number():
    assert format_pct(2.34) == "2.3%" and format_pct(0.4426) == "0.44%"
    assert format_pct(16.84) == "16.8%"
    assert format_number(1.61e7) == "16,100,000" and format_number(0.5) == "0.5"
    assert "e" not in format_number(3e-5)


def test_markup_in_values_prints_as_text(capsys):
    from geolever.cli.assess_cmd import print_result

    doc = {"title": "[bold]T[/bold] [low, high]", "year": 2024, "draws": 100, "seed": 1,
           "sender": "RUS", "target": "AZE", "levers": [], "combined": None, "claims": [],
           "answer": {"text": "sigma[food] stays [as it is]."}}
    print_result(doc)
    out = capsys.readouterr().out
    assert "[bold]T[/bold] [low, high]" in out and "sigma[food] stays [as it is]." in out
