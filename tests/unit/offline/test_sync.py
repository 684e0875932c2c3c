"""The sync engine delivers every fact exactly once, in seq order, whatever the network does."""

from __future__ import annotations

import asyncio
import math
import os
import random
import socket
import sqlite3
import ssl
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme

from lineside.domain.master_data import Kind
from lineside.offline.store import AsyncStore, Store
from lineside.offline.sync import TOKEN_REFUSED, MasterRecords, SyncEngine
from lineside.offline.sync_status import SyncStatus
from tests.unit.offline.fake_server import (
    FAULTS,
    STATION,
    T0,
    TOKEN,
    FakeServer,
    Fault,
    deferred,
)


class Clock:
    """The station's clock, moved by the test."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class FakeSleep:
    """Records every wait; returns at once below `block_from` s, else waits until cut short."""

    def __init__(self, block_from: float = math.inf) -> None:
        self.delays: list[float] = []
        self.block_from = block_from

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        if delay >= self.block_from:
            await asyncio.Event().wait()
        await asyncio.sleep(0)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def server(clock: Clock) -> FakeServer:
    return FakeServer(clock=clock)


@pytest.fixture
async def store(tmp_path: Path, clock: Clock) -> AsyncIterator[AsyncStore]:
    store = AsyncStore(tmp_path / "station.db", clock=clock)
    await store.open()
    yield store
    await store.close()


def make_engine(store: AsyncStore, server: FakeServer, **options: Any) -> SyncEngine:
    settings: dict[str, Any] = {
        "transport": server.transport(),
        "rng": random.Random(1),
        "clock": server.clock,
        "sleep": FakeSleep(),
        "status_interval_s": 0,
        **options,
    }
    return SyncEngine(store, STATION, "http://central.example", TOKEN, **settings)


async def drain(engine: SyncEngine, passes: int = 20) -> list[float]:
    """Call `sync_once` until a pass goes through; the backoff delays on the way."""
    delays: list[float] = []
    for _ in range(passes):
        delay = await engine.sync_once()
        if delay is None:
            return delays
        delays.append(delay)
    raise AssertionError(f"still failing after {passes} passes: {engine.status.last_error}")


async def assert_exactly_once(store: AsyncStore, server: FakeServer) -> None:
    """The server holds each of the station's events once, at its seq; rejected ones aside."""
    events = await store.events()
    held_back = {q.seq for q in await store.quarantine() if not q.retrying}
    expected = {e.seq: e.model_dump(mode="json") for e in events if e.seq not in held_back}
    assert server.events == expected
    assert len(server.ids) == len(server.events)  # no event under two seqs
    assert set(server.events) | held_back == set(range(1, len(events) + 1))
    assert server.noncanonical == []


def deliveries(db: Path) -> dict[int, str | None]:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return dict(conn.execute("SELECT seq, delivery FROM outbox ORDER BY seq").fetchall())
    finally:
        conn.close()


async def until(condition: Callable[[], object], within: float = 5.0) -> None:
    """Wait for a condition that another task brings about (a test watches, it cannot await)."""
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110 - polling the engine's effects from outside
            await asyncio.sleep(0.01)


async def test_the_outbox_drains_in_seq_order_in_batches(
    store: AsyncStore, server: FakeServer, clock: Clock
) -> None:
    await store.append([deferred(i) for i in range(1, 11)])
    engine = make_engine(store, server, batch_size=3)
    assert await engine.sync_once() is None
    sent = [seqs for kind, seqs in server.requests if kind == "events"]
    assert sent == [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10]]
    await assert_exactly_once(store, server)
    status = await engine.refresh_status()
    assert (status.online, status.waiting, status.quarantined, status.last_error) == (
        True,
        0,
        0,
        "",
    )
    assert status.last_delivered_at == clock.now
    await engine.aclose()


@pytest.mark.parametrize("fault", FAULTS)
async def test_every_event_arrives_once_whatever_goes_wrong(
    store: AsyncStore, server: FakeServer, fault: str
) -> None:
    await store.append([deferred(i) for i in range(1, 13)])
    server.fail(Fault(fault), Fault(fault, after=1))  # the first and the third batch request
    engine = make_engine(store, server, batch_size=5)
    await drain(engine)
    await assert_exactly_once(store, server)
    assert (await store.outbox_counts()).waiting == 0
    if fault in ("drop", "timeout"):  # the server had committed: the resend came back duplicate
        assert deliveries(store.path)[1] == "duplicate"
    await engine.aclose()


