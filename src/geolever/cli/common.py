"""What every CLI command shares: consoles and the one way user errors are reported.

Bad input ends in exactly one line on stderr (``error: <field>: <what>. Fix: <fix>``) and
exit status 2, never a traceback:

* :func:`friendly_errors` (a command decorator) and :func:`fail` print a
  :class:`~geolever.core.errors.GeoleverError`;
* :func:`run_cli` (the ``geolever`` entry point) also prints Click's usage errors in that
  one-line form and translates the few library failures a user can cause directly
  (a DuckDB store error, an unwritable output path, a pydantic validation error);
* :func:`check_option` validates a command-line value with the very pydantic field that
  validates the same value in a YAML scenario or a web body (one schema for all three).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, NoReturn, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console, ConsoleDimensions
from rich.markup import escape

from geolever.core.errors import GeoleverError, InvalidDataError, OutputError, StoreError
from geolever.core.inputs import check_option  # one schema for CLI, YAML and web

#: Exit status of a user error (bad input or missing data), as for usage errors.
USER_ERROR = 2
#: Exit status of a bug (an exception geolever did not expect); the message says so.
INTERNAL_ERROR = 70

#: Width of printed tables when stdout is not a terminal (a pipe, a log file, CI).
PIPE_WIDTH = 120


class FitConsole(Console):
    """A Rich console as wide as the terminal, or :data:`PIPE_WIDTH` when not a terminal.

    Rich falls back to 80 columns (or to the width of a terminal on stdin) when its output
    is a pipe, which wraps tables mid-word in logs; ``COLUMNS`` still wins when set.
    Markup is off: printed values (``[low, high]``, ``sigma[food]``) stay as they are;
    styles are given with :class:`rich.text.Text`.
    """

    @property
    def size(self) -> ConsoleDimensions:
        """Width and height: :data:`PIPE_WIDTH` wide when stdout is not a terminal."""
        dims = super().size
        if self._width is None and not self.is_terminal and not os.environ.get("COLUMNS"):
            return ConsoleDimensions(PIPE_WIDTH, dims.height)
        return dims

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        width, height = new_size
        self._width = width
        self._height = height


console = FitConsole(markup=False)
err_console = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])


def _print_error(text: str) -> None:
    # soft_wrap: one line whatever the terminal width; escaped: field names such as
    # sigma[food] must not be read as Rich markup.
    err_console.print(f"[bold red]error:[/] {escape(' '.join(text.split()))}",
                      highlight=False, soft_wrap=True)


def fail(err: GeoleverError) -> NoReturn:
    """Print a user error in one line on stderr (no traceback) and exit with status 2."""
    _print_error(str(err))
    raise typer.Exit(USER_ERROR) from None


def translate(exc: BaseException) -> GeoleverError | None:
    """Return the user error a library exception stands for, or None if it is a bug.

    Only failures a user causes directly are translated: a store file DuckDB cannot use,
    an output path the OS refuses, an option pydantic refuses, a file that is not UTF-8.
    """
    import duckdb

    from geolever.store.connect import store_error

    if isinstance(exc, GeoleverError):
        return exc
    if isinstance(exc, duckdb.Error):
        return store_error(exc, os.environ.get("GEOLEVER_STORE", "(the store)"))
    if isinstance(exc, OSError) and exc.filename is not None:
        return OutputError(f"cannot write or read {exc.filename}: {exc.strerror or exc}",
                           field=str(exc.filename),
                           fix="choose a path in a writable folder (not an existing folder "
                           "or a file where a folder is needed)")
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"]) or exc.title
        return InvalidDataError(str(first["msg"]).removeprefix("Value error, "), field=loc,
                                fix="correct the value as described")
    if isinstance(exc, UnicodeDecodeError):
        return InvalidDataError(f"input is not UTF-8 text ({exc.reason} at byte {exc.start})",
                                field="input", fix="save the file as UTF-8")
    if isinstance(exc, RecursionError):
        return InvalidDataError("input is nested too deeply", field="input",
                                fix="flatten the input")
    return None


def friendly_errors(func: F) -> F:
    """Print user errors as one clear message and exit with status 2 (no traceback)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except GeoleverError as err:
            fail(err)

    return wrapper  # type: ignore[return-value]


