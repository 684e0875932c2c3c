"""The station without its screen: machine link → ledger → outbox → server. Qt-free, so it
also runs on a plain asyncio loop (tests, headless tools)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import ValidationError

from lineside.devices.machine import ConnectionState, ConnectionStatus, MachineConnection
from lineside.devices.opcua import OpcUaMachine
from lineside.domain.context import ContextSource
from lineside.domain.events import utc_now
from lineside.domain.master_data import (
    Kind,
    OrderRecord,
    ProductRecord,
    ShiftRecord,
    WorkInstructionRecord,
)
from lineside.domain.people import People
from lineside.domain.plant_time import PlantClock
from lineside.domain.reasons import ReasonTree
from lineside.offline.assets import AssetCache
from lineside.offline.store import AsyncStore
from lineside.offline.sync import MasterRecords, SyncEngine
from lineside.offline.sync_status import QuarantinedEvent, SyncStatus
from lineside.station.config import StationConfig
from lineside.station.ledger import Ledger

log = logging.getLogger(__name__)

NO_SERVER = "no_server"
"""The sync error of a station without a [server] section: a code the screen words."""


def context_source(
    config: StationConfig, tree: ReasonTree | None, calendar: ShiftRecord | None
) -> ContextSource:
    """What every fact's context is made from: the station, its calendar, the fallback order."""
    versions = {"reason_tree": f"{tree.tree_id}@{tree.version}"} if tree else {}
    if calendar is not None:
        versions["shift_calendar"] = calendar.calendar_id
    return ContextSource(
        line=config.station.line,
        station=config.station.id,
        equipment=config.equipment.id,
        tz=config.tz,
        calendar=calendar,
        fallback=config.fallback,
        master_data=versions,
    )


class NoServer:
    """The sync control of a station with no [server] section: facts stay in the outbox."""

    def __init__(self) -> None:
        self.status = SyncStatus(last_error=NO_SERVER)

    def subscribe(self, on_status: Callable[[SyncStatus], None]) -> None:
        """The status never changes."""
        on_status(self.status)

    def sync_now(self) -> None:
        """Nothing to try."""

    async def quarantine(self) -> list[QuarantinedEvent]:
        """No server, so nothing was refused."""
        return []

    async def retry_quarantined(self, seqs: Sequence[int]) -> None:
        """Nothing to send again."""

    async def export_quarantine(self, directory: Path) -> Path:
        """Nothing to export."""
        raise OSError("this station has no server, so nothing is quarantined")


