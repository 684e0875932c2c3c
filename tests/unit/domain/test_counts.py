"""Production counts from PLC counters: increments, restarts, rollovers, cuts, a station restart."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lineside.domain.counts import CountCut, CounterKind, CounterStep, CountTracker, counter_step

T0 = datetime(2026, 12, 3, 6, tzinfo=UTC)


def test_a_16_bit_counter_rolls_over() -> None:
    assert counter_step(65530, 4, bits=16) == CounterStep(10, CounterKind.ROLLOVER)


def test_a_drop_outside_the_rollover_band_is_a_restart() -> None:
    assert counter_step(5000, 3, bits=16) == CounterStep(3, CounterKind.RESET)
    assert counter_step(65530, 7000, bits=16) == CounterStep(7000, CounterKind.RESET)
    assert counter_step(2**32 - 1, 0) == CounterStep(1, CounterKind.ROLLOVER)


def test_a_rise_is_production() -> None:
    assert counter_step(100, 100) == CounterStep(0, CounterKind.NORMAL)
    assert counter_step(100, 142, bits=16) == CounterStep(42, CounterKind.NORMAL)


@pytest.mark.parametrize(("previous", "current"), [(-1, 0), (0, 65536), (65536, 0)])
def test_values_outside_the_width_are_refused(previous: int, current: int) -> None:
    with pytest.raises(ValueError, match="16 bit"):
        counter_step(previous, current, bits=16)


def test_the_first_reading_is_the_baseline() -> None:
    tracker = CountTracker(bits=16)
    tracker.observe(1200, 30, T0)
    assert tracker.pending() == (0, 0)
    assert tracker.cut(T0 + timedelta(minutes=1)) is None
    tracker.observe(1210, 31, T0 + timedelta(minutes=2))
    assert tracker.pending() == (10, 1)
    cut = tracker.cut(T0 + timedelta(minutes=3))
    assert cut is not None
    assert (cut.started_at, cut.ended_at) == (T0 + timedelta(minutes=1), T0 + timedelta(minutes=3))
    assert (cut.good, cut.defective, cut.good_counter, cut.defective_counter) == (10, 1, 1210, 31)
    assert (cut.resets, cut.rollovers) == (0, 0)
    assert tracker.pending() == (0, 0)


def test_the_first_cut_starts_at_the_first_reading() -> None:
    tracker = CountTracker()
    tracker.observe(None, None, T0)
    tracker.observe(5, None, T0 + timedelta(seconds=10))
    tracker.observe(8, None, T0 + timedelta(seconds=20))
    cut = tracker.cut(T0 + timedelta(seconds=30))
    assert cut is not None
    assert cut.started_at == T0 + timedelta(seconds=10)
    assert (cut.good, cut.defective, cut.defective_counter) == (3, 0, None)


def test_a_missing_value_keeps_the_last_reading() -> None:
    tracker = CountTracker()
    tracker.observe(100, 10, T0)
    tracker.observe(None, None, T0 + timedelta(seconds=1))  # connection lost
    tracker.observe(150, 12, T0 + timedelta(seconds=2))
    assert tracker.pending() == (50, 2)


def test_a_restart_to_zero_is_cut_though_nothing_was_counted() -> None:
    tracker = CountTracker()
    tracker.observe(5000, 40, T0)
    tracker.observe(0, 0, T0 + timedelta(seconds=1))
    cut = tracker.cut(T0 + timedelta(seconds=2))
    assert cut is not None
    assert (cut.good, cut.defective, cut.resets, cut.rollovers) == (0, 0, 2, 0)
    assert tracker.cut(T0 + timedelta(seconds=3)) is None


def test_a_reading_out_of_range_changes_nothing() -> None:
    tracker = CountTracker(bits=16)
    tracker.observe(100, 10, T0)
    with pytest.raises(ValueError, match="16 bit"):
        tracker.observe(110, 65536, T0 + timedelta(seconds=1))
    tracker.observe(120, 12, T0 + timedelta(seconds=2))
    assert tracker.pending() == (20, 2)


def test_a_state_that_does_not_fit_is_refused() -> None:
    tracker = CountTracker(bits=32)
    tracker.observe(2**20, 0, T0)
    state = tracker.to_state()
    with pytest.raises(ValueError, match="16 bit"):
        CountTracker(bits=16).restore(state)
    with pytest.raises(ValueError, match="not a count tracker state"):
        CountTracker().restore({"counters": [1, 2]})


# Any run: the PLC's counters start anywhere; it makes units (good and defective), restarts
# (both counters to 0, and maybe makes a few before the next reading), or a reading has no
# value; the station cuts whenever it likes.
BITS = 16
SPAN = 2**BITS
Step = tuple[str, int, int]
END = T0 + timedelta(hours=1)

steps = st.lists(
    st.one_of(
        st.tuples(st.just("make"), st.integers(0, SPAN // 10), st.integers(0, SPAN // 10)),
        st.tuples(st.just("restart"), st.integers(0, 50), st.integers(0, 50)),
        st.tuples(st.sampled_from(["missing", "cut"]), st.just(0), st.just(0)),
    ),
    max_size=80,
)
first = st.tuples(st.integers(0, SPAN - 1), st.integers(0, SPAN - 1))


def told_apart(before: int, after_restart: int) -> bool:
    """Whether a restart reads as one: from 0, or a fall that is not from the top tenth."""
    return before == 0 or (after_restart < before and before * 10 < SPAN * 9)


def readings(first: tuple[int, int], run: list[Step]) -> tuple[list[Step], int, int]:
    """The run as readings of the counters, and how many good and defective units were made."""
    counters = list(first)
    told: list[Step] = [("read", *first)]
    made = [0, 0]
    for kind, good, defective in run:
        if kind == "restart" and not all(map(told_apart, counters, (good, defective))):
            continue
        if kind == "make":
            counters = [(counters[0] + good) % SPAN, (counters[1] + defective) % SPAN]
        elif kind == "restart":
            counters = [good, defective]
        if kind in {"make", "restart"}:
            made = [made[0] + good, made[1] + defective]
        told.append(("read" if kind in {"make", "restart"} else kind, counters[0], counters[1]))
    return told, made[0], made[1]


def play(tracker: CountTracker, told: list[Step], start: int = 0) -> list[CountCut | None]:
    """Feed the readings one second apart from second `start`; return the cuts."""
    cuts: list[CountCut | None] = []
    for i, (kind, good, defective) in enumerate(told, start):
        at = T0 + timedelta(seconds=i)
        if kind == "cut":
            cuts.append(tracker.cut(at))
        elif kind == "missing":
            tracker.observe(None, None, at)
        else:
            tracker.observe(good, defective, at)
    return cuts


@settings(max_examples=300, deadline=None)
@given(first=first, run=steps)
def test_the_cuts_add_up_to_what_was_made(first: tuple[int, int], run: list[Step]) -> None:
    told, good, defective = readings(first, run)
    tracker = CountTracker(bits=BITS)
    cuts = [c for c in [*play(tracker, told), tracker.cut(END)] if c is not None]
    assert sum(c.good for c in cuts) == good
    assert sum(c.defective for c in cuts) == defective
    assert all(c.good >= 0 and c.defective >= 0 for c in cuts)
    assert all(c.started_at <= c.ended_at for c in cuts)
    assert all(a.ended_at <= b.started_at for a, b in itertools.pairwise(cuts))


@settings(max_examples=300, deadline=None)
@given(first=first, run=steps, data=st.data())
def test_a_restart_of_the_station_changes_no_cut(
    first: tuple[int, int], run: list[Step], data: st.DataObject
) -> None:
    told, _, _ = readings(first, run)
    whole = CountTracker(bits=BITS)
    expected = [*play(whole, told), whole.cut(END)]
    split = data.draw(st.integers(0, len(told)))
    before = CountTracker(bits=BITS)
    cuts = play(before, told[:split])
    after = CountTracker(bits=BITS)
    after.restore(json.loads(json.dumps(before.to_state())))
    assert after.pending() == before.pending()
    assert [*cuts, *play(after, told[split:], split), after.cut(END)] == expected
