"""Shared by the benchmarks: the simulator process, demo station configs, cold starts, figures."""

from __future__ import annotations

import json
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from lineside.domain.context import ContextSource
from lineside.domain.shifts import ShiftSpan, spans_between
from lineside.station.config import StationConfig
from lineside.station.station import context_source

if TYPE_CHECKING:
    from PySide6.QtQuick import QQuickItem, QQuickWindow

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "lineside" / "app" / "demo"
DEMO_SCENARIO = REPO / "lineside" / "simulator" / "scenarios" / "packaging_line.toml"
CHILD = Path(__file__).resolve().parent / "_cold_start_child.py"
NS_PER_MS = 1_000_000


class BenchmarkError(Exception):
    """The benchmark could not measure what it should; the text says why."""


# -- station config ------------------------------------------------------------------------


def write_station_config(
    folder: Path, endpoint: str, interval_ms: int | None = None, *, timezone: str | None = None
) -> Path:
    """The demo station config in `folder`, pointed at `endpoint` (interval and zone optional)."""
    folder.mkdir(parents=True, exist_ok=True)
    for source in DEMO.iterdir():  # reasons.json and whatever else the config refers to
        if source.is_file() and source.name != "station.toml":
            shutil.copy(source, folder / source.name)
    text = (DEMO / "station.toml").read_text(encoding="utf-8")
    rewrites = [(r'(?m)^endpoint = ".*"$', f'endpoint = "{endpoint}"')]
    if interval_ms is not None:
        rewrites.append(
            (r"(?m)^publishing_interval_ms = \d+$", f"publishing_interval_ms = {interval_ms}")
        )
    if timezone is not None:
        rewrites.append((r'(?m)^timezone = ".*"$', f'timezone = "{timezone}"'))
    for pattern, line in rewrites:
        text, count = re.subn(pattern, line, text)
        if count != 1:
            raise BenchmarkError(
                f"{DEMO / 'station.toml'}: expected one line matching {pattern!r} to rewrite; "
                "update write_station_config() to the new layout"
            )
    path = folder / "station.toml"
    path.write_text(text, encoding="utf-8")
    return path


@dataclass(frozen=True)
class KnownSpans(ContextSource):
    """The station's context source with the shift occurrences of a period worked out once.

    `ContextSource.shift` works the calendar out afresh on every call (about 0.5 ms on the
    benchmark machine); this gives the same answer from a list, so a backlog builds in seconds.
    """

    spans: tuple[ShiftSpan, ...] = ()

    def shift(self, at: datetime) -> ShiftSpan | None:
        """The occurrence `at` falls in; of overlapping ones the latest to start (as shift_at)."""
        inside = [s for s in self.spans if s.start <= at < s.end]
        return max(inside, key=lambda s: s.start, default=None)


def known_spans_source(config: StationConfig, start: datetime, end: datetime) -> KnownSpans:
    """The context source the station builds from `config`, for facts from `start` to `end`."""
    source = context_source(config, config.reason_tree, config.local_calendar)
    calendar = source.calendar
    spans = spans_between(calendar, source.tz, start, end) if calendar else []
    own = {f.name: getattr(source, f.name) for f in fields(source)}
    return KnownSpans(**own, spans=tuple(spans))


# -- the simulator process -----------------------------------------------------------------


class SimProcess:
    """`python -m lineside.simulator` as a child process; its stdout is read on a thread."""

    def __init__(self, scenario: Path, stderr_path: Path, *, once: bool, trace: bool) -> None:
        self.command = [
            sys.executable,
            "-m",
            "lineside.simulator",
            "--scenario",
            str(scenario),
            "--port",
            "0",
        ]
        self.command += ["--once"] if once else []
        self.command += ["--trace"] if trace else []
        self.stderr_path = stderr_path
        self.proc: subprocess.Popen[str] | None = None
        self.endpoint = ""
        self.records: list[dict[str, Any]] = []
        self.ended = False
        self._lock = threading.Lock()
        self._ready: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._wake: Callable[[], None] | None = None
        self._stderr: IO[str] | None = None
        self._thread: threading.Thread | None = None

    def start(self, timeout_s: float = 30.0) -> str:
        """Start the simulator and wait for its ready line; returns the endpoint."""
        self._stderr = self.stderr_path.open("w", encoding="utf-8")
        self.proc = subprocess.Popen(
            self.command, stdout=subprocess.PIPE, stderr=self._stderr, text=True, bufsize=1
        )
        self._thread = threading.Thread(target=self._read, name="sim stdout", daemon=True)
        self._thread.start()
        try:
            ready = self._ready.get(timeout=timeout_s)
        except queue.Empty:
            ready = None
        if ready is None or ready.get("event") != "ready":
            raise BenchmarkError(
                f"the simulator did not say it was ready within {timeout_s:g} s:\n"
                + tail(self.stderr_path)
            )
        self.endpoint = str(ready["endpoint"])
        return self.endpoint

    def on_record(self, wake: Callable[[], None] | None) -> None:
        """Call `wake()` (from the reader thread) after each record and at end of output."""
        with self._lock:
            self._wake = wake
        if wake is not None:
            wake()

    def take(self, start: int) -> list[dict[str, Any]]:
        """Trace records from index `start` on."""
        with self._lock:
            return self.records[start:]

    def _read(self) -> None:
        assert self.proc is not None
        assert self.proc.stdout is not None
        first = True
        for line in iter(self.proc.stdout.readline, ""):
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if first:
                first = False
                self._ready.put(record)
                continue
            with self._lock:
                self.records.append(record)
                wake = self._wake
            if wake is not None:
                wake()
        with self._lock:
            self.ended = True
            wake = self._wake
        self._ready.put(None)
        if wake is not None:
            wake()

    def stop(self) -> None:
        """Terminate the simulator by its pid and wait for it (kill if it hangs)."""
        if self.proc is not None:
            stop_process(self.proc)
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._stderr is not None:
            self._stderr.close()


