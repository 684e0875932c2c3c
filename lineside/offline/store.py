"""The station's local record: the event outbox, its delivery state, and cached master data.

Every event is committed (WAL, synchronous=FULL) before the UI says it is saved; `seq` is
assigned inside the same transaction, so it is gap-free per station. Delivered events stay in
the outbox (marked, never deleted); rejected ones are kept in a visible quarantine. All
database work runs on one dedicated thread, never on the UI thread.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import queue
import signal
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from lineside.domain.events import Event, utc_now
from lineside.domain.master_data import Kind
from lineside.domain.sync import EventResult, EventStatus
from lineside.offline.master_cache import MasterPull
from lineside.offline.sync_status import QuarantinedEvent

SCHEMA_VERSION = 2
T = TypeVar("T")

WAITING = "delivered_at IS NULL AND quarantined = 0"
"""An outbox row the server has not confirmed and that is not held in quarantine."""

LAST_DELIVERED_KEY = "last_delivered_at"
MASTER_CURSOR_KEY = "master_cursor"
MASTER_AT_KEY = "master_data_at"

# One event as the wire carries it: equal to Event.model_dump(mode="json"), built by SQLite
# from the stored columns (occurred_at is stored by isoformat(), pydantic writes UTC as "Z").
_EVENT_JSON = """json_object(
    'event_id', event_id, 'station_id', station_id, 'seq', seq, 'type', type,
    'occurred_at', CASE WHEN occurred_at LIKE '%+00:00'
        THEN substr(occurred_at, 1, length(occurred_at) - 6) || 'Z' ELSE occurred_at END,
    'recorded_by', recorded_by, 'context', json(context), 'payload', json(payload),
    'schema_version', schema_version)"""

# Built from the constants above only; every value is bound as a parameter.
_SPAN_SQL = f"SELECT (SELECT MIN(seq) FROM outbox WHERE {WAITING}), (SELECT MAX(seq) FROM outbox)"  # noqa: S608
_WAITING_SQL = f"SELECT COUNT(*) FROM outbox WHERE {WAITING}"  # noqa: S608
_BATCH_SQL = f"SELECT seq, {_EVENT_JSON} FROM outbox WHERE {WAITING} ORDER BY seq LIMIT ?"  # noqa: S608
_COUNTS_SQL = (
    "SELECT w.n, w.oldest, q.n, s.value FROM"  # noqa: S608
    f" (SELECT COUNT(*) AS n, MIN(committed_at) AS oldest FROM outbox WHERE {WAITING}) w,"
    " (SELECT COUNT(*) AS n FROM quarantine CROSS JOIN outbox USING (seq)"
    "   WHERE quarantine.released_at IS NULL AND outbox.quarantined = 1) q"
    " LEFT JOIN station_state s ON s.key = ?"
)
_EXPORT_SQL = (
    "SELECT q.seq, q.reason, q.quarantined_at, q.attempts,"  # noqa: S608
    f" (SELECT {_EVENT_JSON} FROM outbox WHERE outbox.seq = q.seq)"
    " FROM quarantine q WHERE q.released_at IS NULL ORDER BY q.seq"
)


def crash_point(name: str) -> None:
    """Test-only fault injection: SIGKILL this process at `name` when LINESIDE_CRASH_AT says so.

    LINESIDE_CRASH_AFTER=n kills on the n-th time the point is reached (default the first).
    """
    if os.environ.get("LINESIDE_CRASH_AT") != name:
        return
    left = int(os.environ.get("LINESIDE_CRASH_AFTER", "1")) - 1
    os.environ["LINESIDE_CRASH_AFTER"] = str(left)
    if left <= 0:
        os.kill(os.getpid(), signal.SIGKILL)


class StoreError(Exception):
    """The local record cannot be written; new input must wait (nothing is dropped)."""


class OutboxFull(StoreError):  # noqa: N818 - "the outbox is full" is the condition's name
    """Too many events wait for the server; operator input is refused until some are sent."""

    def __init__(self, message: str, waiting: int, cap: int) -> None:
        super().__init__(message)
        self.waiting = waiting
        self.cap = cap


@dataclass(frozen=True)
class OutboxCounts:
    """What the sync status shows about the outbox, read in one query."""

    waiting: int
    oldest_waiting_at: datetime | None
    quarantined: int
    last_delivered_at: datetime | None
    input_blocked: str


@dataclass(frozen=True)
class Marked:
    """What one `mark_results` changed."""

    delivered: int
    quarantined: int


@dataclass(frozen=True)
class Rewound:
    """What one `rewind` changed: rows waiting again, and the last seq the station holds."""

    count: int
    last_seq: int


def _store_error(path: Path, exc: sqlite3.Error) -> StoreError:
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code == sqlite3.SQLITE_FULL:
        return StoreError(f"the station's disk is full: cannot write {path} ({exc})")
    if code == sqlite3.SQLITE_READONLY:
        return StoreError(f"the station's record is read-only: cannot write {path} ({exc})")
    if code == sqlite3.SQLITE_IOERR:
        return StoreError(f"the station's disk cannot be written: {path} ({exc})")
    return StoreError(f"cannot write the station record {path}: {exc}")


def _create_v1(db: sqlite_utils.Database) -> None:
    outbox = db.table("outbox")
    outbox.create(
        {
            "seq": int,
            "event_id": str,
            "station_id": str,
            "type": str,
            "occurred_at": str,
            "recorded_by": str,
            "context": str,
            "payload": str,
            "schema_version": int,
            "committed_at": str,
        },
        pk="seq",
        not_null={"event_id", "station_id", "type", "occurred_at", "context", "payload"},
        if_not_exists=True,
    )
    outbox.create_index(["event_id"], unique=True, if_not_exists=True)
    outbox.create_index(["occurred_at"], if_not_exists=True)
    db.table("station_state").create({"key": str, "value": str}, pk="key", if_not_exists=True)


_V2 = (
    "ALTER TABLE outbox ADD COLUMN delivered_at TEXT",
    "ALTER TABLE outbox ADD COLUMN delivery TEXT"
    " CHECK (delivery IS NULL OR delivery IN ('accepted', 'duplicate'))",
    "ALTER TABLE outbox ADD COLUMN quarantined INTEGER NOT NULL DEFAULT 0",
    # delivered_at and quarantined are constant in it, but make the index covering.
    f"CREATE INDEX outbox_waiting ON outbox (seq, committed_at, delivered_at, quarantined)"
    f" WHERE {WAITING}",
    "CREATE TABLE quarantine (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL,"
    " reason TEXT NOT NULL, quarantined_at TEXT NOT NULL, attempts INTEGER NOT NULL,"
    " released_at TEXT)",
    "CREATE TABLE master_record (kind TEXT NOT NULL, key TEXT NOT NULL,"
    " revision INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID",
)


def _migrate(db: sqlite_utils.Database) -> None:
    """Bring the file to SCHEMA_VERSION in one transaction (a crash leaves the old version)."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version < 1:
            _create_v1(db)
        if version < 2:
            for statement in _V2:
                conn.execute(statement)
        if version < SCHEMA_VERSION:
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.commit()
    except BaseException:
        conn.rollback()
        raise


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


