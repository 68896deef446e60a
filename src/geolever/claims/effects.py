"""Claims about what a lever would do, judged on the assessment (see ``model_view``).

* which side loses more: "a ban would hurt Russia more than Azerbaijan" -> target loss /
  sender cost (each % of own GDP) at most 1;
* how much the target can route around: "Azerbaijan can find other markets" -> at least half
  the cut flow redirected within a year ("reorientation will be difficult": at most half);
* how hard it hits: "a severe blow", "hit the economy hard", "a sharp drop" -> damage to the
  target 'severe' on the damage scale (at least 2% of GDP); "insignificant", "minimal", "very
  limited impact", "not affected at all" -> damage 'none' (below 0.1%); a lever that cannot be
  pulled hits nothing;
* whether any lever works: "Russia has no leverage over Azerbaijan" -> no lever, nor all
  feasible ones together, has a leverage verdict of 'weak leverage' or stronger (the leverage
  scale; both scales in ``reference/verdict_scales.yaml``, the same rules as the report);
  "Russia's powerful levers over Armenia" -> some lever with leverage takes at least 2% of
  the target's GDP.

The cue words, levers and their keywords are data (``claim_rules.yaml``). The lever is the
one the sentence names, or the one an earlier sentence named (context); a sentence that names
the levers only as a whole ("the blockade", "sanctions", "trade retaliation") is judged on all
feasible levers together (the assessment's combined row).
"""

from __future__ import annotations

import contextlib
import re
from functools import cache
from typing import Any

from geolever.claims.context import Reading
from geolever.claims.extract import Parsed
from geolever.claims.link import C
from geolever.claims.model_view import ALL_LEVERS
from geolever.claims.results import SkipError, TextClaim
from geolever.claims.vocabulary import find, keyword_search, prepared, prepared_all, rules
from geolever.core.countries import country_name

_TOKEN = re.compile(r"⟦@?[^⟧]+⟧")


@cache
def _levers() -> tuple[tuple[str, dict[str, Any], Any, str | None], ...]:
    """(id, spec, prepared keywords, asset it cuts) of each lever of the rules, made once."""
    out = []
    for lever in rules()["levers"]:
        spec = {k: v for k, v in lever.items() if k not in ("keywords", "id")}
        target_asset = spec.get("asset") or (
            "INSTC" if spec["kind"] == "corridor_exclusion" else None)
        out.append((lever["id"], spec, prepared(tuple(lever["keywords"])), target_asset))
    return tuple(out)


#: the words that say which kind of asset an anaphor ("the pipeline") points to
_ASSET_NOUNS = (("transit_block", re.compile(r"\b(?:pipelines?|oil\s+line)\b", re.I)),
                ("corridor_exclusion", re.compile(r"\bcorridors?\b", re.I)))


def _fits_noun(kind: str, text: str) -> bool:
    """Whether a lever of ``kind`` fits the asset noun of ``text``.

    "The pipeline" is a transit block, not the corridor a sentence before named; any lever
    fits a text with no such noun.
    """
    said = [k for k, rx in _ASSET_NOUNS if rx.search(text)]
    return not said or kind in said


def lever_of(text: str, assets: list[str], reading: Reading | None = None,
             kinds: tuple[tuple[str, str], ...] | None = None,
             by_asset: bool = True, whole_in: str | None = None,
             carried: list[str] | None = None) -> tuple[str, dict[str, Any]]:
    """Return the (id, spec) of the one lever ``text`` names, else the one carried over.

    In order: a lever named by its keywords or by an asset the sentence names (``assets``);
    the lever an earlier sentence named, when the sentence points back to it; the levers as
    a whole (:data:`ALL_LEVERS`: "the blockade", "sanctions", "a trade embargo"), when that
    name is in ``whole_in`` (default ``text``), the part of the sentence up to the effect,
    where its cause is named ("the blockade's impact was very limited"), not a later clause
    ("... found new markets: on the eve of the latest embargo"); an asset carried from an
    earlier sentence (``carried``) whose kind fits the noun ("the pipeline" is no corridor);
    last, "the pipeline" or "the corridor" alone, when exactly one lever is of that kind.
    """
    def allowed(spec: dict[str, Any]) -> bool:
        return not kinds or (spec["kind"], spec.get("direction")) in kinds

    found = []
    low = text.lower()
    named = keyword_search(prepared_all("levers", "keywords"), text, low)
    for lid, spec, keywords, target_asset in _levers():
        if not allowed(spec):
            continue
        hit = named and keyword_search(keywords, text, low)  # one search when none is named
        if hit or (by_asset and target_asset and target_asset in assets):
            found.append((lid, dict(spec)))
    if not found and reading is not None and reading.lever is not None and \
            find("context.anaphora", text) and allowed(reading.lever[1]):
        found = [reading.lever]
    if not found and find("effects.all_levers", text if whole_in is None else whole_in):
        found = [(ALL_LEVERS, {"kind": ALL_LEVERS})]  # "the blockade": every lever at once
    if not found and by_asset:
        found = [(lid, dict(spec)) for lid, spec, _, target_asset in _levers()
                 if allowed(spec) and target_asset and target_asset in (carried or [])
                 and _fits_noun(spec["kind"], text)]
    if not found and by_asset and any(rx.search(text) for _, rx in _ASSET_NOUNS):
        of_kind = [(lid, dict(spec)) for lid, spec, _, target_asset in _levers()
                   if allowed(spec) and target_asset and _fits_noun(spec["kind"], text)]
        found = of_kind if len(of_kind) == 1 else []
    if not found:
        raise SkipError("a claim about a lever's effect, but which lever (remittances, food "
                        "trade, wheat, oil transit, the corridor) is not stated")
    if len(found) > 1:
        raise SkipError(f"a claim naming several levers ({', '.join(i for i, _ in found)}): "
                        f"unclear which one is meant")
    return found[0]


