"""The ledger commits every fact before it is shown, takes context from the moment of the fact,
codes stops by the floor's rules, and keeps every gap as a fact."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from lineside.domain.events import DowntimeDeferred, EventContext, make_event
from lineside.domain.machine_state import StopCategory
from lineside.domain.people import Person, Role
from lineside.domain.projections import fold
from lineside.offline.store import Store, StoreError
from lineside.station.commands import downtime, session
from lineside.station.ledger import Ledger, Refused
from tests.support.ledger import T0, Clock, close_ledger, open_ledger, signals, source, wait_for

S = timedelta(seconds=1)
ANNA = Person(person_id="P-0042", name="Anna Berg", badge="1001")
LEAD = Person(person_id="P-2001", name="Marco Rossi", badge="2001", role=Role.TEAM_LEAD)


async def types(ledger: Ledger, prefix: str = "") -> list[str]:
    await ledger.flush()
    return [e.type for e in await ledger.store.events(type_prefix=prefix)]


async def record_folds_to_memory(ledger: Ledger) -> None:
    """The projections equal a fold of everything committed (the one source of truth)."""
    await ledger.flush()
    folded = fold(await ledger.store.events(), ledger.day_start)
    assert folded == ledger.projections


async def test_a_stop_carries_the_context_of_its_moment(tmp_path: Path) -> None:
    clock = Clock(T0 + 2 * S)
    ledger = await open_ledger(tmp_path / "s.db", clock=clock)
    await session.sign_in(ledger, ANNA)
    ledger.on_signals(signals(T0, 6))
    ledger.on_signals(signals(T0 + 10 * S, 11, reason=17))
    await ledger.flush()
    (started,) = await ledger.store.events(type_prefix="downtime.started")
    assert started.context.shift == "Early@2026-11-22"
    assert started.context.person == "P-0042"
    assert started.recorded_by is None  # the machine recorded it, while Anna was signed in
    assert started.context.order == "4711"
    assert started.context.fallback  # from the config until an order runs
    assert started.payload["suggested_reason"] == "MECH.JAM"
    assert started.schema_version == 2
    await record_folds_to_memory(ledger)
    await close_ledger(ledger)


async def test_the_shift_changes_exactly_at_its_boundary(tmp_path: Path) -> None:
    ledger = await open_ledger(tmp_path / "s.db")
    boundary = T0 + timedelta(hours=8)  # 14:00 UTC: Early → Late
    ledger.on_signals(signals(boundary - 20 * S, 11))  # a stop that spans the boundary
    ledger.on_signals(signals(boundary + 100 * S, 6))
    await ledger.flush()
    started, ended = await ledger.store.events(type_prefix="downtime.")
    assert started.context.shift == "Early@2026-11-22"
    assert ended.context.shift == "Late@2026-11-22"
    await close_ledger(ledger)


async def test_short_stops_are_coded_by_rule_long_ones_wait_for_a_person(tmp_path: Path) -> None:
    ledger = await open_ledger(tmp_path / "s.db")
    ledger.on_signals(signals(T0, 6))
    ledger.on_signals(signals(T0 + 10 * S, 11))  # no PLC reason, 20 s: a micro-stop
    ledger.on_signals(signals(T0 + 30 * S, 6))
    ledger.on_signals(signals(T0 + 40 * S, 11, reason=17))  # mapped PLC reason, 15 s
    ledger.on_signals(signals(T0 + 55 * S, 6))
    ledger.on_signals(signals(T0 + 60 * S, 11, reason=17))  # 95 s: a real stop
    ledger.on_signals(signals(T0 + 155 * S, 6))
    await ledger.flush()
    micro, mapped, long = ledger.stops.values()
    assert (micro.reason, micro.automatic, micro.rule) == ("PERF.MICRO", True, "micro_stop")
    assert micro.tree == "filler@3"
    assert (mapped.reason, mapped.automatic, mapped.rule) == ("MECH.JAM", True, "plc_reason")
    assert long.needs_reason
    assert long.asks_person
    coded = await ledger.store.events(type_prefix="downtime.coded")
    assert all(e.payload["tree_id"] == "filler" and e.payload["tree_version"] == "3" for e in coded)
    await record_folds_to_memory(ledger)
    await close_ledger(ledger)


async def test_a_deferred_or_split_stop_stays_for_a_person(tmp_path: Path) -> None:
    ledger = await open_ledger(tmp_path / "s.db", clock=Clock(T0 + 30 * S))
    ledger.on_signals(signals(T0, 11))
    first = ledger.open_stop
    assert first is not None
    await downtime.defer(ledger, first.stop_id)
    ledger.on_signals(signals(T0 + 10 * S, 6))
    ledger.on_signals(signals(T0 + 20 * S, 11))
    second = ledger.open_stop
    assert second is not None
    part = await downtime.split(ledger, second.stop_id, T0 + 25 * S)
    ledger.on_signals(signals(T0 + 35 * S, 6))  # the machine names the stop it knows
    await ledger.flush()
    assert ledger.stops[first.stop_id].needs_reason
    assert ledger.stops[second.stop_id].ended_at == T0 + 25 * S
    assert ledger.stops[part].ended_at == T0 + 35 * S  # the part that went on ended
    assert ledger.stops[part].needs_reason
    assert await types(ledger, "downtime.coded") == []
    await record_folds_to_memory(ledger)
    await close_ledger(ledger)


async def test_planned_stops_are_coded_with_their_reason_and_never_ask(tmp_path: Path) -> None:
    ledger = await open_ledger(tmp_path / "s.db")
    ledger.on_signals(signals(T0, 6))
    ledger.on_signals(signals(T0 + 10 * S, 17))  # PackML Complete: planned by state
    stop = ledger.open_stop
    assert stop is not None
    assert stop.category is StopCategory.PLANNED
    assert (stop.reason, stop.rule) == ("OPS.DONE", "planned_state")
    assert not stop.asks_person
    ledger.on_signals(signals(T0 + timedelta(hours=3), 6))
    ledger.on_signals(signals(T0 + timedelta(hours=3, minutes=2), 11))  # 09:02: in the break
    in_break = ledger.open_stop
    assert in_break is not None
    assert (in_break.category, in_break.reason, in_break.rule) == (
        StopCategory.PLANNED,
        "OPS.BREAK",
        "break",
    )
    await record_folds_to_memory(ledger)
    await close_ledger(ledger)


async def test_coding_recoding_and_a_wrong_code(tmp_path: Path) -> None:
    ledger = await open_ledger(tmp_path / "s.db")
    await session.sign_in(ledger, ANNA)
    ledger.on_signals(signals(T0, 11))
    stop_id = next(iter(ledger.stops))
    await downtime.code(ledger, stop_id, "MECH.JAM")
    await downtime.code(ledger, stop_id, "MECH.CAPPER")
    with pytest.raises(Refused) as refused:
        await downtime.code(ledger, stop_id, "MECH")  # a group, not a reason
    assert refused.value.code == "reason_unknown"
    recoded = (await ledger.store.events(type_prefix="downtime."))[-1]
    assert recoded.type == "downtime.recoded"
    assert recoded.recorded_by == "P-0042"
    assert (recoded.payload["old_reason"], recoded.payload["new_reason"]) == (
        "MECH.JAM",
        "MECH.CAPPER",
    )
    assert ledger.stops[stop_id].reason == "MECH.CAPPER"
    await close_ledger(ledger)


async def test_the_open_stop_survives_a_restart(tmp_path: Path) -> None:
    first = await open_ledger(tmp_path / "s.db")
    first.on_signals(signals(T0, 6))
    first.on_signals(signals(T0 + 10 * S, 11, reason=17))
    await close_ledger(first)
    stop_id = first.detector.open_stop.stop_id if first.detector.open_stop else ""

    second = await open_ledger(tmp_path / "s.db", clock=Clock(T0 + 60 * S))
    assert second.open_stop is not None
    assert second.open_stop.stop_id == stop_id
    second.on_signals(signals(T0 + 10 * S, 11, reason=17, received=T0 + 61 * S))  # still held
    second.on_signals(signals(T0 + 300 * S, 6))
    await second.flush()
    (ended,) = await second.store.events(type_prefix="downtime.ended")
    assert ended.payload["stop_id"] == stop_id
    assert ended.payload["duration_s"] == 290
    seqs = [e.seq for e in await second.store.events()]
    assert seqs == list(range(1, len(seqs) + 1))
    await record_folds_to_memory(second)
    await close_ledger(second)


async def test_while_the_terminal_was_down_the_machine_ran_and_stopped_again(
    tmp_path: Path,
) -> None:
    first = await open_ledger(tmp_path / "s.db")
    first.on_signals(signals(T0, 11, reason=17))
    first.tick(T0 + 40 * S)  # the terminal last saw the machine at T0 + 40 s
    await close_ledger(first)
    (old,) = first.stops

    second = await open_ledger(tmp_path / "s.db", clock=Clock(T0 + 300 * S))
    # The PLC's state changed at T0 + 200 s, after the terminal died: run and stop again.
    second.on_signals(signals(T0 + 200 * S, 11, reason=17, received=T0 + 301 * S))
    await second.flush()
    stops = list(second.stops.values())
    assert next(s.stop_id for s in stops) == old
    first_stop, gap, new = stops
    assert first_stop.ended_at == T0 + 40 * S
    assert (gap.category, gap.unknown_cause) == (StopCategory.UNKNOWN, "station_down")
    assert (gap.started_at, gap.ended_at) == (T0 + 40 * S, T0 + 200 * S)
    assert new.started_at == T0 + 200 * S
    assert new.is_open
    assert new.follows_gap
    ended = await second.store.events(type_prefix="downtime.ended")
    assert ended[0].payload["cause"] == "station_down"
    await record_folds_to_memory(second)
    await close_ledger(second)


async def test_a_stop_across_an_opc_ua_server_restart_stays_one_stop(tmp_path: Path) -> None:
    ledger = await open_ledger(tmp_path / "s.db")
    ledger.on_connection_restored(T0, "opc.tcp://plc", server_started_at=T0 - timedelta(days=3))
    ledger.on_signals(signals(T0, 6))
    ledger.on_signals(signals(T0 + 10 * S, 11, reason=17))
    ledger.on_connection_lost(T0 + 12 * S, "opc.tcp://plc", "connection closed")
    # The PLC rebooted: a new process, fresh source timestamps, same jam on both sides.
    ledger.on_connection_restored(T0 + 23 * S, "opc.tcp://plc", server_started_at=T0 + 20 * S)
    ledger.on_signals(signals(T0 + 21 * S, 11, reason=17, received=T0 + 23 * S))
    ledger.on_signals(signals(T0 + 27 * S, 6))  # 17 s in all: short, but it spans a gap
    await ledger.flush()
    (stop,) = ledger.stops.values()
    assert (stop.started_at, stop.ended_at) == (T0 + 10 * S, T0 + 27 * S)
    assert stop.gaps == ((T0 + 12 * S, T0 + 23 * S),)
    connected = (await ledger.store.events(type_prefix="machine.connected"))[-1]
    assert connected.payload["server_restarted"] is True
    await record_folds_to_memory(ledger)
    await close_ledger(ledger)


async def test_after_a_server_restart_with_another_state_the_pieces_wait_for_a_person(
    tmp_path: Path,
) -> None:
    ledger = await open_ledger(tmp_path / "s.db")
    ledger.on_connection_restored(T0, "opc.tcp://plc", server_started_at=T0 - timedelta(days=3))
    ledger.on_signals(signals(T0, 6))
    ledger.on_signals(signals(T0 + 10 * S, 11, reason=17))
    ledger.on_connection_lost(T0 + 12 * S, "opc.tcp://plc", "connection closed")
    ledger.on_connection_restored(T0 + 23 * S, "opc.tcp://plc", server_started_at=T0 + 20 * S)
    ledger.on_signals(signals(T0 + 21 * S, 2, received=T0 + 23 * S))  # now Stopped, no reason
    ledger.on_signals(signals(T0 + 25 * S, 6))
    await ledger.flush()
    before, gap, after = ledger.stops.values()
    assert gap.category is StopCategory.UNKNOWN
    assert after.follows_gap
    assert not before.coded
    assert not after.coded
    await close_ledger(ledger)


async def test_a_bad_quality_state_is_unknown_time(tmp_path: Path) -> None:
    ledger = await open_ledger(tmp_path / "s.db")
    ledger.on_signals(signals(T0, 6))
    bad = signals(T0 + 10 * S, 6, received=T0 + 10 * S)
    ledger.on_signals(
        type(bad)(changed_at=T0 + 10 * S, received_at=T0 + 10 * S, bad=frozenset({"state_current"}))
    )
    assert not ledger.projections.link.connected
    ledger.on_signals(signals(T0 + 30 * S, 6, received=T0 + 31 * S))  # good again, it changed
    assert ledger.projections.link.connected  # the header no longer says "State unknown"
    await ledger.flush()
    (gap,) = ledger.stops.values()
    assert (gap.category, gap.unknown_cause) == (StopCategory.UNKNOWN, "bad_quality")
    assert (gap.started_at, gap.ended_at) == (T0 + 10 * S, T0 + 30 * S)
    await close_ledger(ledger)


async def test_uncertain_values_are_kept_with_the_fact(tmp_path: Path) -> None:
    ledger = await open_ledger(tmp_path / "s.db")
    ledger.on_signals(signals(T0, 6))
    ledger.on_signals(signals(T0 + 5 * S, 11, uncertain=frozenset({"stop_reason_id"})))
    await ledger.flush()
    (started,) = await ledger.store.events(type_prefix="downtime.started")
    assert started.payload["uncertain"] == ["stop_reason_id"]
    await close_ledger(ledger)


async def test_counts_are_cut_at_stops_intervals_and_shift_boundaries(tmp_path: Path) -> None:
    ledger = await open_ledger(tmp_path / "s.db")
    boundary = T0 + timedelta(hours=8)
    start = boundary - 150 * S
    ledger.on_signals(signals(start, 6, good=1000, defective=10))
    ledger.on_signals(signals(start, 6, received=start + 50 * S, good=1050, defective=11))
    ledger.on_signals(signals(start + 60 * S, 11, good=1060, defective=11))  # stop: cut
    ledger.on_signals(signals(start + 100 * S, 6, good=1060, defective=11))
    ledger.on_signals(signals(start + 100 * S, 6, received=boundary - S, good=1100, defective=12))
    ledger.on_signals(signals(start + 100 * S, 6, received=boundary + S, good=1130, defective=12))
    ledger.tick(boundary + 2 * S)  # the boundary passed: cut at exactly 14:00
    await ledger.flush()
    counts = list(await ledger.store.events(type_prefix="count."))
    assert [(e.payload["good"], e.context.shift) for e in counts] == [
        (60, "Early@2026-11-22"),
        (70, "Early@2026-11-22"),  # everything up to the boundary tick
    ]
    assert counts[-1].payload["ended_at"] == boundary.isoformat().replace("+00:00", "Z")
    assert ledger.projections.counts.of_shift("Early@2026-11-22") == (130, 2)
    await record_folds_to_memory(ledger)
    await close_ledger(ledger)


async def test_a_counter_reset_and_rollover_never_count_backwards(tmp_path: Path) -> None:
    ledger = await open_ledger(tmp_path / "s.db")
    ledger.on_signals(signals(T0, 6, good=4_294_967_290, defective=0))
    ledger.on_signals(signals(T0, 6, received=T0 + 10 * S, good=4, defective=0))  # 32-bit wrap
    ledger.on_signals(signals(T0, 6, received=T0 + 20 * S, good=30, defective=0))
    ledger.on_signals(signals(T0, 6, received=T0 + 30 * S, good=5, defective=0))  # PLC restart
    ledger.tick(T0 + 61 * S)
    await ledger.flush()
    (count,) = await ledger.store.events(type_prefix="count.")
    assert count.payload["good"] == 10 + 26 + 5
    assert (count.payload["rollovers"], count.payload["resets"]) == (1, 1)
    await close_ledger(ledger)


async def test_a_failed_write_leaves_no_trace_in_memory(tmp_path: Path) -> None:
    ledger = await open_ledger(tmp_path / "s.db", busy_timeout_ms=100)
    ledger.on_signals(signals(T0, 11))
    await ledger.flush()
    stop_id = next(iter(ledger.stops))
    announced: list[set[str]] = []
    ledger.subscribe(announced.append)
    blocker = sqlite3.connect(tmp_path / "s.db", timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")  # another writer holds the database
    try:
        with pytest.raises(Refused) as refused:
            await downtime.code(ledger, stop_id, "MECH.JAM")
        with pytest.raises(Refused):
            await downtime.split(ledger, stop_id, T0 + S / 2)
    finally:
        blocker.rollback()
        blocker.close()
    assert refused.value.code == "record_unwritable"
    assert ledger.last_error
    assert not ledger.stops[stop_id].coded
    assert list(ledger.stops) == [stop_id]  # the refused split made no second part
    assert all(not touched for touched in announced)  # nothing shown as changed
    ledger.on_signals(signals(T0 + 100 * S, 6))
    await ledger.flush()
    (ended,) = await ledger.store.events(type_prefix="downtime.ended")
    assert ended.payload["stop_id"] == stop_id
    await record_folds_to_memory(ledger)
    await close_ledger(ledger)


def test_events_land_together_or_not_at_all(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    context = EventContext(line="Line1", station="L1-FILLER")
    event = make_event(
        DowntimeDeferred(stop_id="s1"), context=context, occurred_at=T0, recorded_by=None
    )
    store.append([event])
    with pytest.raises(StoreError, match="UNIQUE"):
        store.append([event.model_copy(update={"event_id": "fresh"}), event], {"k": 1})
    assert store.count() == 1
    assert "k" not in store.state()
    store.close()


async def test_a_new_day_keeps_only_todays_stops_in_memory(tmp_path: Path) -> None:
    clock = Clock()
    ledger = await open_ledger(tmp_path / "s.db", clock=clock)
    ledger.on_signals(signals(T0, 11))
    ledger.on_signals(signals(T0 + 300 * S, 6))
    clock.now = T0 + timedelta(days=1)
    ledger.on_signals(signals(clock.now, 11))
    await ledger.flush()
    assert [s.started_at for s in ledger.stops.values()] == [clock.now]
    assert len(await ledger.store.events(type_prefix="downtime.started")) == 2
    await close_ledger(ledger)


async def test_machine_events_wait_in_memory_while_the_record_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("lineside.station.ledger.RETRY_UNSAVED_S", 0.05)
    ledger = await open_ledger(tmp_path / "s.db", busy_timeout_ms=50)
    ledger.on_signals(signals(T0, 6))
    await ledger.flush()
    blocker = sqlite3.connect(tmp_path / "s.db", timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")  # the record cannot be written (as with a full disk)
    try:
        ledger.on_signals(signals(T0 + 10 * S, 11, reason=17))
        ledger.on_signals(signals(T0 + 200 * S, 6))
        await wait_for(lambda: ledger.unsaved == 2, "the stop's events held in memory")
        stop_id = next(iter(ledger.stops))
        assert ledger.stops[stop_id].ended_at == T0 + 200 * S  # applied, though not on disk
        with pytest.raises(Refused) as refused:
            await downtime.code(ledger, stop_id, "MECH.JAM")  # nothing jumps the queue
        assert refused.value.code == "record_unwritable"
    finally:
        blocker.rollback()
        blocker.close()
    await wait_for(lambda: ledger.unsaved == 0, "the held events written once the disk allows")
    written = await ledger.store.events(type_prefix="downtime.")
    assert [e.type for e in written] == ["downtime.started", "downtime.ended"]
    seqs = [e.seq for e in await ledger.store.events()]
    assert seqs == list(range(1, len(seqs) + 1))
    assert ledger.last_error == ""
    await downtime.code(ledger, stop_id, "MECH.JAM")
    assert (await types(ledger))[-1] == "downtime.coded"
    await record_folds_to_memory(ledger)
    await close_ledger(ledger)


async def test_a_full_outbox_refuses_reasons_but_not_stops_or_sign_in(tmp_path: Path) -> None:
    ledger = await open_ledger(tmp_path / "s.db", cap=2)
    ledger.on_signals(signals(T0, 11))
    ledger.on_signals(signals(T0 + 300 * S, 6))
    ledger.on_signals(signals(T0 + 400 * S, 11))
    await ledger.flush()
    assert len(await ledger.store.events(type_prefix="downtime.")) == 3  # a stop is never lost
    stop_id = next(iter(ledger.stops))
    with pytest.raises(Refused) as refused:
        await downtime.code(ledger, stop_id, "MECH.JAM")
    assert refused.value.code == "outbox_full"
    assert not ledger.stops[stop_id].coded
    await session.sign_in(ledger, LEAD)  # a team lead can still sign in to look at the sync screen
    assert ledger.person == "P-2001"
    assert (await types(ledger))[-1] == "person.signed_in"
    await close_ledger(ledger)


async def test_signing_in_someone_else_signs_the_first_out_in_one_commit(tmp_path: Path) -> None:
    ledger = await open_ledger(tmp_path / "s.db")
    await session.sign_in(ledger, ANNA)
    await session.sign_in(ledger, LEAD)
    events = await ledger.store.events(type_prefix="person.")
    assert [(e.type, e.recorded_by, e.context.person) for e in events] == [
        ("person.signed_in", "P-0042", "P-0042"),
        ("person.signed_out", "P-0042", "P-0042"),
        ("person.signed_in", "P-2001", "P-2001"),
    ]
    assert ledger.session.role == "team_lead"
    await session.sign_out(ledger)
    assert ledger.person is None
    await close_ledger(ledger)


async def test_a_restart_after_local_midnight_rebuilds_the_whole_plant_day(
    tmp_path: Path,
) -> None:
    berlin = source(tz=ZoneInfo("Europe/Berlin"))
    just_after_midnight = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)  # 00:30 in Berlin
    clock = Clock(just_after_midnight)
    first = await open_ledger(tmp_path / "s.db", clock=clock, context=berlin)
    first.on_signals(signals(just_after_midnight, 11))
    await close_ledger(first)
    clock.now = just_after_midnight + 120 * S
    second = await open_ledger(tmp_path / "s.db", clock=clock, context=berlin)
    assert [s.started_at for s in second.stops.values()] == [just_after_midnight]
    await close_ledger(second)


@pytest.mark.parametrize(
    "saved",
    [
        {"version": 1, "plant_day": "2026-11-22T00:00:00+00:00", "through": "x", "stops": "junk"},
        {"version": 99, "plant_day": "2026-11-22T00:00:00+00:00"},
        "not a snapshot",
    ],
)
async def test_a_broken_saved_snapshot_falls_back_to_the_whole_record(
    tmp_path: Path, saved: object
) -> None:
    first = await open_ledger(tmp_path / "s.db")
    first.on_signals(signals(T0, 11, reason=17))
    await close_ledger(first)
    store = Store(tmp_path / "s.db")
    store.append([], {"projections": saved})  # a damaged or older snapshot on disk
    store.close()
    second = await open_ledger(tmp_path / "s.db")
    assert second.open_stop is not None  # nothing lost: the day is folded from the events
    assert second.open_stop.stop_id == first.detector.open_stop.stop_id  # type: ignore[union-attr]
    await record_folds_to_memory(second)
    await close_ledger(second)


async def test_a_restart_uses_the_saved_snapshot_and_the_events_after_it(tmp_path: Path) -> None:
    first = await open_ledger(tmp_path / "s.db")
    first.on_signals(signals(T0, 11, reason=17))
    await close_ledger(first)  # saves the projections
    store = Store(tmp_path / "s.db")
    assert store.state()["projections"]["through"]
    store.close()
    second = await open_ledger(tmp_path / "s.db")
    second.on_signals(signals(T0 + 100 * S, 6))
    await record_folds_to_memory(second)  # snapshot + tail equals the whole fold
    assert second.open_stop is None
    await close_ledger(second)


async def test_a_counter_outside_its_width_still_records_the_stop(tmp_path: Path) -> None:
    ledger = await open_ledger(tmp_path / "s.db")
    ledger.on_signals(signals(T0, 6, good=10, defective=0))
    ledger.on_signals(signals(T0 + 5 * S, 11, good=-3, defective=2**40))  # a misbehaving PLC
    await ledger.flush()
    assert ledger.open_stop is not None  # the stop is recorded; the bad reading is not counted
    assert await types(ledger, "downtime.") == ["downtime.started"]
    await close_ledger(ledger)
