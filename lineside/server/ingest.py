"""Taking in a station's batch of events: one transaction, a verdict per event (docs/sync-api.md).

Per station, `event` ∪ `rejection` holds every seq from 1 to `next_seq - 1` exactly once: an
event that fails validation keeps its seq in `rejection`, so the sequence never gets a gap and
a retried quarantined event can still take its place once it is valid. What is stored is
never changed by a later request: an event id or seq resent with another body is a
`conflict`, and a kept rejection keeps the body it was first received with.

On PostgreSQL the station's row is locked for the transaction (`SELECT … FOR UPDATE`), so
any number of server processes on one database take one station's batches one at a time.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from collections.abc import Sequence
from itertools import pairwise
from typing import Any, NamedTuple

import orjson
from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import DataError

from lineside.domain.sync import EventStatus
from lineside.server.db import event_table, iso, rejection, station, utc_now
from lineside.server.master import station_line
from lineside.server.orders import project
from lineside.server.wire import Incoming, parse_batch

log = logging.getLogger(__name__)

_SQLITE_WRITERS = threading.Lock()
"""Batches queue here for a SQLite file instead of in SQLite's busy handler, which sleeps and
retries: with 50 stations posting at once that starved some batches for seconds."""


class StationMismatchError(Exception):
    """An event of the batch names another station (HTTP 403, nothing stored)."""


class UnknownStationError(Exception):
    """The station has no row (no token was ever issued for it)."""


class SequenceBrokenError(Exception):
    """The batch does not continue the station's sequence (HTTP 409, nothing stored)."""

    def __init__(self, detail: str, expected_seq: int) -> None:
        super().__init__(detail)
        self.detail = detail
        self.expected_seq = expected_seq


class Verdict(NamedTuple):
    """The server's answer for one event."""

    event_id: str
    seq: int
    status: EventStatus
    reason: str | None = None


class Ingested(NamedTuple):
    """The answer for a batch: a verdict per event, and the seq the server expects next."""

    verdicts: list[Verdict]
    next_seq: int
    server_time: str

    def json(self) -> bytes:
        """The `BatchResult` body, encoded without building a pydantic object per event."""
        return orjson.dumps(
            {
                "results": [
                    {"event_id": v.event_id, "seq": v.seq, "status": v.status, "reason": v.reason}
                    for v in self.verdicts
                ],
                "next_seq": self.next_seq,
                "server_time": self.server_time,
            }
        )


def ingest(engine: Engine, station_id: str, body: bytes) -> Ingested:
    """Store a batch (the request's bytes) of `station_id`'s events in one transaction."""
    items = parse_batch(body, station_id)
    for item in items:
        if item.station_id != station_id:
            raise StationMismatchError(
                f"event {item.event_id} (seq {item.seq}) is for station {item.station_id!r}, "
                f"not {station_id!r}; a station sends only its own events"
            )
    writers = _SQLITE_WRITERS if engine.dialect.name == "sqlite" else contextlib.nullcontext()
    with writers, engine.begin() as conn:
        # The row lock serializes batches of one station on PostgreSQL, across processes;
        # SQLite's BEGIN IMMEDIATE already has (SQLAlchemy renders no FOR UPDATE there).
        next_seq = conn.scalar(
            select(station.c.next_seq).where(station.c.station_id == station_id).with_for_update()
        )
        if next_seq is None:
            raise UnknownStationError(station_id)
        _check_sequence([item.seq for item in items], next_seq)
        line = station_line(conn, station_id)
        return _Batch(conn, station_id, line, next_seq, items).run()


def next_seq_of(engine: Engine, station_id: str) -> int:
    """The seq the server expects next from a station (UnknownStationError if it has no row)."""
    from lineside.server.db import reading

    with reading(engine) as conn:
        value = conn.scalar(select(station.c.next_seq).where(station.c.station_id == station_id))
    if value is None:
        raise UnknownStationError(station_id)
    return int(value)


