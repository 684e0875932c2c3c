"""Taking in a station's batch of events: one transaction, a verdict per event (docs/sync-api.md).

Per station, `event` ∪ `rejection` holds every seq from 1 to `next_seq - 1` exactly once: an
event that fails validation keeps its seq in `rejection`, so the sequence never gets a gap and
a retried quarantined event can still take its place once it is valid.
"""

from __future__ import annotations

import contextlib
import threading
from itertools import pairwise
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy import Connection, Engine, and_, insert, select, update

from lineside.domain.events import REGISTRY, Event
from lineside.domain.sync import BatchResult, EventBatch, EventResult, EventStatus, WireEvent
from lineside.server.db import canonical_json, event_table, iso, rejection, station, utc_now

_SQLITE_WRITERS = threading.Lock()
"""Batches queue here for a SQLite file instead of in SQLite's busy handler, which sleeps and
retries: with 50 stations posting at once that starved some batches for seconds."""

MAX_REASON_ERRORS = 3
"""A rejection reason names at most this many problems (and how many more there are)."""


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


def ingest(engine: Engine, station_id: str, batch: EventBatch) -> BatchResult:
    """Store a batch of `station_id`'s events in one transaction; a result per event."""
    for wire in batch.events:
        claimed = (wire.model_extra or {}).get("station_id", station_id)
        if claimed != station_id:
            raise StationMismatchError(
                f"event {wire.event_id} (seq {wire.seq}) is for station {claimed!r}, "
                f"not {station_id!r}; a station sends only its own events"
            )
    writers = _SQLITE_WRITERS if engine.dialect.name == "sqlite" else contextlib.nullcontext()
    with writers, engine.begin() as conn:
        # The row lock serializes batches of one station on PostgreSQL; SQLite's BEGIN
        # IMMEDIATE already has (SQLAlchemy renders no FOR UPDATE there).
        next_seq = conn.scalar(
            select(station.c.next_seq).where(station.c.station_id == station_id).with_for_update()
        )
        if next_seq is None:
            raise UnknownStationError(station_id)
        _check_sequence([wire.seq for wire in batch.events], next_seq)
        return _Batch(conn, station_id, next_seq, batch.events).run()


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


def _where(loc: tuple[int | str, ...], prefix: str = "") -> str:
    text = prefix
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "event"


def readable(errors: list[ErrorDetails], payload_errors: list[ErrorDetails]) -> str:
    """A short reason from pydantic's errors, e.g. "payload.reason: Field required"."""
    parts = [f"{_where(error['loc'])}: {error['msg']}" for error in errors]
    parts += [f"{_where(error['loc'], 'payload')}: {error['msg']}" for error in payload_errors]
    text = "; ".join(parts[:MAX_REASON_ERRORS])
    if len(parts) > MAX_REASON_ERRORS:
        text += f" (and {len(parts) - MAX_REASON_ERRORS} more)"
    return text


def _payload_errors(raw: dict[str, Any]) -> list[ErrorDetails]:
    kind, payload = raw.get("type"), raw.get("payload")
    spec = REGISTRY.get(kind) if isinstance(kind, str) else None
    payload_model = spec.payload if spec else None
    if payload_model is None or not isinstance(payload, dict):
        return []
    try:
        payload_model.model_validate(payload)
    except ValidationError as exc:
        return exc.errors(include_url=False)
    return []


def validate_event(raw: dict[str, Any]) -> tuple[Event | None, str | None]:
    """The event, or why the server refuses it."""
    kind, version = raw.get("type"), raw.get("schema_version", 1)
    spec = REGISTRY.get(kind) if isinstance(kind, str) else None
    newer = isinstance(version, int) and not isinstance(version, bool)
    if spec is not None and newer and version > spec.version:
        return None, (
            f"written by a newer station ({kind} version {version}, this server knows "
            f"{spec.version}); update the server"
        )
    try:
        return Event.model_validate(raw), None
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    # Event checks its payload in a model validator whose errors come out with locations
    # inside the payload; checking the payload here too tells them from the envelope's.
    payload_errors = _payload_errors(raw)
    if errors == payload_errors:
        errors = []
    return None, readable(errors, payload_errors)


