"""Shared pieces of the bad-input corpus: a template store, file factories, the checks.

Every CLI case runs ``geolever`` in process through its real entry point
(:func:`geolever.cli.common.run_cli`, which ``main`` calls) and asserts the contract of
issue 14: exit status 2, exactly one ``error:`` line naming what is wrong and the fix,
no traceback, and the store file and the --out folder byte-for-byte as they were.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from geolever import cli
from geolever.cli.common import run_cli
from geolever.store import FactStore

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
SCENARIO = REPO / "examples" / "russia-azerbaijan.yaml"

cli.console.width = 250
cli.err_console.width = 250


@pytest.fixture(scope="session")
def template_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid store holding the flagship pack (copied for every case)."""
    path = tmp_path_factory.mktemp("template") / "store.duckdb"
    with FactStore(path) as db:
        db.load_pack("russia-azerbaijan")
    return path


def digest(path: Path) -> str | None:
    """Hash of a file, or of a folder's names and contents; None if it does not exist."""
    if path.is_file():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    if path.is_dir():
        h = hashlib.sha256()
        for p in sorted(path.rglob("*")):
            h.update(str(p.relative_to(path)).encode())
            if p.is_file():
                h.update(p.read_bytes())
        return h.hexdigest()
    return None


@dataclass
class Ctx:
    """A case's working folder: the store, the --out folder and input files."""

    root: Path
    store: Path
    out: Path
    helpers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def file(self, name: str, content: bytes | str) -> str:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return str(path)

    def lock_store(self) -> None:
        """Hold the store's DuckDB lock from another process (as a running server does)."""
        code = ("import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
                "print('ready', flush=True); sys.stdin.read()")
        proc = subprocess.Popen([sys.executable, "-c", code, str(self.store)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
        self.helpers.append(proc)


@dataclass(frozen=True)
class Case:
    """One bad input: the command line, what the error must name, and a set-up step."""

    id: str
    category: str
    argv: Callable[[Ctx], list[str]]
    expect: tuple[str, ...]
    setup: Callable[[Ctx], None] | None = None


@pytest.fixture
def ctx(tmp_path: Path, template_store: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Ctx]:
    store = tmp_path / "store.duckdb"
    shutil.copyfile(template_store, store)
    monkeypatch.setenv("GEOLEVER_STORE", str(store))
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.delenv("GEOLEVER_DEBUG", raising=False)
    c = Ctx(tmp_path, store, tmp_path / "out")
    yield c
    for proc in c.helpers:
        proc.kill()
        proc.wait()


def run_case(case: Case, ctx: Ctx, capsys: pytest.CaptureFixture[str]) -> None:
    """Run one case and assert the issue-14 contract."""
    if case.setup is not None:
        case.setup(ctx)
    argv = case.argv(ctx)
    before = {p: digest(p) for p in (ctx.store, ctx.out)}
    capsys.readouterr()
    code = run_cli(cli.app, argv)
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "Traceback" not in text, text
    errors = [ln for ln in captured.err.splitlines() if ln.startswith("error:")]
    assert code == 2, f"exit {code}, expected 2; output:\n{text}"
    assert len(errors) == 1, f"expected one error line, got:\n{captured.err}"
    line = errors[0]
    assert "internal error" not in line, line
    assert "Fix:" in line, line
    for needle in case.expect:
        assert re.search(needle, line, flags=re.IGNORECASE), f"{needle!r} not in: {line}"
    assert digest(ctx.store) == before[ctx.store], f"{ctx.store} changed"
    assert digest(ctx.out) == before[ctx.out], f"{ctx.out} changed"


# ---------------------------------------------------------------------- file factories
def xlsx_bytes(rows: list[list[object]]) -> bytes:
    """A real .xlsx workbook with ``rows`` on its first sheet."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def fake_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "not a workbook")
    return buf.getvalue()


def random_bytes(n: int = 4096, seed: int = 7) -> bytes:
    import random

    return random.Random(seed).randbytes(n)


def env_store() -> str:
    return os.environ["GEOLEVER_STORE"]
