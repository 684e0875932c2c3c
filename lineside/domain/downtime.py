"""Downtime detection: turn timestamped machine conditions into stops (pure, no I/O).

Every moment from the first sample on is either producing, inside a stop, or inside a
"state unknown" interval (itself a stop of category UNKNOWN), and these never overlap.
A connection loss does not end a stop at once: on reconnection the PLC's source timestamp
of the state tells whether the state held through the outage (the stop simply continues)
or changed (the stop ends at the loss and the gap is recorded as state unknown).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from lineside.domain.machine_state import Condition, StopCategory

DEFAULT_MICRO_STOP_THRESHOLD = timedelta(seconds=120)

UNKNOWN_CONDITION = Condition(
    producing=False, category=StopCategory.UNKNOWN, state_label="State unknown"
)


class EndCause(enum.StrEnum):
    """Why a stop ended."""

    PRODUCING = "producing"
    CONNECTION_LOST = "connection_lost"
    STATE_KNOWN = "state_known"
    STATION_DOWN = "station_down"
    BAD_QUALITY = "bad_quality"


class UnknownCause(enum.StrEnum):
    """Why the machine's state could not be seen for a while."""

    CONNECTION_LOST = "connection_lost"
    STATION_DOWN = "station_down"
    BAD_QUALITY = "bad_quality"

    @property
    def end_cause(self) -> EndCause:
        """How a stop that the gap interrupts ends."""
        return EndCause(self.value)


@dataclass(frozen=True)
class OpenStop:
    """A stop that has begun and not yet ended."""

    stop_id: str
    started_at: datetime
    condition: Condition
    unknown_cause: UnknownCause | None = None
    follows_gap: bool = False
    """Began as the station saw the machine again after a gap: not coded automatically."""


@dataclass(frozen=True)
class StopOpened:
    """A stop began."""

    stop: OpenStop


@dataclass(frozen=True)
class StopClosed:
    """A stop ended; `micro` when it was shorter than the threshold and ended by production."""

    stop: OpenStop
    ended_at: datetime
    cause: EndCause
    micro: bool

    @property
    def duration(self) -> timedelta:
        """How long the stop lasted."""
        return self.ended_at - self.stop.started_at


@dataclass(frozen=True)
class PlcReasonReported:
    """The PLC's stop reason arrived after the stop had already opened."""

    stop: OpenStop


Change = StopOpened | StopClosed | PlcReasonReported


