"""A fault-injecting HTTP/1.1 proxy between a station and the server, on loopback.

It forwards each request to the real server unless a fault says otherwise. The faults are
what plant networks and servers do: refuse connections, drop the answer after the server
committed, answer 500, 503 or 429 (with Retry-After), delay, or deliver a request twice.
It runs its own asyncio loop on a thread, so tests and station processes of any kind can
use it, and it is stopped (thread joined) by the test that started it.

Each request goes to the server on a connection of its own (the server's idle keep-alive
connections time out, and a stale one would drop a request no fault asked to drop). Every
exchange is logged with when the proxy got the request and when it answered, so tests can
check the order of attempts (`Retry-After` honoured) without timing anything themselves.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import socket
import struct
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

LOOP_DEADLINE = 10.0
"""Seconds a call into the proxy's loop may take (listen, close, stop)."""


class Fault(enum.Enum):
    """What the proxy does with one request."""

    FORWARD = "forward"
    RESET = "reset"  # reset the connection (RST) before the server sees the request
    DROP_AFTER_COMMIT = "drop_after_commit"  # forward, let the server commit, send nothing
    ERROR_500 = "error_500"
    UNAVAILABLE_503 = "unavailable_503"  # with Retry-After
    TOO_MANY_429 = "too_many_429"  # with Retry-After
    DELAY = "delay"  # forward after a delay
    DUPLICATE = "duplicate"  # forward twice, answer with the second answer


@dataclass
class Request:
    """One HTTP request as read off the wire."""

    method: str
    path: str
    head: bytes = field(repr=False)  # it carries the station's token
    body: bytes = field(repr=False)


@dataclass
class Response:
    """One HTTP response as read from the server."""

    status: int
    raw: bytes


@dataclass
class Exchange:
    """What happened to one request (for assertions and for the kill tests' timing).

    `status` is the server's answer (or the proxy's canned one), None when there was none.
    `received`/`answered` are `time.monotonic()` values; `received_at` is the wall clock
    (UTC) when the request was read, comparable with the engine's `next_attempt_at`.
    `answered` is None when the client got no answer (reset, dropped, it gave up waiting);
    it is taken just before the answer is written, so a client never sees it unset.
    """

    request: Request
    fault: Fault
    status: int | None
    received: float
    received_at: datetime
    answered: float | None = None


Policy = Callable[[Request], Fault]


@dataclass
class FaultPlan:
    """Faults for the coming requests: a queue first, then a default policy."""

    queue: deque[Fault] = field(default_factory=deque)
    policy: Policy | None = None
    retry_after_s: int = 1
    delay_s: float = 0.5

    def next(self, request: Request) -> Fault:
        """The fault for this request."""
        if self.queue:
            return self.queue.popleft()
        return self.policy(request) if self.policy else Fault.FORWARD


class ProxyError(Exception):
    """The proxy met HTTP it does not handle; recorded in `FaultProxy.errors`."""


def _content_length(head: bytes) -> int | None:
    length = None
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value.strip())
        elif name == b"transfer-encoding" and value.strip().lower() != b"identity":
            raise ProxyError(f"transfer-encoding {value.strip()!r} is not supported")
    return length


async def _read_message(reader: asyncio.StreamReader) -> tuple[bytes, bytes] | None:
    """Head and body of one HTTP/1.1 message (Content-Length bodies only), None at EOF."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    length = _content_length(head) or 0
    try:
        body = await reader.readexactly(length) if length else b""
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    return head, body


def _canned(status: int, reason: str, retry_after_s: int | None) -> bytes:
    body = f'{{"detail": "{reason} (injected by the test proxy)"}}'.encode()
    headers = [
        f"HTTP/1.1 {status} {reason}",
        "content-type: application/json",
        f"content-length: {len(body)}",
    ]
    if retry_after_s is not None:
        headers.append(f"retry-after: {retry_after_s}")
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + body


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close the connection with a TCP RST (SO_LINGER 0), as a crashed host or firewall does."""
    _abort_with_reset(writer.transport)


def _abort_with_reset(transport: asyncio.BaseTransport) -> None:
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()  # type: ignore[attr-defined]


def _holds_socket(transport: asyncio.BaseTransport) -> bool:
    sock = transport.get_extra_info("socket")
    return sock is not None and sock.fileno() != -1


