"""Outbox + sync engine + the real server (SQLite and PostgreSQL), driven by hypothesis.

Any sequence of recording (machine and operator input, some of it refused by the server),
sync passes with each network fault, the station dying after the server committed, restarts
and clock jumps keeps the promise: the server holds exactly the events the station committed,
none twice, seq gap-free; a refused event is in the station's quarantine and nowhere else.

The server is the real `lineside.server` app on the test's database, reached in-process
through httpx's ASGI transport wrapped in a transport that injects the faults (the loopback
process and the proxy are exercised by tests/reliability).
"""

from __future__ import annotations

import asyncio
import random
import shutil
import sqlite3
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from lineside.domain.events import DowntimeDeferred, Event, EventContext, make_event
from lineside.domain.master_data import PlantFile, StationRecord
from lineside.offline.store import AsyncStore, OutboxFull
from lineside.offline.sync import SyncEngine
from lineside.server.app import create_app
from lineside.server.auth import issue_token
from lineside.server.master import import_plant

STATION = "L1-FILLER"
BASE = "http://central.test"
CAP = 10
T0 = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
FAULTS = ("none", "refuse", "drop_after_commit", "duplicate", "500", "503", "429", "timeout")


class FaultTransport(httpx.AsyncBaseTransport):
    """The real app behind the faults a plant network and a busy server produce."""

    def __init__(self, app: object) -> None:
        self.inner = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        self.fault = "none"

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        fault, self.fault = self.fault, "none"  # one fault, for the next request only
        if fault == "refuse":
            raise httpx.ConnectError("connection refused", request=request)
        if fault == "timeout":
            raise httpx.ReadTimeout("timed out", request=request)
        if fault in ("500", "503", "429"):
            headers = {"retry-after": "0"} if fault != "500" else {}
            return httpx.Response(int(fault), headers=headers, json={"detail": "injected"})
        body = await request.aread()
        response = await self._forward(request, body)
        if fault == "duplicate":
            response = await self._forward(request, body)
        if fault == "drop_after_commit":
            raise httpx.ReadError("connection reset after the server committed", request=request)
        return response

    async def _forward(self, request: httpx.Request, body: bytes) -> httpx.Response:
        copy = httpx.Request(request.method, request.url, headers=request.headers, content=body)
        response = await self.inner.handle_async_request(copy)
        content = await response.aread()
        return httpx.Response(response.status_code, headers=response.headers, content=content)


