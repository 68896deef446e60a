"""Levers: what a sender does. Each kind is one module in :mod:`geolever.levers.kinds`."""

from typing import TYPE_CHECKING

from geolever.levers import kinds as _kinds  # noqa: F401  (imports and registers every kind)
from geolever.levers.base import LeverKind, compile_lever, lever_ids
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
    "lever_ids",
    "lever_kinds",
    "lever_union",
    "register",
    "resolve_goods",
]


def __getattr__(name: str) -> type[LeverKind]:
    # The kinds' classes by name (geolever.levers.RemittanceBan), from the registry: no
    # file but the kind's own names a kind.
    for cls in lever_kinds().values():
        if cls.__name__ == name:
            return cls
    raise AttributeError(f"module 'geolever.levers' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *(cls.__name__ for cls in lever_kinds().values())})
