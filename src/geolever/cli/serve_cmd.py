"""``geolever serve``: the web API and dashboard (FastAPI app run by uvicorn)."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from geolever.cli.common import fail

console = Console(stderr=True)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve_command(
    host: Annotated[
        str,
        typer.Option(
            help="Interface to bind; the API has no authentication, "
            "so keep the loopback default unless behind a proxy"
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port")] = 8000,
    store: Annotated[
        Path | None,
        typer.Option(
            "--store",
            help="DuckDB store file shared by all jobs (default: $GEOLEVER_STORE or the "
            "user data folder); other processes cannot write it while the server runs",
        ),
    ] = None,
    memory: Annotated[
        bool, typer.Option("--memory", help="Keep the store in memory (shipped case packs only)")
    ] = False,
    max_jobs: Annotated[int, typer.Option(min=1, max=64, help="Assessments running at once")] = 2,
    max_queue: Annotated[
        int,
        typer.Option(min=0, max=1000, help="Assessments waiting for a worker; more get HTTP 429"),
    ] = 16,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option(
            "--cors-origin",
            help="Allow browser calls from this origin (repeatable); CORS is off by default",
        ),
    ] = None,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help="Also answer requests for this Host name (repeatable; the loopback names "
            "and a non-wildcard --host are always allowed; '*' turns the check off)",
        ),
    ] = None,
    claims_budget: Annotated[
        float, typer.Option(min=1, max=3600, help="Seconds a claims check may run")
    ] = 20.0,
    log_level: Annotated[str, typer.Option(help="uvicorn log level")] = "info",
) -> None:
    """Serve the web API (OpenAPI schema at /api/openapi.json) and the dashboard at /."""
    import duckdb
    import uvicorn

    from geolever.cli import store_path  # here, not at the top: geolever.cli imports us
    from geolever.core.errors import GeoleverError
    from geolever.web import create_app
    from geolever.web.middleware import LOOPBACK_HOSTS
    from geolever.web.server import server_options

    path: str | Path = ":memory:" if memory else store_path(store)
    if not _is_loopback(host):
        console.print(
            f"[bold yellow]warning:[/] binding to {escape(host)}: anyone who can reach this "
            "address can run assessments (there is no authentication)"
        )
    try:
        app = create_app(
            store_path=path,
            max_jobs=max_jobs,
            max_queue=max_queue,
            cors_origins=cors_origin or None,
            allowed_hosts=[*LOOPBACK_HOSTS, *([host] if host not in ("0.0.0.0", "::") else []),
                           *(allowed_host or [])],
            claims_budget_s=claims_budget,
        )
    except GeoleverError as err:
        fail(err)
    except duckdb.Error as err:  # typically: another process holds the store file's lock
        console.print(
            f"[bold red]error:[/] --store {escape(str(path))}: cannot open the store "
            f"({escape(str(err))}). Fix: stop "
            "the other geolever process using it, or pass another --store, or --memory",
            highlight=False,
        )
        raise typer.Exit(2) from None
    shown = f"[{host}]" if ":" in host else host
    console.print(f"geolever dashboard on http://{shown}:{port}/ (store: {path}); Ctrl-C stops it")
    # keep-alive connections idle for 5 s are closed, request heads have 10 s
    # (geolever.web.server), request bodies are timed by the app
    uvicorn.run(app, host=host, port=port, log_level=log_level, workers=1,
                **server_options())
