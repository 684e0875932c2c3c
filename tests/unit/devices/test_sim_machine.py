"""SimMachine behaves like the OPC UA machine: publishing ticks, coalescing, outages, clean stop."""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator, Callable
from datetime import datetime

import pytest

from lineside.devices.machine import ConnectionState, ConnectionStatus, SimMachine, utcnow
from lineside.domain.machine_state import MachineSignals

INTERVAL_MS = 50
DEADLINE_S = 2.0


class Recorder:
    """Collects what a machine delivers, with the loop time of each snapshot."""

    def __init__(self) -> None:
        self.snapshots: list[MachineSignals] = []
        self.delivered_at: list[float] = []
        self.statuses: list[ConnectionStatus] = []
        self._changed = asyncio.Event()

    def on_signals(self, snapshot: MachineSignals) -> None:
        self.snapshots.append(snapshot)
        self.delivered_at.append(asyncio.get_running_loop().time())
        self._changed.set()

    def on_status(self, status: ConnectionStatus) -> None:
        self.statuses.append(status)
        self._changed.set()

    async def wait_for(self, condition: Callable[[], bool]) -> None:
        """Wait until the condition holds, failing after DEADLINE_S."""
        async with asyncio.timeout(DEADLINE_S):
            while not condition():
                self._changed.clear()
                await self._changed.wait()


def pending_timers() -> list[asyncio.TimerHandle]:
    """Timers still scheduled on the running loop."""
    loop = asyncio.get_running_loop()
    return [handle for handle in loop._scheduled if not handle.cancelled()]  # type: ignore[attr-defined]


@pytest.fixture
async def sim() -> AsyncIterator[SimMachine]:
    machine = SimMachine(publishing_interval_ms=INTERVAL_MS, lost_after_s=0.2)
    yield machine
    await machine.stop()
    assert pending_timers() == []


@pytest.fixture
async def recorder(sim: SimMachine) -> Recorder:
    rec = Recorder()
    sim.subscribe(rec.on_signals, rec.on_status)
    sim.set(state_current=6, stop_reason_id=0, starved=False, good_count=0)
    await sim.start()
    await rec.wait_for(lambda: len(rec.snapshots) == 1)
    return rec


async def test_start_connects_with_a_first_snapshot_at_a_tick(sim: SimMachine) -> None:
    rec = Recorder()
    sim.subscribe(rec.on_signals, rec.on_status)
    sim.set(state_current=6)
    await sim.start()
    assert sim.status.state is ConnectionState.CONNECTING
    await rec.wait_for(lambda: len(rec.snapshots) == 1)
    assert [s.state for s in rec.statuses] == [
        ConnectionState.CONNECTING,
        ConnectionState.CONNECTED,
    ]
    assert sim.signals is rec.snapshots[0]
    assert rec.snapshots[0].state_current == 6
    assert rec.snapshots[0].received_at.tzinfo is not None


async def test_set_is_delivered_at_the_next_publishing_tick(
    sim: SimMachine, recorder: Recorder
) -> None:
    interval = INTERVAL_MS / 1000
    set_at = asyncio.get_running_loop().time()
    before = utcnow()
    sim.set(state_current=2)
    after = utcnow()
    assert len(recorder.snapshots) == 1  # nothing is delivered synchronously

    await recorder.wait_for(lambda: len(recorder.snapshots) == 2)
    tick = (math.floor(set_at / interval) + 1) * interval
    assert tick <= recorder.delivered_at[1] < tick + interval
    snapshot = recorder.snapshots[1]
    assert snapshot.state_current == 2
    assert before <= snapshot.changed_at <= after
    assert snapshot.received_at >= snapshot.changed_at


async def test_several_sets_within_a_tick_make_one_snapshot(
    sim: SimMachine, recorder: Recorder
) -> None:
    sim.set(stop_reason_id=7)
    sim.set(stop_reason_message="Jam at infeed")
    sim.set(state_current=5, starved=True)
    sim.set(good_count=1)
    sim.set(good_count=2)  # counters keep only their latest value, like the PLC's queue of 1

    await recorder.wait_for(lambda: len(recorder.snapshots) == 2)
    snapshot = recorder.snapshots[1]
    assert (snapshot.state_current, snapshot.starved) == (5, True)
    assert (snapshot.stop_reason_id, snapshot.stop_reason_message) == (7, "Jam at infeed")
    assert snapshot.good_count == 2
    assert sim.signals is snapshot


