"""The FastAPI application: REST API, OpenAPI schema and the dashboard.

Every request body is validated by pydantic: scenarios by the same
:class:`geolever.scenario.Scenario` model as the YAML files. Errors have one JSON shape,
``{"error", "message", "field", "fix"}`` (that of :meth:`GeoleverError.to_dict`), with
``problems`` listing every field at fault for validation errors. Nothing in a request is
used as a file-system path: case names are looked up among the shipped packs, job ids are
hexadecimal, chart names are keys of the job's in-memory charts.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from geolever import __version__
from geolever.claims import check_text
from geolever.core.countries import country_names
from geolever.core.errors import GeoleverError
from geolever.core.facts import product_table
from geolever.levers import LEVER_KINDS, kind_table
from geolever.scenario import MAX_DRAWS, MAX_LEVERS, Scenario, parse_scenario
from geolever.sources.packs import available_packs, read_pack
from geolever.web.jobs import Job, JobManager, QueueFullError

log = logging.getLogger("geolever.web")

MAX_BODY_BYTES = 512 * 1024
"""Largest request body accepted (bytes); larger ones get 413."""
MAX_TEXT_CHARS = 50_000
"""Longest text accepted by the claims check (characters)."""
_DRAIN_FACTOR = 16  # an over-limit body up to 16x the limit is read and dropped

STATIC_DIR = Path(__file__).parent / "static"
_LEVER_TAGS = frozenset(LEVER_KINDS)
_JOB_ID = Annotated[str, PathParam(pattern=r"^[0-9a-f]{32}$", description="Job id")]
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


# ---------------------------------------------------------------------- API models
class ErrorBody(BaseModel):
    """Every 4xx/5xx answer: the error's type, message, the field at fault and the fix."""

    error: str
    message: str
    field: str | None = None
    fix: str | None = None
    problems: list[dict[str, Any]] | None = Field(
        None, description="Every field at fault (validation errors only)"
    )


class Progress(BaseModel):
    """Steps done out of the total: one per lever (Monte Carlo), per claim, and the report."""

    done: int
    total: int
    fraction: float


class JobStatus(BaseModel):
    """The state of an assessment job."""

    id: str
    state: Literal["queued", "running", "done", "failed"]
    stage: str
    progress: Progress
    queue_position: int | None
    created: float
    started: float | None
    finished: float | None
    elapsed_s: float | None
    error: dict[str, str | None] | None
    title: str | None
    sender: str
    target: str
    draws: int
    charts: list[str]
    links: dict[str, str]


class ClaimCheckRequest(BaseModel):
    """A text whose quantitative claims are checked against a case (as ``claims check``)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        ...,
        min_length=1,
        max_length=MAX_TEXT_CHARS,
        description=f"Plain text, Markdown or HTML (at most {MAX_TEXT_CHARS} characters)",
    )
    case: str = Field("russia-azerbaijan", max_length=100, description="Case pack name")
    fmt: Literal["auto", "text", "md", "html"] = Field(
        "auto", description="Format of the text; 'auto' detects it"
    )
    year: int | None = Field(
        None, ge=1990, le=2100, description="Reference year; default: the pack's"
    )


class ApiError(Exception):
    """An HTTP error with the common error body."""

    def __init__(
        self,
        status: int,
        error: str,
        message: str,
        *,
        field: str | None = None,
        fix: str | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status, self.headers = status, headers
        self.body = {"error": error, "message": message, "field": field, "fix": fix}


# ---------------------------------------------------------------------- helpers
def _field_path(loc: tuple[int | str, ...] | list[int | str]) -> str:
    """``('body', 'levers', 2, 'transit_block', 'asset')`` -> ``levers[2].asset``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part not in _LEVER_TAGS:
            out += f".{part}" if out else str(part)
    return out


_FIXES = {
    "missing": "add this field",
    "extra_forbidden": "remove it or check its spelling",
    "union_tag_invalid": "kind must be one of " + ", ".join(LEVER_KINDS),
    "union_tag_not_found": "add kind: one of " + ", ".join(LEVER_KINDS),
}


