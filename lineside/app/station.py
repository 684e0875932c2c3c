"""The station without its screen: machine link → recorder → outbox. Qt-free, so it also
runs on a plain asyncio loop (tests, headless tools)."""

from __future__ import annotations

import logging

from lineside.app.config import StationConfig
from lineside.devices.machine import ConnectionState, ConnectionStatus, MachineConnection
from lineside.devices.opcua import OpcUaMachine
from lineside.domain.events import EventContext, utc_now
from lineside.domain.plant_time import PlantClock
from lineside.offline.recorder import StationRecorder
from lineside.offline.store import AsyncStore

log = logging.getLogger(__name__)


def event_context(config: StationConfig) -> EventContext:
    """The context every fact of this station carries."""
    tree = config.reason_tree
    return EventContext(
        line=config.station.line,
        station=config.station.id,
        equipment=config.equipment.id,
        order=config.context.order,
        operation=config.context.operation,
        product=config.context.product,
        shift=config.context.shift,
        master_data={"reason_tree": f"{tree.tree_id}@{tree.version}"} if tree else {},
    )


class Station:
    """One station's machine link and record, wired together."""

    def __init__(self, config: StationConfig, machine: MachineConnection | None = None) -> None:
        self.config = config
        self.clock = PlantClock(config.tz)
        self.machine: MachineConnection = machine or OpcUaMachine(
            config.opcua.endpoint,
            config.opcua.nodes,
            publishing_interval_ms=config.opcua.publishing_interval_ms,
            reconnect_interval_s=config.opcua.reconnect_interval_s,
        )
        self.store = AsyncStore(config.data_dir / "station.db")
        self.recorder = StationRecorder(
            self.store,
            event_context(config),
            config.equipment_setup(),
            day_start=self.clock.day_start,
        )

    async def open(self) -> None:
        """Open the record and restore the open stop and today's stops."""
        tree = self.config.reason_tree
        for warning in tree.warnings() if tree else []:
            log.warning("%s (%s)", warning, self.config.path)
        await self.store.open()
        await self.recorder.open()

    async def watch(self) -> None:
        """Start following the machine; its outages become facts too."""
        self.machine.subscribe(self.recorder.on_signals, self.on_status)
        await self.machine.start()

    def on_status(self, status: ConnectionStatus) -> None:
        """An outage is a connection loss from when it began; CONNECTED ends it."""
        endpoint = self.config.opcua.endpoint
        if status.state in (ConnectionState.RECONNECTING, ConnectionState.LOST):
            self.recorder.on_connection_lost(status.since, endpoint, status.detail)
        elif status.state is ConnectionState.CONNECTED:
            self.recorder.on_connection_restored(utc_now(), endpoint)

    async def stop_watching(self) -> None:
        """Stop following the machine."""
        await self.machine.stop()

    async def close(self) -> None:
        """Finish every queued commit and close the record."""
        await self.recorder.flush()
        await self.store.close()
