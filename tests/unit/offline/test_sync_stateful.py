"""Any sequence of recording, syncing, faults, crashes and clock jumps delivers exactly once."""

from __future__ import annotations

import asyncio
import random
import shutil
import sqlite3
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from lineside.domain.events import Event
from lineside.offline.store import AsyncStore, OutboxFull
from lineside.offline.sync import SyncEngine
from tests.unit.offline.fake_server import FAULTS, STATION, T0, TOKEN, FakeServer, Fault, deferred
from tests.unit.offline.test_sync import Clock, assert_exactly_once

CAP = 8
SYNC_FAULTS = ("none", *FAULTS, "422", "401")


class StationAndServer(RuleBasedStateMachine):
    """A station's outbox and engine against a fake server, driven one step at a time."""

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="lineside-sync-"))
        self.db = self.dir / "station.db"
        self.loop = asyncio.new_event_loop()
        self.clock = Clock(T0)
        server_now = [T0]

        def server_clock() -> datetime:  # the server's clock keeps time; the station's may jump
            server_now[0] += timedelta(seconds=1)
            return server_now[0]

        self.server = FakeServer(clock=server_clock)
        self.committed: list[str] = []
        self.recorded = 0
        self.lost: set[int] = set()
        self.store, self.engine = self._open()

    def _open(self) -> tuple[AsyncStore, SyncEngine]:
        store = AsyncStore(self.db, cap=CAP, clock=self.clock)
        self.loop.run_until_complete(store.open())
        engine = SyncEngine(
            store,
            STATION,
            "http://central.example",
            TOKEN,
            transport=self.server.transport(),
            batch_size=3,
            rng=random.Random(0),
            clock=self.clock,
            status_interval_s=0,
        )
        return store, engine

    def _close(self) -> None:
        self.loop.run_until_complete(self.engine.aclose())
        self.loop.run_until_complete(self.store.close())

    @rule(
        n=st.integers(1, 4),
        bad=st.booleans(),
        machine=st.booleans(),
    )
    def record(self, n: int, bad: bool, machine: bool) -> None:
        """Operator input or machine events; some the server will refuse."""
        events = [
            deferred(self.recorded + i, "bad" if bad and i == 0 else "s", None if machine else "p7")
            for i in range(n)
        ]

        async def append() -> list[Event] | OutboxFull:
            try:
                return await self.store.append(events, operator_input=not machine)
            except OutboxFull as exc:
                return exc

        committed = self.loop.run_until_complete(append())
        if isinstance(committed, OutboxFull):
            assert not machine  # a machine event is never refused
            assert committed.waiting >= CAP
            return
        self.recorded += n
        self.committed += [e.event_id for e in committed]

    @rule(fault=st.sampled_from(SYNC_FAULTS))
    def sync(self, fault: str) -> None:
        """One engine pass; the first request of it may fail."""
        if fault != "none":
            self.server.fail(Fault(fault, target="any", delay_s=0))
        self.loop.run_until_complete(self.engine.sync_once())
        self.server.faults.clear()

    @rule()
    def server_commits_station_dies(self) -> None:
        """The server commits the next batch; the station is killed before it marks it."""
        _seqs, body = self.loop.run_until_complete(self.store.next_batch(3))
        if body:
            url = f"http://central.example/api/v1/stations/{STATION}/events"
            self.server.respond("POST", url, f"Bearer {TOKEN}", body)
        self._close()
        self.store, self.engine = self._open()

    @rule()
    def restart(self) -> None:
        """The station is switched off and on again."""
        self._close()
        self.store, self.engine = self._open()

    @rule(back=st.integers(1, 6))
    def server_restored_from_backup(self, back: int) -> None:
        """The server loses its newest events; the station's next batch gets a 409."""
        next_seq = max(1, self.server.next_seq - back)
        self.lost |= {seq for seq in self.server.events if seq >= next_seq}
        self.server.restore_backup(next_seq)

    @rule(hours=st.integers(-12, 12).filter(bool))
    def clock_jump(self, hours: int) -> None:
        """The station's clock moves by hours (NTP, a flat RTC battery)."""
        self.clock.now += timedelta(hours=hours)

    @rule(accept=st.booleans())
    def server_accepts_bad(self, accept: bool) -> None:
        """The plant fixes (or breaks) what made the server refuse events."""
        self.server.accept_bad = accept

    @precondition(lambda self: self.recorded > 0)
    @rule()
    def team_lead_retries(self) -> None:
        """A team lead sends every quarantined event again."""
        held = self.loop.run_until_complete(self.engine.quarantine())
        self.loop.run_until_complete(self.engine.retry_quarantined([q.seq for q in held]))

    @invariant()
    def the_server_holds_only_what_the_station_committed_once(self) -> None:
        conn = sqlite3.connect(f"{self.db.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = conn.execute(
                "SELECT seq, event_id, delivered_at IS NOT NULL, quarantined FROM outbox"
                " ORDER BY seq"
            ).fetchall()
        finally:
            conn.close()
        assert [r[1] for r in rows] == self.committed
        assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
        held = self.server.held()
        assert len(self.server.ids) == len(held)
        for seq, event_id, delivered, quarantined in rows:
            if seq in held:
                assert held[seq] == event_id
                assert not quarantined
            if delivered and seq not in self.lost:
                assert held.get(seq) == event_id  # marked only after the server had it
        assert set(held) <= {r[0] for r in rows}
        self.lost -= set(held)

    def teardown(self) -> None:
        try:
            self.server.faults.clear()
            self.server.accept_bad = False
            if self.lost:  # the server learns of its loss from the station's next batch
                self.record(1, bad=False, machine=True)
            for _ in range(5):
                if self.loop.run_until_complete(self.engine.sync_once()) is None:
                    break
            else:
                status = self.loop.run_until_complete(self.engine.refresh_status())
                raise AssertionError(status.last_error)
            counts = self.loop.run_until_complete(self.store.outbox_counts())
            assert counts.waiting == 0
            self.loop.run_until_complete(assert_exactly_once(self.store, self.server))
        finally:
            self._close()
            self.loop.run_until_complete(self.loop.shutdown_default_executor())
            self.loop.close()
            shutil.rmtree(self.dir, ignore_errors=True)


StationAndServer.TestCase.settings = settings(
    max_examples=100, stateful_step_count=30, deadline=None
)
TestStationAndServer = StationAndServer.TestCase
