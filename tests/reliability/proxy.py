"""A fault-injecting HTTP/1.1 proxy between a station and the server, on loopback.

It forwards each request to the real server unless a fault says otherwise. The faults are
what plant networks and servers do: refuse connections, drop the answer after the server
committed, answer 500, 503 or 429 (with Retry-After), delay, or deliver a request twice.
It runs its own asyncio loop on a thread, so tests and station processes of any kind can
use it, and it is stopped (thread joined) by the test that started it.
"""

from __future__ import annotations

import asyncio
import enum
import threading
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field


class Fault(enum.Enum):
    """What the proxy does with one request."""

    FORWARD = "forward"
    RESET = "reset"  # close the connection before the server sees the request
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
    head: bytes
    body: bytes


@dataclass
class Response:
    """One HTTP response as read from the server."""

    status: int
    raw: bytes


@dataclass
class Exchange:
    """What happened to one request (for assertions and for the kill tests' timing)."""

    request: Request
    fault: Fault
    status: int | None


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


async def _read_message(reader: asyncio.StreamReader) -> tuple[bytes, bytes] | None:
    """Head and body of one HTTP/1.1 message (Content-Length bodies only), None at EOF."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
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


class FaultProxy:
    """The proxy; `start()` listens on 127.0.0.1 and returns its URL."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.plan = FaultPlan()
        self.exchanges: list[Exchange] = []
        self.counts: Counter[Fault] = Counter()
        self.on_committed: Callable[[Request, Response], None] | None = None
        """Called when the server has answered a DROP_AFTER_COMMIT request (kill tests)."""
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fault-proxy")
        self._server: asyncio.Server | None = None
        self._lock = threading.Lock()
        self._handlers: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        """Where stations should send their requests."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> str:
        """Start the loop thread and listen; returns the URL."""
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._listen(), self._loop).result(10)
        return self.url

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _close_listener(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    def refuse_connections(self) -> None:
        """Stop listening: connections are refused (server host down)."""
        asyncio.run_coroutine_threadsafe(self._close_listener(), self._loop).result(10)

    def accept_connections(self) -> None:
        """Listen again on the same port."""
        asyncio.run_coroutine_threadsafe(self._listen(), self._loop).result(10)

    def set_faults(self, *faults: Fault, policy: Policy | None = None) -> None:
        """Queue faults for the next requests; `policy` decides for the ones after."""
        with self._lock:
            self.plan.queue = deque(faults)
            self.plan.policy = policy

    def stop(self) -> None:
        """Close everything and join the thread."""
        if not self._thread.is_alive():
            return

        async def shutdown() -> None:
            await self._close_listener()
            for task in list(self._handlers):
                task.cancel()
            await asyncio.gather(*self._handlers, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        upstream: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        try:
            while await self._exchange(reader, writer, upstream):
                pass
        except (ConnectionError, asyncio.CancelledError):
            return
        finally:
            self._handlers.discard(task)
            writer.close()
            for _, up_writer in upstream:
                up_writer.close()

    async def _exchange(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        upstream: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]],
    ) -> bool:
        """Handle one request on a client connection; False when the connection is done."""
        message = await _read_message(reader)
        if message is None:
            return False
        head, body = message
        method, path = head.split(b" ", 2)[:2]
        request = Request(method.decode(), path.decode(), head, body)
        with self._lock:
            fault = self.plan.next(request)
            retry_after, delay = self.plan.retry_after_s, self.plan.delay_s
        self.counts[fault] += 1
        if fault is Fault.RESET:
            self.exchanges.append(Exchange(request, fault, None))
            return False
        canned = {
            Fault.ERROR_500: (500, "Internal Server Error", None),
            Fault.UNAVAILABLE_503: (503, "Service Unavailable", retry_after),
            Fault.TOO_MANY_429: (429, "Too Many Requests", retry_after),
        }.get(fault)
        if canned is not None:
            writer.write(_canned(*canned))
            await writer.drain()
            self.exchanges.append(Exchange(request, fault, canned[0]))
            return True
        if fault is Fault.DELAY:
            await asyncio.sleep(delay)
        if not upstream:
            upstream.append(await asyncio.open_connection(*self.upstream))
        response = await self._forward(upstream[0], request)
        if fault is Fault.DUPLICATE and response is not None:
            response = await self._forward(upstream[0], request)
        if response is None:
            return False
        self.exchanges.append(Exchange(request, fault, response.status))
        if fault is Fault.DROP_AFTER_COMMIT:
            if self.on_committed is not None:
                self.on_committed(request, response)
            return False
        writer.write(response.raw)
        await writer.drain()
        return True

    async def _forward(
        self, upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter], request: Request
    ) -> Response | None:
        up_reader, up_writer = upstream
        up_writer.write(request.head + request.body)
        await up_writer.drain()
        message = await _read_message(up_reader)
        if message is None:
            return None
        head, body = message
        status = int(head.split(b" ", 2)[1])
        return Response(status, head + body)
