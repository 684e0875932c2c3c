"""What the reliability tests share: the exactly-once check, and the station as a process.

`assert_exactly_once` is the promise of the sync: every event the station committed is in
the server's `event` table once, at its seq, with its content, and the station knows it.
`StationProcess` runs `python -m tests.reliability.station_proc` and lets a test wait on its
milestone lines and kill it with SIGKILL by its pid, also from another thread (the proxy's).
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from tests.processes import DEADLINE, RecordingProcess
from tests.servers import ROOT

STATION = "L1-FILLER"
Record = dict[str, Any]


def wait_until(condition: Callable[[], object], what: str, timeout: float = DEADLINE) -> None:
    """Poll `condition` until it is true; fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached within {timeout:g} s: {what}")
        time.sleep(0.02)


# -- the invariant ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stored:
    """One event as compared between the station's outbox and the server's tables."""

    event_id: str
    type: str
    occurred_at: datetime
    recorded_by: str | None
    context: Any
    payload: Any
    schema_version: int


@dataclass(frozen=True)
class Delivery:
    """An outbox row's event and what the station knows about its delivery."""

    seq: int
    event: Stored
    delivered_at: str | None
    delivery: str | None
    quarantined: bool


def outbox_deliveries(db: Path) -> list[Delivery]:
    """Every outbox row in seq order (read-only: the station may still be running)."""
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=DEADLINE)
    try:
        rows = conn.execute(
            "SELECT seq, event_id, type, occurred_at, recorded_by, context, payload,"
            " schema_version, delivered_at, delivery, quarantined FROM outbox ORDER BY seq"
        ).fetchall()
    finally:
        conn.close()
    return [
        Delivery(
            seq=row[0],
            event=Stored(
                row[1],
                row[2],
                datetime.fromisoformat(row[3]),
                row[4],
                json.loads(row[5]),
                json.loads(row[6]),
                row[7],
            ),
            delivered_at=row[8],
            delivery=row[9],
            quarantined=bool(row[10]),
        )
        for row in rows
    ]


def server_state(
    database_url: str, station: str = STATION
) -> tuple[list[tuple[int, Stored]], dict[int, str], int]:
    """The station's events on the server (seq order), open rejections {seq: id}, next_seq."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            events = [
                (
                    int(row.seq),
                    Stored(
                        row.event_id,
                        row.type,
                        datetime.fromisoformat(row.occurred_at),
                        row.recorded_by,
                        json.loads(row.context),
                        json.loads(row.payload),
                        row.schema_version,
                    ),
                )
                for row in conn.execute(
                    text(
                        "SELECT seq, event_id, type, occurred_at, recorded_by, context, payload,"
                        " schema_version FROM event WHERE station_id = :s ORDER BY seq, id"
                    ),
                    {"s": station},
                )
            ]
            rejected = {
                int(row.seq): row.event_id
                for row in conn.execute(
                    text(
                        "SELECT seq, event_id FROM rejection"
                        " WHERE station_id = :s AND resolved_at IS NULL"
                    ),
                    {"s": station},
                )
            }
            next_seq = conn.scalar(
                text("SELECT next_seq FROM station WHERE station_id = :s"), {"s": station}
            )
    finally:
        engine.dispose()
    return events, rejected, int(next_seq)


def assert_exactly_once(
    database_url: str,
    station_db_path: Path,
    *,
    station: str = STATION,
    quarantined: Collection[int] = (),
    context: str = "",
) -> list[Delivery]:
    """The server holds exactly the station's outbox events, once each, in seq order.

    Same event ids at the same seqs with the same content; seq 1..N without a gap (the seqs
    in `quarantined` are instead open rejections on the server and held in the station's
    quarantine); every other outbox row is marked delivered. Returns the outbox rows.
    """
    where = f" ({context})" if context else ""
    outbox = outbox_deliveries(station_db_path)
    events, rejected, next_seq = server_state(database_url, station)
    n = len(outbox)
    assert n > 0, f"the station committed nothing{where}"
    assert [row.seq for row in outbox] == list(range(1, n + 1)), f"outbox seq has gaps{where}"
    held = {row.seq for row in outbox if row.quarantined}
    assert held == set(quarantined), f"quarantined at the station: {sorted(held)}{where}"

    seqs = [seq for seq, _ in events]
    twice = sorted({seq for seq in seqs if seqs.count(seq) > 1})
    assert not twice, f"the server holds seqs more than once: {twice}{where}"
    ids = [event.event_id for _, event in events]
    assert len(set(ids)) == len(ids), f"the server holds an event twice{where}"
    expected = {row.seq: row.event for row in outbox if row.seq not in held}
    server = dict(events)
    missing = sorted(expected.keys() - server.keys())
    extra = sorted(server.keys() - expected.keys())
    assert not missing, f"events never reached the server: seqs {missing[:20]}{where}"
    assert not extra, f"the server holds seqs the station did not deliver: {extra[:20]}{where}"
    differ = [seq for seq in expected if expected[seq] != server[seq]]
    assert not differ, (
        f"events differ on the server, e.g. seq {differ[0]}:"
        f" {expected[differ[0]]} != {server[differ[0]]}{where}"
    )
    assert rejected == {row.seq: row.event.event_id for row in outbox if row.seq in held}, (
        f"the server's open rejections {rejected} are not the station's quarantine{where}"
    )
    assert sorted([*server, *rejected]) == list(range(1, n + 1)), f"server seq gaps{where}"
    assert next_seq == n + 1, f"the server expects seq {next_seq}, the station has {n}{where}"
    undelivered = [
        row.seq
        for row in outbox
        if row.seq not in held
        and (row.delivered_at is None or row.delivery not in ("accepted", "duplicate"))
    ]
    assert not undelivered, f"outbox rows not marked delivered: {undelivered[:20]}{where}"
    return outbox


# -- the station process ------------------------------------------------------------------------


def milestones(records: Sequence[Record]) -> int:
    """How many `committed` and `delivered` lines the station has written."""
    return sum(1 for r in records if r.get("event") in ("committed", "delivered"))


def idle(records: Sequence[Record]) -> bool:
    """The station has committed all it was asked to, and its status since its last commit
    says that nothing waits and the server was reached."""
    kinds = [r.get("event") for r in records]
    if "recorded" not in kinds:
        return False
    last_commit = max((i for i, kind in enumerate(kinds) if kind == "committed"), default=-1)
    after = [r for r in records[last_commit + 1 :] if r.get("event") == "delivered"]
    return bool(after) and after[-1]["waiting"] == 0 and after[-1]["online"]


class StationProcess(RecordingProcess):
    """`python -m tests.reliability.station_proc ARGS`, its stdout JSON lines in `records`.

    The proxy's thread may `signal()` it SIGKILL at the moment the server committed a batch.
    """

    name = "the station"

    def __init__(self, args: Sequence[str], env: dict[str, str] | None = None) -> None:
        self.args = list(args)
        super().__init__(
            [sys.executable, "-m", "tests.reliability.station_proc", *self.args], env, cwd=ROOT
        )

    def wait_ready(self, timeout: float = DEADLINE) -> None:
        """Wait for its `ready` line."""
        self.expect(lambda rs: any(r.get("event") == "ready" for r in rs), "ready", timeout)

    def committed(self) -> list[int]:
        """The seqs it reported committed (on disk) so far."""
        with self._changed:
            return [r["seq"] for r in self.records if r.get("event") == "committed"]
