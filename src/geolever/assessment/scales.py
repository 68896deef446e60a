"""The two verdict scales: economic damage and leverage (``reference/verdict_scales.yaml``).

*Damage* names how much one side loses, as a share of its own GDP: ``none``, ``minor``,
``material``, ``severe``. *Leverage* names whether a lever gives the side pulling it a hold
over the other: the target's damage weighed against the sender's cost and the share the target
routes around (``no leverage``, ``weak leverage``, ``moderate leverage``, ``strong leverage``,
or ``backfires``, ``infeasible``, ``not assessable``). The thresholds live in one data file;
the report, the CLI, the web API and the claims checker all read them from here.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field


class DamageLevel(BaseModel):
    """One word of the damage scale: it applies from ``from_pct_gdp`` upwards."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    word: str
    from_pct_gdp: float = Field(..., alias="from", description="% of own GDP, inclusive")
    meaning: str


class Downgrade(BaseModel):
    """Conditions that move a leverage level one step down (never below the weakest)."""

    model_config = ConfigDict(frozen=True)

    asymmetry_below: float = Field(..., description="target % / sender % (of own GDP)")
    sender_cost_from_pct_gdp: float = Field(..., description="% of the sender's GDP")
    routed_around_3y_from: float = Field(..., description="share routed around in 3 years")


class VerdictScales(BaseModel):
    """Both scales with their thresholds, as published in result.json."""

    model_config = ConfigDict(frozen=True)

    damage: list[DamageLevel] = Field(..., description="Ascending damage levels")
    damage_measures: str
    leverage_levels: list[str] = Field(..., description="Weakest to strongest")
    leverage_base: dict[str, str] = Field(..., description="Damage word -> starting level")
    leverage_measures: str
    none_when_routed_around_3y_from: float
    downgrade: Downgrade
    special: dict[str, str]

    def threshold(self, word: str) -> float:
        """Return the % of GDP from which damage word ``word`` applies."""
        for level in self.damage:
            if level.word == word:
                return level.from_pct_gdp
        raise KeyError(f"no damage level {word!r}: {', '.join(d.word for d in self.damage)}")


def _parse(raw: dict[str, Any]) -> VerdictScales:
    lev = raw["leverage"]
    damage = [DamageLevel.model_validate(x) for x in raw["damage"]["levels"]]
    if [d.from_pct_gdp for d in damage] != sorted(d.from_pct_gdp for d in damage):
        raise ValueError("verdict_scales.yaml: damage levels must ascend")
    return VerdictScales(
        damage=damage, damage_measures=" ".join(raw["damage"]["measures"].split()),
        leverage_levels=list(lev["levels"]), leverage_base=dict(lev["base"]),
        leverage_measures=" ".join(lev["measures"].split()),
        none_when_routed_around_3y_from=float(lev["none_when_routed_around_3y_from"]),
        downgrade=Downgrade.model_validate(lev["downgrade"]), special=dict(lev["special"]))


@lru_cache(maxsize=1)
def scales() -> VerdictScales:
    """Return the verdict scales of ``reference/verdict_scales.yaml`` (read once)."""
    text = resources.files("geolever.reference").joinpath("verdict_scales.yaml").read_text(
        "utf-8")
    return _parse(yaml.safe_load(text))


def damage_word(pct_gdp: float) -> str:
    """Return the damage word for a loss of ``pct_gdp`` % of the affected side's own GDP.

    A gain (negative loss) is ``none``.
    """
    word = scales().damage[0].word
    for level in scales().damage:
        if pct_gdp >= level.from_pct_gdp:
            word = level.word
    return word


def leverage_word(feasible: bool, target_pct: float, sender_pct: float, *,
                  assessable: bool = True, routed_around_3y: float | None = None) -> str:
    """Return the leverage verdict of a lever.

    Parameters
    ----------
    feasible, assessable
        Whether the lever can be pulled, and whether its data represent the case.
    target_pct, sender_pct
        Median target damage and sender cost, % of each one's own GDP.
    routed_around_3y
        Median share of the cut the target routes around within three years (0-1), or None
        where the model gives none (it then moves nothing).

    Returns
    -------
    str
        ``not assessable``, ``infeasible``, ``backfires`` or one of the leverage levels.
    """
    sc = scales()
    if not assessable:
        return "not assessable"
    if not feasible:
        return "infeasible"
    levels = sc.leverage_levels
    base = sc.leverage_base[damage_word(target_pct)]
    if base == levels[0]:
        return base
    if sender_pct >= target_pct:
        return "backfires"
    if routed_around_3y is not None and routed_around_3y >= sc.none_when_routed_around_3y_from:
        return levels[0]
    d = sc.downgrade
    asymmetry = target_pct / sender_pct if sender_pct > 0 else float("inf")
    steps = sum([asymmetry < d.asymmetry_below * (1 - 1e-9),
                 sender_pct >= d.sender_cost_from_pct_gdp,
                 routed_around_3y is not None and routed_around_3y >= d.routed_around_3y_from])
    return levels[max(1, levels.index(base) - steps)]


