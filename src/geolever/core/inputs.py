"""Reading user files safely: size limits before parsing, and parse errors named by place.

Every reader of a user-supplied file (scenario YAML, BACI/Comtrade/WDI/gravity/facts
CSV, KNOMAD workbooks, Stata and Parquet files) goes through :func:`reading`, so a
malformed file always ends in one :class:`~geolever.core.errors.InvalidDataError` naming
the file (and the line and column where the parser knows them) and the fix, never in a
``UnicodeDecodeError``, a pandas ``ParserError`` or a ``zipfile.BadZipFile`` traceback.
"""

from __future__ import annotations

import math
import re
import struct
import zipfile
import zlib
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from python_calamine import CalamineError, PasswordError, XmlError, ZipError

from geolever.core.errors import DataNotFoundError, GeoleverError, InvalidDataError

#: Largest scenario file read (bytes): a scenario is a few kilobytes; 50 MB ones were
#: parsed before and took 1 GB of memory.
MAX_SCENARIO_BYTES = 1_000_000

_CHUNK = 1 << 20


def require_input(path: Path, what: str, *, field: str = "PATH",
                  max_bytes: int | None = None) -> Path:
    """Return ``path`` if it is a readable regular file no larger than ``max_bytes``.

    The size is checked with ``stat`` before anything is read, so an oversized file costs
    nothing.

    Raises
    ------
    DataNotFoundError
        The file does not exist.
    InvalidDataError
        It is a folder, or larger than ``max_bytes``.
    """
    if path.is_dir():
        raise InvalidDataError(f"{path} is a folder, not a {what} file", field=field,
                               fix=f"give the path of a {what} file")
    if not path.is_file():
        raise DataNotFoundError(f"no such file {path}", field=field,
                                fix=f"give the path of a {what} file")
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise InvalidDataError(
            f"{path} is {size:,} bytes, more than the {max_bytes:,} bytes a {what} may have",
            field=field, fix=f"split it or give a smaller {what} file")
    return path


def utf8_position(data: bytes, offset: int) -> tuple[int, int]:
    """Return the 1-based (line, column) of byte ``offset`` in ``data``."""
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    return line, offset - start + 1


def first_bad_utf8(path: Path) -> tuple[int, int, int] | None:
    """Return (line, column, byte) of the first byte of ``path`` that is not UTF-8, or None.

    Reads the file in 1 MiB chunks (large trade files are never loaded whole).
    """
    line, carry = 1, b""
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            data = carry + chunk
            try:
                data.decode("utf-8")
                cut = len(data)
            except UnicodeDecodeError as err:
                if err.reason != "unexpected end of data" or err.start < len(data) - 4:
                    ln, col = utf8_position(data, err.start)
                    return line + ln - 1, col, data[err.start]
                cut = err.start  # a character split across chunks: decide with the next one
            head = data[:cut]
            last_nl = head.rfind(b"\n")
            line += head.count(b"\n")
            carry = data[last_nl + 1:] if last_nl >= 0 else data
    if carry:
        try:
            carry.decode("utf-8")
        except UnicodeDecodeError as err:
            return line, err.start + 1, carry[err.start]
    return None


def _not_utf8(path: Path, what: str) -> InvalidDataError:
    where = first_bad_utf8(path) if path.is_file() else None
    if where is None:
        return InvalidDataError(f"{path} is not UTF-8 text", field=str(path),
                                fix=f"save the {what} as UTF-8")
    line, col, byte = where
    return InvalidDataError(f"byte 0x{byte:02x} is not UTF-8 text",
                            field=f"{path}, line {line}, column {col}",
                            fix=f"save the {what} as UTF-8 (e.g. iconv -f latin1 -t utf-8)")


def read_text(path: Path, what: str, *, field: str = "PATH",
              max_bytes: int | None = None) -> str:
    """Read a UTF-8 text file (BOM allowed) after :func:`require_input`'s checks.

    Raises
    ------
    InvalidDataError
        Naming the line and column of the first byte that is not UTF-8.
    """
    require_input(path, what, field=field, max_bytes=max_bytes)
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line, col = utf8_position(data, err.start)
        raise InvalidDataError(f"byte 0x{data[err.start]:02x} is not UTF-8 text",
                               field=f"{path}, line {line}, column {col}",
                               fix=f"save the {what} as UTF-8") from None


_PANDAS_LINE = re.compile(r"line (\d+)")
#: What parsers raise on bytes that are not the format they read: bad zip containers
#: (xlsx), truncated or foreign binary files (Stata, Parquet), malformed CSV.
_PARSE_ERRORS: tuple[type[BaseException], ...] = (
    ValueError, TypeError, KeyError, IndexError, EOFError, OSError, zipfile.BadZipFile,
    struct.error, zlib.error,
    CalamineError, PasswordError, XmlError, ZipError)  # the calamine xlsx reader (anypair)


