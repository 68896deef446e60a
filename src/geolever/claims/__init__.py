"""Claims: statements about levers checked against the store and the model results."""

from geolever.claims.evaluate import (
    CLAIM_METRICS,
    ClaimResult,
    ClaimSpec,
    YearCheck,
    evaluate_claim,
    numeric_verdict,
)

__all__ = [
    "CLAIM_METRICS",
    "ClaimResult",
    "ClaimSpec",
    "YearCheck",
    "evaluate_claim",
    "numeric_verdict",
]
