"""Assessment: per lever and combined, with uncertainty bands and a verdict with reasons."""

from geolever.assessment.provenance import Assumption, Source
from geolever.assessment.results import (
    Band,
    CaseAssessment,
    Driver,
    LeverAssessment,
    MissingData,
)
from geolever.assessment.scales import (
    VerdictScales,
    damage_rule,
    damage_word,
    has_leverage,
    leverage_rank,
    leverage_rule,
    leverage_word,
    scales,
)
from geolever.assessment.verdict import (
    DAMAGE_WORDS,
    MATERIAL_DAMAGE_FROM_PCT_GDP,
    MINOR_DAMAGE_FROM_PCT_GDP,
    SEVERE_DAMAGE_FROM_PCT_GDP,
    VERDICTS,
    assess_levers,
    classify,
)

__all__ = [
    "DAMAGE_WORDS",
    "MATERIAL_DAMAGE_FROM_PCT_GDP",
    "MINOR_DAMAGE_FROM_PCT_GDP",
    "SEVERE_DAMAGE_FROM_PCT_GDP",
    "VERDICTS",
    "Assumption",
    "Band",
    "CaseAssessment",
    "Driver",
    "LeverAssessment",
    "MissingData",
    "Source",
    "VerdictScales",
    "assess_levers",
    "classify",
    "damage_rule",
    "damage_word",
    "has_leverage",
    "leverage_rank",
    "leverage_rule",
    "leverage_word",
    "scales",
]
