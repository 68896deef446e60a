"""Lever numbers of a result.json document, flattened for a regression comparison.

Run as a script to pin the numbers of ``geolever demo --seed 42`` (Step 0 of issue 11):
``python tests/scenario/demo_numbers.py RESULT.json > tests/data/demo_seed42_numbers.json``.
"""

from __future__ import annotations

import json
import sys
from typing import Any

#: result.json lever fields compared to 1e-9 relative (bands, at-risk figures, third countries).
NUMERIC_KEYS = (
    "target_loss_usd", "sender_cost_usd", "target_loss_pct_gdp", "sender_cost_pct_gdp",
    "target_loss_pct_budget", "target_loss_pct_fx_earnings",
    "target_loss_pct_household_consumption", "target_budget_loss_usd", "flow_at_risk_usd",
    "flow_at_risk_pct", "asymmetry", "substitution_1y", "substitution_3y",
    "third_countries_loss_usd",
)


def _flatten(prefix: str, value: Any, out: dict[str, float | str | None]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}", v, out)
    else:
        out[prefix] = value


def lever_numbers(result: dict[str, Any]) -> dict[str, float | str | None]:
    """``{"<lever id>.<field>[.<sub>]": value}`` for every lever and the combined row."""
    out: dict[str, float | str | None] = {}
    rows = [*result["levers"], *([result["combined"]] if result.get("combined") else [])]
    for lever in rows:
        out[f"{lever['id']}.verdict"] = lever["verdict"]
        for key in NUMERIC_KEYS:
            _flatten(f"{lever['id']}.{key}", lever.get(key), out)
    return out


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as fh:
        print(json.dumps(lever_numbers(json.load(fh)), indent=1, sort_keys=True))
