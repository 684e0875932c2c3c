"""Real servers for tests: a throwaway PostgreSQL cluster and `python -m lineside.server`.

Both listen on 127.0.0.1 only. Every process started here is stopped by its pid: the server
with SIGTERM (SIGKILL if it does not stop in time), the cluster with `pg_ctl stop -m fast`
and then SIGKILL of its postmaster if that is still alive. Nothing here is skipped when
PostgreSQL is missing: the tests fail and say to run scripts/bootstrap.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from tests.processes import DEADLINE, POLL, RecordingProcess

PG_DEADLINE = 60
"""Seconds `pg_ctl` may take to start or stop the cluster."""
ROOT = Path(__file__).resolve().parents[1]
DEMO_PLANT = ROOT / "lineside" / "server" / "demo_plant.json"
DEMO_ASSETS = DEMO_PLANT.parent / "demo_assets"
DEMO_STATIONS = ("L1-FILLER", "L1-LABELER", "L1-CASEPACKER")
NOT_INSTALLED = "PostgreSQL is not installed: run scripts/bootstrap"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists and is not a zombie."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return False
    return fields[0] != "Z"


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while _pid_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(POLL)
    return True


def run_command(args: Sequence[str], *, timeout: float = 60, what: str = "") -> str:
    """Run a command to its end and return its stdout; fail with its output if it fails.

    If it runs past `timeout` it is killed by its pid (and reaped) before the test fails.
    """
    proc = subprocess.Popen(
        list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        raise AssertionError(
            f"{what or args[0]} did not finish within {timeout:g} s: {list(args)}\n"
            f"stdout: {out.decode(errors='replace')}\nstderr: {err.decode(errors='replace')}"
        ) from None
    if proc.returncode != 0:
        raise AssertionError(
            f"{what or args[0]} exited with {proc.returncode}: {list(args)}\n"
            f"stdout: {out.decode(errors='replace')}\nstderr: {err.decode(errors='replace')}"
        )
    return out.decode()


# -- PostgreSQL ---------------------------------------------------------------------------------


def postgres_bin_dir(root: Path = Path("/usr/lib/postgresql")) -> Path:
    """`/usr/lib/postgresql/<highest version>/bin` (Debian's layout); fails if there is none."""
    found = [p.parent for p in root.glob("*/bin/initdb")]
    if not found:
        raise AssertionError(NOT_INSTALLED)

    def version(bin_dir: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", bin_dir.parent.name))

    return max(found, key=version)


def _traversable_by_others(directory: Path) -> bool:
    """Whether every directory from / down to `directory` lets any user pass through."""
    return all(os.stat(part).st_mode & stat.S_IXOTH for part in (directory, *directory.parents))


class PostgresCluster:
    """A private PostgreSQL cluster in a temporary directory, for one test session.

    Trust authentication on loopback only, listening on 127.0.0.1:`port`, its unix socket in
    its own directory, fsync off. Run as root, the data belongs to (and every pg command runs
    as) the `postgres` OS user. `start()` returns once it accepts connections; `stop()` stops
    it by its postmaster's pid and removes the directory.
    """

    def __init__(self) -> None:
        self.bin_dir = postgres_bin_dir()
        self.as_root = os.geteuid() == 0
        self.port = 0
        self.pid = 0
        self.dir: Path | None = None
        self.start_seconds = 0.0
        self._databases = 0

    @property
    def data(self) -> Path:
        """The data directory."""
        assert self.dir is not None, "the cluster has not been started"
        return self.dir / "data"

    @property
    def log(self) -> Path:
        """The server log (pg_ctl -l)."""
        assert self.dir is not None, "the cluster has not been started"
        return self.dir / "postgres.log"

    def _pg(self, tool: str, *args: str, timeout: float = PG_DEADLINE) -> str:
        command = [str(self.bin_dir / tool), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        return run_command(command, timeout=timeout, what=tool)

    def _make_dir(self) -> Path:
        base = Path(tempfile.gettempdir()).resolve()
        if self.as_root and not _traversable_by_others(base):
            base = Path("/tmp")  # noqa: S108 (the postgres user must reach its data directory)
        directory = Path(tempfile.mkdtemp(prefix="lineside-pg-", dir=base))
        if self.as_root:
            shutil.chown(directory, "postgres", "postgres")
        return directory

    def start(self) -> PostgresCluster:
        """initdb, configure and start the cluster; returns once it accepts connections."""
        began = time.monotonic()
        self.dir = self._make_dir()
        sockets = self.dir / "socket"
        self._pg(
            "initdb",
            "--pgdata",
            str(self.data),
            "--username",
            "postgres",
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C",
            "--no-sync",
            "--no-instructions",
        )
        (self.data / "pg_hba.conf").write_text(
            "# lineside tests: trust on loopback only\n"
            "local all all trust\n"
            "host all all 127.0.0.1/32 trust\n"
        )
        last_error: AssertionError | None = None
        for _ in range(3):  # the free port may be taken between probing and listening
            self.port = free_port()
            with (self.data / "postgresql.conf").open("a") as conf:
                conf.write(
                    "\n# lineside tests\n"
                    "listen_addresses = '127.0.0.1'\n"
                    f"port = {self.port}\n"
                    f"unix_socket_directories = '{self.dir / 'socket'}'\n"
                    "fsync = off\n"
                    "synchronous_commit = off\n"
                    "full_page_writes = off\n"
                    "max_connections = 200\n"
                )
            sockets.mkdir(exist_ok=True)
            if self.as_root:
                shutil.chown(sockets, "postgres", "postgres")
            try:
                self._pg(
                    "pg_ctl",
                    "start",
                    "--wait",
                    "--timeout",
                    str(PG_DEADLINE),
                    "--pgdata",
                    str(self.data),
                    "--log",
                    str(self.log),
                    "--silent",
                    timeout=PG_DEADLINE + 10,
                )
            except AssertionError as exc:
                last_error = AssertionError(f"{exc}\nserver log:\n{self._log_text()}")
                self._kill_postmaster()
                continue
            self.pid = self._postmaster_pid()
            self.start_seconds = time.monotonic() - began
            return self
        self._remove_dir()
        assert last_error is not None
        raise last_error

    def _log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def _postmaster_pid(self) -> int:
        try:
            return int((self.data / "postmaster.pid").read_text().splitlines()[0])
        except (OSError, IndexError, ValueError):
            return 0

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of a database of this cluster."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _connect(self) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        )

    def create_database(self, name: str) -> str:
        """Create an empty database `name`; its SQLAlchemy URL."""
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
            raise ValueError(f"not a plain database name: {name!r}")
        with self._connect() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, ending whatever sessions are still connected to it."""
        with self._connect() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def new_database(self, hint: str = "") -> str:
        """A fresh database with a unique name (`hint` makes it readable); its URL."""
        self._databases += 1
        slug = re.sub(r"[^a-z0-9]+", "_", hint.lower()).strip("_")[:40]
        return self.create_database(f"t{self._databases}_{slug}".rstrip("_"))

    def stop(self) -> None:
        """`pg_ctl stop -m fast`, SIGKILL by the postmaster's pid if still alive; rm the dir."""
        if self.dir is None:
            return
        pid = self.pid or self._postmaster_pid()
        try:
            if pid and _pid_alive(pid):
                try:
                    self._pg(
                        "pg_ctl",
                        "stop",
                        "--pgdata",
                        str(self.data),
                        "--mode",
                        "fast",
                        "--wait",
                        "--timeout",
                        str(PG_DEADLINE),
                        timeout=PG_DEADLINE + 10,
                    )
                except AssertionError:
                    self._kill_postmaster(pid)
                else:  # pg_ctl waited for the postmaster to remove its pid file
                    if not _wait_gone(pid, DEADLINE):
                        self._kill_postmaster(pid)
        finally:
            self._remove_dir()

    def _kill_postmaster(self, pid: int = 0) -> None:
        pid = pid or self._postmaster_pid()
        if pid and _pid_alive(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                return
            _wait_gone(pid, DEADLINE)

    def _remove_dir(self) -> None:
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None


# -- the Lineside server ------------------------------------------------------------------------


def server_command(*args: str) -> list[str]:
    """`python -m lineside.server ARGS` with this interpreter."""
    return [sys.executable, "-m", "lineside.server", *args]


class ServerProcess(RecordingProcess):
    """`python -m lineside.server --db URL --host 127.0.0.1 --port PORT ...`, output collected.

    Its stdout JSON lines go to `records`, its stderr to `stderr`, each read by a daemon
    thread. Stop it with `terminate()` (SIGTERM, SIGKILL after `timeout`) or `kill()`.
    """

    name = "the server"

    def __init__(
        self,
        database_url: str,
        *,
        port: int = 0,
        certfile: Path | None = None,
        keyfile: Path | None = None,
        extra_args: Sequence[str] = (),
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        """`cwd` runs the `lineside.server` package found there (e.g. an older revision's)."""
        self.database_url = database_url
        self.port = port or free_port()
        self.tls = certfile is not None
        args = ["--db", database_url, "--host", "127.0.0.1", "--port", str(self.port)]
        if certfile is not None:
            args += ["--certfile", str(certfile)]
        if keyfile is not None:
            args += ["--keyfile", str(keyfile)]
        self.args = [*args, *extra_args]
        self.url = ""
        super().__init__(server_command(*self.args), env, cwd)

    def wait_ready(self, timeout: float = DEADLINE) -> str:
        """Wait for `{"event": "ready", "url": ...}` and check the url; the url."""
        ready = self.wait_record(lambda r: r.get("event") == "ready", timeout=timeout)
        scheme = "https" if self.tls else "http"
        expected = f"{scheme}://127.0.0.1:{self.port}"
        assert ready.get("url") == expected, f"ready line {ready}, expected url {expected}"
        self.url = expected
        return expected


def import_plant(database_url: str, plant: Path, *, prune: bool = False) -> str:
    """`python -m lineside.server import PLANT --db URL [--prune]`; its stdout."""
    args = ["import", str(plant), "--db", database_url, *(["--prune"] if prune else [])]
    # The demo plant's images, which it and the plant files tests derive from it name.
    args += ["--assets", str(DEMO_ASSETS)]
    return run_command(server_command(*args), what="lineside.server import")


def create_token(database_url: str, station_id: str, token_file: Path) -> str:
    """`python -m lineside.server token STATION --db URL --token-file F`; the token."""
    run_command(
        server_command("token", station_id, "--db", database_url, "--token-file", str(token_file)),
        what="lineside.server token",
    )
    token = token_file.read_text(encoding="utf-8").strip()
    assert token, f"the token file {token_file} is empty"
    return token


def prepare_server(
    database_url: str,
    tmp_path: Path,
    stations: Iterable[str] = DEMO_STATIONS,
    *,
    plants: Sequence[Path] = (DEMO_PLANT,),
) -> dict[str, str]:
    """Import the plant files (the demo plant by default) and make a token per station.

    Returns {station_id: token}; the token files are in `tmp_path/tokens`.
    """
    for plant in plants:
        import_plant(database_url, plant)
    tokens_dir = tmp_path / "tokens"
    tokens_dir.mkdir(parents=True, exist_ok=True)
    return {
        station: create_token(database_url, station, tokens_dir / f"{station}.token")
        for station in stations
    }
