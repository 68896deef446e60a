"""``remittance_ban``: the sender bans (a share of) remittances from its territory to the target.

Compiles into a :class:`~geolever.shocks.FlowCut` of the sourced bilateral remittance
flow (by-country money-transfer data preferred, see
:data:`~geolever.shocks.REMITTANCE_MEASURES`). Rerouting within 1 and 3 years and the
sender's own cost are the case pack's labelled assumptions; the budget loses only the
consumption taxes on the household income that is not rerouted.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from geolever.levers.base import LeverKind
from geolever.levers.registry import register
from geolever.shocks import (
    REMITTANCE_MEASURES,
    CutFlow,
    FlowCut,
    FlowParameters,
    Shock,
    remittance_share,
)
from geolever.world import Case

#: The case parameters that model a remittance ban.
REMITTANCE_PARAMETERS = FlowParameters(
    reroute_1y="remittance_reroute_share_1y", reroute_3y="remittance_reroute_share_3y",
    sender_cost_ratio="remittance_sender_cost_ratio", budget_share="consumption_tax_share")


@register
class RemittanceBan(LeverKind):
    """The sender bans (a share of) remittances from its territory to the target."""

    kind: Literal["remittance_ban"] = "remittance_ban"
    share: float = Field(1.0, gt=0, le=1, description="Share of the flow banned (0-1]")

    at_risk_names: ClassVar[dict[str, str]] = {
        "budget_revenue": "budget revenue in size (it is not budget revenue)"}
    household_share: ClassVar[bool] = True

    def describe(self) -> str:
        """One-line description."""
        return f"ban {self.share:.0%} of remittances to the target"

    def compile(self, case: Case, year: int | None = None) -> Shock:
        """Cut the sourced remittance flow sender -> target by ``share``."""
        value = case.quantity(
            "remittances_received", case.target, partner=case.sender, year=year, unit="USD",
            measures=REMITTANCE_MEASURES, allow_partial=True,
            label=f"remittances received by {case.target} from {case.sender}",
        )
        flow = CutFlow("remittances", case.sender, case.target, "", value, self.share, None,
                       "specific", None, remittance_share(case, value),
                       parameters=REMITTANCE_PARAMETERS)
        return FlowCut((flow,), notes=(
            "Remittances are household income, not state revenue: the budget loses only "
            "the consumption taxes on the income that is not rerouted.",))
