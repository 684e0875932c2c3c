"""SIGTERM ends `lineside hmi` in order within EXIT_WITHIN_S whatever its machine link is doing:
nothing listens, a server accepts and never answers, one hangs mid-handshake, the simulator is
being connected to or serves, or it froze while connected. The record is closed cleanly: the
projections saved at shutdown are in it and no write-ahead log is left.

The moments are counted from when the terminal caught SIGTERM (run() installs its handler);
before that the signal's default action ends the process before the record is opened.
`LINESIDE_LONG=1` adds 100 starts at random moments from 0 to 3 s after the process started.
In process, the machine link alone is stopped at hundreds of moments of back-to-back connects:
a cancel that met a connect's end was lost there (Python 3.11's asyncio.wait_for).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import selectors
import signal
import socket
import sqlite3
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from asyncua import ua
from asyncua.ua.ua_binary import uatcp_to_binary

from lineside.devices.opcua import OpcUaMachine
from lineside.simulator.scenario import BUNDLED_SCENARIO
from tests.integration.conftest import (
    HmiProcess,
    Processes,
    SimProcess,
    StationFiles,
    free_port,
    wait_until,
)

EXIT_WITHIN_S = 2.0
"""The bound on SIGTERM to exit (a kiosk's systemd SIGKILLs a terminal that overstays)."""
MOMENTS_S = (0.0, 0.15, 0.4, 0.9)
"""When SIGTERM comes, after the terminal caught it: start-up, first connect, retries."""
FAST_RETRY_S = 0.01
"""Reconnect interval against nothing listening: connects back to back, so a SIGTERM meets one
(a cancel that met a connect's end was lost: the terminal never stopped)."""
CONNECTED = "machine connected:"
LINK_STOPS = 300
"""In-process stops of the link per server: a lost cancel came about once in five."""
LINK_NODES = {"state_current": "ns=2;s=Line1/Filler/Status/StateCurrent"}
LONG = os.environ.get("LINESIDE_LONG") == "1"
LONG_STARTS = 100
LONG_WINDOW_S = 3.0
ACK = uatcp_to_binary(
    ua.MessageType.Acknowledge,
    ua.Acknowledge(
        ProtocolVersion=0,
        ReceiveBufferSize=65535,
        SendBufferSize=65535,
        MaxMessageSize=0,
        MaxChunkCount=0,
    ),
)


class SilentServer:
    """A loopback listener that accepts and never answers, as a hung PLC gateway does; with
    `acknowledge` it answers the client's Hello, then hangs (mid-handshake)."""

    def __init__(self, *, acknowledge: bool = False) -> None:
        self.acknowledge = acknowledge
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="silent server")
        self._thread.start()

    def _serve(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self._listener, selectors.EVENT_READ)
            while not self._closing.is_set():
                for key, _ in selector.select(timeout=0.05):
                    if key.fileobj is self._listener:
                        connection, _ = self._listener.accept()
                        selector.register(connection, selectors.EVENT_READ)
                        continue
                    peer = key.fileobj
                    assert isinstance(peer, socket.socket)
                    try:
                        data = peer.recv(65536)
                    except ConnectionError:  # the client dropped the connection with a reset
                        data = b""
                    if not data:
                        selector.unregister(peer)
                        peer.close()
                    elif self.acknowledge and data.startswith(b"HEL"):
                        peer.sendall(ACK)
            for key in list(selector.get_map().values()):
                if isinstance(key.fileobj, socket.socket) and key.fileobj is not self._listener:
                    key.fileobj.close()

    def close(self) -> None:
        """Stop accepting and drop every connection."""
        self._closing.set()
        self._thread.join()
        self._listener.close()


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    """A listener that accepts and never answers."""
    server = SilentServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def hanging_handshake() -> Iterator[SilentServer]:
    """A listener that answers Hello, then never again."""
    server = SilentServer(acknowledge=True)
    try:
        yield server
    finally:
        server.close()


@dataclass
class Outcome:
    """How one start ended after its SIGTERM."""

    what: str
    moment_s: float
    code: int | None
    """Exit code; None if it did not exit within EXIT_WITHIN_S (then SIGKILLed)."""
    exit_s: float | None
    caught: bool
    """The terminal caught SIGTERM when it came (run() had installed its handler)."""
    problems: list[str]


