"""Web API tests: httpx against real uvicorn servers started on free loopback ports."""

from __future__ import annotations

import time
from collections.abc import Iterator
from importlib import resources
from typing import Any

import httpx
import pytest
import yaml

from geolever.claims import check_text
from geolever.levers import lever_kinds
from geolever.scenario import MAX_DRAWS, MAX_LEVERS, parse_scenario, run_scenario
from geolever.store import FactStore
from geolever.web import JobManager, create_app, serve_in_background

CONTRACT_KEYS = {
    "case",
    "title",
    "sender",
    "sender_name",
    "target",
    "target_name",
    "year",
    "seed",
    "draws",
    "geolever_version",
    "levers",
    "combined",
    "claims",
    "denominators",
    "verdict_thresholds",
    "data",
    "parameters",
}
SMALL = {
    "sender": "RUS",
    "target": "AZE",
    "draws": 100,
    "levers": [{"kind": "remittance_ban", "share": 0.5}],
}


def flagship() -> dict[str, Any]:
    ref = resources.files("geolever.packs").joinpath("russia-azerbaijan/scenario.yaml")
    return dict(yaml.safe_load(ref.read_text("utf-8")))


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("web") / "store.duckdb"
    app = create_app(store_path=store, max_jobs=2, max_queue=6)
    with serve_in_background(app) as url:
        yield url


@pytest.fixture(scope="session")
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def tiny_url() -> Iterator[str]:
    """One worker, one waiting place, CORS on for one origin: for the 429 and CORS tests."""
    app = create_app(max_jobs=1, max_queue=1, cors_origins=["http://allowed.test"])
    with serve_in_background(app) as url:
        yield url


def wait(
    client: httpx.Client, job_id: str, timeout: float = 120
) -> tuple[dict[str, Any], list[float]]:
    fractions = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(f"/api/assessments/{job_id}").json()
        fractions.append(status["progress"]["fraction"])
        if status["state"] in ("done", "failed"):
            return status, fractions
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish in {timeout}s")


def submit(client: httpx.Client, scenario: dict[str, Any]) -> httpx.Response:
    return client.post("/api/assessments", json=scenario)


# ---------------------------------------------------------------------- reference data
def test_reference_endpoints(client: httpx.Client) -> None:
    health = client.get("/api/health").json()
    assert health["status"] == "ok"
    assert health["limits"]["max_draws"] == MAX_DRAWS
    assert health["limits"]["max_levers"] == MAX_LEVERS

    cases = client.get("/api/cases").json()
    ra = next(c for c in cases if c["name"] == "russia-azerbaijan")
    assert (ra["sender"], ra["target"]) == ("RUS", "AZE")
    assert "BAKU_NOVOROSSIYSK" in {e["id"] for e in ra["networks"]["oil_exports"]["edges"]}
    assert client.get("/api/cases/russia-azerbaijan/scenario").json() == flagship()
    assert client.get("/api/cases/nowhere").status_code == 404

    countries = {c["code"]: c["name"] for c in client.get("/api/countries").json()}
    assert countries["AZE"] == "Azerbaijan"

    levers = {lv["kind"]: lv for lv in client.get("/api/levers").json()}
    # exactly the registered kinds (a new kind is one file in levers/kinds/), the five of
    # geolever 0.1 among them
    assert set(levers) == set(lever_kinds())
    assert {"remittance_ban", "trade_restriction", "transit_block", "corridor_exclusion",
            "expert_judgement"} <= set(levers)
    goods = next(p for p in levers["trade_restriction"]["parameters"] if p["name"] == "goods")
    assert goods["required"] is True
    assert levers["remittance_ban"]["schema"]["properties"]["share"]["maximum"] == 1

    assert "wheat" in {p["code"] for p in client.get("/api/products").json()}
    schema = client.get("/api/openapi.json").json()
    assert "/api/assessments" in schema["paths"]
    assert "/api/claims/check" in schema["paths"]
    assert "Scenario" in schema["components"]["schemas"]
    # No Swagger UI: it would load its scripts from a CDN.
    assert client.get("/docs").status_code == 404


