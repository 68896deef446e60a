"""All-or-nothing outputs: paths checked before any work, files renamed into place.

Every command that writes files (``assess --out``, ``claims check --out``, ``data
export``, ``matrix --out``, ``ge --out``, ``io --out-dir``) checks its output path with
:func:`check_output_dir` / :func:`check_output_file` before it computes anything, so a bad
path costs nothing and changes nothing (not even the store). Reports are then written by
:func:`write_tree`: every file into a temporary folder beside ``--out``, then renamed into
place, each name resolved and checked to stay inside ``--out``. Files get the usual
``0666 & ~umask`` mode (``tempfile.mkstemp`` would leave them 0600).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from geolever.core.errors import OutputError

_FIX_DIR = "choose a folder that is writable (not an existing file)"


def _first_existing(path: Path) -> Path:
    for folder in (path, *path.parents):
        if folder.exists():
            return folder
    return Path("/")


def check_output_dir(out: Path, option: str = "--out",
                     names: list[str] | None = None) -> Path:
    """Check that folder ``out`` can be created or written, before any work is done.

    Parameters
    ----------
    out
        The output folder (need not exist yet).
    option
        The option naming it, for the error.
    names
        Relative names that will be written; each must stay inside ``out``. A file name
        must not exist there as a folder; a folder name (ending in ``/``, e.g.
        ``charts/``) must not exist there as a file. Existing files are replaced.

    Raises
    ------
    OutputError
        Naming the option, the path and the fix.
    """
    base = _first_existing(out.absolute())
    if not base.is_dir():
        raise OutputError(f"{base} is a file, so the folder {out} cannot be created",
                          field=f"{option} {out}", fix=_FIX_DIR)
    if not os.access(base, os.W_OK | os.X_OK):
        raise OutputError(f"{base} is not writable", field=f"{option} {out}", fix=_FIX_DIR)
    root = out.absolute().resolve()
    for name in names or []:
        target = (root / name).resolve()
        if not target.is_relative_to(root) or Path(name).is_absolute():
            raise OutputError(f"the output name {name!r} leads outside {out}",
                              field=f"{option} {out}",
                              fix="use ids of letters, digits, '_', '.' and '-'")
        if name.endswith("/"):
            if target.exists() and not target.is_dir():
                raise OutputError(f"{target} exists and is a file", field=f"{option} {out}",
                                  fix=f"remove or rename the file {target}, or choose "
                                  f"another {option}")
        elif target.is_dir():
            raise OutputError(f"{target} exists and is a folder", field=f"{option} {out}",
                              fix=f"remove or rename the folder {target}, or choose another "
                              f"{option}")
    return out


def check_writable(out: Path) -> bool:
    """Return whether folder ``out`` exists or can be created and written."""
    try:
        check_output_dir(out)
    except OutputError:
        return False
    return True


def check_output_file(path: Path, option: str) -> Path:
    """Check that file ``path`` can be written (its folder creatable), before any work."""
    if path.is_dir():
        raise OutputError(f"{path} is a folder", field=f"{option} {path}",
                          fix="give a file name, e.g. " + str(path / "out.parquet"))
    check_output_dir(path.parent, option)
    return path


def _mode(full: int = 0o666) -> int:
    """``full & ~umask``: the mode an ordinary ``open()``/``mkdir()`` would give."""
    mask = os.umask(0)
    os.umask(mask)
    return full & ~mask


def write_tree(out: Path, files: Mapping[str, str | bytes], *,
               option: str = "--out") -> dict[str, Path]:
    """Write ``files`` (relative name -> content) into folder ``out``, all or nothing.

    Everything is written into a temporary folder beside ``out`` first. A new ``out`` is
    then that folder renamed; into an existing one each file is renamed into place (a
    rename within one file system is atomic), so a failure while writing leaves ``out``
    as it was.

    Raises
    ------
    OutputError
        A name leading outside ``out``, a folder where a file goes, or an unwritable path.
    """
    check_output_dir(out, option, list(files))
    out = out.absolute()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp"))
    except OSError as err:
        raise OutputError(f"cannot write into {out.parent}: {err.strerror or err}",
                          field=f"{option} {out}", fix=_FIX_DIR) from None
    mode = _mode()
    try:
        for name, content in files.items():
            target = tmp / name
            target.parent.mkdir(parents=True, exist_ok=True)
            data = content.encode("utf-8") if isinstance(content, str) else content
            target.write_bytes(data)
            target.chmod(mode)
        if not out.exists():
            for folder in (tmp, *(p for p in tmp.rglob("*") if p.is_dir())):
                folder.chmod(_mode(0o777))  # mkdtemp made it 0700
            os.rename(tmp, out)
        else:
            for name in files:
                (out / name).parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp / name, out / name)
            shutil.rmtree(tmp, ignore_errors=True)
    except OSError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(f"cannot write {err.filename or out}: {err.strerror or err}",
                          field=f"{option} {out}", fix=_FIX_DIR) from None
    return {name: out / name for name in files}


def written_summary(out: Path, written: Mapping[str, Path]) -> str:
    """One line naming what :func:`write_tree` wrote into ``out``, for the CLI.

    Files directly in ``out`` are named; files in a sub-folder are counted per folder
    (``charts/ (2 files)``).
    """
    top = sorted(name for name in written if "/" not in name)
    folders: dict[str, int] = {}
    for name in written:
        if "/" in name:
            folder = name.split("/", 1)[0] + "/"
            folders[folder] = folders.get(folder, 0) + 1
    parts = top + [f"{folder} ({n} file{'s' if n != 1 else ''})"
                   for folder, n in sorted(folders.items())]
    return f"wrote {out}{os.sep}: {', '.join(parts)}"


@contextmanager
def output_file(path: Path, option: str) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` when the block succeeds.

    For writers that want a file name (DuckDB ``COPY``, pandas, matplotlib): a failure
    leaves no half-written file, and the result gets the umask's usual mode.
    """
    check_output_file(path, option)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                    suffix=path.suffix)
    except OSError as err:
        raise OutputError(f"cannot write into {path.parent}: {err.strerror or err}",
                          field=f"{option} {path}", fix=_FIX_DIR) from None
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()  # writers such as DuckDB's COPY want to create the file themselves
    try:
        yield tmp
        tmp.chmod(_mode())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