async def test_backoff_is_full_jitter_and_starts_over_after_success(
    store: AsyncStore, server: FakeServer, clock: Clock
) -> None:
    await store.append([deferred(1)])
    engine = make_engine(
        store, server, backoff_base_s=1.0, backoff_cap_s=20.0, rng=random.Random(42)
    )
    server.fail(*[Fault("refuse", target="any") for _ in range(8)])
    delays = [await engine.sync_once() for _ in range(8)]
    same = random.Random(42)
    assert delays == [same.uniform(0, min(20.0, 2.0**i)) for i in range(8)]
    assert all(0 <= d <= min(20.0, 2.0**i) for i, d in enumerate(delays))  # type: ignore[operator]
    status = await engine.refresh_status()
    assert not status.online
    assert status.last_error == "server not reachable: connection refused"
    assert status.next_attempt_at == clock.now + timedelta(seconds=delays[-1] or 0)
    assert await engine.sync_once() is None
    status = await engine.refresh_status()
    assert (status.online, status.last_error, status.next_attempt_at) == (True, "", None)
    await store.append([deferred(2)])
    server.fail(Fault("refuse", target="any"))
    assert await engine.sync_once() == same.uniform(0, 1.0)  # attempt 0 again
    await engine.aclose()


async def test_retry_after_is_never_cut_short(
    store: AsyncStore, server: FakeServer, clock: Clock
) -> None:
    await store.append([deferred(1)])
    engine = make_engine(store, server, backoff_base_s=1.0, backoff_cap_s=60.0)
    server.fail(Fault("503", retry_after="30"))
    assert await engine.sync_once() == 30
    assert engine.status.last_error == ""  # published only through refresh_status
    status = await engine.refresh_status()
    assert status.last_error == "server busy (503), retrying in 30 s"
    assert status.next_attempt_at == clock.now + timedelta(seconds=30)
    server.fail(Fault("429", retry_after=format_datetime(clock.now + timedelta(seconds=45), True)))
    assert await engine.sync_once() == 45
    server.fail(Fault("500"))
    delay = await engine.sync_once()
    assert delay is not None
    assert 0 <= delay <= 4
    assert (await engine.refresh_status()).last_error.startswith("server error (500), retrying in")
    assert await engine.sync_once() is None
    await assert_exactly_once(store, server)
    await engine.aclose()


@pytest.mark.parametrize(
    ("token", "station", "words"),
    [
        ("not-the-token", STATION, TOKEN_REFUSED),
        (TOKEN, "L9-OTHER", "the server refuses this station (the token is another station's)"),
    ],
)
async def test_a_refused_station_retries_slowly_and_quarantines_nothing(
    store: AsyncStore, server: FakeServer, token: str, station: str, words: str
) -> None:
    await store.append([deferred(i) for i in range(1, 4)])
    engine = SyncEngine(
        store,
        station,
        "http://central.example",
        token,
        transport=server.transport(),
        backoff_cap_s=45.0,
        clock=server.clock,
    )
    assert await engine.sync_once() == 45.0
    assert await engine.sync_once() == 45.0
    status = await engine.refresh_status()
    assert status.last_error.startswith(words)
    assert (status.online, status.waiting, status.quarantined) == (False, 3, 0)
    await engine.aclose()


async def test_a_whole_batch_refused_as_malformed_is_kept(
    store: AsyncStore, server: FakeServer
) -> None:
    await store.append([deferred(i) for i in range(1, 4)])
    server.fail(Fault("422"))
    engine = make_engine(store, server)
    delay = await engine.sync_once()
    assert delay is not None
    assert 0 <= delay <= 1
    status = await engine.refresh_status()
    assert status.last_error == (
        "the server refused a batch of events as malformed (body.events.0.seq: Input should"
        " be >= 1) — nothing is lost; tell IT"
    )
    assert (status.waiting, status.quarantined) == (3, 0)
    assert await engine.sync_once() is None
    await assert_exactly_once(store, server)
    await engine.aclose()


