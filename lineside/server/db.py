"""The server's database: tables (SQLAlchemy Core) and an engine for SQLite or PostgreSQL.

Times are stored as UTC ISO 8601 text with microseconds (`iso`), the same on both databases:
fixed width, so they sort and compare as text. JSON columns hold canonical JSON text.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Engine,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

# SQLite has no BIGINT rowid: only INTEGER PRIMARY KEY autoincrements there.
_ROW_ID = BigInteger().with_variant(Integer(), "sqlite")

metadata = MetaData()
"""The latest schema; `migrations` creates it step by step (a test keeps the two equal)."""

station = Table(
    "station",
    metadata,
    Column("station_id", Text, primary_key=True),
    Column("line", Text, nullable=True),
    Column("token_hash", String(64), nullable=True),
    Column("next_seq", BigInteger, nullable=False, server_default="1"),
    Column("created_at", String(32), nullable=False),
)

event_table = Table(
    "event",
    metadata,
    Column("id", _ROW_ID, primary_key=True, autoincrement=True),
    Column("event_id", Text, nullable=False, unique=True),
    Column("station_id", Text, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("type", Text, nullable=False),
    Column("occurred_at", String(32), nullable=False),
    Column("recorded_by", Text, nullable=True),
    Column("context", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Column("schema_version", Integer, nullable=False),
    Column("received_at", String(32), nullable=False),
    UniqueConstraint("station_id", "seq", name="uq_event_station_seq"),
)

rejection = Table(
    "rejection",
    metadata,
    Column("station_id", Text, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("event_id", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("received_at", String(32), nullable=False),
    Column("resolved_at", String(32), nullable=True),
    PrimaryKeyConstraint("station_id", "seq", name="pk_rejection"),
)

master_record = Table(
    "master_record",
    metadata,
    Column("kind", String(32), nullable=False),
    Column("key", Text, nullable=False),
    Column("data", Text, nullable=True),
    Column("scope", Text, nullable=True),
    Column("revision", BigInteger, nullable=False),
    Column("deleted", Boolean, nullable=False),
    Column("updated_at", String(32), nullable=False),
    PrimaryKeyConstraint("kind", "key", name="pk_master_record"),
    Index("ix_master_record_revision", "revision"),
)

server_meta = Table(
    "server_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

asset = Table(
    "asset",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("media_type", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("created_at", String(32), nullable=False),
)
"""Images of work-instruction steps, keyed by the SHA-256 hex of their bytes (`server.assets`)."""

schema_migration = Table(
    "schema_migration",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", String(32), nullable=False),
)

MASTER_REVISION = "master_revision"
"""`server_meta` key: the last master-data revision handed out (0 before the first import)."""
TOMBSTONE_HORIZON = "tombstone_horizon"
"""`server_meta` key: tombstones up to this revision may have been purged."""


class DatabaseUrlError(ValueError):
    """The database URL is not one the server can use."""


def utc_now() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """A time as stored: UTC, ISO 8601, always with microseconds (so text order is time order)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces: equal data gives equal text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def resolve_url(database_url: str) -> URL:
    """Check a database URL; `postgresql://` becomes `postgresql+psycopg://`."""
    try:
        url = make_url(database_url)
    except ArgumentError as exc:
        raise DatabaseUrlError(
            f"{database_url!r} is not a database URL; use sqlite:///path/to/file.db "
            "or postgresql://user@host/dbname"
        ) from exc
    if url.drivername in ("postgresql", "postgresql+psycopg", "postgres"):
        return url.set(drivername="postgresql+psycopg")
    if url.drivername in ("sqlite", "sqlite+pysqlite"):
        if not url.database or url.database == ":memory:":
            raise DatabaseUrlError(
                f"{url.render_as_string()!r}: give a file, e.g. sqlite:///var/server/lineside.db"
            )
        return url
    raise DatabaseUrlError(
        f"{url.drivername!r} databases are not supported; use sqlite:///path/to/file.db "
        "or postgresql://user@host/dbname"
    )


def make_engine(database_url: str) -> Engine:
    """An engine for a SQLite file (created with its folder if missing) or PostgreSQL."""
    url = resolve_url(database_url)
    if url.get_backend_name() == "postgresql":
        return create_engine(url, pool_pre_ping=True, hide_parameters=True)
    assert url.database is not None  # resolve_url refuses SQLite URLs without a file
    try:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        _private(Path(url.database))
    except OSError as exc:
        raise DatabaseUrlError(
            f"cannot create the folder of {url.database}: {exc.strerror or exc}"
        ) from exc
    # hide_parameters: errors are logged, and their parameters would be events and digests.
    engine = create_engine(url, connect_args={"timeout": 10}, hide_parameters=True)
    _serialize_sqlite_writers(engine)
    return engine


def _private(path: Path) -> None:
    """The SQLite file readable by its owner only (mode 0600; its -wal and -shm follow it).

    It holds every station's events and the token digests.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if os.fstat(fd).st_mode & 0o077:
            os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
    for companion in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if companion.exists() and companion.stat().st_mode & 0o077:
            companion.chmod(0o600)


def _serialize_sqlite_writers(engine: Engine) -> None:
    """SQLAlchemy's pysqlite recipe: every transaction but a `reading` one is BEGIN IMMEDIATE.

    pysqlite's own deferred BEGIN lets two writers both read, then one fails with "database
    is locked" on upgrading its lock; IMMEDIATE takes the write lock at BEGIN, so concurrent
    batches wait for each other (up to busy_timeout) instead.
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # pysqlite must not emit its own BEGIN
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=FULL",
            "busy_timeout=10000",
            "foreign_keys=ON",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        read_only = connection.get_execution_options().get(_READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


_READ_ONLY = "lineside_read_only"


def reading(engine: Engine) -> Connection:
    """A connection for reads only: on SQLite its transactions do not take the write lock."""
    return engine.connect().execution_options(**{_READ_ONLY: True})


def is_postgresql(engine: Engine) -> bool:
    """Whether the engine talks to PostgreSQL (else SQLite)."""
    return engine.dialect.name == "postgresql"