def _claim(parsed: Parsed, reading: Reading, quantity: str, metric: str, claimed: float,
           unit: str, comparison: str, lever: tuple[str, dict[str, Any]] | None,
           note: str) -> TextClaim:
    year = reading.model_year
    claim = TextClaim(quantity, metric, claimed, unit, comparison, [year],
                      f"model run for {year}", parsed.countries, parsed.all_assets, None,
                      None if lever is None else lever[1], note,
                      attribution=parsed.attribution)
    claim.lever_id = None if lever is None else lever[0]
    return claim


@cache
def _asymmetry_patterns() -> tuple[re.Pattern[str], ...]:
    """Comparisons of losses ("hurts Russia more than Azerbaijan"), compiled once."""
    hurt = "(?:" + "|".join(rules()["comparison"]["hurt_words"]) + ")"
    patterns = (
        rf"{hurt}\s+(?:\w+\s+){{0,3}}?{C}(?:'s)?\s+(?:\w+\s+){{0,3}}?(more|harder|worse|"
        rf"less)\s+than\s+(?:it\s+(?:\w+\s+){{0,2}})?(?:for\s+|on\s+)?(?:the\s+)?{C}",
        rf"{C}\s+(?:\w+\s+){{0,3}}?(?:lose|loses|suffer|suffers|pay|pays|bleed)\w*\s+"
        rf"(?:\w+\s+){{0,2}}?(more|less)\s+than\s+(?:\w+\s+){{0,1}}?{C}",
        rf"(more|less) (?:painful|costly|damaging|harmful|expensive) (?:for|to) {C} "
        rf"than (?:for |to )?{C}",
        rf"{C} has (?:far |much )?(more|less) to lose than {C}",
    )
    return tuple(re.compile(p, re.I) for p in patterns)


def _asymmetry(parsed: Parsed, reading: Reading, plain: str) -> list[TextClaim]:
    case, text = reading.case, parsed.tokens
    if "than" not in text.lower():
        return []  # every comparison of losses says "... than ..."
    for rx in _asymmetry_patterns():
        m = rx.search(text)
        if not m:
            continue
        groups = [g for g in m.groups() if g]
        codes = [g for g in groups if re.fullmatch(r"[A-Z0-9]{3,4}", g)]
        word = next(g for g in groups if not re.fullmatch(r"[A-Z0-9]{3,4}", g))
        if len(codes) != 2 or set(codes) != {case.sender, case.target}:
            raise SkipError("a comparison of losses, but not between the sender and the target")
        more = codes[0] if word.lower() != "less" else codes[1]
        lever = lever_of(plain, parsed.assets, reading, carried=parsed.ctx_assets)
        comparison = "at most" if more == case.sender else "at least"
        return [_claim(parsed, reading, f"hurts {country_name(more)} more", "lever_asymmetry",
                       1.0, "ratio", comparison, lever,
                       f"read as: target loss / sender cost (% of own GDP) {comparison} 1")]
    return []


def _substitution(parsed: Parsed, reading: Reading, plain: str) -> list[TextClaim]:
    text = parsed.tokens
    alt = find("comparison.alternative_markets", text)
    if not alt:
        return []
    case = reading.case
    if case.target not in parsed.countries and not parsed.ctx_countries:
        raise SkipError("alternative markets, but not for the target country")
    lever = lever_of(plain, parsed.assets, reading, kinds=(("trade_restriction", "imports"),),
                     carried=parsed.ctx_assets,
                     whole_in=_TOKEN.sub(" ", text[:alt.end()]))
    before = text[max(0, alt.start() - 40): alt.start()]
    after = text[alt.end(): alt.end() + 40]
    negated = bool(find("comparison.cannot", before)
                   or find("comparison.hard_after", after))
    comparison = "at most" if negated else "at least"
    return [_claim(parsed, reading, f"{'cannot ' if negated else 'can '}find alternative "
                   f"markets", "lever_substitution_1y", 50.0, "pct", comparison, lever,
                   f"read as: {comparison} half the lost exports redirected within a year")]


def _one_of(text: str, cue: str, opposite: str) -> tuple[re.Match[str] | None,
                                                         re.Match[str] | None]:
    """Return the matches of two opposite cues; (None, None) unless exactly one is in ``text``."""
    a, b = find(cue, text), find(opposite, text)
    return (a, b) if (a is None) != (b is None) else (None, None)