@cache
def _parse_errors() -> tuple[type[BaseException], ...]:
    """Return :data:`_PARSE_ERRORS` and openpyxl's, imported on the first failure.

    openpyxl takes a quarter of a second to import, and most commands never read a workbook.
    """
    from openpyxl.utils.exceptions import InvalidFileException

    return (*_PARSE_ERRORS, InvalidFileException)


def _describe(err: BaseException) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    return text[:300]


@contextmanager
def reading(path: Path, what: str, *, fix: str | None = None) -> Iterator[None]:
    """Turn any parser failure inside the block into one :class:`InvalidDataError`.

    Parameters
    ----------
    path
        The file being parsed (named in the error).
    what
        What the file should be, e.g. ``"KNOMAD workbook (.xlsx)"``.
    fix
        The fix to suggest; default: give a valid file of that kind.

    Notes
    -----
    :class:`GeoleverError` passes through unchanged (the reader's own, more precise
    errors). Everything a parser raises on bad bytes (``UnicodeDecodeError``, pandas
    ``ParserError``/``EmptyDataError``, ``zipfile.BadZipFile``, Arrow and Stata format
    errors, ``EOFError`` on truncated files, ``OSError``) becomes the one-line error.
    """
    hint = fix or f"give a valid {what}"
    try:
        yield
    except GeoleverError:
        raise
    except UnicodeDecodeError:
        raise _not_utf8(path, what) from None
    except RecursionError:
        raise InvalidDataError(f"{path} is nested too deeply to be a {what}",
                               field=str(path), fix=hint) from None
    except MemoryError:
        raise InvalidDataError(f"{path} is too large to read into memory", field=str(path),
                               fix="give a smaller file") from None
    except _parse_errors() as err:
        # pandas ParserError/EmptyDataError and pyarrow's ArrowInvalid are ValueErrors;
        # the message names the line where the parser knows it.
        message = _describe(err)
        match = _PANDAS_LINE.search(message)
        where = f"{path}, line {match.group(1)}" if match else str(path)
        raise InvalidDataError(f"cannot read it as a {what}: {message}", field=where,
                               fix=hint) from None


def finite(value: float, field: str, *, fix: str = "give a finite number") -> float:
    """Return ``value`` if it is a finite number, else raise :class:`InvalidDataError`."""
    if not math.isfinite(value):
        raise InvalidDataError(f"{value!r} is not a finite number", field=field, fix=fix)
    return value


#: Deepest nesting of mappings/lists accepted in a YAML or JSON document (a scenario needs
#: 4; thousands of levels used to end in a RecursionError).
MAX_NESTING = 32
#: Most YAML aliases (``*name``) accepted: each one can copy a whole subtree, so a few
#: dozen nested ones expand to billions of nodes ('billion laughs').
MAX_ALIASES = 50


def _where(origin: str, mark: Any) -> str:
    """``origin, line L, column C`` (1-based) of a YAML mark; ``origin`` if None."""
    return f"{origin}, line {mark.line + 1}, column {mark.column + 1}" if mark else origin


def load_yaml(text: str, origin: str) -> tuple[Any, yaml.Node | None]:
    """Parse a YAML document safely; return (data, root node for line numbers).

    The event stream is scanned first (the parser is iterative), so a document nested
    too deeply or full of aliases is refused at its line before the recursive composer
    or pydantic ever sees it.

    Raises
    ------
    InvalidDataError
        Naming ``origin``, the line and column, and the fix.
    """
    depth, aliases = 0, 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_NESTING:
                    raise InvalidDataError(
                        f"nested more than {MAX_NESTING} levels deep",
                        field=_where(origin, event.start_mark),
                        fix="a scenario needs only a few levels: check the indentation")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    raise InvalidDataError(
                        f"more than {MAX_ALIASES} YAML aliases",
                        field=_where(origin, event.start_mark),
                        fix="write the values out instead of repeating *aliases")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise InvalidDataError(f"malformed YAML: {getattr(err, 'problem', None) or err}",
                               field=_where(origin, getattr(err, "problem_mark", None)),
                               fix="check indentation, colons and quotes at that line") from None
    return data, root


