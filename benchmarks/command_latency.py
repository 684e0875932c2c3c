"""Command latency: an operator's reason tap to the frame that shows the reason in the stop list.

The terminal runs in this process as `lineside hmi` builds it (`Hmi`: ledger, SQLite outbox,
sync engine, real QML offscreen on a qasync loop) with a `SimMachine` (50 ms publishing) and a
real `lineside server` process on loopback (`tests/servers.py`, a new SQLite database per run,
demo plant, the station's token). Badge 1001 signs in. Then, sample after sample, a leaf reason
is tapped in the reason prompt (`ReasonPromptViewModel.choose`, the slot a tap calls; two
reasons in turn) for the machine's open stop: every `--per-stop` taps (10) the machine runs
again and stops anew (Held, first-out 17), so the first tap codes the stop and the others recode
it; between taps the prompt is opened for the stop again (`open_for`, not timed). A sample runs
from the `choose()` call to the first `frameSwapped` of the station window whose
`beforeSynchronizing` found the stop list's newest row showing the new reason
(`time.monotonic_ns()` in the handlers). Its parts: to the commit's `Store.append` call, the
wait on the store thread, the write itself (and whether SQLite checkpointed its WAL in it),
back on the loop, the ledger's announcement (a listener subscribed after the screens') and
the frame.

Conditions: (a) idle, the outbox empty but for the station's own events; (b) while a backlog
of 50,000 events (`drain.py`'s generator, an earlier day) drains to the server: only samples
that end before the sync engine first finds nothing waiting count, and runs with a new backlog
repeat until there are enough; (c) only with `--day-events N`: today's record already holds N
events (`restart.py`'s day, thousands of stops in the list), and no server (nothing is sent).

Usage: .venv/bin/python benchmarks/command_latency.py [--samples 200] [--backlog 50000]
The last line of stdout is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtQuick import QQuickItem

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import NS_PER_MS, BenchmarkError, find_item, percentile, spread
from drain import write_backlog
from restart import build_day, late_zone, write_record

from lineside.app.cli import write_demo_station
from lineside.app.hmi import Hmi, install_translator, tune_interpreter
from lineside.devices.machine import SimMachine
from lineside.domain.events import Event, utc_now
from lineside.station.commands.session import sign_in
from lineside.station.config import load_station_config
from lineside.station.ledger import Ledger
from tests.servers import DEMO_PLANT, ServerProcess, create_token, import_plant

TARGET_P99_MS = 30.0
REASONS = ("MECH.JAM.INFEED", "MECH.CAPPER")
BADGE = "1001"
STATION = "L1-FILLER"
WAIT_S = 30.0
SAMPLE_TIMEOUT_S = 5.0
MAX_ROUNDS = 8
SLOW_WRITE_NS = 20 * NS_PER_MS


@dataclass
class Sample:
    """One tap: its marks (monotonic ns), and whether the backlog was still draining."""

    call_ns: int
    submitted_ns: int = 0
    write_start_ns: int = 0
    write_end_ns: int = 0
    committed_ns: int = 0
    announced_ns: int = 0
    sync_ns: int = 0
    frame_ns: int = 0
    draining: bool = False
    checkpoint: bool = False
    """The append wrote the main database file: SQLite's WAL auto-checkpoint ran in it."""


@dataclass
class Round:
    """One terminal run: its samples, and how the backlog fared meanwhile."""

    samples: list[Sample] = field(default_factory=list)
    drained_after_s: float | None = None
    events_sent: int = 0


def coding(events: Sequence[Event]) -> bool:
    """Whether a commit is the tap's (a reason given or changed)."""
    return any(e.type in ("downtime.coded", "downtime.recoded") for e in events)


def texts(item: QQuickItem) -> list[str]:
    """The `text` of every item under `item` that has one."""
    out, todo = [], [item]
    while todo:
        current = todo.pop()
        value = current.property("text")
        if isinstance(value, str):
            out.append(value)
        todo.extend(current.childItems())
    return out


