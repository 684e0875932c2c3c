"""Demo record: the bundled 10-minute scenario played once with nobody at the screen, then checked.

The simulator (`python -m lineside.simulator --scenario packaging_line.toml --once --trace`,
a free loopback port) plays the scenario in real time: it has no time scaling, so a run takes
about 10 minutes. The station is the demo filler (`lineside.app.cli.write_demo_station`, no
server) run headless: `lineside.station.station.Station` on an asyncio loop, with the real OPC
UA link. Badge 1001 signs in (`commands.session.sign_in`) before the station watches the
machine; nobody codes a stop. The run ends once the simulator has traced every Filler state
change of the scenario and the station has closed the last stop.

The record (`Store.events()`, folded by the stops projection) is then checked:
* shares of stop seconds: planned, coded by the PLC-reason rule, micro-stops, coded by a
  person, uncoded, state unknown (they add up to 100 %);
* coverage: the union of the stops against the Filler's non-producing time in the simulator's
  trace (PLC timestamps), from the station's first connection to the last traced change:
  covered must be 100 %, overlap between stops 0 s, stop time the simulator calls producing 0 s
  (state-unknown time excepted, reported on its own);
* stops as long as the micro-stop threshold or longer that a rule coded as micro-stops (0);
* events whose context lacks shift or person while someone was signed in (0).

Usage: .venv/bin/python benchmarks/demo_record.py [--keep DIR]
       .venv/bin/python benchmarks/demo_record.py --db station.db [--trace trace.jsonl]
`--keep` saves the run's station.db and trace.jsonl; `--db` checks an existing record (with
`--trace`, the simulator's records of that run, also its coverage). The last line of stdout is
one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from lineside.app.cli import write_demo_station
from lineside.domain.events import Event
from lineside.domain.machine_state import PackMLState, StopCategory
from lineside.domain.projections import Session
from lineside.domain.stops import StopRecord, fold
from lineside.offline.store import Store
from lineside.simulator.scenario import BUNDLED_SCENARIO, StateStep, load_scenario, timeline
from lineside.station.commands.session import sign_in
from lineside.station.config import load_station_config
from lineside.station.station import Station

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BenchmarkError, SimProcess, tail

MACHINE = "Filler"
BADGE = "1001"
EXECUTE = int(PackMLState.EXECUTE)
SETTLE_S = 30.0
"""How long after the simulator's last traced change the station may take to close its stop."""
DEMO_THRESHOLD = timedelta(seconds=30)
_EVER = datetime.min.replace(tzinfo=UTC)

Interval = tuple[datetime, datetime]


# -- playing the scenario -------------------------------------------------------------------------


def expected_changes(scenario_path: Path) -> int:
    """How many Filler state changes the simulator traces in one pass of the scenario."""
    state, changes = EXECUTE, 0
    for step in timeline(load_scenario(scenario_path)):
        if isinstance(step, StateStep) and step.machine == MACHINE and int(step.state) != state:
            state = int(step.state)
            changes += 1
    return changes


async def play(config_path: Path, sim: SimProcess, changes: int, length_s: float) -> None:
    """Run the station until the simulator traced `changes` Filler changes and the stop closed."""
    config = load_station_config(config_path)
    station = Station(config)
    await station.open()
    person = config.people_list.by_badge(BADGE)
    if person is None:
        raise BenchmarkError(f"the demo people have no badge {BADGE}")
    await sign_in(station.ledger, person)
    await station.watch()
    loop = asyncio.get_running_loop()
    traced, closed = asyncio.Event(), asyncio.Event()

    def on_record() -> None:  # on the simulator's reader thread
        if sim.ended or len(filler_states(sim.take(0))) >= changes:
            loop.call_soon_threadsafe(traced.set)

    def on_change(_touched: set[str]) -> None:
        if station.ledger.open_stop is None:
            closed.set()

    sim.on_record(on_record)
    try:
        await asyncio.wait_for(traced.wait(), length_s + 120)
        if sim.ended:
            raise BenchmarkError(f"the simulator ended early:\n{tail(sim.stderr_path)}")
        closed.clear()
        station.ledger.subscribe(on_change)
        on_change(set())
        await asyncio.wait_for(closed.wait(), SETTLE_S)
    except TimeoutError:
        seen = len(filler_states(sim.take(0)))
        raise BenchmarkError(
            f"not done in time: {seen} of {changes} Filler changes traced, "
            f"open stop {station.ledger.open_stop}"
        ) from None
    finally:
        sim.on_record(None)
        await station.stop_watching()
        await station.close()


def filler_states(records: Iterable[dict[str, Any]]) -> list[tuple[datetime, int]]:
    """The Filler's traced state writes: (PLC source timestamp, PackML state)."""
    return [
        (datetime.fromisoformat(str(r["at"])), int(r["state"]))
        for r in records
        if r.get("event") == "state" and r.get("machine") == MACHINE
    ]


# -- checking the record --------------------------------------------------------------------------


def union(intervals: Iterable[Interval]) -> list[Interval]:
    """Merged, sorted intervals."""
    merged: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def length(intervals: Iterable[Interval]) -> float:
    """Seconds covered by (already merged) intervals."""
    return sum((end - start).total_seconds() for start, end in intervals)


def intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """The intersection of two merged interval lists."""
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def clip(intervals: Iterable[Interval], window: Interval) -> list[Interval]:
    """Intervals cut to a window."""
    return union((max(s, window[0]), min(e, window[1])) for s, e in intervals)


def complement(intervals: Sequence[Interval], window: Interval) -> list[Interval]:
    """The parts of a window that merged intervals leave free."""
    out, at = [], window[0]
    for start, end in intervals:
        if start > at:
            out.append((at, start))
        at = max(at, end)
    if at < window[1]:
        out.append((at, window[1]))
    return out


def kind_of(stop: StopRecord) -> str:
    """Which share a stop's seconds count in."""
    if stop.category is StopCategory.UNKNOWN:
        return "unknown"
    if stop.category is StopCategory.PLANNED:
        return "planned"
    if not stop.coded:
        return "uncoded"
    if stop.automatic and stop.rule in ("plc_reason", "micro_stop"):
        return str(stop.rule)
    return "person" if not stop.automatic else f"rule {stop.rule}"


@dataclass
class Checked:
    """The figures of one record."""

    figures: dict[str, Any]
    stops: list[StopRecord]


def context_gaps(events: Sequence[Event]) -> tuple[int, int, int]:
    """Events recorded while someone was signed in: (with one, lacking shift or person, other)."""
    session = Session()
    signed, lacking, other = 0, 0, 0
    for event in events:
        if event.type == "person.signed_in":
            session = session.apply(event)
        if session.person_id is not None:
            signed += 1
            context = event.context
            if context.shift is None or context.person is None:
                lacking += 1
            elif context.person != session.person_id:
                other += 1
        if event.type == "person.signed_out":
            session = session.apply(event)
    return signed, lacking, other


def check(events: list[Event], trace: list[dict[str, Any]] | None, threshold: timedelta) -> Checked:
    """The shares, coverage and rule checks of a record (coverage only with a trace)."""
    book = fold(events, lambda _at: _EVER)
    stops = sorted(book.stops.values(), key=lambda s: s.started_at)
    last_at = max((e.occurred_at for e in events), default=_EVER)
    end = last_at
    states = filler_states(trace or [])
    if states:
        end = max(end, states[-1][0])
    seconds: Counter[str] = Counter()
    for stop in stops:
        seconds[kind_of(stop)] += stop.duration(end).total_seconds()
    total = sum(seconds.values())
    share = {
        k: round(100 * seconds[k] / total, 1) if total else 0.0
        for k in ("planned", "plc_reason", "micro_stop", "person", "uncoded", "unknown")
    }
    other_rules = {k: v for k, v in seconds.items() if k.startswith("rule ")}
    long_micro = sum(
        1
        for s in stops
        if s.rule == "micro_stop" and s.ended_at and s.duration(s.ended_at) >= threshold
    )
    long_plc = sum(
        1
        for s in stops
        if s.rule == "plc_reason" and s.ended_at and s.duration(s.ended_at) >= threshold
    )
    intervals = [(s.started_at, s.ended_at or end) for s in stops]
    merged = union(intervals)
    overlap_s = sum((e - s).total_seconds() for s, e in intervals) - length(merged)
    signed, lacking, other_person = context_gaps(events)
    figures: dict[str, Any] = {
        "events": len(events),
        "kinds": dict(sorted(Counter(e.type for e in events).items())),
        "stops": len(stops),
        "stop_seconds": round(total, 1),
        "share_pct": share,
        "other_rules_s": other_rules,
        "overlap_s": round(overlap_s, 3),
        "long_stops_coded_micro": long_micro,
        "long_stops_coded_plc_reason": long_plc,
        "events_while_signed_in": signed,
        "events_lacking_shift_or_person": lacking,
        "events_of_another_person": other_person,
    }
    if states:
        figures |= coverage(events, stops, states, merged)
    ok = (
        long_micro == 0
        and lacking == 0
        and overlap_s < 0.001
        and (not states or figures["covered_pct"] == 100.0)
        and (not states or figures["stopped_while_producing_s"] < 0.001)
    )
    figures["ok"] = ok
    return Checked(figures, stops)


def coverage(
    events: Sequence[Event],
    stops: Sequence[StopRecord],
    states: Sequence[tuple[datetime, int]],
    merged: Sequence[Interval],
) -> dict[str, Any]:
    """The stops against the simulator's non-producing time, in the station's window."""
    connected = [e.occurred_at for e in events if e.type == "machine.connected"]
    if not connected:
        return {"covered_pct": 0.0, "coverage_note": "the station never connected"}
    window = (connected[0], states[-1][0])
    idle = [(at, states[i + 1][0]) for i, (at, state) in enumerate(states[:-1]) if state != EXECUTE]
    idle = clip(idle, window)
    seen = clip(merged, window)
    known = clip(
        (
            (s.started_at, s.ended_at or window[1])
            for s in stops
            if s.category is not StopCategory.UNKNOWN
        ),
        window,
    )
    covered = length(intersect(idle, seen))
    idle_s = length(idle)
    producing = complement(idle, window)
    return {
        "window_s": round((window[1] - window[0]).total_seconds(), 1),
        "simulator_stopped_s": round(idle_s, 3),
        "covered_s": round(covered, 3),
        "covered_pct": round(100 * covered / idle_s, 3) if idle_s else 100.0,
        "stopped_while_producing_s": round(length(intersect(producing, known)), 3),
        "unknown_while_producing_s": round(
            length(intersect(producing, seen)) - length(intersect(producing, known)), 3
        ),
    }


