"""``tourism_ban``: the sender stops its residents' tourism to the target.

Compiles into a :class:`~geolever.shocks.FlowCut` of the target's receipts from the
sender's visitors: the target's tourism receipts (balance-of-payments exports of travel
services, all visitors) times the sender's share of the target's foreign visitor
arrivals in the same year. Where no bilateral receipts are published, that share is the
only way to split them; it assumes the sender's visitors spend what the average visitor
spends (stated in every report). Without receipts or arrivals in the store the lever is
not assessable, naming the missing item.

What the flow-cut engine then does with it (all parameters are the case pack's labelled
distributions):

- the target loses the receipts not replaced within a year by other source markets (or
  by the sender's residents arriving through third countries), ``tourism_reroute_share_1y``
  (``_3y`` within three years); its income loss is the ``tourism_value_added_share`` of
  that, its FX loss all of it, its budget loss its budget revenue / GDP ratio of the
  income loss;
- the sender loses its carriers' and tour operators' business on the route,
  ``tourism_sender_cost_ratio`` per US$ of receipts cut (an assumption where no figure is
  published); its residents' holiday spending moves to other destinations and is not
  counted as a loss.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from geolever.core.quantity import Quantity
from geolever.levers.base import LeverKind
from geolever.levers.registry import register
from geolever.shocks import CutFlow, FlowCut, FlowParameters, Shock
from geolever.world import Case

#: The case parameters that model a tourism ban.
TOURISM_PARAMETERS = FlowParameters(
    reroute_1y="tourism_reroute_share_1y", reroute_3y="tourism_reroute_share_3y",
    sender_cost_ratio="tourism_sender_cost_ratio", income_share="tourism_value_added_share")


@register
class TourismBan(LeverKind):
    """The sender stops its residents' tourism to the target (flights, tours, travel)."""

    kind: Literal["tourism_ban"] = "tourism_ban"
    share: float = Field(1.0, gt=0, le=1,
                         description="Share of the sender's visitors stopped (0-1]")

    at_risk_names: ClassVar[dict[str, str]] = {
        "export_earnings": "goods export earnings (tourism receipts are service exports, "
        "on top of these)"}

    def describe(self) -> str:
        """One-line description."""
        return f"stop {self.share:.0%} of the sender's residents' tourism to the target"

    def compile(self, case: Case, year: int | None = None) -> Shock:
        """Cut the target's receipts from the sender's visitors by ``share``."""
        receipts = case.latest(
            "tourism_receipts", case.target, up_to=year, partner="WLD", unit="USD",
            label=f"tourism receipts of {case.target} (all visitors)")
        arrivals = case.quantity(
            "visitor_arrivals", case.target, year=receipts.year, partner=case.sender,
            label=f"visitors from {case.sender} arriving in {case.target}")
        total = case.quantity(
            "visitor_arrivals", case.target, year=receipts.year, partner="WLD",
            label=f"foreign visitors arriving in {case.target}")
        share = min(1.0, arrivals.value / total.value)
        arrivals_share = Quantity(
            value=share, unit="share", year=receipts.year, quality="derived",
            label=f"share of {case.sender} in {case.target}'s foreign visitor arrivals",
            source=f"{arrivals.source}; {total.source}",
            note=f"{arrivals.value:,.0f} of {total.value:,.0f} visitors")
        value = Quantity(
            value=receipts.value * share, unit="USD", year=receipts.year, quality="derived",
            label=f"tourism receipts of {case.target} from {case.sender}'s visitors",
            source=f"{receipts.source}; {arrivals_share.source}",
            citation=receipts.citation,
            note=f"{receipts.value / 1e6:,.1f}m US$ of receipts x {share:.1%} of arrivals "
            "(assumes the sender's visitors spend the average)")
        flow = CutFlow("tourism", case.sender, case.target, "", value, self.share, None,
                       "specific", None, arrivals_share, parameters=TOURISM_PARAMETERS)
        notes = [
            f"The target's receipts from the sender's visitors are estimated as its tourism "
            f"receipts times the sender's share of its visitor arrivals in {receipts.year} "
            "(no bilateral receipts published): they assume the sender's visitors spend "
            "what the average visitor spends.",
            "The sender's cost is its carriers' and tour operators' lost business on the "
            "route ('tourism_sender_cost_ratio', an assumption: no figure is published); "
            "its residents' holiday spending moves to other destinations.",
        ]
        if receipts.year != case.year:
            notes.append(f"Tourism figures are for {receipts.year}, the latest year in the "
                         f"store before the case year {case.year}.")
        return FlowCut((flow,), notes=tuple(notes))
