"""Properties of the downtime detector over any sequence of machine states and outages."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from lineside.domain.downtime import (
    DowntimeDetector,
    EndCause,
    StopClosed,
    StopOpened,
)
from lineside.domain.machine_state import PRODUCING, Condition, StopCategory

T0 = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
THRESHOLD = timedelta(seconds=120)
CONDITIONS = [
    PRODUCING,
    Condition(False, StopCategory.INTERNAL, 17, "Bottle jam infeed", "Held"),
    Condition(False, StopCategory.INTERNAL, None, None, "Stopped"),
    Condition(False, StopCategory.STARVED, None, None, "Suspended"),
    Condition(False, StopCategory.BLOCKED, None, None, "Suspended"),
    Condition(False, StopCategory.PLANNED, None, None, "Complete"),
]

step = st.tuples(
    st.sampled_from(["sample", "sample", "sample", "lost"]),
    st.integers(min_value=0, max_value=400),  # seconds since the previous step
    st.integers(min_value=0, max_value=len(CONDITIONS) - 1),
    st.integers(min_value=0, max_value=300),  # how far before "now" the PLC says it changed
)


@dataclass
class Interval:
    start: datetime
    end: datetime
    category: StopCategory | None
    micro: bool = False
    cause: EndCause | None = None
    follows_gap: bool = False


def run(steps: list[tuple[str, int, int, int]]) -> tuple[list[Interval], list[Interval], datetime]:  # noqa: PLR0912 (one reference model, read top to bottom)
    """Feed the steps; return the detector's stops and an independent reference timeline."""
    ids = (f"s{i}" for i in itertools.count())
    det = DowntimeDetector(new_id=lambda: next(ids), micro_stop_threshold=THRESHOLD)
    stops: dict[str, Interval] = {}
    truth: list[tuple[datetime, str]] = []  # (from, "P" | "N" | "U")
    now = T0
    last_eff: datetime | None = None
    lost: datetime | None = None
    cond_before: Condition | None = None
    for kind, dt, ci, back in steps:
        now += timedelta(seconds=dt)
        if kind == "lost":
            changes = det.connection_lost(now)
            if lost is None:
                lost = max(now, last_eff) if last_eff else now
        else:
            cond = CONDITIONS[ci]
            changed_at = now - timedelta(seconds=back) if lost is not None else now
            changes = det.observe(changed_at, cond)
            if lost is not None:
                same = cond == cond_before or cond.same_stop_as(cond_before)
                if changed_at > lost:
                    truth.append((lost, "U"))
                    truth.append((changed_at, "P" if cond.producing else "N"))
                    last_eff = changed_at
                elif not same:
                    eff = max(changed_at, last_eff) if last_eff else changed_at
                    truth.append((eff, "P" if cond.producing else "N"))
                    last_eff = eff
                lost = None
            else:
                eff = max(changed_at, last_eff) if last_eff else changed_at
                truth.append((eff, "P" if cond.producing else "N"))
                last_eff = eff
            cond_before = cond
        for c in changes:
            if isinstance(c, StopOpened):
                stops[c.stop.stop_id] = Interval(
                    c.stop.started_at,
                    now,
                    c.stop.condition.category,
                    follows_gap=c.stop.follows_gap,
                )
            elif isinstance(c, StopClosed):
                s = stops[c.stop.stop_id]
                s.end, s.micro, s.cause = c.ended_at, c.micro, c.cause
    # An outage still going on is decided only when the connection returns.
    end = now + timedelta(seconds=1)
    for s in stops.values():
        if s.cause is None:
            s.end = end
    segments = [
        Interval(a, b, None if kind == "P" else StopCategory.INTERNAL)
        for (a, kind), (b, _) in zip(truth, [*truth[1:], (end, "")][: len(truth)], strict=True)
        if a < b
    ]
    return sorted(stops.values(), key=lambda s: s.start), segments, end


@settings(max_examples=400, deadline=None)
@given(st.lists(step, max_size=40))
def test_stops_never_overlap(steps: list[tuple[str, int, int, int]]) -> None:
    stops, _, _ = run(steps)
    for a, b in itertools.pairwise(stops):
        assert a.start <= a.end <= b.start