async def test_a_rejected_event_is_quarantined_then_retried(
    store: AsyncStore, server: FakeServer, tmp_path: Path
) -> None:
    await store.append([deferred(1), deferred(2, "bad"), deferred(3)])
    engine = make_engine(store, server)
    assert await engine.sync_once() is None
    assert server.held().keys() == {1, 3}
    status = await engine.refresh_status()
    assert (status.waiting, status.quarantined) == (0, 1)
    (held,) = await engine.quarantine()
    assert (held.seq, held.reason, held.retrying) == (
        2,
        "stop_id: no such stop on this line",
        False,
    )
    exported = await engine.export_quarantine(tmp_path / "exports")
    assert '"stop_id": "bad2"' in exported.read_text(encoding="utf-8")

    await store.append([deferred(4)])
    await engine.retry_quarantined([2])
    assert [q.retrying for q in await engine.quarantine()] == [True]
    status = await engine.refresh_status()
    assert (status.waiting, status.quarantined) == (2, 0)
    assert await engine.sync_once() is None  # rejected again: back in quarantine
    assert (await engine.quarantine())[0].attempts == 2
    server.accept_bad = True  # the plant fixed its master data
    await engine.retry_quarantined([2])
    assert await engine.sync_once() is None
    assert await engine.quarantine() == []
    await assert_exactly_once(store, server)
    assert server.held().keys() == {1, 2, 3, 4}
    await engine.aclose()


async def test_a_server_restored_from_backup_gets_the_lost_events_again(
    store: AsyncStore, server: FakeServer
) -> None:
    await store.append([deferred(i) for i in range(1, 11)])
    engine = make_engine(store, server, batch_size=4)
    assert await engine.sync_once() is None
    server.restore_backup(next_seq=6)
    await store.append([deferred(11), deferred(12)])
    assert await engine.sync_once() is None
    await assert_exactly_once(store, server)
    sent = [seqs for kind, seqs in server.requests if kind == "events"]
    assert sent[-3:] == [[11, 12], [6, 7, 8, 9], [10, 11, 12]]  # 409, then from seq 6 on
    await engine.aclose()


async def test_an_idle_station_learns_of_a_restored_server_from_its_sequence_check(
    store: AsyncStore, server: FakeServer
) -> None:
    await store.append([deferred(i) for i in range(1, 6)])
    engine = make_engine(store, server, sequence_interval_s=30.0)
    assert await engine.sync_once() is None
    server.restore_backup(next_seq=3)
    assert server.held().keys() == {1, 2}
    assert await engine.sync_once() is None  # nothing new recorded: the check finds the gap
    await assert_exactly_once(store, server)
    sent = [seqs for kind, seqs in server.requests if kind == "events"]
    assert sent[-1] == [3, 4, 5]
    requests = len(server.requests)
    assert await engine.sync_once() is None  # the next check is 30 s away: nothing is asked
    assert len(server.requests) == requests
    await engine.aclose()


async def test_a_conflict_is_quarantined_in_words_and_the_rest_is_delivered(
    store: AsyncStore, server: FakeServer
) -> None:
    events = [deferred(1), deferred(2), deferred(3)]
    await store.append(events)
    server.conflicting.add(events[1].event_id)
    engine = make_engine(store, server)
    assert await engine.sync_once() is None
    assert server.held().keys() == {1, 3}
    status = await engine.refresh_status()
    assert (status.waiting, status.quarantined) == (0, 1)
    (held,) = await engine.quarantine()
    assert held.seq == 2
    assert held.reason.startswith("conflict: ")
    assert "already stored with another body" in held.reason
    await engine.aclose()


async def test_a_server_ahead_of_the_station_is_reported_not_looped(
    store: AsyncStore, server: FakeServer
) -> None:
    await store.append([deferred(i) for i in range(1, 4)])
    server.fail(Fault("409", expected_seq=50))
    engine = make_engine(store, server, backoff_cap_s=33.0)
    assert await engine.sync_once() == 33.0
    status = await engine.refresh_status()
    assert "holds events up to seq 49" in status.last_error
    assert "record ends at seq 3" in status.last_error
    assert status.waiting == 3
    server.fail(*[Fault("409", expected_seq=1) for _ in range(10)])
    delay = await engine.sync_once()
    assert delay is not None
    assert "keeps refusing the order" in (await engine.refresh_status()).last_error
    await engine.aclose()


async def test_clock_offset_is_taken_from_the_middle_of_the_exchange(
    store: AsyncStore, clock: Clock
) -> None:
    server = FakeServer(clock=lambda: clock.now + timedelta(hours=1))

    async def slow(request: httpx.Request) -> httpx.Response:
        clock.now += timedelta(seconds=1)
        response = await server.handle(request)
        clock.now += timedelta(seconds=1)
        return response

    await store.append([deferred(1)])
    engine = make_engine(store, server, transport=httpx.MockTransport(slow), clock=clock)
    assert await engine.sync_once() is None
    status = await engine.refresh_status()
    assert status.clock_offset_s == 3600.0
    assert status.clock_warning
    await engine.aclose()


