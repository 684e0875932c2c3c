"""Real processes on loopback: the line simulator, the HMI, station configs and the outbox.

Everything here waits on conditions with deadlines (never on a fixed sleep), and every process
started here is stopped by its pid when the test ends: SIGTERM first, SIGKILL if it does not
stop in time. The reliability tests import these helpers (they cannot share a conftest).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest

from lineside.devices.machine import ConnectionState, ConnectionStatus
from lineside.simulator.server import NAMESPACE_URI
from lineside.station.config import StationConfig, load_station_config
from lineside.station.station import Station
from tests.processes import DEADLINE, POLL, RecordingProcess, stop_by_pid
from tests.servers import free_port  # noqa: F401 (re-exported: tests import it from here)
from tests.support.demo import without_breaks

DEMO = Path(__file__).resolve().parents[2] / "lineside" / "app" / "demo"
T = TypeVar("T")


def wait_until(probe: Callable[[], T | None], what: str, timeout: float = DEADLINE) -> T:
    """Call `probe` until it returns something other than None/False; fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result is not None and result is not False:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached within {timeout:g} s: {what}")
        time.sleep(POLL)


async def async_wait_until(probe: Callable[[], T | None], what: str, within: float = DEADLINE) -> T:
    """`wait_until` for asyncio tests: the loop keeps running between probes."""
    deadline = time.monotonic() + within
    while True:
        result = probe()
        if result is not None and result is not False:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached within {within:g} s: {what}")
        await asyncio.sleep(POLL)


# -- processes --------------------------------------------------------------------------------


class SimProcess(RecordingProcess):
    """`python -m lineside.simulator ...` with its stdout JSON lines collected by a thread."""

    name = "the simulator"

    def __init__(self, args: Sequence[str]) -> None:
        self.args = list(args)
        super().__init__([sys.executable, "-m", "lineside.simulator", *self.args])
        self.endpoint = ""
        self.port = 0

    async def await_record(
        self, match: Callable[[dict[str, Any]], bool], start: int = 0
    ) -> dict[str, Any]:
        """`wait_record` without blocking the event loop."""
        return await async_wait_until(
            lambda: self.probe(match, start), f"simulator record ({self.records})"
        )

    def state_record(self, state: int, start: int = 0) -> dict[str, Any]:
        """The first traced change of the Filler to `state` (needs --trace), waiting for it."""
        return self.wait_record(
            lambda r: r["event"] == "state" and r["machine"] == "Filler" and r["state"] == state,
            start,
        )

    def wait_ready(self) -> None:
        """Wait for the ready line and check what it promises."""
        ready = self.wait_record(lambda r: r["event"] == "ready")
        assert ready["namespace"] == NAMESPACE_URI
        assert ready["ns"] == 2
        endpoint = ready["endpoint"]
        assert isinstance(endpoint, str)
        assert endpoint.startswith("opc.tcp://127.0.0.1:")
        assert endpoint.endswith("/lineside/sim")
        self.endpoint = endpoint
        self.port = int(endpoint.removeprefix("opc.tcp://127.0.0.1:").partition("/")[0])

    async def aterminate(self) -> int:
        """`terminate` without blocking the event loop."""
        return await asyncio.to_thread(self.terminate)


