"""A child process of a test whose stdout is JSON lines: simulator, server, station.

Its stdout records and its stderr are collected by daemon reader threads; a test waits on its
records and stops it by its pid: SIGTERM first, SIGKILL if it does not stop in time.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

DEADLINE = 15.0
"""Seconds any single wait may take before the test fails (generous for a loaded 2-core box)."""
POLL = 0.02
Record = dict[str, Any]


def stop_by_pid(proc: subprocess.Popen[bytes], timeout: float) -> int:
    """SIGTERM by pid and wait; SIGKILL by pid if it has not exited within `timeout`."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            return proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
    return proc.wait()


def exited(pid: int) -> bool:
    """Whether the process has ended (gone, or a zombie not reaped yet): /proc, no waitpid."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in ("Z", "X")


class RecordingProcess:
    """`argv` started with pipes; `records` are its stdout lines, parsed.

    `signal()` may be called from any thread: it signals by pid only while the process has
    not been reaped (so never a reused pid); `reap()` waits until it has exited and reaps it.
    """

    name = "the process"

    def __init__(
        self, argv: Sequence[str], env: dict[str, str] | None = None, cwd: Path | None = None
    ) -> None:
        self.argv = list(argv)
        self.proc = subprocess.Popen(
            self.argv,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
        )
        self.records: list[Record] = []
        self.ended = False
        """Its stdout has closed: no more records will come."""
        self._stderr: list[bytes] = []
        self._changed = threading.Condition()
        self._reaping = threading.Lock()
        self._readers = [
            threading.Thread(target=self._read_stdout, daemon=True),
            threading.Thread(target=self._read_stderr, daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    @property
    def pid(self) -> int:
        """Its process id."""
        return self.proc.pid

    @property
    def stderr(self) -> str:
        """What it wrote on stderr so far (all of it once it has been reaped)."""
        with self._changed:
            return b"".join(self._stderr).decode(errors="replace")

    def _read_stdout(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            try:
                record = json.loads(line)
            except ValueError:
                record = None
            if not isinstance(record, dict):  # not JSON, or a line cut short by a kill
                record = {"event": "unparsed", "text": line.decode(errors="replace")}
            with self._changed:
                self.records.append(record)
                self._changed.notify_all()
        with self._changed:
            self.ended = True
            self._changed.notify_all()

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for chunk in self.proc.stderr:
            with self._changed:
                self._stderr.append(chunk)

    def describe(self) -> str:
        """Its arguments, exit code, last records and stderr, for a failure message."""
        with self._changed:
            tail = self.records[-8:]
        return (
            f"{self.name} {self.argv[1:]} exit code {self.proc.returncode}; "
            f"last records {tail}; stderr:\n{self.stderr[-3000:]}"
        )

    def find_record(self, match: Callable[[Record], bool], start: int = 0) -> Record | None:
        """The first record from index `start` on that matches, or None."""
        with self._changed:
            return next((r for r in self.records[start:] if match(r)), None)

    def probe(self, match: Callable[[Record], bool], start: int = 0) -> Record | None:
        """`find_record`, failing at once (with its output) if it ended before the record."""
        with self._changed:
            record = self.find_record(match, start)
            ended = self.ended
        if record is None and ended:
            self.reap(DEADLINE)
            raise AssertionError(f"{self.name} ended before the record; {self.describe()}")
        return record

    def wait(self, condition: Callable[[list[Record]], bool], what: str, timeout: float) -> bool:
        """Wait until `condition(records)` holds (True) or its stdout ended first (False)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not condition(self.records):
                if self.ended:
                    return False
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"not reached within {timeout:g} s: {what}; {self.describe()}"
                    )
                self._changed.wait(left)
            return True

    def expect(self, condition: Callable[[list[Record]], bool], what: str, timeout: float) -> None:
        """`wait` for something it must write before it ends."""
        if not self.wait(condition, what, timeout):
            self.reap(DEADLINE)
            raise AssertionError(f"{self.name} ended before {what}; {self.describe()}")

    def wait_record(
        self, match: Callable[[Record], bool], start: int = 0, timeout: float = DEADLINE
    ) -> Record:
        """The first record from index `start` that matches, waiting up to `timeout` s."""
        self.expect(lambda records: any(match(r) for r in records[start:]), "the record", timeout)
        record = self.find_record(match, start)
        assert record is not None
        return record

    def signal(self, sig: int) -> bool:
        """Send `sig` by pid unless it has been reaped (from any thread); whether it was sent."""
        with self._reaping:
            if self.proc.returncode is not None:
                return False
            os.kill(self.proc.pid, sig)
            return True

    def reap(self, timeout: float = DEADLINE) -> int:
        """Wait until it has exited (SIGKILL after `timeout`), reap it; its exit code."""
        deadline = time.monotonic() + timeout
        while not exited(self.proc.pid) and time.monotonic() < deadline:
            time.sleep(0.005)
        with self._reaping:
            if self.proc.returncode is None and not exited(self.proc.pid):
                os.kill(self.proc.pid, signal.SIGKILL)
            code = self.proc.wait()
        for reader in self._readers:
            reader.join(DEADLINE)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
        return code

    def terminate(self, timeout: float = DEADLINE) -> int:
        """SIGTERM by pid, SIGKILL if it has not stopped within `timeout`; its exit code."""
        self.signal(signal.SIGTERM)
        return self.reap(timeout)

    def kill(self) -> int:
        """SIGKILL by pid (a power cut) and reap it; its exit code."""
        self.signal(signal.SIGKILL)
        return self.reap()