class Bench:
    """Starts the terminal, makes the stop, and times each reason tap to its frame."""

    def __init__(
        self, config_path: Path, *, samples: int, per_stop: int, backlog: bool, seed: int
    ) -> None:
        self.config_path = config_path
        self.wanted = samples
        self.per_stop = per_stop
        self.backlog = backlog
        self.rng = random.Random(seed)
        self.round = Round()
        self.pending: Sample | None = None
        self.expected = ""
        self.done: asyncio.Future[None] | None = None
        self.drained_ns = 0
        self.started_ns = 0
        self.hmi: Hmi | None = None
        self.row: QQuickItem | None = None

    async def run(self, app: QGuiApplication) -> Round:
        """One terminal run until enough samples or the end of the backlog's drain."""
        wake = QTimer()  # as the product's run(): Python sees signals
        wake.timeout.connect(lambda: None)
        wake.start(200)
        config = load_station_config(self.config_path)
        install_translator(app, config.station.language)
        machine = SimMachine(publishing_interval_ms=50, lost_after_s=0.5)
        machine.set(state_current=6, unit_mode=1, good_count=1000, defective_count=3, speed=600.0)
        hmi = Hmi(config, machine=machine)
        self.hmi = hmi
        self._watch_store(hmi)
        self.started_ns = time.monotonic_ns()
        try:
            await hmi.start(show=True)
            self._watch_writes(hmi)
            gc.freeze()  # as the product's run() does after start-up
            await self._until(lambda: hmi.station_vm and hmi.station_vm.state_kind == "producing")
            person = hmi.ledger.people.by_badge(BADGE)
            if person is None:
                raise BenchmarkError(f"no person with badge {BADGE}")
            await sign_in(hmi.ledger, person)
            window = hmi.window
            assert window is not None
            hmi.ledger.subscribe(self._on_announced)
            window.beforeSynchronizing.connect(self._on_sync)
            window.frameSwapped.connect(self._on_frame)
            await self._sample_all(machine)
        finally:
            wake.stop()
            await hmi.stop()
            gc.unfreeze()
        if self.drained_ns:
            self.round.drained_after_s = (self.drained_ns - self.started_ns) / 1e9
        return self.round

    def _watch_store(self, hmi: Hmi) -> None:
        """Note when each append finishes and when the sync first finds nothing waiting."""
        store = hmi.store
        append, next_batch = store.append, store.next_batch

        def timed_append(*args: Any, **kwargs: Any) -> Any:
            sample = self.pending if coding(args[0]) else None
            if sample is not None and not sample.submitted_ns:
                sample.submitted_ns = time.monotonic_ns()
            future = append(*args, **kwargs)
            if sample is not None and not sample.committed_ns:
                future.add_done_callback(lambda _f: self._committed(sample))
            return future

        async def watched_next_batch(limit: int) -> tuple[list[int], bytes]:
            seqs, body = await next_batch(limit)
            self.round.events_sent += len(seqs)
            if not seqs and not self.drained_ns:
                self.drained_ns = time.monotonic_ns()
            return seqs, body

        store.append = timed_append  # type: ignore[method-assign]
        store.next_batch = watched_next_batch  # type: ignore[method-assign]

    def _watch_writes(self, hmi: Hmi) -> None:
        """On the store thread: when the command's append begins and ends (the queue before it)."""
        inner = hmi.store._store
        assert inner is not None
        append = inner.append

        def timed(*args: Any, **kwargs: Any) -> Any:
            sample = self.pending if coding(args[0]) else None
            mine = sample is not None and sample.submitted_ns and not sample.write_start_ns
            if not mine:
                return append(*args, **kwargs)
            assert sample is not None
            before = inner.path.stat().st_mtime_ns
            sample.write_start_ns = time.monotonic_ns()
            try:
                return append(*args, **kwargs)
            finally:
                sample.write_end_ns = time.monotonic_ns()
                sample.checkpoint = inner.path.stat().st_mtime_ns != before

        inner.append = timed  # type: ignore[method-assign]

    @staticmethod
    def _committed(sample: Sample) -> None:
        if not sample.committed_ns:
            sample.committed_ns = time.monotonic_ns()

    async def _until(self, probe: Callable[[], Any]) -> None:
        deadline = time.monotonic() + WAIT_S
        while not probe():
            if time.monotonic() > deadline:
                raise BenchmarkError(f"not reached within {WAIT_S:g} s: {probe}")
            await asyncio.sleep(0.02)  # waiting for the terminal to get there, not measuring

    async def _new_stop(self, machine: SimMachine) -> str:
        """End the machine's stop, if any, and begin another (Held, first-out 17)."""
        ledger = self._ledger()
        machine.set(state_current=6, stop_reason_id=0, stop_reason_message="")
        await self._until(lambda: ledger.open_stop is None)
        machine.set(state_current=11, stop_reason_id=17, stop_reason_message="Bottle jam")
        await self._until(lambda: ledger.open_stop is not None)
        assert ledger.open_stop is not None
        return ledger.open_stop.stop_id

    def _ledger(self) -> Ledger:
        assert self.hmi is not None
        return self.hmi.ledger

    async def _sample_all(self, machine: SimMachine) -> None:
        hmi = self.hmi
        assert hmi is not None
        assert hmi.prompt_vm is not None
        assert hmi.window is not None
        tree = hmi.ledger.reason_tree
        assert tree is not None
        prompt = hmi.prompt_vm
        loop = asyncio.get_running_loop()
        stop_id = ""
        for i in range(self.wanted):
            if self.backlog and self.drained_ns:
                return
            if i % self.per_stop == 0:
                stop_id = await self._new_stop(machine)
            code = REASONS[i % 2]
            self.expected = tree.label_path(code)
            if not prompt.property("visible"):
                prompt.open_for(stop_id)
                await self._until(lambda: prompt.property("visible"))
            await asyncio.sleep(self.rng.uniform(0.005, 0.04))  # spread taps over the frames
            await self._until(self._find_row)
            sample = Sample(call_ns=time.monotonic_ns())
            self.pending = sample
            self.done = loop.create_future()
            prompt.choose(code)
            try:
                await asyncio.wait_for(self.done, SAMPLE_TIMEOUT_S)
            except TimeoutError:
                raise BenchmarkError(
                    f"sample {i + 1}: {self.expected!r} not on screen within "
                    f"{SAMPLE_TIMEOUT_S:g} s (row shows {texts(self.row)})"
                ) from None
            sample.draining = self.backlog and not self.drained_ns
            self.round.samples.append(sample)
            await hmi.prompt_vm.wait_idle()

    def _find_row(self) -> QQuickItem | None:
        """The newest stop's row of the list, once its delegate exists."""
        assert self.hmi is not None
        assert self.hmi.window is not None
        try:
            self.row = find_item(self.hmi.window, "stopRow0")
        except BenchmarkError:
            self.row = None
        return self.row

    # -- listeners (GUI thread) ----------------------------------------------------------------

    def _on_announced(self, _touched: set[str]) -> None:
        sample = self.pending
        if sample is not None and sample.committed_ns and not sample.announced_ns:
            sample.announced_ns = time.monotonic_ns()

    def _on_sync(self) -> None:
        sample = self.pending
        if sample is None or sample.sync_ns or self.row is None:
            return
        if self.expected in texts(self.row):
            sample.sync_ns = time.monotonic_ns()

    def _on_frame(self) -> None:
        now = time.monotonic_ns()
        sample = self.pending
        if sample is None or not sample.sync_ns:
            return
        sample.frame_ns = now
        self.pending = None
        if self.done is not None and not self.done.done():
            self.done.set_result(None)


