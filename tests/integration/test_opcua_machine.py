"""OpcUaMachine against a real asyncua server on loopback: late start, outages, bad config,
value quality, namespace URIs, and a simulator restarted as a new process."""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
from collections.abc import AsyncIterator, Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncua.client
import asyncua.common
import pytest
from asyncua import Client, ua
from asyncua.server.server import Server

import lineside.devices
from lineside.devices.machine import ConnectionState, ConnectionStatus, utcnow
from lineside.devices.opcua import OpcUaMachine
from lineside.domain.machine_state import MachineSignals
from lineside.simulator.server import NAMESPACE_URI
from tests.processes import DEADLINE, RecordingProcess

PATHS = {
    "state_current": "Line1/Filler/Status/StateCurrent",
    "stop_reason_id": "Line1/Filler/Admin/StopReason/ID",
    "stop_reason_message": "Line1/Filler/Admin/StopReason/Message",
    "starved": "Line1/Filler/Status/EquipmentStarved",
    "blocked": "Line1/Filler/Status/EquipmentBlocked",
}
VARIANT_TYPES = {
    "state_current": ua.VariantType.Int32,
    "stop_reason_id": ua.VariantType.Int32,
    "stop_reason_message": ua.VariantType.String,
    "starved": ua.VariantType.Boolean,
    "blocked": ua.VariantType.Boolean,
}
NODES = {
    signal: f"ns=2;s={PATHS[signal]}"
    for signal in ("state_current", "stop_reason_id", "stop_reason_message", "starved")
}
INITIAL = {"state_current": 6, "stop_reason_id": 0, "stop_reason_message": "", "starved": False}
FILLER_URI = "urn:lineside:test:filler"
INTERVAL_MS = 100
RETRY_S = 0.2
T0 = datetime(2025, 3, 4, 6, 0, tzinfo=UTC)
CLIENT_CODE = tuple(
    str(Path(str(package.__file__)).parent)
    for package in (lineside.devices, asyncua.client, asyncua.common)
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def node_id(signal: str) -> ua.NodeId:
    return ua.NodeId.from_string(f"ns=2;s={PATHS[signal]}")


def aware(stamp: datetime) -> datetime:
    """An asyncua DateTime (naive or aware UTC) as aware UTC."""
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)


def client_tasks() -> set[asyncio.Task[object]]:
    """Running tasks of the machine connection and its asyncua client (not servers, proxies)."""
    tasks = set()
    for task in asyncio.all_tasks():
        code = getattr(task.get_coro(), "cr_code", None)
        if code is not None and code.co_filename.startswith(CLIENT_CODE):
            tasks.add(task)
    return tasks


class Plc:
    """A small asyncua server with the Filler's nodes, written to the way a PLC writes them."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.server: Server | None = None

    async def start(
        self, values: dict[str, object], at: datetime, stamps: Mapping[str, datetime] | None = None
    ) -> None:
        """Serve the values, stamped `at` unless `stamps` gives a signal its own time."""
        server = Server()
        await server.init()
        server.set_endpoint(f"opc.tcp://127.0.0.1:{self.port}")
        server.set_security_policy([ua.SecurityPolicyType.NoSecurity])
        assert await server.register_namespace(FILLER_URI) == 2
        self.server = server
        for signal, value in values.items():
            await self.add(signal)
            await self.write((stamps or {}).get(signal, at), **{signal: value})
        await server.start()

    async def add(self, signal: str) -> None:
        assert self.server is not None
        await self.server.nodes.objects.add_variable(
            node_id(signal), signal, INITIAL.get(signal, False), varianttype=VARIANT_TYPES[signal]
        )

    async def write(
        self, at: datetime, *, status: int = ua.StatusCodes.Good, **values: object
    ) -> None:
        """Write all values with one source timestamp and status, without yielding in between."""
        assert self.server is not None
        for signal, value in values.items():
            variant = ua.Variant(value, VARIANT_TYPES[signal])
            stamp = ua.DateTime.fromisoformat(at.isoformat())
            await self.server.write_attribute_value(
                node_id(signal),
                ua.DataValue(
                    variant,
                    StatusCode=ua.StatusCode(status),
                    SourceTimestamp=stamp,
                    ServerTimestamp=stamp,
                ),
            )

    async def start_time(self) -> datetime:
        """Its ServerStatus/StartTime, as aware UTC."""
        assert self.server is not None
        return aware(await self.server.get_node(ua.NodeId(2257)).read_value())

    async def stop(self) -> None:
        server, self.server = self.server, None
        if server is not None:
            await server.stop()


class Proxy:
    """A TCP relay that can go silent (a pulled cable) without closing any socket."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.silent = False
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []
        self._tasks: set[asyncio.Task[object]] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._writers.append(writer)
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        self._writers.append(up_writer)

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            while data := await source.read(65536):
                if not self.silent:
                    sink.write(data)

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()
        for writer in self._writers:
            writer.close()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


