"""An asyncua server that plays a packaging line in the PackML / OPC 40001 shape the HMI reads."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC

from asyncua import ua
from asyncua.server.server import Server

from lineside.domain.machine_state import MachineryItemState, PackMLState
from lineside.simulator.scenario import DEFAULT_SPEED, UnitMode

NAMESPACE_URI = "urn:lineside:sim"
"""The simulator's namespace; its index is 2 plus the number of extra namespaces."""
EXTRA_NAMESPACE_URI = "urn:lineside:sim:extra:{}"
"""Dummy namespaces registered before the simulator's own, numbered from 1."""
ENDPOINT_PATH = "/lineside/sim"

Trace = Callable[[dict[str, object]], None]
"""Receives one record per StateCurrent change and per outage phase (see `cli`)."""

STATE_CURRENT = "Status/StateCurrent"
PROCESSED = "Admin/ProdProcessedCount"
DEFECTIVE = "Admin/ProdDefectiveCount"

_OBJECTS = ("Status", "Admin", "Admin/StopReason", "Monitoring")
VARIABLES: Mapping[str, ua.VariantType] = {
    STATE_CURRENT: ua.VariantType.Int32,
    "Status/UnitModeCurrent": ua.VariantType.Int32,
    "Status/CurSpeed": ua.VariantType.Float,
    "Status/EquipmentStarved": ua.VariantType.Boolean,
    "Status/EquipmentBlocked": ua.VariantType.Boolean,
    "Status/Running": ua.VariantType.Boolean,
    "Admin/StopReason/ID": ua.VariantType.Int32,
    "Admin/StopReason/Message": ua.VariantType.String,
    PROCESSED: ua.VariantType.Int64,
    DEFECTIVE: ua.VariantType.Int64,
    "Monitoring/MachineryItemState": ua.VariantType.Int32,
}
"""Every variable below `<Line>/<Machine>/`, with its OPC UA type."""


def machinery_item_state(state: PackMLState, unit_mode: int) -> MachineryItemState:
    """OPC 40001-1 state: Executing in Execute, OutOfService in Maintenance, else NotExecuting."""
    if state is PackMLState.EXECUTE:
        return MachineryItemState.EXECUTING
    if unit_mode == UnitMode.MAINTENANCE:
        return MachineryItemState.OUT_OF_SERVICE
    return MachineryItemState.NOT_EXECUTING


@dataclass
class _Machine:
    """One machine's NodeIds, last written values and production bookkeeping."""

    name: str
    speed: float
    rng: random.Random
    nodes: dict[str, ua.NodeId] = field(default_factory=dict)
    values: dict[str, object] = field(default_factory=dict)
    executing: bool = True
    processed: int = 0
    defective: int = 0
    carry: float = 0.0
    counted_until: float = 0.0

    def produce(self, now: float, defect_rate: float) -> None:
        """Credit the units made since the last call, if executing; a seeded few are defective."""
        if self.executing:
            self.carry += (now - self.counted_until) * self.speed / 60.0
            units = int(self.carry)
            self.carry -= units
            for _ in range(units):
                if self.rng.random() < defect_rate:
                    self.defective += 1
                else:
                    self.processed += 1
        self.counted_until = now


