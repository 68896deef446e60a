"""Levers: what a sender does. Each kind is one module in :mod:`geolever.levers.kinds`."""

from typing import TYPE_CHECKING

from geolever.levers import kinds as _kinds  # noqa: F401  (imports and registers every kind)
from geolever.levers.base import LeverKind, compile_lever
from geolever.levers.goods import resolve_goods
from geolever.levers.registry import (
    kind_names,
    kind_parameters,
    kind_table,
    kind_title,
    lever_kinds,
    lever_union,
    register,
)

if TYPE_CHECKING:
    Lever = LeverKind
else:
    Lever = lever_union()

#: ``{kind: class}`` of the registered kinds.
LEVER_KINDS = lever_kinds()

__all__ = [
    "LEVER_KINDS",
    "Lever",
    "LeverKind",
    "compile_lever",
    "kind_names",
    "kind_parameters",
    "kind_table",
    "kind_title",
    "lever_kinds",
    "lever_union",
    "register",
    "resolve_goods",
]
