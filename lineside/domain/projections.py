"""The station's projections: pure folds of committed events into what the screens show.

Nothing else holds station state. The ledger applies each event once it is committed (machine
facts at once); on start the projections are rebuilt by folding the record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any

from lineside.domain.downtime import UnknownCause
from lineside.domain.events import (
    CountRecorded,
    Event,
    MachineConnected,
    MachineDisconnected,
    PersonSignedIn,
    PersonSignedOut,
    TerminalStarted,
)
from lineside.domain.execution import Execution
from lineside.domain.machine_state import StopCategory
from lineside.domain.orders import OrderBook
from lineside.domain.stops import Change, StopBook, StopRecord


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
    orders: OrderBook = field(default_factory=OrderBook)
    execution: Execution = field(default_factory=Execution)
    applied: int = field(default=0, compare=False)
    last_seq: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        self.stops = StopBook(self.day_start)
        self.counts = Counts(self.day_start)

    def copy(self) -> Projections:
        """An independent copy that later events do not change (records are immutable)."""
        copy = Projections(self.day_start)
        copy.stops = replace(
            self.stops, stops=dict(self.stops.stops), continued_as=dict(self.stops.continued_as)
        )
        copy.counts = replace(self.counts, totals=dict(self.counts.totals))
        copy.session, copy.link = self.session, self.link
        copy.orders = self.orders.copy()
        copy.execution = self.execution.copy()
        return copy

    def apply(self, event: Event) -> set[str]:
        """Apply one event to every projection; returns the stop ids it touched."""
        self.applied += 1
        if event.seq is not None:
            self.last_seq = max(self.last_seq, event.seq)
        kind = event.type
        touched: set[str] = set()
        if kind.startswith(("downtime.", "machine.", "terminal.")):
            touched |= self.stops.apply(event)
        if kind.startswith(("machine.", "terminal.")):
            self.link = self.link.apply(event)
        elif kind.startswith("person."):
            self.session = self.session.apply(event)
            self.execution.apply(event)
        elif kind.startswith("count."):
            self.counts.apply(event)
            self.orders.apply(event)
        elif kind.startswith(("order.", "changeover.")):
            self.orders.apply(event)
        elif kind.startswith(EXECUTION_TYPES):
            self.execution.apply(event)
        return touched


EXECUTION_TYPES = ("step.", "check.", "signature.", "signing.", "deviation.", "hold.")
"""The event families of work by the instruction (`Execution`)."""


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


SNAPSHOT_VERSION = 2
"""Bumped whenever a projection's shape changes: an older snapshot is then ignored."""


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _stop_data(stop: StopRecord) -> dict[str, Any]:
    data = {f.name: getattr(stop, f.name) for f in fields(stop)}
    for key in ("started_at", "ended_at"):
        data[key] = _time(data[key])
    data["gaps"] = [[_time(a), _time(b)] for a, b in stop.gaps]
    data["history"] = [[_time(h.at), h.by, h.what, [list(d) for d in h.data]] for h in stop.history]
    return data


def _stop(data: dict[str, Any]) -> StopRecord:
    values = dict(data)
    values["started_at"] = _parse(values["started_at"])
    values["ended_at"] = _parse(values["ended_at"])
    values["category"] = StopCategory(values["category"])
    cause = values["unknown_cause"]
    values["unknown_cause"] = UnknownCause(cause) if cause else None
    values["gaps"] = tuple((_parse(a), _parse(b)) for a, b in values["gaps"])
    values["history"] = tuple(
        Change(datetime.fromisoformat(at), by, what, tuple((k, v) for k, v in data_))
        for at, by, what, data_ in values["history"]
    )
    return StopRecord(**values)


def snapshot(projections: Projections, through: str) -> dict[str, Any]:
    """The projections as JSON-ready data, up to and including event `through`."""
    p = projections
    return {
        "version": SNAPSHOT_VERSION,
        "through": through,
        "stops": [_stop_data(s) for s in p.stops.stops.values()],
        "continued_as": p.stops.continued_as,
        "open_id": p.stops.open_id,
        "last_end": _time(p.stops.last_end),
        "day": _time(p.stops.day),
        "counts": [[k.shift, k.order, g, d] for k, (g, d) in p.counts.totals.items()],
        "counts_day": _time(p.counts.day),
        "resets": p.counts.resets,
        "rollovers": p.counts.rollovers,
        "session": [p.session.person_id, p.session.name, p.session.role, _time(p.session.since)],
        "link": [p.link.connected, _time(p.link.since), _time(p.link.server_started_at)],
        "orders": p.orders.to_data(),
        "execution": p.execution.to_data(),
    }


def restore(data: dict[str, Any], day_start: Callable[[datetime], datetime]) -> Projections:
    """Projections from `snapshot` data; raises KeyError, TypeError or ValueError when it does
    not fit (the caller then folds the whole record)."""
    if data.get("version") != SNAPSHOT_VERSION:
        raise ValueError(f"snapshot version {data.get('version')} is not {SNAPSHOT_VERSION}")
    p = Projections(day_start)
    p.stops.stops = {s.stop_id: s for s in (_stop(d) for d in data["stops"])}
    p.stops.continued_as = dict(data["continued_as"])
    p.stops.open_id = data["open_id"]
    p.stops.last_end = _parse(data["last_end"])
    p.stops.day = _parse(data["day"])
    p.counts.totals = {CountKey(s, o): (g, d) for s, o, g, d in data["counts"]}
    p.counts.day = _parse(data["counts_day"])
    p.counts.resets, p.counts.rollovers = data["resets"], data["rollovers"]
    person, name, role, since = data["session"]
    p.session = Session(person, name, role, _parse(since))
    connected, link_since, started = data["link"]
    p.link = Link(connected, _parse(link_since), _parse(started))
    p.orders = OrderBook.from_data(data["orders"])
    p.execution = Execution.from_data(data["execution"])
    return p
