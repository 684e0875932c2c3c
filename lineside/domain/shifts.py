"""The shift calendar: which occurrence of a shift an instant falls in, and when that changes.

Instants are UTC; the calendar is plant local time. A shift's weekdays are those of the local
date its occurrence starts on, and it lasts what the wall clock says, so a night shift over a
clock change lasts 7 or 9 hours. A local time that does not exist (spring forward) means the
first instant after the gap; one that exists twice (fall back) means the first of the two.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from lineside.domain.master_data import Shift, ShiftRecord

_TICK = timedelta(microseconds=1)
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class ShiftSpan:
    """One occurrence of a shift, with its breaks, in UTC."""

    calendar_id: str
    name: str
    start: datetime
    end: datetime
    breaks: tuple[tuple[datetime, datetime, str], ...]  # start, end, name; in order
    day: date  # the local date the occurrence starts on

    @property
    def key(self) -> str:
        """Identifies this occurrence, e.g. "Early@2026-12-03"."""
        return f"{self.name}@{self.day.isoformat()}"

    def break_at(self, at: datetime) -> tuple[datetime, datetime, str] | None:
        """The break that `at` falls in (start inclusive, end exclusive), or None."""
        return next((b for b in self.breaks if b[0] <= at < b[1]), None)


def shift_at(calendar: ShiftRecord, tz: ZoneInfo, at: datetime) -> ShiftSpan | None:
    """The occurrence that `at` falls in (start inclusive, end exclusive), None outside all.

    Where shifts overlap, the one that started latest wins; of two that started at the same
    instant, the one listed first in the calendar.
    """
    day = _local_date(at, tz)
    spans = [s for s in _occurrences(calendar, tz, day, day) if s.start <= at < s.end]
    return max(spans, key=lambda s: s.start, default=None)


def next_boundary(calendar: ShiftRecord, tz: ZoneInfo, after: datetime) -> datetime | None:
    """The first shift start or end or break start or end strictly after `after`.

    None when no shift occurs within 8 days (a calendar without weekdays).
    """
    day = _local_date(after, tz)
    spans = _occurrences(calendar, tz, day, day + 8 * _DAY)
    times = [t for s in spans for t in _boundaries(s) if t > after]
    return min(times, default=None)


def spans_between(
    calendar: ShiftRecord, tz: ZoneInfo, start: datetime, end: datetime
) -> list[ShiftSpan]:
    """Every occurrence overlapping [start, end) in order of start, overlapping shifts too."""
    spans = _occurrences(calendar, tz, _local_date(start, tz), _local_date(end, tz))
    overlapping = [s for s in spans if max(start, s.start) < min(end, s.end)]
    return sorted(overlapping, key=lambda s: s.start)


def _local_date(at: datetime, tz: ZoneInfo) -> date:
    if at.tzinfo is None:
        raise ValueError("a shift calendar needs aware datetimes")
    return at.astimezone(tz).date()


@functools.lru_cache(maxsize=256)
def _occurrences(
    calendar: ShiftRecord, tz: ZoneInfo, first: date, last: date
) -> tuple[ShiftSpan, ...]:
    """The occurrences starting on local dates from `first` to `last`, with a margin.

    Two days before and one after cover a shift of up to 24 hours and any clock change.
    """
    days = [first + n * _DAY for n in range(-2, (last - first).days + 2)]
    spans = (
        _span(calendar.calendar_id, shift, day, tz)
        for day in days
        for shift in calendar.shifts
        if day.weekday() in shift.weekdays
    )
    return tuple(s for s in spans if s.start < s.end)


def _span(calendar_id: str, shift: Shift, day: date, tz: ZoneInfo) -> ShiftSpan:
    begin = datetime.combine(day, shift.start)
    breaks = [
        (_instant(begin + a, tz), _instant(begin + b, tz), name)
        for a, b, name in sorted(shift.break_times())
    ]
    return ShiftSpan(
        calendar_id=calendar_id,
        name=shift.name,
        start=_instant(begin, tz),
        end=_instant(begin + shift.length(), tz),
        breaks=tuple(b for b in breaks if b[0] < b[1]),  # a break inside a skipped hour is gone
        day=day,
    )


def _boundaries(span: ShiftSpan) -> list[datetime]:
    return [span.start, span.end, *(t for b in span.breaks for t in b[:2])]


def _instant(wall: datetime, tz: ZoneInfo) -> datetime:
    """The UTC instant of a local wall-clock time: the first of two, or the first after a gap."""
    first = wall.replace(tzinfo=tz).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == wall:
        return first
    # In a gap the offset after the change (fold=1) gives an instant before it, the offset
    # before (fold=0) one at or after it: bisect for the change.
    before, after = wall.replace(tzinfo=tz, fold=1).astimezone(UTC), first
    while after - before > _TICK:
        middle = before + (after - before) // 2
        if middle.astimezone(tz).replace(tzinfo=None) > wall:
            after = middle
        else:
            before = middle
    return after