def test_reference_answers_are_typed_in_the_openapi_document(client: httpx.Client) -> None:
    schema = client.get("/api/openapi.json").json()
    models = schema["components"]["schemas"]
    # each reference endpoint documents its answer's model, not a free-form object
    for path, model in (("/api/health", "Health"), ("/api/cases/{name}", "CaseInfo"),
                        ("/api/assessments/{job_id}", "JobStatus")):
        answer = schema["paths"][path]["get"]["responses"]["200"]["content"]
        assert answer["application/json"]["schema"] == {"$ref": f"#/components/schemas/{model}"}
    assert set(models["Health"]["properties"]["limits"].values()) >= {
        "#/components/schemas/Limits"}
    assert "in" in models["Problem"]["properties"]  # a validation problem's location
    assert {"NetworkInfo", "EdgeInfo", "Country", "ErrorBody"} <= set(models)
    # a country has no members; a group lists them
    countries = {c["code"]: c for c in client.get("/api/countries").json()}
    assert "members" not in countries["AZE"]
    assert "DEU" in countries["EU27"]["members"]
    # every error body has the same shape; only validation errors list their problems
    missing = error_of(submit(client, {"sender": "RUS", "target": "AZE"}), 422)
    assert missing["problems"][0] == {"field": "levers", "in": "body",
                                      "message": "Field required", "type": "missing"}
    assert set(client.get("/api/cases/nowhere").json()) == {"error", "message", "field", "fix"}


def test_dashboard_and_bundled_plotly(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "/static/app.js" in page.text and "/vendor/plotly.min.js" in page.text
    assert "http" not in page.text.split("<body>")[0].replace("http-equiv", "")  # no CDN
    js = client.get("/vendor/plotly.min.js")
    assert js.status_code == 200 and len(js.content) > 1_000_000
    assert "plotly.js" in js.text[:300]
    assert client.get("/static/app.js").status_code == 200
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in page.headers["content-security-policy"]


# ---------------------------------------------------------------------- the happy path
def test_flagship_job_matches_direct_run(client: httpx.Client) -> None:
    scenario = flagship()
    response = submit(client, scenario)
    assert response.status_code == 202, response.text
    job = response.json()
    assert response.headers["location"] == f"/api/assessments/{job['id']}"
    assert job["state"] in ("queued", "running")
    status, fractions = wait(client, job["id"])
    assert status["state"] == "done", status["error"]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert status["progress"]["total"] == len(scenario["levers"]) + len(scenario["claims"]) + 1

    result = client.get(status["links"]["result"]).json()
    assert set(result) >= CONTRACT_KEYS
    assert [lv["id"] for lv in result["levers"]] == [lv["id"] for lv in scenario["levers"]]

    # Same schema, same runner, same seed: the web result is the CLI's result.
    direct = run_scenario(parse_scenario(scenario), FactStore(":memory:")).to_dict()
    for web_lv, cli_lv in zip(result["levers"], direct["levers"], strict=True):
        assert web_lv["verdict"] == cli_lv["verdict"]
        assert web_lv["target_loss_usd"] == pytest.approx(cli_lv["target_loss_usd"])
        assert web_lv["sender_cost_usd"] == pytest.approx(cli_lv["sender_cost_usd"])
    assert [c["verdict"] for c in result["claims"]] == [c["verdict"] for c in direct["claims"]]

    report = client.get(status["links"]["report"])
    assert report.status_code == 200
    assert report.headers["content-type"].startswith("text/html")
    assert "<svg" in report.text and "Baku-Novorossiysk" in report.text
    download = client.get(status["links"]["report"], params={"download": "true"})
    assert "attachment" in download.headers["content-disposition"]
    assert client.get(status["links"]["markdown"]).text.startswith("#")

    charts = {c["name"]: c["url"] for c in client.get(status["links"]["charts"]).json()}
    assert "loss_vs_cost.svg" in charts and "routes_oil_transit.svg" in charts
    svg = client.get(charts["loss_vs_cost.svg"])
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.startswith("<svg")
    missing = client.get(f"/api/assessments/{job['id']}/charts/nope.svg")
    assert missing.status_code == 404 and missing.json()["field"] == "name"


def test_concurrent_jobs_share_one_store(client: httpx.Client) -> None:
    # Every run re-registers its case pack; without the app's write lock two DuckDB
    # cursors updating the same row at once fail with "Conflict on update".
    ids = [submit(client, {**SMALL, "seed": seed}).json()["id"] for seed in range(6)]
    states = [wait(client, job_id)[0] for job_id in ids]
    assert [s["state"] for s in states] == ["done"] * 6, [s["error"] for s in states]
    losses = {
        client.get(f"/api/assessments/{i}/result.json").json()["levers"][0]["target_loss_usd"][
            "p50"
        ]
        for i in ids
    }
    assert len(losses) > 1  # different seeds, different draws


# ---------------------------------------------------------------------- validation
def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) >= {"error", "message", "field", "fix"}
    return dict(body)


