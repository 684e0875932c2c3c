"""The ledger: the only writer of the station's record, and the one place that announces change.

An operator command is checked against the projections, committed, and applied only once the
commit succeeded: a refused command leaves no trace. Machine facts are applied at once and
kept in memory, in order, while the disk refuses them. Everything is applied in commit order,
so the projections always equal a fold of the record (plus the machine facts held in memory).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from lineside.domain.context import ContextSource
from lineside.domain.counts import CountTracker
from lineside.domain.downtime import (
    DEFAULT_MICRO_STOP_THRESHOLD,
    Change,
    DowntimeDetector,
    EndCause,
    OpenStop,
    PlcReasonReported,
    StopClosed,
    StopOpened,
    UnknownCause,
)
from lineside.domain.events import (
    ChangeoverEnded,
    CountRecorded,
    DowntimeCoded,
    DowntimeEnded,
    DowntimePlcReason,
    DowntimeStarted,
    Event,
    MachineConnected,
    MachineDisconnected,
    Payload,
    TerminalStarted,
    make_event,
    new_id,
    utc_now,
)
from lineside.domain.execution import Execution
from lineside.domain.machine_state import (
    Condition,
    MachineSignals,
    PlannedRule,
    StateRules,
    StopCategory,
    classify,
)
from lineside.domain.master_data import OrderRecord, ProductRecord, WorkInstructionRecord
from lineside.domain.orders import Job, OrderBook, QueuedJob, job_key, queue
from lineside.domain.people import People
from lineside.domain.projections import Projections, Session, restore, snapshot
from lineside.domain.reasons import ReasonTree
from lineside.domain.shifts import next_boundary
from lineside.domain.stops import StopRecord, automatic_reason
from lineside.offline.store import AsyncStore, OutboxFull, StoreError

log = logging.getLogger(__name__)
DETECTOR_KEY = "detector"
COUNTER_KEY = "counter"
LAST_SEEN_KEY = "last_seen"
SERVER_START_KEY = "server_started_at"
SNAPSHOT_KEY = "projections"
SNAPSHOT_EVERY = timedelta(seconds=60)
"""How often the projections are saved, so that a start folds only the events after them."""
RETRY_UNSAVED_S = 2.0
"""How often machine events that could not be written are tried again."""
DEFAULT_COUNT_INTERVAL = timedelta(seconds=60)
HEARTBEAT = timedelta(seconds=5)
"""How often the state notes that the station still sees the machine: after a crash, the
time from the last note on is unknown unless the PLC proves the state held."""


@dataclass(frozen=True)
class As:
    """A command's payload recorded by someone other than the command's `by`, in their context."""

    payload: Payload
    by: str | None
    person: str | None
    job: Job | None = None
    """The current order of the fact's context, when the command changes it (order start)."""


class Refused(Exception):  # noqa: N818 - a refused command is the condition's name
    """An operator command the station did not record: `code` says why, `data` the details."""

    def __init__(self, code: str, **data: Any) -> None:
        super().__init__(code, data)
        self.code = code
        self.data = data


@dataclass(frozen=True)
class EquipmentSetup:
    """What the ledger needs to know about the machine it watches."""

    equipment_id: str
    equipment_class: str
    rules: StateRules = field(default_factory=StateRules)
    micro_stop_threshold: timedelta = DEFAULT_MICRO_STOP_THRESHOLD
    micro_stop_reason: str | None = None
    plc_reasons: Mapping[int, str] = field(default_factory=dict)
    planned_state_reasons: Mapping[int, str] = field(default_factory=dict)
    planned_mode_reasons: Mapping[int, str] = field(default_factory=dict)
    planned_signal_reason: str | None = None
    break_reason: str | None = None
    changeover_reason: str | None = None
    counter_bits: int = 32


@dataclass
class _Entry:
    """Events for the writer, with the station state they leave behind, applied in order."""

    events: list[Event]
    state: dict[str, Any]
    operator: bool
    cap_applies: bool = True
    result: asyncio.Future[list[Event]] | None = None
    """A command's outcome; machine entries have none (they are applied at once)."""