def catches_sigterm(pid: int) -> bool:
    """Whether the process has a handler for SIGTERM (its SigCgt mask in /proc)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    mask = next(line for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(mask.split()[1], 16) & (1 << (signal.SIGTERM - 1)))


def saved_projections(db: Path) -> bool:
    """Whether the record holds the projections (read without writing a WAL or lock)."""
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?immutable=1", uri=True)
    try:
        row = conn.execute("SELECT 1 FROM station_state WHERE key = 'projections'").fetchone()
    finally:
        conn.close()
    return row is not None


def stop_once(
    hmi: HmiProcess,
    station: StationFiles,
    what: str,
    moment_s: float,
    *,
    ready: Callable[[HmiProcess], object] | None = None,
    from_spawn: bool = False,
) -> Outcome:
    """SIGTERM `hmi` `moment_s` after it caught SIGTERM (after `ready`, if given; after it was
    spawned with `from_spawn`) and wait for it to exit; what was wrong with how it ended."""
    if not from_spawn:
        wait_until(lambda: catches_sigterm(hmi.pid) or hmi.proc.poll() is not None, "handler")
        hmi.assert_running()
    if ready is not None:
        ready(hmi)
    time.sleep(moment_s)  # the moment of the signal, not a wait for a condition
    caught = catches_sigterm(hmi.pid)
    os.kill(hmi.pid, signal.SIGTERM)
    signalled = time.monotonic()
    try:
        code: int | None = hmi.proc.wait(EXIT_WITHIN_S)
        exit_s: float | None = time.monotonic() - signalled
    except subprocess.TimeoutExpired:
        code = exit_s = None
        hmi.kill()
    problems = []
    if code is None:
        problems.append(f"still running {EXIT_WITHIN_S:g} s after SIGTERM")
    elif code != 0 and not (code == -signal.SIGTERM and not caught):
        problems.append(f"exit code {code}")
    wal = station.db.with_name(station.db.name + "-wal")
    if wal.exists():
        problems.append("the record's write-ahead log was left (not closed)")
    # A terminal asked to stop before it opened its record (during its imports) has none.
    if code == 0 and station.db.exists() and not saved_projections(station.db):
        problems.append("no projections saved at shutdown")
    if problems:
        problems.append(f"log:\n{hmi.output()[-1500:]}")
    return Outcome(what, moment_s, code, exit_s, caught, problems)


def assert_all_stopped(outcomes: list[Outcome]) -> None:
    """Every start ended in order in time; else which did not, and how."""
    bad = [o for o in outcomes if o.problems]
    assert not bad, f"{len(bad)} of {len(outcomes)} starts did not stop in order:\n" + "\n".join(
        f"{o.what} at {o.moment_s:.2f} s: " + "; ".join(o.problems) for o in bad
    )


def frozen_when_connected(sim: SimProcess) -> Callable[[HmiProcess], None]:
    """Once the terminal is connected, freeze the simulator (SIGSTOP): connected, silent."""

    def freeze(hmi: HmiProcess) -> None:
        wait_until(lambda: CONNECTED in hmi.output() or hmi.proc.poll() is not None, CONNECTED)
        hmi.assert_running()
        sim.signal(signal.SIGSTOP)

    return freeze


async def stop_link_task(machine: OpcUaMachine) -> bool:
    """Stop the link within EXIT_WITHIN_S; if it overstays, end its task anyway (False)."""
    task = machine._task
    stopping = asyncio.ensure_future(machine.stop())
    done, _ = await asyncio.wait([stopping], timeout=EXIT_WITHIN_S)
    while task is not None and not task.done():
        task.cancel()
        await asyncio.wait([task], timeout=0.01)
    await stopping
    return bool(done)


@pytest.mark.parametrize("server", [None, "silent_server", "hanging_handshake"])
async def test_the_link_stops_at_any_moment_of_back_to_back_connects(
    request: pytest.FixtureRequest, server: str | None
) -> None:
    port = free_port() if server is None else request.getfixturevalue(server).port
    rng = random.Random(str(server))
    overstayed = []
    for attempt in range(LINK_STOPS):
        machine = OpcUaMachine(
            f"opc.tcp://127.0.0.1:{port}", LINK_NODES, reconnect_interval_s=0.001, timeout_s=0.02
        )
        await machine.start()
        await asyncio.sleep(rng.uniform(0, 0.02))  # the moment of the stop
        if not await stop_link_task(machine):
            overstayed.append(f"{attempt}: {machine.status.detail}")
    assert not overstayed, f"{len(overstayed)} of {LINK_STOPS} stops overstayed: {overstayed}"


@pytest.mark.parametrize("moment_s", MOMENTS_S)
def test_sigterm_stops_the_terminal_in_order_while_nothing_listens(
    processes: Processes, station_files: Callable[..., StationFiles], moment_s: float
) -> None:
    station = station_files(free_port(), reconnect_interval_s=FAST_RETRY_S)
    outcome = stop_once(processes.hmi(station.config), station, "nothing listening", moment_s)
    assert_all_stopped([outcome])


@pytest.mark.parametrize("moment_s", MOMENTS_S)
@pytest.mark.parametrize("server", ["silent_server", "hanging_handshake"])
def test_sigterm_stops_the_terminal_in_order_while_the_server_does_not_answer(
    processes: Processes,
    station_files: Callable[..., StationFiles],
    request: pytest.FixtureRequest,
    server: str,
    moment_s: float,
) -> None:
    port = request.getfixturevalue(server).port
    station = station_files(port, reconnect_interval_s=FAST_RETRY_S)
    outcome = stop_once(processes.hmi(station.config), station, server, moment_s)
    assert_all_stopped([outcome])


def test_sigterm_stops_the_terminal_in_order_against_the_simulator(
    processes: Processes, station_files: Callable[..., StationFiles]
) -> None:
    sim = processes.simulator("--scenario", str(BUNDLED_SCENARIO))
    outcomes = []
    for moment_s in MOMENTS_S:
        station = station_files(sim.port)
        outcomes.append(stop_once(processes.hmi(station.config), station, "simulator", moment_s))
    assert_all_stopped(outcomes)


def test_sigterm_stops_the_terminal_in_order_when_the_connected_simulator_froze(
    processes: Processes, station_files: Callable[..., StationFiles]
) -> None:
    """The server stops answering while connected: closing its session is not waited for."""
    sim = processes.simulator("--scenario", str(BUNDLED_SCENARIO))
    outcomes = []
    try:
        for moment_s in MOMENTS_S[:3]:  # before the link's watchdog notices the silence
            station = station_files(sim.port)
            hmi = processes.hmi(station.config)
            frozen = frozen_when_connected(sim)
            outcomes.append(stop_once(hmi, station, "frozen simulator", moment_s, ready=frozen))
            sim.signal(signal.SIGCONT)
    finally:
        sim.signal(signal.SIGCONT)
    assert_all_stopped(outcomes)


@pytest.mark.slow
@pytest.mark.timeout(LONG_STARTS * 10)
@pytest.mark.skipif(not LONG, reason="LINESIDE_LONG=1 runs 100 starts (about 5 minutes)")
def test_sigterm_at_random_moments_of_many_starts(
    processes: Processes,
    station_files: Callable[..., StationFiles],
    silent_server: SilentServer,
    hanging_handshake: SilentServer,
) -> None:
    """100 starts, each against one of the servers above, SIGTERM 0..3 s after the spawn (a
    frozen simulator: 0..0.9 s after it froze)."""
    rng = random.Random(os.environ.get("LINESIDE_LONG_SEED", "1"))
    sim = processes.simulator("--scenario", str(BUNDLED_SCENARIO))
    ports = {
        "nothing listening": free_port(),
        "silent_server": silent_server.port,
        "hanging_handshake": hanging_handshake.port,
        "simulator": sim.port,
        "frozen simulator": sim.port,
    }
    outcomes = []
    try:
        for _ in range(LONG_STARTS):
            what = rng.choice(sorted(ports))
            station = station_files(ports[what], reconnect_interval_s=FAST_RETRY_S)
            hmi = processes.hmi(station.config)
            if what == "frozen simulator":  # a moment after the freeze, before the watchdog
                frozen = frozen_when_connected(sim)
                moment_s = rng.uniform(0, MOMENTS_S[-1])
                outcome = stop_once(hmi, station, what, moment_s, ready=frozen)
                sim.signal(signal.SIGCONT)
            else:
                moment_s = rng.uniform(0, LONG_WINDOW_S)
                outcome = stop_once(hmi, station, what, moment_s, from_spawn=True)
            outcomes.append(outcome)
    finally:
        sim.signal(signal.SIGCONT)
    times = [o.exit_s for o in outcomes if o.exit_s is not None]
    print(  # the figures of the run, for the record (pytest -s)
        json.dumps(
            {
                "starts": len(outcomes),
                "hung": sum(o.code is None for o in outcomes),
                "not in order": sum(bool(o.problems) for o in outcomes),
                "before the handler": sum(not o.caught for o in outcomes),
                "by server": {w: sum(o.what == w for o in outcomes) for w in sorted(ports)},
                "exit median s": round(statistics.median(times), 3),
                "exit max s": round(max(times), 3),
            }
        )
    )
    assert_all_stopped(outcomes)
