"""The registry of lever kinds: the scenario's union, the kinds table and error texts.

Every module in :mod:`geolever.levers.kinds` registers its class with :func:`register`;
nothing else names a kind. The scenario schema, ``geolever levers``, ``/api/levers``, the
web form and the error texts are all built from :func:`lever_kinds`.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, Field

from geolever.levers.base import LeverKind

K = TypeVar("K", bound=type[LeverKind])

_KINDS: dict[str, type[LeverKind]] = {}


def register(cls: K) -> K:
    """Class decorator: register a lever kind under its ``kind`` literal."""
    kind = cls.__pydantic_fields__["kind"].default
    if not isinstance(kind, str) or not kind:
        raise TypeError(f"{cls.__name__} needs kind: Literal['<name>'] = '<name>'")
    if kind in _KINDS and _KINDS[kind] is not cls:
        raise TypeError(f"lever kind {kind!r} is registered twice "
                        f"({_KINDS[kind].__name__} and {cls.__name__})")
    _KINDS[kind] = cls
    return cls


def lever_kinds() -> dict[str, type[LeverKind]]:
    """Return the registered kinds, ``{kind: class}``, in registration order."""
    return dict(_KINDS)


def lever_union() -> Any:
    """Return the discriminated union of the registered kinds (a scenario's lever)."""
    return Annotated[reduce(or_, _KINDS.values()), Field(discriminator="kind")]


def kind_names() -> str:
    """Return the registered kinds as a comma-separated list (for error texts)."""
    return ", ".join(_KINDS)


def kind_title(cls: type[LeverKind]) -> str:
    """First line of a kind's docstring."""
    doc = (cls.__doc__ or "").strip()
    return doc.splitlines()[0] if doc else cls.__name__


def _plain(value: Any) -> Any:
    """Return a default as JSON-ready data (sub-models as mappings)."""
    return value.model_dump() if isinstance(value, BaseModel) else value


def type_name(annotation: Any) -> str:
    """Return a parameter's type for people: ``float``, ``str | None``, ``'imports' | 'exports'``.

    Handles classes, unions, ``Literal``, ``Annotated`` and generic containers, so that no
    ``<class 'float'>`` or ``typing.`` prefix reaches ``geolever levers`` or ``/api/levers``.
    """
    import types
    import typing

    if annotation is None or annotation is type(None):
        return "None"
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return type_name(args[0])
    if origin is typing.Literal:
        return " | ".join(repr(a) for a in args)
    if origin in (typing.Union, types.UnionType):
        return " | ".join(type_name(a) for a in args)
    if origin is not None:
        name = getattr(origin, "__name__", str(origin).replace("typing.", ""))
        inner = ", ".join("..." if a is Ellipsis else type_name(a) for a in args)
        return f"{name}[{inner}]" if args else name
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation).replace("typing.", "")


def kind_parameters(cls: type[LeverKind]) -> list[dict[str, Any]]:
    """Return the parameters of a kind: name, required, default, type, description."""
    rows = []
    for name, info in cls.model_fields.items():
        if name == "kind":
            continue
        rows.append({
            "name": name,
            "required": info.is_required(),
            "default": None if info.is_required() else _plain(
                info.get_default(call_default_factory=True)),
            "type": type_name(info.annotation),
            "description": info.description or "",
        })
    return rows


def kind_table() -> list[dict[str, Any]]:
    """One entry per kind: kind, title, doc, parameters and JSON schema (``/api/levers``)."""
    return [{"kind": kind, "title": kind_title(cls), "doc": (cls.__doc__ or "").strip(),
             "parameters": kind_parameters(cls), "schema": cls.model_json_schema()}
            for kind, cls in _KINDS.items()]