def _severity(parsed: Parsed, reading: Reading, plain: str) -> list[TextClaim]:
    text = parsed.tokens
    severe, small = _one_of(text, "effects.severe", "effects.small")
    if not (severe or small):
        return []
    if find("effects.partial", text):
        raise SkipError("a claim about a reduction of unstated size, not about the lever "
                        "itself: not judged")
    case = reading.case
    victims = set(re.findall(C, text[(severe or small).start() - 60:]))  # type: ignore[union-attr]
    if case.sender in victims and case.target not in victims:
        return []  # about the sender's own cost: not this metric
    cue = severe or small
    assert cue is not None
    lever = lever_of(plain, parsed.assets, reading, whole_in=_TOKEN.sub(" ", text[:cue.end()]),
                     carried=parsed.ctx_assets)
    # the damage scale's lines, from the assessment: imported on the first such claim (its
    # model run needs it then anyway)
    from geolever.assessment import MINOR_DAMAGE_FROM_PCT_GDP, SEVERE_DAMAGE_FROM_PCT_GDP

    if severe:  # a "severe blow" is the damage scale's own word: 'severe'
        return [_claim(parsed, reading, severe.group(0), "lever_target_loss",
                       SEVERE_DAMAGE_FROM_PCT_GDP, "pct", "at least", lever,
                       f"read as: the target loses at least {SEVERE_DAMAGE_FROM_PCT_GDP}% of "
                       f"its GDP ('severe' damage)")]
    assert small is not None
    return [_claim(parsed, reading, small.group(0), "lever_target_loss",
                   MINOR_DAMAGE_FROM_PCT_GDP, "pct", "at most", lever,
                   f"read as: the target loses less than {MINOR_DAMAGE_FROM_PCT_GDP}% of its "
                   f"GDP (damage 'none')")]


def _route_search(parsed: Parsed, reading: Reading, plain: str) -> list[TextClaim]:
    """Route-search claims: 'it would cost Russia years of searching for other routes'."""
    text = parsed.tokens
    slow, fast = _one_of(text, "effects.route_search_slow", "effects.route_search_fast")
    if not (slow or fast):
        return []
    # any lever: without routes, the model says it has no such figure
    lever = lever_of(plain, parsed.assets, reading, carried=parsed.ctx_assets)
    hit = slow or fast
    assert hit is not None
    if slow:
        return [_claim(parsed, reading, hit.group(0), "lever_rerouted_1y", 50.0, "pct",
                       "at most", lever, "read as: at most half the cut freight goes by other "
                       "routes within a year (no route-search time in the model)")]
    return [_claim(parsed, reading, hit.group(0), "lever_rerouted_1y", 50.0, "pct", "at least",
                   lever, "read as: at least half the cut freight goes by other routes within "
                   "a year")]


def _any_lever(parsed: Parsed, reading: Reading) -> list[TextClaim]:
    text = parsed.tokens
    none, strong = _one_of(text, "effects.no_leverage", "effects.strong_leverage")
    if not (none or strong):
        return []
    case = reading.case
    named = re.findall(C, text)
    if named and named[0] != case.sender:
        return []  # "Azerbaijan has no leverage over Russia": the other direction
    from geolever.assessment import MINOR_DAMAGE_FROM_PCT_GDP, SEVERE_DAMAGE_FROM_PCT_GDP

    if strong:
        return [_claim(parsed, reading, strong.group(0), "lever_any_leverage",
                       SEVERE_DAMAGE_FROM_PCT_GDP, "pct", "at least", None,
                       f"read as: some lever, or all feasible ones together, has leverage "
                       f"and takes at least {SEVERE_DAMAGE_FROM_PCT_GDP}% of the target's GDP "
                       f"('severe' damage: the 'strong leverage' line)")]
    assert none is not None
    return [_claim(parsed, reading, none.group(0), "lever_any_leverage",
                   MINOR_DAMAGE_FROM_PCT_GDP, "pct", "at most", None,
                   f"read as: no lever, nor all feasible ones together, has leverage (the "
                   f"leverage scale: at least {MINOR_DAMAGE_FROM_PCT_GDP}% of the target's "
                   f"GDP, not backfiring, not routed around)")]


def effect_claims(parsed: Parsed, reading: Reading) -> list[TextClaim]:
    """All claims about a lever's effect in a sentence."""
    plain = _TOKEN.sub(" ", parsed.tokens)
    plain = plain + " " + " ".join(parsed.assets)  # an asset named counts as its lever named
    out = _asymmetry(parsed, reading, plain)
    out += _substitution(parsed, reading, plain)
    out += _severity(parsed, reading, plain)
    out += _route_search(parsed, reading, plain)
    out += _any_lever(parsed, reading)
    return out


def remember_lever(parsed: Parsed, reading: Reading) -> None:
    """Carry the lever a sentence names by its keywords over to the next ones.

    A mere mention of an asset ("the pipeline is idle") does not make its lever the topic.
    """
    plain = _TOKEN.sub(" ", parsed.tokens)
    reading.lever = None  # carried to the next sentence only
    with contextlib.suppress(SkipError):
        reading.lever = lever_of(plain, parsed.assets, by_asset=False)