@settings(max_examples=400, deadline=None)
@given(st.lists(step, max_size=40))
def test_every_non_producing_second_is_inside_a_stop(
    steps: list[tuple[str, int, int, int]],
) -> None:
    stops, segments, _ = run(steps)
    for seg in segments:
        covering = [s for s in stops if s.start < seg.end and s.end > seg.start]
        if seg.category is None:  # producing: no stop may reach into it
            assert covering == [], (seg, covering)
            continue
        # The stops overlapping a non-producing segment leave no second of it uncovered.
        cursor = seg.start
        for s in covering:
            assert s.start <= cursor, (seg, covering)
            cursor = max(cursor, s.end)
        assert cursor >= seg.end, (seg, covering)


@settings(max_examples=400, deadline=None)
@given(st.lists(step, max_size=40))
def test_micro_stop_coding_follows_the_threshold(steps: list[tuple[str, int, int, int]]) -> None:
    stops, _, _ = run(steps)
    for s in stops:
        if s.cause is None:
            assert not s.micro
            continue
        short = s.end - s.start < THRESHOLD
        expected = (
            short
            and s.cause is EndCause.PRODUCING
            and s.category is not StopCategory.UNKNOWN
            and not s.follows_gap  # begun as the station saw the machine again: for a person
        )
        assert s.micro == expected, s


def test_outage_that_the_stop_held_through_keeps_one_stop() -> None:
    det = DowntimeDetector(new_id=iter(["a", "b", "c"]).__next__)
    held = CONDITIONS[1]
    det.observe(T0, PRODUCING)
    opened = det.observe(T0 + timedelta(seconds=10), held)
    det.connection_lost(T0 + timedelta(seconds=30))
    # The PLC's source timestamp still says "held since 00:10": the stop went on.
    assert det.observe(T0 + timedelta(seconds=10), held) == []
    closed = det.observe(T0 + timedelta(seconds=300), PRODUCING)
    assert [type(c) for c in opened + closed] == [StopOpened, StopClosed]
    assert isinstance(closed[0], StopClosed)
    assert closed[0].duration == timedelta(seconds=290)
    assert not closed[0].micro


def test_outage_with_a_change_records_state_unknown_between() -> None:
    det = DowntimeDetector(new_id=iter(["a", "b", "c"]).__next__)
    det.observe(T0, CONDITIONS[1])
    det.connection_lost(T0 + timedelta(seconds=30))
    changes = det.observe(T0 + timedelta(seconds=50), PRODUCING)
    assert [(type(c).__name__, c.stop.stop_id) for c in changes] == [
        ("StopClosed", "a"),
        ("StopOpened", "b"),
        ("StopClosed", "b"),
    ]
    unknown = changes[2]
    assert isinstance(unknown, StopClosed)
    assert unknown.stop.condition.category is StopCategory.UNKNOWN
    assert (unknown.stop.started_at, unknown.ended_at) == (
        T0 + timedelta(seconds=30),
        T0 + timedelta(seconds=50),
    )


def test_restored_detector_resumes_the_open_stop() -> None:
    det = DowntimeDetector(new_id=iter(["a"]).__next__)
    det.observe(T0, PRODUCING)
    det.observe(T0 + timedelta(seconds=5), CONDITIONS[1])
    again = DowntimeDetector(new_id=iter(["never"]).__next__)
    again.restore(det.to_state())
    assert again.observe(T0 + timedelta(seconds=5), CONDITIONS[1]) == []
    (closed,) = again.observe(T0 + timedelta(seconds=400), PRODUCING)
    assert isinstance(closed, StopClosed)
    assert closed.stop.stop_id == "a"
    assert closed.duration == timedelta(seconds=395)


def test_a_change_dated_before_the_loss_ends_the_stop_at_the_plcs_time() -> None:
    det = DowntimeDetector(new_id=iter(["a", "b"]).__next__)
    det.observe(T0, CONDITIONS[1])
    det.connection_lost(T0 + timedelta(seconds=10))  # e.g. restarted while the server was down
    (closed,) = det.observe(T0 + timedelta(seconds=4), PRODUCING)
    assert isinstance(closed, StopClosed)
    assert closed.ended_at == T0 + timedelta(seconds=4)
    assert closed.cause is EndCause.PRODUCING
