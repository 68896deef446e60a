"""``transit_block``: the sender blocks the target's use of an asset on or through its territory.

Compiles into an :class:`~geolever.shocks.EdgeRemoval` of the asset's edge in its
network (pipelines, rail and sea routes); the rerouting engine finds what still gets
through, at what extra cost and delay, and who loses transit revenue. An asset that
carries nothing in the case year makes the lever infeasible.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from geolever.levers.base import LeverKind
from geolever.levers.registry import register
from geolever.shocks import EdgeRemoval, Shock
from geolever.world import Case


@register
class TransitBlock(LeverKind):
    """The sender blocks the target's use of an asset on or through its territory."""

    kind: Literal["transit_block"] = "transit_block"
    asset: str = Field(..., description="Asset id, e.g. BAKU_NOVOROSSIYSK")

    @field_validator("asset")
    @classmethod
    def _upper(cls, v: str) -> str:
        return v.strip().upper()

    def check(self, case: Case) -> None:
        """Check that the asset exists in the case's infrastructure."""
        case.find_asset(self.asset)

    def describe(self) -> str:
        """One-line description."""
        return f"block transit through {self.asset}"

    def compile(self, case: Case, year: int | None = None) -> Shock:
        """Remove the asset's edge from its network."""
        name, _ = case.find_asset(self.asset)
        return EdgeRemoval(case.network(name, year), (self.asset,), None)
