"""Every committed event reaches the server exactly once, in seq order, whatever the network does.

Real parts: `lineside server` on SQLite and on PostgreSQL, the fault proxy in front of it, the
real store and sync engine (on the test's loop). The station records stops while the proxy
injects one kind of fault (or a random mix), then the network recovers and the outbox must
drain; `assert_exactly_once` then compares the server's tables with the outbox row by row.
The seed of every random choice is in the failure message (LINESIDE_FAULT_SEED repeats it).
"""

from __future__ import annotations

import asyncio
import os
import random
import zlib
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from lineside.domain.events import DowntimeDeferred, make_event, utc_now
from lineside.offline.store import AsyncStore
from lineside.offline.sync import SyncEngine
from lineside.offline.sync_status import SyncStatus
from tests.conftest import RunningServer
from tests.reliability.helpers import STATION, assert_exactly_once
from tests.reliability.line import Line
from tests.reliability.proxy import Fault, FaultProxy, Request
from tests.servers import DEADLINE
from tests.support.ledger import wait_for

BATCH = 20
EVENTS = 120
RETRY_AFTER_S = 1
SEED = int(os.environ.get("LINESIDE_FAULT_SEED") or random.SystemRandom().randrange(2**32))


def posts(request: Request) -> bool:
    return request.method == "POST"


def first_posts_then_sometimes(
    fault: Fault, first: int, rate: float, rng: random.Random
) -> Callable[[Request], Fault]:
    """A policy: `fault` for the first `first` POSTs of events, then for a share `rate` of all
    requests (master-data pulls too); forward the rest."""
    posted = [0]

    def policy(request: Request) -> Fault:
        if posts(request):
            posted[0] += 1
            if posted[0] <= first:
                return fault
        return fault if rng.random() < rate else Fault.FORWARD

    return policy


class Station:
    """The station's outbox and sync engine on this loop, talking to the server via the proxy."""

    def __init__(self, db: Path, proxy: FaultProxy, token: str, seed: int) -> None:
        self.db = db
        self.proxy = proxy
        self.token = token
        self.seed = seed
        self.store = AsyncStore(db)
        self.line = Line(STATION, {})
        self.statuses: list[SyncStatus] = []
        self.engine: SyncEngine | None = None
        self.task: asyncio.Task[None] | None = None

    def start(self, **options: Any) -> SyncEngine:
        settings: dict[str, Any] = {
            "batch_size": BATCH,
            "backoff_base_s": 0.05,
            "backoff_cap_s": 0.5,
            "request_timeout_s": 5.0,
            "status_interval_s": 0.01,
            "rng": random.Random(self.seed),
            **options,
        }
        self.engine = SyncEngine(self.store, STATION, self.proxy.url, self.token, **settings)
        self.engine.subscribe(self.statuses.append)
        self.task = asyncio.create_task(self.engine.run())
        return self.engine

    async def record(self, count: int, interval_s: float = 0.002) -> list[int]:
        """Commit `count` events the way the ledger does, waking the engine after each."""
        seqs: list[int] = []
        while len(seqs) < count:
            events, operator = self.line.next()
            committed = await self.store.append(events, self.line.state(), operator_input=operator)
            seqs += [event.seq for event in committed if event.seq is not None]
            if self.engine is not None:
                self.engine.wake()
            await asyncio.sleep(interval_s)
        return seqs

    async def until(self, condition: Callable[[], object], what: str) -> None:
        """Wait for a condition the engine or the proxy brings about; fail after DEADLINE."""
        try:
            async with asyncio.timeout(DEADLINE):
                while not condition():
                    self.check_running()
                    await asyncio.sleep(0.01)
        except TimeoutError:
            raise AssertionError(
                f"{self.failure_context()}: not within {DEADLINE} s: {what}"
            ) from None

    def check_running(self) -> None:
        if self.task is not None and self.task.done():
            raise AssertionError(f"the sync engine stopped: {self.task!r}")

    async def drained(self) -> None:
        """Wait until no event waits and no request is in flight in the proxy (a late one)."""
        waiting = -1
        try:
            async with asyncio.timeout(DEADLINE):
                while waiting != 0 or self.proxy.in_flight:
                    self.check_running()
                    waiting = (await self.store.outbox_counts()).waiting
                    await asyncio.sleep(0.01)
        except TimeoutError:
            raise AssertionError(
                f"{self.failure_context()}: {waiting} events still waiting after"
                f" {DEADLINE} s; last status {self.statuses[-1:]}"
            ) from None

    def errors(self) -> list[str]:
        """Every distinct error the status showed, in order."""
        seen: list[str] = []
        for status in self.statuses:
            if status.last_error and status.last_error not in seen:
                seen.append(status.last_error)
        return seen

    def failure_context(self) -> str:
        counts = {fault.value: n for fault, n in self.proxy.counts.items()}
        return f"seed {self.seed} (LINESIDE_FAULT_SEED={SEED}), faults {counts}"

    async def close(self) -> None:
        if self.engine is not None and self.task is not None:
            self.engine.stop()
            await asyncio.gather(self.task, return_exceptions=True)
        await self.store.close()