def test_unknown_country_names_field_and_suggests(client: httpx.Client) -> None:
    body = error_of(submit(client, {**SMALL, "target": "AZR"}), 422)
    assert body["field"] == "target"
    assert "AZE (Azerbaijan)" in body["message"]


def test_limits_are_enforced(client: httpx.Client) -> None:
    body = error_of(submit(client, {**SMALL, "draws": MAX_DRAWS + 1}), 422)
    assert body["field"] == "draws" and str(MAX_DRAWS) in body["message"]
    levers = [{"kind": "remittance_ban", "id": f"r{i}"} for i in range(MAX_LEVERS + 1)]
    assert error_of(submit(client, {**SMALL, "levers": levers}), 422)["field"] == "levers"
    text = client.post("/api/claims/check", json={"text": "x" * 50_001})
    assert error_of(text, 422)["field"] == "text"


def test_field_paths_inside_levers(client: httpx.Client) -> None:
    bad_kind = {**SMALL, "levers": [{"kind": "blockade"}]}
    body = error_of(submit(client, bad_kind), 422)
    assert body["field"] == "levers[0]" and "trade_restriction" in body["fix"]
    bad_goods = {
        **SMALL,
        "levers": [SMALL["levers"][0], {"kind": "trade_restriction", "goods": ["caviar"]}],
    }
    body = error_of(submit(client, bad_goods), 422)
    assert body["field"] == "levers[1].goods" and "wheat" in body["message"]
    extra = error_of(submit(client, {**SMALL, "path": "/etc/passwd"}), 422)
    assert extra["field"] == "path" and extra["fix"] == "remove it or check its spelling"
    missing = error_of(submit(client, {"sender": "RUS", "target": "AZE"}), 422)
    assert missing["field"] == "levers"


def test_no_paths_accepted(client: httpx.Client) -> None:
    body = error_of(submit(client, {**SMALL, "case": "../../etc"}), 422)
    assert body["field"] == "case" and "russia-azerbaijan" in body["fix"]
    assert client.get("/api/cases/..%2F..%2Fetc/scenario").status_code in (404, 422)
    assert client.get("/api/assessments/..%2F..%2Fetc").status_code == 404
    assert error_of(client.get("/api/assessments/not-a-job"), 422)["field"] == "job_id"


def test_malformed_json_is_400(client: httpx.Client) -> None:
    response = client.post(
        "/api/assessments",
        content=b'{"sender": "RUS",',
        headers={"content-type": "application/json"},
    )
    body = error_of(response, 400)
    assert body["error"] == "MalformedJSON" and body["field"] == "body"
    not_a_mapping = error_of(client.post("/api/assessments", json=[1, 2]), 422)
    assert not_a_mapping["field"] == "body"


