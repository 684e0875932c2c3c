"""Migrations: an empty database reaches the latest schema, and running again changes nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, UniqueConstraint, inspect, select

from lineside.server.db import make_engine, metadata, schema_migration, server_meta
from lineside.server.migrations import MIGRATIONS, applied_versions, migrate


def shape(engine: Engine) -> dict[str, Any]:
    """Tables as the database reports them: columns (name, nullable), keys, uniques, indexes."""
    found = inspect(engine)
    tables = {}
    for table in found.get_table_names():
        indexes = found.get_indexes(table)
        tables[table] = {
            "columns": sorted((c["name"], c["nullable"]) for c in found.get_columns(table)),
            "primary_key": sorted(found.get_pk_constraint(table)["constrained_columns"]),
            # PostgreSQL lists a unique constraint as a unique index too; SQLite does not.
            "unique": sorted(
                {tuple(u["column_names"]) for u in found.get_unique_constraints(table)}
                | {tuple(i["column_names"]) for i in indexes if i["unique"]}
            ),
            "indexes": sorted(tuple(i["column_names"]) for i in indexes if not i["unique"]),
        }
    return tables


def declared_shape() -> dict[str, Any]:
    """The same, from the tables the code declares (`db.metadata`)."""
    return {
        table.name: {
            "columns": sorted((c.name, bool(c.nullable)) for c in table.columns),
            "primary_key": sorted(c.name for c in table.primary_key.columns),
            "unique": sorted(
                {
                    tuple(c.name for c in constraint.columns)
                    for constraint in table.constraints
                    if isinstance(constraint, UniqueConstraint)
                }
                | {(c.name,) for c in table.columns if c.unique}
            ),
            "indexes": sorted(
                tuple(c.name for c in index.columns) for index in table.indexes if not index.unique
            ),
        }
        for table in metadata.sorted_tables
    }


def test_an_empty_database_is_migrated_to_the_latest_version(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        assert applied_versions(engine) == set()
        assert migrate(engine) == [version for version, _ in MIGRATIONS]
        assert applied_versions(engine) == {version for version, _ in MIGRATIONS}
        with engine.connect() as conn:
            meta = dict(conn.execute(select(server_meta.c.key, server_meta.c.value)).all())
        assert meta == {"master_revision": "0", "tombstone_horizon": "0"}
    finally:
        engine.dispose()


def test_migrating_twice_changes_nothing(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate(engine)
        before = shape(engine)
        assert migrate(engine) == []
        assert shape(engine) == before
        with engine.connect() as conn:
            assert len(conn.execute(select(schema_migration)).all()) == len(MIGRATIONS)
    finally:
        engine.dispose()


def test_the_migrated_schema_is_the_one_the_code_declares(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate(engine)
        assert shape(engine) == declared_shape()
    finally:
        engine.dispose()
