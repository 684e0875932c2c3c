"""From the simulated PLC to committed outbox events, over real OPC UA on loopback.

The first three tests run the station's record in-process on a plain asyncio loop
(OpcUaMachine → Ledger → AsyncStore, wired as the HMI wires them) against the
simulator as a subprocess; the last one runs the real HMI process. Expected times come from
the simulator's trace (`--trace` prints the source timestamp of each state it writes), so the
tests compare the record with what the PLC said, never with how long the test waited.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

import pytest

from lineside.devices.machine import ConnectionState
from lineside.domain.events import Event
from lineside.domain.machine_state import StopCategory
from lineside.domain.shifts import shift_at
from tests.integration.conftest import (
    FILLER_LINE,
    OutboxRow,
    Processes,
    StationFiles,
    WiredStation,
    assert_gap_free,
    await_row,
    free_port,
    held_scenario,
    integrity_check,
    of_type,
    plc_time,
    read_outbox,
    stops_of,
    wait_for_row,
)

StationFactory = Callable[..., StationFiles]
WiredFactory = Callable[[StationFiles], Awaitable[WiredStation]]
ScenarioFactory = Callable[[str, str], Path]


STARVED_THEN_BLOCKED = (
    FILLER_LINE
    + """
[[event]]
at = 0.5
machine = "Filler"
state = "Suspended"
starved = true
for = "0.8s"

