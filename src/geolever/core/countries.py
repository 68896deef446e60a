"""Country and region codes: ISO 3166-1 alpha-3 everywhere, plus a few aggregates.

Codes come from pycountry (ISO 3166) and ``reference/regions.csv`` (aggregates such as
WLD, ROW, EU27). Unknown codes raise an error that suggests the nearest known code.
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


def country_name(code: str) -> str:
    """Return the English name of an ISO3 code or aggregate (validated)."""
    return country_names()[normalise_country(code)]


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
            fix="use an ISO 3166-1 alpha-3 code (e.g. AZE, RUS) or WLD/ROW/EU27",
        )
    raise UnknownCodeError(
        f"unknown country code {code!r}",
        field=field,
        fix="use an ISO 3166-1 alpha-3 code (e.g. AZE, RUS) or WLD/ROW/EU27",
    )
