"""What the CLI and the text checker import before they run (issue 13: 1 MB in < 5 s).

``geolever claims check`` on 1 MB spent about 3 s of its 9.5 s importing every subcommand's
dependencies (the scenario runner, the assessment with scipy.stats, matplotlib, networkx,
openpyxl). They are imported inside the commands and the functions that need them: these
tests fail when a module-level import brings one back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import geolever

#: Imported only by a command, a report chart or a model run that needs them.
HEAVY = ("scipy", "matplotlib", "networkx", "openpyxl", "geolever.assessment",
         "geolever.scenario", "geolever.effects", "geolever.backtest", "geolever.levers")

SRC = str(Path(geolever.__file__).resolve().parents[1])


def _loaded(code: str) -> list[str]:
    """Return the modules of :data:`HEAVY` loaded after running ``code`` in a fresh Python."""
    probe = (f"{code}\nimport json, sys\n"
             f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": SRC}, timeout=120)
    loaded: list[str] = json.loads(out.stdout.strip().splitlines()[-1])
    return loaded


@pytest.mark.parametrize("code", [
    "import geolever.cli",
    "import geolever.claims",
    "import geolever.report.claims",
])
def test_the_cli_and_the_checker_import_no_model_or_chart_library(code: str) -> None:
    assert _loaded(code) == []


def test_a_text_without_a_lever_claim_is_checked_without_the_assessment() -> None:
    code = ("from geolever.claims import check_text\n"
            "r = check_text('Remittances to Tajikistan were $2.5 billion in 2021.', "
            "sender='RUS', target='TJK', published=2022)\n"
            "assert r.sentences[0].claims[0].metric == 'remittances_total'")
    assert _loaded(code) == []


def test_a_lever_claim_still_runs_the_model() -> None:
    # the assessment is imported on the first claim about a lever's effect, and judged
    code = ("from geolever.claims import check_text\n"
            "r = check_text('A ban on remittances would be a severe blow to Azerbaijan.')\n"
            "c = r.sentences[0].claims[0]\n"
            "assert c.metric == 'lever_target_loss' and c.result is not None, c")
    assert "geolever.assessment" in _loaded(code)
