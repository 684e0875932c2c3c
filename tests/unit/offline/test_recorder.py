"""The recorder commits every fact before the operator is told, and survives a restart."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from lineside.domain.events import DowntimeDeferred, EventContext, make_event
from lineside.domain.machine_state import MachineSignals
from lineside.domain.people import Person, Role
from lineside.domain.reasons import ReasonNode, ReasonTree
from lineside.offline.recorder import EquipmentSetup, RecordError, StationRecorder
from lineside.offline.store import AsyncStore, Store, StoreError

T0 = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
TREE = ReasonTree(
    tree_id="filler",
    version="3",
    equipment_class="filler",
    roots=(
        ReasonNode(
            code="MECH",
            label="Mechanical",
            children=(
                ReasonNode(code="MECH.JAM", label="Jam"),
                ReasonNode(code="MECH.CAPPER", label="Capper"),
            ),
        ),
    ),
)
SETUP = EquipmentSetup(
    equipment_id="Filler",
    equipment_class="filler",
    micro_stop_threshold=timedelta(seconds=120),
    plc_reasons={17: "MECH.JAM"},
    reason_tree=TREE,
)
CONTEXT = EventContext(line="Line1", station="L1-FILLER", equipment="Filler", order="4711")


def signals(at: datetime, state: int, reason: int = 0) -> MachineSignals:
    return MachineSignals(
        changed_at=at, received_at=at, state_current=state, stop_reason_id=reason or None
    )


async def recorder(db: Path, busy_timeout_ms: int = 5000) -> StationRecorder:
    store = AsyncStore(db, busy_timeout_ms)
    await store.open()
    rec = StationRecorder(store, CONTEXT, SETUP, day_start=lambda _now: T0 - timedelta(days=1))
    await rec.open()
    return rec


async def wait_for(probe: Callable[[], bool], what: str, within: float = 10.0) -> None:
    """Let the loop run until `probe()` holds; fail after `within` s."""
    deadline = time.monotonic() + within
    while not probe():
        assert time.monotonic() < deadline, f"not reached within {within} s: {what}"
        await asyncio.sleep(0.01)


async def types(rec: StationRecorder) -> list[str]:
    await rec.flush()
    return [e.type for e in await rec.store.events()]


async def test_a_stop_is_committed_with_context_and_suggestion(tmp_path: Path) -> None:
    rec = await recorder(tmp_path / "s.db")
    rec.on_signals(signals(T0, 6))
    rec.on_signals(signals(T0 + timedelta(seconds=10), 11, reason=17))
    await rec.flush()
    (started,) = await rec.store.events(type_prefix="downtime.started")
    assert started.seq == 1
    assert started.context.order == "4711"
    assert started.payload["suggested_reason"] == "MECH.JAM"
    assert started.occurred_at == T0 + timedelta(seconds=10)
    await rec.store.close()


async def test_short_stop_is_a_micro_stop_long_one_waits_for_a_reason(tmp_path: Path) -> None:
    rec = await recorder(tmp_path / "s.db")
    rec.on_signals(signals(T0, 6))
    rec.on_signals(signals(T0 + timedelta(seconds=10), 11))
    rec.on_signals(signals(T0 + timedelta(seconds=40), 6))
    rec.on_signals(signals(T0 + timedelta(seconds=50), 2))
    rec.on_signals(signals(T0 + timedelta(seconds=500), 6))
    assert await types(rec) == [
        "downtime.started",
        "downtime.ended",
        "downtime.coded",
        "downtime.started",
        "downtime.ended",
    ]
    micro, long = rec.stops.values()
    assert micro.automatic
    assert micro.reason == "MICRO"
    assert long.needs_reason
    await rec.store.close()


async def test_coding_recoding_and_a_wrong_code(tmp_path: Path) -> None:
    rec = await recorder(tmp_path / "s.db")
    rec.person = "P-0042"
    rec.on_signals(signals(T0, 11))
    stop_id = next(iter(rec.stops))
    await rec.code(stop_id, "MECH.JAM")
    await rec.code(stop_id, "MECH.CAPPER")
    with pytest.raises(RecordError, match="not in this machine's reason list"):
        await rec.code(stop_id, "MECH")  # a group, not a reason
    events = await rec.store.events(type_prefix="downtime.")
    recoded = events[-1]
    assert recoded.type == "downtime.recoded"
    assert recoded.recorded_by == "P-0042"
    assert (recoded.payload["old_reason"], recoded.payload["new_reason"]) == (
        "MECH.JAM",
        "MECH.CAPPER",
    )
    assert rec.stops[stop_id].reason == "MECH.CAPPER"
    await rec.store.close()


async def test_the_open_stop_survives_a_restart(tmp_path: Path) -> None:
    first = await recorder(tmp_path / "s.db")
    first.on_signals(signals(T0, 6))
    first.on_signals(signals(T0 + timedelta(seconds=10), 11, reason=17))
    await first.flush()
    stop_id = first.detector.open_stop.stop_id if first.detector.open_stop else ""
    await first.store.close()

    second = await recorder(tmp_path / "s.db")
    assert second.open_stop is not None
    assert second.open_stop.stop_id == stop_id
    second.on_signals(signals(T0 + timedelta(seconds=10), 11, reason=17))  # still held
    second.on_signals(signals(T0 + timedelta(seconds=300), 6))
    await second.flush()
    (ended,) = await second.store.events(type_prefix="downtime.ended")
    assert ended.payload["stop_id"] == stop_id
    assert ended.payload["duration_s"] == 290
    seqs = [e.seq for e in await second.store.events()]
    assert seqs == list(range(1, len(seqs) + 1))
    await second.store.close()


async def test_a_failed_write_leaves_nothing_half_done(tmp_path: Path) -> None:
    rec = await recorder(tmp_path / "s.db", busy_timeout_ms=100)
    rec.on_signals(signals(T0, 11))
    await rec.flush()
    stop_id = next(iter(rec.stops))
    blocker = sqlite3.connect(tmp_path / "s.db", timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")  # another writer holds the database
    try:
        with pytest.raises(RecordError, match="Not saved"):
            await rec.code(stop_id, "MECH.JAM")
    finally:
        blocker.rollback()
        blocker.close()
    assert rec.last_error
    assert [e.type for e in await rec.store.events()] == ["downtime.started"]
    await rec.store.close()


def test_events_land_together_or_not_at_all(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    event = make_event(
        "downtime.deferred",
        DowntimeDeferred(stop_id="s1"),
        context=CONTEXT,
        occurred_at=T0,
        recorded_by=None,
    )
    store.append([event])
    with pytest.raises(StoreError, match="UNIQUE"):
        store.append([event.model_copy(update={"event_id": "fresh"}), event], {"k": 1})
    assert store.count() == 1
    assert "k" not in store.state()
    store.close()


async def test_a_new_day_keeps_only_todays_stops_in_memory(tmp_path: Path) -> None:
    store = AsyncStore(tmp_path / "s.db")
    await store.open()
    now = [T0]
    rec = StationRecorder(
        store, CONTEXT, SETUP, day_start=lambda at: at.replace(hour=0), clock=lambda: now[0]
    )
    await rec.open()
    rec.on_signals(signals(T0, 11))
    rec.on_signals(signals(T0 + timedelta(seconds=300), 6))
    now[0] = T0 + timedelta(days=1)
    rec.on_signals(signals(now[0], 11))
    assert [s.started_at for s in rec.stops.values()] == [now[0]]
    assert len(await store.events(type_prefix="downtime.started")) == 2  # the record keeps both
    await store.close()


async def test_machine_events_wait_in_memory_while_the_record_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("lineside.offline.recorder.RETRY_UNSAVED_S", 0.05)
    rec = await recorder(tmp_path / "s.db", busy_timeout_ms=50)
    rec.on_signals(signals(T0, 6))
    await rec.flush()
    blocker = sqlite3.connect(tmp_path / "s.db", timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")  # the record cannot be written (as with a full disk)
    try:
        rec.on_signals(signals(T0 + timedelta(seconds=10), 11, reason=17))
        rec.on_signals(signals(T0 + timedelta(seconds=200), 6))
        await wait_for(lambda: rec.unsaved == 2, "the stop's events held in memory")
        stop_id = next(iter(rec.stops))
        with pytest.raises(RecordError, match="Not saved: the station cannot write"):
            await rec.code(stop_id, "MECH.JAM")  # the operator is told; nothing jumps the queue
    finally:
        blocker.rollback()
        blocker.close()
    await wait_for(lambda: rec.unsaved == 0, "the held events written once the disk allows")
    written = await rec.store.events()
    assert [e.type for e in written] == ["downtime.started", "downtime.ended"]
    assert [e.seq for e in written] == list(range(1, len(written) + 1))
    assert rec.last_error == ""
    await rec.code(stop_id, "MECH.JAM")
    assert (await types(rec))[-1] == "downtime.coded"
    await rec.store.close()


async def test_a_full_outbox_refuses_reasons_but_not_stops_or_sign_in(tmp_path: Path) -> None:
    store = AsyncStore(tmp_path / "s.db", cap=2)
    await store.open()
    rec = StationRecorder(store, CONTEXT, SETUP, day_start=lambda _now: T0 - timedelta(days=1))
    await rec.open()
    rec.on_signals(signals(T0, 11))
    rec.on_signals(signals(T0 + timedelta(seconds=300), 6))
    rec.on_signals(signals(T0 + timedelta(seconds=400), 11))
    await rec.flush()
    assert len(await store.events()) == 3  # past the cap: a stop is never lost
    stop_id = next(iter(rec.stops))
    with pytest.raises(RecordError, match="3 entries are waiting for the server"):
        await rec.code(stop_id, "MECH.JAM")
    lead = Person(person_id="P-2001", name="Marco Rossi", badge="2001", role=Role.TEAM_LEAD)
    await rec.sign_in(lead)  # a team lead can still sign in to look at the sync screen
    assert rec.person == "P-2001"
    assert (await types(rec))[-1] == "person.signed_in"
    await store.close()
