"""Production counts from the PLC's cumulative good and defective counters.

The counters are unsigned integers of a fixed width: a PLC restart sets them to 0 and they
roll over at 2**bits. A drop from the top tenth of the range into the bottom tenth is a
rollover; any other drop is a restart, counted from 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class CounterKind(StrEnum):
    """How a counter got from one reading to the next."""

    NORMAL = "normal"
    RESET = "reset"
    ROLLOVER = "rollover"


@dataclass(frozen=True)
class CounterStep:
    """What was produced between two readings of a counter, and how the counter moved."""

    delta: int
    kind: CounterKind


def counter_step(previous: int, current: int, bits: int = 32) -> CounterStep:
    """The production between two readings of a `bits` wide counter; never negative."""
    _check(bits, previous, current)
    span = 2**bits
    if current >= previous:
        return CounterStep(current - previous, CounterKind.NORMAL)
    if previous * 10 >= span * 9 and current * 10 < span:
        return CounterStep(span - previous + current, CounterKind.ROLLOVER)
    return CounterStep(current, CounterKind.RESET)


def _check(bits: int, *values: int | None) -> None:
    if bits < 1:
        raise ValueError(f"a counter has at least one bit, not {bits}")
    for value in values:
        if value is not None and not 0 <= value < 2**bits:
            raise ValueError(f"{value} is not a {bits} bit counter value")


@dataclass(frozen=True)
class CountCut:
    """The counts of one cut: what was produced from `started_at` to `ended_at`."""

    started_at: datetime
    ended_at: datetime
    good: int
    defective: int
    good_counter: int | None  # the PLC's counter values at the cut
    defective_counter: int | None
    resets: int  # of either counter, each counted (a restart resetting both counts two)
    rollovers: int


class CountTracker:
    """PLC counter readings as deltas, cut when the station asks (interval, stop, new context)."""

    def __init__(self, bits: int = 32) -> None:
        _check(bits)
        self._bits = bits
        self._counters: list[int | None] = [None, None]  # the last readings: good, defective
        self._deltas = [0, 0]
        self._resets = 0
        self._rollovers = 0
        self._since: datetime | None = None

    def observe(self, good: int | None, defective: int | None, at: datetime) -> None:
        """Take the latest readings; None keeps the last one, a first one is the baseline."""
        _check(self._bits, good, defective)  # before anything changes
        for i, current in enumerate((good, defective)):
            if current is None:
                continue
            previous = self._counters[i]
            if previous is not None:
                step = counter_step(previous, current, self._bits)
                self._deltas[i] += step.delta
                self._resets += step.kind is CounterKind.RESET
                self._rollovers += step.kind is CounterKind.ROLLOVER
            elif self._since is None:
                self._since = at
            self._counters[i] = current

    def pending(self) -> tuple[int, int]:
        """Good and defective counted since the last cut, for a live display."""
        return self._deltas[0], self._deltas[1]

    def cut(self, at: datetime) -> CountCut | None:
        """What was counted since the last cut (None if nothing, not even a reset); starts anew."""
        since, self._since = self._since, at
        if not any((*self._deltas, self._resets, self._rollovers)):
            return None
        counted = CountCut(
            started_at=since if since is not None else at,
            ended_at=at,
            good=self._deltas[0],
            defective=self._deltas[1],
            good_counter=self._counters[0],
            defective_counter=self._counters[1],
            resets=self._resets,
            rollovers=self._rollovers,
        )
        self._deltas = [0, 0]
        self._resets = self._rollovers = 0
        return counted

    def to_state(self) -> dict[str, Any]:
        """Everything needed to carry on after a restart, ready for JSON."""
        return {
            "counters": list(self._counters),
            "deltas": list(self._deltas),
            "resets": self._resets,
            "rollovers": self._rollovers,
            "since": self._since.isoformat() if self._since is not None else None,
        }

    def restore(self, state: dict[str, Any]) -> None:
        """Carry on from `to_state`'s output; raises ValueError if it does not fit this tracker."""
        try:
            counters = [None if c is None else int(c) for c in state["counters"]]
            deltas = [int(d) for d in state["deltas"]]
            resets, rollovers = int(state["resets"]), int(state["rollovers"])
            since = None if state["since"] is None else datetime.fromisoformat(state["since"])
        except (KeyError, TypeError) as e:
            raise ValueError(f"not a count tracker state: {e!r}") from e
        if len(counters) != 2 or len(deltas) != 2 or min(*deltas, resets, rollovers) < 0:
            raise ValueError("not a count tracker state")
        _check(self._bits, *counters)
        self._counters, self._deltas = counters, deltas
        self._resets, self._rollovers, self._since = resets, rollovers, since
