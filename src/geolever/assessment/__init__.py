"""Assessment: per lever and combined, with uncertainty bands and a verdict with reasons."""

from geolever.assessment.results import (
    Band,
    CaseAssessment,
    Driver,
    LeverAssessment,
    MissingData,
)
from geolever.assessment.verdict import (
    COSTLY_SENDER_FROM_PCT_GDP,
    EFFECTIVE_FROM_PCT_GDP,
    INEFFECTIVE_BELOW_PCT_GDP,
    VERDICTS,
    assess_levers,
    classify,
)

__all__ = [
    "COSTLY_SENDER_FROM_PCT_GDP",
    "EFFECTIVE_FROM_PCT_GDP",
    "INEFFECTIVE_BELOW_PCT_GDP",
    "VERDICTS",
    "Band",
    "CaseAssessment",
    "Driver",
    "LeverAssessment",
    "MissingData",
    "assess_levers",
    "classify",
]
