"""Goods given as product codes, group names or HS chapters, resolved to product codes."""

from __future__ import annotations

import re

from geolever.core.errors import UnknownCodeError
from geolever.core.facts import product_table


def resolve_goods(goods: list[str]) -> list[str]:
    """Resolve goods given as product codes, group names or HS chapters to product codes.

    ``HS07`` or ``07`` maps to the products whose HS code starts with that chapter.
    Raises :class:`UnknownCodeError` naming the unknown entry and the valid codes.
    """
    table = product_table()
    resolved: list[str] = []
    for raw in goods:
        item = raw.strip()
        chapter = re.fullmatch(r"(?:HS)?\s*(\d{2,4})", item, flags=re.IGNORECASE)
        if item.lower() in table:
            resolved.append(item.lower())
        elif item.upper() == "TOTAL":
            resolved.append("TOTAL")
        elif chapter:
            code = chapter.group(1)
            hits = [k for k, row in table.items()
                    if any(h.startswith(code) for h in row["hs"].split()) and k != row["group"]]
            if not hits:
                raise UnknownCodeError(
                    f"no product in the reference table for HS {code}",
                    field="goods",
                    fix="use a product code or group: " + ", ".join(table),
                )
            resolved.extend(hits)
        else:
            raise UnknownCodeError(
                f"unknown goods {raw!r}",
                field="goods",
                fix="use product codes or groups (" + ", ".join(table) + ") or HS chapters",
            )
    return list(dict.fromkeys(resolved))
