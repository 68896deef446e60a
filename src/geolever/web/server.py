"""Run the app with uvicorn in a background thread (tests, benchmarks, notebooks)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI


@contextmanager
def serve_in_background(
    app: FastAPI,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    log_level: str = "warning",
    timeout_s: float = 30.0,
) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a daemon thread; yield its base URL; stop it on exit.

    Parameters
    ----------
    app
        The application (e.g. from :func:`geolever.web.create_app`).
    host
        Interface to bind (loopback by default).
    port
        TCP port; 0 picks a free one (the socket is bound before the thread starts, so
        there is no race for it).
    log_level
        uvicorn's log level.
    timeout_s
        Seconds to wait for the server to start, and to stop.

    Yields
    ------
    str
        The base URL, e.g. ``http://127.0.0.1:41234``.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level=log_level, lifespan="on",
                                           timeout_keep_alive=5))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"uvicorn-{bound}", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + timeout_s
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError(f"uvicorn did not start on {host}:{bound}")
        time.sleep(0.02)
    shown = f"[{host}]" if ":" in host else host
    try:
        yield f"http://{shown}:{bound}"
    finally:
        server.should_exit = True
        thread.join(timeout_s)
        sock.close()
