"""Claims: statements about levers checked against the store and the model results."""

from geolever.claims.evaluate import (
    CLAIM_METRICS,
    ClaimResult,
    ClaimSpec,
    YearCheck,
    evaluate_claim,
    numeric_verdict,
)
from geolever.claims.text import SentenceCheck, TextCheckResult, TextClaim, check_text

__all__ = [
    "CLAIM_METRICS",
    "ClaimResult",
    "ClaimSpec",
    "SentenceCheck",
    "TextCheckResult",
    "TextClaim",
    "YearCheck",
    "check_text",
    "evaluate_claim",
    "numeric_verdict",
]
