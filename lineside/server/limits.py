"""What keeps the server answering whatever clients do: size limits, timeouts, headers, 500s.

ASGI middlewares (body limit, security headers, the catch-all for surprises) and uvicorn's
HTTP protocol with deadlines for a request's head and body (docs/sync-api.md, Limits).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import h11
from starlette.requests import ClientDisconnect
from uvicorn.protocols.http.h11_impl import H11Protocol

from lineside.domain.sync import MAX_BODY_BYTES

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

HEAD_TIMEOUT_S = float(os.environ.get("LINESIDE_SERVER_HEAD_TIMEOUT_S", "10"))
"""A connection must deliver a request's whole head this soon after it opens or after the
previous answer (an idle connection is closed then, too)."""
BODY_TIMEOUT_S = float(os.environ.get("LINESIDE_SERVER_BODY_TIMEOUT_S", "30"))
"""A request's body must be in this soon after its head (else 408 and the connection closes)."""
IDLE_TIMEOUT_S = 5.0
"""uvicorn's keep-alive: an idle connection between requests is closed after this."""
MAX_HEAD_BYTES = 16 * 1024
"""Request line and headers at most (h11's limit; a larger head gets 400)."""
AUTH_FAILURES = 20
AUTH_WINDOW_S = 60.0
"""More than AUTH_FAILURES wrong tokens from one address in AUTH_WINDOW_S seconds: 429."""


def _problem_body(detail: str) -> bytes:
    return json.dumps({"detail": detail}).encode()


async def send_problem(
    send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    """Answer a JSON problem straight from ASGI."""
    body = _problem_body(detail)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyTooLargeError(Exception):
    """The request's body passed the limit while it was read."""


class BodyLimit:
    """413 for a body over `max_bytes`: by its Content-Length, or while it arrives."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared > self.max_bytes:
                    await self._refuse(send)
                    return
        seen = 0
        started = False

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLargeError
            return message

        async def watching(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited, watching)
        except BodyTooLargeError:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        await send_problem(
            send,
            413,
            f"the request body is larger than {self.max_bytes} bytes; send smaller batches",
            [(b"connection", b"close")],
        )


class SecurityHeaders:
    """nosniff everywhere, no-store on API answers that set no caching, HSTS over HTTPS."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY")]
        no_store = scope["path"].startswith("/api/")
        if scope.get("scheme") == "https":
            extra.append((b"strict-transport-security", b"max-age=31536000"))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), *extra]
                # An answer that says how to cache itself (an asset: immutable) keeps that.
                if no_store and not any(name.lower() == b"cache-control" for name, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class CatchAll:
    """A surprise is a JSON 500 (not uvicorn's text and traceback), logged in full once per kind."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._seen: set[tuple[str, str]] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watching(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watching)
        except BodyTooLargeError:
            raise  # BodyLimit answers it
        except ClientDisconnect:
            log.info(
                "%s %s: the client left before its body was in",
                scope["method"],
                scope["path"][:200],
            )
        except Exception as exc:
            kind = (type(exc).__name__, scope.get("route_path", scope["path"][:40]))
            if kind in self._seen:
                log.error(  # noqa: TRY400 - the traceback of this kind is in the log already
                    "%s %s: %s (traceback logged before)",
                    scope["method"],
                    scope["path"][:200],
                    kind[0],
                )
            else:
                self._seen.add(kind)
                log.exception("%s %s: unexpected error", scope["method"], scope["path"][:200])
            if not started:
                await send_problem(send, 500, "the server failed unexpectedly; it is logged")


class AuthFailures:
    """Counts wrong tokens per client address; past the limit the address gets 429 for a while."""

    def __init__(self, limit: int = AUTH_FAILURES, window_s: float = AUTH_WINDOW_S) -> None:
        self.limit = limit
        self.window_s = window_s
        self._lock = threading.Lock()
        self._failures: dict[str, list[float]] = {}

    def blocked_for(self, client: str, now: float | None = None) -> float:
        """Seconds until `client` may try again (0: it may now)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            recent = self._recent(client, now)
            if len(recent) < self.limit:
                return 0.0
            return max(0.0, recent[-self.limit] + self.window_s - now)

    def failed(self, client: str, station_id: str, why: str, now: float | None = None) -> None:
        """Record and log a wrong token (the token itself never)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            recent = self._recent(client, now)
            recent.append(now)
            count = len(recent)
        if count <= self.limit:
            log.warning(
                "auth: %s for station %r from %s (%d in %g s)",
                why,
                station_id[:80],
                client,
                count,
                self.window_s,
            )
        if count == self.limit:
            log.warning(
                "auth: %s is refused (429) for %g s after %d failures", client, self.window_s, count
            )

    def _recent(self, client: str, now: float) -> list[float]:
        times = [t for t in self._failures.get(client, ()) if t > now - self.window_s]
        self._failures[client] = times[-self.limit :]
        if len(self._failures) > 10_000:  # many addresses: forget the quiet ones
            for quiet in [c for c, ts in self._failures.items() if not ts]:
                del self._failures[quiet]
        return self._failures[client]


class GuardedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with deadlines for a request's head and its body.

    uvicorn's own keep-alive timer starts only after a first answer and stops at the first
    byte: a client that opens a connection and sends nothing, or one header byte a second,
    would hold it forever.
    """

    _head_timer: asyncio.TimerHandle | None = None
    _body_timer: asyncio.TimerHandle | None = None
    _cycle_seen: object = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        cycle = self.cycle
        if cycle is not None and cycle is not self._cycle_seen:
            self._cycle_seen = cycle  # a new request's head is in
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None
            if cycle.more_body:
                self._body_timer = self.loop.call_later(BODY_TIMEOUT_S, self._body_too_slow)
        if cycle is not None and not cycle.more_body and self._body_timer is not None:
            self._body_timer.cancel()
            self._body_timer = None

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_head()

    def _arm_head(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        self._head_timer = self.loop.call_later(HEAD_TIMEOUT_S, self._head_too_slow)

    def _cancel(self) -> None:
        for timer in (self._head_timer, self._body_timer):
            if timer is not None:
                timer.cancel()
        self._head_timer = self._body_timer = None

    def _head_too_slow(self) -> None:
        self._head_timer = None
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete and cycle is self._cycle_seen:
            return  # a request is being answered
        if not self.transport.is_closing():
            self.transport.close()

    def _body_too_slow(self) -> None:
        self._body_timer = None
        cycle = self.cycle
        if cycle is None or self.transport.is_closing():
            return
        if not cycle.response_started and self.conn.our_state is h11.SEND_RESPONSE:
            body = _problem_body(f"the request body did not arrive within {BODY_TIMEOUT_S:g} s")
            headers = [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ]
            self.transport.write(self.conn.send(h11.Response(status_code=408, headers=headers)))
            self.transport.write(self.conn.send(h11.Data(data=body)))
            self.transport.write(self.conn.send(h11.EndOfMessage()))
            cycle.response_started = cycle.response_complete = True
        cycle.disconnected = True
        cycle.message_event.set()
        self.transport.close()
