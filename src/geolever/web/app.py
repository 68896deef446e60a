"""The FastAPI application: REST API, OpenAPI schema and the dashboard.

Every request body is validated by pydantic: scenarios by the same
:class:`geolever.scenario.Scenario` model as the YAML files. Errors have one JSON shape,
``{"error", "message", "field", "fix"}`` (that of :meth:`GeoleverError.to_dict`), with
``problems`` listing every field at fault for validation errors. Nothing in a request is
used as a file-system path: case names are looked up among the shipped packs, job ids are
hexadecimal, chart names are keys of the job's in-memory charts.

The pieces: :mod:`~geolever.web.schemas` (request/response models),
:mod:`~geolever.web.routes` (the endpoints), :mod:`~geolever.web.middleware` (Host
allow-list, body limit and read timeout, security headers), :mod:`~geolever.web.jobs`
(assessment jobs in threads), :mod:`~geolever.web.claims_pool` (claims checks in worker
processes with a time budget).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from geolever import __version__
from geolever.core.errors import GeoleverError
from geolever.web.claims_pool import (
    DEFAULT_BUDGET_S,
    BudgetExceededError,
    ClaimsPool,
    PoolBusyError,
)
from geolever.web.jobs import JobManager, QueueFullError
from geolever.web.middleware import (
    LOOPBACK_HOSTS,
    READ_TIMEOUT_S,
    BodyLimitMiddleware,
    HostAllowMiddleware,
    SecurityHeadersMiddleware,
)
from geolever.web.routes import _validation_body, add_routes
from geolever.web.schemas import MAX_BODY_BYTES, MAX_TEXT_CHARS, ApiError, ErrorBody

log = logging.getLogger("geolever.web")

__all__ = ["MAX_BODY_BYTES", "MAX_TEXT_CHARS", "create_app"]


def _json(
    status: int,
    body: ErrorBody,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(body.content(), status_code=status, headers=headers)


def create_app(
    *,
    store_path: str | Path | None = None,
    max_jobs: int = 2,
    max_queue: int = 16,
    cors_origins: list[str] | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
    keep_jobs: int = 100,
    allowed_hosts: Iterable[str] | None = None,
    read_timeout_s: float = READ_TIMEOUT_S,
    claims_budget_s: float = DEFAULT_BUDGET_S,
    claims_workers: int = 2,
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
    allowed_hosts
        Host names the API answers (``Host`` header, port ignored); default the loopback
        names. ``["*"]`` turns the check off (behind a proxy that checks it).
    read_timeout_s
        Seconds to wait for each piece of a request body before answering 408.
    claims_budget_s
        Seconds one claims check may run before it is stopped (422).
    claims_workers
        Worker processes for claims checks.

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

    claims = ClaimsPool(manager.store, workers=claims_workers,
                        waiting=manager.max_jobs + manager.max_queue, budget_s=claims_budget_s)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        claims.close()
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
    app.state.claims = claims
    # added last = runs first: the Host check, then the body limit and read timeout
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=max_body_bytes,
                       read_timeout_s=read_timeout_s)
    app.add_middleware(HostAllowMiddleware,
                       allowed=list(allowed_hosts) if allowed_hosts else LOOPBACK_HOSTS)

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
        busy = isinstance(exc, QueueFullError | PoolBusyError)
        body = ErrorBody.model_validate(exc.to_dict())
        if isinstance(exc, BudgetExceededError):
            body = body.model_copy(update={"error": "TimeBudgetExceeded"})
        return _json(429 if busy else 422, body, {"Retry-After": "2"} if busy else None)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        name = {400: "BadRequest", 404: "NotFound", 405: "MethodNotAllowed"}.get(
            exc.status_code, "HTTPError")
        # a body FastAPI cannot parse (e.g. JSON nested thousands of levels deep)
        field, fix = ("body", "send a valid JSON document, nested at most a few levels") if (
            exc.status_code == 400) else (None, None)
        return _json(
            exc.status_code,
            ErrorBody(error=name, message=str(exc.detail), field=field, fix=fix),
            dict(exc.headers) if exc.headers else None,
        )

    @app.exception_handler(Exception)
    async def on_bug(_: Request, exc: Exception) -> JSONResponse:
        log.error("internal error", exc_info=exc)
        return _json(
            500,
            ErrorBody(error="InternalError", message="internal server error",
                      fix="report it; the server log has the traceback"),
        )

    add_routes(app, manager, claims, max_body_bytes=max_body_bytes)
    return app
