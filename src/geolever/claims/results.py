"""Results of a text check: each candidate sentence, its claims and their evaluation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from geolever import __version__
from geolever.claims.evaluate import (
    ACCURATE_WITHIN,
    MISLEADING_FACTOR,
    ROUGHLY_WITHIN,
    ClaimResult,
)
from geolever.core.countries import country_name


@dataclass
class TextClaim:
    """One claim found in a sentence, with its link and (if checked) its evaluation."""

    quantity: str
    metric: str
    claimed: float
    unit: str
    comparison: str
    years: list[int] | None
    period: str
    countries: list[str]
    assets: list[str]
    product: str | None = None
    lever: dict[str, Any] | None = None
    note: str = ""
    result: ClaimResult | None = None
    attribution: str = ""
    country: str | None = None
    partner: str | None = None
    high: float | None = None
    partial_period: str | None = None
    headline: str = ""
    lever_id: str | None = None
    flow: str | None = None  # partner_rank: the flow that ranks the partners
    versus: str | None = None  # partner_ratio: the partner compared against

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping (the evaluation under ``result``)."""
        return {
            "quantity": self.quantity,
            "metric": self.metric,
            "claimed": self.claimed,
            "unit": self.unit,
            "comparison": self.comparison,
            "years": self.years,
            "period": self.period,
            "countries": self.countries,
            "assets": self.assets,
            "product": self.product,
            "lever": self.lever,
            "note": self.note,
            "attribution": self.attribution,
            "country": self.country,
            "partner": self.partner,
            **({"flow": self.flow} if self.flow else {}),
            **({"versus": self.versus} if self.versus else {}),
            "verdict": None if self.result is None else self.result.verdict,
            "year": None if self.result is None else self.result.year,
            "explanation": "" if self.result is None else self.result.explanation,
            "result": None if self.result is None else self.result.to_dict(),
        }


@dataclass
class SentenceCheck:
    """A candidate sentence: checked (with claims) or not checked (with the reason)."""

    index: int
    block: int
    text: str
    status: Literal["checked", "not checked"]
    reason: str = ""
    claims: list[TextClaim] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping."""
        return {
            "index": self.index,
            "block": self.block,
            "text": self.text,
            "status": self.status,
            "reason": self.reason,
            "claims": [c.to_dict() for c in self.claims],
        }


@dataclass
class TextCheckResult:
    """Outcome of :func:`check_text`: every candidate sentence with its check or reason."""

    case: str
    sender: str
    target: str
    reference_year: int
    format: str
    n_sentences: int
    sentences: list[SentenceCheck]

    @property
    def checked(self) -> list[SentenceCheck]:
        """Sentences with at least one evaluated claim."""
        return [s for s in self.sentences if s.status == "checked"]

    @property
    def not_checked(self) -> list[SentenceCheck]:
        """Candidate sentences left unchecked (each with its reason)."""
        return [s for s in self.sentences if s.status == "not checked"]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON document of a text check (the contract the CLI and web API write)."""
        verdicts: dict[str, int] = {}
        for s in self.checked:
            for c in s.claims:
                if c.result is not None:
                    verdicts[c.result.verdict] = verdicts.get(c.result.verdict, 0) + 1
        return {
            "case": self.case,
            "sender": self.sender,
            "sender_name": country_name(self.sender),
            "target": self.target,
            "target_name": country_name(self.target),
            "reference_year": self.reference_year,
            "format": self.format,
            "geolever_version": __version__,
            "summary": {
                "sentences": self.n_sentences,
                "candidates": len(self.sentences),
                "checked": len(self.checked),
                "not_checked": len(self.not_checked),
                "verdicts": verdicts,
            },
            "verdict_thresholds": {
                "accurate_within": ACCURATE_WITHIN,
                "roughly_right_within": ROUGHLY_WITHIN,
                "misleading_factor": MISLEADING_FACTOR,
            },
            "sentences": [s.to_dict() for s in self.sentences],
        }


class SkipError(Exception):
    """A sentence (or one of its claims) that is not checked, with the reason."""
