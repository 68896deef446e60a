"""How uvicorn serves the app: a header-read timeout, and a background server for tests.

uvicorn times idle keep-alive connections but not a request whose headers arrive slowly
(slowloris): one byte every few seconds holds a connection for ever. :func:`server_options`
gives the settings ``geolever serve`` and :func:`serve_in_background` run with: uvicorn's
h11 protocol with a deadline for each request's headers (:func:`header_timeout_protocol`)
and h11's cap on an incomplete request head (64 KiB).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import h11
import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http.h11_impl import H11Protocol

#: Seconds a client has to send a request's line and headers (from the connection's start,
#: or from the end of the previous response on a kept-alive connection).
HEADER_TIMEOUT_S = 10.0
#: Largest request head (line + headers) h11 buffers before answering 400.
MAX_HEAD_BYTES = 64 * 1024
#: Seconds an idle kept-alive connection stays open.
KEEP_ALIVE_S = 5

_TIMEOUT_RESPONSE = (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
                     b"connection: close\r\ncontent-length: %d\r\n\r\n%s")
_TIMEOUT_BODY = (b'{"error": "RequestTimeout", "message": "the request headers did not arrive '
                 b'in time", "field": "headers", "fix": "send the whole request head at once"}')


class _HeaderTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for the request line and headers."""

    header_timeout_s = HEADER_TIMEOUT_S
    _head_timer: asyncio.TimerHandle | None = None

    def _arm(self) -> None:
        self._disarm()
        self._head_timer = self.loop.call_later(self.header_timeout_s, self._head_timed_out)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _waiting_for_head(self) -> bool:
        return self.conn.their_state is h11.IDLE

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or not self._waiting_for_head():
            return
        if self.conn.our_state is h11.IDLE:  # nothing sent on this cycle yet: say why
            self.transport.write(_TIMEOUT_RESPONSE % (len(_TIMEOUT_BODY), _TIMEOUT_BODY))
        self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock for the first request's head."""
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        """Feed h11; stop the clock once the head is complete."""
        super().data_received(data)
        if not self._waiting_for_head():
            self._disarm()

    def on_response_complete(self) -> None:
        """Start the clock for the next request's head on a kept-alive connection."""
        super().on_response_complete()
        if not self.transport.is_closing() and self._waiting_for_head():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the clock."""
        self._disarm()
        super().connection_lost(exc)


def header_timeout_protocol(timeout_s: float = HEADER_TIMEOUT_S) -> type[H11Protocol]:
    """Return uvicorn's h11 protocol class with a ``timeout_s`` deadline for request heads.

    A connection whose request line and headers are not complete ``timeout_s`` seconds after
    it opened (or after the previous response on a kept-alive connection) is answered 408
    and closed; a slow body is the app's business (:class:`~geolever.web.middleware`).
    """
    if not timeout_s > 0:
        raise ValueError("timeout_s must be > 0")
    return type("HeaderTimeoutProtocol", (_HeaderTimeoutProtocol,),
                {"header_timeout_s": float(timeout_s)})


def server_options(header_timeout_s: float = HEADER_TIMEOUT_S) -> dict[str, Any]:
    """Return the uvicorn settings of every geolever server (``uvicorn.run`` kwargs)."""
    return {"http": header_timeout_protocol(header_timeout_s),
            "timeout_keep_alive": KEEP_ALIVE_S,
            "h11_max_incomplete_event_size": MAX_HEAD_BYTES}


@contextmanager
def serve_in_background(
    app: FastAPI,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    log_level: str = "warning",
    timeout_s: float = 30.0,
    header_timeout_s: float = HEADER_TIMEOUT_S,
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
    header_timeout_s
        Seconds a client has to send a request's line and headers (see
        :func:`header_timeout_protocol`).

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
                                           **server_options(header_timeout_s)))
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
