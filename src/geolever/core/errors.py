"""User-facing errors.

Every error a user can cause (bad input, missing data, a solver that does not converge)
is a :class:`GeoleverError` that names the field at fault and says how to fix it. The CLI
and the web API print these without a traceback; anything else is a bug.
"""

from __future__ import annotations


class GeoleverError(Exception):
    """An error caused by input or data, with the field at fault and the fix.

    Parameters
    ----------
    message
        What is wrong, in one sentence.
    field
        The input field, file location or data key at fault (e.g. ``levers[2].asset``).
    fix
        What the user should do about it.
    """

    def __init__(self, message: str, *, field: str | None = None, fix: str | None = None):
        self.message = message
        self.field = field
        self.fix = fix
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.field}: {self.message}" if self.field else self.message
        if text and text[-1] not in ".?!":
            text += "."
        if self.fix:
            text += f" Fix: {self.fix}"
        return text

    def to_dict(self) -> dict[str, str | None]:
        """Return the error as a JSON-ready mapping (used by result files and the web API)."""
        return {
            "error": type(self).__name__,
            "message": self.message,
            "field": self.field,
            "fix": self.fix,
        }


class UnknownCodeError(GeoleverError):
    """A country, asset, corridor, product or indicator code that is not known."""


class DataNotFoundError(GeoleverError):
    """The store has no value for the requested quantity (e.g. for that year)."""


class UnitError(GeoleverError):
    """A unit that is unknown or cannot be converted to the one asked for."""


class InvalidDataError(GeoleverError):
    """Input data that violates a rule (negative flow, NaN, duplicate key, ...)."""


class ScenarioError(GeoleverError):
    """A scenario file or API body that does not match the schema."""


class ConvergenceError(GeoleverError):
    """A numerical solver that did not converge; no result is reported as converged."""


class StoreError(GeoleverError):
    """The fact store file cannot be used: locked, damaged, not a store, or read-only."""


class OutputError(GeoleverError):
    """An output path that cannot be written (a file where a folder is needed, read-only)."""
