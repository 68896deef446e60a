"""Command-line interface (Typer + Rich)."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="geolever",
    help="Measure economic leverage between countries, with numbers and their sources.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def main() -> None:
    """Run the ``geolever`` command."""
    app()
