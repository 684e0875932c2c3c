"""The HMI killed with SIGKILL mid-stop keeps its stop: the restarted HMI resumes it.

Real processes on loopback: the line simulator plays a Held stop, the HMI records it, the
HMI is killed (no shutdown code runs, as in a power cut of the process) and started again
with the same config. The record must show one stop with the PLC's start and end times,
whenever the restart happens, and the SQLite file must be intact.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.integration.conftest import (
    OutboxRow,
    Processes,
    SimProcess,
    StationFiles,
    assert_gap_free,
    held_scenario,
    integrity_check,
    of_type,
    plc_time,
    read_outbox,
    stops_of,
    wait_for_row,
    write_scenario,
    write_station,
)


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    """Simulator and HMI subprocesses, every one stopped by pid after the test."""
    procs = Processes(tmp_path)
    try:
        yield procs
    finally:
        procs.close()


def start_line(
    processes: Processes, tmp_path: Path, duration: float
) -> tuple[SimProcess, StationFiles]:
    """The simulator playing a Held stop of `duration` s from 1 s, and a station watching it."""
    scenario = write_scenario(tmp_path, "held.toml", held_scenario(1, f"{duration}s"))
    sim = processes.simulator("--scenario", str(scenario), "--once", "--trace")
    return sim, write_station(tmp_path / "station", sim.port)


def kill_mid_stop(processes: Processes, files: StationFiles) -> list[OutboxRow]:
    """Start the HMI, SIGKILL it once its stop is committed; the rows committed before."""
    hmi = processes.hmi(files.config)
    wait_for_row(files.db, of_type("downtime.started"), "the Held stop", hmi=hmi)
    before = read_outbox(files.db)
    assert hmi.kill() == -9
    return before


def check_one_resumed_stop(
    files: StationFiles, before: list[OutboxRow], sim: SimProcess, duration: float
) -> tuple[datetime, OutboxRow]:
    """One stop from the PLC's Held to its Execute, nothing lost; (its end, 2nd connect)."""
    assert integrity_check(files.db) == ["ok"]
    after = read_outbox(files.db)
    assert after[: len(before)] == before, "rows committed before the kill changed or vanished"
    assert_gap_free(after)
    held, back = plc_time(sim.state_record(11)), plc_time(sim.state_record(6))

    starts = [row for row in after if row.type == "downtime.started"]
    assert len(starts) == 1, f"the restart began a new stop: {[r.payload for r in starts]}"
    [started] = starts
    [stop] = stops_of(after)
    assert stop.stop_id == started.payload["stop_id"]
    assert stop.category == "internal"
    assert stop.started_at == held
    assert stop.ended_at == back
    assert stop.cause == "producing"
    assert stop.duration_s == pytest.approx(duration, abs=0.5)
    assert stop.duration_s == (back - held).total_seconds()
    coded = [row for row in after if row.type == "downtime.coded"]
    assert [row.payload["stop_id"] for row in coded] == [stop.stop_id]  # once, auto micro-stop

    connected = [row for row in after if row.type == "machine.connected"]
    assert len(connected) == 2
    assert [row.type for row in after] == [
        "machine.connected",
        "downtime.started",
        "machine.connected",  # the restarted HMI
        "downtime.ended",
        "downtime.coded",
    ]
    return back, connected[1]


def test_sigkill_mid_stop_resumes_the_same_stop_on_restart(
    processes: Processes, tmp_path: Path
) -> None:
    sim, files = start_line(processes, tmp_path, duration=8)
    before = kill_mid_stop(processes, files)

    hmi = processes.hmi(files.config)
    wait_for_row(files.db, of_type("downtime.ended"), "the end of the stop", hmi=hmi)
    assert hmi.terminate() == 0, hmi.output()
    assert "Traceback" not in hmi.output()

    ended_at, reconnected = check_one_resumed_stop(files, before, sim, 8)
    assert reconnected.occurred_at < ended_at, "the restart was meant to happen mid-stop"


def test_sigkill_mid_stop_and_restart_after_production_resumed_ends_at_the_plc_time(
    processes: Processes, tmp_path: Path
) -> None:
    sim, files = start_line(processes, tmp_path, duration=4)
    before = kill_mid_stop(processes, files)
    back = sim.state_record(6)  # the machine produces again while no HMI is running

    hmi = processes.hmi(files.config)
    wait_for_row(files.db, of_type("downtime.ended"), "the end of the stop", hmi=hmi)
    assert hmi.terminate() == 0, hmi.output()
    assert "Traceback" not in hmi.output()

    ended_at, reconnected = check_one_resumed_stop(files, before, sim, 4)
    assert ended_at == plc_time(back) < reconnected.occurred_at  # not the restart time