async def test_a_state_that_changes_twice_within_a_tick_is_not_lost(
    sim: SimMachine, recorder: Recorder
) -> None:
    sim.set(state_current=2, stop_reason_id=7)
    sim.set(state_current=6, stop_reason_id=0)

    await recorder.wait_for(lambda: len(recorder.snapshots) == 3)
    stop, restart = recorder.snapshots[1:]
    assert (stop.state_current, stop.stop_reason_id) == (2, 7)
    assert (restart.state_current, restart.stop_reason_id) == (6, 0)
    assert recorder.delivered_at[2] == pytest.approx(
        recorder.delivered_at[1], abs=0.005
    )  # one tick


async def test_unchanged_values_are_not_a_change(sim: SimMachine, recorder: Recorder) -> None:
    first = recorder.snapshots[0]
    sim.set(state_current=6)
    sim.set(good_count=5)
    await recorder.wait_for(lambda: len(recorder.snapshots) == 2)
    assert recorder.snapshots[1].changed_at == first.changed_at
    assert recorder.snapshots[1].good_count == 5


async def test_drop_and_restore(sim: SimMachine, recorder: Recorder) -> None:
    dropped_at = utcnow()
    sim.drop_connection()
    assert sim.status.state is ConnectionState.RECONNECTING
    assert recorder.statuses[-1] == sim.status
    assert sim.status.since >= dropped_at
    assert "connection lost" in sim.status.detail

    sim.set(state_current=2, stop_reason_id=9)  # happens while nobody listens
    sim.restore_connection()
    await recorder.wait_for(lambda: sim.status.state is ConnectionState.CONNECTED)
    assert len(recorder.snapshots) == 2  # nothing arrived during the outage
    fresh = recorder.snapshots[1]
    assert (fresh.state_current, fresh.stop_reason_id) == (2, 9)
    assert sim.signals is fresh
    assert [s.state for s in recorder.statuses[-2:]] == [
        ConnectionState.RECONNECTING,
        ConnectionState.CONNECTED,
    ]


async def test_signals_are_kept_through_an_outage(sim: SimMachine, recorder: Recorder) -> None:
    sim.drop_connection()
    assert sim.signals is recorder.snapshots[0]


async def test_lost_after_lost_after_s_with_the_drop_time(
    sim: SimMachine, recorder: Recorder
) -> None:
    sim.drop_connection()
    dropped = sim.status
    await recorder.wait_for(lambda: sim.status.state is ConnectionState.LOST)
    assert sim.status.since == dropped.since
    assert sim.status.detail == dropped.detail
    elapsed = utcnow() - dropped.since
    assert elapsed.total_seconds() >= 0.2

    sim.restore_connection()
    await recorder.wait_for(lambda: sim.status.state is ConnectionState.CONNECTED)
    states = [s.state for s in recorder.statuses]
    assert states[-3:] == [
        ConnectionState.RECONNECTING,
        ConnectionState.LOST,
        ConnectionState.CONNECTED,
    ]


async def test_same_status_is_not_delivered_twice(sim: SimMachine, recorder: Recorder) -> None:
    sim.drop_connection()
    sim.drop_connection()
    assert [s.state for s in recorder.statuses].count(ConnectionState.RECONNECTING) == 1


async def test_stop_cancels_every_timer(sim: SimMachine, recorder: Recorder) -> None:
    sim.set(state_current=2)  # a tick is pending
    sim.drop_connection()  # the LOST timer is pending
    sim.restore_connection()  # and a tick again
    assert pending_timers() != []
    await sim.stop()
    assert pending_timers() == []


def test_unknown_signal_names_are_rejected() -> None:
    sim = SimMachine()
    with pytest.raises(ValueError, match="'state'"):
        sim.set(state=6)


def test_status_before_start_is_connecting() -> None:
    sim = SimMachine()
    assert sim.status.state is ConnectionState.CONNECTING
    assert isinstance(sim.status.since, datetime)
    assert sim.signals is None


