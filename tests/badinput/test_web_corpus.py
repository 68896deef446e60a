"""The bad-input corpus of the web API (issue 14): every endpoint answers 4xx, never 5xx.

Each case asserts the status, the common error body naming the field and the fix, and no
traceback; the store file is unchanged after the whole corpus. Separate tests cover a
Content-Length larger than the body (408, the connection is released), a foreign Host
(DNS rebinding), the claims checker's time budget (the server keeps answering), and a job
whose result holds a NaN (it fails; it is never 'done' and then 500).
"""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from geolever.scenario import parse_scenario
from geolever.web import JobManager, create_app, serve_in_background

SMALL: dict[str, Any] = {"sender": "RUS", "target": "AZE", "draws": 100,
                         "levers": [{"kind": "remittance_ban", "share": 0.5}]}
LEVER = {"kind": "remittance_ban"}
CLAIM = {"text": "remittances are 7% of the budget", "metric": "remittances_pct_budget",
         "unit": "pct", "claimed": 7}
HEX = "0" * 32


def scn(**changes: Any) -> dict[str, Any]:
    return {**SMALL, **changes}


def raw(text: str) -> bytes:
    return text.encode()


@dataclass(frozen=True)
class WebCase:
    id: str
    method: str
    path: str
    status: int
    field: str | None
    json: Any = None
    content: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()


