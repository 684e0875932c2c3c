"""The stops projection: the stop list as people see it, folded from committed downtime events.

Rules that keep it true whatever order a person's correction and the machine's facts land in:
an automatic coding never replaces a person's and never codes a stop a person deferred or
split; a split of the open stop hands the machine's later facts about it to the open part.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from lineside.domain.downtime import UnknownCause
from lineside.domain.events import (
    DowntimeCoded,
    DowntimeDeferred,
    DowntimeEnded,
    DowntimePlcReason,
    DowntimeRecoded,
    DowntimeSplit,
    DowntimeStarted,
    Event,
    MachineConnected,
    MachineDisconnected,
    TerminalStarted,
)
from lineside.domain.machine_state import StopCategory


@dataclass(frozen=True)
class Change:
    """One entry of a stop's history: who did what when (`what` is a code, `data` its values)."""

    at: datetime
    by: str | None
    what: str
    data: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class StopRecord:
    """One stop with its current reason and its history."""

    stop_id: str
    started_at: datetime
    category: StopCategory
    state: str
    ended_at: datetime | None = None
    plc_reason_id: int | None = None
    plc_reason_message: str | None = None
    suggested_reason: str | None = None
    reason: str | None = None
    reason_path: str | None = None
    tree: str | None = None
    automatic: bool = False
    rule: str | None = None
    deferred: bool = False
    touched: bool = False
    """A person deferred, coded or split it: rules no longer code it."""
    unknown_cause: UnknownCause | None = None
    follows_gap: bool = False
    gaps: tuple[tuple[datetime, datetime | None], ...] = ()
    """Times inside the stop when the machine could not be seen (the stop held through)."""
    history: tuple[Change, ...] = field(default=())

    @property
    def is_open(self) -> bool:
        """Still going on."""
        return self.ended_at is None

    @property
    def coded(self) -> bool:
        """Has a reason."""
        return self.reason is not None

    @property
    def needs_reason(self) -> bool:
        """Uncoded stops are marked in the list; state-unknown time may be coded but isn't asked."""
        return not self.coded and self.category is not StopCategory.UNKNOWN

    @property
    def asks_person(self) -> bool:
        """The reason prompt opens for it: an uncoded, unplanned stop nobody put off."""
        return self.needs_reason and self.category is not StopCategory.PLANNED and not self.deferred

    def duration(self, now: datetime) -> timedelta:
        """How long it lasted, or has lasted until `now`."""
        return (self.ended_at or now) - self.started_at


def _noted(stop: StopRecord, event: Event, what: str, **data: str) -> StopRecord:
    note = Change(at=event.occurred_at, by=event.recorded_by, what=what, data=tuple(data.items()))
    return replace(stop, history=(*stop.history, note))


