"""A central server in memory for the sync engine's tests: the contract's rules, and faults.

Ingest follows lineside/server/ingest.py: dedup by event_id, a seq below `next_seq` is taken
only by the quarantined event that left it, new seqs must continue `next_seq` (409 otherwise,
nothing stored), invalid events are rejected one by one and keep their seq. Master data follows
lineside/server/master.py: one revision counter, tombstones, a full snapshot for a cursor below
the tombstone horizon. Faults are queued and hit the next matching request.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from pydantic import ValidationError

from lineside.domain.events import DowntimeDeferred, Event, EventContext, make_event
from lineside.domain.master_data import Kind
from lineside.domain.sync import (
    API_PREFIX,
    BatchResult,
    EventBatch,
    EventResult,
    EventStatus,
    MasterDataPage,
    MasterRecord,
    SeqGap,
    StationSequence,
)

STATION = "L1-FILLER"
T0 = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
CONTEXT = EventContext(line="Line1", station=STATION, equipment="Füller ①", order="4711")
TOKEN = "station-secret"  # noqa: S105 - a test token
BAD_PREFIX = "bad"
"""Events whose payload stop_id starts with this are refused until `accept_bad` is set."""


def deferred(i: int, stop: str = "s", by: str | None = "p7") -> Event:
    """A small event of this station; `stop="bad"` makes one the server refuses."""
    return make_event(
        DowntimeDeferred(stop_id=f"{stop}{i}"),
        context=CONTEXT,
        occurred_at=T0 + timedelta(seconds=i),
        recorded_by=by,
    )


@dataclass
class Fault:
    """What goes wrong with the next request to `target` ("events", "master" or "any")."""

    kind: str
    """refuse | timeout | drop | duplicate | delay | 401 | 403 | 409 | 422 | 429 | 500 | 503"""
    target: str = "events"
    retry_after: str | None = None
    expected_seq: int = 1
    delay_s: float = 0.01
    after: int = 0
    """Let this many matching requests through first."""


FAULTS = ("refuse", "timeout", "drop", "duplicate", "delay", "429", "500", "503")
"""Faults after which a plain retry must deliver everything exactly once."""


@dataclass
class Answer:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def _json(status: int, model: Any, headers: dict[str, str] | None = None) -> Answer:
    body = model.model_dump_json().encode() if hasattr(model, "model_dump_json") else model
    return Answer(status, body, {"Content-Type": "application/json", **(headers or {})})


def _problem(status: int, detail: str, headers: dict[str, str] | None = None) -> Answer:
    return _json(status, json.dumps({"detail": detail}).encode(), headers)


class FakeServer:
    """The station's view of a central server, in memory."""

    def __init__(
        self,
        station_id: str = STATION,
        token: str = TOKEN,
        clock: Callable[[], datetime] | None = None,
        page_limit: int = 500,
    ) -> None:
        self.station_id = station_id
        self.token = token
        self.clock = clock or (lambda: datetime.now(UTC))
        self.page_limit = page_limit
        self.events: dict[int, dict[str, Any]] = {}
        self.ids: dict[str, int] = {}
        self.rejected: dict[int, str] = {}
        self.next_seq = 1
        self.accept_bad = False
        self.faults: list[Fault] = []
        self.requests: list[tuple[str, list[int]]] = []
        self.noncanonical: list[dict[str, Any]] = []
        self.conflicting: set[str] = set()
        """Event ids the server holds with another body: answered `conflict`, not stored."""
        self.master_log: list[MasterRecord] = []
        self.horizon = 0
        self._lock = threading.Lock()

    # -- test controls ---------------------------------------------------------------------------

    def fail(self, *faults: Fault) -> None:
        """Queue faults; each hits the next request to its target."""
        self.faults.extend(faults)

    def restore_backup(self, next_seq: int) -> None:
        """The server lost everything from `next_seq` on (restored from an older backup)."""
        self.events = {s: e for s, e in self.events.items() if s < next_seq}
        self.ids = {i: s for i, s in self.ids.items() if s < next_seq}
        self.rejected = {s: i for s, i in self.rejected.items() if s < next_seq}
        self.next_seq = next_seq

    def put(self, kind: Kind, key: str, data: dict[str, Any]) -> None:
        """Add or change a master record (the next revision)."""
        revision = len(self.master_log) + 1
        self.master_log.append(MasterRecord(kind=kind, key=key, revision=revision, data=data))

    def delete(self, kind: Kind, key: str) -> None:
        """Remove a master record (a tombstone)."""
        revision = len(self.master_log) + 1
        self.master_log.append(MasterRecord(kind=kind, key=key, revision=revision, deleted=True))

    def purge_tombstones(self) -> None:
        """Forget tombstones so far: older cursors now get a full snapshot."""
        self.horizon = len(self.master_log)

    def live_master(self) -> dict[Kind, dict[str, dict[str, Any]]]:
        """The master data a station should end up with."""
        live: dict[Kind, dict[str, dict[str, Any]]] = {kind: {} for kind in Kind}
        for record in self.master_log:
            if record.deleted:
                live[record.kind].pop(record.key, None)
            else:
                live[record.kind][record.key] = record.data or {}
        return live

    def transport(self) -> httpx.MockTransport:
        """The server behind httpx's mock transport, faults included."""
        return httpx.MockTransport(self.handle)

    # -- HTTP ------------------------------------------------------------------------------------

    async def handle(self, request: httpx.Request) -> httpx.Response:
        """Serve one request through MockTransport, applying the next matching fault."""
        path = request.url.path
        target = "events" if path.endswith("/events") else "master"
        if path.endswith("/sequence"):
            target = "sequence"
        fault = self._take_fault(target)
        body = request.read()
        auth = request.headers.get("Authorization", "")
        if fault is not None:
            if fault.kind == "refuse":
                refused = ConnectionRefusedError(111, "Connection refused")
                raise httpx.ConnectError(
                    "All connection attempts failed", request=request
                ) from refused
            if fault.kind == "422":  # FastAPI's shape: a list of problems with their place
                problem = {"loc": ["body", "events", 0, "seq"], "msg": "Input should be >= 1"}
                body = json.dumps({"detail": [problem]}).encode()
                return httpx.Response(422, content=body)
            if fault.kind in ("401", "403", "429", "500", "503"):
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                answer = _problem(int(fault.kind), f"fault {fault.kind}", headers)
                return httpx.Response(answer.status, headers=answer.headers, content=answer.body)
            if fault.kind == "409":
                gap = SeqGap(detail="fault", expected_seq=fault.expected_seq)
                return httpx.Response(409, content=gap.model_dump_json().encode())
            if fault.kind == "delay":
                await asyncio.sleep(fault.delay_s)
        kind = request.headers.get("Content-Type", "")
        answer = self.respond(request.method, str(request.url), auth, body, kind)
        if fault is not None and fault.kind == "duplicate":
            answer = self.respond(request.method, str(request.url), auth, body, kind)
        if fault is not None and fault.kind == "drop":
            raise httpx.ReadError("connection reset by peer", request=request)
        if fault is not None and fault.kind == "timeout":
            raise httpx.ReadTimeout("timed out", request=request)
        return httpx.Response(answer.status, headers=answer.headers, content=answer.body)

    def _take_fault(self, target: str) -> Fault | None:
        for i, fault in enumerate(self.faults):
            if fault.target in (target, "any"):
                if fault.after:
                    fault.after -= 1
                    return None
                return self.faults.pop(i)
        return None

    def respond(
        self, method: str, url: str, auth: str, body: bytes, kind: str = "application/json"
    ) -> Answer:
        """The server's answer, faults aside (also used by the loopback HTTP server)."""
        with self._lock:
            parts = urlsplit(url)
            prefix = f"{API_PREFIX}/stations/"
            if not parts.path.startswith(prefix):
                return _problem(404, "not found")
            station, _, what = parts.path[len(prefix) :].partition("/")
            if auth != f"Bearer {self.token}":
                return _problem(401, "no valid token")
            if station != self.station_id:
                return _problem(403, "the token is another station's")
            if method == "POST" and what == "events":
                return self._ingest(body, kind)
            if method == "GET" and what in ("sequence", "master-data"):
                return self._get(what, parse_qs(parts.query))
            return _problem(404, "not found")

    def _get(self, what: str, query: dict[str, list[str]]) -> Answer:
        if what == "sequence":
            return _json(200, StationSequence(next_seq=self.next_seq, server_time=self.clock()))
        cursor = int(query.get("cursor", ["0"])[0])
        limit = int(query.get("limit", [str(self.page_limit)])[0])
        return _json(200, self._master_page(cursor, limit))

    def _ingest(self, body: bytes, kind: str) -> Answer:
        if kind.split(";", maxsplit=1)[0].strip() != "application/json":
            return _problem(422, "body: the body is not JSON (Content-Type)")
        try:
            batch = EventBatch.model_validate_json(body)
        except ValidationError as exc:
            return _problem(422, str(exc))
        seqs = [wire.seq for wire in batch.events]
        self.requests.append(("events", seqs))
        new = [seq for seq in seqs if seq >= self.next_seq]
        for offset, seq in enumerate(new):
            if seq != self.next_seq + offset:
                gap = SeqGap(detail=f"expected seq {self.next_seq}", expected_seq=self.next_seq)
                return _json(409, gap)
        results = []
        for wire in batch.events:
            raw = wire.model_dump()
            if raw.get("station_id") != self.station_id:
                return _problem(403, "another station's event")
            results.append(self._verdict(wire.event_id, wire.seq, raw))
        return _json(
            200,
            BatchResult(results=tuple(results), next_seq=self.next_seq, server_time=self.clock()),
        )

    def _verdict(self, event_id: str, seq: int, raw: dict[str, Any]) -> EventResult:
        if event_id in self.conflicting:
            self.rejected[seq] = event_id
            self.next_seq = max(self.next_seq, seq + 1)
            reason = f"event {event_id} (seq {seq}) is already stored with another body"
            return EventResult(
                event_id=event_id, seq=seq, status=EventStatus.CONFLICT, reason=reason
            )
        if self.ids.get(event_id) == seq:
            return EventResult(event_id=event_id, seq=seq, status=EventStatus.DUPLICATE)
        reason = None
        if event_id in self.ids:
            reason = "event already stored under another seq"
        elif seq < self.next_seq and self.rejected.get(seq) != event_id:
            reason = f"seq {seq} already holds another event"
        else:
            try:
                event = Event.model_validate(raw)
            except ValidationError as exc:
                reason = f"invalid: {exc.error_count()} problems"
            else:
                if raw != event.model_dump(mode="json"):
                    self.noncanonical.append(raw)
                stop_id = str(raw["payload"].get("stop_id", ""))
                if stop_id.startswith(BAD_PREFIX) and not self.accept_bad:
                    reason = "stop_id: no such stop on this line"
        if reason is None:
            self.events[seq] = raw
            self.ids[event_id] = seq
            self.rejected.pop(seq, None)
        elif seq >= self.next_seq or self.rejected.get(seq) == event_id:
            self.rejected[seq] = event_id
        self.next_seq = max(self.next_seq, seq + 1)
        if reason is None:
            return EventResult(event_id=event_id, seq=seq, status=EventStatus.ACCEPTED)
        return EventResult(event_id=event_id, seq=seq, status=EventStatus.REJECTED, reason=reason)

    def _master_page(self, cursor: int, limit: int) -> MasterDataPage:
        self.requests.append(("master", [cursor]))
        current = len(self.master_log)
        full = cursor < self.horizon or cursor > current
        if full:
            latest: dict[tuple[Kind, str], MasterRecord] = {}
            for record in self.master_log:
                latest[(record.kind, record.key)] = record
            rows = sorted((r for r in latest.values() if not r.deleted), key=lambda r: r.revision)
            size = max(limit, sum(1 for r in rows if r.revision <= self.horizon))
        else:
            rows = [r for r in self.master_log if r.revision > cursor]
            size = limit
        more = len(rows) > size
        rows = rows[:size]
        if not more:
            new_cursor = current
        elif full:
            new_cursor = max(rows[-1].revision, self.horizon)
        else:
            new_cursor = rows[-1].revision
        return MasterDataPage(
            cursor=new_cursor, full=full, more=more, records=tuple(rows), server_time=self.clock()
        )

    # -- checks ----------------------------------------------------------------------------------

    def held(self) -> dict[int, str]:
        """seq → event_id of every event the server holds."""
        return {seq: event["event_id"] for seq, event in self.events.items()}

    @contextmanager
    def serving(self, tls: ssl.SSLContext | None = None) -> Iterator[str]:
        """The same server on a loopback port (faults aside), HTTPS with `tls`; its base URL."""
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                url = f"http://host{self.path}"
                auth = self.headers.get("Authorization", "")
                kind = self.headers.get("Content-Type", "")
                answer = server.respond(method, url, auth, body, kind)
                self.send_response(answer.status)
                for key, value in answer.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            def do_GET(self) -> None:
                self._answer("GET")

            def do_POST(self) -> None:
                self._answer("POST")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        http.daemon_threads = True
        if tls is not None:
            http.socket = tls.wrap_socket(http.socket, server_side=True)
        thread = threading.Thread(target=http.serve_forever, name="fake-server")
        thread.start()
        try:
            scheme = "https" if tls else "http"
            yield f"{scheme}://127.0.0.1:{http.server_address[1]}"
        finally:
            http.shutdown()
            http.server_close()
            thread.join()


def shifted(clock: Callable[[], datetime], offset: timedelta) -> Callable[[], datetime]:
    """A clock `offset` ahead of another."""
    return lambda: clock() + offset