A = "/api/assessments"
C = "/api/claims/check"
CASES = [
    WebCase("submit-malformed-json", "POST", A, 400, "body", content=b'{"sender": ',
            headers=(("content-type", "application/json"),)),
    WebCase("submit-array", "POST", A, 422, None, json=[1, 2]),
    WebCase("submit-draws-0", "POST", A, 422, "draws", json=scn(draws=0)),
    WebCase("submit-draws-huge", "POST", A, 422, "draws", json=scn(draws=10**9)),
    WebCase("submit-draws-float", "POST", A, 422, "draws", json=scn(draws=1e9 + 0.5)),
    WebCase("submit-seed-negative", "POST", A, 422, "seed", json=scn(seed=-1)),
    WebCase("submit-year-fraction", "POST", A, 422, "year", json=scn(year=2021.5)),
    WebCase("submit-sender-is-target", "POST", A, 422, "target", json=scn(target="RUS")),
    WebCase("submit-unknown-country", "POST", A, 422, "target", json=scn(target="ZZZ")),
    WebCase("submit-duplicate-ids", "POST", A, 422, "levers",
            json=scn(levers=[{**LEVER, "id": "a"}, {**LEVER, "id": "a"}])),
    WebCase("submit-dangling-alternative", "POST", A, 422, "levers",
            json=scn(levers=[{**LEVER, "alternative_to": "nope"}])),
    WebCase("submit-id-traversal", "POST", A, 422, "levers[0].id",
            json=scn(levers=[{**LEVER, "id": "x/../../../elsewhere/name"}])),
    WebCase("submit-share-nan-literal", "POST", A, 422, None, headers=(
        ("content-type", "application/json"),), content=raw(
        '{"sender": "RUS", "target": "AZE", "levers": [{"kind": "remittance_ban", '
        '"share": NaN}]}')),
    WebCase("submit-tariff-infinity", "POST", A, 422, None, headers=(
        ("content-type", "application/json"),), content=raw(
        '{"sender": "RUS", "target": "AZE", "levers": [{"kind": "trade_restriction", '
        '"goods": ["food"], "measure": "tariff", "tariff_pct": Infinity}]}')),
    WebCase("submit-claimed-nan", "POST", A, 422, None, headers=(
        ("content-type", "application/json"),), content=raw(
        '{"sender": "RUS", "target": "AZE", "levers": [{"kind": "remittance_ban"}], '
        '"claims": [{"text": "remittances are 7%", "metric": "remittances_pct_budget", '
        '"unit": "pct", "claimed": NaN}]}')),
    WebCase("submit-tariff-minus-100", "POST", A, 422, "levers[0].tariff_pct", json=scn(
        levers=[{"kind": "trade_restriction", "goods": ["food"], "measure": "tariff",
                 "tariff_pct": -100}])),
    WebCase("submit-unknown-kind", "POST", A, 422, "levers[0]", json=scn(
        levers=[{"kind": "nuke"}])),
    WebCase("submit-extra-field", "POST", A, 422, "colour", json=scn(colour="red")),
    WebCase("submit-unknown-case", "POST", A, 422, "case", json=scn(case="nowhere")),
    WebCase("submit-case-traversal", "POST", A, 422, "case", json=scn(case="../../etc")),
    WebCase("submit-too-many-levers", "POST", A, 422, "levers", json=scn(
        levers=[{**LEVER, "id": f"r{i}"} for i in range(25)])),
    WebCase("submit-deep-json", "POST", A, 400, "body", headers=(
        ("content-type", "application/json"),), content=b"[" * 20000 + b"]" * 20000),
    WebCase("submit-oversized", "POST", A, 413, "body", json=scn(title="x" * 600_000)),
    WebCase("submit-text-plain", "POST", A, 422, None, content=b"sender: RUS",
            headers=(("content-type", "text/plain"),)),
    WebCase("submit-foreign-host", "POST", A, 400, "Host", json=SMALL,
            headers=(("host", "evil.example"),)),
    WebCase("claims-empty", "POST", C, 422, "text", json={"text": ""}),
    WebCase("claims-too-long", "POST", C, 422, "text", json={"text": "x" * 50_001}),
    WebCase("claims-bad-format", "POST", C, 422, "fmt", json={"text": "x is 7%.",
                                                             "fmt": "pdf"}),
    WebCase("claims-year-1800", "POST", C, 422, "year", json={"text": "x", "year": 1800}),
    WebCase("claims-year-nan", "POST", C, 422, None, headers=(
        ("content-type", "application/json"),), content=b'{"text": "x", "year": NaN}'),
    WebCase("claims-extra-field", "POST", C, 422, "colour", json={"text": "x",
                                                                 "colour": "red"}),
    WebCase("claims-case-traversal", "POST", C, 422, "case", json={"text": "x",
                                                                  "case": "../x"}),
    WebCase("claims-text-number", "POST", C, 422, "text", json={"text": 7}),
    WebCase("claims-malformed-json", "POST", C, 400, "body", content=b'{"text": "x"',
            headers=(("content-type", "application/json"),)),
    WebCase("claims-foreign-host", "POST", C, 400, "Host", json={"text": "x"},
            headers=(("host", "attacker.test:8000"),)),
    WebCase("job-not-hex", "GET", f"{A}/../../etc", 404, None),
    WebCase("job-bad-id", "GET", f"{A}/zzzz", 422, "job_id"),
    WebCase("job-unknown", "GET", f"{A}/{HEX}", 404, "job_id"),
    WebCase("job-result-unknown", "GET", f"{A}/{HEX}/result.json", 404, "job_id"),
    WebCase("job-report-unknown", "GET", f"{A}/{HEX}/report.html", 404, "job_id"),
    WebCase("job-chart-traversal", "GET", f"{A}/{HEX}/charts/..%2F..%2Fx.svg", 404, None),
    WebCase("job-chart-bad-name", "GET", f"{A}/{HEX}/charts/x.exe", 422, "name"),
    WebCase("case-unknown", "GET", "/api/cases/nowhere", 404, "name"),
    WebCase("case-too-long", "GET", "/api/cases/" + "a" * 200, 422, "name"),
    WebCase("health-delete", "DELETE", "/api/health", 405, None),
    WebCase("no-such-route", "GET", "/api/nothing", 404, None),
    WebCase("health-foreign-host", "GET", "/api/health", 400, "Host",
            headers=(("host", "rebind.example"),)),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    store = tmp_path_factory.mktemp("webcorpus") / "store.duckdb"
    # A generous read timeout: on a loaded machine a well-formed request may take over a
    # second to arrive, and must not be answered 408 (the 408 test has its own server).
    app = create_app(store_path=store, max_jobs=1, max_queue=2, read_timeout_s=15.0,
                     claims_budget_s=8.0, claims_workers=1)
    with serve_in_background(app) as url:
        yield url, store


@pytest.fixture(scope="module")
def impatient_server() -> Iterator[str]:
    """A server that waits 1 s for a request's bytes (the slow-client test)."""
    with serve_in_background(create_app(read_timeout_s=1.0)) as url:
        yield url


@pytest.fixture(scope="module")
def client(server: tuple[str, Path]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server[0], timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def store_digest(server: tuple[str, Path]) -> str:
    return hashlib.sha256(server[1].read_bytes()).hexdigest()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_web_bad_input(case: WebCase, client: httpx.Client, store_digest: str) -> None:
    """A 4xx with the common error body naming the field and the fix; never a 5xx."""
    headers = dict(case.headers)
    if case.json is not None:
        response = client.request(case.method, case.path, json=case.json, headers=headers)
    else:
        response = client.request(case.method, case.path, content=case.content,
                                  headers=headers)
    assert response.status_code == case.status, response.text
    assert "Traceback" not in response.text
    body = response.json()
    assert set(body) >= {"error", "message", "field", "fix"}, body
    assert body["message"]
    if case.field is not None:
        assert body["field"] is not None and case.field in body["field"], body
        assert body["fix"], body


def test_store_unchanged_by_the_corpus(server: tuple[str, Path], store_digest: str,
                                       client: httpx.Client) -> None:
    """Runs after the corpus (same module): the server's store file was not touched."""
    for case in CASES[:5]:
        client.request(case.method, case.path, json=case.json, content=case.content)
    assert hashlib.sha256(server[1].read_bytes()).hexdigest() == store_digest


def test_corpus_size() -> None:
    assert len(CASES) >= 44 and len({c.id for c in CASES}) == len(CASES)


def test_content_length_larger_than_body_is_408_not_a_stuck_connection(
        impatient_server: str) -> None:
    """A client that declares 1,000 bytes and sends 10 gets 408 after the read timeout."""
    host, port = impatient_server.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"POST /api/claims/check HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
                     b'{"text": "')
        start = time.monotonic()
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
        waited = time.monotonic() - start
    assert data.startswith(b"HTTP/1.1 408"), data[:200]
    assert waited < 8


def test_claims_check_over_budget_is_stopped_and_the_server_answers() -> None:
    """A text that needs seconds is stopped at a 0.5 s budget (422); health answers."""
    oped = (Path(__file__).parents[1] / "fixtures" / "claims" / "oped.md").read_text()
    long_text = (oped * (50_000 // len(oped) + 1))[:50_000]
    app = create_app(claims_budget_s=0.5, claims_workers=1)
    with serve_in_background(app) as url, httpx.Client(base_url=url, timeout=120) as client:
        result: dict[str, httpx.Response] = {}
        thread = threading.Thread(
            target=lambda: result.setdefault("r", client.post(C, json={"text": long_text})))
        thread.start()
        time.sleep(0.5)
        health = client.get("/api/health")
        assert health.status_code == 200 and health.json()["limits"]["claims_budget_s"] == 0.5
        thread.join(120)
        response = result["r"]
        assert response.status_code == 422, response.text[:300]
        assert response.json()["error"] == "TimeBudgetExceeded"
        assert response.json()["field"] == "text"
        # the worker was replaced: the next check gets an answer, never a 5xx
        again = client.post(C, json={"text": "The Baku-Novorossiysk pipeline is not operating."})
        assert again.status_code in (200, 422), again.text[:300]


def test_job_with_a_nan_in_its_result_fails_instead_of_answering_500(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import geolever.web.jobs as jobs

    real = jobs.run_scenario

    class Poisoned:
        def __init__(self, inner: Any):
            self.inner = inner

        def to_dict(self) -> dict[str, Any]:
            doc = self.inner.to_dict()
            doc["levers"][0]["asymmetry"] = {"p5": float("nan"), "p50": 1.0, "p95": 2.0}
            return dict(doc)

    monkeypatch.setattr(jobs, "run_scenario", lambda *a, **k: Poisoned(real(*a, **k)))
    monkeypatch.setattr(jobs, "charts", lambda doc: {})
    monkeypatch.setattr(jobs, "render_html", lambda doc, svgs: "")
    monkeypatch.setattr(jobs, "render_markdown", lambda doc: "")
    manager = JobManager(":memory:", max_jobs=1, max_queue=1)
    try:
        job = manager.submit(parse_scenario(SMALL))
        for _ in range(1500):
            if job.state in ("done", "failed"):
                break
            time.sleep(0.02)
        assert job.state == "failed", job.state
        assert job.error is not None and "levers[0].asymmetry.p5" in str(job.error["message"])
    finally:
        manager.close()