class Station:
    """One station's machine link, record and sync, wired together."""

    def __init__(self, config: StationConfig, machine: MachineConnection | None = None) -> None:
        self.config = config
        self.clock = PlantClock(config.tz)
        self.machine: MachineConnection = machine or OpcUaMachine(
            config.opcua.endpoint,
            config.opcua.nodes,
            publishing_interval_ms=config.opcua.publishing_interval_ms,
            reconnect_interval_s=config.opcua.reconnect_interval_s,
        )
        server = config.server
        self.store = AsyncStore(
            config.data_dir / "station.db", cap=server.outbox_cap if server else None
        )
        self.ledger = Ledger(
            self.store,
            config.equipment_setup(),
            context_source(config, config.reason_tree, config.local_calendar),
            reason_tree=config.reason_tree,
            people=config.people_list,
            count_interval=config.count_interval,
        )
        self.assets = AssetCache(config.data_dir / "assets")
        """The images of work-instruction steps, fetched by the sync engine, kept offline."""
        self.sync: SyncEngine | None = None
        if server is not None:
            self.sync = SyncEngine(
                self.store,
                config.station.id,
                server.url,
                config.token,
                verify=config.ca_path or True,
                batch_size=server.batch_size,
                master_interval_s=server.master_data_interval_s,
                request_timeout_s=server.request_timeout_s,
                assets=self.assets,
            )
        self.sync_control = self.sync or NoServer()
        self._sync_task: asyncio.Task[None] | None = None
        self._clock_task: asyncio.Task[None] | None = None

    async def open(self) -> None:
        """Open the record and restore the open stop and today's stops."""
        tree = self.config.reason_tree
        for warning in tree.warnings() if tree else []:
            log.warning("%s (%s)", warning, self.config.path)
        await self.store.open()
        if self.sync is not None:
            self.use_master_data(await self.store.master_records())
        await self.ledger.open()

    async def watch(self) -> None:
        """Start following the machine and syncing; outages become facts too."""
        self.machine.subscribe(self.ledger.on_signals, self.on_status)
        loop = asyncio.get_running_loop()
        if self.sync is not None:
            sync = self.sync
            self.ledger.subscribe(lambda _touched: sync.wake())
            sync.subscribe_master(self.use_master_data)
            self._sync_task = loop.create_task(sync.run())
        self._clock_task = loop.create_task(self._run_clock())
        await self.machine.start()

    async def _run_clock(self) -> None:
        """Tick the ledger at each heartbeat, count interval and shift boundary."""
        while True:
            now = utc_now()
            wait = (self.ledger.next_tick(now) - now).total_seconds()
            await asyncio.sleep(max(wait, 0.05))
            self.ledger.tick(utc_now())

    def use_master_data(self, records: MasterRecords) -> None:
        """Swap in the plant's people, this equipment's reason tree and the shift calendar."""
        ledger = self.ledger
        equipment = ledger.equipment
        try:
            people = People.model_validate({"people": list(records.get(Kind.PERSON, {}).values())})
            trees = [
                ReasonTree.model_validate(data)
                for data in records.get(Kind.REASON_TREE, {}).values()
                if data.get("equipment_class") == equipment.equipment_class
            ]
            calendars = [
                ShiftRecord.model_validate(data) for data in records.get(Kind.SHIFT, {}).values()
            ]
            line = self.config.station.line
            orders = [
                OrderRecord.model_validate(data) for data in records.get(Kind.ORDER, {}).values()
            ]
            products = [
                ProductRecord.model_validate(data)
                for data in records.get(Kind.PRODUCT, {}).values()
            ]
            instructions = [
                WorkInstructionRecord.model_validate(data)
                for data in records.get(Kind.WORK_INSTRUCTION, {}).values()
            ]
        except ValidationError as exc:
            log.warning("plant data not used, the station keeps what it had: %s", exc)
            return
        if people.people:
            ledger.people = people
        ledger.orders = {o.order_id: o for o in orders if o.line == line}
        ledger.products = {p.product_id: p for p in products}
        ledger.instructions = {i.instruction_id: i for i in instructions}
        tree = ledger.reason_tree
        if trees:
            tree = trees[0]
            unknown = [c for c in equipment.plc_reasons.values() if not tree.path(c)]
            if unknown:
                log.warning(
                    "reason tree %s v%s from the server lacks %s (mapped from PLC reasons)",
                    tree.tree_id,
                    tree.version,
                    ", ".join(unknown),
                )
            ledger.reason_tree = tree
        wanted = self.config.shift.calendar
        calendar = next(
            (c for c in calendars if wanted is None or c.calendar_id == wanted),
            ledger.source.calendar,
        )
        ledger.source = context_source(self.config, tree, calendar)

    def on_status(self, status: ConnectionStatus) -> None:
        """An outage is a connection loss from when it began; CONNECTED ends it."""
        endpoint = self.config.opcua.endpoint
        if status.state in (ConnectionState.RECONNECTING, ConnectionState.LOST):
            self.ledger.on_connection_lost(status.since, endpoint, status.detail)
        elif status.state is ConnectionState.CONNECTED:
            self.ledger.on_connection_restored(utc_now(), endpoint, status.server_started_at)

    async def stop_watching(self) -> None:
        """Stop following the machine and syncing."""
        await self.machine.stop()
        if self._clock_task is not None:
            self._clock_task.cancel()
            await asyncio.gather(self._clock_task, return_exceptions=True)
            self._clock_task = None
        if self.sync is not None and self._sync_task is not None:
            self.sync.stop()
            await asyncio.gather(self._sync_task, return_exceptions=True)
            self._sync_task = None

    async def close(self) -> None:
        """Finish every queued commit and close the record."""
        await self.ledger.flush()
        await self.store.close()
