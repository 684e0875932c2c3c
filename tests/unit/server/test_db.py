"""Database URLs and the SQLite connection settings."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from lineside.domain.sync import EventStatus
from lineside.server.db import DatabaseUrlError, make_engine, resolve_url
from lineside.server.ingest import ingest
from tests.unit.server.support import STATIONS, started


@pytest.mark.parametrize(
    "url", ["postgresql://me@db.plant/lineside", "postgresql+psycopg://me@db.plant/lineside"]
)
def test_postgresql_urls_use_psycopg_3(url: str) -> None:
    assert resolve_url(url).drivername == "postgresql+psycopg"


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "oracle://x/y", "::"])
def test_unusable_urls_are_refused(url: str) -> None:
    with pytest.raises(DatabaseUrlError):
        resolve_url(url)


def test_sqlite_is_durable_and_waits_for_locks(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/new/folder/server.db")
    try:
        with engine.connect() as conn:
            pragmas = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")
            }
        assert pragmas == {
            "journal_mode": "wal",
            "synchronous": 2,
            "busy_timeout": 10000,
            "foreign_keys": 1,
        }
        assert (tmp_path / "new" / "folder" / "server.db").exists()
    finally:
        engine.dispose()


def test_concurrent_batches_wait_for_each_other(engine: Engine, tokens: dict[str, str]) -> None:
    """Writers on SQLite take the lock at BEGIN: none fails with "database is locked"."""

    def deliver(station: str) -> list[EventStatus]:
        seen = []
        for seq in range(1, 21):
            body = json.dumps({"events": [started(seq, station, f"s{seq}")]}).encode()
            seen += [verdict.status for verdict in ingest(engine, station, body).verdicts]
        return seen

    with ThreadPoolExecutor(max_workers=len(STATIONS)) as pool:
        outcomes = list(pool.map(deliver, STATIONS))
    assert outcomes == [[EventStatus.ACCEPTED] * 20] * len(STATIONS)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM event")).scalar() == 20 * len(STATIONS)
