"""Goods as people name them: named products, HS chapters, headings and subheadings.

A good is one of

* a **named product or group** of ``reference/products.csv`` (``wheat``, ``crude_oil``,
  ``food``, ``coal``), each defined by HS codes;
* an **HS code** of 2, 4 or 6 digits (``22``, ``2204``, ``270900``; ``HS2204`` and
  ``22.04`` are read too), named from ``reference/hs_nomenclature.csv`` (HS 2022
  chapters and headings); a 6-digit code is accepted when its heading is listed;
* ``TOTAL`` (all goods).

Nothing is mapped silently to another product: ``10`` is chapter 10 (cereals), not wheat;
an unknown or ambiguous name is an error listing the nearest matches.
"""

from __future__ import annotations

import csv
import difflib
import re
from functools import cache
from importlib import resources

from geolever.core.errors import UnknownCodeError


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("geolever.reference").joinpath(name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def named_products() -> dict[str, dict[str, str]]:
    """Return ``reference/products.csv`` keyed by code (name, group, hs, market)."""
    return {r["code"]: r for r in _rows("products.csv")}


@cache
def hs_names() -> dict[str, str]:
    """Return ``{HS chapter or heading code: official name}`` (HS 2022)."""
    return {r["code"]: r["name"] for r in _rows("hs_nomenclature.csv")}


@cache
def _chapters() -> dict[str, dict[str, str]]:
    return {r["chapter"]: r for r in _rows("hs_chapter_groups.csv")}


def expand_hs(spec: str) -> tuple[str, ...]:
    """Return the HS prefixes of a ``products.csv`` ``hs`` field (``01-24``, ``25-26 41-71``)."""
    out: list[str] = []
    for part in spec.split():
        if "-" in part:
            lo, hi = part.split("-")
            width = len(lo)
            out.extend(str(c).zfill(width) for c in range(int(lo), int(hi) + 1))
        else:
            out.append(part)
    return tuple(out)


def _hs_code(text: str) -> str | None:
    """Return the digits of an HS code written ``2204``, ``HS 2204`` or ``22.04``, else None."""
    m = re.fullmatch(r"(?:HS)?\s*([0-9][0-9.\s]*)", text.strip(), flags=re.IGNORECASE)
    return re.sub(r"[.\s]", "", m.group(1)) if m else None


def product_info(code: str) -> dict[str, str] | None:
    """Return name, group, hs prefixes and market of a product code, or None if unknown.

    Parameters
    ----------
    code
        A ``products.csv`` code, ``TOTAL``, or an HS code of 2, 4 or 6 digits.

    Returns
    -------
    dict or None
        ``code``, ``name``, ``group`` (lever group: food, energy, ...), ``hs`` (space-
        separated prefixes), ``market`` (``commodity`` or ``specific``).
    """
    table = named_products()
    if code in table:
        return table[code]
    if not (code.isdigit() and len(code) in (2, 4, 6)):
        return None
    names = hs_names()
    heading = code[:4] if len(code) >= 4 else code
    if heading not in names:
        return None
    chapter = _chapters().get(code[:2])
    if chapter is None:
        return None
    # a named product with the same HS code states its market (wheat 1001: commodity)
    market = next((r["market"] for r in table.values() if r["hs"] == code[:4] or r["hs"] == code),
                  chapter.get("market") or "specific")
    name = names.get(code) or f"{names[heading]} (subheading {code})"
    return {"code": code, "name": name, "group": chapter["group"], "hs": code,
            "market": market}


def product_aliases(code: str) -> tuple[str, ...]:
    """Return the codes naming the same goods as ``code``, ``code`` first.

    A named product defined by one HS code and that code are the same goods (``barley`` and
    ``1003``): a fact stored under either answers a question asked with the other.
    """
    info = product_info(code)
    if info is None or code == "TOTAL":
        return (code,)
    spec = info["hs"]
    same = [c for c, r in named_products().items() if r["hs"] == spec and c != code]
    hs = [spec] if spec.isdigit() and spec != code else []
    return (code, *same, *hs)


def hs_prefixes(code: str) -> tuple[str, ...]:
    """Return the HS prefixes a product code covers (``()`` for TOTAL: every code)."""
    info = product_info(code)
    if info is None:
        raise UnknownCodeError(f"unknown product {code!r}", field="product",
                               fix="use a code of reference/products.csv or an HS code")
    return () if code == "TOTAL" else expand_hs(info["hs"])


def suggest_goods(text: str, n: int = 5) -> list[str]:
    """Return up to ``n`` goods (``code (name)``) that look like ``text``, nearest first."""
    key = text.strip().lower()
    candidates = {c: r["name"] for c, r in named_products().items()}
    candidates.update(hs_names())
    words = re.findall(r"[a-z]+", key)
    hits = [c for c, name in candidates.items()
            if words and all(re.search(rf"\b{re.escape(w)}", name.lower()) for w in words)]
    if not hits:
        names = {name.lower(): c for c, name in candidates.items()}
        close = difflib.get_close_matches(key, list(names) + list(candidates), n=n, cutoff=0.6)
        hits = [names.get(m, m) for m in close]
    # named products first, then the shortest (most general) HS codes
    hits = sorted(dict.fromkeys(hits), key=lambda c: (c.isdigit(), len(c), c))[:n]
    return [f"{c} ({candidates[c][:60]})" for c in hits]


def resolve_goods(goods: list[str]) -> list[str]:
    """Resolve goods as named by users to product codes (see the module docstring).

    Raises
    ------
    UnknownCodeError
        For an unknown code or name, or a name matching several goods, listing the
        nearest matches.
    """
    table = named_products()
    by_name = {r["name"].lower(): c for c, r in table.items()}
    resolved: list[str] = []
    for raw in goods:
        item = raw.strip()
        digits = _hs_code(item)
        if item.upper() == "TOTAL":
            resolved.append("TOTAL")
        elif item.lower() in table:
            resolved.append(item.lower())
        elif item.lower() in by_name:
            resolved.append(by_name[item.lower()])
        elif digits is not None:
            if len(digits) not in (2, 4, 6):
                raise UnknownCodeError(
                    f"HS code {raw!r} has {len(digits)} digits",
                    field="goods", fix="write HS codes with 2, 4 or 6 digits, keeping leading "
                    f"zeros (e.g. {digits.zfill(len(digits) + 1)})")
            if product_info(digits) is None:
                near = [c for c in hs_names() if c.startswith(digits[:2])][:5]
                raise UnknownCodeError(
                    f"no HS chapter or heading {digits[:4]} in the HS 2022 nomenclature",
                    field="goods", fix="use a listed code, e.g. " + (", ".join(
                        f"{c} ({hs_names()[c][:40]})" for c in near) or "01-97"))
            resolved.append(digits)
        else:
            exact = [c for c, name in hs_names().items() if name.lower() == item.lower()]
            if len(exact) == 1:
                resolved.append(exact[0])
                continue
            near = suggest_goods(item)
            words = re.findall(r"[a-z]+", item.lower())
            named = [n for n in near if words and all(w in n.lower() for w in words)]
            what = "ambiguous" if len(named) > 1 else "unknown"
            named_list = ("named products (reference/products.csv): " + ", ".join(table)
                          + "; or an HS code of 2, 4 or 6 digits")
            raise UnknownCodeError(
                f"{what} goods {raw!r}",
                field="goods",
                fix=(f"use one of: {'; '.join(near)}; {named_list}") if near else
                f"use {named_list}")
    return list(dict.fromkeys(resolved))