@pytest.fixture
async def station(
    tmp_path: Path, proxy: FaultProxy, server: RunningServer, request: pytest.FixtureRequest
) -> AsyncIterator[Station]:
    seed = SEED ^ zlib.crc32(request.node.name.encode())
    station = Station(tmp_path / "station.db", proxy, server.tokens[STATION], seed)
    await station.store.open()
    try:
        yield station
    finally:
        await station.close()


async def fault_then_recover(
    station: Station, fault: Fault, *, rate: float = 0.4, first: int = 3, **options: Any
) -> list[int]:
    """Record EVENTS while `fault` hits the first POSTs and a share of all requests; recover."""
    rng = random.Random(station.seed)
    station.proxy.set_faults(policy=first_posts_then_sometimes(fault, first, rate, rng))
    station.start(**options)
    seqs = await station.record(EVENTS)
    # The fault must have hit `first` POSTs of events, not only master-data pulls or sequence
    # checks that the share `rate` may hit before the first POST arrives.
    await station.until(
        lambda: (
            sum(1 for e in station.proxy.log() if e.fault is fault and posts(e.request)) >= first
        ),
        f"{first} POSTs × {fault}",
    )
    station.proxy.set_faults()
    await station.drained()
    return seqs


def check(database_url: str, station: Station, **options: Any) -> list[str]:
    """The invariant; the `delivery` of each outbox row (accepted or duplicate)."""
    rows = assert_exactly_once(
        database_url, station.db, context=station.failure_context(), **options
    )
    return [row.delivery or "" for row in rows]


async def test_connection_resets(station: Station, database_url: str) -> None:
    seqs = await fault_then_recover(station, Fault.RESET)
    check(database_url, station)
    assert len(seqs) >= EVENTS
    assert any("server not reachable" in error for error in station.errors())


