"""Goods as levers name them: the reference-backed resolution of :mod:`geolever.core.goods`.

Named products and groups (``reference/products.csv``) and HS codes of 2, 4 or 6 digits
(``reference/hs_nomenclature.csv``); an unknown or ambiguous name is an error listing the
nearest matches, and nothing is mapped silently to another product.
"""

from __future__ import annotations

from geolever.core.goods import resolve_goods

__all__ = ["resolve_goods"]