class Recorder:
    """Collects what a machine delivers, with the loop time of each snapshot."""

    def __init__(self, machine: OpcUaMachine) -> None:
        self.snapshots: list[MachineSignals] = []
        self.delivered_at: list[float] = []
        self.statuses: list[ConnectionStatus] = []
        self._changed = asyncio.Event()
        machine.subscribe(self._on_signals, self._on_status)

    def _on_signals(self, snapshot: MachineSignals) -> None:
        self.snapshots.append(snapshot)
        self.delivered_at.append(asyncio.get_running_loop().time())
        self._changed.set()

    def _on_status(self, status: ConnectionStatus) -> None:
        self.statuses.append(status)
        self._changed.set()

    async def wait_for(self, condition: Callable[[], bool], deadline_s: float = 5.0) -> None:
        """Wait until the condition holds, failing after the deadline."""
        async with asyncio.timeout(deadline_s):
            while not condition():
                self._changed.clear()
                await self._changed.wait()


MachineFactory = Callable[..., OpcUaMachine]


@pytest.fixture
async def plc() -> AsyncIterator[Plc]:
    server = Plc(free_port())
    yield server
    await server.stop()


@pytest.fixture
async def machines() -> AsyncIterator[MachineFactory]:
    """Makes machines; stops them afterwards and fails if any client task outlives stop()."""
    created: list[OpcUaMachine] = []

    def make(target: int | str, nodes: dict[str, str] = NODES, **options: float) -> OpcUaMachine:
        """A machine watching a port on 127.0.0.1, or an endpoint."""
        options.setdefault("reconnect_interval_s", RETRY_S)
        endpoint = target if isinstance(target, str) else f"opc.tcp://127.0.0.1:{target}"
        machine = OpcUaMachine(endpoint, nodes, **options)  # type: ignore[arg-type]
        created.append(machine)
        return machine

    yield make
    for machine in created:
        await machine.stop()
    assert client_tasks() == set()


def same_state_runs(statuses: list[ConnectionStatus]) -> list[ConnectionState]:
    """The sequence of states with repeats (detail updates) folded."""
    states: list[ConnectionState] = []
    for status in statuses:
        if not states or states[-1] is not status.state:
            states.append(status.state)
    return states


async def test_follows_a_server_that_appears_stops_and_returns(
    plc: Plc, machines: MachineFactory
) -> None:
    machine = machines(plc.port, lost_after_s=30)
    rec = Recorder(machine)
    endpoint = f"opc.tcp://127.0.0.1:{plc.port}"

    started = utcnow()
    await machine.start()
    assert machine.status.state is ConnectionState.CONNECTING
    assert machine.status.detail == f"{endpoint}: connecting"
    await rec.wait_for(lambda: machine.status.state is ConnectionState.RECONNECTING)
    assert machine.status.detail == f"{endpoint}: connection refused; retrying every 0.2 s"
    assert started <= machine.status.since == rec.statuses[0].since
    assert machine.signals is None

    # The server appears: CONNECTED with a first snapshot carrying the PLC's timestamps.
    later = {"starved": T0 + timedelta(seconds=5), "stop_reason_id": T0 + timedelta(seconds=9)}
    await plc.start(INITIAL, at=T0, stamps=later)
    await rec.wait_for(lambda: machine.status.state is ConnectionState.CONNECTED)
    assert len(rec.snapshots) == 1
    first = rec.snapshots[0]
    assert machine.signals is first
    assert (first.state_current, first.stop_reason_id, first.starved) == (6, 0, False)
    assert first.stop_reason_message == ""
    assert first.changed_at == T0 + timedelta(seconds=5)  # newest condition signal, not reason
    assert first.received_at.tzinfo is UTC
    assert first.received_at >= machine.status.since >= started

    # A stop with its reason, written in one go, arrives as one snapshot.
    stopped_at = utcnow()
    written = asyncio.get_running_loop().time()
    await plc.write(stopped_at, stop_reason_id=7, stop_reason_message="Jam", state_current=2)
    await rec.wait_for(lambda: len(rec.snapshots) == 2)
    stop = rec.snapshots[1]
    assert (stop.state_current, stop.stop_reason_id, stop.stop_reason_message) == (2, 7, "Jam")
    assert stop.changed_at == stopped_at
    assert rec.delivered_at[1] - written < 2.5 * INTERVAL_MS / 1000

    # The server goes away: RECONNECTING at once, the last snapshot is kept.
    stopping = utcnow()
    await plc.stop()
    await rec.wait_for(lambda: machine.status.state is ConnectionState.RECONNECTING, 3)
    assert stopping <= machine.status.since <= utcnow()
    assert machine.signals is stop

    # It comes back: CONNECTED again with a fresh snapshot.
    await plc.start(INITIAL, at=T0 + timedelta(minutes=1))
    await rec.wait_for(lambda: len(rec.snapshots) == 3)
    fresh = rec.snapshots[2]
    assert machine.status.state is ConnectionState.CONNECTED
    assert (fresh.state_current, fresh.stop_reason_id) == (6, 0)
    assert fresh.changed_at == T0 + timedelta(minutes=1)

    assert same_state_runs(rec.statuses) == [
        ConnectionState.CONNECTING,
        ConnectionState.RECONNECTING,
        ConnectionState.CONNECTED,
        ConnectionState.RECONNECTING,
        ConnectionState.CONNECTED,
    ]
    assert all(a != b for a, b in zip(rec.statuses, rec.statuses[1:], strict=False))


