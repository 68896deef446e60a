"""No output calls a lever "effective" for damage alone (issue 19): two named scales instead."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest

from geolever.assessment import DAMAGE_WORDS, VERDICTS
from geolever.report.render import render_markdown
from geolever.scenario import load_scenario, run_scenario

#: "effective" / "ineffective" as a word (not "effectively", not "cost-effective" prose).
EFFECTIVE = re.compile(r"\b(?:in)?effective\b", re.IGNORECASE)
SRC = Path(__file__).resolve().parents[2] / "src" / "geolever"


@pytest.fixture(scope="module")
def flagship_doc() -> dict:
    ref = resources.files("geolever.packs").joinpath("russia-azerbaijan/scenario.yaml")
    with resources.as_file(ref) as path:
        scenario = load_scenario(path).model_copy(update={"draws": 200})
    return run_scenario(scenario).to_dict()


def test_flagship_outputs_never_say_effective(flagship_doc: dict) -> None:
    md = render_markdown(flagship_doc)
    for name, text in (("report.md", md), ("result.json", json.dumps(flagship_doc))):
        hits = [m.group(0) for m in EFFECTIVE.finditer(text)]
        assert not hits, f"{name} says {hits[:3]}"
    rows = [*flagship_doc["levers"], flagship_doc["combined"]]
    assert {r["verdict"] for r in rows} <= set(VERDICTS)
    assert {r["damage"] for r in rows} <= set(DAMAGE_WORDS)
    # the report states both scales with their numbers
    assert "Damage: none below 0.1%; minor 0.1-0.5%; material 0.5-2.0%; severe from 2.0%" in md
    # a lever doing material damage is not thereby a lever with leverage: each reason says
    # which rule gave the verdict
    for r in rows:
        assert any(x.startswith(f"Verdict '{r['verdict']}'") for x in r["reasons"]), r["id"]


def test_no_template_or_static_file_uses_effective_as_a_verdict() -> None:
    files = [p for p in [*(SRC / "report" / "templates").rglob("*"),
                         *(SRC / "web" / "static").rglob("*")]
             if p.is_file() and p.suffix in (".j2", ".js", ".html", ".css", ".md")]
    files += [SRC / "cli" / "assess_cmd.py", SRC / "assessment" / "verdict.py",
              SRC / "report" / "render.py"]
    for path in files:
        text = path.read_text("utf-8", errors="replace")
        for m in EFFECTIVE.finditer(text):
            line = text[:m.start()].count("\n") + 1
            context = text.splitlines()[line - 1]
            # the one sentence allowed: the docstring saying no verdict uses the word
            assert "No verdict calls a lever" in context, f"{path.name}:{line}: {context}"
