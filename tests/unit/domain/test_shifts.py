"""The shift calendar: shift changes, night shifts over midnight and clock changes, breaks."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import lineside.server
from lineside.domain.master_data import PlantFile, Shift, ShiftRecord
from lineside.domain.shifts import next_boundary, shift_at, spans_between

BERLIN = ZoneInfo("Europe/Berlin")
EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)
MS = timedelta(milliseconds=1)


def calendar(*shifts: dict[str, Any]) -> ShiftRecord:
    return ShiftRecord.model_validate({"calendar_id": "Plant", "shifts": shifts})


def demo(
    weekdays: tuple[int, ...] = EVERY_DAY, breaks: dict[str, list[dict[str, str]]] | None = None
) -> ShiftRecord:
    """The demo plant's calendar: Early 06–14, Late 14–22, Night 22–06."""
    times = {"Early": ("06:00", "14:00"), "Late": ("14:00", "22:00"), "Night": ("22:00", "06:00")}
    return calendar(
        *(
            {
                "name": name,
                "start": start,
                "end": end,
                "weekdays": weekdays,
                "breaks": (breaks or {}).get(name, []),
            }
            for name, (start, end) in times.items()
        )
    )


def local(
    year: int, month: int, day: int, hour: int, minute: int = 0, *, fold: int = 0
) -> datetime:
    """A Berlin wall-clock time as a UTC instant."""
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN, fold=fold).astimezone(UTC)


def key(cal: ShiftRecord, instant: datetime) -> str | None:
    span = shift_at(cal, BERLIN, instant)
    return span.key if span else None


def test_the_late_shift_starts_at_exactly_two() -> None:
    cal = demo()
    assert key(cal, local(2026, 12, 3, 14) - MS) == "Early@2026-12-03"
    assert key(cal, local(2026, 12, 3, 14)) == "Late@2026-12-03"
    early = shift_at(cal, BERLIN, local(2026, 12, 3, 6))
    assert early is not None
    assert (early.calendar_id, early.name) == ("Plant", "Early")
    assert (early.start, early.end) == (
        datetime(2026, 12, 3, 5, tzinfo=UTC),
        datetime(2026, 12, 3, 13, tzinfo=UTC),
    )


def test_a_night_shift_runs_over_midnight_and_belongs_to_the_day_it_starts() -> None:
    cal = demo()
    assert key(cal, local(2026, 12, 3, 22)) == "Night@2026-12-03"
    assert key(cal, local(2026, 12, 4, 0)) == "Night@2026-12-03"
    assert key(cal, local(2026, 12, 4, 6) - MS) == "Night@2026-12-03"
    assert key(cal, local(2026, 12, 4, 6)) == "Early@2026-12-04"


def test_the_night_of_spring_forward_lasts_seven_hours() -> None:
    night = shift_at(demo(), BERLIN, datetime(2026, 3, 29, 1, 30, tzinfo=UTC))  # 03:30 CEST
    assert night is not None
    assert night.key == "Night@2026-03-28"
    assert night.start == datetime(2026, 3, 28, 21, tzinfo=UTC)  # 22:00 CET
    assert night.end == datetime(2026, 3, 29, 4, tzinfo=UTC)  # 06:00 CEST
    assert night.end - night.start == timedelta(hours=7)


def test_the_night_of_fall_back_lasts_nine_hours() -> None:
    cal = demo()
    night = shift_at(cal, BERLIN, local(2026, 10, 25, 2, 30, fold=1))  # the second 02:30
    assert night is not None
    assert night.key == "Night@2026-10-24"
    assert night.start == datetime(2026, 10, 24, 20, tzinfo=UTC)  # 22:00 CEST
    assert night.end == datetime(2026, 10, 25, 5, tzinfo=UTC)  # 06:00 CET
    assert night.end - night.start == timedelta(hours=9)
    assert key(cal, local(2026, 10, 25, 2, 30, fold=0)) == "Night@2026-10-24"


def test_a_start_the_clock_skips_is_the_first_instant_after_the_gap() -> None:
    skipped = calendar({"name": "Odd", "start": "02:30", "end": "04:00", "weekdays": EVERY_DAY})
    (span,) = spans_between(skipped, BERLIN, local(2026, 3, 29, 0), local(2026, 3, 29, 12))
    assert span.start == datetime(2026, 3, 29, 1, tzinfo=UTC)  # 03:00 CEST
    assert span.end == datetime(2026, 3, 29, 2, tzinfo=UTC)
    assert span.key == "Odd@2026-03-29"