def _check_sequence(seqs: list[int], next_seq: int) -> None:
    for before, after in pairwise(seqs):
        if after <= before:
            raise SequenceBrokenError(
                f"seqs in a batch must increase, but seq {before} is followed by seq {after}; "
                f"resend from seq {next_seq}",
                next_seq,
            )
    new = [seq for seq in seqs if seq >= next_seq]
    for offset, seq in enumerate(new):
        if seq != next_seq + offset:
            raise SequenceBrokenError(
                f"the server expects seq {next_seq + offset} next but got seq {seq}; "
                f"resend from seq {next_seq}",
                next_seq,
            )


_COMPARED = ("station_id", "seq", "type", "occurred_at", "recorded_by", "schema_version")


def _same_event(stored: Any, row: dict[str, Any]) -> bool:
    """Whether a stored event and a resent one are the same fact (JSON compared as data)."""
    if any(getattr(stored, name) != row[name] for name in _COMPARED):
        return False
    return all(
        getattr(stored, name) == row[name]
        or json.loads(getattr(stored, name)) == orjson.loads(row[name])
        for name in ("context", "payload")
    )


class _Batch:
    """One batch inside its transaction: verdicts in order, then the writes in bulk."""

    def __init__(
        self,
        conn: Connection,
        station_id: str,
        line: str | None,
        next_seq: int,
        items: Sequence[Incoming],
    ) -> None:
        self.conn = conn
        self.station_id = station_id
        self.line = line
        self.next_seq = next_seq
        self.items = items
        self.now = utc_now()
        self.received_at = iso(self.now)
        ids = [item.event_id for item in items]
        self.stored: dict[str, Any] = {
            row.event_id: row
            for row in conn.execute(select(event_table).where(event_table.c.event_id.in_(ids)))
        }
        old = [item.seq for item in items if item.seq < next_seq]
        self.quarantined: dict[int, Any] = (
            {
                row.seq: row
                for row in conn.execute(
                    select(rejection.c.seq, rejection.c.event_id).where(
                        rejection.c.station_id == station_id,
                        rejection.c.seq.in_(old),
                        rejection.c.resolved_at.is_(None),
                    )
                )
            }
            if old
            else {}
        )
        self.new_events: list[dict[str, Any]] = []
        self.new_rejections: list[dict[str, Any]] = []
        self.resolved: list[int] = []
        self.known_lines: set[str] | None = None

    def run(self) -> Ingested:
        verdicts = [self._verdict(item) for item in self.items]
        self._write(verdicts)
        return Ingested(verdicts, self.next_seq, self.now.isoformat().replace("+00:00", "Z"))

    def _problem(self, item: Incoming) -> str | None:
        """Why the event cannot be stored as this station's, if it cannot."""
        if item.problem is not None or item.placed is None:
            return item.problem or "not valid"
        station_id, line = item.placed
        if station_id != self.station_id:
            return (
                f"context.station is {station_id!r}, but this token is station {self.station_id}'s"
            )
        if self.line is not None and line != self.line and line in self._lines():
            # Another line of the plant: the fact would count for it. A line name the plant
            # does not know (a station's own config, out of step) is kept as sent.
            return f"context.line is {line!r}, but station {self.station_id} is on {self.line}"
        return None

    def _lines(self) -> set[str]:
        if self.known_lines is None:
            self.known_lines = {
                str(line) for line in self.conn.scalars(select(station.c.line).distinct()) if line
            }
        return self.known_lines

    def _verdict(self, item: Incoming) -> Verdict:
        seq, event_id = item.seq, item.event_id
        stored = self.stored.get(event_id)
        problem = self._problem(item)
        if stored is not None:
            here = (stored.station_id, stored.seq) == (self.station_id, seq)
            if here and problem is None and _same_event(stored, {**(item.row or {}), "seq": seq}):
                return Verdict(event_id, seq, EventStatus.DUPLICATE)
            return self._conflict(
                item,
                f"event {event_id} (seq {seq}) is already stored with another body"
                if here
                else f"event {event_id} is already stored under another station or seq",
            )
        if seq < self.next_seq:
            return self._old(item, problem)
        self.next_seq += 1
        if problem is None:
            self._accept(item)
            return Verdict(event_id, seq, EventStatus.ACCEPTED)
        self.new_rejections.append(self._rejection_row(item, problem))
        return Verdict(event_id, seq, EventStatus.REJECTED, problem)

    def _old(self, item: Incoming, problem: str | None) -> Verdict:
        """An event below next_seq: its seq holds a kept rejection, or another event."""
        seq, event_id = item.seq, item.event_id
        kept = self.quarantined.get(seq)
        if kept is None:
            return Verdict(
                event_id, seq, EventStatus.CONFLICT, f"seq {seq} already holds another event"
            )
        if kept.event_id != event_id:
            return Verdict(
                event_id,
                seq,
                EventStatus.CONFLICT,
                f"seq {seq} already holds event {kept.event_id}",
            )
        if problem is not None:  # the kept rejection keeps the body it was first received with
            return Verdict(event_id, seq, EventStatus.REJECTED, problem)
        # A kept rejection, valid now (fixed, or a newer registry): it takes its seq, and the
        # rejection keeps its first body as received, marked resolved.
        self._accept(item)
        self.resolved.append(seq)
        del self.quarantined[seq]
        return Verdict(event_id, seq, EventStatus.ACCEPTED)

    def _conflict(self, item: Incoming, reason: str) -> Verdict:
        if item.seq >= self.next_seq:  # a new seq is used all the same: kept with its body
            self.new_rejections.append(self._rejection_row(item, reason))
            self.next_seq += 1
        return Verdict(item.event_id, item.seq, EventStatus.CONFLICT, reason)

    def _accept(self, item: Incoming) -> None:
        assert item.row is not None
        row = {**item.row, "seq": item.seq, "received_at": self.received_at}
        self.new_events.append(row)
        self.stored[item.event_id] = _Stored(row)

    def _rejection_row(self, item: Incoming, reason: str) -> dict[str, Any]:
        return {
            "station_id": self.station_id,
            "seq": item.seq,
            "event_id": item.event_id,
            "reason": reason,
            "body": item.body(),
            "received_at": self.received_at,
        }

    def _write(self, verdicts: list[Verdict]) -> None:
        conn = self.conn
        if self.new_events:
            self._insert_events(verdicts)
            # In the same transaction as the events: the order state counts each one once.
            stored = {v.event_id for v in verdicts if v.status == EventStatus.ACCEPTED}
            project(conn, self.station_id, [r for r in self.new_events if r["event_id"] in stored])
        if self.new_rejections:
            conn.execute(insert(rejection), self.new_rejections)
        if self.resolved:
            conn.execute(
                update(rejection)
                .where(
                    rejection.c.station_id == self.station_id, rejection.c.seq.in_(self.resolved)
                )
                .values(resolved_at=self.received_at)
            )
        conn.execute(
            update(station)
            .where(station.c.station_id == self.station_id)
            .values(next_seq=self.next_seq)
        )

    def _insert_events(self, verdicts: list[Verdict]) -> None:
        """All rows at once; if the database refuses one, each on its own (refused: rejected)."""
        try:
            with self.conn.begin_nested():
                self.conn.execute(insert(event_table), self.new_events)
        except DataError as exc:
            log.warning(
                "ingest: the database refused a batch of %s (%s); row by row",
                self.station_id,
                type(exc.orig).__name__,
            )
        else:
            return
        by_seq = {v.seq: i for i, v in enumerate(verdicts)}
        for row in self.new_events:
            try:
                with self.conn.begin_nested():
                    self.conn.execute(insert(event_table), [row])
            except DataError as exc:
                reason = f"the database refused it ({_first_line(exc)})"
                index = by_seq[row["seq"]]
                verdicts[index] = Verdict(row["event_id"], row["seq"], EventStatus.REJECTED, reason)
                item = self.items[index]
                if row["seq"] in self.resolved:
                    self.resolved.remove(row["seq"])
                else:
                    self.new_rejections.append(self._rejection_row(item, reason))


def _first_line(exc: DataError) -> str:
    text = str(exc.orig or exc).strip().splitlines()
    return (text[0] if text else type(exc.orig).__name__)[:200]


class _Stored:
    """A row accepted earlier in this batch, looked up like a row read from the table."""

    def __init__(self, row: dict[str, Any]) -> None:
        self.__dict__.update(row)
