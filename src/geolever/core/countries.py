"""Country and region codes: ISO 3166-1 alpha-3 everywhere, plus a few aggregates.

Codes come from pycountry (ISO 3166) and ``reference/regions.csv`` (aggregates such as
WLD and ROW, and country groups such as EU27 and G7 with their members, source and date).
A coalition not in the table is written as its members joined by ``+`` (``USA+GBR+CAN``).
Unknown codes raise an error that suggests the nearest known code.
"""

from __future__ import annotations

import csv
import difflib
from functools import cache
from importlib import resources

import pycountry

from geolever.core.errors import UnknownCodeError


@cache
def country_names() -> dict[str, str]:
    """Return ``{ISO3 code: English name}`` for every country and known aggregate."""
    names = {c.alpha_3: getattr(c, "common_name", c.name) for c in pycountry.countries}
    text = resources.files("geolever.reference").joinpath("regions.csv").read_text("utf-8")
    names.update({r["code"]: r["name"] for r in csv.DictReader(text.splitlines())})
    return names


@cache
def _region_rows() -> dict[str, dict[str, str]]:
    text = resources.files("geolever.reference").joinpath("regions.csv").read_text("utf-8")
    return {r["code"]: r for r in csv.DictReader(text.splitlines())}


def group_members(code: str) -> tuple[str, ...]:
    """Return the member countries of a group (``EU27``, ``G7``, ``USA+GBR``).

    A single country is its own only member: ``(code,)``.

    Parameters
    ----------
    code
        A validated code (see :func:`normalise_country`).
    """
    if "+" in code:
        return tuple(code.split("+"))
    row = _region_rows().get(code)
    if row is not None and row["kind"] == "group":
        return tuple(row["members"].split())
    return (code,)


def group_source(code: str) -> str:
    """Return where a group's membership comes from and its date ('' for a single country)."""
    if "+" in code:
        return "members listed in the scenario"
    row = _region_rows().get(code)
    if row is None or row["kind"] != "group":
        return ""
    return f"{row['source']}; membership as of {row['as_of']}"


def is_group(code: str) -> bool:
    """Return True for a coalition of several countries."""
    return len(group_members(code)) > 1


def country_name(code: str) -> str:
    """Return the English name of an ISO3 code, aggregate or group (validated)."""
    key = normalise_country(code)
    if "+" in key:
        return " + ".join(country_names()[c] for c in key.split("+"))
    return country_names()[key]


def suggest_country(text: str) -> list[str]:
    """Return up to three known codes that look like ``text``, nearest first.

    Codes are ranked by string similarity with a bonus for a shared prefix (so ``AZR``
    suggests ``AZE`` first); longer texts are also matched against country names.
    """
    names = country_names()
    key = text.strip().upper()

    def score(code: str) -> float:
        prefix = next((i for i, (a, b) in enumerate(zip(key, code, strict=False)) if a != b),
                      min(len(key), len(code)))
        return difflib.SequenceMatcher(None, key, code).ratio() + 0.5 * prefix

    ranked = sorted(names, key=score, reverse=True)
    by_code = [c for c in ranked[:3] if score(c) >= 0.5]
    by_name: list[str] = []
    if len(key) > 3:
        try:
            by_name = [str(c.alpha_3) for c in pycountry.countries.search_fuzzy(text)][:3]
        except LookupError:
            by_name = []
    hints = [*by_name, *by_code] if by_name else by_code
    return list(dict.fromkeys(hints))[:3]


def normalise_country(code: str, *, field: str = "country") -> str:
    """Return ``code`` as a validated ISO3 code or aggregate.

    Accepts ISO3 in any case, ISO alpha-2 and exact English names. Raises
    :class:`UnknownCodeError` with the nearest known codes otherwise, e.g.
    ``AZR: did you mean AZE (Azerbaijan)?``.
    """
    names = country_names()
    key = code.strip()
    if key.upper() in names:
        return key.upper()
    if "+" in key:  # an ad-hoc coalition: every member validated, sorted, no duplicates
        members = sorted({normalise_country(part, field=field) for part in key.split("+")
                          if part.strip()})
        if any(is_group(m) or m in ("WLD", "ROW") for m in members):
            raise UnknownCodeError(f"coalition {code!r} lists a group or aggregate",
                                   field=field, fix="list countries only (e.g. USA+GBR+CAN)")
        return "+".join(members) if len(members) > 1 else members[0]
    found = None
    try:
        found = pycountry.countries.lookup(key)
    except LookupError:
        found = None
    if found is not None:
        return str(found.alpha_3)
    hints = suggest_country(key)
    if hints:
        options = " or ".join(f"{c} ({names[c]})" for c in hints)
        raise UnknownCodeError(
            f"unknown country code {code!r}: did you mean {options}?",
            field=field,
            fix="use an ISO 3166-1 alpha-3 code (e.g. AZE, RUS), a group (EU27, G7), "
            "members joined by + (USA+GBR) or WLD/ROW",
        )
    raise UnknownCodeError(
        f"unknown country code {code!r}",
        field=field,
        fix="use an ISO 3166-1 alpha-3 code (e.g. AZE, RUS) or WLD/ROW/EU27",
    )
