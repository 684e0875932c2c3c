"""OpcUaMachine against a real asyncua server on loopback: late start, outages, bad config."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator, Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncua.client
import asyncua.common
import pytest
from asyncua import ua
from asyncua.server.server import Server

import lineside.devices
from lineside.devices.machine import ConnectionState, ConnectionStatus, utcnow
from lineside.devices.opcua import OpcUaMachine
from lineside.domain.machine_state import MachineSignals

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
        assert await server.register_namespace("urn:lineside:test:filler") == 2
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

    async def write(self, at: datetime, **values: object) -> None:
        """Write all values with one source timestamp, without yielding in between."""
        assert self.server is not None
        for signal, value in values.items():
            variant = ua.Variant(value, VARIANT_TYPES[signal])
            stamp = ua.DateTime.fromisoformat(at.isoformat())
            await self.server.write_attribute_value(
                node_id(signal), ua.DataValue(variant, SourceTimestamp=stamp, ServerTimestamp=stamp)
            )

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

    def make(port: int, nodes: dict[str, str] = NODES, **options: float) -> OpcUaMachine:
        options.setdefault("reconnect_interval_s", RETRY_S)
        machine = OpcUaMachine(f"opc.tcp://127.0.0.1:{port}", nodes, **options)  # type: ignore[arg-type]
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
