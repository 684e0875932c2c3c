"""Every test runs without a display, and none may leave a thread or a process behind.

Servers for tests that need them (tests/servers.py):

* `database_url`: an empty database, once on SQLite and once on PostgreSQL (test ids
  `[sqlite]` / `[postgresql]`); `LINESIDE_TEST_DATABASES=sqlite` (comma list) runs only those.
* `postgres_cluster`: the session's private PostgreSQL cluster, started when a test first
  needs it and stopped when the session ends.
* `lineside_server`: `python -m lineside.server` on `database_url` with the demo plant
  imported; `.url`, `.tokens` ({station: token}), `.database_url`, `.pid`.
* `start_server`: a factory for servers with other plant files, stations or TLS.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from tests.servers import (
    DEMO_PLANT,
    DEMO_STATIONS,
    PostgresCluster,
    ServerProcess,
    prepare_server,
)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

GRACE_S = 5.0


def _children() -> set[int]:
    """Live (non-zombie) child processes of this test process."""
    me, found = os.getpid(), set()
    for name in os.listdir("/proc"):  # a list, not an iterator left open at session end
        if not name.isdigit():
            continue
        stat = Path("/proc", name, "stat")
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == me and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def _threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.is_alive() and not t.daemon}


@pytest.fixture(autouse=True)
def _nothing_left_running() -> Iterator[None]:
    """Fail a test that leaves a non-daemon thread or a child process running."""
    threads, children = _threads(), _children()
    yield
    # Free this test's Qt objects now, on the main thread: left to the cyclic GC they may be
    # collected later on a worker thread, where deleting a QObject with timers crashes Qt.
    gc.collect()
    deadline = time.monotonic() + GRACE_S
    while time.monotonic() < deadline:
        left_threads, left_children = _threads() - threads, _children() - children
        if not left_threads and not left_children:
            return
        time.sleep(0.05)
    assert not left_threads, f"test left threads running: {left_threads}"
    assert not left_children, f"test left processes running: {sorted(left_children)}"


# -- databases and the server -----------------------------------------------------------------

DATABASES = ("sqlite", "postgresql")


def _databases() -> list[str]:
    """The databases to run the database tests on: LINESIDE_TEST_DATABASES, or all."""
    chosen = [
        name.strip()
        for name in os.environ.get("LINESIDE_TEST_DATABASES", ",".join(DATABASES)).split(",")
        if name.strip()
    ]
    unknown = set(chosen) - set(DATABASES)
    if unknown or not chosen:
        raise pytest.UsageError(
            f"LINESIDE_TEST_DATABASES={os.environ.get('LINESIDE_TEST_DATABASES')!r}: "
            f"a comma list of {', '.join(DATABASES)}"
        )
    return chosen


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """The session's private PostgreSQL cluster (127.0.0.1, trust), stopped at the end."""
    cluster = PostgresCluster().start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=_databases())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database for this test: a SQLite file, or a new database in the cluster."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/server.db"
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    url = cluster.new_database(request.node.name)
    yield url
    cluster.drop_database(url.rsplit("/", 1)[1])


class RunningServer:
    """A started `lineside.server` with the tokens of its stations."""

    def __init__(self, process: ServerProcess, tokens: dict[str, str]) -> None:
        self.process = process
        self.tokens = tokens
        self.url = process.url
        self.database_url = process.database_url

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self.process.pid

    def headers(self, station: str) -> dict[str, str]:
        """The Authorization header of this station."""
        return {"Authorization": f"Bearer {self.tokens[station]}"}


StartServer = Callable[..., RunningServer]


@pytest.fixture
def start_server(database_url: str, tmp_path: Path) -> Iterator[StartServer]:
    """Factory: `start_server(plants=(...), stations=(...), certfile=..., keyfile=...)`.

    Imports the plant files (the demo plant by default) into `database_url` once, makes a
    token per station, starts the server and waits until it is ready. Every server it started
    is stopped by its pid after the test and must have exited with 0 on SIGTERM.
    """
    started: list[ServerProcess] = []
    prepared: dict[str, str] = {}

    def start(
        *,
        plants: Sequence[Path] = (DEMO_PLANT,),
        stations: Sequence[str] = DEMO_STATIONS,
        certfile: Path | None = None,
        keyfile: Path | None = None,
    ) -> RunningServer:
        if not prepared:
            prepared.update(prepare_server(database_url, tmp_path, stations, plants=plants))
        process = ServerProcess(database_url, certfile=certfile, keyfile=keyfile)
        started.append(process)
        process.wait_ready()
        return RunningServer(process, dict(prepared))

    yield start
    codes = {}
    for process in reversed(started):
        code = process.terminate()
        if code != 0:
            codes[process.pid] = (code, process.stderr)
    assert not codes, f"servers did not exit with 0 on SIGTERM: {codes}"


@pytest.fixture
def lineside_server(start_server: StartServer) -> RunningServer:
    """The server on `database_url` with the demo plant and a token per demo station."""
    return start_server()
