"""``corridor_exclusion``: the sender excludes a country (default: the target) from a corridor.

Compiles into an :class:`~geolever.shocks.EdgeRemoval` of every route of the corridor
that passes through the excluded country (the corridor's origin keeps its own links:
excluding it means it ships nothing at all).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from geolever.core.countries import normalise_country
from geolever.core.errors import UnknownCodeError
from geolever.levers.base import LeverKind, as_value_error
from geolever.levers.registry import register
from geolever.shocks import EdgeRemoval, Shock
from geolever.world import Case


@register
class CorridorExclusion(LeverKind):
    """The sender excludes a country (default: the target) from a transport corridor."""

    kind: Literal["corridor_exclusion"] = "corridor_exclusion"
    corridor: str = Field(..., description="Network name, e.g. instc")
    excluded: str | None = Field(None, description="ISO3 code; defaults to the target")

    @field_validator("excluded")
    @classmethod
    def _country(cls, v: str | None) -> str | None:
        return as_value_error(normalise_country, v, field="excluded") if v else None

    def check(self, case: Case) -> None:
        """Check that the corridor exists and the excluded country lies on one of its routes."""
        net = case.network(self.corridor.lower())
        who = self.excluded or case.target
        if not any(who in e.countries for e in net.edges):
            raise UnknownCodeError(
                f"{who} is on no route of corridor {self.corridor}",
                field="excluded",
                fix="exclude a country the corridor passes through: "
                + ", ".join(sorted({c for e in net.edges for c in e.countries})),
            )

    def describe(self) -> str:
        """One-line description."""
        return f"exclude {self.excluded or 'the target'} from corridor {self.corridor}"

    def compile(self, case: Case, year: int | None = None) -> Shock:
        """Remove the corridor's routes through the excluded country."""
        net = case.network(self.corridor.lower(), year)
        who = self.excluded or case.target
        removed = tuple(e.id for e in net.edges
                        if who in e.countries and who != net.origin_country)
        return EdgeRemoval(net, removed, who)
