"""Stops as a line has them, as events: what the reliability tests' stations record.

A stop is started, ended, then coded: machine events are not operator input, a person's
coding is; every third stop is a micro-stop whose end and automatic code are one commit, as
the ledger commits them. Where the cycle stands is station state, committed with each
event (`state()`), so a station restarted on the same outbox carries on with its stop.
"""

from __future__ import annotations

from typing import Any

from lineside.domain.downtime import EndCause
from lineside.domain.events import (
    DowntimeCoded,
    DowntimeEnded,
    DowntimeStarted,
    Event,
    EventContext,
    make_event,
    new_id,
    utc_now,
)
from lineside.domain.machine_state import StopCategory

STATE_KEY = "station_proc"
PERSON = "p7"


class Line:
    """Stops as a line has them: started, ended, then coded (by a person or as a micro-stop)."""

    def __init__(self, station: str, state: dict[str, Any]) -> None:
        self.context = EventContext(line="L1", station=station, equipment="filler", order="4711")
        self.stop_id: str | None = state.get("stop_id")
        self.step: int = state.get("step", 0)
        self.stops: int = state.get("stops", 0)

    def state(self) -> dict[str, Any]:
        return {STATE_KEY: {"stop_id": self.stop_id, "step": self.step, "stops": self.stops}}

    def _event(self, payload: Any, by: str | None) -> Event:
        return make_event(payload, context=self.context, occurred_at=utc_now(), recorded_by=by)

    def next(self) -> tuple[list[Event], bool]:
        """The next commit of the cycle, and whether it is operator input."""
        now = utc_now()
        if self.step == 0 or self.stop_id is None:
            self.stop_id, self.step = new_id(), 1
            started = DowntimeStarted(
                stop_id=self.stop_id, started_at=now, category=StopCategory.INTERNAL, state="held"
            )
            return [self._event(started, None)], False
        stop_id = self.stop_id
        micro = self.stops % 3 == 2
        if self.step == 1:
            ended = DowntimeEnded(
                stop_id=stop_id, ended_at=now, cause=EndCause.PRODUCING, duration_s=1.5
            )
            events = [self._event(ended, None)]
            if micro:  # ended and coded in one commit, as the ledger does for micro-stops
                code = DowntimeCoded(
                    stop_id=stop_id, reason="MICRO", reason_path="Micro-stop", automatic=True
                )
                events.append(self._event(code, None))
                self.step, self.stops = 0, self.stops + 1
            else:
                self.step = 2
            return events, False
        code = DowntimeCoded(stop_id=stop_id, reason="JAM", reason_path="Mechanical › Jam")
        self.step, self.stops = 0, self.stops + 1
        return [self._event(code, PERSON)], True
