"""A station killed with SIGKILL at any moment loses nothing and delivers nothing twice.

The station is a real process (`tests/reliability/station_proc.py`): it records stops and
syncs them through the fault proxy to a real `lineside server` (SQLite and PostgreSQL). Each
cycle starts it on the same outbox and kills it, by its pid, in one of four ways:

* after a random number of its milestone lines (`committed`, `delivered`);
* at `LINESIDE_CRASH_AT=mid_mark`: inside the transaction that marks a batch delivered;
* at `LINESIDE_CRASH_AT=after_response`: the server's answer read, nothing marked yet;
* from the proxy's `on_committed` hook with DROP_AFTER_COMMIT: the moment the server has
  committed a batch, before the station could hear of it.

After every kill the outbox must pass `PRAGMA integrity_check`, keep its seq gap-free and
hold every event the station reported committed. After the last kill a `--drain-only` run
sends what is left, and the server must hold each event exactly once. `LINESIDE_KILLS`
(kills per database, default 100) scales the run; `LINESIDE_KILL_SEED` repeats one.
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import RunningServer
from tests.integration.conftest import assert_gap_free, integrity_check, read_outbox
from tests.reliability.helpers import (
    STATION,
    StationProcess,
    assert_exactly_once,
    idle,
    milestones,
)
from tests.reliability.proxy import Fault, FaultProxy, Request, Response

KILLS = int(os.environ.get("LINESIDE_KILLS") or 100)
SEED = int(os.environ.get("LINESIDE_KILL_SEED") or random.SystemRandom().randrange(2**32))
CYCLE_S = 3.0
"""A generous bound on one kill cycle (a start is ~0.4 s) for the test's timeout."""
MODES = ("milestone", "milestone", "mid_mark", "after_response", "drop_after_commit")
CYCLE_DEADLINE = 30.0
"""Seconds one station run may take to reach its kill (a loaded 2-core box)."""