def lot(key: str, status: str = "released") -> dict[str, Any]:
    return {"lot_id": key, "material": "PET-500", "status": status}


async def test_master_data_comes_down_whole_and_is_served_from_cache_after_restart(
    tmp_path: Path, store: AsyncStore, server: FakeServer, clock: Clock
) -> None:
    server.put(Kind.LOT, "L1", lot("L1"))
    server.put(Kind.PERSON, "p7", {"person_id": "p7", "name": "Ana"})
    server.put(Kind.LOT, "L2", lot("L2"))
    seen: list[MasterRecords] = []
    engine = make_engine(store, server, master_interval_s=0)
    engine.subscribe_master(seen.append)
    assert seen == []  # nothing cached yet
    assert await engine.sync_once() is None
    assert seen[-1] == server.live_master()
    assert (await engine.refresh_status()).master_data_at == clock.now

    server.put(Kind.LOT, "L1", lot("L1", "blocked"))
    server.delete(Kind.LOT, "L2")
    assert await engine.sync_once() is None
    assert seen[-1] == server.live_master()
    assert seen[-1][Kind.LOT] == {"L1": lot("L1", "blocked")}
    notified = len(seen)
    assert await engine.sync_once() is None
    assert len(seen) == notified  # nothing changed, nobody woken

    server.delete(Kind.PERSON, "p7")
    server.put(Kind.LOT, "L3", lot("L3"))
    server.purge_tombstones()  # the station's cursor is now too old: a full snapshot
    server.put(Kind.LOT, "L4", lot("L4"))
    assert await engine.sync_once() is None
    assert seen[-1] == server.live_master()
    assert seen[-1][Kind.PERSON] == {}
    await engine.aclose()
    await store.close()

    reopened = AsyncStore(store.path)
    await reopened.open()
    offline = make_engine(reopened, server, sleep=FakeSleep(block_from=0))
    server.fail(*[Fault("refuse", target="any") for _ in range(5)])
    cached: list[MasterRecords] = []
    offline.subscribe_master(cached.append)
    task = asyncio.create_task(offline.run())
    await until(lambda: cached and offline.status.last_error)
    assert cached == [server.live_master()]
    offline.stop()
    await task
    await reopened.close()


async def test_an_interrupted_pull_leaves_the_cache_as_it_was(
    store: AsyncStore, server: FakeServer
) -> None:
    server.page_limit = 1
    for key in ("L1", "L2", "L3"):
        server.put(Kind.LOT, key, lot(key))
    server.fail(Fault("500", target="master", after=1))
    seen: list[MasterRecords] = []
    engine = make_engine(store, server)
    engine.subscribe_master(seen.append)
    assert await engine.sync_once() is not None
    assert await store.master_state() == (0, None)
    assert (await store.master_records())[Kind.LOT] == {}
    assert seen == []
    assert await engine.sync_once() is None
    assert seen == [server.live_master()]
    assert (await store.master_state())[0] == 3
    await engine.aclose()


async def test_run_sends_on_wake_keeps_backoff_and_retries_on_request(
    store: AsyncStore, server: FakeServer
) -> None:
    sleep = FakeSleep(block_from=0)  # every wait lasts until something cuts it short
    engine = make_engine(store, server, sleep=sleep)
    statuses: list[SyncStatus] = []
    engine.subscribe(statuses.append)
    task = asyncio.create_task(engine.run())
    await until(lambda: sleep.delays)
    assert sleep.delays == [pytest.approx(60.0, abs=1)]  # idle until the next sequence check
    await store.append([deferred(1)])
    engine.wake()
    await until(lambda: server.held().keys() == {1})

    server.fail(Fault("refuse"))
    await store.append([deferred(2)])
    engine.wake()
    await until(lambda: engine.status.last_error)
    await store.append([deferred(3)])
    engine.wake()  # a new commit does not cut the backoff short
    await asyncio.sleep(0.1)
    assert server.held().keys() == {1}
    assert engine.status.waiting == 2
    engine.sync_now()
    await until(lambda: server.held().keys() == {1, 2, 3})
    await until(lambda: engine.status.waiting == 0)
    assert engine.status.online
    assert [s.online for s in statuses][:1] == [False]  # the first one comes at subscribe

    engine.stop()
    await asyncio.wait_for(task, 1.0)
    await assert_exactly_once(store, server)
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_stop_cuts_a_request_in_flight_and_leaves_nothing_running(
    store: AsyncStore, server: FakeServer
) -> None:
    await store.append([deferred(1)])
    server.fail(Fault("delay", delay_s=60))
    engine = make_engine(store, server)
    task = asyncio.create_task(engine.run())
    await until(lambda: server.requests and not server.faults)
    engine.stop()
    await asyncio.wait_for(task, 1.0)
    assert asyncio.all_tasks() == {asyncio.current_task()}
    assert (await store.outbox_counts()).waiting == 1  # nothing marked that was not answered


