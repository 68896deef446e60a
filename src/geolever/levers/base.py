"""The base of every lever kind: common fields, the compile step and what a kind adds.

A lever kind is one module in :mod:`geolever.levers.kinds`: a pydantic model (its
parameters, one schema for YAML, CLI and web), its documentation (the docstring), how it
compiles against a case into a shock (:meth:`LeverKind.compile`) and what it adds to
the assessment's reasons and to the report (the class variables below).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from geolever.core.errors import GeoleverError
from geolever.shocks import Shock
from geolever.world import Case

T = TypeVar("T")


#: Lever ids name chart files: letters, digits, '_', '.', '-', starting with a letter or
#: digit, at most 64 (a restricted alphabet keeps every path inside --out; issue 14).
LEVER_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"


class LeverKind(BaseModel):
    """Base class of the lever kinds; a lever always acts from the sender on the target."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str
    id: str | None = Field(None, pattern=LEVER_ID_PATTERN,
                           description="Short id used in reports (letters, digits, _ . -; "
                           "at most 64); defaults to the kind")
    label: str | None = Field(None, description="Human-readable name of the lever")
    alternative_to: str | None = Field(
        None, pattern=LEVER_ID_PATTERN,
        description="Id of a lever this one re-estimates with another model; it is "
        "reported but left out of the combined total")

    #: Words for the denominators in the "At risk" reason where the kind needs other ones
    #: (keys ``gdp``, ``budget_revenue``, ``export_earnings``).
    at_risk_names: ClassVar[dict[str, str]] = {}
    #: Whether the target's loss is also reported as a share of household consumption
    #: (for flows that are household income).
    household_share: ClassVar[bool] = False
    #: Jinja (Markdown) fragment the kind adds to its section of the report; it is
    #: rendered with ``lv``, the lever's entry of result.json.
    report_section: ClassVar[str] = ""

    def check(self, case: Case) -> None:
        """Check the lever against the case's data (raises on unknown assets etc.)."""

    def display(self) -> str:
        """Return the lever's label, or a generated one."""
        return self.label or self.describe()

    def describe(self) -> str:
        """One-line description of what the sender does."""
        raise NotImplementedError

    def compile(self, case: Case, year: int | None = None) -> Shock:
        """Return the shock this lever causes in ``case`` (for the case year or ``year``)."""
        raise NotImplementedError


def compile_lever(lever: LeverKind, case: Case, *, year: int | None = None) -> Shock:
    """Check ``lever`` against ``case`` and return the shock it causes."""
    lever.check(case)
    return lever.compile(case, year)


def lever_ids(levers: Sequence[LeverKind]) -> list[str]:
    """Return the levers' ids as reports name them: ``id``, else ``kind``, ``kind_2``, ...

    A lever without an ``id`` is named by its kind, numbered from its second occurrence.
    """
    counts: dict[str, int] = {}
    ids = []
    for lever in levers:
        counts[lever.kind] = counts.get(lever.kind, 0) + 1
        ids.append(lever.id or (lever.kind if counts[lever.kind] == 1
                                else f"{lever.kind}_{counts[lever.kind]}"))
    return ids


def as_value_error(check: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call ``check``; re-raise a :class:`GeoleverError` as ValueError (message; fix).

    Used inside pydantic validators, so that pydantic adds the field's location.
    """
    try:
        return check(*args, **kwargs)
    except GeoleverError as err:
        raise ValueError(f"{err.message}; {err.fix}") from None