class Killer:
    """Kills the current station from the proxy's thread when the server committed a batch."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.station: StationProcess | None = None
        self.kills = 0

    def arm(self, station: StationProcess | None) -> None:
        with self._lock:
            self.station = station

    def on_committed(self, request: Request, response: Response) -> None:
        if request.method != "POST" or response.status != 200:
            return  # not a committed batch: the station hears nothing and retries
        with self._lock:
            if self.station is not None and self.station.signal(signal.SIGKILL):
                self.kills += 1
                self.station = None


def drop_nth_post(n: int) -> Callable[[Request], Fault]:
    """A policy: DROP_AFTER_COMMIT for the n-th POST of events, forward everything else."""
    posted = [0]

    def policy(request: Request) -> Fault:
        if request.method != "POST":
            return Fault.FORWARD
        posted[0] += 1
        return Fault.DROP_AFTER_COMMIT if posted[0] == n else Fault.FORWARD

    return policy


class KillLoop:
    """The cycles of one test: start, kill, check the outbox; then drain and check the server."""

    def __init__(self, tmp_path: Path, server: RunningServer, proxy: FaultProxy) -> None:
        self.db = tmp_path / "station.db"
        self.token_file = tmp_path / "tokens" / f"{STATION}.token"
        self.database_url = server.database_url
        self.proxy = proxy
        self.rng = random.Random(SEED)
        self.killer = Killer()
        proxy.on_committed = self.killer.on_committed
        self.modes: Counter[str] = Counter()
        self.landed: Counter[str] = Counter()
        """Kills that came where the mode aimed (the rest came once the station was idle)."""
        self.committed: list[int] = []
        self.event_ids: list[str] = []
        self.cycle = 0
        self.plan: list[str] = []

    def args(self, *extra: str) -> list[str]:
        return [
            "--db",
            str(self.db),
            "--server",
            self.proxy.url,
            "--station",
            STATION,
            "--token-file",
            str(self.token_file),
            *extra,
        ]

    def where(self) -> str:
        return (
            f"seed {SEED} (LINESIDE_KILL_SEED), cycle {self.cycle}, modes {dict(self.modes)},"
            f" landed {dict(self.landed)}"
        )

    def next_mode(self) -> str:
        """The modes in turn, in a random order within each round (each gets its share)."""
        if not self.plan:
            self.plan = list(MODES)
            self.rng.shuffle(self.plan)
        return self.plan.pop()

    def run_cycle(self) -> None:
        mode = self.next_mode()
        self.modes[mode] += 1
        env: dict[str, str] = {}
        if mode in ("mid_mark", "after_response"):
            env = {"LINESIDE_CRASH_AT": mode, "LINESIDE_CRASH_AFTER": str(self.rng.randint(1, 2))}
        self.proxy.set_faults(
            policy=drop_nth_post(self.rng.randint(1, 2)) if mode == "drop_after_commit" else None
        )
        count = self.rng.randint(4, 10)
        interval = self.rng.choice(("5", "10", "15"))
        station = StationProcess(
            self.args("--record", str(count), "--record-interval-ms", interval), env
        )
        try:
            station.wait_ready()
            if mode == "drop_after_commit":
                self.killer.arm(station)
            if mode == "milestone":
                k = self.rng.randint(1, 2 * count)
                aimed = station.wait(
                    lambda rs: milestones(rs) >= k or idle(rs), f"{k} milestones", CYCLE_DEADLINE
                )
                landed = aimed and milestones(station.records) >= k
            else:  # the station dies on its own (crash point, hook) or goes idle
                landed = not station.wait(idle, "idle", CYCLE_DEADLINE)
            self.killer.arm(None)
            code = station.kill()
        except BaseException:
            self.killer.arm(None)
            station.reap(0)
            raise
        assert code == -signal.SIGKILL, f"the station exited with {code}: {station.describe()}"
        if landed:
            self.landed[mode] += 1
        self.committed += station.committed()
        self.check_outbox()

    def check_outbox(self) -> None:
        assert integrity_check(self.db) == ["ok"]
        rows = read_outbox(self.db)
        assert_gap_free(rows)
        ids = [row.event_id for row in rows]
        assert ids[: len(self.event_ids)] == self.event_ids, "committed rows changed or vanished"
        self.event_ids = ids
        assert set(self.committed) <= {row.seq for row in rows}, "a committed event was lost"

    def drain(self) -> None:
        """A last run that only sends, until nothing waits; it stops by itself."""
        self.proxy.set_faults()
        station = StationProcess(self.args("--drain-only"))
        try:
            station.expect(
                lambda rs: any(r.get("event") == "stopped" for r in rs), "drained", CYCLE_DEADLINE
            )
        finally:
            code = station.reap()
        assert code == 0, station.describe()


@pytest.mark.slow
@pytest.mark.timeout(120 + int(CYCLE_S * KILLS))
def test_sigkill_at_random_moments_loses_nothing_and_duplicates_nothing(
    tmp_path: Path, server: RunningServer, proxy: FaultProxy, database_url: str
) -> None:
    loop = KillLoop(tmp_path, server, proxy)
    began = time.monotonic()
    try:
        for cycle in range(1, KILLS + 1):
            loop.cycle = cycle
            loop.run_cycle()
        loop.drain()
        loop.check_outbox()
        outbox = assert_exactly_once(database_url, loop.db, context=loop.where())
    except AssertionError as exc:
        raise AssertionError(f"{loop.where()}: {exc}") from exc
    took = time.monotonic() - began
    deliveries = Counter(row.delivery for row in outbox)
    print(  # shown with -s / -rP: what the run did
        f"{KILLS} kills in {took:.1f} s on {database_url.split(':', maxsplit=1)[0]}, seed {SEED};"
        f" modes {dict(loop.modes)}, landed {dict(loop.landed)},"
        f" hook kills {loop.killer.kills}; {len(outbox)} events, deliveries {dict(deliveries)}"
    )
    assert sum(loop.modes.values()) == KILLS
    if 4 * len(MODES) <= KILLS:
        # Most kills land where they aimed; some find the station idle, nothing left to send.
        assert all(loop.landed[mode] for mode in MODES), loop.where()
        assert loop.killer.kills == loop.landed["drop_after_commit"], loop.where()
        assert deliveries["duplicate"] > 0, "no kill ever came between commit and mark"