def test_a_start_the_clock_shows_twice_is_the_first() -> None:
    twice = calendar({"name": "Odd", "start": "02:30", "end": "04:00", "weekdays": EVERY_DAY})
    (span,) = spans_between(twice, BERLIN, local(2026, 10, 25, 0), local(2026, 10, 25, 12))
    assert span.start == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    assert span.end == datetime(2026, 10, 25, 3, tzinfo=UTC)  # 04:00 CET


def test_weekdays_are_those_of_the_day_a_shift_starts() -> None:
    cal = demo(weekdays=(0, 1, 2, 3, 4))  # 2026-12-04 is a Friday
    assert key(cal, local(2026, 12, 5, 3)) == "Night@2026-12-04"  # Friday's night, on Saturday
    assert key(cal, local(2026, 12, 5, 6)) is None
    assert key(cal, local(2026, 12, 6, 23)) is None  # no night shift on Sunday
    assert key(cal, local(2026, 12, 7, 5)) is None
    assert next_boundary(cal, BERLIN, local(2026, 12, 5, 10)) == local(2026, 12, 7, 6)
    assert key(cal, local(2026, 12, 7, 6)) == "Early@2026-12-07"


def test_breaks_lie_in_their_occurrence() -> None:
    cal = demo(
        breaks={
            "Early": [{"start": "09:00", "end": "09:30", "name": "Breakfast"}],
            "Night": [{"start": "23:45", "end": "00:15"}, {"start": "03:00", "end": "03:30"}],
        }
    )
    early = shift_at(cal, BERLIN, local(2026, 12, 3, 9, 10))
    assert early is not None
    assert early.break_at(local(2026, 12, 3, 9, 10)) == (
        local(2026, 12, 3, 9),
        local(2026, 12, 3, 9, 30),
        "Breakfast",
    )
    assert early.break_at(local(2026, 12, 3, 9, 30)) is None
    assert early.break_at(local(2026, 12, 3, 9) - MS) is None
    night = shift_at(cal, BERLIN, local(2026, 12, 4, 0, 5))
    assert night is not None
    assert night.break_at(local(2026, 12, 4, 0, 5)) == (
        local(2026, 12, 3, 23, 45),
        local(2026, 12, 4, 0, 15),
        "Break",
    )
    assert [b[0] for b in night.breaks] == [local(2026, 12, 3, 23, 45), local(2026, 12, 4, 3)]


def test_a_break_in_the_skipped_hour_is_gone_and_one_over_it_ends_at_the_gap() -> None:
    cal = demo(
        breaks={"Night": [{"start": "01:30", "end": "02:00"}, {"start": "02:00", "end": "02:30"}]}
    )
    night = shift_at(cal, BERLIN, datetime(2026, 3, 29, 0, tzinfo=UTC))
    assert night is not None
    assert night.breaks == (
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), datetime(2026, 3, 29, 1, tzinfo=UTC), "Break"),
    )


def test_next_boundary_is_strictly_after() -> None:
    cal = demo(breaks={"Early": [{"start": "09:00", "end": "09:30"}]})
    assert next_boundary(cal, BERLIN, local(2026, 12, 3, 8)) == local(2026, 12, 3, 9)
    assert next_boundary(cal, BERLIN, local(2026, 12, 3, 9)) == local(2026, 12, 3, 9, 30)
    assert next_boundary(cal, BERLIN, local(2026, 12, 3, 13)) == local(2026, 12, 3, 14)
    assert next_boundary(cal, BERLIN, local(2026, 12, 3, 14)) == local(2026, 12, 3, 22)
    assert next_boundary(cal, BERLIN, local(2026, 12, 3, 23)) == local(2026, 12, 4, 6)
    fall_back = local(2026, 10, 25, 2, 30, fold=1)
    assert next_boundary(cal, BERLIN, fall_back) == datetime(2026, 10, 25, 5, tzinfo=UTC)


def test_without_weekdays_there_is_no_shift_and_no_boundary() -> None:
    cal = demo(weekdays=())
    assert shift_at(cal, BERLIN, local(2026, 12, 3, 8)) is None
    assert next_boundary(cal, BERLIN, local(2026, 12, 3, 8)) is None
    assert spans_between(cal, BERLIN, local(2026, 12, 1, 0), local(2026, 12, 31, 0)) == []