async def test_lost_when_attempts_keep_failing(machines: MachineFactory) -> None:
    machine = machines(free_port(), lost_after_s=0.3)
    rec = Recorder(machine)
    await machine.start()
    await rec.wait_for(lambda: machine.status.state is ConnectionState.LOST)
    assert machine.status.since == rec.statuses[0].since
    assert "connection refused; retrying every 0.2 s" in machine.status.detail
    assert same_state_runs(rec.statuses) == [
        ConnectionState.CONNECTING,
        ConnectionState.RECONNECTING,
        ConnectionState.LOST,
    ]


async def test_a_missing_node_is_named_and_retried(
    plc: Plc, machines: MachineFactory, caplog: pytest.LogCaptureFixture
) -> None:
    await plc.start(INITIAL, at=T0)
    machine = machines(plc.port, {**NODES, "blocked": f"ns=2;s={PATHS['blocked']}"})
    rec = Recorder(machine)
    await machine.start()
    expected = (
        "node ns=2;s=Line1/Filler/Status/EquipmentBlocked for signal 'blocked' does not exist "
        "on the server; check [opcua.nodes] in the station config"
    )
    await rec.wait_for(lambda: machine.status.detail == expected)
    assert machine.status.state is ConnectionState.RECONNECTING
    assert machine.signals is None

    # It keeps trying: once the node exists, it connects.
    await plc.add("blocked")
    await plc.write(T0, blocked=True)
    await rec.wait_for(lambda: machine.status.state is ConnectionState.CONNECTED)
    assert machine.signals is not None
    assert machine.signals.blocked is True

    ours = [r for r in caplog.records if r.name.startswith("lineside")]
    assert any(r.levelno == logging.WARNING and expected in r.getMessage() for r in ours)
    assert all(r.exc_info is None for r in ours)


async def test_a_silent_link_is_noticed_within_two_seconds(
    plc: Plc, machines: MachineFactory
) -> None:
    await plc.start(INITIAL, at=T0)
    proxy = Proxy(plc.port)
    await proxy.start()
    try:
        machine = machines(proxy.port)
        rec = Recorder(machine)
        await machine.start()
        await rec.wait_for(lambda: machine.status.state is ConnectionState.CONNECTED)

        loop = asyncio.get_running_loop()
        proxy.silent = True
        silent_since = loop.time()
        await rec.wait_for(lambda: machine.status.state is ConnectionState.RECONNECTING, 4)
        assert loop.time() - silent_since < 2.5
        assert "the server stopped answering" in machine.status.detail
        await machine.stop()  # while an attempt hangs on the silent link
    finally:
        await proxy.stop()


async def test_stop_closes_the_session_and_leaves_no_tasks(
    plc: Plc, machines: MachineFactory
) -> None:
    await plc.start(INITIAL, at=T0)
    assert plc.server is not None
    machine = machines(plc.port)
    rec = Recorder(machine)
    await machine.start()
    await rec.wait_for(lambda: machine.status.state is ConnectionState.CONNECTED)
    await machine.stop()
    assert client_tasks() == set()
    assert plc.server.iserver.subscription_service.subscriptions == {}

    await plc.stop()
    await machine.start()  # restartable; stopping during the retry pause is clean too
    await rec.wait_for(lambda: machine.status.state is ConnectionState.RECONNECTING)
    await machine.stop()
    assert client_tasks() == set()