def tail(path: Path, lines: int = 15) -> str:
    """The last lines of a log file, to quote in an error (the work folder is removed)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(text[-lines:])


def stop_process(proc: subprocess.Popen[str], timeout_s: float = 10.0) -> None:
    """SIGTERM to this process only, then wait; SIGKILL if it does not end in time."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def running_sim(
    scenario: Path, stderr_path: Path, *, once: bool, trace: bool
) -> Iterator[SimProcess]:
    """A started simulator that is stopped however the block ends."""
    sim = SimProcess(scenario, stderr_path, once=once, trace=trace)
    try:
        sim.start()
        yield sim
    finally:
        sim.stop()


# -- the screen ------------------------------------------------------------------------------


def find_item(window: QQuickWindow, name: str) -> QQuickItem:
    """A QML item of the window by objectName (walks the visual tree)."""
    todo = [window.contentItem()]
    while todo:
        current = todo.pop()
        if current.objectName() == name:
            return current
        todo.extend(current.childItems())
    raise BenchmarkError(f"no item named {name!r} in the station window; was it renamed?")


def vm_rss_kb() -> int:
    """Resident set size of this process in kB (VmRSS from /proc/self/status)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


# -- cold starts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ColdStart:
    """One terminal start: Popen to first frame, the child's marks, memory, how it ended."""

    ms: float
    rss_kb: int
    exit_code: int
    marks_ms: dict[str, float] = field(default_factory=dict)
    """The child's `<name>_ns` marks as ms after Popen (see `_cold_start_child.py`)."""


def cold_start_once(config: Path, work: Path, index: int, timeout_s: float = 60) -> ColdStart:
    """Start a terminal process, read its first-frame line, let it shut down by itself."""
    err_path = work / f"cold-{index}.err"
    lines: queue.Queue[str | None] = queue.Queue()
    with err_path.open("w", encoding="utf-8") as err:
        started = time.monotonic_ns()
        proc = subprocess.Popen(
            [sys.executable, str(CHILD), str(config)],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            bufsize=1,
        )
        try:
            assert proc.stdout is not None
            stdout = proc.stdout

            def read() -> None:
                for line in iter(stdout.readline, ""):
                    lines.put(line)
                lines.put(None)

            reader = threading.Thread(target=read, name="child stdout", daemon=True)
            reader.start()
            record: dict[str, Any] | None = None
            deadline = time.monotonic() + timeout_s
            while record is None:
                try:
                    line = lines.get(timeout=max(deadline - time.monotonic(), 0.01))
                except queue.Empty:
                    break
                if line is None:
                    break
                try:
                    candidate = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if candidate.get("event") == "first_frame":
                    record = candidate
            if record is None:
                raise BenchmarkError(f"cold start {index}: no first frame:\n{tail(err_path)}")
            try:
                exit_code = proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                exit_code = -999  # did not shut down by itself; stopped below
            reader.join(timeout=10)
        finally:
            stop_process(proc)
    marks = {
        key.removesuffix("_ns"): (int(value) - started) / NS_PER_MS
        for key, value in record.get("marks", {}).items()
    }
    return ColdStart(
        ms=(int(record["mono_ns"]) - started) / NS_PER_MS,
        rss_kb=int(record["rss_kb"]),
        exit_code=exit_code,
        marks_ms=marks,
    )


# -- figures -------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linear between closest ranks (numpy's default)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def spread(values: Sequence[float]) -> str:
    """min / p50 / p95 / p99 / max of a list of ms values."""
    if not values:
        return "no samples"
    return (
        f"min {min(values):5.1f}  p50 {percentile(values, 50):6.1f}  "
        f"p95 {percentile(values, 95):6.1f}  p99 {percentile(values, 99):6.1f}  "
        f"max {max(values):6.1f} ms"
    )