class Clock:
    """The station's clock; it may jump."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def event(i: int, newer_schema: bool) -> Event:
    """A fact; `newer_schema` ones are refused by this server ("written by a newer station")."""
    context = EventContext(line="Line1", station=STATION, equipment="Filler")
    e = make_event(
        DowntimeDeferred(stop_id=f"stop-{i}"),
        context=context,
        occurred_at=T0 + timedelta(seconds=i),
        recorded_by="P-1001",
    )
    return e.model_copy(update={"schema_version": 99}) if newer_schema else e


class StationAndRealServer(RuleBasedStateMachine):
    """A station's outbox and engine against the real server, one step at a time."""

    database_url = ""

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="lineside-stateful-"))
        self.db = self.dir / "station.db"
        self.loop = asyncio.new_event_loop()
        self.clock = Clock()
        self.app = create_app(self.database_url)
        self.engine_sa: sa.Engine = self.app.state.engine
        _reset(self.engine_sa)
        self.token = issue_token(self.engine_sa, STATION)
        self.transport = FaultTransport(self.app)
        self.committed: list[str] = []
        self.recorded = 0
        self.store, self.sync = self._open()

    def _open(self) -> tuple[AsyncStore, SyncEngine]:
        store = AsyncStore(self.db, cap=CAP, clock=self.clock)
        self.loop.run_until_complete(store.open())
        sync = SyncEngine(
            store,
            STATION,
            BASE,
            self.token,
            transport=self.transport,
            batch_size=3,
            rng=random.Random(0),
            clock=self.clock,
            status_interval_s=0,
        )
        return store, sync

    def _close(self) -> None:
        self.loop.run_until_complete(self.sync.aclose())
        self.loop.run_until_complete(self.store.close())

    @rule(n=st.integers(1, 4), newer_schema=st.booleans(), machine=st.booleans())
    def record(self, n: int, newer_schema: bool, machine: bool) -> None:
        """Operator input or machine events; newer-schema ones the server refuses."""
        events = [event(self.recorded + i, newer_schema and i == 0) for i in range(n)]

        async def append() -> list[Event] | OutboxFull:
            try:
                return await self.store.append(events, operator_input=not machine)
            except OutboxFull as exc:
                return exc

        committed = self.loop.run_until_complete(append())
        if isinstance(committed, OutboxFull):
            assert not machine  # a machine event is never refused by the cap
            return
        self.recorded += n
        self.committed += [e.event_id for e in committed]

    @rule(fault=st.sampled_from(FAULTS))
    def sync_pass(self, fault: str) -> None:
        """One engine pass whose first request meets the fault."""
        self.transport.fault = fault
        self.loop.run_until_complete(self.sync.sync_once())
        self.transport.fault = "none"

    @rule()
    def server_commits_station_dies(self) -> None:
        """The server commits the next batch; the station dies before it marks the rows."""
        _seqs, body = self.loop.run_until_complete(self.store.next_batch(3))
        if body:

            async def post() -> None:
                async with httpx.AsyncClient(transport=self.transport.inner) as client:
                    await client.post(
                        f"{BASE}/api/v1/stations/{STATION}/events",
                        content=body,
                        headers={
                            "authorization": f"Bearer {self.token}",
                            "content-type": "application/json",
                        },
                    )

            self.loop.run_until_complete(post())
        self._close()
        self.store, self.sync = self._open()

    @rule()
    def restart(self) -> None:
        """The station is switched off and on again."""
        self._close()
        self.store, self.sync = self._open()

    @rule(hours=st.integers(-12, 12).filter(bool))
    def clock_jump(self, hours: int) -> None:
        """The station's clock moves by hours (NTP correction, a flat RTC battery)."""
        self.clock.now += timedelta(hours=hours)

    @precondition(lambda self: self.recorded > 0)
    @rule()
    def team_lead_retries(self) -> None:
        """A team lead sends every quarantined event again (the server refuses them again)."""
        held = self.loop.run_until_complete(self.sync.quarantine())
        self.loop.run_until_complete(self.sync.retry_quarantined([q.seq for q in held]))

    def _outbox(self) -> list[tuple[int, str, bool, bool]]:
        conn = sqlite3.connect(f"{self.db.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = conn.execute(
                "SELECT seq, event_id, delivered_at IS NOT NULL, quarantined FROM outbox"
                " ORDER BY seq"
            ).fetchall()
        finally:
            conn.close()
        return [(r[0], r[1], bool(r[2]), bool(r[3])) for r in rows]

    def _server(self) -> tuple[dict[int, str], dict[int, str]]:
        with self.engine_sa.connect() as conn:
            events = conn.execute(
                sa.text("SELECT seq, event_id FROM event WHERE station_id = :s"), {"s": STATION}
            ).all()
            refused = conn.execute(
                sa.text(
                    "SELECT seq, event_id FROM rejection"
                    " WHERE station_id = :s AND resolved_at IS NULL"
                ),
                {"s": STATION},
            ).all()
        return {r[0]: r[1] for r in events}, {r[0]: r[1] for r in refused}

    @invariant()
    def the_server_holds_only_what_the_station_committed_once(self) -> None:
        rows = self._outbox()
        assert [r[1] for r in rows] == self.committed
        assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
        held, refused = self._server()
        by_seq = {seq: event_id for seq, event_id, _, _ in rows}
        assert not set(held) & set(refused)
        for seq, event_id in {**held, **refused}.items():
            assert by_seq.get(seq) == event_id  # only what the station committed, at its seq
        for seq, event_id, delivered, quarantined in rows:
            if delivered:
                assert held.get(seq) == event_id  # marked only after the server had it
            if quarantined:
                assert seq in refused

    def teardown(self) -> None:
        try:
            for _ in range(5):
                if self.loop.run_until_complete(self.sync.sync_once()) is None:
                    break
            else:
                status = self.loop.run_until_complete(self.sync.refresh_status())
                raise AssertionError(status.last_error)
            counts = self.loop.run_until_complete(self.store.outbox_counts())
            assert counts.waiting == 0
            rows = self._outbox()
            held, refused = self._server()
            assert sorted({**held, **refused}) == [r[0] for r in rows]  # every seq, once
            assert {seq for seq, _, _, quarantined in rows if quarantined} == set(refused)
            assert {seq for seq, _, delivered, _ in rows if delivered} == set(held)
        finally:
            self._close()
            self.loop.run_until_complete(self.loop.shutdown_default_executor())
            self.loop.close()
            self.engine_sa.dispose()
            shutil.rmtree(self.dir, ignore_errors=True)


def _reset(engine: sa.Engine) -> None:
    """An empty server with the one station (each hypothesis example starts afresh)."""
    with engine.begin() as conn:
        for table in ("event", "rejection", "station"):
            conn.execute(sa.text(f"DELETE FROM {table}"))  # noqa: S608 (fixed table names)
    plant = PlantFile(station=(StationRecord(station_id=STATION, line="Line1", name="Filler"),))
    import_plant(engine, plant)


@pytest.mark.timeout(600)
def test_any_sequence_of_faults_crashes_and_clock_jumps_delivers_exactly_once(
    database_url: str,
) -> None:
    class Machine(StationAndRealServer):
        pass

    Machine.database_url = database_url
    run_state_machine_as_test(
        Machine,
        settings=settings(
            max_examples=40,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
