"""``expert_judgement``: a lever trade data cannot score, scored by elicited judgement.

Compiles into a :class:`~geolever.shocks.JudgementShock`; the judgement engine draws
whether the lever has its impact and how large it is from the elicited ranges, seeded
by the lever's id. Every output flags the lever as judgement.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from geolever.levers.base import LeverKind
from geolever.levers.registry import register
from geolever.shocks import JudgementShock, Shock
from geolever.world import Case


@register
class ExpertJudgement(LeverKind):
    """A lever trade data cannot score, scored by elicited judgement (labelled as such)."""

    kind: Literal["expert_judgement"] = "expert_judgement"
    name: str = Field(..., min_length=3, description="What the lever is")
    likelihood: tuple[float, float] = Field(
        ..., description="Probability range [low, high] that the lever has its impact"
    )
    target_impact_pct_gdp: tuple[float, float, float] = Field(
        ..., description="Target's loss if it works, % of its GDP: low, most likely, high"
    )
    sender_cost_pct_gdp: tuple[float, float, float] = Field(
        (0.0, 0.0, 0.0), description="Sender's cost, % of its GDP: low, most likely, high"
    )
    elicited_by: str = Field(..., min_length=2, description="Who gave the judgement, and when")
    rationale: str = Field(..., min_length=10, description="Why, in sentences")

    @model_validator(mode="after")
    def _ranges(self) -> ExpertJudgement:
        lo, hi = self.likelihood
        if not 0 <= lo <= hi <= 1:
            raise ValueError("likelihood must be [low, high] with 0 <= low <= high <= 1")
        for name in ("target_impact_pct_gdp", "sender_cost_pct_gdp"):
            a, m, b = getattr(self, name)
            if not 0 <= a <= m <= b <= 100:
                raise ValueError(
                    f"{name} must be [low, mode, high], 0 <= low <= mode <= high <= 100"
                )
        return self

    def describe(self) -> str:
        """One-line description."""
        return f"{self.name} (expert judgement)"

    def compile(self, case: Case, year: int | None = None) -> Shock:
        """Return the elicited ranges as a judgement shock."""
        return JudgementShock(self.likelihood, self.target_impact_pct_gdp,
                              self.sender_cost_pct_gdp, self.elicited_by, self.rationale)
