"""The context of a fact at its moment: shift from the plant's calendar, person, order."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from lineside.domain.events import EventContext
from lineside.domain.master_data import ShiftRecord
from lineside.domain.orders import Job
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

    def at(
        self,
        projections: Projections,
        at: datetime,
        person: str | None = None,
        job: Job | None = None,
    ) -> EventContext:
        """The context of a fact at `at` (`person` overrides the session's, for sign-in;
        `job` the current order's, for the start of an order)."""
        span = self.shift(at)
        fb = self.fallback
        book = projections.orders
        job = job or book.current_job
        order: str | None
        operation: str | None
        product: str | None
        if job is not None:
            order, operation, product, fallback = job.order_id, job.operation_id, job.product, False
        elif book.last_product is not None:  # an order ran here: [context] is no longer true
            order = operation = product = None
            fallback = False
        else:
            order, operation, product = fb.order, fb.operation, fb.product
            fallback = bool(order or operation or product)
        return EventContext(
            line=self.line,
            station=self.station,
            equipment=self.equipment,
            order=order,
            operation=operation,
            product=product,
            shift=span.key if span else fb.shift,
            person=person if person is not None else projections.session.person_id,
            fallback=fallback,
            master_data=self.master_data,
        )
