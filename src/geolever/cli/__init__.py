"""Command-line interface (Typer + Rich): the app and its commands' registration.

Each command's body lives in its own module, ``cli/<command>_cmd.py`` (``assess_cmd``,
``data_cmd``, ``levers_cmd``, ``schema_cmd``, ...); shared options in ``cli/options.py``.
"""

from __future__ import annotations

import typer

from geolever import __version__
from geolever.cli.assess_cmd import assess, demo, print_result
from geolever.cli.backtest_cmd import backtest_command
from geolever.cli.balance_cmd import balance
from geolever.cli.claims_cmd import claims_app
from geolever.cli.common import console, err_console, friendly_errors, run_cli
from geolever.cli.data_cmd import data_app
from geolever.cli.ge import ge_command
from geolever.cli.io_cmd import io_app
from geolever.cli.levers_cmd import levers
from geolever.cli.matrix_cmd import matrix_command
from geolever.cli.options import StoreOption, progress_bar, store_path
from geolever.cli.pack_cmd import pack_app
from geolever.cli.schema_cmd import schema_command
from geolever.cli.serve_cmd import serve_command

app = typer.Typer(
    name="geolever",
    help="Measure economic leverage between countries, with numbers and their sources.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(data_app, name="data")
app.add_typer(io_app, name="io", help="Input-output propagation on world input-output tables.")
app.add_typer(claims_app, name="claims", help="Fact-check the quantitative claims in a text.")
app.add_typer(pack_app, name="pack", help="Write and check your own case packs.")
app.command("ge", help="Run a general-equilibrium gravity counterfactual on a dataset file.")(
    ge_command
)
app.command("matrix", help="The all-pairs leverage matrix from stored trade flows.")(
    matrix_command
)
app.command(
    "schema",
    help="Print the JSON Schema of result.json, a scenario, a ge spec or a case pack's files.",
)(
    schema_command
)
app.command("assess")(assess)
app.command("demo")(demo)
app.command("balance")(balance)
app.command("levers")(levers)
app.command("backtest", help="Past episodes assessed as of the year before vs the outcome.")(
    backtest_command
)
app.command("serve", help="Start the web API and dashboard (127.0.0.1:8000 by default).")(
    serve_command
)


@app.command()
def version() -> None:
    """Print the geolever version."""
    console.print(__version__)


def main() -> None:
    """Run the ``geolever`` command (user errors: one line, exit status 2)."""
    raise SystemExit(run_cli(app))


__all__ = ["StoreOption", "app", "console", "err_console", "friendly_errors", "main",
           "print_result", "progress_bar", "store_path"]
