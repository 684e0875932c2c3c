"""Schema migrations: numbered steps, each in its own transaction, recorded in `schema_migration`.

A small runner rather than Alembic: a handful of tables, SQLAlchemy Core DDL that runs the same
on SQLite and PostgreSQL, and nothing to ship beside the package (no ini file, no env.py).
Each step keeps the DDL of its own version: later steps change tables, never earlier steps.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Engine,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    insert,
    select,
)

# They declare their tables on db.metadata, which a test holds equal to the migrated schema.
from lineside.server import orders, readers  # noqa: F401
from lineside.server.db import (
    MASTER_REVISION,
    TOMBSTONE_HORIZON,
    is_postgresql,
    iso,
    schema_migration,
    server_meta,
    utc_now,
)

Migration = Callable[[Connection], None]


def _v1_schema(conn: Connection) -> None:
    """Stations with their sequence and token, events, rejections, master data, meta."""
    row_id = BigInteger().with_variant(Integer(), "sqlite")
    v1 = MetaData()
    Table(
        "station",
        v1,
        Column("station_id", Text, primary_key=True),
        Column("line", Text, nullable=True),
        Column("token_hash", String(64), nullable=True),
        Column("next_seq", BigInteger, nullable=False, server_default="1"),
        Column("created_at", String(32), nullable=False),
    )
    Table(
        "event",
        v1,
        Column("id", row_id, primary_key=True, autoincrement=True),
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
    Table(
        "rejection",
        v1,
        Column("station_id", Text, nullable=False),
        Column("seq", BigInteger, nullable=False),
        Column("event_id", Text, nullable=False),
        Column("reason", Text, nullable=False),
        Column("body", Text, nullable=False),
        Column("received_at", String(32), nullable=False),
        Column("resolved_at", String(32), nullable=True),
        PrimaryKeyConstraint("station_id", "seq", name="pk_rejection"),
    )
    Table(
        "master_record",
        v1,
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
    Table(
        "server_meta",
        v1,
        Column("key", String(64), primary_key=True),
        Column("value", Text, nullable=False),
    )
    v1.create_all(conn)
    conn.execute(
        insert(server_meta),
        [{"key": MASTER_REVISION, "value": "0"}, {"key": TOMBSTONE_HORIZON, "value": "0"}],
    )


def _v2_lift_below_horizon(conn: Connection) -> None:
    """Live master records at or below the tombstone horizon get new revisions above it.

    A snapshot page can then honour its limit (docs/master-data.md): the purge does the same
    from now on, this step does it once for databases purged before.
    """
    from lineside.server.master import lift_below_horizon

    lift_below_horizon(conn)


def _v3_assets(conn: Connection) -> None:
    """Images of work-instruction steps, stored by the SHA-256 of their bytes."""
    v3 = MetaData()
    Table(
        "asset",
        v3,
        Column("sha256", String(64), primary_key=True),
        Column("media_type", String(64), nullable=False),
        Column("size", BigInteger, nullable=False),
        Column("data", LargeBinary, nullable=False),
        Column("created_at", String(32), nullable=False),
    )
    v3.create_all(conn)


def _v4_order_state(conn: Connection) -> None:
    """Order state per job, holds, deviations, flags for a team lead, signature checks, and
    the admin token that reads them all."""
    row_id = BigInteger().with_variant(Integer(), "sqlite")
    v4 = MetaData()
    Table(
        "order_state",
        v4,
        Column("order_id", Text, nullable=False),
        Column("operation_id", Text, nullable=False),
        Column("station_id", Text, nullable=False),
        Column("line", Text, nullable=True),
        Column("product", Text, nullable=True),
        Column("state", String(32), nullable=False),
        Column("state_seq", BigInteger, nullable=False),
        Column("started_at", String(32), nullable=True),
        Column("ended_at", String(32), nullable=True),
        Column("counted_good", BigInteger, nullable=False),
        Column("counted_defective", BigInteger, nullable=False),
        Column("reported_good", BigInteger, nullable=True),
        Column("reported_defective", BigInteger, nullable=True),
        Column("changeovers", Integer, nullable=False),
        Column("changeover_s", Float, nullable=False),
        Column("changeover_standard_s", Float, nullable=False),
        Column("changeovers_without_standard", Integer, nullable=False),
        Column("last_seq", BigInteger, nullable=False),
        Column("last_event_at", String(32), nullable=False),
        Column("updated_at", String(32), nullable=False),
        PrimaryKeyConstraint("order_id", "operation_id", "station_id", name="pk_order_state"),
    )
    Table(
        "order_hold",
        v4,
        Column("hold_id", Text, primary_key=True),
        Column("order_id", Text, nullable=False),
        Column("operation_id", Text, nullable=True),
        Column("station_id", Text, nullable=True),
        Column("deviation_id", Text, nullable=True),
        Column("placed_at", String(32), nullable=True),
        Column("released_at", String(32), nullable=True),
        Index("ix_order_hold_order", "order_id"),
    )
    Table(
        "order_deviation",
        v4,
        Column("deviation_id", Text, primary_key=True),
        Column("order_id", Text, nullable=False),
        Column("operation_id", Text, nullable=True),
        Column("station_id", Text, nullable=True),
        Column("opened_at", String(32), nullable=True),
        Column("decided_at", String(32), nullable=True),
        Column("decision", String(32), nullable=True),
        Index("ix_order_deviation_order", "order_id"),
    )
    Table(
        "order_flag",
        v4,
        Column("flag_id", row_id, primary_key=True, autoincrement=True),
        Column("kind", String(32), nullable=False),
        Column("order_id", Text, nullable=True),
        Column("operation_id", Text, nullable=True),
        Column("station_id", Text, nullable=True),
        Column("subject", Text, nullable=True),
        Column("event_id", Text, nullable=True),
        Column("since", String(32), nullable=False),
        Column("detail", Text, nullable=False),
        Column("raised_at", String(32), nullable=False),
        Column("cleared_at", String(32), nullable=True),
        Index("ix_order_flag_order", "order_id"),
    )
    Table(
        "signature_check",
        v4,
        Column("id", row_id, primary_key=True, autoincrement=True),
        Column("event_id", Text, nullable=False, unique=True),
        Column("signature_id", Text, nullable=False),
        Column("station_id", Text, nullable=False),
        Column("person_id", Text, nullable=False),
        Column("meaning", Text, nullable=False),
        Column("subject_type", String(32), nullable=False),
        Column("subject_id", Text, nullable=False),
        Column("order_id", Text, nullable=True),
        Column("signed_at", String(32), nullable=False),
        Column("verified", Boolean, nullable=False),
        Column("why", Text, nullable=True),
        Column("checked_at", String(32), nullable=False),
        Index("ix_signature_check_signature", "signature_id"),
    )
    Table(
        "admin_token",
        v4,
        Column("token_hash", String(64), primary_key=True),
        Column("created_at", String(32), nullable=False),
    )
    v4.create_all(conn)


MIGRATIONS: tuple[tuple[int, Migration], ...] = (
    (1, _v1_schema),
    (2, _v2_lift_below_horizon),
    (3, _v3_assets),
    (4, _v4_order_state),
)
"""Every step, in order; append new ones, never edit an applied one."""

LATEST = MIGRATIONS[-1][0]


def applied_versions(engine: Engine) -> set[int]:
    """The versions recorded in `schema_migration` (empty for a new database)."""
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, schema_migration.name):
            return set()
        return set(conn.scalars(select(schema_migration.c.version)))


def migrate(engine: Engine) -> list[int]:
    """Apply the missing steps in order, one transaction each; the versions it applied.

    Safe to run from two processes at once: each step re-checks its version inside its
    transaction, under a lock (BEGIN IMMEDIATE on SQLite, a table lock on PostgreSQL).
    """
    with engine.begin() as conn:
        schema_migration.create(conn, checkfirst=True)
    applied: list[int] = []
    for version, step in MIGRATIONS:
        with engine.begin() as conn:
            if is_postgresql(engine):
                conn.exec_driver_sql("LOCK TABLE schema_migration IN EXCLUSIVE MODE")
            done = conn.scalar(
                select(schema_migration.c.version).where(schema_migration.c.version == version)
            )
            if done is not None:
                continue
            step(conn)
            conn.execute(
                insert(schema_migration).values(version=version, applied_at=iso(utc_now()))
            )
            applied.append(version)
    return applied
