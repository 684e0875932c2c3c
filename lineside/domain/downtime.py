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


@dataclass(frozen=True)
class OpenStop:
    """A stop that has begun and not yet ended."""

    stop_id: str
    started_at: datetime
    condition: Condition


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

    @property
    def connected(self) -> bool:
        """False between a connection loss and the next sample."""
        return self.lost_at is None

    def observe(self, changed_at: datetime, condition: Condition) -> list[Change]:
        """Take a sample whose condition holds since `changed_at` (the PLC's timestamp)."""
        changes: list[Change] = []
        if self.lost_at is not None:
            lost_at, self.lost_at = self.lost_at, None
            held_through = changed_at <= lost_at and (
                condition == self.condition or condition.same_stop_as(self.condition)
            )
            if held_through:
                self.last_at = max(self.last_at or lost_at, lost_at)
                return self._update_reason(condition)
            if changed_at > lost_at:
                # The state changed while we could not see it: what happened between the
                # loss and the PLC's change time is unknown.
                changes += self._close(lost_at, EndCause.CONNECTION_LOST)
                changes += self._open(lost_at, UNKNOWN_CONDITION)
                changes += self._close(changed_at, EndCause.STATE_KNOWN)
                self.condition = None
                self.last_at = changed_at
        # A change the PLC dates before the loss was simply not seen in time: apply it then.
        at = max(changed_at, self.last_at) if self.last_at else changed_at
        self.last_at = at
        previous, self.condition = self.condition, condition
        if condition.producing:
            return changes + self._close(at, EndCause.PRODUCING)
        if self.open_stop is None or previous is None or previous.producing:
            return changes + self._open(at, condition)
        return changes + self._update_reason(condition)

    def connection_lost(self, at: datetime) -> list[Change]:
        """Note that the signals can no longer be seen from `at` on."""
        if self.lost_at is None:
            self.lost_at = max(at, self.last_at) if self.last_at else at
        return []

    def split_open(self, at: datetime, new_stop_id: str) -> OpenStop:
        """Split the open stop at `at`: the part from `at` on goes on as `new_stop_id`."""
        stop = self.open_stop
        if stop is None or not stop.started_at < at:
            raise ValueError("only an open stop can be split, at a time after its start")
        self.open_stop = replace(stop, stop_id=new_stop_id, started_at=at)
        return self.open_stop

    def _open(self, at: datetime, condition: Condition) -> list[Change]:
        self.open_stop = OpenStop(stop_id=self._new_id(), started_at=at, condition=condition)
        return [StopOpened(self.open_stop)]

    def _close(self, at: datetime, cause: EndCause) -> list[Change]:
        stop, self.open_stop = self.open_stop, None
        if stop is None:
            return []
        micro = (
            cause is EndCause.PRODUCING
            and stop.condition.category is not StopCategory.UNKNOWN
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
            }

        stop = self.open_stop
        return {
            "open_stop": None
            if stop is None
            else {
                "stop_id": stop.stop_id,
                "started_at": stop.started_at.isoformat(),
                "condition": cond(stop.condition),
            },
            "condition": cond(self.condition),
            "last_at": self.last_at.isoformat() if self.last_at else None,
            "lost_at": self.lost_at.isoformat() if self.lost_at else None,
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
            )

        stop = state.get("open_stop")
        if stop is not None:
            condition = cond(stop["condition"])
            assert condition is not None
            self.open_stop = OpenStop(
                stop_id=stop["stop_id"],
                started_at=datetime.fromisoformat(stop["started_at"]),
                condition=condition,
            )
        self.condition = cond(state.get("condition"))
        last_at, lost_at = state.get("last_at"), state.get("lost_at")
        self.last_at = datetime.fromisoformat(last_at) if last_at else None
        self.lost_at = datetime.fromisoformat(lost_at) if lost_at else None