def yaml_line(node: yaml.Node | None, path: Sequence[int | str]) -> int | None:
    """Line (1-based) of the YAML node at ``path`` (the deepest one found), None if unknown."""
    line = None if node is None else node.start_mark.line + 1
    for key in path:
        if isinstance(node, yaml.MappingNode):
            match = [v for k, v in node.value if k.value == key]
            node = match[0] if match else None
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            node = None
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def field_path(loc: Sequence[int | str], skip: Collection[str] = ()) -> str:
    """``levers[0].model.year`` for a pydantic error location (``skip``: tags, no fields)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part not in skip:
            out += f".{part}" if out else str(part)
    return out


#: The fix of the pydantic error types every schema shares.
SCHEMA_FIXES = {"missing": "add this field", "extra_forbidden": "remove it or check its spelling"}


def schema_error(err: ValidationError, origin: str, root: yaml.Node | None = None, *,
                 skip: Collection[str] = (), fixes: Mapping[str, str] | None = None,
                 error: type[GeoleverError] = InvalidDataError,
                 field_first: bool = False) -> GeoleverError:
    """One error for a document that fails its pydantic schema: its first problem.

    Parameters
    ----------
    err
        The validation error.
    origin
        The document as named in the error (a file, ``scenario``, ``body``).
    root
        Its YAML root node, to name the line (None: no line).
    skip
        Location parts that are no fields (a tagged union's tags).
    fixes
        Fixes by pydantic error type, besides :data:`SCHEMA_FIXES`; a validator's own fix
        travels in the error's context (``ctx["fix"]``).
    error
        The class of the error returned.
    field_first
        Name the place as ``origin, a.b[0], line L`` (a data file's field) instead of
        ``origin, line L, field a.b[0]`` (a scenario's).

    Returns
    -------
    GeoleverError
        Naming the place; the message says how many more problems follow.
    """
    problems = err.errors()
    first = problems[0]
    loc = tuple(p for p in first["loc"] if p not in skip)
    line = yaml_line(root, loc)
    at = f", line {line}" if line else ""
    place = (f"{origin}, {field_path(loc)}{at}" if field_first
             else f"{origin}{at}, field {field_path(loc)}")
    msg = str(first["msg"]).removeprefix("Value error, ")
    fix = (first.get("ctx") or {}).get("fix") or {**SCHEMA_FIXES, **(fixes or {})}.get(
        first["type"], "correct the value as described")
    more = f" ({len(problems) - 1} more problem(s) after this one)" if len(problems) > 1 else ""
    return error(msg + more, field=place, fix=str(fix))


def non_finite_path(data: Any, path: str = "") -> str | None:
    """Return the field path of the first NaN or infinite number in ``data``, or None.

    Walks mappings and lists iteratively (the depth is bounded by the parser's limits).
    """
    stack: list[tuple[str, Any]] = [(path, data)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            return where or "value"
        if isinstance(item, dict):
            stack.extend((f"{where}.{k}" if where else str(k), v)
                         for k, v in reversed(list(item.items())))
        elif isinstance(item, list):
            stack.extend((f"{where}[{i}]", v) for i, v in reversed(list(enumerate(item))))
    return None


class NumericOptions(BaseModel):
    """Constraints of numeric command-line options that no scenario field carries.

    ``geolever matrix``, ``ge`` and ``io`` validate their options with these fields
    (through :func:`geolever.cli.common.check_option`), as scenario fields are validated
    by their lever models: one pydantic rule per quantity, NaN and infinity refused.
    """

    model_config = ConfigDict(allow_inf_nan=False)

    sigma: float = Field(
        5.0, ge=1.1, le=50.0,
        description="elasticity of substitution, 1.1-50 (at 1.0000001 the trade elasticity "
        "1 - sigma is so near 0 that the price changes overflow to +-inf)")
    share: float = Field(1.0, ge=0.0, le=1.0, description="share of the link cut, 0-1")
    chunk: int = Field(1, ge=1, le=10_000_000, description="pairs per task, at least 1")


def check_option(option: str, value: Any, model: type[BaseModel], field: str) -> Any:
    """Validate a command-line ``value`` with ``model.field``'s own type and constraints.

    The same pydantic field validates the value in a YAML scenario and a web body, so the
    three entry points accept exactly the same values.

    Parameters
    ----------
    option
        The option as typed, e.g. ``"--draws"`` (named in the error).
    value
        The parsed value (None passes through: the option was not given).
    model, field
        The pydantic model and field whose rules apply.

    Raises
    ------
    InvalidDataError
        Naming the option and the rule, e.g. ``--draws: Input should be greater than or
        equal to 100``.
    """
    if value is None:
        return None
    info = model.model_fields[field]
    adapter: TypeAdapter[Any] = TypeAdapter(Annotated[info.annotation, info])  # type: ignore[arg-type]
    try:
        return adapter.validate_python(value)
    except ValidationError as err:
        first = err.errors()[0]
        msg = str(first["msg"]).removeprefix("Value error, ")
        raise InvalidDataError(msg, field=option,
                               fix=f"give a valid value ({info.description or field})") from None
