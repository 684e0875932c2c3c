"""The stop list as people see it, folded from downtime events (corrections included)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from lineside.domain.events import (
    DowntimeCoded,
    DowntimeDeferred,
    DowntimeEnded,
    DowntimePlcReason,
    DowntimeRecoded,
    DowntimeSplit,
    DowntimeStarted,
    Event,
)
from lineside.domain.machine_state import StopCategory


@dataclass(frozen=True)
class Change:
    """One entry of a stop's history: who did what when."""

    at: datetime
    by: str | None
    what: str


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
    automatic: bool = False
    deferred: bool = False
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

    def duration(self, now: datetime) -> timedelta:
        """How long it lasted, or has lasted until `now`."""
        return (self.ended_at or now) - self.started_at


def _noted(stop: StopRecord, event: Event, what: str) -> StopRecord:
    note = Change(at=event.occurred_at, by=event.recorded_by, what=what)
    return replace(stop, history=(*stop.history, note))


def apply(stops: dict[str, StopRecord], event: Event) -> str | None:
    """Apply one downtime event to `stops` in place; returns the id of the stop it touched."""
    p = event.typed_payload()
    if isinstance(p, DowntimeStarted):
        stops[p.stop_id] = StopRecord(
            stop_id=p.stop_id,
            started_at=p.started_at,
            category=p.category,
            state=p.state,
            plc_reason_id=p.plc_reason_id,
            plc_reason_message=p.plc_reason_message,
            suggested_reason=p.suggested_reason,
        )
        return p.stop_id
    stop = stops.get(getattr(p, "stop_id", ""))
    if stop is None:
        return None
    if isinstance(p, DowntimeEnded):
        stop = replace(stop, ended_at=p.ended_at)
    elif isinstance(p, DowntimePlcReason):
        stop = replace(
            stop,
            plc_reason_id=p.plc_reason_id,
            plc_reason_message=p.plc_reason_message,
            suggested_reason=p.suggested_reason,
        )
    elif isinstance(p, DowntimeCoded):
        stop = replace(stop, reason=p.reason, reason_path=p.reason_path, automatic=p.automatic)
        stop = _noted(stop, event, f"coded {p.reason_path}")
    elif isinstance(p, DowntimeRecoded):
        stop = replace(stop, reason=p.new_reason, reason_path=p.new_reason_path, automatic=False)
        stop = _noted(stop, event, f"recoded {p.old_reason} → {p.new_reason}: {p.why}")
    elif isinstance(p, DowntimeSplit):
        stops[p.new_stop_id] = StopRecord(
            stop_id=p.new_stop_id,
            started_at=p.at,
            ended_at=stop.ended_at,
            category=stop.category,
            state=stop.state,
            plc_reason_id=stop.plc_reason_id,
            plc_reason_message=stop.plc_reason_message,
            suggested_reason=stop.suggested_reason,
            history=(Change(event.occurred_at, event.recorded_by, "split off"),),
        )
        stop = _noted(replace(stop, ended_at=p.at), event, f"split at {p.at.isoformat()}")
    elif isinstance(p, DowntimeDeferred):
        stop = replace(stop, deferred=True)
    stops[stop.stop_id] = stop
    return stop.stop_id


def fold(events: Iterable[Event]) -> dict[str, StopRecord]:
    """Apply downtime events in order; the result maps stop ids to stops, in start order."""
    stops: dict[str, StopRecord] = {}
    for event in events:
        apply(stops, event)
    return dict(sorted(stops.items(), key=lambda kv: kv[1].started_at))