[[event]]
at = 1.6
machine = "Filler"
state = "Suspended"
blocked = true
for = "2.5s"
"""
)
PLAY = ("--once", "--trace")


def check_record(rows: list[OutboxRow], station: str = "L1-FILLER") -> None:
    """Gap-free seq from 1, and every row a valid domain event of this station."""
    assert_gap_free(rows)
    for row in rows:
        assert row.station_id == station
        Event.model_validate(
            {
                "event_id": row.event_id,
                "station_id": row.station_id,
                "seq": row.seq,
                "type": row.type,
                "occurred_at": row.occurred_at,
                "recorded_by": row.recorded_by,
                "context": row.context,
                "payload": row.payload,
                "schema_version": row.schema_version,
            }
        )


def one(rows: list[OutboxRow], kind: str, **payload: object) -> OutboxRow:
    """The single row of this type (with these payload values)."""
    found = [row for row in rows if of_type(kind, **payload)(row)]
    assert len(found) == 1, (kind, payload, [(r.type, r.payload) for r in rows])
    return found[0]


def at(text: str) -> datetime:
    """A payload time (ISO text with Z) as an aware datetime."""
    return datetime.fromisoformat(text)


async def finish(station: WiredStation) -> list[OutboxRow]:
    """Stop the station (every commit on disk) and read its whole record."""
    await station.stop()
    assert station.ledger.last_error == ""
    rows = read_outbox(station.db)
    assert station.ledger.committed == len(rows)
    return rows


def facts(rows: list[OutboxRow]) -> list[OutboxRow]:
    """The downtime and machine-link rows (counts and terminal starts left out)."""
    return [row for row in rows if row.type.startswith(("downtime.", "machine."))]


async def test_a_held_stop_on_the_simulator_becomes_started_and_ended_events(
    processes: Processes,
    scenario_file: ScenarioFactory,
    station_files: StationFactory,
    wired_station: WiredFactory,
) -> None:
    assert type(asyncio.get_running_loop()).__module__.startswith("asyncio.")  # no Qt loop
    sim = await processes.asimulator(
        "--scenario", str(scenario_file("held.toml", held_scenario(1, "3s"))), *PLAY
    )
    files = station_files(sim.port, micro_stop_threshold_s=2)
    station = await wired_station(files)

    await await_row(files.db, of_type("downtime.ended"), "the end of the Held stop")
    rows = await finish(station)

    held, back = sim.state_record(11), sim.state_record(6)
    check_record(rows)
    assert [row.type for row in facts(rows)] == [
        "machine.connected",
        "downtime.started",
        "downtime.ended",
    ]
    started, ended = facts(rows)[1:]
    assert started.payload == {
        "stop_id": started.payload["stop_id"],
        "started_at": started.payload["started_at"],
        "category": "internal",
        "state": "Held",
        "plc_reason_id": 17,
        "plc_reason_message": "Bottle jam infeed",
        "suggested_reason": "MECH.JAM.INFEED",
        "unknown_cause": None,
        "follows_gap": False,
        "uncertain": [],
    }
    assert at(started.payload["started_at"]) == started.occurred_at == plc_time(held)
    assert ended.payload["stop_id"] == started.payload["stop_id"]
    assert ended.payload["cause"] == "producing"
    assert at(ended.payload["ended_at"]) == ended.occurred_at == plc_time(back)
    assert ended.payload["duration_s"] == pytest.approx(3.0, abs=0.5)
    assert ended.payload["duration_s"] == (plc_time(back) - plc_time(held)).total_seconds()
    context = {
        "line": "Line1",
        "station": "L1-FILLER",
        "equipment": "Filler",
        "order": "4711",
        "operation": "0010 Fill",
        "product": "Still water 0.5 l",
        "person": None,
        "fallback": True,
        "master_data": {"reason_tree": "filler@4", "shift_calendar": "Plant"},
    }
    assert {key: started.context.get(key) for key in context} == context
    calendar = files.load().local_calendar
    assert calendar is not None
    span = shift_at(calendar, files.load().tz, started.occurred_at)
    assert span is not None
    assert started.context["shift"] == span.key  # from the calendar at the moment of the stop
    assert facts(rows)[0].payload["endpoint"] == sim.endpoint
    assert integrity_check(files.db) == ["ok"]


async def test_b_starved_and_blocked_are_external_and_a_short_stop_is_a_micro_stop(
    processes: Processes,
    scenario_file: ScenarioFactory,
    station_files: StationFactory,
    wired_station: WiredFactory,
) -> None:
    scenario = scenario_file("external.toml", STARVED_THEN_BLOCKED)
    sim = await processes.asimulator("--scenario", str(scenario), *PLAY)
    files = station_files(sim.port, micro_stop_threshold_s=2)
    station = await wired_station(files)

    await await_row(files.db, of_type("downtime.ended"), "both stops' ends", count=2)
    rows = await finish(station)

    check_record(rows)
    stops = stops_of(rows)
    assert [stop.category for stop in stops] == ["starved", "blocked"]
    assert all(StopCategory(stop.category).is_external for stop in stops)
    starved, blocked = stops
    suspended = [r for r in sim.records if r["event"] == "state" and r["state"] == 5]
    executes = [r for r in sim.records if r["event"] == "state" and r["state"] == 6]
    assert len(suspended) == len(executes) == 2
    for stop, begin, end in zip(stops, suspended, executes, strict=True):
        assert stop.started_at == plc_time(begin)
        assert stop.ended_at == plc_time(end)
        assert stop.cause == "producing"
    assert starved.duration_s == pytest.approx(0.8, abs=0.5)
    assert blocked.duration_s == pytest.approx(2.5, abs=0.4)

    started = one(rows, "downtime.started", stop_id=starved.stop_id)
    assert started.payload["state"] == "Suspended"
    assert started.payload["plc_reason_id"] is None
    assert started.payload["suggested_reason"] is None
    coded = one(rows, "downtime.coded")
    assert coded.payload == {
        "stop_id": starved.stop_id,
        "reason": "PERF.MICRO",
        "reason_path": "Short stops › Micro-stop",
        "tree_id": "filler",
        "tree_version": "4",
        "automatic": True,
        "rule": "micro_stop",
    }
    assert coded.recorded_by is None
    assert coded.occurred_at == starved.ended_at
    assert [row.type for row in facts(rows)] == [
        "machine.connected",
        "downtime.started",
        "downtime.ended",
        "downtime.coded",  # 0.8 s < 2 s: a micro-stop, coded by the station
        "downtime.started",
        "downtime.ended",  # 2.5 s ≥ 2 s: waits for the operator's reason
    ]


async def test_c_a_server_restart_mid_stop_loses_nothing(
    processes: Processes,
    scenario_file: ScenarioFactory,
    station_files: StationFactory,
    wired_station: WiredFactory,
) -> None:
    first = await processes.asimulator(
        "--scenario", str(scenario_file("long.toml", held_scenario(1, "10m"))), *PLAY
    )
    files = station_files(first.port)
    station = await wired_station(files)
    await await_row(files.db, of_type("downtime.started"), "the Held stop")
    assert station.ledger.open_stop is not None
    held_before = first.state_record(11)

    mark = len(station.statuses)
    assert await first.aterminate() == 0, first.describe()
    lost = await station.wait_status(ConnectionState.RECONNECTING, mark)
    second = await processes.asimulator(
        "--scenario",
        str(scenario_file("restart.toml", held_scenario(0, "2s"))),
        *PLAY,
        port=first.port,
    )
    await await_row(files.db, of_type("downtime.ended", cause="producing"), "the end of the stop")
    rows = await finish(station)

    check_record(rows)
    held_after, back = second.state_record(11), second.state_record(6)
    connected = [row for row in rows if row.type == "machine.connected"]
    assert [row.payload["server_restarted"] for row in connected] == [False, True]
    assert connected[0].payload["server_started_at"] != connected[1].payload["server_started_at"]
    disconnected = one(rows, "machine.disconnected")
    assert disconnected.occurred_at == lost.since
    assert disconnected.payload["endpoint"] == first.endpoint == second.endpoint

    # The new server stamped its state afresh, after the loss, so its timestamps prove
    # nothing; the same jam with the same first-out on both sides stays one stop, with the
    # outage inside it, and is never coded automatically.
    assert plc_time(held_after) > lost.since
    (stop,) = stops_of(rows)
    assert stop.started_at == plc_time(held_before)
    assert stop.ended_at == plc_time(back)
    assert (stop.category, stop.cause) == ("internal", "producing")
    assert not [row for row in rows if row.type == "downtime.coded"]
    assert station.ledger.stops[stop.stop_id].gaps[0][0] == lost.since
    assert disconnected.seq < connected[1].seq
    assert integrity_check(files.db) == ["ok"]


def test_d_the_hmi_starts_while_the_server_is_down_and_catches_up(
    processes: Processes, scenario_file: ScenarioFactory, station_files: StationFactory
) -> None:
    port = free_port()
    files = station_files(port)
    hmi = processes.hmi(files.config)
    wait_for_row(files.db, of_type("machine.disconnected"), "the refused connection", hmi=hmi)

    scenario = scenario_file("held.toml", held_scenario(0, "10m"))
    sim = processes.simulator("--scenario", str(scenario), *PLAY, port=port)
    wait_for_row(
        files.db, of_type("downtime.started", category="internal"), "the Held stop", hmi=hmi
    )
    assert hmi.terminate() == 0, hmi.output()
    assert "Traceback" not in hmi.output()

    rows = read_outbox(files.db)
    check_record(rows)
    assert [row.type for row in facts(rows)] == [
        "machine.disconnected",
        "machine.connected",
        "downtime.started",
        "downtime.ended",
        "downtime.started",
    ]
    assert rows[0].type == "terminal.started"
    disconnected = facts(rows)[0]
    assert disconnected.payload["endpoint"] == f"opc.tcp://127.0.0.1:{port}/lineside/sim"
    assert "connection refused" in disconnected.payload["detail"]
    held = plc_time(sim.state_record(11))
    unknown, internal = stops_of(rows)
    assert (unknown.category, unknown.cause) == ("unknown", "state_known")
    assert unknown.started_at == disconnected.occurred_at
    assert unknown.ended_at == held
    assert internal.category == "internal"
    assert internal.started_at == held
    assert internal.ended_at is None
    assert facts(rows)[-1].payload["plc_reason_id"] == 17
    assert facts(rows)[-1].payload["suggested_reason"] == "MECH.JAM.INFEED"
    assert integrity_check(files.db) == ["ok"]