class Ledger:
    """The station's record: commands and machine facts in, projections and one announcement out."""

    def __init__(
        self,
        store: AsyncStore,
        equipment: EquipmentSetup,
        context: ContextSource,
        *,
        reason_tree: ReasonTree | None = None,
        people: People | None = None,
        clock: Callable[[], datetime] = utc_now,
        count_interval: timedelta = DEFAULT_COUNT_INTERVAL,
    ) -> None:
        self.store = store
        self.equipment = equipment
        self.source = context
        self.reason_tree = reason_tree
        self.people = people or People()
        """Who may sign in; replaced as a whole when new plant data arrives."""
        self.orders: dict[str, OrderRecord] = {}
        """The plant's orders for this station's line (master data), by id."""
        self.products: dict[str, ProductRecord] = {}
        self.instructions: dict[str, WorkInstructionRecord] = {}
        self.command_lock = asyncio.Lock()
        """Held by a command whose check must see the commits before it applied (orders)."""
        self.clock = clock
        self.count_interval = count_interval
        self.projections = Projections(self.day_start)
        self.detector = DowntimeDetector(new_id, equipment.micro_stop_threshold)
        self.counter = CountTracker(equipment.counter_bits)
        self.committed = 0
        self.last_error = ""
        self.last_seen: datetime | None = None
        self.server_started_at: datetime | None = None
        self.signals: MachineSignals | None = None
        self._listeners: list[Callable[[set[str]], None]] = []
        self._order: deque[_Entry] = deque()
        self._writes: asyncio.Queue[_Entry] = asyncio.Queue()
        self._writer: asyncio.Task[None] | None = None
        self._unsaved: list[Event] = []
        self._retry: asyncio.TimerHandle | None = None
        self._last_cut: datetime | None = None
        self._last_tick: datetime | None = None
        self._through: str | None = None
        """The last event applied to the projections (all before it are applied too)."""
        self._last_snapshot: datetime | None = None

    # -- reading -----------------------------------------------------------------------------

    def day_start(self, at: datetime) -> datetime:
        """Local midnight of the plant day of `at`."""
        local = at.astimezone(self.source.tz)
        return local.replace(hour=0, minute=0, second=0, microsecond=0)

    def subscribe(self, on_change: Callable[[set[str]], None]) -> None:
        """Call `on_change(stop ids touched)` after each change is applied."""
        self._listeners.append(on_change)

    @property
    def stops(self) -> dict[str, StopRecord]:
        """Today's stops by id."""
        return self.projections.stops.stops

    def stop(self, stop_id: str) -> StopRecord | None:
        """A stop by its id (or the id the machine gave it)."""
        return self.projections.stops.get(stop_id)

    @property
    def open_stop(self) -> StopRecord | None:
        """The stop going on now, if any."""
        return self.projections.stops.open_stop

    @property
    def session(self) -> Session:
        """Who is signed in."""
        return self.projections.session

    @property
    def person(self) -> str | None:
        """The signed-in person's id."""
        return self.projections.session.person_id

    @property
    def order_book(self) -> OrderBook:
        """The jobs this station ran and the current one."""
        return self.projections.orders

    def queue(self) -> list[QueuedJob]:
        """The station's order queue: the plant's orders and what ran here."""
        return queue(self.orders.values(), self.projections.orders, self.source.station)

    def instruction(self) -> tuple[WorkInstructionRecord, Job] | None:
        """The work instruction of the current job's operation, with the job."""
        job = self.projections.orders.current_job
        if job is None:
            return None
        order = self.orders.get(job.order_id)
        operation = (
            next((op for op in order.operations if op.operation_id == job.operation_id), None)
            if order
            else None
        )
        if operation is None or operation.work_instruction is None:
            return None
        record = self.instructions.get(operation.work_instruction)
        return (record, job) if record is not None else None

    def use_instruction(self, instruction_id: str, version: str) -> None:
        """Name the instruction version in use in the context of the facts from now on."""
        used = f"{instruction_id}@{version}"
        if self.source.master_data.get("work_instruction") != used:
            versions = {**self.source.master_data, "work_instruction": used}
            self.source = replace(self.source, master_data=versions)

    def pin_only(self, person_id: str) -> bool:
        """Whether the signed-in person's next signature takes the PIN alone (§11.200)."""
        return person_id == self.person and person_id in self.projections.execution.session_signers

    def queued(self, order_id: str, operation_id: str) -> QueuedJob | None:
        """One job of the queue."""
        key = job_key(order_id, operation_id)
        return next((row for row in self.queue() if row.job.key == key), None)

    @property
    def unsaved(self) -> int:
        """Machine events held in memory because the record cannot be written."""
        return len(self._unsaved)

    def suggested_reason(self, plc_reason_id: int | None) -> str | None:
        """The reason the PLC's first-out maps to, if it is in the tree."""
        if plc_reason_id is None:
            return None
        code = self.equipment.plc_reasons.get(plc_reason_id)
        tree = self.reason_tree
        if code is None or tree is None or not tree.path(code):
            return None
        return code

    # -- start ---------------------------------------------------------------------------------

    async def open(self) -> None:
        """Rebuild the projections from the record; the time the station was down is a gap."""
        state = await self.store.state()
        if DETECTOR_KEY in state:
            self.detector.restore(state[DETECTOR_KEY])
        if COUNTER_KEY in state:
            self.counter.restore(state[COUNTER_KEY])
        seen = state.get(LAST_SEEN_KEY)
        self.last_seen = datetime.fromisoformat(seen) if seen else None
        started = state.get(SERVER_START_KEY)
        self.server_started_at = datetime.fromisoformat(started) if started else None
        now = self.clock()
        self.projections = await self._restore(state.get(SNAPSHOT_KEY), now)
        self.committed = await self.store.count()
        if self.detector.last_at is not None:
            down_since = self.last_seen or self.detector.last_at
            self.detector.connection_lost(down_since, UnknownCause.STATION_DOWN)
        self._machine_fact([self._event(TerminalStarted(last_seen=self.last_seen), now, None)])

    async def _restore(self, saved: Any, now: datetime) -> Projections:
        """The saved projections and the events after them; the whole fold when they don't fit."""
        if isinstance(saved, dict) and saved.get("plant_day") == self.day_start(now).isoformat():
            try:
                projections = restore(saved, self.day_start)
                seq = await self.store.seq_of(saved["through"])
            except (AttributeError, KeyError, TypeError, ValueError) as exc:
                log.warning("saved projections not used (%s); folding the day's record", exc)
                seq = None
            if seq is not None:
                self._through = saved["through"]
                for event in await self.store.events(after_seq=seq):
                    projections.apply(event)
                    self._through = event.event_id
                return projections
        return await self.rebuild(now)

    async def rebuild(self, now: datetime) -> Projections:
        """The projections folded from the record: the plant day of `now` and the open stop."""
        since = self.day_start(now)
        if self.detector.open_stop is not None:
            since = min(since, self.detector.open_stop.started_at)
        session = Session()
        for event in await self.store.events(type_prefix="person."):
            if event.occurred_at < since:
                session = session.apply(event)
        projections = Projections(self.day_start)
        projections.session = session
        projections.orders = await self._orders_before(since)
        projections.execution = await self._execution_before(since, projections.orders)
        for event in await self.store.events(since=since):
            projections.apply(event)
            self._through = event.event_id
        return projections

    async def _orders_before(self, since: datetime) -> OrderBook:
        """The order book as it stood at `since`: a running order outlives the plant day."""
        book = OrderBook()
        older = [
            *await self.store.events(type_prefix="order."),
            *await self.store.events(type_prefix="changeover."),
        ]
        for event in sorted(older, key=lambda e: e.seq or 0):
            if event.occurred_at < since:
                book.apply(event)
        job = book.current_job
        if job is not None and job.started_at is not None and job.started_at < since:
            for event in await self.store.events(since=job.started_at, type_prefix="count."):
                if event.occurred_at < since:
                    book.apply(event)
        return book

    async def _execution_before(self, since: datetime, book: OrderBook) -> Execution:
        """What of the work by instruction outlives the plant day: open holds and deviations,
        signing locks, and the steps of the order still running."""
        execution = Execution()
        lasting = ("deviation.", "hold.", "signature.refused", "signing.")
        older: list[Event] = []
        for prefix in lasting:
            older += await self.store.events(type_prefix=prefix)
        job = book.current_job
        if job is not None and job.started_at is not None and job.started_at < since:
            for prefix in ("step.", "check.", "signature.given"):
                older += await self.store.events(since=job.started_at, type_prefix=prefix)
        for event in sorted(older, key=lambda e: e.seq or 0):
            if event.occurred_at < since:
                execution.apply(event)
        execution.session_signers = frozenset()
        return execution

    # -- machine side: synchronous, so the screens hear of a stop at once ---------------------

    def on_signals(self, signals: MachineSignals) -> None:
        """Take a snapshot from the machine."""
        self.signals = signals
        self.last_seen = signals.received_at
        try:
            self.counter.observe(signals.good_count, signals.defective_count, signals.received_at)
        except ValueError as exc:  # a counter outside its width must not cost the stop
            log.warning("production counters not counted: %s", exc)
        state_signal = self.equipment.rules.state_signal
        if state_signal in signals.bad:
            self._lose(signals.received_at, "", f"{state_signal} has Bad quality", bad=True)
            return
        condition = classify(signals, self.equipment.rules)
        if condition is None:
            return
        if not self.detector.connected and self.detector.lost_cause is UnknownCause.BAD_QUALITY:
            payload = MachineConnected(endpoint="", detail=f"{state_signal} has Good quality")
            self._machine_fact([self._event(payload, signals.received_at, None)])
        condition = self._with_break(condition, signals.changed_at)
        condition = self._with_changeover(condition, signals.changed_at)
        settles = not self.detector.connected
        changes = self.detector.observe(signals.changed_at, condition, signals.received_at)
        if changes or settles:
            self._machine_fact(self._events_for(changes, signals))

    def on_connection_lost(self, at: datetime, endpoint: str, detail: str) -> None:
        """The machine can no longer be seen; the gap is settled when it comes back."""
        self._lose(at, endpoint, detail, bad=False)

    def _lose(self, at: datetime, endpoint: str, detail: str, *, bad: bool) -> None:
        if not self.detector.connected:
            return
        cause = UnknownCause.BAD_QUALITY if bad else UnknownCause.CONNECTION_LOST
        self.detector.connection_lost(at, cause)
        payload = MachineDisconnected(endpoint=endpoint, detail=detail)
        self._machine_fact([self._event(payload, at, None)])

    def on_connection_restored(
        self, at: datetime, endpoint: str, server_started_at: datetime | None = None
    ) -> None:
        """The machine is visible again; a new server process means its timestamps prove nothing."""
        restarted = (
            server_started_at is not None
            and self.server_started_at is not None
            and server_started_at != self.server_started_at
        )
        if server_started_at is not None:
            self.server_started_at = server_started_at
        if restarted:
            self.detector.timestamps_restarted = True
        payload = MachineConnected(
            endpoint=endpoint, server_started_at=server_started_at, server_restarted=restarted
        )
        self._machine_fact([self._event(payload, at, None)])

    def tick(self, now: datetime) -> None:
        """Cut the counts at each shift boundary and every count interval; note we are alive."""
        last = self._last_tick or self._last_cut or now
        self._last_tick = now
        if self.detector.connected and self.signals is not None:
            self.last_seen = now
        events: list[Event] = []
        calendar = self.source.calendar
        boundary = next_boundary(calendar, self.source.tz, last) if calendar else None
        while boundary is not None and boundary <= now:
            events += self._cut(boundary)
            boundary = next_boundary(calendar, self.source.tz, boundary) if calendar else None
        if self._last_cut is None or now - self._last_cut >= self.count_interval:
            events += self._cut(now)
        # Written even without events: the state says when the station last saw the machine.
        state = self._state()
        if self._last_snapshot is None or now - self._last_snapshot >= SNAPSHOT_EVERY:
            self._drain()
            saved = self._snapshot(now)
            if saved:
                state |= saved
                self._last_snapshot = now
        self._submit(_Entry(events, state, operator=False))
        self._drain()

    def cut_counts(self) -> None:
        """Record what was made so far, before the context changes."""
        self._machine_fact(self._cut(self.clock()))

    def next_tick(self, now: datetime) -> datetime:
        """When `tick` has work next: a heartbeat, the next count cut or shift boundary."""
        due = min((self._last_cut or now) + self.count_interval, now + HEARTBEAT)
        calendar = self.source.calendar
        boundary = next_boundary(calendar, self.source.tz, now) if calendar else None
        return min(due, boundary) if boundary else due

    def _with_break(self, condition: Condition, at: datetime) -> Condition:
        """A stop that begins during a break in the shift calendar is planned."""
        if condition.producing or condition.category is StopCategory.PLANNED:
            return condition
        span = self.source.shift(at)
        if span is None or span.break_at(at) is None:
            return condition
        return replace(condition, category=StopCategory.PLANNED, planned_by=PlannedRule.BREAK)

    def _with_changeover(self, condition: Condition, at: datetime) -> Condition:
        """A stop that begins during a changeover is the changeover (planned downtime); one
        open when it began is split by the order's start."""
        changeover = self.projections.orders.changeover
        if (
            condition.producing
            or changeover is None
            or at < changeover.started_at
            or self.equipment.changeover_reason is None
            or condition.category is StopCategory.UNKNOWN
        ):
            return condition
        return replace(condition, category=StopCategory.PLANNED, planned_by=PlannedRule.CHANGEOVER)

    def _events_for(self, changes: list[Change], signals: MachineSignals) -> list[Event]:
        events: list[Event] = []
        for change in changes:
            stop = change.stop
            if isinstance(change, StopOpened):
                events += self._cut(stop.started_at, "producing")
                events += self._started(stop, signals)
            elif isinstance(change, PlcReasonReported):
                c = stop.condition
                assert c.plc_reason_id is not None
                payload = DowntimePlcReason(
                    stop_id=stop.stop_id,
                    plc_reason_id=c.plc_reason_id,
                    plc_reason_message=c.plc_reason_message,
                    suggested_reason=self.suggested_reason(c.plc_reason_id),
                )
                events.append(self._event(payload, self.clock(), None))
            elif isinstance(change, StopClosed):
                state = "unknown" if stop.condition.category is StopCategory.UNKNOWN else "stopped"
                events += self._cut(change.ended_at, state)
                events += self._closed(change)
        return events

    def _started(self, stop: OpenStop, signals: MachineSignals) -> list[Event]:
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
            unknown_cause=stop.unknown_cause,
            follows_gap=stop.follows_gap,
            uncertain=tuple(sorted(signals.uncertain)),
        )
        events = [self._event(payload, stop.started_at, None)]
        planned = self._planned_reason(c, signals)
        if planned is not None:
            events += self._auto_coded(stop.stop_id, planned, str(c.planned_by), stop.started_at)
        return events

    def _planned_reason(self, c: Condition, signals: MachineSignals) -> str | None:
        e = self.equipment
        if c.planned_by is PlannedRule.SIGNAL:
            return e.planned_signal_reason
        if c.planned_by is PlannedRule.UNIT_MODE and signals.unit_mode is not None:
            return e.planned_mode_reasons.get(signals.unit_mode)
        if c.planned_by is PlannedRule.STATE and signals.state_current is not None:
            return e.planned_state_reasons.get(signals.state_current)
        if c.planned_by is PlannedRule.BREAK:
            return e.break_reason
        if c.planned_by is PlannedRule.CHANGEOVER:
            return e.changeover_reason
        return None

    def _closed(self, change: StopClosed) -> list[Event]:
        stop_id = change.stop.stop_id
        ended = DowntimeEnded(
            stop_id=stop_id,
            ended_at=change.ended_at,
            cause=change.cause,
            duration_s=change.duration.total_seconds(),
        )
        events = [self._event(ended, change.ended_at, None)]
        changeover = self.projections.orders.changeover
        if changeover is not None and change.cause is EndCause.PRODUCING:
            events.append(
                self._event(self.changeover_ended(change.ended_at), change.ended_at, None)
            )
        stop = self.projections.stops.get(stop_id)
        if stop is None or not stop.is_open or change.cause is not EndCause.PRODUCING:
            return events
        rule = automatic_reason(
            replace(stop, ended_at=change.ended_at),
            self.equipment.micro_stop_threshold,
            self.equipment.micro_stop_reason,
        )
        if rule is not None:
            events += self._auto_coded(stop.stop_id, rule[0], rule[1], change.ended_at)
        return events

    def changeover_ended(self, at: datetime) -> ChangeoverEnded:
        """The end of the changeover under way, at `at` (the machine produces again)."""
        c = self.projections.orders.changeover
        assert c is not None
        return ChangeoverEnded(
            order_id=c.order_id,
            from_product=c.from_product,
            to_product=c.to_product,
            started_at=c.started_at,
            ended_at=max(at, c.started_at),
            duration_s=max((at - c.started_at).total_seconds(), 0.0),
            standard_s=c.standard_s,
        )

    def _auto_coded(self, stop_id: str, code: str, rule: str, at: datetime) -> list[Event]:
        tree = self.reason_tree
        if tree is None or not tree.path(code):
            log.warning("automatic reason %s is not in the reason tree; left for a person", code)
            return []
        payload = DowntimeCoded(
            stop_id=stop_id,
            reason=code,
            reason_path=tree.label_path(code),
            tree_id=tree.tree_id,
            tree_version=tree.version,
            automatic=True,
            rule=rule,
        )
        return [self._event(payload, at, None)]

    def _cut(self, at: datetime, state: str | None = None) -> list[Event]:
        """A count event for what was made since the last cut, ending at `at`."""
        if self._last_cut is not None:
            at = max(at, self._last_cut)
        self._last_cut = at
        cut = self.counter.cut(at)
        if cut is None:
            return []
        if state is None:
            stop = self.open_stop
            connected = self.detector.connected
            state = "unknown" if not connected else ("stopped" if stop else "producing")
        payload = CountRecorded(
            started_at=min(cut.started_at, at),
            ended_at=at,
            good=cut.good,
            defective=cut.defective,
            good_counter=cut.good_counter,
            defective_counter=cut.defective_counter,
            resets=cut.resets,
            rollovers=cut.rollovers,
            state=state,
        )
        # The interval belongs to the shift it ends in (the ledger cuts at every boundary).
        context = self.source.at(self.projections, at - timedelta(milliseconds=1))
        return [make_event(payload, context=context, occurred_at=at, recorded_by=None)]

    def _event(self, payload: Payload, occurred_at: datetime, by: str | None) -> Event:
        context = self.source.at(self.projections, occurred_at)
        return make_event(payload, context=context, occurred_at=occurred_at, recorded_by=by)

    # -- the record ------------------------------------------------------------------------------

    def _state(self) -> dict[str, Any]:
        return {
            DETECTOR_KEY: self.detector.to_state(),
            COUNTER_KEY: self.counter.to_state(),
            LAST_SEEN_KEY: self.last_seen.isoformat() if self.last_seen else None,
            SERVER_START_KEY: self.server_started_at.isoformat()
            if self.server_started_at
            else None,
        }

    def _snapshot(self, now: datetime) -> dict[str, Any]:
        """The projections as applied so far, copied now and made JSON on the store thread."""
        through = self._through
        if through is None or self._order:
            return {}
        copy = self.projections.copy()
        plant_day = self.day_start(now).isoformat()
        return {SNAPSHOT_KEY: lambda: {**snapshot(copy, through), "plant_day": plant_day}}

    def _submit(self, entry: _Entry) -> None:
        """Queue an entry for the writer (one write at a time, so seq order is queue order)."""
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write_all())
        self._order.append(entry)
        self._writes.put_nowait(entry)

    def _machine_fact(self, events: list[Event]) -> None:
        """Apply machine events at once (behind any command still committing) and commit them."""
        if not events:
            return
        self._submit(_Entry(events, self._state(), operator=False))
        self._drain()

    async def commit(
        self,
        payloads: Sequence[Payload | As],
        *,
        by: str | None,
        at: datetime | None = None,
        person: str | None = None,
        cap_applies: bool = True,
    ) -> list[Event]:
        """Commit a command's events; they are applied only once they are on disk.

        Raises Refused("record_unwritable" | "outbox_full") and changes nothing then.
        """
        if self._unsaved:
            raise Refused("record_unwritable", detail=self.last_error)
        when = at or self.clock()
        events = []
        for item in payloads:
            one = item if isinstance(item, As) else As(item, by, person)
            context = self.source.at(self.projections, when, person=one.person, job=one.job)
            events.append(
                make_event(one.payload, context=context, occurred_at=when, recorded_by=one.by)
            )
        entry = _Entry(events, self._state(), operator=True, cap_applies=cap_applies)
        entry.result = asyncio.get_running_loop().create_future()
        entry.result.add_done_callback(lambda _f: self._drain())
        self._submit(entry)
        return await asyncio.shield(entry.result)

    async def _write_all(self) -> None:
        """The one writer: entries in order; held machine events go first once the disk allows."""
        while True:
            entry = await self._writes.get()
            try:
                if entry.operator:
                    await self._write_command(entry)
                else:
                    await self._write_machine(entry.events, entry.state)
            finally:
                self._writes.task_done()

    def _retry_later(self) -> None:
        """Try the held machine events again in a while (an empty entry writes them first)."""
        if self._retry is None:
            loop = asyncio.get_running_loop()
            self._retry = loop.call_later(RETRY_UNSAVED_S, self._retry_now)

    def _retry_now(self) -> None:
        self._retry = None
        self._submit(_Entry([], self._state(), operator=False))

    async def _write_command(self, entry: _Entry) -> None:
        assert entry.result is not None
        if self._unsaved:
            entry.result.set_exception(Refused("record_unwritable", detail=self.last_error))
            return
        try:
            committed = await self.store.append(
                entry.events, entry.state, operator_input=entry.cap_applies
            )
        except OutboxFull as exc:
            entry.result.set_exception(Refused("outbox_full", waiting=exc.waiting, cap=exc.cap))
            return
        except StoreError as exc:
            self.last_error = str(exc)
            entry.result.set_exception(Refused("record_unwritable", detail=str(exc)))
            self._announce(set())
            return
        self.committed += len(committed)
        self.last_error = ""
        entry.result.set_result(committed)

    async def _write_machine(self, events: list[Event], state: dict[str, Any]) -> None:
        batch = [*self._unsaved, *events]
        try:
            await self.store.append(batch, state, operator_input=False)
        except StoreError as exc:
            if not self._unsaved:
                log.error("station record: %s", exc)  # noqa: TRY400 - the disk's word is enough
            self._unsaved = batch
            self.last_error = str(exc)
            self._retry_later()
        else:
            self._unsaved = []
            self.committed += len(batch)
            self.last_error = ""
        self._announce(set())

    def _drain(self) -> None:
        """Apply entries from the front in order (a command once committed); announce once."""
        touched: set[str] = set()
        changed = False
        while self._order:
            entry = self._order[0]
            if entry.result is not None:
                if not entry.result.done():
                    break
                self._order.popleft()
                changed = True
                if entry.result.cancelled() or entry.result.exception() is not None:
                    continue
            else:
                self._order.popleft()
            for event in entry.events:
                touched |= self.projections.apply(event)
                self._through = event.event_id
            changed = True
        if changed:
            self._announce(touched)

    def _announce(self, touched: set[str]) -> None:
        for listener in list(self._listeners):
            listener(touched)

    async def flush(self) -> None:
        """Wait until every queued commit is on disk (held machine events: one more try)."""
        if self._retry is not None:
            self._retry.cancel()
            self._retry = None
        if self._writer is not None and not self._writer.done():
            await self._writes.join()
            if not self._unsaved and (saved := self._snapshot(self.clock())):
                self._submit(_Entry([], self._state() | saved, operator=False))
                await self._writes.join()
            if self._unsaved:
                await self._write_machine([], self._state())
                if self._retry is not None:
                    self._retry.cancel()
                    self._retry = None
            self._writer.cancel()
            await asyncio.gather(self._writer, return_exceptions=True)
        self._writer = None
        if self._unsaved:
            log.critical(
                "station record: %d machine events lost: %s", len(self._unsaved), self.last_error
            )

    # -- helpers for commands ---------------------------------------------------------------

    def require_stop(self, stop_id: str) -> StopRecord:
        """The stop, or Refused("stop_unknown")."""
        stop = self.stop(stop_id)
        if stop is None:
            raise Refused("stop_unknown")
        return stop

    def reason_path(self, code: str) -> tuple[str, str | None, str | None]:
        """The label path, tree id and version of a leaf reason, or Refused("reason_unknown")."""
        tree = self.reason_tree
        if tree is None or not tree.path(code) or not tree.path(code)[-1].is_leaf:
            raise Refused("reason_unknown", reason=code)
        return tree.label_path(code), tree.tree_id, tree.version
