"""The server under bad input, as an attacker or a careless integrator would send it.

A real `python -m lineside.server` process on loopback, once on SQLite and once on
PostgreSQL: every bad event gets its own verdict in a 200 and the good ones around it are
stored; bodies that are not batches get a short 422 or a 413; nothing gets a 5xx; slow or
idle connections are closed; wrong tokens are counted; and the station's own sync engine
quarantines a poisoned event and delivers the ones after it.
"""

from __future__ import annotations

import json
import random
import socket
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from lineside.domain.downtime import EndCause
from lineside.domain.events import DowntimeEnded, Event, EventContext, make_event
from lineside.domain.sync import API_PREFIX, MAX_BATCH, MAX_BODY_BYTES
from lineside.offline.store import AsyncStore
from lineside.offline.sync import SyncEngine
from tests.integration.conftest import wait_until
from tests.integration.test_server_http import FILLER, LABELER, events, second_line
from tests.servers import DEMO_PLANT, DEMO_STATIONS, ServerProcess, prepare_server

TIMEOUT = httpx.Timeout(30.0)
DEADLINES = {"LINESIDE_SERVER_HEAD_TIMEOUT_S": "1", "LINESIDE_SERVER_BODY_TIMEOUT_S": "1"}
"""Short head and body deadlines, so the tests of slow clients are quick."""


class Server:
    """A started server with the demo plant and the tokens of its stations."""

    def __init__(self, process: ServerProcess, tokens: dict[str, str]) -> None:
        self.process = process
        self.tokens = tokens
        self.url = process.url
        self.database_url = process.database_url

    def events_url(self, station: str = FILLER) -> str:
        return f"{self.url}{API_PREFIX}/stations/{station}/events"

    def headers(self, station: str = FILLER) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.tokens[station]}",
            "Content-Type": "application/json",
        }


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[Server]:
    plants = (DEMO_PLANT, second_line(tmp_path))  # Line2 is a line of the plant
    tokens = prepare_server(database_url, tmp_path, DEMO_STATIONS, plants=plants)
    process = ServerProcess(database_url, env=DEADLINES)
    try:
        process.wait_ready()
        yield Server(process, tokens)
    finally:
        code = process.terminate()
    assert code == 0, process.stderr
    assert "Traceback" not in process.stderr, process.stderr[-3000:]


def send(
    client: httpx.Client, server: Server, body: bytes, station: str = FILLER
) -> httpx.Response:
    return client.post(server.events_url(station), content=body, headers=server.headers(station))


def batch(items: list[dict[str, Any]]) -> bytes:
    """A batch as Python's json writes it: lone surrogates escaped, NaN as NaN."""
    return json.dumps({"events": items}).encode()


def stored(database_url: str, table: str = "event") -> list[dict[str, Any]]:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY seq")).mappings().all()  # noqa: S608 - a fixed table name
    finally:
        engine.dispose()
    return [dict(row) for row in rows]


def nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


def _payload(**changes: Any) -> Callable[[dict[str, Any]], None]:
    return lambda e: e.update(payload={**e["payload"], **changes})


def _context(**changes: Any) -> Callable[[dict[str, Any]], None]:
    return lambda e: e.update(context={**e["context"], **changes})


POISON: dict[str, Callable[[dict[str, Any]], None]] = {
    "time near the limit, with an offset": lambda e: e.update(
        occurred_at="9999-12-31T23:59:59-05:00"
    ),
    "year 1970": lambda e: e.update(occurred_at="1970-01-01T00:00:00Z"),
    "lone surrogate": lambda e: e.update(recorded_by="P-\ud800"),
    "NUL in recorded_by": lambda e: e.update(recorded_by="P\x001"),
    "NUL in the payload": _payload(stop_id="s\x00"),
    "nested 300 deep": _context(master_data={"x": nested(300)}),
    "NaN": _payload(plc_reason_id=float("nan")),
    "Infinity": _payload(plc_reason_id=float("inf")),
    "huge number": _payload(plc_reason_id=10**40),
    "schema_version as a string": lambda e: e.update(schema_version="2"),
    "schema_version true": lambda e: e.update(schema_version=True),
    "empty recorded_by": lambda e: e.update(recorded_by=""),
    "context of another station": _context(station=LABELER),
    "context of another line": _context(line="Line2"),
    "context of no known line": _context(line="L1"),
    "50 KB of text": _payload(plc_reason_message="x" * 50_000),
    "unknown field": _payload(surprise=1),
    "plc_reason_id as a string": _payload(plc_reason_id="7"),
}
"""Ways of spoiling a `downtime.started` event (its seq and event_id stay usable)."""
POISONS = list(POISON)


def poison(event: dict[str, Any], what: str) -> dict[str, Any]:
    spoilt = json.loads(json.dumps(event))
    POISON[what](spoilt)
    return spoilt