def test_where_shifts_overlap_the_one_started_latest_wins() -> None:
    cal = calendar(
        {"name": "Day", "start": "06:00", "end": "14:00", "weekdays": EVERY_DAY},
        {"name": "Meeting", "start": "10:00", "end": "12:00", "weekdays": EVERY_DAY},
        {"name": "Night", "start": "22:00", "end": "07:00", "weekdays": EVERY_DAY},
    )
    assert key(cal, local(2026, 12, 3, 9)) == "Day@2026-12-03"
    assert key(cal, local(2026, 12, 3, 11)) == "Meeting@2026-12-03"
    assert key(cal, local(2026, 12, 3, 12)) == "Day@2026-12-03"
    assert key(cal, local(2026, 12, 3, 6, 30)) == "Day@2026-12-03"
    assert key(cal, local(2026, 12, 3, 5, 59)) == "Night@2026-12-02"


def test_spans_between_lists_every_overlapping_occurrence_in_order() -> None:
    spans = spans_between(demo(), BERLIN, local(2026, 3, 28, 10), local(2026, 3, 29, 6))
    assert [s.key for s in spans] == ["Early@2026-03-28", "Late@2026-03-28", "Night@2026-03-28"]
    assert spans_between(demo(), BERLIN, local(2026, 3, 28, 10), local(2026, 3, 28, 10)) == []


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        shift_at(demo(), BERLIN, datetime(2026, 12, 3, 8))  # noqa: DTZ001 (the point of the test)


def test_existing_calendars_without_breaks_still_load() -> None:
    plant = json.loads((Path(lineside.server.__file__).parent / "demo_plant.json").read_text())
    for calendar in plant["shift"]:
        for shift in calendar["shifts"]:
            shift.pop("breaks", None)  # as every plant file written before breaks existed
    (cal,) = PlantFile.model_validate(plant).shift
    assert all(s.breaks == () for s in cal.shifts)
    assert key(cal, local(2026, 12, 3, 14)) == "Late@2026-12-03"


@pytest.mark.parametrize(
    ("start", "end", "breaks", "problem"),
    [
        ("06:00", "14:00", [("05:30", "06:30")], "not inside"),
        ("06:00", "14:00", [("13:30", "14:30")], "not inside"),
        ("22:00", "06:00", [("05:30", "06:30")], "not inside"),
        ("22:00", "06:00", [("21:00", "21:30")], "not inside"),
        ("06:00", "14:00", [("09:00", "09:00")], "ends after it starts"),
        ("06:00", "14:00", [("09:00", "10:00"), ("09:30", "10:30")], "overlap"),
        ("06:00+01:00", "14:00", [], "without an offset"),
    ],
)
def test_invalid_breaks_are_refused(
    start: str, end: str, breaks: list[tuple[str, str]], problem: str
) -> None:
    with pytest.raises(ValidationError, match=problem):
        Shift.model_validate(
            {
                "name": "S",
                "start": start,
                "end": end,
                "breaks": [{"start": a, "end": b} for a, b in breaks],
            }
        )


def test_breaks_may_fill_a_shift_and_run_over_midnight() -> None:
    shift = Shift.model_validate(
        {
            "name": "Night",
            "start": "22:00",
            "end": "06:00",
            "breaks": [{"start": "22:00", "end": "02:00"}, {"start": "02:00", "end": "06:00"}],
        }
    )
    assert shift.length() == timedelta(hours=8)
    assert Shift(name="Round", start=time(6), end=time(6)).length() == timedelta(days=1)


# Properties over instants of 2026 (many near a clock change) and any calendar, in zones with
# odd clock changes: Lord Howe moves by half an hour, Santiago changes at midnight.
ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Santiago", "UTC"]
YEAR = datetime(2026, 1, 1, tzinfo=UTC)
QUARTERS = 24 * 4
US = timedelta(microseconds=1)


def clock_changes(zone: str) -> list[datetime]:
    """The hours of 2026 in which the zone's clock changes."""
    tz = ZoneInfo(zone)
    hours = [YEAR + timedelta(hours=h) for h in range(366 * 24)]
    return [
        a
        for a, b in itertools.pairwise(hours)
        if a.astimezone(tz).utcoffset() != b.astimezone(tz).utcoffset()
    ]


CHANGES = {zone: clock_changes(zone) for zone in ZONES}