class HmiProcess:
    """`python -m lineside hmi --config FILE -platform offscreen`, output in a log file."""

    def __init__(self, config: Path, log: Path) -> None:
        self.config = config
        self.log = log
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "QT_QUICK_BACKEND": "software",
            "PYTHONUNBUFFERED": "1",
        }
        with log.open("wb") as out:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "lineside",
                    "hmi",
                    "--config",
                    str(config),
                    "-platform",
                    "offscreen",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
            )

    @property
    def pid(self) -> int:
        """The HMI's process id."""
        return self.proc.pid

    def output(self) -> str:
        """Everything the HMI logged so far."""
        return self.log.read_text(errors="replace")

    def assert_running(self) -> None:
        """Fail with the HMI's log if it has exited."""
        code = self.proc.poll()
        assert code is None, f"the HMI exited with {code}:\n{self.output()}"

    def terminate(self, timeout: float = DEADLINE) -> int:
        """SIGTERM by pid and wait (SIGKILL if it does not stop in time); the exit code."""
        return stop_by_pid(self.proc, timeout)

    def kill(self) -> int:
        """SIGKILL by pid (a power cut for the process) and reap it."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        return self.proc.wait()


class Processes:
    """Starts simulators and HMIs for one test and stops every one of them by pid at the end."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self._started: list[SimProcess | HmiProcess] = []

    def simulator(self, *args: str, port: int = 0) -> SimProcess:
        """Start `lineside.simulator ARGS --port PORT` and wait for its ready line.

        Port 0 lets the simulator pick a free port (see `.port`); pass the port of a stopped
        simulator to start another one in its place.
        """
        sim = SimProcess([*args, "--port", str(port)])
        self._started.append(sim)
        sim.wait_ready()
        return sim

    async def asimulator(self, *args: str, port: int = 0) -> SimProcess:
        """`simulator` without blocking the event loop while the process starts."""
        return await asyncio.to_thread(self.simulator, *args, port=port)

    def hmi(self, config: Path) -> HmiProcess:
        """Start the HMI with this station config (returns at once; it starts in the background)."""
        number = sum(isinstance(p, HmiProcess) for p in self._started) + 1
        process = HmiProcess(config, self.workdir / f"hmi-{number}.log")
        self._started.append(process)
        return process

    def close(self) -> None:
        """Stop every process still running, newest first; the first failure is re-raised."""
        failures: list[BaseException] = []
        for process in reversed(self._started):
            try:
                process.terminate()
            except Exception as exc:  # stop the others all the same
                failures.append(exc)
        if failures:
            raise failures[0]


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    """Factory of simulator and HMI subprocesses; all are stopped by pid after the test."""
    procs = Processes(tmp_path)
    try:
        yield procs
    finally:
        procs.close()


# -- files ------------------------------------------------------------------------------------


def write_scenario(directory: Path, name: str, text: str) -> Path:
    """A scenario TOML file (format: lineside/simulator/scenario.py) in `directory`."""
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


FILLER_LINE = """
line = "Line1"
machines = ["Filler"]
speed = { Filler = 600 }
defect_rate = 0.0
"""
"""Scenario header: Line1 with the Filler the demo station watches."""


def held_scenario(start: float, duration: str) -> str:
    """The Filler Held with the PLC's first-out 17 from `start` s for `duration`."""
    return (
        FILLER_LINE
        + f"""
[[event]]
at = {start}
machine = "Filler"
state = "Held"
stop_reason = 17
message = "Bottle jam infeed"
for = "{duration}"
"""
    )


