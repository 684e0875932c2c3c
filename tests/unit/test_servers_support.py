"""The test servers themselves: the private PostgreSQL cluster and the database fixtures."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import psycopg
import pytest

from tests.conftest import _databases
from tests.servers import (
    NOT_INSTALLED,
    PostgresCluster,
    _pid_alive,
    postgres_bin_dir,
    run_command,
)


def _gone(pid: int) -> bool:
    return not _pid_alive(pid)


def test_a_cluster_starts_serves_loopback_and_stops_by_its_pid() -> None:
    cluster = PostgresCluster().start()
    try:
        assert cluster.dir is not None
        directory = cluster.dir
        assert cluster.pid > 0
        assert _pid_alive(cluster.pid)
        if os.geteuid() == 0:
            assert directory.stat().st_uid == cluster.data.stat().st_uid != 0
        url = cluster.create_database("unit_lifecycle")
        assert url == f"postgresql+psycopg://postgres@127.0.0.1:{cluster.port}/unit_lifecycle"
        with psycopg.connect(
            host="127.0.0.1", port=cluster.port, user="postgres", dbname="unit_lifecycle"
        ) as conn:
            row = conn.execute(
                "SELECT current_database(), current_setting('listen_addresses'),"
                " current_setting('fsync'), current_setting('unix_socket_directories')"
            ).fetchone()
        assert row == ("unit_lifecycle", "127.0.0.1", "off", str(directory / "socket"))
    finally:
        cluster.stop()
    assert _gone(cluster.pid), f"the postmaster {cluster.pid} is still running"
    assert not directory.exists()


def test_stop_kills_a_postmaster_that_pg_ctl_cannot_stop() -> None:
    cluster = PostgresCluster().start()
    pid, directory = cluster.pid, cluster.dir
    assert directory is not None
    cluster.bin_dir = Path("/nonexistent")  # pg_ctl stop fails: stop() must SIGKILL by pid
    cluster.stop()
    assert _gone(pid)
    assert not directory.exists()


def test_the_highest_installed_version_is_used(tmp_path: Path) -> None:
    for version in ("9.6", "15", "16"):
        (tmp_path / version / "bin").mkdir(parents=True)
        (tmp_path / version / "bin" / "initdb").touch()
    (tmp_path / "17" / "bin").mkdir(parents=True)  # no initdb: not installed
    assert postgres_bin_dir(tmp_path) == tmp_path / "16" / "bin"


def test_a_missing_postgresql_fails_and_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(AssertionError) as failure:
        postgres_bin_dir(tmp_path)
    assert (
        str(failure.value) == NOT_INSTALLED == "PostgreSQL is not installed: run scripts/bootstrap"
    )


def test_database_url_is_empty_and_usable(database_url: str, tmp_path: Path) -> None:
    if database_url.startswith("sqlite"):
        assert database_url == f"sqlite:///{tmp_path}/server.db"
        return
    assert database_url.startswith("postgresql+psycopg://postgres@127.0.0.1:")
    with psycopg.connect(database_url.replace("+psycopg", "", 1)) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    assert tables == (0,)


def test_the_databases_can_be_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LINESIDE_TEST_DATABASES", raising=False)
    assert _databases() == ["sqlite", "postgresql"]
    monkeypatch.setenv("LINESIDE_TEST_DATABASES", " postgresql ")
    assert _databases() == ["postgresql"]
    monkeypatch.setenv("LINESIDE_TEST_DATABASES", "sqlite,mysql")
    with pytest.raises(pytest.UsageError, match="'sqlite,mysql'"):
        _databases()


def test_a_command_past_its_time_is_killed() -> None:
    with pytest.raises(AssertionError, match="did not finish within"):
        run_command([sys.executable, "-c", "import time; time.sleep(60)"], timeout=0.5)


def test_a_failing_command_fails_with_its_output() -> None:
    with pytest.raises(AssertionError, match=r"(?s)exited with 3.*stderr: boom"):
        run_command(
            [sys.executable, "-c", "import sys; print('boom', file=sys.stderr); sys.exit(3)"]
        )