async def test_server_host_down_then_back(station: Station, database_url: str) -> None:
    proxy = station.proxy
    proxy.refuse_connections()
    station.start()
    first_half = await station.record(EVENTS // 2)
    await station.until(
        lambda: (
            sum("connection refused" in e for e in station.errors()) >= 1
            and len({s.next_attempt_at for s in station.statuses if s.next_attempt_at}) >= 3
        ),
        "three attempts refused",
    )
    assert (await station.store.outbox_counts()).waiting == len(first_half)
    assert not proxy.log(), "a request got through a host that is down"
    proxy.accept_connections()
    recording = asyncio.create_task(station.record(EVENTS // 2))
    await station.until(lambda: len(proxy.log()) >= 4, "the station is back in touch")
    proxy.refuse_connections()  # down again mid-drain: kept-alive connections are reset
    await station.until(recording.done, "the second half is recorded")
    await recording
    proxy.accept_connections()
    await station.drained()
    check(database_url, station)


async def test_answers_lost_after_the_server_committed(station: Station, database_url: str) -> None:
    await fault_then_recover(station, Fault.DROP_AFTER_COMMIT)
    deliveries = check(database_url, station)
    dropped = [e for e in station.proxy.log() if e.fault is Fault.DROP_AFTER_COMMIT]
    assert any(e.request.method == "POST" and e.status == 200 for e in dropped)
    assert "duplicate" in deliveries, "no lost answer was resent and found a duplicate"


async def test_server_errors(station: Station, database_url: str) -> None:
    await fault_then_recover(station, Fault.ERROR_500, rate=0.3)
    check(database_url, station)
    assert any("server error (500)" in error for error in station.errors())


def assert_retry_after_honoured(station: Station, fault: Fault, status: int) -> None:
    """The attempt after each busy answer came no sooner than Retry-After, by the proxy's
    clock and by the engine's own `next_attempt_at`."""
    log = station.proxy.log()
    busy = [i for i, e in enumerate(log) if e.fault is fault]
    assert busy, "no busy answer was given"
    for i in busy:
        answered, retry = log[i].answered, log[i + 1] if i + 1 < len(log) else None
        assert answered is not None
        assert retry is not None, "no attempt after a busy answer"
        assert retry.received >= answered + RETRY_AFTER_S, (
            f"{station.failure_context()}: retried before Retry-After: {log[i]} then {retry}"
        )
    planned = sorted(
        {
            s.next_attempt_at
            for s in station.statuses
            if s.next_attempt_at and s.last_error.startswith(f"server busy ({status})")
        }
    )
    assert len(planned) == len(busy), (planned, [log[i] for i in busy])
    for i, next_attempt_at in zip(busy, planned, strict=True):
        assert next_attempt_at >= log[i].received_at + timedelta(seconds=RETRY_AFTER_S)


def busy_now_and_then(fault: Fault) -> Callable[[Request], Fault]:
    """The fault for the 3rd and 6th POST (each costs a Retry-After), forward the rest."""
    seen = [0]

    def policy(request: Request) -> Fault:
        if not posts(request):
            return Fault.FORWARD
        seen[0] += 1
        return fault if seen[0] in (3, 6) else Fault.FORWARD

    return policy


@pytest.mark.parametrize(
    ("fault", "status"), [(Fault.UNAVAILABLE_503, 503), (Fault.TOO_MANY_429, 429)]
)
async def test_busy_answers_with_retry_after(
    station: Station, database_url: str, fault: Fault, status: int
) -> None:
    station.proxy.set_faults(fault, policy=busy_now_and_then(fault), retry_after_s=RETRY_AFTER_S)
    station.start()
    await station.record(EVENTS)
    await station.until(lambda: station.proxy.counts[fault] >= 3, f"three {fault}")
    station.proxy.set_faults()
    await station.drained()
    check(database_url, station)
    assert_retry_after_honoured(station, fault, status)


async def test_answers_slower_than_the_request_timeout(station: Station, database_url: str) -> None:
    station.proxy.set_faults(delay_s=1.0)
    await fault_then_recover(station, Fault.DELAY, rate=0.3, first=2, request_timeout_s=0.3)
    check(database_url, station)
    assert any("no answer within 0.3 s" in error for error in station.errors())

    def late_posts() -> list[Any]:
        log = station.proxy.log()
        return [e for e in log if e.fault is Fault.DELAY and e.request.method == "POST"]

    # The proxy logs a delayed request once its late answer is through, after the station
    # gave up on it: wait for the log, not for a time.
    await wait_for(lambda: bool(late_posts()), "the proxy's log of the delayed POSTs")
    late = late_posts()
    assert late
    assert all(e.answered is None and e.status is not None for e in late)  # came too late


async def test_requests_delivered_twice(station: Station, database_url: str) -> None:
    await fault_then_recover(station, Fault.DUPLICATE, rate=0.5)
    deliveries = check(database_url, station)
    assert "duplicate" in deliveries


async def test_a_random_mix_of_everything(station: Station, database_url: str) -> None:
    rng = random.Random(station.seed)
    weights = {
        Fault.FORWARD: 10,
        Fault.RESET: 2,
        Fault.DROP_AFTER_COMMIT: 2,
        Fault.ERROR_500: 2,
        Fault.UNAVAILABLE_503: 1,
        Fault.TOO_MANY_429: 1,
        Fault.DELAY: 1,
        Fault.DUPLICATE: 2,
    }
    every = [fault for fault in weights if fault is not Fault.FORWARD]
    rng.shuffle(every)  # each kind at least once, first, then at random

    def policy(_request: Request) -> Fault:
        return rng.choices(list(weights), list(weights.values()))[0]

    proxy = station.proxy
    proxy.set_faults(*every, policy=policy, retry_after_s=RETRY_AFTER_S, delay_s=0.4)
    station.start(request_timeout_s=0.25)
    for _ in range(4):
        await station.record(EVENTS // 4)
        proxy.refuse_connections()  # the host goes down for a while
        await station.record(5)
        proxy.accept_connections()
    await station.until(lambda: all(proxy.counts[f] for f in every), "every kind of fault")
    proxy.set_faults()
    await station.drained()
    check(database_url, station)


async def test_a_rejected_event_is_quarantined_and_the_rest_flows_on(
    station: Station, database_url: str
) -> None:
    rng = random.Random(station.seed)
    station.proxy.set_faults(
        policy=lambda r: rng.choice([Fault.FORWARD, Fault.DUPLICATE, Fault.DROP_AFTER_COMMIT])
    )
    station.start()
    await station.record(30)
    newer = make_event(
        DowntimeDeferred(stop_id="s-newer"),
        context=station.line.context,
        occurred_at=utc_now(),
        recorded_by="p7",
    ).model_copy(
        # a newer station's event: schema 2, with a payload field schema 1 does not know
        update={"schema_version": 2, "payload": {"stop_id": "s-newer", "why": "later"}}
    )
    [bad] = await station.store.append([newer])
    await station.record(30)
    await station.until(lambda: station.statuses[-1].quarantined == 1, "the event quarantined")
    station.proxy.set_faults()
    await station.drained()
    assert station.engine is not None
    [held] = await station.engine.quarantine()
    assert (held.seq, held.event_id) == (bad.seq, bad.event_id)
    assert "newer station" in held.reason
    check(database_url, station, quarantined={bad.seq})
    status = await station.engine.refresh_status()
    assert (status.waiting, status.quarantined) == (0, 1)