class _Batch:
    """One batch inside its transaction: verdicts in order, then the writes in bulk."""

    def __init__(
        self, conn: Connection, station_id: str, next_seq: int, events: tuple[WireEvent, ...]
    ) -> None:
        self.conn = conn
        self.station_id = station_id
        self.next_seq = next_seq
        self.events = events
        self.now = utc_now()
        ids = [wire.event_id for wire in events]
        self.stored: dict[str, tuple[str, int]] = {
            row.event_id: (row.station_id, row.seq)
            for row in conn.execute(
                select(event_table.c.event_id, event_table.c.station_id, event_table.c.seq).where(
                    event_table.c.event_id.in_(ids)
                )
            )
        }
        old = [wire.seq for wire in events if wire.seq < next_seq]
        self.quarantined: dict[int, str] = (
            {
                row.seq: row.event_id
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
        self.rejected_again: list[dict[str, Any]] = []
        self.resolved: list[int] = []

    def run(self) -> BatchResult:
        results = [self._verdict(wire) for wire in self.events]
        self._write()
        return BatchResult(results=tuple(results), next_seq=self.next_seq, server_time=self.now)

    def _verdict(self, wire: WireEvent) -> EventResult:
        seq, event_id = wire.seq, wire.event_id
        where = self.stored.get(event_id)
        if where == (self.station_id, seq):
            return EventResult(event_id=event_id, seq=seq, status=EventStatus.DUPLICATE)
        raw = wire.model_dump()
        problem: str | None
        if where is not None:
            problem = f"event {event_id} is already stored under another station or seq"
            parsed = None
        elif seq < self.next_seq and self.quarantined.get(seq) != event_id:
            problem, parsed = f"seq {seq} already holds another event", None
        else:
            parsed, problem = validate_event(raw)

        if seq < self.next_seq:
            if parsed is not None:  # a quarantined event, valid now: it takes its seq
                self._accept(parsed, seq)
                self.resolved.append(seq)
                del self.quarantined[seq]
            elif self.quarantined.get(seq) == event_id and where is None:
                self.rejected_again.append(self._rejection_row(wire, problem or ""))
        else:
            if parsed is not None:
                self._accept(parsed, seq)
            else:
                self.new_rejections.append(self._rejection_row(wire, problem or ""))
            self.next_seq += 1
        if parsed is not None:
            return EventResult(event_id=event_id, seq=seq, status=EventStatus.ACCEPTED)
        return EventResult(event_id=event_id, seq=seq, status=EventStatus.REJECTED, reason=problem)

    def _accept(self, event: Event, seq: int) -> None:
        self.stored[event.event_id] = (self.station_id, seq)
        self.new_events.append(
            {
                "event_id": event.event_id,
                "station_id": event.station_id,
                "seq": seq,
                "type": event.type,
                "occurred_at": iso(event.occurred_at),
                "recorded_by": event.recorded_by,
                "context": canonical_json(event.context.model_dump(mode="json")),
                "payload": canonical_json(event.payload),
                "schema_version": event.schema_version,
                "received_at": iso(self.now),
            }
        )

    def _rejection_row(self, wire: WireEvent, reason: str) -> dict[str, Any]:
        return {
            "station_id": self.station_id,
            "seq": wire.seq,
            "event_id": wire.event_id,
            "reason": reason,
            "body": canonical_json(wire.model_dump(mode="json")),
            "received_at": iso(self.now),
        }

    def _write(self) -> None:
        conn = self.conn
        if self.new_events:
            conn.execute(insert(event_table), self.new_events)
        if self.new_rejections:
            conn.execute(insert(rejection), self.new_rejections)
        for row in self.rejected_again:
            conn.execute(
                update(rejection)
                .where(
                    and_(rejection.c.station_id == row["station_id"], rejection.c.seq == row["seq"])
                )
                .values(reason=row["reason"], body=row["body"], received_at=row["received_at"])
            )
        if self.resolved:
            conn.execute(
                update(rejection)
                .where(
                    rejection.c.station_id == self.station_id, rejection.c.seq.in_(self.resolved)
                )
                .values(resolved_at=iso(self.now))
            )
        conn.execute(
            update(station)
            .where(station.c.station_id == self.station_id)
            .values(next_seq=self.next_seq)
        )