def _usage_line(err: typer.TyperException) -> str:
    ctx = getattr(err, "ctx", None)
    command = getattr(ctx, "command_path", None) or "geolever"
    message = err.format_message().rstrip()  # names it: Invalid value for '--top': ...
    if message and message[-1] not in ".?!":
        message += "."
    return f"{message} Fix: see '{command} --help'"


def run_cli(app: typer.Typer, argv: Sequence[str] | None = None) -> int:
    """Run the Typer ``app`` on ``argv``; print every user error in one line; return the status.

    Parameters
    ----------
    app
        The ``geolever`` application.
    argv
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 2 for a user error (bad option, bad file, unusable store),
        70 for a bug (one line asks to report it; ``GEOLEVER_DEBUG=1`` re-raises it).
    """
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        code = app(args=args, prog_name="geolever", standalone_mode=False)
    except typer.TyperException as err:  # Click's usage errors (typer vendors Click)
        _print_error(_usage_line(err))
        return int(err.exit_code)
    except typer.Exit as err:
        return int(err.exit_code)
    except typer.Abort:
        _print_error("aborted")
        return 1
    except SystemExit as err:
        return err.code if isinstance(err.code, int) else (0 if err.code is None else 1)
    except Exception as err:  # the last line of defence: never a traceback
        if os.environ.get("GEOLEVER_DEBUG"):
            raise
        user = translate(err)
        if user is not None:
            _print_error(str(user))
            return USER_ERROR
        _print_error(f"internal error ({type(err).__name__}: {err}). Fix: this is a bug; "
                     "report it with the command (GEOLEVER_DEBUG=1 shows the traceback)")
        return INTERNAL_ERROR
    return code if isinstance(code, int) else 0


def check_choice(option: str, value: str, choices: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``choices``, else raise naming the option."""
    if value not in choices:
        raise InvalidDataError(f"unknown value {value!r}", field=option,
                               fix=f"use one of: {', '.join(choices)}")
    return value


def check_codes(option: str, value: str | None) -> list[str] | None:
    """Split a comma-separated list of codes; refuse empty and repeated entries."""
    if value is None:
        return None
    codes = [c.strip().upper() for c in value.split(",")]
    if any(not c for c in codes):
        raise InvalidDataError(f"empty entry in {value!r}", field=option,
                               fix="separate codes by single commas, e.g. RUS,AZE,TUR")
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise InvalidDataError(f"{', '.join(repeated)} given more than once", field=option,
                               fix="name each country once")
    return codes


def parse_pairs(option: str, items: Sequence[str], sep: str) -> dict[str, str]:
    """Read ``OLD<sep>NEW`` items (e.g. ``--rename ZZZ=DEU``) into a mapping."""
    out = {}
    for item in items:
        old, found, new = item.partition(sep)
        if not found or not old.strip() or not new.strip():
            raise InvalidDataError(f"{item!r} is not OLD{sep}NEW", field=option,
                                   fix=f"write e.g. {option} ZZZ{sep}DEU")
        out[old.strip()] = new.strip()
    return out


def check_options(model: type[BaseModel], **options: tuple[str, Any]) -> dict[str, Any]:
    """Validate several options at once: ``field=(option_name, value)``; return field->value."""
    return {f: check_option(name, value, model, f) for f, (name, value) in options.items()}


__all__ = [
    "INTERNAL_ERROR",
    "PIPE_WIDTH",
    "USER_ERROR",
    "FitConsole",
    "StoreError",
    "check_choice",
    "check_codes",
    "check_option",
    "check_options",
    "console",
    "err_console",
    "fail",
    "friendly_errors",
    "parse_pairs",
    "run_cli",
    "translate",
]