def lineside_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("lineside") and r.levelno >= logging.WARNING
    ]


async def test_namespace_uris_connect_and_the_server_start_time_is_reported(
    plc: Plc, machines: MachineFactory
) -> None:
    await plc.start(INITIAL, at=T0)
    nodes = {signal: f"nsu={FILLER_URI};s={PATHS[signal]}" for signal in NODES}
    machine = machines(plc.port, nodes)
    rec = Recorder(machine)
    await machine.start()
    await rec.wait_for(lambda: machine.status.state is ConnectionState.CONNECTED)
    assert machine.status.detail == f"opc.tcp://127.0.0.1:{plc.port}: connected (4 signals)"
    assert machine.status.server_started_at == await plc.start_time()
    snapshot = rec.snapshots[0]
    assert (snapshot.state_current, snapshot.stop_reason_id, snapshot.starved) == (6, 0, False)
    assert (snapshot.bad, snapshot.uncertain) == (frozenset(), frozenset())
    assert all(s.server_started_at is None for s in rec.statuses[:-1])


async def test_an_unknown_namespace_uri_is_named_and_retried(
    plc: Plc, machines: MachineFactory, caplog: pytest.LogCaptureFixture
) -> None:
    await plc.start(INITIAL, at=T0)
    late = "urn:lineside:test:late"
    machine = machines(plc.port, {**NODES, "blocked": f"nsu={late};s={PATHS['blocked']}"})
    rec = Recorder(machine)
    await machine.start()
    expected = (
        f"namespace {late} of node nsu={late};s=Line1/Filler/Status/EquipmentBlocked for signal "
        "'blocked' is not on the server; check [opcua.nodes] in the station config"
    )
    await rec.wait_for(lambda: machine.status.detail == expected)
    assert machine.status.state is ConnectionState.RECONNECTING
    assert machine.signals is None
    assert any(expected in message for message in lineside_warnings(caplog))
    ours = [r for r in caplog.records if r.name.startswith("lineside")]
    assert all(r.exc_info is None for r in ours)

    # It keeps trying, and looks the URI up again at each connect: once it is there, it connects.
    assert plc.server is not None
    index = await plc.server.register_namespace(late)
    assert index == 3
    await plc.server.nodes.objects.add_variable(
        ua.NodeId(PATHS["blocked"], index), "blocked", True, varianttype=ua.VariantType.Boolean
    )
    await rec.wait_for(lambda: machine.status.state is ConnectionState.CONNECTED)
    assert machine.signals is not None
    assert machine.signals.blocked is True


async def test_bad_values_are_none_and_named_uncertain_ones_kept_and_named(
    plc: Plc, machines: MachineFactory, caplog: pytest.LogCaptureFixture
) -> None:
    await plc.start(INITIAL, at=T0)
    failed = T0 + timedelta(seconds=1)
    await plc.write(failed, status=ua.StatusCodes.BadSensorFailure, starved=False)
    machine = machines(plc.port)
    rec = Recorder(machine)
    await machine.start()

    # A value that is Bad when the station connects.
    await rec.wait_for(lambda: machine.status.state is ConnectionState.CONNECTED)
    first = rec.snapshots[0]
    assert first.starved is None
    assert first.bad == {"starved"}
    assert first.uncertain == frozenset()
    assert first.state_current == 6
    assert first.changed_at == failed

    # Uncertain: the value is kept and named.
    await plc.write(
        T0 + timedelta(seconds=2), status=ua.StatusCodes.UncertainLastUsableValue, stop_reason_id=7
    )
    await rec.wait_for(lambda: len(rec.snapshots) == 2)
    doubted = rec.snapshots[1]
    assert (doubted.stop_reason_id, doubted.uncertain) == (7, {"stop_reason_id"})
    assert (doubted.starved, doubted.bad) == (None, {"starved"})

    # Good again, and a state that goes Bad while connected.
    await plc.write(T0 + timedelta(seconds=3), starved=True, stop_reason_id=7)
    await rec.wait_for(lambda: rec.snapshots[-1].bad == frozenset())
    recovered = rec.snapshots[-1]
    assert (recovered.starved, recovered.stop_reason_id) == (True, 7)
    assert recovered.uncertain == frozenset()
    await plc.write(
        T0 + timedelta(seconds=4), status=ua.StatusCodes.BadNoCommunication, state_current=6
    )
    await rec.wait_for(lambda: rec.snapshots[-1].bad == {"state_current"})
    assert rec.snapshots[-1].state_current is None
    assert rec.snapshots[-1].starved is True
    assert machine.status.state is ConnectionState.CONNECTED
    assert lineside_warnings(caplog) == []  # a Bad value is no value of an unexpected type