def test_each_poisoned_event_is_rejected_alone_and_the_rest_is_stored(server: Server) -> None:
    # seq 1 + 5k is a downtime.started, whose payload has plc_reason_id and a message.
    good = events(FILLER, 1, 5 * len(POISONS))
    body, expected = [], []
    for i, what in enumerate(POISONS):
        chunk = good[5 * i : 5 * i + 5]
        spoilt = poison(chunk[1], what)  # seq 5i+2: the downtime.started one
        body += [chunk[0], spoilt, *chunk[2:]]
        spoilt_status = "accepted" if what == "context of no known line" else "rejected"
        expected += ["accepted", spoilt_status, "accepted", "accepted", "accepted"]
    with httpx.Client(timeout=TIMEOUT) as client:
        response = send(client, server, batch(body))
    assert response.status_code == 200, response.text[:2000]
    results = response.json()["results"]
    assert [r["status"] for r in results] == expected, [
        (POISONS[i // 5], r) for i, r in enumerate(results) if r["status"] != expected[i]
    ]
    reasons = {POISONS[i // 5]: r["reason"] for i, r in enumerate(results) if r["reason"]}
    assert all(reasons.values())
    assert "NUL" in reasons["NUL in recorded_by"]
    assert "surrogate" in reasons["lone surrogate"]
    assert "finite" in reasons["NaN"]
    assert "context.station" in reasons["context of another station"]
    assert response.json()["next_seq"] == len(body) + 1
    assert [e["seq"] for e in stored(server.database_url)] == [
        e["seq"] for e, status in zip(body, expected, strict=True) if status == "accepted"
    ]
    kept = stored(server.database_url, "rejection")
    assert [r["seq"] for r in kept] == [
        5 * i + 2 for i, what in enumerate(POISONS) if what != "context of no known line"
    ]
    assert all(len(r["body"]) < 70_000 for r in kept)


@pytest.mark.parametrize(
    ("what", "body", "name"),
    [
        ("seq as a string", batch([{**events(FILLER, 1, 1)[0], "seq": "1"}]), "seq"),
        ("seq 1.0", batch([{**events(FILLER, 1, 1)[0], "seq": 1.0}]), "seq"),
        ("seq true", batch([{**events(FILLER, 1, 1)[0], "seq": True}]), "seq"),
        ("NUL in event_id", batch([{**events(FILLER, 1, 1)[0], "event_id": "a\x00"}]), "event_id"),
        ("an empty event_id", batch([{**events(FILLER, 1, 1)[0], "event_id": ""}]), "event_id"),
        ("invalid UTF-8", b'{"events": [{"event_id": "\xff"}]}', "utf-8"),
        ("nested 2000 deep", b'{"events": ' + b"[" * 2000 + b"]" * 2000 + b"}", "nested"),
        ("1001 events", batch(events(FILLER, 1, MAX_BATCH + 1)), "1000"),
    ],
)
def test_a_body_that_is_no_batch_is_a_short_422(
    server: Server, what: str, body: bytes, name: str
) -> None:
    with httpx.Client(timeout=TIMEOUT) as client:
        response = send(client, server, body)
        assert response.status_code == 422, (what, response.text[:500])
        assert len(response.content) < 4000, f"{what}: the 422 echoes the input"
        assert name in json.dumps(response.json()["detail"]).lower(), response.text
        assert send(client, server, batch(events(FILLER, 1, 1))).json()["next_seq"] == 2


def test_a_body_over_the_limit_is_413_and_nothing_is_kept(server: Server) -> None:
    junk = b'{"events": ["' + b"x" * (MAX_BODY_BYTES + 10) + b'"]}'
    with httpx.Client(timeout=TIMEOUT) as client:
        response = send(client, server, junk)
        assert response.status_code == 413
        assert "larger than" in response.json()["detail"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
            yield b'{"events": ["'
            for _ in range(MAX_BODY_BYTES // 65536 + 2):
                yield b"x" * 65536

        response = client.post(server.events_url(), content=chunks(), headers=server.headers())
        assert response.status_code == 413
    assert stored(server.database_url, "rejection") == []


def test_facts_stay_as_they_were_received(server: Server) -> None:
    first, second = events(FILLER, 1, 2)
    broken = {**second, "payload": {}}
    with httpx.Client(timeout=TIMEOUT) as client:
        assert [
            r["status"] for r in send(client, server, batch([first, broken])).json()["results"]
        ] == ["accepted", "rejected"]
        # The same id and seq with another body: a conflict, the stored event unchanged.
        other = {**first, "recorded_by": "P-999"}
        answer = send(client, server, batch([other])).json()["results"][0]
        assert answer["status"] == "conflict"
        assert "another body" in answer["reason"]
        assert stored(server.database_url)[0]["recorded_by"] == first["recorded_by"]
        # The same event again: duplicate.
        assert send(client, server, batch([first])).json()["results"][0]["status"] == "duplicate"
        # The quarantined seq resent with another broken body: the kept body is the first.
        before = stored(server.database_url, "rejection")
        again = {**second, "payload": {"nonsense": 1}}
        assert send(client, server, batch([again])).json()["results"][0]["status"] == "rejected"
        assert stored(server.database_url, "rejection") == before


def test_a_nul_in_the_path_is_404_not_an_outage(server: Server) -> None:
    with httpx.Client(timeout=TIMEOUT) as client:
        for path in ("L1%00FILLER", "A%2FB", "x" * 65):
            response = client.get(
                f"{server.url}{API_PREFIX}/stations/{path}/master-data", headers=server.headers()
            )
            assert response.status_code == 404, (path, response.text)
            assert response.headers["content-type"] == "application/json"


def test_wrong_tokens_are_logged_and_then_refused_for_a_while(server: Server) -> None:
    with httpx.Client(timeout=TIMEOUT) as client:
        codes = [
            client.get(
                f"{server.url}{API_PREFIX}/stations/{FILLER}/master-data",
                headers={"Authorization": f"Bearer guess-{i}"},
            ).status_code
            for i in range(25)
        ]
        assert codes[:20] == [401] * 20
        assert set(codes[20:]) == {429}
        refused = client.get(
            f"{server.url}{API_PREFIX}/stations/{FILLER}/master-data", headers=server.headers()
        )
        assert refused.status_code == 429  # the address, whatever it presents
        assert int(refused.headers["Retry-After"]) >= 1
    log = wait_until(
        lambda: server.process.stderr if "refused (429)" in server.process.stderr else None,
        "the server's log of the refused address",
    )
    assert "auth: wrong token for station 'L1-FILLER' from 127.0.0.1" in log
    assert "guess-" not in log


def test_answers_carry_security_headers_and_no_docs_from_a_cdn(server: Server) -> None:
    with httpx.Client(timeout=TIMEOUT) as client:
        master = client.get(
            f"{server.url}{API_PREFIX}/stations/{FILLER}/master-data", headers=server.headers()
        )
        assert master.status_code == 200
        assert master.headers["cache-control"] == "no-store"
        assert master.headers["x-content-type-options"] == "nosniff"
        assert "strict-transport-security" not in master.headers  # plain HTTP
        assert client.get(f"{server.url}/docs").status_code == 404
        assert client.get(f"{server.url}/openapi.json").status_code == 200


def _closed_by_server(sock: socket.socket) -> bytes:
    """Read until the server closes the connection; what it sent."""
    sock.settimeout(30)
    received = b""
    while chunk := sock.recv(4096):
        received += chunk
    return received


def test_idle_and_slow_connections_are_closed(server: Server) -> None:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as idle:
        assert _closed_by_server(idle) == b""  # never sent a byte
    with socket.create_connection((host, int(port))) as slow:
        slow.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")  # the head never ends
        assert _closed_by_server(slow) == b""
    with socket.create_connection((host, int(port))) as trickle:
        head = (
            f"POST {API_PREFIX}/stations/{FILLER}/events HTTP/1.1\r\nHost: x\r\n"
            f"Authorization: Bearer {server.tokens[FILLER]}\r\n"
            "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
        )
        trickle.sendall(head.encode())
        answer = _closed_by_server(trickle)
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]


def ended(i: int, duration_s: float = 1.0) -> Event:
    """A `downtime.ended` of the filler, recorded by P-1001."""
    at = datetime(2025, 3, 4, 6, i, tzinfo=UTC)
    return make_event(
        DowntimeEnded(
            stop_id=f"s{i}", ended_at=at, cause=EndCause.PRODUCING, duration_s=duration_s
        ),
        context=EventContext(line="Line1", station=FILLER),
        occurred_at=at,
        recorded_by="P-1001",
    )


async def test_the_station_quarantines_a_poisoned_event_and_delivers_the_rest(
    server: Server, tmp_path: Path
) -> None:
    store = AsyncStore(tmp_path / "station.db")
    await store.open()
    engine = SyncEngine(store, FILLER, server.url, server.tokens[FILLER], rng=random.Random(1))
    try:
        # The domain lets a negative duration through; the server does not.
        await store.append([ended(0), ended(1, duration_s=-5.0), ended(2), ended(3)])
        assert await engine.sync_once() is None
        status = await engine.refresh_status()
        assert (status.waiting, status.quarantined) == (0, 1)
        (held,) = await engine.quarantine()
        assert held.seq == 2
        assert "duration must not be negative" in held.reason
        assert [r["seq"] for r in stored(server.database_url)] == [1, 3, 4]
        await store.append([ended(4)])  # the outbox goes on past the quarantined one
        assert await engine.sync_once() is None
        assert [r["seq"] for r in stored(server.database_url)] == [1, 3, 4, 5]
    finally:
        await engine.aclose()
        await store.close()