class Store:
    """Synchronous access to the station database; use it from one thread only."""

    def __init__(
        self,
        path: Path,
        busy_timeout_ms: int = 5000,
        *,
        cap: int | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.cap = cap
        self.write_error = ""
        """Why the last append failed for a reason other than the cap; empty once one works."""
        self._clock = clock
        self.db = sqlite_utils.Database(path)
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            _migrate(self.db)
        except sqlite3.Error as exc:
            self.db.close()
            raise _store_error(path, exc) from exc

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed whole, or rolled back whole."""
        conn = self.db.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
        except sqlite3.Error as exc:
            raise _store_error(self.path, exc) from exc

    # -- recording -----------------------------------------------------------------------------

    def append(
        self,
        events: Sequence[Event],
        state: Mapping[str, Any] | None = None,
        *,
        operator_input: bool = True,
    ) -> list[Event]:
        """Commit events (with their seq) and station state together, or nothing at all.

        Operator input is refused with OutboxFull while `cap` events wait for the server;
        machine events (`operator_input=False`) are always committed: a stop is never lost.
        """
        committed: list[Event] = []
        try:
            with self._transaction() as conn:
                if events and operator_input:
                    self._check_cap(conn)
                row = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM outbox").fetchone()
                seq = int(row[0])
                now = self._clock().isoformat()
                for event in events:
                    seq += 1
                    e = event.model_copy(update={"seq": seq})
                    conn.execute(
                        "INSERT INTO outbox (seq, event_id, station_id, type, occurred_at,"
                        " recorded_by, context, payload, schema_version, committed_at)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [
                            seq,
                            e.event_id,
                            e.station_id,
                            e.type,
                            e.occurred_at.isoformat(),
                            e.recorded_by,
                            e.context.model_dump_json(),
                            json.dumps(e.payload, ensure_ascii=False),
                            e.schema_version,
                            now,
                        ],
                    )
                    committed.append(e)
                for key, value in (state or {}).items():
                    # A large value (a projections snapshot) comes as a function, so it is
                    # built here on the store thread, not on the UI thread.
                    _put_state(conn, key, value() if callable(value) else value)
        except OutboxFull:
            raise
        except StoreError as exc:
            self.write_error = str(exc)
            raise
        self.write_error = ""
        return committed

    def _check_cap(self, conn: sqlite3.Connection) -> None:
        if self.cap is None:
            return
        waiting = self._waiting_at_least(conn, self.cap)
        if waiting >= self.cap:
            raise OutboxFull(self._full_message(waiting), waiting, self.cap)

    def _waiting_at_least(self, conn: sqlite3.Connection, limit: int) -> int:
        """Waiting rows, counted exactly only when a cheap upper bound reaches `limit`."""
        first, last = conn.execute(_SPAN_SQL).fetchone()
        if first is None:
            return 0
        if last - first + 1 < limit:
            return int(last - first + 1)
        return int(conn.execute(_WAITING_SQL).fetchone()[0])

    def _full_message(self, waiting: int) -> str:
        return (
            f"{waiting} events are waiting for the server (the limit is {self.cap}): new entries"
            " are refused until the station reaches the server; machine stops are still recorded"
        )

    def state(self) -> dict[str, Any]:
        """All station state keys and values."""
        rows = self.db.execute("SELECT key, value FROM station_state").fetchall()
        return {key: json.loads(value) for key, value in rows}

    def events(
        self, since: datetime | None = None, type_prefix: str = "", *, after_seq: int = 0
    ) -> list[Event]:
        """Events in seq order, optionally from a time on, of a type family, after a seq."""
        sql = "SELECT * FROM outbox WHERE type LIKE ? AND seq > ?"
        params: list[Any] = [type_prefix + "%", after_seq]
        if since is not None:
            # Stored times are UTC ISO text: compare with UTC text, never a local offset.
            sql += " AND occurred_at >= ?"
            params.append(since.astimezone(UTC).isoformat())
        cursor = self.db.execute(sql + " ORDER BY seq", params)
        names = [d[0] for d in cursor.description]
        return [_row_to_event(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]

    def seq_of(self, event_id: str) -> int | None:
        """The seq an event was committed with, None when it is not in the record."""
        row = self.db.execute("SELECT seq FROM outbox WHERE event_id = ?", [event_id]).fetchone()
        return int(row[0]) if row else None

    def count(self) -> int:
        """Events in the outbox."""
        return int(self.db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])

    # -- delivery ------------------------------------------------------------------------------

    def next_batch(self, limit: int) -> tuple[list[int], bytes]:
        """The oldest waiting events in seq order, as the JSON body of an `EventBatch`."""
        rows = self.db.execute(_BATCH_SQL, [limit]).fetchall()
        if not rows:
            return [], b""
        body = '{"events":[' + ",".join(row[1] for row in rows) + "]}"
        return [int(row[0]) for row in rows], body.encode()

    def mark_results(self, results: Sequence[EventResult]) -> Marked:
        """Record the server's answer for a batch in one transaction.

        Accepted and duplicate are delivered; rejected goes to quarantine with the server's
        reason. A result whose seq and event_id do not match a waiting row changes nothing.
        """
        now = self._clock().isoformat()
        delivered = quarantined = 0
        taken = [r for r in results if r.status is not EventStatus.REJECTED]
        with self._transaction() as conn:
            # One statement per kind for the whole batch (executemany): 500 single updates
            # held the store's thread, and an operator's commit behind it, for 10 ms and more.
            # Quarantine entries are released only for rows this answer delivers.
            conn.executemany(
                "UPDATE quarantine SET released_at = ? WHERE seq = ? AND released_at IS NULL"
                " AND EXISTS (SELECT 1 FROM outbox o WHERE o.seq = quarantine.seq"
                " AND o.event_id = ? AND o.delivered_at IS NULL)",
                [[now, r.seq, r.event_id] for r in taken],
            )
            cur = conn.executemany(
                "UPDATE outbox SET delivered_at = ?, delivery = ?, quarantined = 0"
                " WHERE seq = ? AND event_id = ? AND delivered_at IS NULL",
                [[now, r.status.value, r.seq, r.event_id] for r in taken],
            )
            delivered = max(cur.rowcount, 0) if taken else 0
            for result in results:
                if result.status is not EventStatus.REJECTED:
                    continue
                key = [result.seq, result.event_id]
                cur = conn.execute(
                    "UPDATE outbox SET quarantined = 1"
                    " WHERE seq = ? AND event_id = ? AND delivered_at IS NULL",
                    key,
                )
                if cur.rowcount:
                    quarantined += 1
                    conn.execute(
                        "INSERT INTO quarantine (seq, event_id, reason, quarantined_at,"
                        " attempts, released_at) VALUES (?, ?, ?, ?, 1, NULL)"
                        " ON CONFLICT (seq) DO UPDATE SET reason = excluded.reason,"
                        " quarantined_at = excluded.quarantined_at,"
                        " attempts = quarantine.attempts + 1, released_at = NULL",
                        [*key, result.reason or "rejected (no reason given)", now],
                    )
            if delivered:
                _put_state(conn, LAST_DELIVERED_KEY, now)
            crash_point("mid_mark")
        return Marked(delivered, quarantined)

    def rewind(self, expected_seq: int) -> Rewound:
        """The server expects `expected_seq` next: rows from there on wait to be sent again.

        Quarantined rows from there on are sent again too (the server needs their seq to
        continue). Nothing changes when the server expects more than the station holds.
        """
        expected_seq = max(expected_seq, 1)
        with self._transaction() as conn:
            last = int(conn.execute("SELECT COALESCE(MAX(seq), 0) FROM outbox").fetchone()[0])
            if expected_seq > last + 1:
                return Rewound(0, last)
            cur = conn.execute(
                "UPDATE outbox SET delivered_at = NULL, delivery = NULL, quarantined = 0"
                " WHERE seq >= ? AND (delivered_at IS NOT NULL OR quarantined = 1)",
                [expected_seq],
            )
            return Rewound(cur.rowcount, last)

    def outbox_counts(self) -> OutboxCounts:
        """Waiting, oldest waiting, quarantined and last delivery, in one query."""
        waiting, oldest, quarantined, last = self.db.execute(
            _COUNTS_SQL, [LAST_DELIVERED_KEY]
        ).fetchone()
        blocked = self.write_error
        if not blocked and self.cap is not None and waiting >= self.cap:
            blocked = self._full_message(waiting)
        return OutboxCounts(
            waiting=int(waiting),
            oldest_waiting_at=_time(oldest),
            quarantined=int(quarantined),
            last_delivered_at=_time(json.loads(last)) if last else None,
            input_blocked=blocked,
        )

    # -- quarantine ----------------------------------------------------------------------------

    def quarantine(self) -> list[QuarantinedEvent]:
        """Events in quarantine (including those being retried), oldest first."""
        rows = self.db.execute(
            "SELECT q.seq, q.event_id, o.type, o.occurred_at, q.reason, q.quarantined_at,"
            " q.attempts, o.quarantined FROM quarantine q CROSS JOIN outbox o USING (seq)"
            " WHERE q.released_at IS NULL ORDER BY q.seq"
        ).fetchall()
        return [
            QuarantinedEvent(
                seq=seq,
                event_id=event_id,
                type=kind,
                occurred_at=datetime.fromisoformat(occurred_at),
                reason=reason,
                quarantined_at=datetime.fromisoformat(at),
                attempts=attempts,
                retrying=not held,
            )
            for seq, event_id, kind, occurred_at, reason, at, attempts, held in rows
        ]

    def retry_quarantined(self, seqs: Sequence[int]) -> int:
        """Send these quarantined events again (in seq order with the waiting ones)."""
        with self._transaction() as conn:
            cur = conn.executemany(
                "UPDATE outbox SET quarantined = 0 WHERE seq = ? AND quarantined = 1",
                [[seq] for seq in seqs],
            )
            return cur.rowcount

    def export_quarantine(self, directory: Path) -> Path:
        """Write the quarantined events, whole and with the server's reason, as JSON lines."""
        rows = self.db.execute(_EXPORT_SQL).fetchall()
        directory.mkdir(parents=True, exist_ok=True)
        stamp = self._clock().strftime("%Y%m%dT%H%M%SZ")
        path = directory / f"quarantine-{stamp}.jsonl"
        n = 1
        while path.exists():
            n += 1
            path = directory / f"quarantine-{stamp}-{n}.jsonl"
        lines = [
            json.dumps(
                {
                    "seq": seq,
                    "reason": reason,
                    "quarantined_at": at,
                    "attempts": attempts,
                    "event": json.loads(event),
                },
                ensure_ascii=False,
            )
            for seq, reason, at, attempts, event in rows
        ]
        partial = path.with_suffix(".partial")
        with partial.open("w", encoding="utf-8") as f:
            f.writelines(line + "\n" for line in lines)
            f.flush()
            os.fsync(f.fileno())
        partial.replace(path)
        return path

    # -- master data ---------------------------------------------------------------------------

    def swap_master(self, pull: MasterPull, at: datetime) -> None:
        """Apply a completed pull in one transaction: a full one replaces the whole cache."""
        with self._transaction() as conn:
            if pull.full:
                conn.execute("DELETE FROM master_record")
            for record in pull.records:
                if record.deleted or record.data is None:
                    conn.execute(
                        "DELETE FROM master_record WHERE kind = ? AND key = ?",
                        [record.kind.value, record.key],
                    )
                else:
                    conn.execute(
                        "INSERT INTO master_record (kind, key, revision, data)"
                        " VALUES (?, ?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET"
                        " revision = excluded.revision, data = excluded.data",
                        [
                            record.kind.value,
                            record.key,
                            record.revision,
                            json.dumps(record.data, ensure_ascii=False),
                        ],
                    )
            _put_state(conn, MASTER_CURSOR_KEY, pull.cursor)
            _put_state(conn, MASTER_AT_KEY, at.isoformat())

    def master_records(self) -> dict[Kind, dict[str, dict[str, Any]]]:
        """The cached master data: every kind, each a dict of key → record data."""
        records: dict[Kind, dict[str, dict[str, Any]]] = {kind: {} for kind in Kind}
        for kind, key, data in self.db.execute(
            "SELECT kind, key, data FROM master_record ORDER BY kind, key"
        ).fetchall():
            if kind in records:
                records[Kind(kind)][key] = json.loads(data)
        return records

    def master_state(self) -> tuple[int, datetime | None]:
        """The server cursor of the cache and when it was last refreshed (None: never)."""
        state = dict(
            self.db.execute(
                "SELECT key, value FROM station_state WHERE key IN (?, ?)",
                [MASTER_CURSOR_KEY, MASTER_AT_KEY],
            ).fetchall()
        )
        cursor = json.loads(state[MASTER_CURSOR_KEY]) if MASTER_CURSOR_KEY in state else 0
        at = json.loads(state[MASTER_AT_KEY]) if MASTER_AT_KEY in state else None
        return int(cursor), _time(at)

    def close(self) -> None:
        """Close the database."""
        self.db.close()


def _put_state(conn: sqlite3.Connection, key: str, value: Any) -> None:
    conn.execute(
        "INSERT INTO station_state (key, value) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, json.dumps(value)],
    )


def _row_to_event(row: dict[str, Any]) -> Event:
    return Event.model_validate(
        {
            "event_id": row["event_id"],
            "station_id": row["station_id"],
            "seq": row["seq"],
            "type": row["type"],
            "occurred_at": row["occurred_at"],
            "recorded_by": row["recorded_by"],
            "context": json.loads(row["context"]),
            "payload": json.loads(row["payload"]),
            "schema_version": row["schema_version"],
        }
    )


APPEND_FIRST = 0
"""Priority of a commit on the store's thread: before queued reads and sync bookkeeping."""
IN_TURN = 1
"""Priority of every other call."""
_LAST = 2


class _StoreThread:
    """One thread that runs calls by priority, and in call order within a priority.

    An operator's commit must not wait behind the sync engine's batch reads and marks that
    were queued before it (a backlog draining): appends go first. A call of lower priority
    queued before an append may therefore see that append.
    """

    def __init__(self) -> None:
        self._queue: queue.PriorityQueue[
            tuple[int, int, Callable[[], Any] | None, Future[Any] | None]
        ] = queue.PriorityQueue()
        self._order = itertools.count()
        self._thread = threading.Thread(target=self._work, name="lineside-store", daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[[], T], priority: int) -> asyncio.Future[T]:
        future: Future[T] = Future()
        self._queue.put((priority, next(self._order), fn, future))
        return asyncio.wrap_future(future)

    def _work(self) -> None:
        while True:
            _priority, _order, fn, future = self._queue.get()
            if fn is None or future is None:
                return
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn()
            except BaseException as exc:  # handed to the awaiting task, as an executor does
                future.set_exception(exc)
            else:
                future.set_result(result)

    def shutdown(self) -> None:
        """Run what is queued, then end the thread."""
        self._queue.put((_LAST, next(self._order), None, None))
        self._thread.join()


class AsyncStore:
    """The store on its own thread: calls queue in order and are awaited from asyncio."""

    def __init__(
        self,
        path: Path,
        busy_timeout_ms: int = 5000,
        *,
        cap: int | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self.cap = cap
        self._clock = clock
        self._thread: _StoreThread | None = None
        self._store: Store | None = None
        self._closed = False

    async def open(self) -> None:
        """Open (and create or migrate) the database on the store thread."""

        def _open() -> None:
            self._store = Store(self.path, self.busy_timeout_ms, cap=self.cap, clock=self._clock)

        await self._run(_open)

    def _call(self, fn: Callable[[Store], T]) -> Callable[[], T]:
        def call() -> T:
            if self._store is None:
                raise StoreError("the station record is not open")
            return fn(self._store)

        return call

    def _submit(self, fn: Callable[[], T], priority: int = IN_TURN) -> asyncio.Future[T]:
        if self._closed:
            raise StoreError("the station record is closed")
        if self._thread is None:
            self._thread = _StoreThread()
        return self._thread.submit(fn, priority)

    async def _run(self, fn: Callable[[], T]) -> T:
        return await self._submit(fn)

    def append(
        self,
        events: Sequence[Event],
        state: Mapping[str, Any] | None = None,
        *,
        operator_input: bool = True,
    ) -> asyncio.Future[list[Event]]:
        """Queue a commit now (keeping call order) and return a future of the committed events."""
        events, state = list(events), dict(state or {})
        return self._submit(
            self._call(lambda s: s.append(events, state, operator_input=operator_input)),
            APPEND_FIRST,
        )

    async def state(self) -> dict[str, Any]:
        """All station state."""
        return await self._run(self._call(lambda s: s.state()))

    async def events(
        self, since: datetime | None = None, type_prefix: str = "", *, after_seq: int = 0
    ) -> list[Event]:
        """Events in seq order."""
        return await self._run(
            self._call(lambda s: s.events(since, type_prefix, after_seq=after_seq))
        )

    async def seq_of(self, event_id: str) -> int | None:
        """The seq an event was committed with, None when it is not in the record."""
        return await self._run(self._call(lambda s: s.seq_of(event_id)))

    async def count(self) -> int:
        """Events in the outbox."""
        return await self._run(self._call(lambda s: s.count()))

    async def next_batch(self, limit: int) -> tuple[list[int], bytes]:
        """The oldest waiting events and their batch body, serialized on the store thread."""
        return await self._run(self._call(lambda s: s.next_batch(limit)))

    async def mark_results(self, results: Sequence[EventResult]) -> Marked:
        """Record the server's answer for a batch, in one transaction."""
        return await self._run(self._call(lambda s: s.mark_results(results)))

    async def rewind(self, expected_seq: int) -> Rewound:
        """Send again from `expected_seq` on."""
        return await self._run(self._call(lambda s: s.rewind(expected_seq)))

    async def outbox_counts(self) -> OutboxCounts:
        """The outbox figures of the sync status."""
        return await self._run(self._call(lambda s: s.outbox_counts()))

    async def quarantine(self) -> list[QuarantinedEvent]:
        """Events in quarantine, oldest first."""
        return await self._run(self._call(lambda s: s.quarantine()))

    async def retry_quarantined(self, seqs: Sequence[int]) -> int:
        """Send these quarantined events again."""
        seqs = list(seqs)
        return await self._run(self._call(lambda s: s.retry_quarantined(seqs)))

    async def export_quarantine(self, directory: Path) -> Path:
        """Write the quarantined events to a new JSON-lines file in `directory`."""
        return await self._run(self._call(lambda s: s.export_quarantine(directory)))

    async def swap_master(self, pull: MasterPull, at: datetime) -> None:
        """Apply a completed master-data pull atomically."""
        await self._run(self._call(lambda s: s.swap_master(pull, at)))

    async def master_records(self) -> dict[Kind, dict[str, dict[str, Any]]]:
        """The cached master data."""
        return await self._run(self._call(lambda s: s.master_records()))

    async def master_state(self) -> tuple[int, datetime | None]:
        """The cache's server cursor and when it was refreshed."""
        return await self._run(self._call(lambda s: s.master_state()))

    async def close(self) -> None:
        """Finish queued commits, close the database and the thread."""
        if self._store is not None and not self._closed:
            await self._run(self._call(lambda s: s.close()))
            self._store = None
        self._closed = True
        if self._thread is not None:
            self._thread.shutdown()
            self._thread = None