class Simulators:
    """`python -m lineside.simulator` processes on 127.0.0.1; each is stopped by its pid."""

    def __init__(self) -> None:
        self.started: list[RecordingProcess] = []

    async def start(self, *, port: int = 0, extra_namespaces: int = 0) -> dict[str, Any]:
        """Start a simulator of the Filler and wait for its ready line; the ready record."""
        args = ["--random", "--machines", "Filler", "--port", str(port)]
        args += ["--extra-namespaces", str(extra_namespaces)]
        process = RecordingProcess([sys.executable, "-m", "lineside.simulator", *args])
        self.started.append(process)
        return await asyncio.to_thread(process.wait_record, lambda r: r.get("event") == "ready")

    async def stop(self, process: RecordingProcess) -> None:
        """SIGTERM by pid (SIGKILL if it hangs); it must exit with 0."""
        assert await asyncio.to_thread(process.terminate) == 0, process.describe()


@pytest.fixture
async def simulators() -> AsyncIterator[Simulators]:
    sims = Simulators()
    try:
        yield sims
    finally:
        for process in reversed(sims.started):
            await asyncio.to_thread(process.terminate)


async def read_start_time(endpoint: str) -> datetime:
    """The server's ServerStatus/StartTime, read by a client of its own."""
    async with Client(endpoint, timeout=5) as client:
        return aware(await client.get_node(ua.NodeId(2257)).read_value())


def filler_nodes(prefix: str) -> dict[str, str]:
    return {
        "state_current": f"{prefix};s=Line1/Filler/Status/StateCurrent",
        "starved": f"{prefix};s=Line1/Filler/Status/EquipmentStarved",
        "good_count": f"{prefix};s=Line1/Filler/Admin/ProdProcessedCount",
    }


async def test_a_simulator_restarted_as_a_new_process_with_renumbered_namespaces(
    simulators: Simulators, machines: MachineFactory
) -> None:
    ready = await simulators.start(extra_namespaces=0)
    assert (ready["namespace"], ready["ns"]) == (NAMESPACE_URI, 2)
    endpoint = ready["endpoint"]
    port = int(endpoint.removeprefix("opc.tcp://127.0.0.1:").partition("/")[0])
    machine = machines(endpoint, filler_nodes(f"nsu={NAMESPACE_URI}"))
    rec = Recorder(machine)
    await machine.start()
    await rec.wait_for(lambda: machine.status.state is ConnectionState.CONNECTED, DEADLINE)
    first_start = machine.status.server_started_at
    assert first_start is not None
    assert first_start == await read_start_time(endpoint)
    assert rec.snapshots[-1].state_current is not None

    await simulators.stop(simulators.started[0])
    await rec.wait_for(lambda: machine.status.state is ConnectionState.RECONNECTING, DEADLINE)
    seen = len(rec.snapshots)

    # A new process on the same port, its namespace three places further on.
    again = await simulators.start(port=port, extra_namespaces=3)
    assert (again["endpoint"], again["namespace"], again["ns"]) == (endpoint, NAMESPACE_URI, 5)
    await rec.wait_for(lambda: machine.status.state is ConnectionState.CONNECTED, DEADLINE)
    second_start = machine.status.server_started_at
    assert second_start is not None
    assert second_start > first_start
    assert second_start == await read_start_time(endpoint)
    fresh = rec.snapshots[seen]
    assert fresh.state_current is not None
    assert fresh.good_count is not None
    assert fresh.changed_at > first_start  # stamped by the new process
    assert fresh.bad == frozenset()

    # The same nodes by namespace index would now point at a dummy namespace.
    by_index = machines(endpoint, filler_nodes("ns=2"))
    by_index_rec = Recorder(by_index)
    await by_index.start()
    await by_index_rec.wait_for(
        lambda: "does not exist on the server" in by_index.status.detail, DEADLINE
    )
    assert by_index.status.state is ConnectionState.RECONNECTING