def _validation_body(errors: list[dict[str, Any]]) -> tuple[int, dict[str, Any]]:
    """Turn pydantic/FastAPI errors into (status, error body) naming each field."""
    problems = []
    for err in errors:
        loc = tuple(err.get("loc", ()))
        where, rest = (str(loc[0]), loc[1:]) if loc else ("body", ())
        if err.get("type") == "json_invalid":
            reason = (err.get("ctx") or {}).get("error", "invalid JSON")
            pos = f" at character {rest[0]}" if rest else ""
            return 400, {
                "error": "MalformedJSON",
                "message": f"malformed JSON{pos}: {reason}",
                "field": "body",
                "fix": "send a valid JSON document (Content-Type: application/json)",
                "problems": None,
            }
        field = _field_path(rest) or where
        problems.append(
            {
                "field": field,
                "in": where,
                "message": str(err.get("msg", "")).removeprefix("Value error, "),
                "type": err.get("type"),
            }
        )
    first = problems[0]
    more = f" ({len(problems) - 1} more problem(s) after this one)" if len(problems) > 1 else ""
    return 422, {
        "error": "ValidationError",
        "message": f"{first['message']}{more}",
        "field": first["field"],
        "fix": _FIXES.get(str(first["type"]), "correct the value as described"),
        "problems": problems,
    }


def _json(
    status: int,
    body: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=headers)


@cache
def _case_info(name: str) -> dict[str, Any]:
    pack = read_pack(name)
    networks = {
        key: {
            "title": net.get("title", key),
            "commodity": net.get("commodity"),
            "edges": [
                {"id": e["id"], "name": e.get("name", e["id"]), "countries": e.get("countries", [])}
                for e in net.get("edges", [])
            ],
        }
        for key, net in (pack.infrastructure.get("networks") or {}).items()
    }
    years = sorted({f.year for f in pack.facts})
    return {
        "name": name,
        "title": pack.meta.get("title", name),
        "sender": pack.meta.get("sender"),
        "target": pack.meta.get("target"),
        "default_year": pack.meta.get("default_year"),
        "description": str(pack.meta.get("description", "")).strip(),
        "years": years,
        "networks": networks,
        "has_scenario": resources.files("geolever.packs")
        .joinpath(f"{name}/scenario.yaml")
        .is_file(),
    }


def _check_case(name: str, field: str, status: int = 422) -> str:
    if name not in available_packs():
        raise ApiError(
            status,
            "UnknownCodeError",
            f"unknown case pack {name!r}",
            field=field,
            fix=f"use one of: {', '.join(available_packs())}",
        )
    return name


def _done_job(manager: JobManager, job_id: str) -> Job:
    job = manager.get(job_id)
    if job is None:
        raise ApiError(
            404,
            "NotFound",
            f"no job {job_id}",
            field="job_id",
            fix="submit the scenario again (finished jobs are kept for a while)",
        )
    if job.state == "failed":
        raise ApiError(
            409,
            "JobFailed",
            f"job {job_id} failed: {(job.error or {}).get('message')}",
            field="job_id",
            fix="see the job status for the error and its fix",
        )
    if job.state != "done" or job.result is None:
        raise ApiError(
            409,
            "NotReady",
            f"job {job_id} is {job.state}",
            field="job_id",
            fix="poll the job status until its state is 'done'",
        )
    return job


def _links(job_id: str) -> dict[str, str]:
    base = f"/api/assessments/{job_id}"
    return {
        "self": base,
        "result": f"{base}/result.json",
        "report": f"{base}/report.html",
        "markdown": f"{base}/report.md",
        "charts": f"{base}/charts",
    }


def _status(manager: JobManager, job: Job) -> dict[str, Any]:
    return {**job.status(manager.position(job)), "links": _links(job.id)}


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


class BodyLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` with 413, before the app reads them.

    A declared Content-Length is checked up front; a chunked body is buffered up to the
    limit and refused as soon as it passes it.
    """

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def _refuse(
        self, receive: Receive, send: Send, status: int, message: str, more: bool
    ) -> None:
        # Read (and drop) what the client is still sending, up to a cap: closing a socket
        # with unread data makes TCP reset it, and the client would never see the 413.
        drained = 0
        while more and drained < _DRAIN_FACTOR * self.max_bytes:
            msg = await receive()
            if msg["type"] != "http.request":
                break
            drained += len(msg.get("body", b""))
            more = msg.get("more_body", False)
        body = json.dumps(
            {
                "error": "PayloadTooLarge" if status == 413 else "BadRequest",
                "message": message,
                "field": "body",
                "fix": f"send at most {self.max_bytes} bytes",
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, or answer 413 if its body is too large."""
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                await self._refuse(receive, send, 400, "invalid Content-Length header", False)
                return
            if size > self.max_bytes:
                await self._refuse(
                    receive,
                    send,
                    413,
                    f"request body of {size} bytes is "
                    f"larger than the limit of {self.max_bytes} bytes",
                    size <= _DRAIN_FACTOR * self.max_bytes,
                )
                return
            await self.app(scope, receive, send)
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_bytes:
                await self._refuse(
                    receive,
                    send,
                    413,
                    f"request body is larger than the limit of {self.max_bytes} bytes",
                    message.get("more_body", False),
                )
                return
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


# ---------------------------------------------------------------------- the app
def create_app(
    *,
    store_path: str | Path | None = None,
    max_jobs: int = 2,
    max_queue: int = 16,
    cors_origins: list[str] | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
    keep_jobs: int = 100,
) -> FastAPI:
    """Create the geolever web application.

    Parameters
    ----------
    store_path
        DuckDB fact store file shared by every job (one connection, one cursor per
        thread); ``None`` keeps it in memory (the shipped case packs are loaded either way).
    max_jobs
        Assessments running at once (worker threads).
    max_queue
        Assessments that may wait for a worker; one more submission gets HTTP 429.
    cors_origins
        Origins allowed to call the API from a browser; ``None`` (the default) sends no
        CORS headers, so only same-origin pages (the dashboard) can.
    max_body_bytes
        Largest request body in bytes; larger ones get HTTP 413.
    keep_jobs
        Finished jobs kept in memory for polling and downloads.

    Returns
    -------
    FastAPI
        The application (REST API under ``/api``, schema at ``/api/openapi.json``,
        dashboard at ``/``).
    """
    manager = JobManager(
        ":memory:" if store_path is None else store_path,
        max_jobs=max_jobs,
        max_queue=max_queue,
        keep_jobs=keep_jobs,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        manager.close()

    app = FastAPI(
        title="geolever",
        version=__version__,
        lifespan=lifespan,
        description="Measure economic leverage between countries: submit a scenario (the "
        "same schema as the YAML files), poll the job, fetch result.json, the report and "
        "charts; check the claims of a text.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        responses={422: {"model": ErrorBody, "description": "Invalid request"}},
    )
    app.state.jobs = manager
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
        )
    app.add_middleware(BodyLimitMiddleware, max_bytes=max_body_bytes)

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Content-Security-Policy", _CSP)
        return response

    # ------------------------------------------------------------------ errors
    @app.exception_handler(RequestValidationError)
    async def on_validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        status, body = _validation_body(list(exc.errors()))
        return _json(status, body)

    @app.exception_handler(ApiError)
    async def on_api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _json(exc.status, exc.body, exc.headers)

    @app.exception_handler(GeoleverError)
    async def on_geolever_error(_: Request, exc: GeoleverError) -> JSONResponse:
        return _json(
            429 if isinstance(exc, QueueFullError) else 422,
            exc.to_dict(),
            {"Retry-After": "2"} if isinstance(exc, QueueFullError) else None,
        )

    @app.exception_handler(StarletteHTTPException)
    async def on_http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        name = {404: "NotFound", 405: "MethodNotAllowed"}.get(exc.status_code, "HTTPError")
        return _json(
            exc.status_code,
            {"error": name, "message": str(exc.detail), "field": None, "fix": None},
            dict(exc.headers) if exc.headers else None,
        )

    @app.exception_handler(Exception)
    async def on_bug(_: Request, exc: Exception) -> JSONResponse:
        log.error("internal error", exc_info=exc)
        return _json(
            500,
            {
                "error": "InternalError",
                "message": "internal server error",
                "field": None,
                "fix": "report it; the server log has the traceback",
            },
        )

    # ------------------------------------------------------------------ reference data
    @app.get("/api/health", tags=["meta"])
    def health() -> dict[str, Any]:
        """Version, limits and job counts."""
        return {
            "status": "ok",
            "version": __version__,
            "jobs": manager.counts(),
            "limits": {
                "max_draws": MAX_DRAWS,
                "max_levers": MAX_LEVERS,
                "max_body_bytes": max_body_bytes,
                "max_text_chars": MAX_TEXT_CHARS,
                "max_jobs": manager.max_jobs,
                "max_queue": manager.max_queue,
            },
        }

    @app.get("/api/cases", tags=["reference"])
    def cases() -> list[dict[str, Any]]:
        """List the shipped case packs: sender, target, years, infrastructure networks."""
        return [_case_info(name) for name in available_packs()]

    @app.get("/api/cases/{name}", tags=["reference"])
    def case(name: Annotated[str, PathParam(max_length=100)]) -> dict[str, Any]:
        """One case pack."""
        return _case_info(_check_case(name, "name", 404))

    @app.get("/api/cases/{name}/scenario", tags=["reference"])
    def case_scenario(name: Annotated[str, PathParam(max_length=100)]) -> dict[str, Any]:
        """Return the case's example scenario (a template for submissions), validated."""
        _check_case(name, "name", 404)
        ref = resources.files("geolever.packs").joinpath(f"{name}/scenario.yaml")
        if not ref.is_file():
            raise ApiError(
                404,
                "NotFound",
                f"case {name} ships no example scenario",
                field="name",
                fix="write the scenario yourself",
            )
        data = yaml.safe_load(ref.read_text("utf-8"))
        parse_scenario(data, origin=f"{name}/scenario.yaml")
        return dict(data)

    @app.get("/api/countries", tags=["reference"])
    def countries() -> list[dict[str, str]]:
        """ISO 3166 alpha-3 codes and aggregates with their English names."""
        return [{"code": c, "name": n} for c, n in sorted(country_names().items())]

    @app.get("/api/levers", tags=["reference"])
    def levers() -> list[dict[str, Any]]:
        """Lever kinds with their parameters and JSON schemas (from the lever registry)."""
        return kind_table()

    @app.get("/api/products", tags=["reference"])
    def products() -> list[dict[str, str]]:
        """Product codes and groups accepted by trade levers (with their HS chapters)."""
        return [
            {"code": k, "name": r["name"], "group": r["group"], "hs": r["hs"]}
            for k, r in product_table().items()
        ]

    @app.get("/api/schema/scenario", tags=["reference"])
    def scenario_schema() -> dict[str, Any]:
        """Return the JSON schema of a scenario (the same model validates YAML files)."""
        return Scenario.model_json_schema()

    # ------------------------------------------------------------------ assessments
    @app.post(
        "/api/assessments",
        status_code=202,
        response_model=JobStatus,
        tags=["jobs"],
        responses={
            429: {"model": ErrorBody, "description": "Queue full"},
            413: {"model": ErrorBody, "description": "Body too large"},
            400: {"model": ErrorBody, "description": "Malformed JSON"},
        },
    )
    def submit(scenario: Scenario, response: Response) -> dict[str, Any]:
        """Queue an assessment of ``scenario``; poll the returned job."""
        if scenario.case is not None:  # None: the pair's pack or the store's datasets
            _check_case(scenario.case, "case")
        job = manager.submit(scenario)
        response.headers["Location"] = f"/api/assessments/{job.id}"
        return _status(manager, job)

    @app.get(
        "/api/assessments/{job_id}",
        response_model=JobStatus,
        tags=["jobs"],
        responses={404: {"model": ErrorBody}},
    )
    def job_status(job_id: _JOB_ID) -> dict[str, Any]:
        """State, progress and (if it failed) the error of a job."""
        job = manager.get(job_id)
        if job is None:
            raise ApiError(
                404,
                "NotFound",
                f"no job {job_id}",
                field="job_id",
                fix="submit the scenario again (finished jobs are kept for a while)",
            )
        return _status(manager, job)

    @app.get(
        "/api/assessments/{job_id}/result.json",
        tags=["jobs"],
        responses={409: {"model": ErrorBody}, 404: {"model": ErrorBody}},
    )
    def job_result(job_id: _JOB_ID, download: Annotated[bool, Query()] = False) -> JSONResponse:
        """Return the result.json document of a finished job."""
        job = _done_job(manager, job_id)
        return JSONResponse(
            job.result,
            headers=_attachment(f"geolever-{job_id[:8]}-result.json") if download else None,
        )

    @app.get(
        "/api/assessments/{job_id}/report.html",
        response_class=HTMLResponse,
        tags=["jobs"],
        responses={409: {"model": ErrorBody}, 404: {"model": ErrorBody}},
    )
    def job_report(job_id: _JOB_ID, download: Annotated[bool, Query()] = False) -> HTMLResponse:
        """Return the self-contained HTML report of a finished job."""
        job = _done_job(manager, job_id)
        return HTMLResponse(
            job.report_html or "",
            headers=_attachment(f"geolever-{job_id[:8]}-report.html") if download else None,
        )

    @app.get(
        "/api/assessments/{job_id}/report.md",
        tags=["jobs"],
        responses={409: {"model": ErrorBody}, 404: {"model": ErrorBody}},
    )
    def job_markdown(job_id: _JOB_ID) -> Response:
        """Return the Markdown report of a finished job."""
        job = _done_job(manager, job_id)
        return Response(job.report_md or "", media_type="text/markdown; charset=utf-8")

    @app.get("/api/assessments/{job_id}/charts", tags=["jobs"])
    def job_charts(job_id: _JOB_ID) -> list[dict[str, str]]:
        """List the charts of a finished job (SVG), by name."""
        job = _done_job(manager, job_id)
        return [
            {"name": n, "url": f"/api/assessments/{job_id}/charts/{n}"} for n in sorted(job.charts)
        ]

    @app.get(
        "/api/assessments/{job_id}/charts/{name}",
        tags=["jobs"],
        responses={404: {"model": ErrorBody}},
    )
    def job_chart(
        job_id: _JOB_ID, name: Annotated[str, PathParam(pattern=r"^[\w.-]{1,120}\.svg$")]
    ) -> Response:
        """One chart as SVG."""
        job = _done_job(manager, job_id)
        if name not in job.charts:
            raise ApiError(
                404,
                "NotFound",
                f"job {job_id} has no chart {name!r}",
                field="name",
                fix="use one of: " + ", ".join(sorted(job.charts)),
            )
        return Response(job.charts[name], media_type="image/svg+xml")

    # ------------------------------------------------------------------ claims
    checks = threading.BoundedSemaphore(manager.max_jobs + manager.max_queue)

    @app.post(
        "/api/claims/check",
        tags=["claims"],
        responses={429: {"model": ErrorBody}, 413: {"model": ErrorBody}},
    )
    def claims_check(req: ClaimCheckRequest) -> dict[str, Any]:
        """Find and check the quantitative claims of a text (as ``geolever claims check``).

        Every candidate sentence is returned: checked ones with their claims, verdicts and
        evidence, the others as "not checked" with the reason.
        """
        _check_case(req.case, "case")
        if not checks.acquire(blocking=False):
            raise QueueFullError(
                "too many claim checks at once", field=None, fix="retry when one has finished"
            )
        try:
            with manager.request_store() as store:
                return check_text(
                    req.text, case=req.case, fmt=req.fmt, store=store, year=req.year
                ).to_dict()
        finally:
            checks.release()

    # ------------------------------------------------------------------ dashboard
    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        # Plotly.js as bundled in the plotly Python package: no CDN at run time.
        path = resources.files("plotly").joinpath("package_data/plotly.min.js")
        return FileResponse(
            str(path),
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
