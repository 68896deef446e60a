"""Lever definitions (pydantic): one schema for YAML scenarios, the CLI and the web API.

A lever always acts from the scenario's sender on its target. Parameters are validated
here; checks that need the case's data (does the asset exist?) are in :meth:`check`.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from geolever.core.countries import normalise_country
from geolever.core.errors import GeoleverError, UnknownCodeError
from geolever.core.facts import product_table
from geolever.world import Case


class _LeverBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str | None = Field(None, description="Short id used in reports; defaults to the kind")
    label: str | None = Field(None, description="Human-readable name of the lever")
    alternative_to: str | None = Field(
        None, description="Id of a lever this one re-estimates with another model; it is "
        "reported but left out of the combined total")

    def check(self, case: Case) -> None:
        """Check the lever against the case's data (raises on unknown assets etc.)."""

    def display(self) -> str:
        """Return the lever's label, or a generated one."""
        return self.label or self.describe()

    def describe(self) -> str:
        """One-line description of what the sender does."""
        raise NotImplementedError


class RemittanceBan(_LeverBase):
    """The sender bans (a share of) remittances from its territory to the target."""

    kind: Literal["remittance_ban"] = "remittance_ban"
    share: float = Field(1.0, gt=0, le=1, description="Share of the flow banned (0-1]")

    def describe(self) -> str:
        """One-line description."""
        return f"ban {self.share:.0%} of remittances to the target"


def resolve_goods(goods: list[str]) -> list[str]:
    """Resolve goods given as product codes, group names or HS chapters to product codes.

    ``HS07`` or ``07`` maps to the products whose HS code starts with that chapter.
    Raises :class:`UnknownCodeError` naming the unknown entry and the valid codes.
    """
    table = product_table()
    resolved: list[str] = []
    for raw in goods:
        item = raw.strip()
        chapter = re.fullmatch(r"(?:HS)?\s*(\d{2,4})", item, flags=re.IGNORECASE)
        if item.lower() in table:
            resolved.append(item.lower())
        elif item.upper() == "TOTAL":
            resolved.append("TOTAL")
        elif chapter:
            code = chapter.group(1)
            hits = [k for k, row in table.items()
                    if any(h.startswith(code) for h in row["hs"].split()) and k != row["group"]]
            if not hits:
                raise UnknownCodeError(
                    f"no product in the reference table for HS {code}",
                    field="goods",
                    fix="use a product code or group: " + ", ".join(table),
                )
            resolved.extend(hits)
        else:
            raise UnknownCodeError(
                f"unknown goods {raw!r}",
                field="goods",
                fix="use product codes or groups (" + ", ".join(table) + ") or HS chapters",
            )
    return list(dict.fromkeys(resolved))


class TradeRestriction(_LeverBase):
    """The sender restricts trade with the target in some goods.

    ``direction`` is seen from the sender: ``imports`` stops what the sender buys from the
    target (hits the target's exports), ``exports`` stops what the sender sells to it (hits
    the target's supply), ``both`` does both.
    """

    kind: Literal["trade_restriction"] = "trade_restriction"
    goods: list[str] = Field(..., min_length=1, description="Product codes, groups or HS chapters")
    direction: Literal["imports", "exports", "both"] = "both"
    measure: Literal["embargo", "tariff"] = "embargo"
    tariff_pct: float | None = Field(None, gt=0, le=1000, description="Ad-valorem tariff, %")
    model: Literal["pe", "ge", "io"] = Field(
        "pe", description="pe: partial equilibrium on the case's bilateral flows; ge: "
        "structural gravity in general equilibrium on the case's world trade matrix "
        "(pack.yaml ge_world); io: input-output extraction on a world input-output table "
        "(io_table, io_year)")
    io_table: str = Field("wiod2013", description="Input-output table for model io")
    io_year: int | None = Field(None, description="Table year for model io; default: the "
                                "latest year of the table not after the case year")

    @field_validator("goods")
    @classmethod
    def _goods(cls, v: list[str]) -> list[str]:
        try:
            return resolve_goods(v)
        except GeoleverError as err:  # re-raised as ValueError so pydantic adds the location
            raise ValueError(f"{err.message}; {err.fix}") from None

    @model_validator(mode="after")
    def _tariff(self) -> TradeRestriction:
        if self.measure == "tariff" and self.tariff_pct is None:
            raise ValueError("a tariff needs tariff_pct (e.g. 25 for 25%)")
        if self.measure == "embargo" and self.tariff_pct is not None:
            raise ValueError("an embargo takes no tariff_pct; use measure: tariff")
        return self

    def describe(self) -> str:
        """One-line description."""
        what = "embargo" if self.measure == "embargo" else f"{self.tariff_pct:g}% tariff"
        return f"{what} on {self.direction} of {', '.join(self.goods)}"


class TransitBlock(_LeverBase):
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


class CorridorExclusion(_LeverBase):
    """The sender excludes a country (default: the target) from a transport corridor."""

    kind: Literal["corridor_exclusion"] = "corridor_exclusion"
    corridor: str = Field(..., description="Network name, e.g. instc")
    excluded: str | None = Field(None, description="ISO3 code; defaults to the target")

    @field_validator("excluded")
    @classmethod
    def _country(cls, v: str | None) -> str | None:
        try:
            return normalise_country(v, field="excluded") if v else None
        except GeoleverError as err:  # re-raised as ValueError so pydantic adds the location
            raise ValueError(f"{err.message}; {err.fix}") from None

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


class ExpertJudgement(_LeverBase):
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


Lever = Annotated[
    RemittanceBan | TradeRestriction | TransitBlock | CorridorExclusion | ExpertJudgement,
    Field(discriminator="kind"),
]

LEVER_KINDS: dict[str, type[_LeverBase]] = {
    "remittance_ban": RemittanceBan,
    "trade_restriction": TradeRestriction,
    "transit_block": TransitBlock,
    "corridor_exclusion": CorridorExclusion,
    "expert_judgement": ExpertJudgement,
}