@pytest.fixture
def scenario_file(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a scenario: `scenario_file("held.toml", TOML_TEXT)` returns its path."""
    return lambda name, text: write_scenario(tmp_path, name, text)


@dataclass(frozen=True)
class StationFiles:
    """A station config written from the demo files, and where its HMI keeps its record."""

    config: Path

    @property
    def db(self) -> Path:
        """`<config dir>/<[station] data_dir>/station.db` (the demo uses data_dir = "data")."""
        return self.config.parent / "data" / "station.db"

    def load(self) -> StationConfig:
        """The config as the HMI reads it."""
        return load_station_config(self.config)


def _set_key(text: str, key: str, value: str) -> str:
    """Replace the one `key = ...` line of the demo config, failing if it is not there once."""
    new, count = re.subn(rf"^{re.escape(key)} = .*$", f"{key} = {value}", text, flags=re.M)
    assert count == 1, f"the demo station.toml has {count} lines '{key} = ...'; update the helper"
    return new


def write_station(
    directory: Path,
    port: int,
    *,
    publishing_interval_ms: int = 50,
    micro_stop_threshold_s: float = 120,
    reconnect_interval_s: float = 0.2,
) -> StationFiles:
    """The demo station config and reasons in `directory`, watching 127.0.0.1:`port`."""
    directory.mkdir(parents=True, exist_ok=True)
    for demo_file in DEMO.iterdir():  # reasons.json and whatever else station.toml refers to
        if demo_file.is_file() and demo_file.name != "station.toml":
            shutil.copy(demo_file, directory / demo_file.name)
    text = (DEMO / "station.toml").read_text(encoding="utf-8")
    text = _set_key(text, "endpoint", f'"opc.tcp://127.0.0.1:{port}/lineside/sim"')
    text = _set_key(text, "publishing_interval_ms", str(publishing_interval_ms))
    text = _set_key(text, "micro_stop_threshold_s", repr(micro_stop_threshold_s))
    text = _set_key(text, "reconnect_interval_s", repr(reconnect_interval_s))
    assert _set_key(text, "data_dir", '"data"') == text, "StationFiles.db assumes data_dir data"
    config = directory / "station.toml"
    config.write_text(text, encoding="utf-8")
    files = StationFiles(without_breaks(config))
    assert files.load().data_dir == files.db.parent.resolve()
    return files


@pytest.fixture
def station_files(tmp_path: Path) -> Callable[..., StationFiles]:
    """Factory: `station_files(port, micro_stop_threshold_s=2)` writes a station in tmp_path."""
    count = 0

    def make(port: int, **overrides: Any) -> StationFiles:
        nonlocal count
        count += 1
        return write_station(tmp_path / f"station-{count}", port, **overrides)

    return make


# -- the outbox -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutboxRow:
    """One committed event as the station db holds it."""

    seq: int
    event_id: str
    station_id: str
    type: str
    occurred_at: datetime
    recorded_by: str | None
    context: dict[str, Any]
    payload: dict[str, Any]
    schema_version: int
    committed_at: datetime


def read_outbox(db: Path) -> list[OutboxRow]:
    """Every outbox row in seq order, through a read-only connection (the HMI writes in WAL)."""
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=DEADLINE)
    try:
        rows = conn.execute(
            "SELECT seq, event_id, station_id, type, occurred_at, recorded_by, context, payload,"
            " schema_version, committed_at FROM outbox ORDER BY seq"
        ).fetchall()
    finally:
        conn.close()
    return [
        OutboxRow(
            seq=row[0],
            event_id=row[1],
            station_id=row[2],
            type=row[3],
            occurred_at=datetime.fromisoformat(row[4]),
            recorded_by=row[5],
            context=json.loads(row[6]),
            payload=json.loads(row[7]),
            schema_version=row[8],
            committed_at=datetime.fromisoformat(row[9]),
        )
        for row in rows
    ]


def integrity_check(db: Path) -> list[str]:
    """`PRAGMA integrity_check` of the station db (['ok'] when intact)."""
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=DEADLINE)
    try:
        return [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
    finally:
        conn.close()


def _outbox_probe(
    db: Path, match: Callable[[OutboxRow], bool], count: int, hmi: HmiProcess | None
) -> list[OutboxRow] | None:
    if hmi is not None:
        hmi.assert_running()
    if not db.exists():
        return None
    try:
        rows = read_outbox(db)
    except sqlite3.OperationalError:  # created but not migrated yet
        return None
    return rows if sum(1 for row in rows if match(row)) >= count else None


def wait_for_row(
    db: Path,
    match: Callable[[OutboxRow], bool],
    what: str,
    *,
    count: int = 1,
    hmi: HmiProcess | None = None,
    timeout: float = DEADLINE,
) -> list[OutboxRow]:
    """Poll the db until `count` rows match; all rows then. Fails early if `hmi` has exited."""
    return wait_until(lambda: _outbox_probe(db, match, count, hmi), f"{what} in {db}", timeout)


async def await_row(
    db: Path, match: Callable[[OutboxRow], bool], what: str, *, count: int = 1
) -> list[OutboxRow]:
    """`wait_for_row` for asyncio tests."""
    return await async_wait_until(lambda: _outbox_probe(db, match, count, None), f"{what} in {db}")


def of_type(kind: str, **payload: Any) -> Callable[[OutboxRow], bool]:
    """Row matcher: this event type, with these payload values."""
    return lambda row: row.type == kind and all(row.payload.get(k) == v for k, v in payload.items())


def assert_gap_free(rows: Sequence[OutboxRow]) -> None:
    """seq runs 1..n without a gap, event ids are unique, and every row was committed."""
    assert [row.seq for row in rows] == list(range(1, len(rows) + 1))
    assert len({row.event_id for row in rows}) == len(rows)
    assert all(row.committed_at is not None for row in rows)


@dataclass
class Stop:
    """A stop as its downtime.started and downtime.ended events describe it."""

    stop_id: str
    started_at: datetime
    category: str
    started_seq: int
    ended_at: datetime | None = None
    cause: str | None = None
    duration_s: float | None = None


def stops_of(rows: Sequence[OutboxRow]) -> list[Stop]:
    """The stops in the order they started (their start events' order)."""
    stops: dict[str, Stop] = {}
    for row in rows:
        p = row.payload
        if row.type == "downtime.started":
            assert p["stop_id"] not in stops, f"stop {p['stop_id']} started twice"
            stops[p["stop_id"]] = Stop(
                p["stop_id"], datetime.fromisoformat(p["started_at"]), p["category"], row.seq
            )
        elif row.type == "downtime.ended":
            stop = stops[p["stop_id"]]
            assert stop.ended_at is None, f"stop {stop.stop_id} ended twice"
            stop.ended_at = datetime.fromisoformat(p["ended_at"])
            stop.cause = p["cause"]
            stop.duration_s = p["duration_s"]
    return list(stops.values())


def plc_time(record: dict[str, Any]) -> datetime:
    """The source timestamp the simulator wrote with a traced state change."""
    return datetime.fromisoformat(record["at"])


# -- the station in-process: machine → ledger → store, wired as Hmi does, without Qt --------


class WiredStation(Station):
    """The product's Qt-free station (machine → ledger → outbox) that keeps every status."""

    def __init__(self, config: StationConfig) -> None:
        super().__init__(config)
        self.db = config.data_dir / "station.db"
        self.statuses: list[ConnectionStatus] = []
        self._started = False

    async def start(self) -> None:
        """Open the record, then start watching the machine (Hmi.start's order)."""
        self._started = True
        await self.open()
        await self.watch()

    def on_status(self, status: ConnectionStatus) -> None:
        """Keep the status, then handle it as the product does."""
        self.statuses.append(status)
        super().on_status(status)

    async def wait_status(self, state: ConnectionState, start: int = 0) -> ConnectionStatus:
        """The first status `state` from index `start` of `statuses`, waiting for it."""
        return await async_wait_until(
            lambda: next((s for s in self.statuses[start:] if s.state is state), None),
            f"machine status {state} (statuses {self.statuses})",
        )

    async def stop(self) -> None:
        """Stop watching, finish every commit, close the record."""
        await self.stop_watching()
        if self._started:
            await self.close()
            self._started = False


@pytest.fixture
async def wired_station() -> AsyncIterator[Callable[[StationFiles], Awaitable[WiredStation]]]:
    """Factory: `await wired_station(files)` starts an in-process station, stopped afterwards."""
    started: list[WiredStation] = []

    async def start(files: StationFiles) -> WiredStation:
        station = WiredStation(files.load())
        started.append(station)
        await station.start()
        return station

    try:
        yield start
    finally:
        for station in reversed(started):
            await station.stop()