def test_oversized_body_is_413(client: httpx.Client) -> None:
    big = {**SMALL, "title": "x" * 600_000}
    body = error_of(submit(client, big), 413)
    assert body["field"] == "body" and "524288" in body["message"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked transfer
        yield b'{"title": "'
        for _ in range(100):
            yield b"y" * 10_000
        yield b'"}'

    chunked = client.post(
        "/api/assessments", content=chunks(), headers={"content-type": "application/json"}
    )
    assert error_of(chunked, 413)["error"] == "PayloadTooLarge"
    assert client.get("/api/health").status_code == 200


# ---------------------------------------------------------------------- failures
def test_failing_job_reports_its_error_and_server_lives(client: httpx.Client) -> None:
    bad = {**SMALL, "levers": [{"kind": "transit_block", "asset": "NOWHERE_PIPELINE"}]}
    response = submit(client, bad)
    assert response.status_code == 202  # valid schema; the asset is checked against the case
    status, _ = wait(client, response.json()["id"])
    assert status["state"] == "failed"
    assert status["error"]["error"] == "UnknownCodeError"
    assert status["error"]["field"] == "asset"
    assert "BAKU_NOVOROSSIYSK" in status["error"]["fix"]
    result = error_of(client.get(status["links"]["result"]), 409)
    assert result["error"] == "JobFailed"

    no_data = submit(client, {**SMALL, "year": 1995})
    status, _ = wait(client, no_data.json()["id"])
    assert status["state"] == "failed" and status["error"]["message"]

    assert client.get("/api/health").json()["status"] == "ok"
    ok, _ = wait(client, submit(client, SMALL).json()["id"])
    assert ok["state"] == "done"


def test_internal_error_fails_the_job_not_the_manager(monkeypatch: pytest.MonkeyPatch) -> None:
    import geolever.web.jobs as jobs

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    manager = JobManager(":memory:", max_jobs=1, max_queue=1)
    try:
        monkeypatch.setattr(jobs, "run_scenario", boom)
        job = manager.submit(parse_scenario(SMALL))
        for _ in range(200):
            if job.state in ("done", "failed"):
                break
            time.sleep(0.02)
        assert job.state == "failed" and job.error is not None
        assert job.error["error"] == "InternalError"
        monkeypatch.undo()
        good = manager.submit(parse_scenario(SMALL))
        for _ in range(500):
            if good.state in ("done", "failed"):
                break
            time.sleep(0.02)
        assert good.state == "done" and good.result is not None
    finally:
        manager.close()


def test_unknown_job_is_404(client: httpx.Client) -> None:
    body = error_of(client.get(f"/api/assessments/{'0' * 32}"), 404)
    assert body["field"] == "job_id"


# ---------------------------------------------------------------------- queue and CORS
def test_full_queue_answers_429(tiny_url: str) -> None:
    with httpx.Client(base_url=tiny_url, timeout=30) as c:
        first = submit(c, flagship())  # runs for seconds: 7 levers x 4000 draws and a report
        second = submit(c, flagship())
        assert (first.status_code, second.status_code) == (202, 202)
        third = submit(c, SMALL)
        body = error_of(third, 429)
        assert body["error"] == "QueueFullError" and "1 running, 1 waiting" in body["message"]
        assert int(third.headers["retry-after"]) > 0
        assert c.get(f"/api/assessments/{second.json()['id']}").json()["queue_position"] == 0
        for r in (first, second):
            assert wait(c, r.json()["id"])[0]["state"] == "done"
        assert submit(c, SMALL).status_code == 202  # room again


def test_cors_off_by_default_on_when_asked(client: httpx.Client, tiny_url: str) -> None:
    origin = {"Origin": "http://allowed.test"}
    assert "access-control-allow-origin" not in client.get("/api/health", headers=origin).headers
    with httpx.Client(base_url=tiny_url) as c:
        allowed = c.get("/api/health", headers=origin)
        assert allowed.headers["access-control-allow-origin"] == "http://allowed.test"
        other = c.get("/api/health", headers={"Origin": "http://evil.test"})
        assert "access-control-allow-origin" not in other.headers


# ---------------------------------------------------------------------- claims of a text
def test_claims_check_endpoint_is_the_cli_code_path(client: httpx.Client) -> None:
    text = (
        "Remittances from migrants in Russia are about 7% of Azerbaijan's state budget.\n\n"
        "The Baku-Novorossiysk pipeline is not operating. The weather was fine."
    )
    response = client.post("/api/claims/check", json={"text": text, "case": "russia-azerbaijan"})
    assert response.status_code == 200, response.text
    out = response.json()
    assert out == check_text(text, case="russia-azerbaijan").to_dict()
    checked = [s for s in out["sentences"] if s["status"] == "checked"]
    verdicts = {c["metric"]: c["verdict"] for s in checked for c in s["claims"]}
    assert verdicts["remittances_share_of_budget"] == "false"
    assert out["summary"]["sentences"] == 3

    bad_case = client.post("/api/claims/check", json={"text": text, "case": "../x"})
    assert error_of(bad_case, 422)["field"] == "case"
    bad_fmt = client.post("/api/claims/check", json={"text": text, "fmt": "pdf"})
    assert error_of(bad_fmt, 422)["field"] == "fmt"
    empty = client.post("/api/claims/check", json={"text": ""})
    assert error_of(empty, 422)["field"] == "text"


# ---------------------------------------------------------------------- geolever serve
def test_serve_command_starts_uvicorn_on_loopback() -> None:
    import socket
    import subprocess
    import sys

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = (
        "import typer; from geolever.cli.serve_cmd import serve_command; "
        "app = typer.Typer(); app.command('serve')(serve_command); "
        "app.command('noop')(lambda: None); app()"
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            code,
            "serve",
            "--memory",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "geolever serve did not start"
                time.sleep(0.2)
        assert health.json()["status"] == "ok"
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}/" in err  # the URL is printed; no warning on loopback
    assert "warning" not in err.lower()
