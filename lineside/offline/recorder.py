"""The station recorder: machine signals and operator decisions become committed events."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from lineside.domain.downtime import (
    DEFAULT_MICRO_STOP_THRESHOLD,
    Change,
    DowntimeDetector,
    OpenStop,
    PlcReasonReported,
    StopClosed,
    StopOpened,
)
from lineside.domain.events import (
    DowntimeCoded,
    DowntimeDeferred,
    DowntimeEnded,
    DowntimePlcReason,
    DowntimeRecoded,
    DowntimeSplit,
    DowntimeStarted,
    Event,
    EventContext,
    EventType,
    MachineConnection,
    PersonSignedIn,
    PersonSignedOut,
    make_event,
    new_id,
    utc_now,
)
from lineside.domain.machine_state import MachineSignals, StateRules, classify
from lineside.domain.people import People, Person
from lineside.domain.reasons import MICRO_STOP_CODE, ReasonTree
from lineside.domain.stops import StopRecord, apply
from lineside.offline.store import AsyncStore, OutboxFull, StoreError

log = logging.getLogger(__name__)
DETECTOR_KEY = "detector"
PERSON_KEY = "person"
RETRY_UNSAVED_S = 2.0
"""How often machine events that could not be written are tried again."""


class RecordError(Exception):
    """An operator action that cannot be recorded; the message says why and what to do."""


@dataclass(frozen=True)
class EquipmentSetup:
    """What the recorder needs to know about the machine it watches."""

    equipment_id: str
    equipment_class: str
    rules: StateRules = field(default_factory=StateRules)
    micro_stop_threshold: timedelta = DEFAULT_MICRO_STOP_THRESHOLD
    plc_reasons: Mapping[int, str] = field(default_factory=dict)
    reason_tree: ReasonTree | None = None


class StationRecorder:
    """Feeds the downtime detector and commits every fact to the outbox, in order."""

    def __init__(
        self,
        store: AsyncStore,
        context: EventContext,
        equipment: EquipmentSetup,
        day_start: Callable[[datetime], datetime],
        clock: Callable[[], datetime] = utc_now,
        *,
        people: People | None = None,
    ) -> None:
        self.store = store
        self.people = people or People()
        """Who may sign in; replaced as a whole when new plant data arrives."""
        self.context = context
        self.equipment = equipment
        self.detector = DowntimeDetector(new_id, equipment.micro_stop_threshold)
        self.stops: dict[str, StopRecord] = {}
        self.person: str | None = None
        self.last_error = ""
        self._day_start = day_start
        self._clock = clock
        self._listeners: list[Callable[[set[str]], None]] = []
        self._pending: set[asyncio.Future[list[Event]]] = set()
        self._unsaved: list[Event] = []
        self._retry: asyncio.Task[None] | None = None
        self.committed = 0

    def subscribe(self, on_change: Callable[[set[str]], None]) -> None:
        """Call `on_change(stop ids touched)` whenever the stops or the record change."""
        self._listeners.append(on_change)

    async def open(self) -> None:
        """Restore the open stop and today's stops from the local record."""
        state = await self.store.state()
        if DETECTOR_KEY in state:
            self.detector.restore(state[DETECTOR_KEY])
        self.person = state.get(PERSON_KEY)
        since = self._day_start(self._clock())
        if self.detector.open_stop is not None:
            since = min(since, self.detector.open_stop.started_at)
        for event in await self.store.events(since=since, type_prefix="downtime."):
            apply(self.stops, event)
        self.committed = await self.store.count()

    @property
    def open_stop(self) -> StopRecord | None:
        """The stop going on now, if any."""
        stop = self.detector.open_stop
        return self.stops.get(stop.stop_id) if stop else None

    def suggested_reason(self, plc_reason_id: int | None) -> str | None:
        """The reason the PLC's first-out maps to, if it is in the tree."""
        if plc_reason_id is None:
            return None
        code = self.equipment.plc_reasons.get(plc_reason_id)
        tree = self.equipment.reason_tree
        if code is None or tree is None or not tree.path(code):
            return None
        return code

    # -- machine side: synchronous, so the UI hears of a stop at once ------------------------

    def on_signals(self, signals: MachineSignals) -> None:
        """Take a snapshot from the machine; events are queued for commit in order."""
        condition = classify(signals, self.equipment.rules)
        if condition is None:
            return
        settles_outage = not self.detector.connected
        changes = self.detector.observe(signals.changed_at, condition)
        if changes or settles_outage:
            self._record(self._events_for(changes))

    def on_connection_lost(self, at: datetime, endpoint: str, detail: str) -> None:
        """The machine can no longer be seen; the outage is settled when it comes back."""
        if not self.detector.connected:
            return
        self.detector.connection_lost(at)
        payload = MachineConnection(endpoint=endpoint, detail=detail)
        self._record([self._event("machine.disconnected", payload, at, None)])

    def on_connection_restored(self, at: datetime, endpoint: str) -> None:
        """The machine is visible again (its first snapshot settles the outage)."""
        payload = MachineConnection(endpoint=endpoint)
        self._record([self._event("machine.connected", payload, at, None)])

    def _events_for(self, changes: list[Change]) -> list[Event]:
        events: list[Event] = []
        for change in changes:
            stop = change.stop
            if isinstance(change, StopOpened):
                events.append(self._started(stop))
            elif isinstance(change, PlcReasonReported):
                c = stop.condition
                assert c.plc_reason_id is not None
                payload = DowntimePlcReason(
                    stop_id=stop.stop_id,
                    plc_reason_id=c.plc_reason_id,
                    plc_reason_message=c.plc_reason_message,
                    suggested_reason=self.suggested_reason(c.plc_reason_id),
                )
                events.append(self._event("downtime.plc_reason", payload, self._clock(), None))
            elif isinstance(change, StopClosed):
                events += self._closed(change)
        return events

    def _started(self, stop: OpenStop) -> Event:
        c = stop.condition
        assert c.category is not None
        payload = DowntimeStarted(
            stop_id=stop.stop_id,
            started_at=stop.started_at,
            category=c.category,
            state=c.state_label,
            plc_reason_id=c.plc_reason_id,
            plc_reason_message=c.plc_reason_message,
            suggested_reason=self.suggested_reason(c.plc_reason_id),
        )
        return self._event("downtime.started", payload, stop.started_at, None)

    def _closed(self, change: StopClosed) -> list[Event]:
        stop_id = change.stop.stop_id
        ended = DowntimeEnded(
            stop_id=stop_id,
            ended_at=change.ended_at,
            cause=change.cause,
            duration_s=change.duration.total_seconds(),
        )
        events = [self._event("downtime.ended", ended, change.ended_at, None)]
        known = self.stops.get(stop_id)
        if change.micro and not (known and known.coded):
            coded = DowntimeCoded(
                stop_id=stop_id, reason=MICRO_STOP_CODE, reason_path="Micro-stop", automatic=True
            )
            events.append(self._event("downtime.coded", coded, change.ended_at, None))
        return events

    def _event(self, kind: EventType, payload: Any, occurred_at: datetime, by: str | None) -> Event:
        return make_event(
            kind, payload, context=self.context, occurred_at=occurred_at, recorded_by=by
        )

    def _record(
        self, events: list[Event], *, operator_input: bool = False, cap_applies: bool = True
    ) -> asyncio.Future[list[Event]]:
        """Apply events to the stop list now and queue their commit with the station state.

        Machine events are never dropped: when the record cannot be written (disk full),
        they wait in memory, in order, and are tried again until they are on disk.
        """
        if operator_input and self._unsaved:
            raise RecordError(self._blocked_text())
        touched = {sid for e in events if (sid := apply(self.stops, e))}
        if any(e.type == "downtime.started" for e in events):
            self._forget_earlier_days()
        if self._unsaved:
            self._unsaved += events
            future: asyncio.Future[list[Event]] = asyncio.get_running_loop().create_future()
            future.set_result([])
        else:
            future = self.store.append(
                events, self._state(), operator_input=operator_input and cap_applies
            )
            self._pending.add(future)
            future.add_done_callback(lambda f: self._committed(f, events, operator_input))
        if touched:
            self._notify(touched)
        return future

    def _state(self) -> dict[str, Any]:
        return {DETECTOR_KEY: self.detector.to_state(), PERSON_KEY: self.person}

    def _blocked_text(self) -> str:
        return (
            f"Not saved: the station cannot write its record ({self.last_error}). "
            "Call your team lead; the entry stays on screen."
        )

    @property
    def unsaved(self) -> int:
        """Machine events held in memory because the record cannot be written."""
        return len(self._unsaved)

    def _forget_earlier_days(self) -> None:
        """Keep only today's stops in memory (the record keeps all); a terminal runs for months."""
        day_start = self._day_start(self._clock())
        old = [sid for sid, s in self.stops.items() if s.ended_at and s.ended_at < day_start]
        for stop_id in old:
            del self.stops[stop_id]

    def _committed(
        self, future: asyncio.Future[list[Event]], events: list[Event], operator_input: bool
    ) -> None:
        self._pending.discard(future)
        if future.cancelled():
            return
        if (exc := future.exception()) is not None:
            self.last_error = str(exc)
            log.error("station record: %s", exc)
            if not operator_input:
                self._hold_unsaved(events)
        else:
            self.committed += len(future.result())
            if not self._unsaved:
                self.last_error = ""
        self._notify(set())

    def _hold_unsaved(self, events: list[Event]) -> None:
        self._unsaved += events
        if self._retry is None or self._retry.done():
            self._retry = asyncio.get_running_loop().create_task(self._save_unsaved())

    async def _save_unsaved(self) -> None:
        """Write held machine events (in order, before anything newer) once the disk allows."""
        while self._unsaved:
            await asyncio.sleep(RETRY_UNSAVED_S)
            batch = list(self._unsaved)
            try:
                await self.store.append(batch, self._state(), operator_input=False)
            except StoreError as exc:
                self.last_error = str(exc)
                continue
            del self._unsaved[: len(batch)]
            self.committed += len(batch)
            if not self._unsaved:
                self.last_error = ""
            self._notify(set())

    def _notify(self, touched: set[str]) -> None:
        for listener in self._listeners:
            listener(touched)

    async def flush(self) -> None:
        """Wait until every queued commit is on disk (held machine events: one more try)."""
        if self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)
        if self._retry is not None:
            self._retry.cancel()
            await asyncio.gather(self._retry, return_exceptions=True)
            self._retry = None
        if self._unsaved:
            try:
                await self.store.append(list(self._unsaved), self._state(), operator_input=False)
                self._unsaved.clear()
            except StoreError as exc:
                log.critical("station record: %d machine events lost: %s", len(self._unsaved), exc)

    # -- operator side: awaited, so the UI says "saved" only after the commit ---------------

    def _stop(self, stop_id: str) -> StopRecord:
        stop = self.stops.get(stop_id)
        if stop is None:
            raise RecordError("This stop is no longer in today's list. Refresh the stop list.")
        return stop

    def _reason_path(self, code: str) -> tuple[str, str | None, str | None]:
        tree = self.equipment.reason_tree
        if tree is None or not tree.path(code) or not tree.path(code)[-1].is_leaf:
            raise RecordError(f"Reason {code} is not in this machine's reason list.")
        return tree.label_path(code), tree.tree_id, tree.version

    async def _commit(self, events: list[Event], *, cap_applies: bool = True) -> None:
        try:
            await self._record(events, operator_input=True, cap_applies=cap_applies)
        except OutboxFull as exc:
            raise RecordError(
                f"Not saved: {exc.waiting} entries are waiting for the server, as many as this "
                "station may hold. Call your team lead (sync screen); the entry stays on screen."
            ) from exc
        except StoreError as exc:
            raise RecordError(
                "Not saved: the station cannot write its record. Call your team lead; "
                "the entry stays on screen."
            ) from exc

    async def code(self, stop_id: str, reason: str) -> None:
        """Give a stop its reason (a recode when it already has one)."""
        stop = self._stop(stop_id)
        if stop.coded:
            await self.recode(stop_id, reason, why="")
            return
        path, tree_id, version = self._reason_path(reason)
        payload = DowntimeCoded(
            stop_id=stop_id, reason=reason, reason_path=path, tree_id=tree_id, tree_version=version
        )
        await self._commit([self._event("downtime.coded", payload, self._clock(), self.person)])

    async def recode(self, stop_id: str, reason: str, why: str) -> None:
        """Change a stop's reason; the old one stays in the record."""
        stop = self._stop(stop_id)
        if stop.reason == reason:
            return
        path, tree_id, version = self._reason_path(reason)
        payload = DowntimeRecoded(
            stop_id=stop_id,
            old_reason=stop.reason or "",
            new_reason=reason,
            new_reason_path=path,
            tree_id=tree_id,
            tree_version=version,
            why=why,
        )
        await self._commit([self._event("downtime.recoded", payload, self._clock(), self.person)])

    async def split(self, stop_id: str, at: datetime) -> str:
        """Split a stop in two at `at`; returns the id of the second part."""
        stop = self._stop(stop_id)
        end = stop.ended_at or self._clock()
        if not stop.started_at < at < end:
            raise RecordError("Choose a split time between the start and the end of the stop.")
        new_stop_id = new_id()
        open_stop = self.detector.open_stop
        if open_stop is not None and open_stop.stop_id == stop_id:
            self.detector.split_open(at, new_stop_id)
        payload = DowntimeSplit(stop_id=stop_id, at=at, new_stop_id=new_stop_id)
        await self._commit([self._event("downtime.split", payload, self._clock(), self.person)])
        return new_stop_id

    async def sign_in(self, person: Person) -> None:
        """Sign a person in (signing out whoever was signed in)."""
        if self.person == person.person_id:
            return
        events = []
        if self.person is not None:
            out = PersonSignedOut(person_id=self.person)
            events.append(self._event("person.signed_out", out, self._clock(), self.person))
        signed_in = PersonSignedIn(person_id=person.person_id, name=person.name, role=person.role)
        events.append(self._event("person.signed_in", signed_in, self._clock(), person.person_id))
        previous, self.person = self.person, person.person_id
        try:
            # Not held back by the outbox cap: a team lead must sign in to clear it.
            await self._commit(events, cap_applies=False)
        except RecordError:
            self.person = previous
            raise

    async def sign_out(self) -> None:
        """Nobody is signed in any more."""
        if self.person is None:
            return
        payload = PersonSignedOut(person_id=self.person)
        event = self._event("person.signed_out", payload, self._clock(), self.person)
        previous, self.person = self.person, None
        try:
            await self._commit([event], cap_applies=False)
        except RecordError:
            self.person = previous
            raise

    async def defer(self, stop_id: str) -> None:
        """Leave the reason for later; the stop stays marked as uncoded."""
        self._stop(stop_id)
        payload = DowntimeDeferred(stop_id=stop_id)
        await self._commit([self._event("downtime.deferred", payload, self._clock(), self.person)])
