"""What every CLI command shares: consoles and the one way user errors are reported."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from geolever.core.errors import GeoleverError

#: Exit status of a user error (bad input or missing data), as for usage errors.
USER_ERROR = 2

console = Console()
err_console = Console(stderr=True)


def fail(err: GeoleverError) -> NoReturn:
    """Print a user error in one line on stderr (no traceback) and exit with status 2."""
    # Escaped: field names such as sigma[food] must not be read as Rich markup.
    err_console.print(f"[bold red]error:[/] {escape(str(err))}", highlight=False)
    raise typer.Exit(USER_ERROR) from None
