"""ASGI middleware of the web app: Host allow-list, body limit and read timeout, headers.

Pure ASGI classes (no per-request task or response buffering): they run before FastAPI
reads anything, so a refused request costs almost nothing.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from geolever.web.schemas import ErrorBody

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Host names the API answers by default: the loopback ones (DNS rebinding makes a
#: browser send a page's own, foreign host name to 127.0.0.1; it is refused).
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
#: Seconds the server waits for the next piece of a request body; a client that
#: declares more bytes than it sends is answered 408 instead of holding a connection.
READ_TIMEOUT_S = 10.0
_DRAIN_FACTOR = 16  # an over-limit body up to 16x the limit is read and dropped

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


async def send_error(send: Send, status: int, body: ErrorBody, *,
                     close: bool = True) -> None:
    """Send a JSON error response (the API's common error shape)."""
    data = json.dumps(body.content()).encode()
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(data)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


def host_name(header: str) -> str:
    """Return the host of a ``Host`` header without its port (``[::1]:8000`` -> ``::1``)."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class HostAllowMiddleware:
    """Answer 400 unless the request's ``Host`` is one of ``allowed`` (ports ignored).

    Starlette's ``TrustedHostMiddleware`` splits the header at the first ``:``, which
    turns every IPv6 literal into ``[`` (``[::1]:8000`` never matches); hence this one.
    """

    def __init__(self, app: ASGIApp, allowed: Iterable[str]):
        self.app = app
        self.allowed = frozenset(host_name(h) for h in allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, or refuse a foreign Host."""
        if scope["type"] not in ("http", "websocket") or "*" in self.allowed:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        host = host_name(headers.get(b"host", b"").decode("latin-1"))
        if host in self.allowed:
            await self.app(scope, receive, send)
            return
        await send_error(send, 400, ErrorBody(
            error="BadHost", message=f"host {host or '(none)'!r} is not served here",
            field="Host",
            fix="call the API by one of its host names: " + ", ".join(sorted(self.allowed))
            + " (geolever serve --allowed-host adds one)"))


class SecurityHeadersMiddleware:
    """Add nosniff, no-referrer and the Content-Security-Policy to every response."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to the response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(b"x-content-type-options", b"nosniff"),
                         (b"referrer-policy", b"no-referrer"),
                         (b"content-security-policy", CSP.encode())]
                message["headers"] = [*message.get("headers", []),
                                      *((k, v) for k, v in extra if k not in names)]
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimitMiddleware:
    """Read request bodies first: over ``max_bytes`` -> 413, stalled -> 408.

    The whole body (declared by Content-Length or chunked) is read here, each piece
    within ``read_timeout_s``, and replayed to the app: a client that declares more than
    it sends, or trickles its body, no longer holds a connection (and a worker) forever.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, read_timeout_s: float = READ_TIMEOUT_S):
        self.app, self.max_bytes, self.read_timeout_s = app, max_bytes, read_timeout_s

    def _body(self, status: int, message: str) -> ErrorBody:
        return ErrorBody(
            error={413: "PayloadTooLarge", 408: "RequestTimeout"}.get(status, "BadRequest"),
            message=message,
            field="body",
            fix=f"send at most {self.max_bytes} bytes" if status != 408 else
            "send the whole body promptly (its Content-Length must match it)",
        )

    async def _refuse(self, receive: Receive, send: Send, status: int, message: str,
                      more: bool) -> None:
        # Read (and drop) what the client is still sending, up to a cap: closing a socket
        # with unread data makes TCP reset it, and the client would never see the 413.
        drained = 0
        while more and drained < _DRAIN_FACTOR * self.max_bytes:
            try:
                msg = await asyncio.wait_for(receive(), self.read_timeout_s)
            except TimeoutError:
                break
            if msg["type"] != "http.request":
                break
            drained += len(msg.get("body", b""))
            more = msg.get("more_body", False)
        await send_error(send, status, self._body(status, message))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on with its body read, or answer 413/408/400."""
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            try:
                size = int(declared)
                if size < 0:
                    raise ValueError(size)
            except ValueError:
                await send_error(send, 400, self._body(400, "invalid Content-Length header"))
                return
            if size > self.max_bytes:
                await self._refuse(
                    receive, send, 413, f"request body of {size} bytes is larger than the "
                    f"limit of {self.max_bytes} bytes", size <= _DRAIN_FACTOR * self.max_bytes)
                return
        chunks, size = [], 0
        while True:
            try:
                message = await asyncio.wait_for(receive(), self.read_timeout_s)
            except TimeoutError:
                await send_error(send, 408, self._body(
                    408, f"the request body did not arrive within {self.read_timeout_s:g} s "
                    f"({size} bytes received"
                    + (f" of {int(declared)} declared)" if declared is not None else ")")))
                return
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_bytes:
                await self._refuse(receive, send, 413, "request body is larger than the "
                                   f"limit of {self.max_bytes} bytes",
                                   message.get("more_body", False))
                return
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