def explain_leverage(verdict: str, target_pct: float, sender_pct: float,
                     routed_around_3y: float | None = None) -> str:
    """Return how the leverage rule gave ``verdict`` for these numbers (one sentence).

    Parameters
    ----------
    verdict
        The verdict :func:`leverage_word` returned for the same numbers.
    target_pct, sender_pct
        Median target damage and sender cost, % of each one's own GDP.
    routed_around_3y
        Median share routed around within three years (0-1), or None.
    """
    sc = scales()
    d = sc.downgrade
    word = damage_word(target_pct)
    base = sc.leverage_base[word]
    head = f"damage {word} ({target_pct:.2f}% of the target's GDP) starts at '{base}'"
    if verdict in ("not assessable", "infeasible"):
        return sc.special[verdict]
    if verdict == "backfires":
        return (f"{head}, but the sender's cost ({sender_pct:.3f}% of its GDP) is at least "
                "the target's damage")
    if base == sc.leverage_levels[0]:
        return f"{head}: below {sc.threshold('minor')}% of GDP"
    if routed_around_3y is not None and routed_around_3y >= sc.none_when_routed_around_3y_from:
        return (f"{head}, but the target routes around {routed_around_3y:.0%} within three "
                f"years (>= {sc.none_when_routed_around_3y_from:.0%})")
    asym = target_pct / sender_pct if sender_pct > 0 else float("inf")
    steps = []
    if asym < d.asymmetry_below * (1 - 1e-9):  # 0.6 / 0.2 is 3 (not 2.9999999999999996)
        steps.append(f"the target is hit only {asym:.1f} times harder (< {d.asymmetry_below:g})")
    if sender_pct >= d.sender_cost_from_pct_gdp:
        steps.append(f"the sender's cost is {sender_pct:.3f}% of its GDP "
                     f"(>= {d.sender_cost_from_pct_gdp}%)")
    if routed_around_3y is not None and routed_around_3y >= d.routed_around_3y_from:
        steps.append(f"{routed_around_3y:.0%} is routed around within three years "
                     f"(>= {d.routed_around_3y_from:.0%})")
    if not steps:
        return (f"{head}; no step down (target hit {asym:,.0f} times harder relative to size, "
                f"the sender's cost {sender_pct:.3f}% of its GDP"
                + ("" if routed_around_3y is None
                   else f", {routed_around_3y:.0%} routed around within three years") + ")")
    floor = "" if verdict != sc.leverage_levels[1] or len(steps) < sc.leverage_levels.index(
        base) else f" (never below '{sc.leverage_levels[1]}')"
    return f"{head}; one step down for each of: {'; '.join(steps)}{floor}"


def has_leverage(verdict: str) -> bool:
    """Return True for a leverage level above the weakest ("weak leverage" or stronger)."""
    levels = scales().leverage_levels
    return verdict in levels[1:]


def leverage_rank(verdict: str) -> int:
    """Order of a verdict for comparisons: -1 for not assessable/infeasible/backfires."""
    levels = scales().leverage_levels
    return levels.index(verdict) if verdict in levels else -1


def leverage_rule(verdict: str) -> str:
    """One sentence stating the rule that gave ``verdict`` (with its thresholds)."""
    sc = scales()
    d = sc.downgrade
    minor = sc.threshold("minor")
    if verdict in sc.special:
        return sc.special[verdict]
    if verdict == sc.leverage_levels[0]:
        return (f"the target's damage is below {minor}% of its GDP, or it routes around "
                f"{sc.none_when_routed_around_3y_from:.0%} or more within three years")
    return (f"starts from the target's damage ({_base_rule(sc)}) and goes one step down "
            f"(not below '{sc.leverage_levels[1]}') for each of: the target hit less than "
            f"{d.asymmetry_below:g} times harder than the sender relative to size, the sender's "
            f"cost at least {d.sender_cost_from_pct_gdp}% of its GDP, {d.routed_around_3y_from:.0%}"
            f" or more routed around within three years")


def _base_rule(sc: VerdictScales) -> str:
    return ", ".join(f"{level.word} -> {sc.leverage_base[level.word]}" for level in sc.damage)


def damage_rule() -> str:
    """One sentence stating the damage scale's thresholds."""
    parts = []
    levels = scales().damage
    for i, level in enumerate(levels):
        upper = levels[i + 1].from_pct_gdp if i + 1 < len(levels) else None
        parts.append(f"{level.word} " + (f"below {upper}%" if i == 0 else
                                         f"{level.from_pct_gdp}-{upper}%" if upper else
                                         f"from {level.from_pct_gdp}%"))
    return "; ".join(parts) + " of the affected side's GDP"
