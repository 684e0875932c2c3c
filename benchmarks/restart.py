"""Restart: a terminal with a day's record of 20,000+ events, from process start to first frame.

The record (built before any clock runs, seeded): one plant day of the demo station L1-FILLER
from local midnight to a minute ago, in the mix the ledger writes: stops (`downtime.started`,
sometimes a late `downtime.plc_reason`, `downtime.ended`), their coding (micro-stops and PLC
reasons by rule, the rest by the signed-in operator, some deferred, a few recoded by the team
lead, some left uncoded), a planned stop in every break coded by rule, `count.recorded` at every
stop start and every 60 s of production, sign-out and sign-in at each shift change, and a few
machine disconnects (one with state-unknown time). Each event's context comes from the station's
`ContextSource` (shift from the calendar, the signed-in person). The events are committed through
`Store.append`, 1,000 per transaction, with the station state the ledger leaves (`Ledger._state()`
keys: detector, counter, last_seen, server_started_at) and copied to a new folder per start.

The station's time zone: with `--tz auto` (the default) a fixed-offset zone in which it is now
22:30-23:29, so the record is a whole day (22.5 h or more) whenever the benchmark runs.

Measured:
* restart to first frame: Popen of a `lineside hmi` process (`_cold_start_child.py`, the demo
  scenario playing in a simulator process) to its station window's first `frameSwapped`, with
  the child's marks (Station.open, Ledger.open begin and end, QML load); one start to warm the
  OS file cache, then `--runs`;
* `Ledger.open()` alone, in this process (as `Station.open` calls it), with its parts: reading
  the day (`Store.events`) and folding it (`Projections.apply`), and the stop list's first
  `refresh()` over the restored day and a steady one (it runs every second and on every change).
The restored stop count is checked against the record's. `--profile` adds a pyinstrument
profile of one `Ledger.open()`.

Usage: .venv/bin/python benchmarks/restart.py [--events 20000] [--runs 5] [--tz auto] [--seed 1]
The last line of stdout is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

import qasync
import shiboken6
from PySide6.QtGui import QGuiApplication

from lineside.devices.machine import SimMachine
from lineside.domain.downtime import DowntimeDetector, EndCause, UnknownCause
from lineside.domain.events import (
    CountRecorded,
    DowntimeCoded,
    DowntimeDeferred,
    DowntimeEnded,
    DowntimePlcReason,
    DowntimeRecoded,
    DowntimeStarted,
    Event,
    MachineConnected,
    MachineDisconnected,
    Payload,
    PersonSignedIn,
    PersonSignedOut,
    make_event,
    new_id,
    utc_now,
)
from lineside.domain.machine_state import PRODUCING, StopCategory
from lineside.domain.people import Person, Role
from lineside.domain.projections import Projections, Session
from lineside.domain.shifts import spans_between
from lineside.offline.store import Store
from lineside.station.config import StationConfig, load_station_config
from lineside.station.ledger import COUNTER_KEY, DETECTOR_KEY, LAST_SEEN_KEY, SERVER_START_KEY
from lineside.station.station import Station
from lineside.viewmodels.stop_list import StopListViewModel

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    DEMO_SCENARIO,
    BenchmarkError,
    ColdStart,
    cold_start_once,
    known_spans_source,
    percentile,
    running_sim,
    write_station_config,
)

TARGET_MS = 2000.0
_DAY = timedelta(days=1)
APPEND_CHUNK = 1000
END_MARGIN = timedelta(minutes=1)
"""The record ends this long before the benchmark starts (the terminal was just stopped)."""
MICRO_SHARE = 0.95
MICRO_MEAN_S = 3.0
LONG_MEAN_S = 80.0
"""Stop lengths: micro-stops 0.5 s + this on average, longer ones the threshold + this; both
are shortened when the day so far is too short for its stops to leave half of it producing."""
STOPPED_SHARE_MAX = 0.5
SPEED_PER_S = 10  # the demo filler: 600 bottles a minute
DEFECT_RATE = 0.01
OUTAGES = 4
STATE_STEADY_REFRESHES = 5


# -- the day's record ---------------------------------------------------------------------------


def late_zone(now: datetime) -> str:
    """The fixed-offset zone (`Etc/GMT-14` to `Etc/GMT+12`, or UTC) where `now` is 22:30-23:29.

    Late in the day, so the record is a whole day, yet 30 minutes or more before midnight,
    so the plant day does not change while the benchmark runs.
    """
    hour = 23 if now.minute < 30 else 22
    for offset in sorted(range(-12, 15), key=abs):
        if (now + timedelta(hours=offset)).hour == hour:
            if offset == 0:
                return "UTC"
            return f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"  # POSIX signs: inverted
    raise AssertionError("27 offsets cover every hour")


@dataclass
class Day:
    """A generated plant day: its events in commit order and the state the ledger leaves."""

    events: list[Event]
    state: dict[str, Any]
    day_start: datetime
    end: datetime
    stops: int
    kinds: Counter[str] = field(default_factory=Counter)
    stopped_s: float = 0.0


class _DayBuilder:
    """The facts of one station's day up to `end`, in the order the ledger commits them."""

    def __init__(self, config: StationConfig, end: datetime, seed: int, stops: int) -> None:
        tree = config.reason_tree
        calendar = config.local_calendar
        if tree is None or calendar is None:
            raise BenchmarkError("the demo station config needs its reason tree and shifts")
        self.tree = tree
        self.config = config
        self.tz = config.tz
        self.end = end
        local = end.astimezone(self.tz)
        self.day_start = local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
        self.rng = random.Random(seed)
        self.stops_wanted = stops
        self.leaves = [n.code for n, _ in tree.walk() if n.is_leaf and n.code != "PERF.MICRO"]
        self.plc = dict(config.equipment.plc_reasons)
        people = config.people_list.people
        self.operators = [p for p in people if p.role is Role.OPERATOR]
        self.lead = next(p for p in people if p.role is Role.TEAM_LEAD)
        self.micro_reason = config.equipment.micro_stop_reason or "PERF.MICRO"
        self.threshold = timedelta(seconds=config.equipment.micro_stop_threshold_s)
        self.endpoint = config.opcua.endpoint
        self.projections = Projections(lambda at: at)
        self.events: list[tuple[datetime, int, Event]] = []
        self._stop_id = ""
        self.micro_mean_s, self.long_mean_s = MICRO_MEAN_S, LONG_MEAN_S
        self.person: Person | None = None
        self.last_cut = self.day_start
        self.produced_since_cut = 0.0
        self.good = self.defective = 0
        self.stopped_s = 0.0
        self.last_change = self.day_start
        self.spans = spans_between(calendar, self.tz, self.day_start, end)
        self.source = known_spans_source(config, self.day_start - _DAY, end + _DAY)

    # -- helpers

    def add(self, payload: Payload, at: datetime, by: str | None, *, cut_context: bool = False):
        """One event at `at`; a count belongs to the shift its interval ends in (as the ledger)."""
        when = at - timedelta(milliseconds=1) if cut_context else at
        context = self.source.at(self.projections, when)
        event = make_event(payload, context=context, occurred_at=at, recorded_by=by)
        self.events.append((at, len(self.events), event))

    def reason(self, code: str, at: datetime, by: str | None, rule: str | None = None) -> None:
        tree = self.tree
        payload = DowntimeCoded(
            stop_id=self._stop_id,
            reason=code,
            reason_path=tree.label_path(code),
            tree_id=tree.tree_id,
            tree_version=tree.version,
            automatic=rule is not None,
            rule=rule,
        )
        self.add(payload, at, by)

    def produce_until(self, at: datetime) -> None:
        """Production from the last change to `at`, cut every 60 s as the ledger's tick does."""
        interval = self.config.count_interval
        while self.last_cut + interval <= at:
            self.produced_since_cut += (self.last_cut + interval - self.last_change).total_seconds()
            self.last_change = self.last_cut + interval
            self.cut(self.last_cut + interval)
        self.produced_since_cut += max(0.0, (at - self.last_change).total_seconds())
        self.last_change = at

    def cut(self, at: datetime) -> None:
        units = round(self.produced_since_cut * SPEED_PER_S)
        self.produced_since_cut = 0.0
        started, self.last_cut = self.last_cut, at
        if units <= 0:
            return
        defective = sum(1 for _ in range(units // 50) if self.rng.random() < DEFECT_RATE * 50)
        self.good += units - defective
        self.defective += defective
        payload = CountRecorded(
            started_at=started,
            ended_at=at,
            good=units - defective,
            defective=defective,
            good_counter=self.good,
            defective_counter=self.defective,
        )
        self.add(payload, at, None, cut_context=True)

    def stopped(self, at: datetime, until: datetime) -> None:
        """The machine does not produce from `at` to `until` (no count cut at the end)."""
        self.stopped_s += (until - at).total_seconds()
        self.last_change = until

    # -- what happens in a day

    def sign(self, person: Person, at: datetime) -> None:
        self.cut(at)
        if self.person is not None:
            gone = self.person.person_id
            self.add(PersonSignedOut(person_id=gone), at, gone)
        self.person = person
        self.projections.session = Session(person.person_id, person.name, person.role.value, at)
        signed_in = PersonSignedIn(person_id=person.person_id, name=person.name, role=person.role)
        self.add(signed_in, at, person.person_id)

    def start_stop(
        self, at: datetime, category: StopCategory, state: str, **fields: Any
    ) -> DowntimeStarted:
        self.produce_until(at)
        self.cut(at)
        self._stop_id = new_id()
        payload = DowntimeStarted(
            stop_id=self._stop_id, started_at=at, category=category, state=state, **fields
        )
        self.add(payload, at, None)
        return payload

    def end_stop(self, started: datetime, at: datetime, cause: EndCause = EndCause.PRODUCING):
        self.stopped(started, at)
        duration = (at - started).total_seconds()
        payload = DowntimeEnded(
            stop_id=self._stop_id, ended_at=at, cause=cause, duration_s=duration
        )
        self.add(payload, at, None)

    def brk(self, start: datetime, end: datetime) -> None:
        """A planned stop over the break, coded by the break rule at its start."""
        self.start_stop(start, StopCategory.PLANNED, "Stopped")
        self.reason(self.config.equipment.planned.break_reason or "OPS.BREAK", start, None, "break")
        self.end_stop(start, end)

    def outage(self, at: datetime, with_unknown: bool) -> datetime:
        """The link drops for a while; with `with_unknown` the machine stopped meanwhile."""
        self.produce_until(at)
        self.add(MachineDisconnected(endpoint=self.endpoint, detail="timeout"), at, None)
        back = at + timedelta(seconds=self.rng.uniform(3, 40))
        self.add(MachineConnected(endpoint=self.endpoint), back, None)
        if not with_unknown:
            return back
        self.start_stop(
            at,
            StopCategory.UNKNOWN,
            "State unknown",
            unknown_cause=UnknownCause.CONNECTION_LOST,
        )
        self.end_stop(at, back, EndCause.STATE_KNOWN)
        return back

    def stop(self, at: datetime) -> datetime:
        """One unplanned stop from `at`: started, maybe a late PLC reason, ended, its coding."""
        rng = self.rng
        category = rng.choices(
            [StopCategory.INTERNAL, StopCategory.STARVED, StopCategory.BLOCKED], [75, 13, 12]
        )[0]
        first_out = rng.choice([*self.plc, 99]) if category is StopCategory.INTERNAL else None
        at_start = first_out is not None and rng.random() < 0.85
        suggested = self.plc.get(first_out) if first_out is not None else None
        self.start_stop(
            at,
            category,
            "Held" if category is StopCategory.INTERNAL else "Suspended",
            plc_reason_id=first_out if at_start else None,
            plc_reason_message=f"first-out {first_out}" if at_start else None,
            suggested_reason=suggested if at_start else None,
        )
        if first_out is not None and not at_start:
            late = DowntimePlcReason(
                stop_id=self._stop_id,
                plc_reason_id=first_out,
                plc_reason_message=f"first-out {first_out}",
                suggested_reason=suggested,
            )
            self.add(late, at + timedelta(milliseconds=200), None)
        micro = rng.random() < MICRO_SHARE
        threshold_s = self.threshold.total_seconds()
        if micro:
            seconds = min(0.5 + rng.expovariate(1 / self.micro_mean_s), threshold_s - 0.5)
        else:
            seconds = threshold_s + rng.expovariate(1 / self.long_mean_s)
        end = at + timedelta(seconds=seconds)
        self.end_stop(at, end)
        if micro:
            if suggested:
                self.reason(suggested, end, None, "plc_reason")
            else:
                self.reason(self.micro_reason, end, None, "micro_stop")
            return end
        by = self.person.person_id if self.person else None
        coded_at = end + timedelta(seconds=rng.uniform(2, 20))
        roll = rng.random()
        if roll < 0.06:  # left for later
            self.add(DowntimeDeferred(stop_id=self._stop_id), coded_at, by)
        elif roll < 0.94:
            code = suggested or rng.choice(self.leaves)
            self.reason(code, coded_at, by)
            if rng.random() < 0.03:
                new = rng.choice(self.leaves)
                recoded = DowntimeRecoded(
                    stop_id=self._stop_id,
                    old_reason=code,
                    new_reason=new,
                    new_reason_path=self.tree.label_path(new),
                    tree_id=self.tree.tree_id,
                    tree_version=self.tree.version,
                    why="wrong reason",
                )
                self.add(recoded, coded_at + timedelta(seconds=30), self.lead.person_id)
        return end  # else: still uncoded at the end of the day

    def build(self) -> Day:
        rng = self.rng
        first = self.spans[0] if self.spans else None
        # Whoever works the shift the day begins in signed in before midnight.
        night = self.operators[0]
        before = (first.start if first else self.day_start) + timedelta(minutes=2)
        self.person = night
        self.projections.session = Session(night.person_id, night.name, night.role.value, before)
        pre = PersonSignedIn(person_id=night.person_id, name=night.name, role=night.role)
        self.add(pre, min(before, self.day_start - timedelta(minutes=1)), night.person_id)
        agenda: list[tuple[datetime, str, Any]] = []
        for i, span in enumerate(self.spans):
            if self.day_start < span.start < self.end:
                agenda.append((span.start, "shift", self.operators[i % len(self.operators)]))
            agenda += [(b0, "break", b1) for b0, b1, _ in span.breaks if self.day_start <= b0]
        agenda = [a for a in agenda if a[0] < self.end - timedelta(minutes=5)]
        span_s = (self.end - self.day_start).total_seconds()
        for k in range(OUTAGES):
            at = self.day_start + timedelta(seconds=span_s * (k + 0.5) / OUTAGES)
            agenda.append((at, "outage", k == OUTAGES - 1))
        agenda.sort(key=lambda a: a[0])
        breaks_s = sum((a[2] - a[0]).total_seconds() for a in agenda if a[1] == "break")
        n = self.stops_wanted
        budget = STOPPED_SHARE_MAX * (span_s - breaks_s)
        fixed = n * (MICRO_SHARE * 0.5 + (1 - MICRO_SHARE) * self.threshold.total_seconds())
        variable = n * (MICRO_SHARE * MICRO_MEAN_S + (1 - MICRO_SHARE) * LONG_MEAN_S)
        if budget <= fixed:
            raise BenchmarkError(
                f"{n} stops do not fit in a day of {span_s / 3600:.1f} h so far; "
                "run later in the day, give --tz, or ask for fewer --events"
            )
        shorten = min(1.0, (budget - fixed) / variable)
        self.micro_mean_s, self.long_mean_s = MICRO_MEAN_S * shorten, LONG_MEAN_S * shorten
        mean_gap = (span_s - breaks_s - fixed - variable * shorten) / n
        t = self.day_start
        while True:
            nxt = t + timedelta(seconds=rng.expovariate(1 / mean_gap))
            if agenda and agenda[0][0] <= nxt:
                at, kind, arg = agenda.pop(0)
                at = max(at, t)
                if kind == "shift":
                    self.produce_until(at)
                    self.sign(arg, at)
                    t = at
                elif kind == "break":
                    self.brk(at, max(arg, at + timedelta(seconds=1)))
                    t = max(arg, at + timedelta(seconds=1))
                else:
                    t = self.outage(at, with_unknown=arg)
                continue
            if nxt + timedelta(seconds=30 + 4 * self.long_mean_s) >= self.end:
                break
            t = self.stop(nxt)
        self.produce_until(self.end)
        ordered = [e for _, _, e in sorted(self.events, key=lambda x: (x[0], x[1]))]
        kinds = Counter(e.type for e in ordered)
        return Day(
            events=ordered,
            state=self.state(),
            day_start=self.day_start,
            end=self.end,
            stops=kinds["downtime.started"],
            kinds=kinds,
            stopped_s=self.stopped_s,
        )

    def state(self) -> dict[str, Any]:
        """What the ledger's last heartbeat left: producing, seen a moment ago, counts pending."""
        detector = DowntimeDetector(new_id, self.threshold)
        detector.condition = PRODUCING
        detector.last_at = self.last_change_of_state()
        pending = round(self.produced_since_cut * SPEED_PER_S)
        counter = {
            "counters": [self.good + pending, self.defective],
            "deltas": [pending, 0],
            "resets": 0,
            "rollovers": 0,
            "since": self.last_cut.isoformat(),
        }
        return {
            DETECTOR_KEY: detector.to_state(),
            COUNTER_KEY: counter,
            LAST_SEEN_KEY: self.end.isoformat(),
            SERVER_START_KEY: (self.day_start - timedelta(days=3)).isoformat(),
        }

    def last_change_of_state(self) -> datetime:
        ended = [e.occurred_at for _, _, e in self.events if e.type == "downtime.ended"]
        return max(ended, default=self.day_start)


def build_day(config: StationConfig, events: int, seed: int, end: datetime) -> Day:
    """A day of at least `events` events: the number of stops is raised until it is reached."""
    stops = math.ceil(events / 4.1)
    for _ in range(20):
        day = _DayBuilder(config, end, seed, stops).build()
        if len(day.events) >= events:
            return day
        stops = math.ceil(stops * events / len(day.events)) + 5
    raise BenchmarkError(f"could not build a day of {events} events")


def write_record(db: Path, day: Day) -> float:
    """Commit the day through `Store.append` in chunks; seconds it took."""
    t0 = time.perf_counter()
    store = Store(db)
    try:
        chunks = range(0, len(day.events), APPEND_CHUNK)
        for i in chunks:
            last = i + APPEND_CHUNK >= len(day.events)
            state = day.state if last else {}
            store.append(day.events[i : i + APPEND_CHUNK], state, operator_input=False)
    finally:
        store.close()
    for suffix in ("-wal", "-shm"):
        if Path(f"{db}{suffix}").exists():
            raise BenchmarkError(f"{db}{suffix} is left after close; copies would be incomplete")
    return time.perf_counter() - t0


def station_with_record(folder: Path, endpoint: str, zone: str, record: Path) -> Path:
    """A demo station config in `folder` whose data folder holds a copy of the record."""
    config = write_station_config(folder, endpoint, timezone=zone)
    data = load_station_config(config).data_dir
    data.mkdir(parents=True, exist_ok=True)
    shutil.copy(record, data / "station.db")
    return config


# -- Ledger.open in this process ------------------------------------------------------------


@dataclass
class Fold:
    """One `Ledger.open()` in this process, its parts, and the stop list over the result."""

    open_ms: float
    read_ms: float
    apply_ms: float
    stops: int
    applied: int
    list_first_ms: float
    list_steady_ms: float


async def fold_once(config_path: Path, profile: bool) -> tuple[Fold, str]:
    """Open the station's record as `Station.open` does, time the fold and its parts."""
    config = load_station_config(config_path)
    station = Station(config, machine=SimMachine())
    ledger = station.ledger
    await station.store.open()
    text = ""
    stops_vm: StopListViewModel | None = None
    try:
        profiler = None
        if profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005, async_mode="enabled")
            profiler.start()
        t0 = time.perf_counter()
        await ledger.open()
        open_ms = (time.perf_counter() - t0) * 1000
        if profiler is not None:
            profiler.stop()
            text = profiler.output_text(unicode=True, color=False, show_all=False)
        since = ledger.day_start(ledger.clock())
        t0 = time.perf_counter()
        events = await station.store.events(since=since)
        read_ms = (time.perf_counter() - t0) * 1000
        fresh = Projections(ledger.day_start)
        t0 = time.perf_counter()
        for event in events:
            fresh.apply(event)
        apply_ms = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        stops_vm = StopListViewModel(ledger, station.clock)
        list_first_ms = (time.perf_counter() - t0) * 1000
        steady = []
        for _ in range(STATE_STEADY_REFRESHES):
            t0 = time.perf_counter()
            stops_vm.refresh()
            steady.append((time.perf_counter() - t0) * 1000)
        fold = Fold(
            open_ms=open_ms,
            read_ms=read_ms,
            apply_ms=apply_ms,
            stops=len(ledger.stops),
            applied=ledger.projections.applied,
            list_first_ms=list_first_ms,
            list_steady_ms=statistics.median(steady),
        )
    finally:
        await station.close()
        if stops_vm is not None:  # here, on the GUI thread: a GC pass elsewhere would crash
            shiboken6.delete(stops_vm)
    return fold, text


def measure_folds(
    work: Path, zone: str, record: Path, runs: int, profile: bool
) -> tuple[list[Fold], str]:
    """`runs` in-process opens of copies of the record (one more with the profiler)."""
    folds = []
    for i in range(runs):
        config = station_with_record(work / f"fold-{i}", "opc.tcp://127.0.0.1:9/none", zone, record)
        fold, _ = qasync.run(fold_once(config, profile=False))
        folds.append(fold)
    text = ""
    if profile:
        config = station_with_record(work / "fold-profile", "opc.tcp://127.0.0.1:9/x", zone, record)
        _, text = qasync.run(fold_once(config, profile=True))
    return folds, text


# -- restarts of the real process ------------------------------------------------------------


def measure_restarts(work: Path, zone: str, record: Path, runs: int) -> tuple[ColdStart, list]:
    """One warm-up start, then `runs` starts of `lineside hmi` on copies of the record."""
    starts: list[ColdStart] = []
    with running_sim(DEMO_SCENARIO, work / "sim.err", once=False, trace=False) as sim:
        for i in range(runs + 1):
            config = station_with_record(work / f"start-{i}", sim.endpoint, zone, record)
            starts.append(cold_start_once(config, work, i, timeout_s=120))
    return starts[0], starts[1:]


# -- figures -----------------------------------------------------------------------------------


def ms(value: float) -> float:
    return round(value, 1)


def phases(start: ColdStart) -> dict[str, float]:
    """Where one start's time went, from the child's marks (ms)."""
    m = start.marks_ms
    out = {}
    if {"main", "station_open", "ledger_open", "ledger_opened", "view_load"} <= m.keys():
        out = {
            "interpreter": m["main"],
            "imports_app_config": m["station_open"] - m["main"],
            "store_open": m["ledger_open"] - m["station_open"],
            "ledger_open": m["ledger_opened"] - m["ledger_open"],
            "viewmodels": m["view_load"] - m["ledger_opened"],
            "qml_load": m["view_loaded"] - m["view_load"],
            "to_first_frame": start.ms - m["view_loaded"],
        }
    return out


def report(  # noqa: PLR0917 - the parts of one run, reported together
    args: argparse.Namespace,
    zone: str,
    day: Day,
    build_s: float,
    folds: list[Fold],
    warm: ColdStart,
    starts: list[ColdStart],
) -> dict[str, Any]:
    """Print the readable figures; return the JSON figures."""
    totals = [s.ms for s in starts]
    p50, p99 = percentile(totals, 50), percentile(totals, 99)
    split = [phases(s) for s in starts]
    phase_p50 = {k: ms(statistics.median(p[k] for p in split)) for k in split[0]} if split else {}
    opens = [f.open_ms for f in folds]
    local = day.end.astimezone(ZoneInfo(zone))
    span_h = (day.end - day.day_start).total_seconds() / 3600
    restored = folds[0].stops if folds else 0
    met = p99 <= TARGET_MS and all(s.exit_code == 0 for s in starts)
    print("Restart: a day's record, process start -> first frame of the station window")
    print(
        f"  record: {len(day.events)} events, {day.stops} stops over {span_h:.1f} h "
        f"(zone {zone}, until {local:%H:%M} local; stopped {day.stopped_s / span_h / 36:.0f} %), "
        f"built and committed in {build_s:.1f} s"
    )
    print(f"  kinds: {json.dumps(dict(sorted(day.kinds.items())))}")
    print(f"  restored stops {restored} of {day.stops} in the record")
    print(f"  warm-up start: {warm.ms:.0f} ms (not counted)")
    print(
        f"  restart to first frame, {len(starts)} runs: median {p50:.0f} ms, p99 {p99:.0f} ms, "
        f"max {max(totals):.0f} ms ({', '.join(f'{t:.0f}' for t in totals)}); "
        f"exit codes {[s.exit_code for s in starts]}"
    )
    print(f"  median per phase (ms): {json.dumps(phase_p50)}")
    print(
        f"  Ledger.open() alone ({len(folds)} runs): median {statistics.median(opens):.0f} ms, "
        f"max {max(opens):.0f} ms; read the day {statistics.median(f.read_ms for f in folds):.0f}"
        f" ms, fold {statistics.median(f.apply_ms for f in folds):.0f} ms"
    )
    print(
        f"  stop list over the day: first refresh "
        f"{statistics.median(f.list_first_ms for f in folds):.0f} ms, "
        f"steady refresh {statistics.median(f.list_steady_ms for f in folds):.1f} ms"
    )
    print(f"  target p99 <= {TARGET_MS:.0f} ms: {'met' if met else 'MISSED'}")
    return {
        "benchmark": "restart",
        "events": len(day.events),
        "stops_in_record": day.stops,
        "stops_restored": restored,
        "day_hours": round(span_h, 1),
        "zone": zone,
        "runs": len(starts),
        "first_frame_p50_ms": ms(p50),
        "first_frame_p99_ms": ms(p99),
        "first_frame_max_ms": ms(max(totals)),
        "warmup_ms": ms(warm.ms),
        "phases_p50_ms": phase_p50,
        "ledger_open_p50_ms": ms(statistics.median(opens)),
        "ledger_open_p99_ms": ms(percentile(opens, 99)),
        "ledger_open_max_ms": ms(max(opens)),
        "read_day_p50_ms": ms(statistics.median(f.read_ms for f in folds)),
        "fold_day_p50_ms": ms(statistics.median(f.apply_ms for f in folds)),
        "stop_list_first_refresh_ms": ms(statistics.median(f.list_first_ms for f in folds)),
        "stop_list_steady_refresh_ms": ms(statistics.median(f.list_steady_ms for f in folds)),
        "rss_mb_first_frame": ms(statistics.median(s.rss_kb for s in starts) / 1024),
        "target_ms": TARGET_MS,
        "target_met": met,
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "seed": args.seed,
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--events", type=int, default=20_000, help="events of the day (default 20000)")
    p.add_argument("--runs", type=int, default=5, help="timed restarts (default 5)")
    p.add_argument("--folds", type=int, default=5, help="in-process Ledger.open runs (default 5)")
    p.add_argument("--tz", default="auto", help="station time zone (default auto, see above)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--profile", action="store_true", help="print a profile of Ledger.open()")
    args = p.parse_args(argv)
    if args.events < 100 or args.runs < 1 or args.folds < 1:
        p.error("--events must be at least 100, --runs and --folds at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    """Build the record, time the restarts and the fold, end with one JSON line."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("asyncua").setLevel(logging.CRITICAL)
    app = QGuiApplication([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)
    zone = late_zone(utc_now()) if args.tz == "auto" else args.tz
    try:
        with tempfile.TemporaryDirectory(prefix="lineside-restart-") as tmp:
            work = Path(tmp)
            config = load_station_config(
                write_station_config(work / "build", "opc.tcp://127.0.0.1:9/x", timezone=zone)
            )
            t0 = time.perf_counter()
            day = build_day(config, args.events, args.seed, utc_now() - END_MARGIN)
            record = work / "record.db"
            write_record(record, day)
            build_s = time.perf_counter() - t0
            # The first open folds the whole day and, at shutdown, saves the projections, as a
            # terminal that ran all day leaves its record; every measured start uses that.
            first = station_with_record(work / "first", "opc.tcp://127.0.0.1:9/none", zone, record)
            full_fold, _ = qasync.run(fold_once(first, profile=False))
            record = load_station_config(first).data_dir / "station.db"
            folds, profile = measure_folds(work, zone, record, args.folds, args.profile)
            warm, starts = measure_restarts(work, zone, record, args.runs)
    except BenchmarkError as exc:
        print(f"restart: {exc}", file=sys.stderr)
        return 1
    if profile:
        print(profile)
    figures = report(args, zone, day, build_s, folds, warm, starts)
    figures["ledger_open_without_snapshot_ms"] = ms(full_fold.open_ms)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
