"""The import-linter contracts bite: each fails on a deliberate bad import in a copy of src/.

Every probe copies ``src/`` and ``pyproject.toml`` into a temporary folder, adds one
import that DESIGN.md forbids and runs ``lint-imports`` on the copy: it must fail and name
the contract. The unmodified copy must pass.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: (probe id, file in src/geolever to add the import to, the import, the contract it breaks)
PROBES = [
    ("models import the store", "models/exposure.py", "import geolever.store",
     "Models import only core"),
    ("models import shocks", "models/substitution.py", "import geolever.shocks",
     "Models import only core"),
    ("report imports scenario", "report/charts.py", "import geolever.scenario",
     "Layers"),
    ("assessment imports report", "assessment/verdict.py", "import geolever.report",
     "Layers"),
    ("world imports levers", "world/io.py", "import geolever.levers", "Layers"),
    ("levers import effects", "levers/base.py", "import geolever.effects", "Layers"),
    ("effects import sources", "effects/types.py", "import geolever.sources.io_tables",
     "Data pass through the world layer"),
    ("shocks import the store", "shocks/types.py", "import geolever.store",
     "Data pass through the world layer"),
    ("a cycle inside effects", "effects/types.py", "import geolever.effects.engines.flow_cut",
     "No import cycle"),
    ("the world runs a model", "world/matrix.py", "import geolever.models.gravity",
     "never run a model"),
    ("a lever kind runs a model", "levers/kinds/remittance_ban.py",
     "import geolever.models.remittances", "never run a model"),
    # issue 11: the GE engine estimates geolever ge's PPML, not the kind (no exception left)
    ("trade_cost_change estimates its gravity equation", "levers/kinds/trade_cost_change.py",
     "import geolever.models.gravity.estimation", "never run a model"),
    ("a shock takes a model's types", "shocks/types.py",
     "import geolever.models.gravity.replication", "never run a model"),
    ("a command calls the GE model", "cli/ge.py", "import geolever.models.gravity.single",
     "One pipeline"),
    ("a command calls the IO model", "cli/io_cmd.py", "import geolever.models.io",
     "One pipeline"),
    ("the assessment calls a model", "assessment/verdict.py", "import geolever.models.trade_pe",
     "One pipeline"),
    ("the matrix takes a type from the GE model", "assessment/matrix.py",
     "from geolever.models.gravity import Closure", "One pipeline"),
    ("the scenario runner calls the GE model", "scenario/ge_replication.py",
     "import geolever.models.gravity.replication", "One pipeline"),
    ("the Python API calls the GE model", "api/__init__.py",
     "import geolever.models.gravity.single", "One pipeline"),
    ("the Python API goes through a command", "api/__init__.py", "import geolever.cli.io_cmd",
     "The Python API reaches ge and io below the CLI"),
]


def test_no_contract_lists_an_exception() -> None:
    """Every contract holds without ``ignore_imports`` (issue 11: the lever kind's PPML moved
    into the GE engine; the matrix takes the closure type from the engine)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    assert len(contracts) >= 7
    assert [c["name"] for c in contracts if c.get("ignore_imports")] == []


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    exe = Path(sys.executable).with_name("lint-imports")
    return subprocess.run([str(exe), "--no-cache", "--config", str(root / "pyproject.toml")],
                          cwd=root, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("contracts")
    shutil.copytree(ROOT / "src", root / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def test_the_unmodified_copy_keeps_every_contract(copy: Path) -> None:
    out = _lint(copy)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


@pytest.mark.parametrize(("probe", "file", "line", "contract"), PROBES,
                         ids=[p[0] for p in PROBES])
def test_each_contract_fails_on_its_probe(copy: Path, probe: str, file: str, line: str,
                                          contract: str) -> None:
    target = copy / "src" / "geolever" / file
    original = target.read_text("utf-8")
    try:
        target.write_text(original + f"\n{line}  # probe: {probe}\n", "utf-8")
        out = _lint(copy)
    finally:
        target.write_text(original, "utf-8")
    assert out.returncode != 0, f"{probe}: lint-imports passed\n{out.stdout}"
    broken = out.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, out.stdout
