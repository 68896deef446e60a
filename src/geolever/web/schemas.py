"""Request and response models of the web API, and its error type."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_BODY_BYTES = 512 * 1024
"""Largest request body accepted (bytes); larger ones get 413."""
MAX_TEXT_CHARS = 50_000
"""Longest text accepted by the claims check (characters)."""


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
        self.body = {"error": error, "message": message, "field": field, "fix": fix}


