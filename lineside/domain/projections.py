"""The station's projections: pure folds of committed events into what the screens show.

Nothing else holds station state. The ledger applies each event once it is committed (machine
facts at once); on start the projections are rebuilt by folding the record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from lineside.domain.events import (
    CountRecorded,
    Event,
    MachineConnected,
    MachineDisconnected,
    PersonSignedIn,
    PersonSignedOut,
    TerminalStarted,
)
from lineside.domain.stops import StopBook


@dataclass(frozen=True)
class Session:
    """Who is signed in at the station, with their role, and since when."""

    person_id: str | None = None
    name: str = ""
    role: str = ""
    since: datetime | None = None

    def apply(self, event: Event) -> Session:
        """The session after one event."""
        p = event.typed_payload()
        if isinstance(p, PersonSignedIn):
            return Session(p.person_id, p.name, p.role, event.occurred_at)
        if isinstance(p, PersonSignedOut) and p.person_id == self.person_id:
            return Session(since=event.occurred_at)
        return self


@dataclass(frozen=True)
class Link:
    """Whether the station sees the machine, as the record says."""

    connected: bool = False
    since: datetime | None = None
    server_started_at: datetime | None = None

    def apply(self, event: Event) -> Link:
        """The link after one event."""
        p = event.typed_payload()
        if isinstance(p, MachineConnected):
            return Link(True, event.occurred_at, p.server_started_at or self.server_started_at)
        if isinstance(p, MachineDisconnected):
            return Link(False, event.occurred_at, self.server_started_at)
        if isinstance(p, TerminalStarted):
            return Link(False, event.occurred_at, self.server_started_at)
        return self


@dataclass(frozen=True)
class CountKey:
    """What a count belongs to."""

    shift: str | None
    order: str | None


@dataclass
class Counts:
    """Good and defective units recorded, per shift and order, today."""

    day_start: Callable[[datetime], datetime] = field(compare=False)
    totals: dict[CountKey, tuple[int, int]] = field(default_factory=dict)
    day: datetime | None = None
    resets: int = 0
    rollovers: int = 0

    def apply(self, event: Event) -> bool:
        """Add one count event; True when it was one."""
        p = event.typed_payload()
        if not isinstance(p, CountRecorded):
            return False
        day = self.day_start(p.ended_at)
        if self.day is None or day > self.day:
            self.day, self.totals = day, {}
        key = CountKey(event.context.shift, event.context.order)
        good, defective = self.totals.get(key, (0, 0))
        self.totals[key] = (good + p.good, defective + p.defective)
        self.resets += p.resets
        self.rollovers += p.rollovers
        return True

    def of_shift(self, shift: str | None) -> tuple[int, int]:
        """Good and defective units of one shift (all orders)."""
        pairs = [v for k, v in self.totals.items() if k.shift == shift]
        return sum(g for g, _ in pairs), sum(d for _, d in pairs)


@dataclass
class Projections:
    """Every projection of one station, applied together in commit order."""

    day_start: Callable[[datetime], datetime] = field(compare=False)
    stops: StopBook = field(init=False)
    counts: Counts = field(init=False)
    session: Session = field(default_factory=Session)
    link: Link = field(default_factory=Link)
    applied: int = field(default=0, compare=False)
    last_seq: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        self.stops = StopBook(self.day_start)
        self.counts = Counts(self.day_start)

    def apply(self, event: Event) -> set[str]:
        """Apply one event to every projection; returns the stop ids it touched."""
        self.applied += 1
        if event.seq is not None:
            self.last_seq = max(self.last_seq, event.seq)
        kind = event.type
        touched: set[str] = set()
        if kind.startswith(("downtime.", "machine.", "terminal.")):
            stop_id = self.stops.apply(event)
            if stop_id is not None:
                touched.add(stop_id)
        if kind.startswith(("machine.", "terminal.")):
            self.link = self.link.apply(event)
        elif kind.startswith("person."):
            self.session = self.session.apply(event)
        elif kind.startswith("count."):
            self.counts.apply(event)
        return touched


def fold(
    events: Iterable[Event],
    day_start: Callable[[datetime], datetime],
    session: Session | None = None,
) -> Projections:
    """Fold events in order into fresh projections (`session` carried over from before them)."""
    projections = Projections(day_start)
    if session is not None:
        projections.session = session
    for event in events:
        projections.apply(event)
    return projections
