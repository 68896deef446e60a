"""Options and helpers the CLI commands share: the store option and progress bars."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from geolever.cli.common import err_console
from geolever.store import default_store_path

StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="DuckDB store file (default: $GEOLEVER_STORE, else the user "
                 "data folder)"),
]


def store_path(option: Path | None) -> Path:
    """Return the store file to use: the option, $GEOLEVER_STORE, or the default location.

    An empty ``$GEOLEVER_STORE`` counts as unset (it used to name the current folder).
    """
    return option or Path(os.environ.get("GEOLEVER_STORE") or default_store_path())


@contextmanager
def progress_bar(total: int, what: str) -> Iterator[Callable[[int], None]]:
    """Show a Rich progress bar; yield the callback that advances it."""
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                  console=err_console, transient=False) as bar:
        task = bar.add_task(what, total=total)
        yield lambda n: bar.advance(task, n)
