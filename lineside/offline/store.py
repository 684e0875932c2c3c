"""The station's local record: the event outbox and station state in one SQLite file.

Every event is committed (WAL, synchronous=FULL) before the UI says it is saved; `seq` is
assigned inside the same transaction, so it is gap-free per station. All database work runs
on one dedicated thread, never on the UI thread.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from lineside.domain.events import Event, utc_now

SCHEMA_VERSION = 1
T = TypeVar("T")


class StoreError(Exception):
    """The local record cannot be written; new input must wait (nothing is dropped)."""


def _migrate(db: sqlite_utils.Database) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version >= SCHEMA_VERSION:
        return
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
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


class Store:
    """Synchronous access to the station database; use it from one thread only."""

    def __init__(self, path: Path, busy_timeout_ms: int = 5000) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite_utils.Database(path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        with self.db.conn:
            _migrate(self.db)

    def append(
        self, events: Sequence[Event], state: Mapping[str, Any] | None = None
    ) -> list[Event]:
        """Commit events (with their seq) and station state together, or nothing at all."""
        conn = self.db.conn
        committed: list[Event] = []
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                row = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM outbox").fetchone()
                seq = int(row[0])
                now = utc_now().isoformat()
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
                    conn.execute(
                        "INSERT INTO station_state (key, value) VALUES (?, ?)"
                        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        [key, json.dumps(value)],
                    )
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write the station record {self.path}: {exc}") from exc
        return committed

    def state(self) -> dict[str, Any]:
        """All station state keys and values."""
        rows = self.db.execute("SELECT key, value FROM station_state").fetchall()
        return {key: json.loads(value) for key, value in rows}

    def events(self, since: datetime | None = None, type_prefix: str = "") -> list[Event]:
        """Events in seq order, optionally from a time on and of a type family."""
        sql = "SELECT * FROM outbox WHERE type LIKE ?"
        params: list[Any] = [type_prefix + "%"]
        if since is not None:
            sql += " AND occurred_at >= ?"
            params.append(since.isoformat())
        cursor = self.db.execute(sql + " ORDER BY seq", params)
        names = [d[0] for d in cursor.description]
        return [_row_to_event(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]

    def count(self) -> int:
        """Events in the outbox."""
        return int(self.db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])

    def close(self) -> None:
        """Close the database."""
        self.db.close()


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


class AsyncStore:
    """The store on its own thread: calls queue in order and are awaited from asyncio."""

    def __init__(self, path: Path, busy_timeout_ms: int = 5000) -> None:
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lineside-store")
        self._store: Store | None = None

    async def open(self) -> None:
        """Open (and create or migrate) the database on the store thread."""

        def _open() -> None:
            self._store = Store(self.path, self.busy_timeout_ms)

        await self._run(_open)

    def _call(self, fn: Callable[[Store], T]) -> Callable[[], T]:
        def call() -> T:
            if self._store is None:
                raise StoreError("the station record is not open")
            return fn(self._store)

        return call

    async def _run(self, fn: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn)

    def append(
        self, events: Sequence[Event], state: Mapping[str, Any] | None = None
    ) -> asyncio.Future[list[Event]]:
        """Queue a commit now (keeping call order) and return a future of the committed events."""
        events, state = list(events), dict(state or {})
        return asyncio.get_running_loop().run_in_executor(
            self._executor, self._call(lambda s: s.append(events, state))
        )

    async def state(self) -> dict[str, Any]:
        """All station state."""
        return await self._run(self._call(lambda s: s.state()))

    async def events(self, since: datetime | None = None, type_prefix: str = "") -> list[Event]:
        """Events in seq order."""
        return await self._run(self._call(lambda s: s.events(since, type_prefix)))

    async def count(self) -> int:
        """Events in the outbox."""
        return await self._run(self._call(lambda s: s.count()))

    async def close(self) -> None:
        """Finish queued commits, close the database and the thread."""
        if self._store is not None:
            await self._run(self._call(lambda s: s.close()))
            self._store = None
        self._executor.shutdown(wait=True)