class DowntimeDetector:
    """Incremental stop detector for one piece of equipment."""

    def __init__(
        self,
        new_id: Callable[[], str],
        micro_stop_threshold: timedelta = DEFAULT_MICRO_STOP_THRESHOLD,
    ) -> None:
        self._new_id = new_id
        self.micro_stop_threshold = micro_stop_threshold
        self.open_stop: OpenStop | None = None
        self.condition: Condition | None = None
        self.last_at: datetime | None = None
        self.lost_at: datetime | None = None
        self.lost_cause = UnknownCause.CONNECTION_LOST
        self.timestamps_restarted = False
        """The server restarted during the gap: its source timestamps prove nothing."""

    @property
    def connected(self) -> bool:
        """False between a connection loss and the next sample."""
        return self.lost_at is None

    def observe(
        self, changed_at: datetime, condition: Condition, received_at: datetime | None = None
    ) -> list[Change]:
        """Take a sample whose condition holds since `changed_at` (the PLC's timestamp)."""
        changes: list[Change] = []
        if self.lost_at is not None:
            settled = self._settle(changed_at, condition, received_at or changed_at)
            if settled is None:
                return self._update_reason(condition)
            changes, changed_at = settled
        # A change the PLC dates before the loss was simply not seen in time: apply it then.
        at = max(changed_at, self.last_at) if self.last_at else changed_at
        self.last_at = at
        previous, self.condition = self.condition, condition
        if condition.producing:
            return changes + self._close(at, EndCause.PRODUCING)
        if self.open_stop is None or previous is None or previous.producing:
            return changes + self._open(at, condition, follows_gap=bool(changes))
        return changes + self._update_reason(condition)

    def _settle(
        self, changed_at: datetime, condition: Condition, received_at: datetime
    ) -> tuple[list[Change], datetime] | None:
        """End a gap: None when the state held through it, else the gap's changes and when the
        new condition holds from."""
        lost_at, self.lost_at = self.lost_at, None
        assert lost_at is not None
        cause, self.lost_cause = self.lost_cause, UnknownCause.CONNECTION_LOST
        restarted, self.timestamps_restarted = self.timestamps_restarted, False
        same = self.condition is not None and (
            condition == self.condition or condition.same_stop_as(self.condition)
        )
        if restarted:
            # A new server process stamps every value afresh: the stop that shows the same
            # state and reason on both sides is one stop with the gap inside it.
            if same and not condition.producing and self.open_stop is not None:
                self.last_at = max(self.last_at or lost_at, lost_at)
                return None
            changed_at = max(min(changed_at, received_at), lost_at)
        elif changed_at <= lost_at and same:
            self.last_at = max(self.last_at or lost_at, lost_at)
            return None
        if changed_at <= lost_at:
            return [], changed_at
        # The state changed while we could not see it: what happened between the loss and
        # the change is unknown.
        changes = self._close(lost_at, cause.end_cause)
        changes += self._open(lost_at, UNKNOWN_CONDITION, unknown_cause=cause)
        changes += self._close(changed_at, EndCause.STATE_KNOWN)
        self.condition = None
        self.last_at = changed_at
        return changes, changed_at

    def connection_lost(
        self, at: datetime, cause: UnknownCause = UnknownCause.CONNECTION_LOST
    ) -> list[Change]:
        """Note that the signals can no longer be seen from `at` on."""
        if self.lost_at is None:
            self.lost_at = max(at, self.last_at) if self.last_at else at
            self.lost_cause = cause
        return []

    def _open(
        self,
        at: datetime,
        condition: Condition,
        *,
        unknown_cause: UnknownCause | None = None,
        follows_gap: bool = False,
    ) -> list[Change]:
        self.open_stop = OpenStop(
            stop_id=self._new_id(),
            started_at=at,
            condition=condition,
            unknown_cause=unknown_cause,
            follows_gap=follows_gap,
        )
        return [StopOpened(self.open_stop)]

    def _close(self, at: datetime, cause: EndCause) -> list[Change]:
        stop, self.open_stop = self.open_stop, None
        if stop is None:
            return []
        micro = (
            cause is EndCause.PRODUCING
            and stop.condition.category is not StopCategory.UNKNOWN
            and not stop.follows_gap
            and at - stop.started_at < self.micro_stop_threshold
        )
        return [StopClosed(stop=stop, ended_at=at, cause=cause, micro=micro)]

    def _update_reason(self, condition: Condition) -> list[Change]:
        stop = self.open_stop
        if stop is None or stop.condition.plc_reason_id is not None:
            return []
        if condition.producing or condition.plc_reason_id is None:
            return []
        self.open_stop = replace(
            stop,
            condition=replace(
                stop.condition,
                plc_reason_id=condition.plc_reason_id,
                plc_reason_message=condition.plc_reason_message,
            ),
        )
        return [PlcReasonReported(self.open_stop)]

    def to_state(self) -> dict[str, Any]:
        """What must survive a restart, as JSON-ready data."""

        def cond(c: Condition | None) -> dict[str, Any] | None:
            if c is None:
                return None
            return {
                "producing": c.producing,
                "category": c.category.value if c.category else None,
                "plc_reason_id": c.plc_reason_id,
                "plc_reason_message": c.plc_reason_message,
                "state_label": c.state_label,
                "planned_by": c.planned_by,
            }

        stop = self.open_stop
        return {
            "open_stop": None
            if stop is None
            else {
                "stop_id": stop.stop_id,
                "started_at": stop.started_at.isoformat(),
                "condition": cond(stop.condition),
                "unknown_cause": stop.unknown_cause,
                "follows_gap": stop.follows_gap,
            },
            "condition": cond(self.condition),
            "last_at": self.last_at.isoformat() if self.last_at else None,
            "lost_at": self.lost_at.isoformat() if self.lost_at else None,
            "lost_cause": self.lost_cause.value,
            "timestamps_restarted": self.timestamps_restarted,
        }

    def restore(self, state: dict[str, Any]) -> None:
        """Take back what `to_state` saved; after a restart the open stop resumes."""

        def cond(d: dict[str, Any] | None) -> Condition | None:
            if d is None:
                return None
            return Condition(
                producing=d["producing"],
                category=StopCategory(d["category"]) if d["category"] else None,
                plc_reason_id=d["plc_reason_id"],
                plc_reason_message=d["plc_reason_message"],
                state_label=d["state_label"],
                planned_by=d.get("planned_by"),
            )

        stop = state.get("open_stop")
        if stop is not None:
            condition = cond(stop["condition"])
            assert condition is not None
            self.open_stop = OpenStop(
                stop_id=stop["stop_id"],
                started_at=datetime.fromisoformat(stop["started_at"]),
                condition=condition,
                unknown_cause=UnknownCause(stop["unknown_cause"])
                if stop.get("unknown_cause")
                else None,
                follows_gap=bool(stop.get("follows_gap")),
            )
        self.condition = cond(state.get("condition"))
        last_at, lost_at = state.get("last_at"), state.get("lost_at")
        self.last_at = datetime.fromisoformat(last_at) if last_at else None
        self.lost_at = datetime.fromisoformat(lost_at) if lost_at else None
        self.lost_cause = UnknownCause(state.get("lost_cause", UnknownCause.CONNECTION_LOST))
        self.timestamps_restarted = bool(state.get("timestamps_restarted"))