async def test_a_busy_recorder_does_not_flood_the_screen(
    store: AsyncStore, server: FakeServer
) -> None:
    engine = make_engine(store, server, status_interval_s=0.2, sleep=FakeSleep(block_from=0))
    statuses: list[SyncStatus] = []
    engine.subscribe(statuses.append)
    task = asyncio.create_task(engine.run())
    loop = asyncio.get_running_loop()
    start = loop.time()
    for i in range(1, 61):
        await store.append([deferred(i)])
        engine.wake()
    await until(lambda: len(server.held()) == 60 and engine.status.waiting == 0)
    elapsed = loop.time() - start
    assert len(statuses) <= elapsed / 0.2 + 3
    engine.stop()
    await task


async def test_a_server_that_is_not_there_is_reported_in_words(store: AsyncStore) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    engine = SyncEngine(store, STATION, f"http://127.0.0.1:{port}", TOKEN, rng=random.Random(3))
    assert await engine.sync_once() is not None
    status = await engine.refresh_status()
    assert status.last_error == "server not reachable: connection refused"
    assert status.next_attempt_at is not None
    await engine.aclose()


async def test_https_trusts_the_configured_ca_only(tmp_path: Path, store: AsyncStore) -> None:
    ca = trustme.CA()
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(tls)
    ca_file = tmp_path / "plant-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    await store.append([deferred(1), deferred(2)])
    server = FakeServer()
    with server.serving(tls) as url:
        stranger = SyncEngine(store, STATION, url, TOKEN, rng=random.Random(3))
        assert await stranger.sync_once() is not None
        status = await stranger.refresh_status()
        assert status.last_error.startswith(
            "server not reachable: the server's certificate is not trusted"
        )
        await stranger.aclose()
        missing = SyncEngine(store, STATION, url, TOKEN, verify=tmp_path / "nope.pem")
        assert await missing.sync_once() == missing.backoff_cap_s
        assert "the CA certificate" in (await missing.refresh_status()).last_error
        engine = SyncEngine(store, STATION, url, TOKEN, verify=ca_file)
        assert await engine.sync_once() is None
        await engine.aclose()
    await assert_exactly_once(store, server)


CRASHING_STATION = """
import asyncio
from pathlib import Path
from lineside.offline.store import AsyncStore
from lineside.offline.sync import SyncEngine

async def main():
    store = AsyncStore(Path({db!r}))
    await store.open()
    engine = SyncEngine(store, {station!r}, {url!r}, {token!r}, batch_size=3)
    await engine.sync_once()

asyncio.run(main())
"""


@pytest.mark.parametrize("point", ["after_response", "mid_mark"])
def test_a_station_killed_after_the_server_committed_resends_harmlessly(
    tmp_path: Path, point: str
) -> None:
    db = tmp_path / "station.db"
    record = Store(db)
    record.append([deferred(i) for i in range(1, 8)])
    record.close()
    server = FakeServer()
    with server.serving() as url:
        script = CRASHING_STATION.format(db=str(db), station=STATION, url=url, token=TOKEN)
        env = {**os.environ, "LINESIDE_CRASH_AT": point}
        proc = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(script)], env=env, check=False, timeout=60
        )
    assert proc.returncode == -9
    assert server.held().keys() == {1, 2, 3}  # the server committed the first batch ...
    assert set(deliveries(db).values()) == {None}  # ... the station never marked it

    async def recover() -> None:
        store = AsyncStore(db)
        await store.open()
        engine = make_engine(store, server)
        assert await engine.sync_once() is None
        await assert_exactly_once(store, server)
        await engine.aclose()
        await store.close()

    asyncio.run(recover())
    assert [deliveries(db)[seq] for seq in (1, 3, 4)] == ["duplicate", "duplicate", "accepted"]
