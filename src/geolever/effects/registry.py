"""The registry of engines: which engine evaluates which shock type.

Each module in :mod:`geolever.effects.engines` registers a function for the shock types
it evaluates with :func:`register`. A shock no engine is registered for is an error
(:class:`UnknownShockError`), never a fall-through to another engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Annotated, Any, TypeVar

from pydantic import Field

from geolever.effects.types import EngineDetails, LeverEffects
from geolever.models.uncertainty import ParameterDraws
from geolever.world import Case

EngineFunction = Callable[[Any, Case, ParameterDraws, str], LeverEffects]
F = TypeVar("F", bound=EngineFunction)


class UnknownShockError(TypeError):
    """A shock whose type no engine is registered for (a programming error, not user input)."""


@dataclass(frozen=True)
class Engine:
    """An engine: its name, the shock types it evaluates, its function and report section.

    ``evaluate(shock, case, draws, key)`` returns the :class:`LeverEffects` of the shock
    per draw (``key`` seeds the lever's own random draws). ``section`` is a Jinja
    (Markdown) fragment the report adds for levers this engine evaluated, rendered with
    ``lv``, the lever's entry of result.json. ``details`` is the engine's
    :class:`~geolever.effects.types.EngineDetails` model (None if it reports none).
    """

    name: str
    shock_types: tuple[type, ...]
    evaluate: EngineFunction
    section: str = ""
    details: type[EngineDetails] | None = None


_ENGINES: dict[type, Engine] = {}


def register(*shock_types: type, name: str, section: str = "",
             details: type[EngineDetails] | None = None) -> Callable[[F], F]:
    """Register ``evaluate(shock, case, draws, key)`` for ``shock_types`` (a decorator).

    ``details``, the engine's details model, must have ``engine: Literal[name]``.
    """
    if details is not None and details.model_fields["engine"].default != name:
        raise TypeError(f"{details.__name__} needs engine: Literal[{name!r}] = {name!r}")

    def decorate(func: F) -> F:
        engine = Engine(name, shock_types, func, section, details)
        for shock_type in shock_types:
            if shock_type in _ENGINES:
                raise TypeError(f"{shock_type.__name__} already has the engine "
                                f"{_ENGINES[shock_type].name!r}")
            _ENGINES[shock_type] = engine
        return func

    return decorate


def engine_for(shock: object) -> Engine:
    """Return the engine registered for the type of ``shock``.

    Raises
    ------
    UnknownShockError
        If no engine is registered for it.
    """
    engine = _ENGINES.get(type(shock))
    if engine is None:
        known = ", ".join(t.__name__ for t in _ENGINES)
        raise UnknownShockError(f"no engine is registered for {type(shock).__name__} "
                                f"(engines are registered for: {known})")
    return engine


def engines() -> list[Engine]:
    """Return the registered engines, each once, in registration order."""
    return list(dict.fromkeys(_ENGINES.values()))


def details_union() -> Any:
    """Return the union of the registered engines' details models, by their ``engine`` tag."""
    models = [e.details for e in engines() if e.details is not None]
    return Annotated[reduce(or_, models), Field(discriminator="engine")]
