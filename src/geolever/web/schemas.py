"""Request and response models of the web API, and its error type."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_BODY_BYTES = 512 * 1024
"""Largest request body accepted (bytes); larger ones get 413."""
MAX_TEXT_CHARS = 50_000
"""Longest text accepted by the claims check (characters)."""


class Problem(BaseModel):
    """One field at fault in a request that failed validation."""

    field: str = Field(..., description="Dotted path of the field, e.g. levers[0].share")
    location: str = Field(..., serialization_alias="in",
                          description="Where the field is: body, path or query")
    message: str
    type: str | None = Field(..., description="pydantic's error type, e.g. missing")


class ErrorBody(BaseModel):
    """Every 4xx/5xx answer: the error's type, message, the field at fault and the fix."""

    error: str
    message: str
    field: str | None = None
    fix: str | None = None
    problems: list[Problem] | None = Field(
        default=None, description="Every field at fault (validation errors only)"
    )

    def content(self) -> dict[str, object]:
        """Return the JSON body (``problems`` only where there are some)."""
        return self.model_dump(by_alias=True,
                               exclude={"problems"} if self.problems is None else None)


class Limits(BaseModel):
    """The server's limits on requests and work."""

    max_draws: int = Field(..., description="Most Monte Carlo draws a scenario may ask for")
    max_levers: int = Field(..., description="Most levers in a scenario")
    max_body_bytes: int = Field(..., description="Largest request body, bytes")
    max_text_chars: int = Field(..., description="Longest text of a claims check, characters")
    max_jobs: int = Field(..., description="Assessments running at once")
    max_queue: int = Field(..., description="Assessments that may wait for a worker")
    claims_budget_s: float = Field(..., description="Time a claims check may take, seconds")
    claims_workers: int = Field(..., description="Worker processes for claims checks")


class Health(BaseModel):
    """``/api/health``: version, job counts by state and the limits."""

    status: Literal["ok"]
    version: str
    jobs: dict[str, int] = Field(..., description="Jobs by state: queued, running, done, "
                                 "failed")
    limits: Limits


class EdgeInfo(BaseModel):
    """A link of a case pack's network (what a transit or corridor lever can name)."""

    id: str
    name: str
    countries: list[str] = Field(..., description="ISO3 codes of the countries it crosses")


class NetworkInfo(BaseModel):
    """An infrastructure network of a case pack."""

    title: str
    commodity: str | None = Field(..., description="What it carries (crude oil, freight)")
    edges: list[EdgeInfo]


class CaseInfo(BaseModel):
    """A shipped case pack: pair, years with facts, networks and its example scenario."""

    name: str
    title: str
    sender: str | None = Field(..., description="ISO3 code of the pack's sender")
    target: str | None = Field(..., description="ISO3 code of the pack's target")
    default_year: int | None
    description: str
    years: list[int] = Field(..., description="Years the pack's facts cover")
    networks: dict[str, NetworkInfo]
    has_scenario: bool = Field(..., description="Whether /api/cases/{name}/scenario has one")


class Country(BaseModel):
    """An ISO 3166 alpha-3 code or an aggregate, with its English name."""

    code: str
    name: str
    members: list[str] | None = Field(
        None, description="A group's members (EU27, G7: reference/regions.csv); absent for a "
        "country")


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
    links: dict[str, str] = Field(default_factory=dict, description="self, result, report, "
                                  "markdown, charts: the job's URLs")


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
    sender: str | None = Field(
        None, max_length=100, description="ISO3 code (or group) of the sender the text is "
        "about, if not the pack's: the store's datasets are read for the pair"
    )
    target: str | None = Field(
        None, max_length=100, description="ISO3 code of the target the text is about, if "
        "not the pack's"
    )
    published: int | None = Field(
        None, ge=1900, le=2100, description="Year the text was published ('last year' and "
        "claims without a year resolve against it); default: the reference year"
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
        self.body = ErrorBody(error=error, message=message, field=field, fix=fix)