# -- conditions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """What the station's record holds before the terminal starts."""

    name: str
    backlog: int = 0
    """Events of an earlier day waiting for the server: samples count only while they drain."""
    day_events: int = 0
    """Events of today before the terminal starts (`restart.py`'s day), so the list is long."""


def one_round(
    app: QGuiApplication, folder: Path, cond: Condition, *, samples: int, per_stop: int, seed: int
) -> Round:
    """A new server and station (its record filled as `cond` says), the terminal, its samples."""
    (folder / "station").mkdir(parents=True)
    server = None
    try:
        if cond.day_events:  # no server: the day's events are not sent meanwhile
            config = write_demo_station(folder / "station", 9)
            # A zone where it is late in the day now, so the day holds its thousands of stops
            # at any hour the benchmark runs (as restart.py does).
            text, zones = re.subn(
                r'(?m)^timezone = ".*"$', f'timezone = "{late_zone(utc_now())}"', config.read_text()
            )
            if zones != 1:
                raise BenchmarkError(f"{config}: no single timezone line to set a late zone in")
            config.write_text(text)
        else:
            database_url = f"sqlite:///{folder / 'server.db'}"
            import_plant(database_url, DEMO_PLANT)
            create_token(database_url, STATION, folder / "station" / "station.token")
            server = ServerProcess(database_url)
            config = write_demo_station(folder / "station", 9, server.wait_ready())
        db = load_station_config(config).data_dir / "station.db"
        if cond.day_events:
            day = build_day(load_station_config(config), cond.day_events, seed, utc_now())
            write_record(db, day)
        if cond.backlog:
            write_backlog(db, cond.backlog, 8.0, seed)
        gc.collect()
        bench = Bench(
            config, samples=samples, per_stop=per_stop, backlog=cond.backlog > 0, seed=seed
        )
        result: Round = qasync.run(bench.run(app))
    finally:
        if server is not None:
            server.terminate()
    return result


def measure(
    app: QGuiApplication, work: Path, cond: Condition, *, wanted: int, per_stop: int, seed: int
) -> tuple[list[Sample], list[Round]]:
    """Rounds until `wanted` samples (with a backlog: taken while it drains)."""
    counted: list[Sample] = []
    rounds: list[Round] = []
    while len(counted) < wanted:
        if len(rounds) == MAX_ROUNDS:
            raise BenchmarkError(f"{cond.name}: {len(counted)} samples after {MAX_ROUNDS} runs")
        result = one_round(
            app,
            work / f"{cond.name}-{len(rounds) + 1}",
            cond,
            samples=wanted - len(counted),
            per_stop=per_stop,
            seed=seed + len(rounds),
        )
        rounds.append(result)
        counted += [s for s in result.samples if s.draining or not cond.backlog]
        drained = result.drained_after_s
        print(
            f"{cond.name} run {len(rounds)}: {len(result.samples)} samples, {len(counted)} counted"
            + (f"; backlog drained after {drained:.1f} s" if cond.backlog and drained else ""),
            flush=True,
        )
    return counted, rounds


