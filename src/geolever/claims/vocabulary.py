"""The claim vocabulary: names of countries, assets and levers, topic words, linking rules.

All of it is data that users can extend: ``reference/claim_aliases.csv`` (aliases of
countries, metonyms such as "the Kremlin", assets, and their kinds), ``reference/
claim_demonyms.csv`` (demonyms that the rule below gets wrong) and ``reference/
claim_rules.yaml`` (topics, keyword -> metric rules, status words, attribution verbs, lever
effect cues, levers, products). Every ISO 3166 country is known by its names (pycountry) and
a demonym, so a sentence about any pair, or about a third country, can be linked.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import pycountry
import yaml


@cache
def rules() -> dict[str, Any]:
    """Return the linking rules of ``reference/claim_rules.yaml``."""
    text = resources.files("geolever.reference").joinpath("claim_rules.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def words(patterns: list[str] | tuple[str, ...]) -> re.Pattern[str]:
    """Compile keyword patterns into one case-insensitive, word-bounded regex (compiled once)."""
    return _words(tuple(patterns))


@cache
def _words(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])(?:" + "|".join(f"(?:{p})" for p in patterns) + r")(?![\w])", re.I)


@cache
def word_set(name: str) -> re.Pattern[str]:
    """Return the compiled keyword list ``name`` of the rules (dotted, e.g. ``status.idle``)."""
    node: Any = rules()
    for part in name.split("."):
        node = node[part]
    return words(list(node))


@dataclass(frozen=True)
class Alias:
    """One name of a country or asset."""

    alias: str
    kind: str  # country, demonym, metonym, asset
    code: str


def _csv(name: str) -> list[dict[str, str]]:
    text = resources.files("geolever.reference").joinpath(name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def demonym(name: str) -> str | None:
    """Return the regular demonym of a country name ("Georgia" -> "Georgian"), or None."""
    if name.endswith("ia"):
        return name + "n"
    return None


@cache
def all_aliases() -> tuple[Alias, ...]:
    """Aliases of ``claim_aliases.csv``, then generated names and demonyms of every country."""
    out = [Alias(r["alias"], r["kind"], r["code"]) for r in _csv("claim_aliases.csv")]
    out += [Alias(r["demonym"], "demonym", r["code"]) for r in _csv("claim_demonyms.csv")]
    known = {a.alias for a in out}
    for c in pycountry.countries:
        names = {c.name, getattr(c, "common_name", c.name)}
        for name in sorted(names):
            if "," in name or "(" in name:
                continue  # "Korea, Republic of", "Bolivia (Plurinational State of)"
            if name not in known:
                out.append(Alias(name, "country", c.alpha_3))
                known.add(name)
            dem = demonym(name)
            if dem and dem not in known:
                out.append(Alias(dem, "demonym", c.alpha_3))
                known.add(dem)
    return tuple(out)


# Country names that are also common words: matched only as written ("Turkey", not "turkey").
_CASE_SENSITIVE = frozenset({"turkey", "chad", "jordan", "guinea", "niger", "georgia", "mali",
                             "togo", "cuba", "peru", "oman", "iran", "iraq", "india", "japan"})


def _body(alias: Alias) -> str:
    name = alias.alias
    body = re.escape(name).replace(r"\-", "[-\u2010-\u2015 ]?").replace(r"\ ", r"\s+")
    if name[0].islower():
        body = f"[{name[0].upper()}{name[0]}]{body[1:]}"
    elif alias.kind == "asset" or (alias.kind == "country" and len(name) > 4
                                   and name.lower() not in _CASE_SENSITIVE):
        body = f"(?i:{body})"  # "the Northern route", "china accounts for"
    return body


def alias_key(text: str) -> str:
    """Normalised lookup key of a matched name (case, dashes, spaces, possessive)."""
    text = re.sub(r"(?:'s|’s)$", "", text)
    text = re.sub(r"[\s\u2010-\u2015-]+", " ", text)
    return text.lower()


@cache
def alias_index() -> tuple[re.Pattern[str], dict[str, Alias]]:
    """Return one regex over every alias and the lookup from a normalised match to its alias.

    Longest first, so assets win over the city in their name; one pass over a sentence, not
    one per name.
    """
    aliases = sorted(all_aliases(), key=lambda a: -len(a.alias))
    lookup: dict[str, Alias] = {}
    for a in aliases:
        lookup.setdefault(alias_key(a.alias), a)
    # Grouped by first letter behind a look-ahead: at each word start one bucket is tried,
    # not every alias (the same matches, in the same longest-first order within a letter).
    buckets: dict[str, list[str]] = {}
    for a in aliases:
        buckets.setdefault(a.alias[0].lower(), []).append(_body(a))
    body = "|".join(
        f"(?=[{re.escape(k)}{re.escape(k.upper())}])(?:{'|'.join(b)})" for k, b in buckets.items())
    rx = re.compile(rf"(?<![\w⟦@])(?:{body})(?:'s|’s)?(?![\w⟧])")
    return rx, lookup