class _Accepted(asyncio.StreamReaderProtocol):
    """asyncio's stream protocol that tells the proxy of a connection the moment it is
    accepted, before its handler task first runs: a connection accepted just before the
    proxy goes down is reset and closed with the others instead of leaking its socket."""

    def __init__(self, proxy: FaultProxy) -> None:
        super().__init__(asyncio.StreamReader(), proxy._handle)
        self._proxy = proxy

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        self._proxy._accepted.add(transport)
        self._proxy._transports.add(transport)


class FaultProxy:
    """The proxy; `start()` listens on 127.0.0.1 and returns its URL."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.plan = FaultPlan()
        self.exchanges: list[Exchange] = []
        self.counts: Counter[Fault] = Counter()
        self.errors: list[BaseException] = []
        """Unexpected failures inside the proxy (a test should find none)."""
        self.on_committed: Callable[[Request, Response], None] | None = None
        """Called on the proxy's thread when the server has answered a DROP_AFTER_COMMIT
        request, before the client's connection is closed (kill tests)."""
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fault-proxy")
        self._server: asyncio.Server | None = None
        self._lock = threading.Lock()
        self._handlers: dict[asyncio.Task[None], asyncio.StreamWriter] = {}
        self._transports: set[asyncio.BaseTransport] = set()
        """Every connection the proxy opened or accepted that may still hold a socket."""
        self._accepted: set[asyncio.BaseTransport] = set()
        """Client connections, from the moment they were accepted."""
        self._connecting: set[asyncio.Future[Any]] = set()
        self._in_flight = 0

    @property
    def url(self) -> str:
        """Where stations should send their requests."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> str:
        """Start the loop thread and listen; returns the URL."""
        self._thread.start()
        self._call(self._listen())
        return self.url

    def _call(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(LOOP_DEADLINE)

    async def _listen(self) -> None:
        if self._server is not None:
            return
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(lambda: _Accepted(self), "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _close_listener(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _drop_connections(self) -> None:
        """Reset every open client connection and end its handler (requests in flight too)."""
        for task, writer in list(self._handlers.items()):
            _reset(writer)
            task.cancel()
        for transport in list(self._accepted):  # accepted, its handler not started yet
            if not transport.is_closing():
                _abort_with_reset(transport)
        self._accepted.clear()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        # A handler whose connection was reset before it first ran ends on its next step.
        current = asyncio.current_task()
        pending = [t for t in asyncio.all_tasks() if t is not current]
        if pending:
            await asyncio.wait(pending, timeout=LOOP_DEADLINE / 4)

    async def _go_down(self) -> None:
        await self._close_listener()
        await self._drop_connections()

    async def _sockets_closed(self) -> None:
        """Abort what is left and wait until every socket is closed.

        A transport closes its socket on a later loop iteration, and a connection to the
        server that was being opened when its handler was cancelled is closed by asyncio
        itself: stopping the loop before then leaks the socket (a ResourceWarning).
        """
        for transport in self._transports:
            if not transport.is_closing():
                transport.abort()  # type: ignore[attr-defined]
        await asyncio.gather(*self._connecting, return_exceptions=True)
        deadline = time.monotonic() + LOOP_DEADLINE / 2
        # A transport has no "closed" event to await: poll until its socket is gone.
        while time.monotonic() < deadline and any(  # noqa: ASYNC110
            _holds_socket(t) for t in self._transports
        ):
            await asyncio.sleep(0.01)
        self._transports.clear()

    def refuse_connections(self) -> None:
        """The server host goes down: open connections are reset, new ones refused."""
        self._call(self._go_down())

    def accept_connections(self) -> None:
        """Listen again on the same port."""
        self._call(self._listen())

    def set_faults(
        self,
        *faults: Fault,
        policy: Policy | None = None,
        retry_after_s: int | None = None,
        delay_s: float | None = None,
    ) -> None:
        """Queue faults for the next requests; `policy` decides for the ones after."""
        with self._lock:
            self.plan.queue = deque(faults)
            self.plan.policy = policy
            if retry_after_s is not None:
                self.plan.retry_after_s = retry_after_s
            if delay_s is not None:
                self.plan.delay_s = delay_s

    @property
    def in_flight(self) -> int:
        """Requests read from a client and not finished with yet (a delayed one, say)."""
        with self._lock:
            return self._in_flight

    def log(self) -> list[Exchange]:
        """A copy of the exchanges so far, in the order the proxy got the requests."""
        with self._lock:
            return sorted(self.exchanges, key=lambda e: e.received)

    def stop(self) -> None:
        """Close everything and join the thread (also when it was never started)."""
        if self._loop.is_closed():
            return
        if self._thread.is_alive():

            async def shutdown() -> None:
                await self._go_down()
                await self._sockets_closed()

            try:
                self._call(shutdown())
            finally:
                self._loop.call_soon_threadsafe(self._loop.stop)
                self._thread.join(LOOP_DEADLINE)
        if not self._thread.is_alive():
            self._loop.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers[task] = writer
        self._track(writer)
        try:
            while await self._next_exchange(reader, writer):
                pass
        except (ConnectionError, asyncio.CancelledError):
            pass
        except Exception as exc:
            with self._lock:
                self.errors.append(exc)
        finally:
            self._handlers.pop(task, None)
            self._accepted.discard(writer.transport)
            writer.close()
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                await writer.wait_closed()

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """A new connection to the server whose socket is tracked even when cancelled."""
        connecting = asyncio.ensure_future(asyncio.open_connection(*self.upstream))
        self._connecting.add(connecting)

        def opened(
            future: asyncio.Future[tuple[asyncio.StreamReader, asyncio.StreamWriter]],
        ) -> None:
            self._connecting.discard(future)
            if not future.cancelled() and future.exception() is None:
                self._track(future.result()[1])

        connecting.add_done_callback(opened)
        try:
            return await asyncio.shield(connecting)
        except asyncio.CancelledError:
            connecting.add_done_callback(
                lambda f: f.cancelled() or f.exception() or f.result()[1].transport.abort()
            )
            raise

    def _track(self, writer: asyncio.StreamWriter) -> None:
        self._transports = {t for t in self._transports if _holds_socket(t)}
        self._transports.add(writer.transport)

    def _record(self, exchange: Exchange) -> None:
        with self._lock:
            self.exchanges.append(exchange)

    async def _next_exchange(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        """Handle one request on a client connection; False when the connection is done."""
        message = await _read_message(reader)
        if message is None:
            return False
        with self._lock:
            self._in_flight += 1
        try:
            return await self._exchange(reader, writer, *message)
        finally:
            with self._lock:
                self._in_flight -= 1

    async def _exchange(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, head: bytes, body: bytes
    ) -> bool:
        received, received_at = time.monotonic(), datetime.now(UTC)
        method, path = head.split(b" ", 2)[:2]
        request = Request(method.decode(), path.decode(), head, body)
        with self._lock:
            fault = self.plan.next(request)
            retry_after, delay = self.plan.retry_after_s, self.plan.delay_s
            self.counts[fault] += 1
        exchange = Exchange(request, fault, None, received, received_at)
        self._record(exchange)
        if fault is Fault.RESET:
            _reset(writer)
            return False
        canned = {
            Fault.ERROR_500: (500, "Internal Server Error", None),
            Fault.UNAVAILABLE_503: (503, "Service Unavailable", retry_after),
            Fault.TOO_MANY_429: (429, "Too Many Requests", retry_after),
        }.get(fault)
        if canned is not None:
            exchange.status = canned[0]
            exchange.answered = time.monotonic()  # before the client can see the answer
            writer.write(_canned(*canned))
            await writer.drain()
            return True
        if fault is Fault.DELAY:
            await asyncio.sleep(delay)
        response = await self._forward(request)
        if fault is Fault.DUPLICATE and response is not None:
            response = await self._forward(request)
        if response is None:  # the server closed without answering: so does the proxy
            return False
        exchange.status = response.status
        if fault is Fault.DROP_AFTER_COMMIT:
            if self.on_committed is not None:
                self.on_committed(request, response)
            _reset(writer)
            return False
        if writer.is_closing() or reader.at_eof():  # the client gave up waiting
            return False
        exchange.answered = time.monotonic()
        writer.write(response.raw)
        await writer.drain()
        return True

    async def _forward(self, request: Request) -> Response | None:
        """Send the request to the server on a new connection; its answer, None if none."""
        up_reader, up_writer = await self._connect()
        try:
            up_writer.write(request.head + request.body)
            await up_writer.drain()
            message = await _read_message(up_reader)
        finally:
            up_writer.close()
            with contextlib.suppress(ConnectionError):
                await up_writer.wait_closed()
        if message is None:
            return None
        head, body = message
        status = int(head.split(b" ", 2)[1])
        return Response(status, head + body)
