"""The line simulator on a real asyncua endpoint, run as a subprocess and in-process."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from asyncua import Client, ua

from lineside.domain.machine_state import MachineryItemState, PackMLState
from lineside.simulator.scenario import load_scenario, play
from lineside.simulator.server import (
    EXTRA_NAMESPACE_URI,
    NAMESPACE_URI,
    VARIABLES,
    LineSimulator,
)
from tests.integration.conftest import DEADLINE, Processes
from tests.processes import RecordingProcess

HELD_SCENARIO = """
line = "Line1"
machines = ["Filler", "Labeler"]
speed = { Filler = 600, Labeler = 600 }
defect_rate = 0.0
duration = 2

[[event]]
at = 0.3
machine = "Filler"
state = "Held"
stop_reason = 17
message = "Bottle jam infeed"
for = "0.7s"
"""
OUTAGE_SCENARIO = """
line = "Line1"
machines = ["Filler"]
duration = 60

[[event]]
at = 2
outage = "1s"
"""


def node(machine: str, variable: str) -> str:
    """NodeId string the HMI config uses for a variable of Line1."""
    return f"ns=2;s=Line1/{machine}/{variable}"


async def read(client: Client, machine: str, *variables: str) -> dict[str, ua.DataValue]:
    """Read variables of one machine in a single request, so they are one consistent snapshot."""
    nodes = [client.get_node(node(machine, v)) for v in variables]
    values = await client.read_attributes(nodes)
    return dict(zip(variables, values, strict=True))


async def poll(
    client: Client, machine: str, variables: tuple[str, ...], until: Callable[[dict], bool]
) -> dict[str, ua.DataValue]:
    """Read a snapshot repeatedly until `until` holds for its values, failing at the deadline."""
    deadline = time.monotonic() + DEADLINE
    while True:
        snapshot = await read(client, machine, *variables)
        if until({k: dv.Value.Value for k, dv in snapshot.items()}):
            return snapshot
        assert time.monotonic() < deadline, f"condition not met; last values {snapshot}"
        await asyncio.sleep(0.05)


STOP_SIGNALS = (
    "Status/StateCurrent",
    "Admin/StopReason/ID",
    "Admin/StopReason/Message",
    "Status/Running",
    "Status/CurSpeed",
    "Monitoring/MachineryItemState",
)


async def test_scenario_plays_held_with_reason_and_back_to_execute(
    tmp_path: Path, processes: Processes
) -> None:
    scenario = tmp_path / "held.toml"
    scenario.write_text(HELD_SCENARIO)
    sim = await processes.asimulator("--scenario", str(scenario), "--trace")
    async with Client(sim.endpoint, timeout=5) as client:
        line = client.get_node("ns=2;s=Line1")
        assert (await line.read_browse_name()).Name == "Line1"
        assert await line.get_parent() == client.nodes.objects
        for machine in ("Filler", "Labeler"):
            for variable, vtype in VARIABLES.items():
                var = client.get_node(node(machine, variable))
                assert await var.read_data_type_as_variant_type() == vtype, variable
                assert (await var.read_browse_name()).Name == variable.rpartition("/")[2]

        held = await poll(client, "Filler", STOP_SIGNALS, lambda v: v["Status/StateCurrent"] == 11)
        assert held["Admin/StopReason/ID"].Value.Value == 17
        assert held["Admin/StopReason/Message"].Value.Value == "Bottle jam infeed"
        assert held["Status/Running"].Value.Value is False
        assert held["Status/CurSpeed"].Value.Value == 0.0
        assert held["Monitoring/MachineryItemState"].Value.Value == MachineryItemState.NOT_EXECUTING
        stamp = held["Status/StateCurrent"].SourceTimestamp
        assert stamp is not None
        assert abs((datetime.now(UTC) - stamp).total_seconds()) < 60
        assert held["Admin/StopReason/ID"].SourceTimestamp == stamp

        back = await poll(client, "Filler", STOP_SIGNALS, lambda v: v["Status/StateCurrent"] == 6)
        assert back["Admin/StopReason/ID"].Value.Value == 0
        assert back["Admin/StopReason/Message"].Value.Value == ""
        assert back["Status/Running"].Value.Value is True
        assert back["Status/CurSpeed"].Value.Value == 600.0
        assert back["Monitoring/MachineryItemState"].Value.Value == MachineryItemState.EXECUTING
        assert back["Status/StateCurrent"].SourceTimestamp > stamp

        first = await read(client, "Labeler", "Admin/ProdProcessedCount")
        count = first["Admin/ProdProcessedCount"].Value.Value
        await poll(
            client,
            "Labeler",
            ("Admin/ProdProcessedCount",),
            lambda v: v["Admin/ProdProcessedCount"] > count,
        )

        held_line = await sim.await_record(
            lambda r: r["event"] == "state" and r["machine"] == "Filler" and r["state"] == 11
        )
        execute_line = await sim.await_record(
            lambda r: r["event"] == "state" and r["machine"] == "Filler" and r["state"] == 6
        )
        assert isinstance(held_line["mono_ns"], int)
        assert isinstance(execute_line["mono_ns"], int)
        assert held_line["mono_ns"] < execute_line["mono_ns"] <= time.monotonic_ns()
        assert isinstance(held_line["at"], str)
        assert datetime.fromisoformat(held_line["at"]).tzinfo is not None
        assert held_line.keys() == {"event", "machine", "state", "mono_ns", "at"}
    assert await sim.aterminate() == 0, sim.describe()
    assert "Traceback" not in sim.stderr


async def test_outage_refuses_connections_then_serves_the_same_timestamps(
    tmp_path: Path, processes: Processes
) -> None:
    scenario = tmp_path / "outage.toml"
    scenario.write_text(OUTAGE_SCENARIO)
    sim = await processes.asimulator("--scenario", str(scenario), "--trace", "--once")
    endpoint = sim.endpoint
    async with Client(endpoint, timeout=5) as client:
        before = await read(client, "Filler", "Status/StateCurrent")
    await sim.await_record(lambda r: r["event"] == "outage" and r["phase"] == "start")
    with pytest.raises(ConnectionRefusedError):
        await Client(endpoint, timeout=2).connect()
    await sim.await_record(lambda r: r["event"] == "outage" and r["phase"] == "end")
    async with Client(endpoint, timeout=5) as client:
        after = await read(client, "Filler", "Status/StateCurrent")
    assert after["Status/StateCurrent"].Value.Value == PackMLState.EXECUTE
    assert before["Status/StateCurrent"].SourceTimestamp is not None
    assert (
        after["Status/StateCurrent"].SourceTimestamp
        == before["Status/StateCurrent"].SourceTimestamp
    )


async def test_random_mode_serves_the_given_machines(processes: Processes) -> None:
    sim = await processes.asimulator("--random", "--seed", "7", "--machines", "Mixer,Oven")
    async with Client(sim.endpoint, timeout=5) as client:
        snapshot = await read(client, "Oven", "Status/StateCurrent", "Status/UnitModeCurrent")
        assert snapshot["Status/StateCurrent"].Value.Value == PackMLState.EXECUTE
        assert snapshot["Status/UnitModeCurrent"].Value.Value == 1
        await client.get_node(node("Mixer", "Status/StateCurrent")).read_value()


def test_bad_scenario_exits_2_naming_file_event_and_key(tmp_path: Path) -> None:
    scenario = tmp_path / "bad.toml"
    scenario.write_text(
        'machines = ["Filler"]\n'
        '[[event]]\nat = "00:10"\nmachine = "Filler"\nstate = "Held"\n'
        '[[event]]\nat = "00:20"\nmachine = "Filler"\nstate = "Hled"\n'
    )
    result = subprocess.run(
        [sys.executable, "-m", "lineside.simulator", "--scenario", str(scenario), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert f"{scenario}, event 2:" in result.stderr
    assert 'key "state" is "Hled", which is not a PackML state' in result.stderr


@contextlib.asynccontextmanager
async def in_process(
    machines: list[str],
    *,
    speeds: dict[str, float] | None = None,
    defect_rate: float = 0.01,
    counter_interval: float = 0.5,
    extra_namespaces: int = 0,
) -> AsyncIterator[tuple[LineSimulator, list[dict[str, object]]]]:
    """A started `LineSimulator` on a free port with its trace records; stopped afterwards."""
    records: list[dict[str, object]] = []
    sim = LineSimulator(
        "Line1",
        machines,
        "127.0.0.1",
        0,
        speeds=speeds,
        defect_rate=defect_rate,
        counter_interval=counter_interval,
        trace=records.append,
        extra_namespaces=extra_namespaces,
    )
    await sim.start()
    try:
        yield sim, records
    finally:
        await sim.stop()


async def test_state_change_writes_changed_signals_with_one_timestamp() -> None:
    every = tuple(VARIABLES)
    async with (
        in_process(["Filler"], counter_interval=60.0) as (sim, records),
        Client(sim.endpoint, timeout=5) as client,
    ):
        assert sim.nodeid("Filler", "Status/Running") == node("Filler", "Status/Running")
        initial = await read(client, "Filler", *every)
        assert initial["Status/StateCurrent"].Value.Value == PackMLState.EXECUTE
        assert initial["Status/UnitModeCurrent"].Value.Value == 1
        assert initial["Status/Running"].Value.Value is True
        assert initial["Monitoring/MachineryItemState"].Value.Value == MachineryItemState.EXECUTING

        await sim.set_state("Filler", PackMLState.HELD, stop_reason_id=31, message="Capper torque")
        held = await read(client, "Filler", *every)
        stamp = held["Status/StateCurrent"].SourceTimestamp
        changed = {k for k in every if held[k].Value.Value != initial[k].Value.Value}
        assert changed == {
            "Status/StateCurrent",
            "Admin/StopReason/ID",
            "Admin/StopReason/Message",
            "Status/Running",
            "Status/CurSpeed",
            "Monitoring/MachineryItemState",
        }
        for variable in every:
            expected = stamp if variable in changed else initial[variable].SourceTimestamp
            assert held[variable].SourceTimestamp == expected, variable
            assert held[variable].ServerTimestamp is not None

        await sim.set_state("Filler", PackMLState.STOPPED, unit_mode=2, message="Cleaning")
        planned = await read(client, "Filler", *STOP_SIGNALS)
        assert planned["Monitoring/MachineryItemState"].Value.Value == (
            MachineryItemState.OUT_OF_SERVICE
        )
        await sim.set_state("Filler", PackMLState.SUSPENDED, starved=True, stop_reason_id=5)
        await sim.set_state("Filler", PackMLState.EXECUTE, stop_reason_id=5, message="ignored")
        running = await read(client, "Filler", *STOP_SIGNALS, "Status/EquipmentStarved")
        assert running["Admin/StopReason/ID"].Value.Value == 0
        assert running["Admin/StopReason/Message"].Value.Value == ""
        assert running["Status/EquipmentStarved"].Value.Value is False

        await sim.set_state("Filler", PackMLState.EXECUTE)
        assert [r["state"] for r in records] == [11, 2, 5, 6]
        assert records[0]["at"] == stamp.isoformat()
        with pytest.raises(KeyError, match="Labeler"):
            await sim.set_state("Labeler", PackMLState.HELD)


class Collect:
    """Subscription handler that keeps every data change the client receives."""

    def __init__(self) -> None:
        self.values: list[tuple[str, object]] = []

    def datachange_notification(self, node: object, val: object, data: object) -> None:
        self.values.append((str(node), val))


async def test_state_change_completes_without_yielding_to_a_subscriber() -> None:
    async with (
        in_process(["Filler"], counter_interval=60.0) as (sim, _),
        Client(sim.endpoint, timeout=5) as client,
    ):
        handler = Collect()
        subscription = await client.create_subscription(20, handler)
        await subscription.subscribe_data_change(
            [client.get_node(node("Filler", v)) for v in STOP_SIGNALS]
        )
        change = sim.set_state("Filler", PackMLState.HELD, stop_reason_id=17, message="Jam")
        with pytest.raises(StopIteration):
            change.send(None)  # runs to the end at once: no await in it suspends
        deadline = time.monotonic() + DEADLINE
        while not {"Jam", 11} <= {value for _, value in handler.values}:
            assert time.monotonic() < deadline, handler.values
            await asyncio.sleep(0.02)


async def test_outage_api_drops_sessions_and_restores_the_same_endpoint() -> None:
    async with in_process(["Filler"]) as (sim, records):
        async with Client(sim.endpoint, timeout=5) as client:
            before = await read(client, "Filler", "Status/StateCurrent")
            await sim.begin_outage()
            assert sim.in_outage
            with pytest.raises(ConnectionError):
                await read(client, "Filler", "Status/StateCurrent")
        with pytest.raises(ConnectionRefusedError):
            await Client(sim.endpoint, timeout=2).connect()
        await sim.end_outage()
        async with Client(sim.endpoint, timeout=5) as client:
            after = await read(client, "Filler", "Status/StateCurrent")
        assert after["Status/StateCurrent"].SourceTimestamp == (
            before["Status/StateCurrent"].SourceTimestamp
        )
        await sim.outage(0.05)
        assert not sim.in_outage
        async with Client(sim.endpoint, timeout=5) as client:
            await read(client, "Filler", "Status/StateCurrent")
        assert [(r["event"], r["phase"]) for r in records] == [
            ("outage", "start"),
            ("outage", "end"),
        ] * 2


async def test_counters_add_units_while_executing_and_stop_when_held() -> None:
    async with (
        in_process(["Filler"], speeds={"Filler": 6000}, defect_rate=0.5, counter_interval=0.02) as (
            sim,
            _,
        ),
        Client(sim.endpoint, timeout=5) as client,
    ):
        counts = ("Admin/ProdProcessedCount", "Admin/ProdDefectiveCount")
        await poll(
            client,
            "Filler",
            counts,
            lambda v: v["Admin/ProdProcessedCount"] >= 5 and v["Admin/ProdDefectiveCount"] >= 5,
        )
        await sim.set_state("Filler", PackMLState.HELD, stop_reason_id=17)
        processed, defective = sim.counts("Filler")
        final = {"Admin/ProdProcessedCount": processed, "Admin/ProdDefectiveCount": defective}
        await poll(client, "Filler", counts, lambda v: v == final)
        await asyncio.sleep(0.2)  # ten counter ticks while held
        assert sim.counts("Filler") == (processed, defective)
        later = await read(client, "Filler", *counts)
        assert {k: dv.Value.Value for k, dv in later.items()} == final


async def test_play_once_keeps_the_last_state_and_loop_repeats(tmp_path: Path) -> None:
    path = tmp_path / "short.toml"
    path.write_text(
        'machines = ["Filler"]\nduration = 0.3\n'
        '[[event]]\nat = 0.05\nmachine = "Filler"\nstate = "Held"\nfor = 0.05\n'
        '[[event]]\nat = 0.2\nmachine = "Filler"\nstate = "Stopped"\nstop_reason = 42\n'
    )
    scenario = load_scenario(path)
    async with in_process(["Filler"]) as (sim, records):
        await play(sim, scenario, loop=False)
        assert [r["state"] for r in records] == [11, 6, 2]
        async with Client(sim.endpoint, timeout=5) as client:
            last = await read(client, "Filler", "Status/StateCurrent", "Admin/StopReason/ID")
        assert last["Status/StateCurrent"].Value.Value == PackMLState.STOPPED
        assert last["Admin/StopReason/ID"].Value.Value == 42

        records.clear()
        player = asyncio.create_task(play(sim, scenario, loop=True))
        try:
            deadline = time.monotonic() + DEADLINE
            while len(records) < 8:
                assert time.monotonic() < deadline, records
                await asyncio.sleep(0.02)
        finally:
            player.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await player
        assert [r["state"] for r in records[:8]] == [11, 6, 2, 6, 11, 6, 2, 6]


async def test_extra_namespaces_come_before_the_simulators_own() -> None:
    async with (
        in_process(["Filler"], extra_namespaces=2) as (sim, _),
        Client(sim.endpoint, timeout=5) as client,
    ):
        namespaces = await client.get_namespace_array()
        assert namespaces[2:] == [
            EXTRA_NAMESPACE_URI.format(1),
            EXTRA_NAMESPACE_URI.format(2),
            NAMESPACE_URI,
        ]
        assert sim.namespace_index == 4
        state = sim.nodeid("Filler", "Status/StateCurrent")
        assert state == "ns=4;s=Line1/Filler/Status/StateCurrent"
        assert await client.get_node(state).read_value() == PackMLState.EXECUTE
        assert sim.nsu_nodeid("Filler", "Status/StateCurrent") == (
            f"nsu={NAMESPACE_URI};s=Line1/Filler/Status/StateCurrent"
        )
    with pytest.raises(ValueError, match="extra_namespaces is -1; give 0 or more"):
        LineSimulator("Line1", ["Filler"], extra_namespaces=-1)


async def test_extra_namespaces_option_renumbers_and_the_ready_line_says_so() -> None:
    args = ["--random", "--machines", "Filler", "--port", "0", "--extra-namespaces", "3"]
    sim = RecordingProcess([sys.executable, "-m", "lineside.simulator", *args])
    try:
        ready = await asyncio.to_thread(sim.wait_record, lambda r: r.get("event") == "ready")
        assert (ready["namespace"], ready["ns"]) == (NAMESPACE_URI, 5)
        async with Client(ready["endpoint"], timeout=5) as client:
            assert (await client.get_namespace_array())[5] == NAMESPACE_URI
            value = await client.get_node("ns=5;s=Line1/Filler/Status/Running").read_value()
            assert isinstance(value, bool)
            with pytest.raises(ua.UaStatusCodeError, match="BadNodeIdUnknown"):
                await client.get_node("ns=2;s=Line1/Filler/Status/Running").read_value()
    finally:
        code = await asyncio.to_thread(sim.terminate)
    assert code == 0, sim.describe()
    assert "Traceback" not in sim.stderr