async def test_connected_carries_the_server_start_time(sim: SimMachine, recorder: Recorder) -> None:
    started = sim.status.server_started_at
    assert started is not None
    assert started <= sim.status.since
    sim.drop_connection()  # an outage of the link: the same server is there afterwards
    assert sim.status.server_started_at is None
    sim.restore_connection()
    await recorder.wait_for(lambda: sim.status.state is ConnectionState.CONNECTED)
    assert sim.status.server_started_at == started
    assert recorder.snapshots[-1].changed_at == recorder.snapshots[0].changed_at


async def test_a_restarted_server_has_a_new_start_time_and_fresh_timestamps(
    sim: SimMachine, recorder: Recorder
) -> None:
    before = recorder.snapshots[0]
    started = sim.status.server_started_at
    assert started is not None
    sim.restart_server()
    assert sim.status.state is ConnectionState.RECONNECTING
    assert "connection lost" in sim.status.detail
    assert sim.signals is before

    back = utcnow()
    sim.restore_connection()
    await recorder.wait_for(lambda: sim.status.state is ConnectionState.CONNECTED)
    restarted = sim.status.server_started_at
    assert restarted is not None
    assert started < back <= restarted <= sim.status.since
    fresh = recorder.snapshots[-1]
    assert fresh.changed_at == restarted  # every value stamped when the server came back
    assert (fresh.state_current, fresh.stop_reason_id, fresh.starved, fresh.good_count) == (
        before.state_current,
        before.stop_reason_id,
        before.starved,
        before.good_count,
    )

    sim.drop_connection()  # a later plain outage keeps the restarted server's facts
    sim.restore_connection()
    await recorder.wait_for(lambda: len(recorder.snapshots) == 3)
    assert sim.status.server_started_at == restarted
    assert recorder.snapshots[2].changed_at == restarted


async def test_a_bad_value_is_none_and_named_at_the_next_tick(
    sim: SimMachine, recorder: Recorder
) -> None:
    before = utcnow()
    sim.set_quality("state_current", "bad")
    assert len(recorder.snapshots) == 1  # delivered at the tick, like set()
    await recorder.wait_for(lambda: len(recorder.snapshots) == 2)
    bad = recorder.snapshots[1]
    assert bad.state_current is None
    assert bad.bad == {"state_current"}
    assert bad.uncertain == frozenset()
    assert bad.changed_at >= before

    sim.set(state_current=2)  # the PLC's value changes while its quality stays Bad
    await recorder.wait_for(lambda: len(recorder.snapshots) == 3)
    still_bad = recorder.snapshots[2]
    assert (still_bad.state_current, still_bad.bad) == (None, {"state_current"})

    sim.set_quality("state_current", "good")
    await recorder.wait_for(lambda: len(recorder.snapshots) == 4)
    good = recorder.snapshots[3]
    assert (good.state_current, good.bad) == (2, frozenset())


async def test_an_uncertain_value_is_kept_and_named(sim: SimMachine, recorder: Recorder) -> None:
    sim.set_quality("good_count", "uncertain")
    sim.set_quality("good_count", "uncertain")  # no change: nothing more to deliver
    await recorder.wait_for(lambda: len(recorder.snapshots) == 2)
    snapshot = recorder.snapshots[1]
    assert snapshot.good_count == 0
    assert snapshot.uncertain == {"good_count"}
    assert snapshot.bad == frozenset()
    sim.set(good_count=3)
    await recorder.wait_for(lambda: len(recorder.snapshots) == 3)
    counted = recorder.snapshots[2]
    assert (counted.good_count, counted.uncertain) == (3, {"good_count"})


async def test_quality_set_during_an_outage_is_in_the_fresh_snapshot(
    sim: SimMachine, recorder: Recorder
) -> None:
    sim.drop_connection()
    sim.set_quality("starved", "bad")
    sim.set_quality("speed", "uncertain")  # a signal without a value yet
    sim.restore_connection()
    await recorder.wait_for(lambda: sim.status.state is ConnectionState.CONNECTED)
    fresh = recorder.snapshots[-1]
    assert (fresh.starved, fresh.speed) == (None, None)
    assert (fresh.bad, fresh.uncertain) == ({"starved"}, {"speed"})


def test_unknown_qualities_and_signals_are_rejected() -> None:
    sim = SimMachine()
    with pytest.raises(ValueError, match="'fine' is not one of good, uncertain, bad"):
        sim.set_quality("state_current", "fine")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'state'"):
        sim.set_quality("state", "bad")
