"""A child process of a test whose stdout is JSON lines: the simulator, the server.

Its stdout records and its stderr are collected by daemon reader threads; it is stopped by its
pid: SIGTERM first, SIGKILL if it does not stop in time.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
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


class RecordingProcess:
    """`argv` started with pipes; `records` are its stdout lines, parsed."""

    name = "the process"

    def __init__(self, argv: Sequence[str], env: dict[str, str] | None = None) -> None:
        self.argv = list(argv)
        self.proc = subprocess.Popen(
            self.argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
        )
        self.records: list[Record] = []
        self._stderr: list[bytes] = []
        self._lock = threading.Lock()
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
        """What it wrote on stderr so far (all of it once it has been stopped)."""
        with self._lock:
            return b"".join(self._stderr).decode(errors="replace")

    def _read_stdout(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            try:
                record = json.loads(line)
            except ValueError:
                record = None
            if not isinstance(record, dict):
                record = {"event": "unparsed", "text": line.decode(errors="replace")}
            with self._lock:
                self.records.append(record)

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for chunk in self.proc.stderr:
            with self._lock:
                self._stderr.append(chunk)

    def find_record(self, match: Callable[[Record], bool], start: int = 0) -> Record | None:
        """The first record from index `start` on that matches, or None."""
        with self._lock:
            return next((r for r in self.records[start:] if match(r)), None)

    def probe(self, match: Callable[[Record], bool], start: int = 0) -> Record | None:
        """`find_record`, failing at once (with its output) if it exited before the record."""
        record = self.find_record(match, start)
        if record is None and self.proc.poll() is not None and not self._readers[0].is_alive():
            self._readers[1].join(DEADLINE)
            raise AssertionError(
                f"{self.name} exited with {self.proc.returncode} before the record; "
                f"args {self.argv[1:]}; records {self.records}; stderr:\n{self.stderr}"
            )
        return record

    def wait_record(
        self, match: Callable[[Record], bool], start: int = 0, timeout: float = DEADLINE
    ) -> Record:
        """The first record from index `start` that matches, waiting up to `timeout` s."""
        deadline = time.monotonic() + timeout
        while (record := self.probe(match, start)) is None:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"no such record of {self.name} within {timeout:g} s; "
                    f"records {self.records}; stderr:\n{self.stderr}"
                )
            time.sleep(POLL)
        return record

    def terminate(self, timeout: float = DEADLINE) -> int:
        """Stop it by pid (SIGTERM, then SIGKILL), collect its output; the exit code."""
        code = stop_by_pid(self.proc, timeout)
        self._close()
        return code

    def kill(self) -> int:
        """SIGKILL by pid (a power cut) and reap it; the exit code."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        code = self.proc.wait()
        self._close()
        return code

    def _close(self) -> None:
        for reader in self._readers:
            reader.join(DEADLINE)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