# -- the run ------------------------------------------------------------------------------------


def describe(stop: StopRecord, end: datetime) -> str:
    """One readable line per stop."""
    reason = stop.reason or "-"
    rule = f" ({stop.rule})" if stop.automatic else ""
    gaps = f", {len(stop.gaps)} gap(s) inside" if stop.gaps else ""
    return (
        f"{stop.started_at:%H:%M:%S} {stop.duration(end).total_seconds():6.1f} s "
        f"{stop.category.value:8} {stop.state:10} {reason}{rule}{gaps}"
    )


def read_record(db: Path) -> list[Event]:
    """Every event of a station db, in seq order."""
    if not db.exists():
        raise BenchmarkError(f"{db} does not exist")
    store = Store(db)
    try:
        return store.events()
    finally:
        store.close()


def run_scenario(work: Path) -> tuple[Path, list[dict[str, Any]], float]:
    """Play the scenario once against a headless station; its db, the trace, seconds taken."""
    changes = expected_changes(BUNDLED_SCENARIO)
    length_s = load_scenario(BUNDLED_SCENARIO).length
    sim = SimProcess(BUNDLED_SCENARIO, work / "sim.err", once=True, trace=True)
    t0 = time.monotonic()
    try:
        endpoint = sim.start()
        port = int(endpoint.removeprefix("opc.tcp://127.0.0.1:").partition("/")[0])
        config = write_demo_station(work / "station", port)
        print(f"playing {BUNDLED_SCENARIO.name} ({length_s:.0f} s) on {endpoint}", flush=True)
        asyncio.run(play(config, sim, changes, length_s))
        trace = sim.take(0)
    finally:
        sim.stop()
    db = load_station_config(config).data_dir / "station.db"
    return db, trace, time.monotonic() - t0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--db", type=Path, help="check this station.db instead of playing")
    p.add_argument("--trace", type=Path, help="with --db: the simulator's JSON lines of that run")
    p.add_argument("--keep", type=Path, help="save the run's station.db and trace.jsonl here")
    p.add_argument(
        "--threshold-s",
        type=float,
        default=DEMO_THRESHOLD.total_seconds(),
        help="micro-stop threshold of the record's station (default: the demo's 30)",
    )
    args = p.parse_args(argv)
    if args.trace and not args.db:
        p.error("--trace goes with --db")
    return args


def main(argv: list[str] | None = None) -> int:
    """Play (or take) a record, check it, end with one JSON line."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("asyncua").setLevel(logging.CRITICAL)
    played_s = None
    try:
        if args.db:
            events = read_record(args.db)
            trace = None
            if args.trace:
                lines = args.trace.read_text(encoding="utf-8").splitlines()
                trace = [json.loads(line) for line in lines if line.strip()]
        else:
            with tempfile.TemporaryDirectory(prefix="lineside-demo-record-") as tmp:
                db, trace, played_s = run_scenario(Path(tmp))
                events = read_record(db)
                if args.keep:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    shutil.copy(db, args.keep / "station.db")
                    text = "".join(json.dumps(r) + "\n" for r in trace)
                    (args.keep / "trace.jsonl").write_text(text, encoding="utf-8")
    except BenchmarkError as exc:
        print(f"demo_record: {exc}", file=sys.stderr)
        return 1
    checked = check(events, trace, timedelta(seconds=args.threshold_s))
    end = max((e.occurred_at for e in events), default=_EVER)
    print(f"Demo record: {len(events)} events, {len(checked.stops)} stops (times UTC)")
    for stop in checked.stops:
        print("  " + describe(stop, end))
    f = checked.figures
    print(f"  shares of stop seconds (%): {json.dumps(f['share_pct'])}")
    if "covered_pct" in f:
        print(
            f"  coverage of the simulator's stopped time: {f['covered_pct']} % "
            f"({f['covered_s']} of {f['simulator_stopped_s']} s), overlap {f['overlap_s']} s, "
            f"stopped while producing {f['stopped_while_producing_s']} s"
        )
    print(
        f"  long stops coded as micro-stops: {f['long_stops_coded_micro']}; events lacking "
        f"shift or person while signed in: {f['events_lacking_shift_or_person']} "
        f"of {f['events_while_signed_in']}; all checks {'passed' if f['ok'] else 'FAILED'}"
    )
    figures = {
        "benchmark": "demo_record",
        "source": str(args.db) if args.db else BUNDLED_SCENARIO.name,
        "played_s": round(played_s, 1) if played_s is not None else None,
        **f,
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(figures))
    return 0 if f["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