class LineSimulator:
    """PackML machines of one line on an OPC UA endpoint, with counters and outages, for tests."""

    def __init__(
        self,
        line: str,
        machines: Sequence[str],
        host: str = "127.0.0.1",
        port: int = 4840,
        *,
        speeds: Mapping[str, float] | None = None,
        defect_rate: float = 0.01,
        seed: int = 1,
        trace: Trace | None = None,
        counter_interval: float = 0.5,
        extra_namespaces: int = 0,
    ) -> None:
        if extra_namespaces < 0:
            raise ValueError(f"extra_namespaces is {extra_namespaces}; give 0 or more")
        speeds = speeds or {}
        self.line = line
        self.host = host
        self._port = port
        self._defect_rate = defect_rate
        self._trace = trace
        self._counter_interval = counter_interval
        self._extra_namespaces = extra_namespaces
        self._machines = {
            name: _Machine(
                name=name,
                speed=float(speeds.get(name, DEFAULT_SPEED)),
                rng=random.Random(f"{seed}/{name}/defects"),  # noqa: S311 - reproducible simulation
            )
            for name in machines
        }
        self._server: Server | None = None
        self._counter: asyncio.Task[None] | None = None
        self._in_outage = False
        self.namespace_index = 0

    @property
    def endpoint(self) -> str:
        """The opc.tcp URL clients connect to (with the real port once started on port 0)."""
        return f"opc.tcp://{self.host}:{self._port}{ENDPOINT_PATH}"

    @property
    def in_outage(self) -> bool:
        """True while the endpoint is deliberately unreachable."""
        return self._in_outage

    def nodeid(self, machine: str, variable: str) -> str:
        """The string NodeId of a variable, e.g. `ns=2;s=Line1/Filler/Status/StateCurrent`."""
        return f"ns={self.namespace_index};s={self.line}/{machine}/{variable}"

    def nsu_nodeid(self, machine: str, variable: str) -> str:
        """The NodeId of a variable by namespace URI, the same whatever the namespace index."""
        return f"nsu={NAMESPACE_URI};s={self.line}/{machine}/{variable}"

    def counts(self, machine: str) -> tuple[int, int]:
        """Good and defective units credited so far; the counter nodes show them after a tick."""
        state = self._machine(machine)
        return state.processed, state.defective

    def _running(self) -> Server:
        if self._server is None:
            raise RuntimeError("the simulator is not started; await start() first")
        return self._server

    def _machine(self, name: str) -> _Machine:
        try:
            return self._machines[name]
        except KeyError:
            raise KeyError(
                f"no machine {name!r} on {self.line}; machines are {', '.join(self._machines)}"
            ) from None

    async def start(self) -> None:
        """Build the address space, put every machine in Execute and listen."""
        server = Server()
        await server.init()
        server.set_endpoint(f"opc.tcp://{self.host}:{self._port}{ENDPOINT_PATH}")
        server.set_server_name("Lineside line simulator")
        await server.set_application_uri(f"{NAMESPACE_URI}:server")
        server.set_security_policy([ua.SecurityPolicyType.NoSecurity])
        server.set_identity_tokens([ua.AnonymousIdentityToken])
        for number in range(1, self._extra_namespaces + 1):
            await server.register_namespace(EXTRA_NAMESPACE_URI.format(number))
        self.namespace_index = await server.register_namespace(NAMESPACE_URI)
        self._server = server
        await self._build_address_space(server)
        now = time.monotonic()
        for machine in self._machines.values():
            machine.counted_until = now
            await self._apply_state(machine, PackMLState.EXECUTE, trace=False)
            await self._write(machine, {PROCESSED: 0, DEFECTIVE: 0})
        await server.start()
        self._port = server.bserver.port if server.bserver is not None else self._port
        self._counter = asyncio.create_task(self._count_production())

    def _id(self, path: str) -> ua.NodeId:
        """String NodeId of a browse path below Objects, e.g. `Line1/Filler/Status`."""
        return ua.NodeId(ua.String(path), ua.Int16(self.namespace_index))

    def _name(self, name: str) -> ua.QualifiedName:
        return ua.QualifiedName(name, self.namespace_index)

    async def _build_address_space(self, server: Server) -> None:
        line = await server.nodes.objects.add_folder(self._id(self.line), self._name(self.line))
        for machine in self._machines.values():
            base = f"{self.line}/{machine.name}"
            parents = {"": await line.add_object(self._id(base), self._name(machine.name))}
            for path in _OBJECTS:
                parent, _, name = path.rpartition("/")
                parents[path] = await parents[parent].add_object(
                    self._id(f"{base}/{path}"), self._name(name)
                )
            for path, vtype in VARIABLES.items():
                parent, _, name = path.rpartition("/")
                node = await parents[parent].add_variable(
                    self._id(f"{base}/{path}"),
                    self._name(name),
                    ua.get_default_value(vtype),
                    varianttype=vtype,
                )
                machine.nodes[path] = node.nodeid

    async def stop(self) -> None:
        """Stop counting, drop every session and close the endpoint."""
        if self._counter is not None:
            self._counter.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._counter
            self._counter = None
        if self._server is not None:
            server, self._server = self._server, None
            self._stop_listening(server)
            await self._drop_sessions(server)
            await self._stop_clock(server)
            await server.stop()

    async def set_state(
        self,
        machine: str,
        state: PackMLState,
        *,
        stop_reason_id: int = 0,
        message: str = "",
        starved: bool = False,
        blocked: bool = False,
        unit_mode: int = 1,
    ) -> None:
        """Change a machine's state, StateCurrent written last so readers see a complete stop."""
        await self._apply_state(
            self._machine(machine),
            PackMLState(state),
            stop_reason_id=stop_reason_id,
            message=message,
            starved=starved,
            blocked=blocked,
            unit_mode=unit_mode,
            trace=True,
        )

    async def _apply_state(
        self,
        machine: _Machine,
        state: PackMLState,
        *,
        stop_reason_id: int = 0,
        message: str = "",
        starved: bool = False,
        blocked: bool = False,
        unit_mode: int = 1,
        trace: bool,
    ) -> None:
        executing = state is PackMLState.EXECUTE
        if executing:
            stop_reason_id, message = 0, ""
        machine.produce(time.monotonic(), self._defect_rate)
        machine.executing = executing
        await self._write(
            machine,
            {
                "Admin/StopReason/ID": int(stop_reason_id),
                "Admin/StopReason/Message": message,
                "Status/EquipmentStarved": starved,
                "Status/EquipmentBlocked": blocked,
                "Status/UnitModeCurrent": int(unit_mode),
                "Status/Running": executing,
                "Monitoring/MachineryItemState": int(machinery_item_state(state, unit_mode)),
                "Status/CurSpeed": machine.speed if executing else 0.0,
                STATE_CURRENT: int(state),
            },
            trace=trace,
        )

    async def _write(
        self, machine: _Machine, values: Mapping[str, object], *, trace: bool = False
    ) -> None:
        """Write only the changed values, in order, all with one source timestamp."""
        server = self._running()
        changed = [
            (path, value) for path, value in values.items() if machine.values.get(path) != value
        ]
        if not changed:
            return
        now = ua.DateTime.now(UTC)
        mono_ns = 0
        # asyncua's address-space write only queues notifications and never suspends, so no
        # subscription publish can run between these writes: clients get them together.
        for path, value in changed:
            if path == STATE_CURRENT:
                mono_ns = time.monotonic_ns()
            await server.write_attribute_value(
                machine.nodes[path],
                ua.DataValue(
                    ua.Variant(value, VARIABLES[path]), SourceTimestamp=now, ServerTimestamp=now
                ),
            )
            machine.values[path] = value
        if trace and mono_ns and self._trace is not None:
            self._trace(
                {
                    "event": "state",
                    "machine": machine.name,
                    "state": machine.values[STATE_CURRENT],
                    "mono_ns": mono_ns,
                    "at": now.isoformat(),
                }
            )

    async def _count_production(self) -> None:
        """Every `counter_interval`, add the units each executing machine made at its speed."""
        while True:
            await asyncio.sleep(self._counter_interval)
            now = time.monotonic()
            for machine in self._machines.values():
                machine.produce(now, self._defect_rate)
                await self._write(
                    machine, {PROCESSED: machine.processed, DEFECTIVE: machine.defective}
                )

    async def begin_outage(self) -> None:
        """Close the listener and drop every connection and session: clients see the link fail."""
        server = self._running()
        if self._in_outage or server.bserver is None:
            return
        self._in_outage = True
        mono_ns = time.monotonic_ns()
        self._stop_listening(server)
        await server.bserver.stop()
        # A connection accepted just before the listener closed gets its transport a loop
        # turn later, after `stop` closed the others; drop it too.
        await asyncio.sleep(0)
        for transport in list(server.iserver.asyncio_transports):
            transport.close()
        await self._drop_sessions(server)
        if self._trace is not None:
            self._trace({"event": "outage", "phase": "start", "mono_ns": mono_ns})

    async def end_outage(self) -> None:
        """Listen again on the same port; the address space and its timestamps are untouched."""
        server = self._running()
        if not self._in_outage or server.bserver is None:
            return
        await server.bserver.start()
        self._in_outage = False
        if self._trace is not None:
            self._trace({"event": "outage", "phase": "end", "mono_ns": time.monotonic_ns()})

    async def outage(self, seconds: float) -> None:
        """Make the endpoint unreachable for `seconds`, then bring it back as it was."""
        await self.begin_outage()
        await asyncio.sleep(seconds)
        await self.end_outage()

    @staticmethod
    async def _stop_clock(server: Server) -> None:
        """Cancel asyncua's CurrentTime task, which `Server.stop` would wait up to a second for."""
        clock, server.iserver.time_task = server.iserver.time_task, None
        if clock is not None:
            clock.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await clock

    @staticmethod
    def _stop_listening(server: Server) -> None:
        """Close the listening socket before asyncua closes the connections.

        asyncua's `BinaryServer.stop` closes the open connections first and the listener
        after; a client that reconnects in between is accepted and never closed, and Python
        3.11's `Server.wait_closed` then waits for that connection to end.
        """
        # asyncua has no public handle on its listener.
        listener = server.bserver._server if server.bserver is not None else None
        if listener is not None:
            listener.close()

    @staticmethod
    async def _drop_sessions(server: Server) -> None:
        """Close client sessions, which asyncua keeps past a lost connection if they subscribe."""
        # asyncua has no public list of client sessions; its reconnect registry is the only one.
        for session in list(server.iserver._external_sessions.values()):
            await session.close_session(delete_subs=True)
