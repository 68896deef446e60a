"""``proposal_refusal``: the sender refuses a supply deal the target has proposed to it.

A counter-lever: the target offered to sell the sender a product through a new route (for
the flagship, Russia's October 2023 offer of up to 4 Mt/yr of crude oil to Azerbaijan through
the Tikhoretsk-Baku pipeline in reverse). Refusing it cuts no flow that runs today; it denies
the target an outlet. Compiles into a :class:`~geolever.shocks.FlowCut` of the offered sales
(the ``proposed_supply`` fact, a ``plan``, times the case year's crude oil price) whose
rerouting is an assumption:

- the target sells the crude elsewhere: ``proposal_resale_share`` of the value is still
  earned (the rest is the price discount the new outlet would have avoided); its income and
  export earnings lose the remainder;
- the sender forgoes what the deal would have brought it (refinery feedstock, own crude freed
  for export), ``proposal_refusal_cost_ratio`` per US$ of the offered sales.

Both parameters are labelled assumptions (generic in ``reference/parameters.yaml``, a case
pack may override them). Without a ``proposed_supply`` fact for the pair the lever is not
assessable, naming the missing item.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from geolever.core.quantity import Quantity
from geolever.core.units import CRUDE_BBL_PER_TONNE
from geolever.levers.base import LeverKind
from geolever.levers.registry import register
from geolever.shocks import CutFlow, FlowCut, FlowParameters, Shock
from geolever.world import Case

#: The case parameters that model a refused supply proposal.
PROPOSAL_PARAMETERS = FlowParameters(
    reroute_1y="proposal_resale_share", reroute_3y="proposal_resale_share",
    sender_cost_ratio="proposal_refusal_cost_ratio")


@register
class ProposalRefusal(LeverKind):
    """The sender refuses a supply deal the target proposed (a flow not yet running)."""

    kind: Literal["proposal_refusal"] = "proposal_refusal"
    proposal: str = Field(..., description="Id of the proposal: the entity of the case's "
                          "'proposed_supply' fact, e.g. TIKHORETSK_BAKU_REVERSE")
    product: Literal["crude_oil"] = Field(
        "crude_oil", description="Product offered (crude_oil: priced at the case year's "
        "crude oil price)")

    @field_validator("proposal")
    @classmethod
    def _upper(cls, v: str) -> str:
        return v.strip().upper()

    def describe(self) -> str:
        """One-line description."""
        return f"refuse the target's proposed supply of {self.product} ({self.proposal})"

    def compile(self, case: Case, year: int | None = None) -> Shock:
        """Cut the offered sales: proposed volume x the year's crude oil price."""
        y = case.year if year is None else year
        volume = case.latest(
            "proposed_supply", case.sender, up_to=y, partner=case.target,
            product=self.product, entity=self.proposal, unit="Mt/yr",
            label=f"supply of {self.product} proposed by {case.target} to {case.sender} "
            f"({self.proposal})")
        price = case.quantity("oil_price", "WLD", year=y, product="crude_oil", unit="USD/bbl",
                              label="crude oil price")
        value = Quantity(
            value=volume.value * 1e6 * CRUDE_BBL_PER_TONNE * price.value, unit="USD", year=y,
            quality="derived",
            label=f"sales of {case.target} under the proposal {self.proposal}",
            source=f"{volume.source}; {price.source}", citation=volume.citation,
            note=f"{volume.value:g} Mt/yr x {CRUDE_BBL_PER_TONNE} bbl/t x "
            f"{price.value:g} US$/bbl (a proposal, not a running flow)")
        flow = CutFlow("proposed supply", case.sender, case.target, self.product, value, 1.0,
                       None, "commodity", None, None, parameters=PROPOSAL_PARAMETERS)
        notes = (
            f"The proposal is a plan ({volume.cite()}): refusing it cuts no flow that runs "
            "today; it denies the target an outlet. The target's loss is the share of the "
            "offered sales it does not earn when it sells the same crude elsewhere "
            "('proposal_resale_share', an assumption).",
            "The sender's cost is what the deal would have brought it (feedstock, own crude "
            "freed for export): 'proposal_refusal_cost_ratio', an assumption.",
        )
        return FlowCut((flow,), notes=notes)