@dataclass
class StopBook:
    """Today's stops and the open one, folded from events (`day_start` in plant time)."""

    day_start: Callable[[datetime], datetime] = field(compare=False)
    stops: dict[str, StopRecord] = field(default_factory=dict)
    continued_as: dict[str, str] = field(default_factory=dict)
    """A split open stop's id → the id of its part that goes on."""
    open_id: str | None = None
    last_end: datetime | None = None
    day: datetime | None = field(default=None, compare=False)
    """The plant day last pruned for: earlier days' stops go once per day, not per stop."""

    def resolve(self, stop_id: str) -> str:
        """The id that now stands for a stop the machine named (split parts included)."""
        seen = 0
        while stop_id in self.continued_as and seen < len(self.continued_as):
            stop_id = self.continued_as[stop_id]
            seen += 1
        return stop_id

    def get(self, stop_id: str) -> StopRecord | None:
        """A stop by its id or by the id the machine gave it."""
        return self.stops.get(self.resolve(stop_id))

    @property
    def open_stop(self) -> StopRecord | None:
        """The stop going on now."""
        return self.get(self.open_id) if self.open_id else None

    def apply(self, event: Event) -> set[str]:  # noqa: PLR0911 - one return per kind of event
        """Apply one event; returns the ids of the stops it touched (a split: both)."""
        p = event.typed_payload()
        if isinstance(p, DowntimeStarted):
            self._forget_earlier_days(event.occurred_at)
            self.stops[p.stop_id] = StopRecord(
                stop_id=p.stop_id,
                started_at=p.started_at,
                category=p.category,
                state=p.state,
                plc_reason_id=p.plc_reason_id,
                plc_reason_message=p.plc_reason_message,
                suggested_reason=p.suggested_reason,
                unknown_cause=p.unknown_cause,
                follows_gap=p.follows_gap,
            )
            self.open_id = p.stop_id
            return {p.stop_id}
        if isinstance(p, MachineDisconnected | MachineConnected | TerminalStarted):
            gap = self._gap(event, p)
            return {gap} if gap else set()
        stop_id = getattr(p, "stop_id", None)
        if stop_id is None:
            return set()
        stop = self.get(stop_id)
        if stop is None:
            return set()
        stop = self._applied(stop, event, p)
        if stop is None:
            return set()
        self.stops[stop.stop_id] = stop
        if isinstance(p, DowntimeSplit):
            return {stop.stop_id, p.new_stop_id}
        return {stop.stop_id}

    def _applied(  # noqa: PLR0911 - one return per kind of event
        self, stop: StopRecord, event: Event, p: object
    ) -> StopRecord | None:
        if isinstance(p, DowntimeEnded):
            if p.stop_id == self.open_id:
                self.open_id = None
            self.last_end = max(self.last_end or p.ended_at, p.ended_at)
            gaps = tuple(g for g in stop.gaps if g[0] < p.ended_at)
            return replace(stop, ended_at=p.ended_at, gaps=gaps)
        if isinstance(p, DowntimePlcReason):
            return replace(
                stop,
                plc_reason_id=p.plc_reason_id,
                plc_reason_message=p.plc_reason_message,
                suggested_reason=p.suggested_reason,
            )
        if isinstance(p, DowntimeCoded):
            if p.automatic and (stop.coded or stop.touched):
                return None
            stop = replace(
                stop,
                reason=p.reason,
                reason_path=p.reason_path,
                tree=f"{p.tree_id}@{p.tree_version}" if p.tree_id else None,
                automatic=p.automatic,
                rule=p.rule,
                touched=stop.touched or not p.automatic,
            )
            return _noted(stop, event, "coded", reason=p.reason, path=p.reason_path)
        if isinstance(p, DowntimeRecoded):
            stop = replace(
                stop,
                reason=p.new_reason,
                reason_path=p.new_reason_path,
                tree=f"{p.tree_id}@{p.tree_version}" if p.tree_id else None,
                automatic=False,
                rule=None,
                touched=True,
            )
            return _noted(stop, event, "recoded", old=p.old_reason, new=p.new_reason, why=p.why)
        if isinstance(p, DowntimeSplit):
            return self._split(stop, event, p)
        if isinstance(p, DowntimeDeferred):
            return replace(stop, deferred=True, touched=True)
        return None

    def _split(self, stop: StopRecord, event: Event, p: DowntimeSplit) -> StopRecord:
        self.stops[p.new_stop_id] = StopRecord(
            stop_id=p.new_stop_id,
            started_at=p.at,
            ended_at=stop.ended_at,
            category=stop.category,
            state=stop.state,
            plc_reason_id=stop.plc_reason_id,
            plc_reason_message=stop.plc_reason_message,
            suggested_reason=stop.suggested_reason,
            touched=True,
            deferred=stop.deferred,
            gaps=tuple(g for g in stop.gaps if g[1] is None or g[1] > p.at),
            history=(Change(event.occurred_at, event.recorded_by, "split_off"),),
        )
        if stop.is_open:
            self.continued_as[stop.stop_id] = p.new_stop_id
        stop = replace(
            stop,
            ended_at=p.at,
            touched=True,
            gaps=tuple(g for g in stop.gaps if g[0] < p.at),
        )
        return _noted(stop, event, "split", at=p.at.isoformat())

    def _gap(
        self, event: Event, p: MachineDisconnected | MachineConnected | TerminalStarted
    ) -> str | None:
        """Note when the open stop could not be seen (link lost, the terminal down)."""
        stop = self.open_stop
        if stop is None:
            return None
        open_gap = bool(stop.gaps) and stop.gaps[-1][1] is None
        if isinstance(p, MachineConnected):
            if not open_gap:
                return None
            stop = replace(stop, gaps=(*stop.gaps[:-1], (stop.gaps[-1][0], event.occurred_at)))
        elif open_gap:
            return None
        elif isinstance(p, TerminalStarted):
            since = max(p.last_seen or event.occurred_at, stop.started_at)
            stop = replace(stop, gaps=(*stop.gaps, (since, None)))
        else:
            stop = replace(stop, gaps=(*stop.gaps, (event.occurred_at, None)))
        self.stops[stop.stop_id] = stop
        return stop.stop_id

    def _forget_earlier_days(self, now: datetime) -> None:
        """Keep only today's stops (the record keeps all); a terminal runs for months."""
        day_start = self.day_start(now)
        if self.day is not None and day_start <= self.day:
            return
        self.day = day_start
        old = [sid for sid, s in self.stops.items() if s.ended_at and s.ended_at < day_start]
        for stop_id in old:
            del self.stops[stop_id]
        if old:
            gone = set(old)
            self.continued_as = {
                k: v for k, v in self.continued_as.items() if k not in gone and v not in gone
            }


def automatic_reason(
    stop: StopRecord, threshold: timedelta, micro_code: str | None
) -> tuple[str, str] | None:
    """The (reason, rule) a stop that just ended gets without a person, if any.

    Only a stop nobody touched that ended under its equipment's threshold: with its mapped
    PLC reason when it has one, else as a micro-stop. State-unknown time, stops that began
    after a gap and stops with a gap inside are left for a person.
    """
    if stop.ended_at is None or stop.coded or stop.touched or stop.follows_gap or stop.gaps:
        return None
    if stop.category in (StopCategory.UNKNOWN, StopCategory.PLANNED):
        return None
    if stop.duration(stop.ended_at) >= threshold:
        return None
    if stop.suggested_reason:
        return stop.suggested_reason, "plc_reason"
    return (micro_code, "micro_stop") if micro_code else None


def fold(events: Iterable[Event], day_start: Callable[[datetime], datetime]) -> StopBook:
    """Apply events in order."""
    book = StopBook(day_start)
    for event in events:
        book.apply(event)
    return book