def ms(ns: int) -> float:
    return ns / NS_PER_MS


def figures(samples: list[Sample]) -> dict[str, Any]:
    """p50 / p99 / max of the total and of its parts."""
    total = [ms(s.frame_ns - s.call_ns) for s in samples]
    written = [s for s in samples if s.write_end_ns and s.committed_ns]
    parts = {
        "to_submit": [ms(s.submitted_ns - s.call_ns) for s in written],
        "store_queue": [ms(s.write_start_ns - s.submitted_ns) for s in written],
        "store_write": [ms(s.write_end_ns - s.write_start_ns) for s in written],
        "back_on_loop": [ms(s.committed_ns - s.write_end_ns) for s in written],
        "commit": [ms(s.committed_ns - s.call_ns) for s in samples if s.committed_ns],
        "apply": [
            ms(s.announced_ns - s.committed_ns)
            for s in samples
            if s.announced_ns and s.committed_ns
        ],
        "frame": [ms(s.frame_ns - s.announced_ns) for s in samples if s.announced_ns],
    }

    def r(v: float) -> float:
        return round(v, 1)

    slow = [s for s in written if s.write_end_ns - s.write_start_ns > SLOW_WRITE_NS]
    out = {
        "samples": len(total),
        "slow_writes": len(slow),
        "slow_writes_with_checkpoint": sum(1 for s in slow if s.checkpoint),
        "checkpoints": sum(1 for s in written if s.checkpoint),
        "p50_ms": r(statistics.median(total)),
        "p99_ms": r(percentile(total, 99)),
        "max_ms": r(max(total)),
        "target_met": percentile(total, 99) <= TARGET_P99_MS,
    }
    for name, values in parts.items():
        if values:
            out[f"{name}_p50_ms"] = r(statistics.median(values))
            out[f"{name}_p99_ms"] = r(percentile(values, 99))
    return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--samples", type=int, default=200, help="samples per condition (200)")
    p.add_argument("--backlog", type=int, default=50_000, help="events to drain in (b) (50000)")
    p.add_argument(
        "--per-stop", type=int, default=10, help="taps on one stop before the next (default 10)"
    )
    p.add_argument(
        "--day-events",
        type=int,
        default=0,
        help="also (c): today's record holds this many events first (restart.py's day)",
    )
    p.add_argument("--only", choices=["idle", "drain", "day"], help="one condition only")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    if args.samples < 1 or args.backlog < 1000 or args.per_stop < 1:
        p.error("--samples and --per-stop must be at least 1, --backlog at least 1000")
    return args


def main(argv: list[str] | None = None) -> int:
    """Both conditions, the figures, one JSON line."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("asyncua").setLevel(logging.CRITICAL)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    tune_interpreter()  # as the product's run() does
    app = QGuiApplication([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)
    load_start = os.getloadavg()[0]
    results: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="lineside-command-latency-") as tmp:
            work = Path(tmp)
            conditions = [Condition("idle"), Condition("drain", backlog=args.backlog)]
            if args.day_events:
                conditions.append(Condition("day", day_events=args.day_events))
            for cond in conditions:
                if args.only and args.only != cond.name:
                    continue
                samples, rounds = measure(
                    app, work, cond, wanted=args.samples, per_stop=args.per_stop, seed=args.seed
                )
                results[cond.name] = figures(samples) | {
                    "runs": len(rounds),
                    "samples_after_drain": sum(
                        1 for r in rounds for s in r.samples if cond.backlog and not s.draining
                    ),
                }
                totals = [ms(s.frame_ns - s.call_ns) for s in samples]
                print(f"{cond.name}: call -> frame {spread(totals)}")
    except BenchmarkError as exc:
        print(f"command_latency: {exc}", file=sys.stderr)
        return 1
    ok = all(r["target_met"] for r in results.values())
    for name, r in results.items():
        print(
            f"{name}: p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, max {r['max_ms']} ms "
            f"(target p99 <= {TARGET_P99_MS:g} ms: {'met' if r['target_met'] else 'MISSED'})"
        )
    out = {
        "benchmark": "command_latency",
        "target_p99_ms": TARGET_P99_MS,
        **results,
        "ok": ok,
        "load_avg_1m": {"start": round(load_start, 2), "end": round(os.getloadavg()[0], 2)},
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