@st.composite
def shifts(draw: st.DrawFn) -> dict[str, Any]:
    """A shift at quarter hours, with up to two breaks inside it."""
    start, end = draw(st.integers(0, QUARTERS - 1)), draw(st.integers(0, QUARTERS - 1))
    length = (end - start) % QUARTERS or QUARTERS
    points = sorted(
        draw(st.lists(st.integers(0, min(length, QUARTERS - 1)), unique=True, max_size=4))
    )

    def clock(offset: int) -> str:
        q = (start + offset) % QUARTERS
        return f"{q // 4:02d}:{q % 4 * 15:02d}"

    return {
        "start": clock(0),
        "end": clock(length),
        "weekdays": draw(st.sets(st.integers(0, 6), min_size=1)),
        "breaks": [
            {"start": clock(a), "end": clock(b)}
            for a, b in zip(points[::2], points[1::2], strict=False)
        ],
    }


calendars = st.one_of(
    st.just(demo(breaks={"Night": [{"start": "01:45", "end": "02:15"}]})),
    st.lists(shifts(), min_size=1, max_size=4).map(
        lambda drawn: calendar(*({**s, "name": f"S{i}"} for i, s in enumerate(drawn)))
    ),
)


@st.composite
def zone_and_instant(draw: st.DrawFn) -> tuple[ZoneInfo, datetime]:
    """A zone and an instant of 2026: anywhere, on a quarter hour (±1 µs) or near a clock change."""
    zone = draw(st.sampled_from(ZONES))
    anywhere = st.integers(0, 365 * 24 * 3600 * 10**6).map(lambda us: YEAR + us * US)
    quarter = st.tuples(st.integers(0, 365 * QUARTERS), st.sampled_from([-1, 0, 1])).map(
        lambda q: YEAR + timedelta(minutes=15 * q[0]) + q[1] * US
    )
    kinds = [anywhere, quarter]
    if CHANGES[zone]:
        near = st.tuples(
            st.sampled_from(CHANGES[zone]),
            st.integers(-36 * 4, 36 * 4),
            st.sampled_from([-1, 0, 1]),
        ).map(lambda c: c[0] + timedelta(minutes=15 * c[1]) + c[2] * US)
        kinds.append(near)
    return ZoneInfo(zone), draw(st.one_of(kinds))


@settings(max_examples=300, deadline=None)
@given(cal=calendars, where=zone_and_instant())
def test_an_instant_lies_in_the_shift_it_is_given(
    cal: ShiftRecord, where: tuple[ZoneInfo, datetime]
) -> None:
    tz, instant = where
    span = shift_at(cal, tz, instant)
    around = spans_between(cal, tz, instant, instant + US)
    if span is None:
        assert around == []
        return
    assert span.start <= instant < span.end
    assert span in around
    assert span.start == max(s.start for s in around)
    assert span.day.weekday() in next(s.weekdays for s in cal.shifts if s.name == span.name)
    assert all(span.start <= b[0] < b[1] <= span.end for b in span.breaks)


@settings(max_examples=300, deadline=None)
@given(
    cal=calendars,
    where=zone_and_instant(),
    fractions=st.lists(st.floats(0, 1, exclude_max=True), max_size=3),
)
def test_nothing_changes_before_the_next_boundary(
    cal: ShiftRecord, where: tuple[ZoneInfo, datetime], fractions: list[float]
) -> None:
    tz, instant = where
    boundary = next_boundary(cal, tz, instant)
    assert boundary is not None  # every calendar drawn has a weekday
    assert instant < boundary <= instant + timedelta(days=8)
    span = shift_at(cal, tz, instant)
    on_break = span.break_at(instant) if span else None
    until = (boundary - instant) // US
    for us in [until - 1, *(min(int(until * f), until - 1) for f in fractions)]:
        later = instant + us * US
        assert shift_at(cal, tz, later) == span
        assert (span.break_at(later) if span else None) == on_break


@settings(max_examples=300, deadline=None)
@given(where=zone_and_instant())
def test_the_demo_shift_is_what_the_wall_clock_says(where: tuple[ZoneInfo, datetime]) -> None:
    tz, instant = where
    wall = instant.astimezone(tz)
    if 6 <= wall.hour < 14:
        expected = f"Early@{wall.date()}"
    elif 14 <= wall.hour < 22:
        expected = f"Late@{wall.date()}"
    else:
        expected = f"Night@{wall.date() - timedelta(days=1) if wall.hour < 6 else wall.date()}"
    span = shift_at(demo(), tz, instant)
    assert span is not None
    assert span.key == expected
