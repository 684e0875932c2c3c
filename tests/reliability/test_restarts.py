"""The HMI killed with SIGKILL mid-stop: nothing the machine did while it was down is lost.

Real processes on loopback: the line simulator plays Held stops, the HMI records them, the
HMI is killed (no shutdown code runs, as in a power cut of the process) and started again
with the same config. When the PLC's timestamps prove the stop held, the restarted HMI
resumes it; when the state changed while it was down, the time from when it last saw the
machine is a "state unknown" interval (cause: station down), and every later change is
recorded. The SQLite file must be intact.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.integration.conftest import (
    FILLER_LINE,
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
    assert not [row for row in after if row.type == "downtime.coded"]  # it spans a gap

    connected = [row for row in after if row.type == "machine.connected"]
    assert len(connected) == 2
    assert [row.type for row in facts(after)] == [
        "terminal.started",
        "machine.connected",
        "downtime.started",
        "terminal.started",  # the restarted HMI
        "machine.connected",
        "downtime.ended",
    ]
    return back, connected[1]


def facts(rows: list[OutboxRow]) -> list[OutboxRow]:
    """The rows without the production counts."""
    return [row for row in rows if not row.type.startswith("count.")]


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


def test_sigkill_mid_stop_and_restart_after_production_resumed_records_the_dead_time(
    processes: Processes, tmp_path: Path
) -> None:
    sim, files = start_line(processes, tmp_path, duration=4)
    before = kill_mid_stop(processes, files)
    back = plc_time(sim.state_record(6))  # the machine produces again while no HMI runs

    hmi = processes.hmi(files.config)
    wait_for_row(files.db, of_type("downtime.ended", cause="state_known"), "the gap", hmi=hmi)
    assert hmi.terminate() == 0, hmi.output()
    assert "Traceback" not in hmi.output()

    after = read_outbox(files.db)
    assert after[: len(before)] == before
    assert_gap_free(after)
    held = plc_time(sim.state_record(11))
    jam, gap = stops_of(after)
    assert jam.started_at == held
    assert jam.cause == "station_down"
    assert jam.ended_at is not None
    assert held <= jam.ended_at < back  # as far as the HMI saw it before it died
    assert (gap.category, gap.cause) == ("unknown", "state_known")
    assert (gap.started_at, gap.ended_at) == (jam.ended_at, back)
    started = next(r for r in after if of_type("downtime.started", category="unknown")(r))
    assert started.payload["unknown_cause"] == "station_down"


def test_sigkill_while_the_machine_runs_and_stops_again_loses_neither(
    processes: Processes, tmp_path: Path
) -> None:
    text = held_scenario(1, "3s") + held_scenario(7, "10m").removeprefix(FILLER_LINE)
    scenario = write_scenario(tmp_path, "twice.toml", text)
    sim = processes.simulator("--scenario", str(scenario), "--once", "--trace")
    files = write_station(tmp_path / "station", sim.port)
    before = kill_mid_stop(processes, files)
    first_hold = sim.records.index(sim.state_record(11))
    sim.wait_record(
        lambda r: r["event"] == "state" and r["machine"] == "Filler" and r["state"] == 11,
        first_hold + 1,
    )  # the machine ran and stopped again while no HMI was running

    hmi = processes.hmi(files.config)
    wait_for_row(files.db, of_type("downtime.started"), "the second stop", hmi=hmi, count=3)
    assert hmi.terminate() == 0, hmi.output()
    assert "Traceback" not in hmi.output()

    after = read_outbox(files.db)
    assert after[: len(before)] == before
    assert_gap_free(after)
    holds = [plc_time(r) for r in sim.records if r["event"] == "state" and r["state"] == 11]
    first, gap, second = stops_of(after)
    assert first.started_at == holds[0]
    assert first.cause == "station_down"
    assert gap.category == "unknown"
    assert gap.started_at == first.ended_at
    assert gap.ended_at == second.started_at == holds[1]  # the second stop is its own
    assert second.ended_at is None
    assert second.category == "internal"
