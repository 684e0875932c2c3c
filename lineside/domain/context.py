"""The context of a fact at its moment: shift from the plant's calendar, person, order."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from lineside.domain.events import EventContext
from lineside.domain.master_data import ShiftRecord
from lineside.domain.projections import Projections
from lineside.domain.shifts import ShiftSpan, shift_at


@dataclass(frozen=True)
class Fallback:
    """The station config's [context]: used only until an order runs (marked `fallback`)."""

    order: str | None = None
    operation: str | None = None
    product: str | None = None
    shift: str | None = None


@dataclass(frozen=True)
class ContextSource:
    """What the context of this station's facts is made from, besides the projections."""

    line: str
    station: str
    equipment: str
    tz: ZoneInfo
    calendar: ShiftRecord | None = None
    fallback: Fallback = Fallback()
    master_data: dict[str, str] = field(default_factory=dict)

    def shift(self, at: datetime) -> ShiftSpan | None:
        """The shift occurrence `at` falls in, from the calendar."""
        return shift_at(self.calendar, self.tz, at) if self.calendar else None

    def at(self, projections: Projections, at: datetime, person: str | None = None) -> EventContext:
        """The context of a fact at `at` (`person` overrides the session's, for sign-in)."""
        span = self.shift(at)
        fb = self.fallback
        return EventContext(
            line=self.line,
            station=self.station,
            equipment=self.equipment,
            order=fb.order,
            operation=fb.operation,
            product=fb.product,
            shift=span.key if span else fb.shift,
            person=person if person is not None else projections.session.person_id,
            fallback=bool(fb.order or fb.operation or fb.product),
            master_data=self.master_data,
        )
