"""The outbox keeps delivery state: what waits, what the server took, what it rejected."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from lineside.domain.downtime import EndCause
from lineside.domain.events import (
    DowntimeEnded,
    PersonSignedIn,
    make_event,
)
from lineside.domain.master_data import Kind
from lineside.domain.sync import EventBatch, EventResult, EventStatus, MasterDataPage, MasterRecord
from lineside.offline.master_cache import MasterPull
from lineside.offline.store import SCHEMA_VERSION, OutboxFull, Store, StoreError
from tests.unit.offline.fake_server import CONTEXT, T0, deferred


def accepted(store: Store, seqs: list[int], status: EventStatus = EventStatus.ACCEPTED) -> None:
    ids = {e.seq: e.event_id for e in store.events()}
    store.mark_results([EventResult(event_id=ids[s], seq=s, status=status) for s in seqs])


def rejected(store: Store, seqs: list[int], reason: str = "no such stop") -> None:
    ids = {e.seq: e.event_id for e in store.events()}
    store.mark_results(
        [
            EventResult(event_id=ids[s], seq=s, status=EventStatus.REJECTED, reason=reason)
            for s in seqs
        ]
    )


def waiting(store: Store) -> list[int]:
    return store.next_batch(10_000)[0]


def test_a_version_1_station_db_is_upgraded_in_place(tmp_path: Path) -> None:
    db = tmp_path / "station.db"
    conn = sqlite3.connect(db)
    conn.executescript(
        """
        CREATE TABLE [outbox] ([seq] INTEGER PRIMARY KEY, [event_id] TEXT NOT NULL,
          [station_id] TEXT NOT NULL, [type] TEXT NOT NULL, [occurred_at] TEXT NOT NULL,
          [recorded_by] TEXT, [context] TEXT NOT NULL, [payload] TEXT NOT NULL,
          [schema_version] INTEGER, [committed_at] TEXT);
        CREATE UNIQUE INDEX [idx_outbox_event_id] ON [outbox] ([event_id]);
        CREATE INDEX [idx_outbox_occurred_at] ON [outbox] ([occurred_at]);
        CREATE TABLE [station_state] ([key] TEXT PRIMARY KEY, [value] TEXT);
        PRAGMA user_version = 1;
        """
    )
    old = [deferred(1), deferred(2)]
    for seq, e in enumerate(old, start=1):
        conn.execute(
            "INSERT INTO outbox VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                seq,
                e.event_id,
                e.station_id,
                e.type,
                e.occurred_at.isoformat(),
                e.recorded_by,
                e.context.model_dump_json(),
                json.dumps(e.payload),
                1,
                T0.isoformat(),
            ],
        )
    conn.execute("INSERT INTO station_state VALUES ('person', '\"p7\"')")
    conn.commit()
    conn.close()

    store = Store(db)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
    assert [e.event_id for e in store.events()] == [e.event_id for e in old]
    assert store.state() == {"person": "p7"}
    assert waiting(store) == [1, 2]  # an old station has never synced: everything waits
    counts = store.outbox_counts()
    assert (counts.waiting, counts.quarantined, counts.oldest_waiting_at) == (2, 0, T0)
    store.append([deferred(3)])
    rejected(store, [3])
    assert [q.seq for q in store.quarantine()] == [3]
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()
    # Opening again does not migrate twice.
    again = Store(db)
    assert again.count() == 3
    again.close()


def test_a_batch_body_is_the_events_as_the_server_validates_them(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    ended_at = datetime(2026, 11, 22, 6, 1, 2, 120000, tzinfo=UTC)
    events = [
        deferred(1),
        make_event(
            DowntimeEnded(
                stop_id="s1", ended_at=ended_at, cause=EndCause.PRODUCING, duration_s=0.1
            ),
            context=CONTEXT,
            occurred_at=ended_at,
            recorded_by=None,
        ),
        make_event(
            PersonSignedIn(person_id="p7", name='Zoë "Z" Ångström', role="operator"),
            context=CONTEXT,
            occurred_at=T0,
            recorded_by="p7",
        ),
    ]
    committed = store.append(events)
    seqs, body = store.next_batch(2)
    assert seqs == [1, 2]
    batch = EventBatch.model_validate_json(body)
    assert [w.model_dump() for w in batch.events] == [
        e.model_dump(mode="json") for e in committed[:2]
    ]
    seqs, body = store.next_batch(10)
    assert json.loads(body)["events"][2] == committed[2].model_dump(mode="json")
    assert store.next_batch(10)[0] == [1, 2, 3]  # reading does not take anything off
    store.close()


def test_waiting_rows_are_found_through_the_partial_index(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    store.append([deferred(0)])
    with store.db.conn:  # 60,000 copies of it, quicker than through append
        store.db.execute(
            "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)"
            " INSERT INTO outbox (seq, event_id, station_id, type, occurred_at, recorded_by,"
            " context, payload, schema_version, committed_at)"
            " SELECT i, 'e' || i, station_id, type, occurred_at, recorded_by, context, payload,"
            " schema_version, committed_at FROM outbox, n WHERE seq = 1"
        )
        store.db.execute(
            "UPDATE outbox SET delivered_at = 'x', delivery = 'accepted' WHERE seq <= 59000"
        )
    plans = {
        sql: " ".join(row[3] for row in store.db.execute("EXPLAIN QUERY PLAN " + sql, args))
        for sql, args in [
            (
                "SELECT seq FROM outbox WHERE delivered_at IS NULL AND quarantined = 0"
                " ORDER BY seq LIMIT ?",
                [500],
            ),
            (
                "SELECT COUNT(*), MIN(committed_at) FROM outbox"
                " WHERE delivered_at IS NULL AND quarantined = 0",
                [],
            ),
        ]
    }
    assert all("USING COVERING INDEX outbox_waiting" in plan for plan in plans.values()), plans
    start = time.perf_counter()
    seqs, _body = store.next_batch(500)
    counts = store.outbox_counts()
    elapsed = time.perf_counter() - start
    assert seqs == list(range(59_001, 59_501))
    assert counts.waiting == 1000
    assert elapsed < 0.5, f"{elapsed:.3f} s for a batch and the counts"
    store.close()


def test_results_mark_delivered_and_quarantine_rejected(tmp_path: Path) -> None:
    now = [T0]
    store = Store(tmp_path / "s.db", clock=lambda: now[0])
    store.append([deferred(i) for i in range(1, 6)])
    ids = {e.seq: e.event_id for e in store.events()}
    now[0] = T0 + timedelta(minutes=5)
    marked = store.mark_results(
        [
            EventResult(event_id=ids[1], seq=1, status=EventStatus.ACCEPTED),
            EventResult(event_id=ids[2], seq=2, status=EventStatus.DUPLICATE),
            EventResult(event_id=ids[3], seq=3, status=EventStatus.REJECTED, reason="bad lot"),
            EventResult(event_id="someone-else", seq=4, status=EventStatus.ACCEPTED),
        ]
    )
    assert (marked.delivered, marked.quarantined) == (2, 1)
    assert waiting(store) == [4, 5]
    rows = store.db.execute(
        "SELECT seq, delivery, delivered_at FROM outbox ORDER BY seq"
    ).fetchall()
    assert rows[:2] == [(1, "accepted", now[0].isoformat()), (2, "duplicate", now[0].isoformat())]
    (q,) = store.quarantine()
    assert (q.seq, q.event_id, q.reason, q.attempts, q.retrying) == (3, ids[3], "bad lot", 1, False)
    assert q.quarantined_at == now[0]
    counts = store.outbox_counts()
    assert (counts.waiting, counts.quarantined) == (2, 1)
    assert counts.oldest_waiting_at == T0
    assert counts.last_delivered_at == now[0]
    store.close()


def test_a_kill_inside_the_mark_transaction_leaves_all_or_nothing(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store = Store(db)
    store.append([deferred(i) for i in range(1, 7)])
    store.close()
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from lineside.domain.sync import EventResult
        from lineside.offline.store import Store
        store = Store(Path({str(db)!r}))
        events = store.events()
        for chunk in (events[:3], events[3:]):
            store.mark_results(
                [EventResult(event_id=e.event_id, seq=e.seq, status="accepted") for e in chunk]
            )
        """
    )
    env = {**os.environ, "LINESIDE_CRASH_AT": "mid_mark", "LINESIDE_CRASH_AFTER": "2"}
    proc = subprocess.run([sys.executable, "-c", script], env=env, check=False, timeout=60)
    assert proc.returncode == -9
    store = Store(db)
    assert waiting(store) == [4, 5, 6]  # the first mark committed, the killed one not at all
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()


def test_rewind_sends_again_from_the_seq_the_server_expects(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    store.append([deferred(i) for i in range(1, 9)])
    accepted(store, [1, 2, 3, 4, 5, 7, 8])
    rejected(store, [6])
    rewound = store.rewind(4)
    assert (rewound.count, rewound.last_seq) == (5, 8)
    assert waiting(store) == [4, 5, 6, 7, 8]
    (q,) = store.quarantine()
    assert q.retrying  # still listed until the server takes it
    assert store.outbox_counts().quarantined == 0
    assert store.rewind(12) == type(rewound)(0, 8)  # the server is ahead: nothing to resend
    assert waiting(store) == [4, 5, 6, 7, 8]
    store.close()


def test_operator_input_is_refused_past_the_cap_machine_events_never(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db", cap=3)
    store.append([deferred(1), deferred(2)])
    store.append([deferred(3)])
    with pytest.raises(OutboxFull, match="3 events are waiting for the server") as full:
        store.append([deferred(4)], {"person": "p9"})
    assert (full.value.waiting, full.value.cap) == (3, 3)
    assert isinstance(full.value, StoreError)
    assert "person" not in store.state()
    store.append([deferred(5)], operator_input=False)  # a stop is never lost
    assert store.count() == 4
    assert "limit is 3" in store.outbox_counts().input_blocked
    accepted(store, [1, 2, 3])
    store.append([deferred(6)])
    assert store.outbox_counts().input_blocked == ""
    store.close()


def test_the_cap_counts_only_waiting_events(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db", cap=4)
    store.append([deferred(i) for i in range(1, 5)], operator_input=False)
    accepted(store, [2, 3])  # waiting 1 and 4: the span is 4, the count 2
    store.append([deferred(5)])
    store.append([deferred(6)])
    with pytest.raises(OutboxFull):
        store.append([deferred(7)])
    store.close()


def test_a_full_disk_says_so(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    page_count = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {page_count}")
    big = make_event(
        PersonSignedIn(person_id="p", name="x" * 200_000, role="operator"),
        context=CONTEXT,
        occurred_at=T0,
        recorded_by=None,
    )
    with pytest.raises(StoreError, match=r"^the station's disk is full: "):
        store.append([big])
    assert store.outbox_counts().input_blocked.startswith("the station's disk is full")
    store.db.execute("PRAGMA max_page_count = 1073741823")
    store.append([deferred(1)])
    assert store.outbox_counts().input_blocked == ""
    store.close()


def test_a_read_only_record_says_so(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    store.db.execute("PRAGMA query_only = 1")
    with pytest.raises(StoreError, match=r"^the station's record is read-only: "):
        store.append([deferred(1)])
    store.close()


def test_quarantine_is_listed_retried_exported_and_never_deleted(tmp_path: Path) -> None:
    now = [T0]
    store = Store(tmp_path / "s.db", clock=lambda: now[0])
    events = store.append([deferred(1), deferred(2, "bad"), deferred(3, "bad")])
    accepted(store, [1])
    rejected(store, [2, 3], "stop_id: no such stop")
    path = store.export_quarantine(tmp_path / "exports")
    assert path.name == "quarantine-20261122T060000Z.jsonl"
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [line["event"] for line in lines] == [e.model_dump(mode="json") for e in events[1:]]
    assert {line["reason"] for line in lines} == {"stop_id: no such stop"}
    assert store.export_quarantine(tmp_path / "exports").name.endswith("-2.jsonl")

    assert store.retry_quarantined([2, 99]) == 1
    assert waiting(store) == [2]
    assert [(q.seq, q.retrying) for q in store.quarantine()] == [(2, True), (3, False)]
    rejected(store, [2], "still no such stop")
    (again, _) = store.quarantine()
    assert (again.attempts, again.reason, again.retrying) == (2, "still no such stop", False)
    store.retry_quarantined([2])
    accepted(store, [2])
    assert [q.seq for q in store.quarantine()] == [3]
    history = store.db.execute("SELECT seq, attempts, released_at FROM quarantine").fetchall()
    assert history == [(2, 2, T0.isoformat()), (3, 1, None)]
    store.close()


def page(
    records: list[MasterRecord], cursor: int, *, full: bool = False, more: bool = False
) -> MasterDataPage:
    return MasterDataPage(
        cursor=cursor, full=full, more=more, records=tuple(records), server_time=T0
    )


def rec(kind: Kind, key: str, revision: int, **data: object) -> MasterRecord:
    return MasterRecord(kind=kind, key=key, revision=revision, data={"name": key, **data})


def tomb(kind: Kind, key: str, revision: int) -> MasterRecord:
    return MasterRecord(kind=kind, key=key, revision=revision, deleted=True)


def test_master_data_swaps_whole_pulls_and_survives_a_reopen(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store = Store(db)
    assert store.master_state() == (0, None)
    assert store.master_records()[Kind.LOT] == {}

    pull = MasterPull()
    assert not pull.add(
        page([rec(Kind.LOT, "L1", 1), rec(Kind.LOT, "L2", 2)], 2, full=True, more=True)
    )
    assert pull.add(page([rec(Kind.PERSON, "p7", 3), tomb(Kind.LOT, "L2", 4)], 4))
    store.swap_master(pull, T0)
    assert store.master_state() == (4, T0)
    records = store.master_records()
    assert records[Kind.LOT] == {"L1": {"name": "L1"}}
    assert records[Kind.PERSON] == {"p7": {"name": "p7"}}

    incremental = MasterPull()
    assert incremental.add(
        page([rec(Kind.LOT, "L1", 5, status="blocked"), tomb(Kind.PERSON, "p7", 6)], 6)
    )
    store.swap_master(incremental, T0 + timedelta(minutes=5))
    assert store.master_records()[Kind.LOT] == {"L1": {"name": "L1", "status": "blocked"}}
    assert store.master_records()[Kind.PERSON] == {}

    full = MasterPull()
    full.add(page([rec(Kind.ORDER, "4711", 9)], 9, full=True))
    store.swap_master(full, T0 + timedelta(minutes=10))
    store.close()

    reopened = Store(db)
    records = reopened.master_records()
    assert {kind: data for kind, data in records.items() if data} == {
        Kind.ORDER: {"4711": {"name": "4711"}}
    }
    assert reopened.master_state() == (9, T0 + timedelta(minutes=10))
    reopened.close()


def test_a_snapshot_restarted_by_the_server_supersedes_earlier_pages() -> None:
    pull = MasterPull()
    pull.add(page([rec(Kind.LOT, "L1", 1)], 1, more=True))
    pull.add(page([rec(Kind.LOT, "L2", 7)], 7, full=True))
    assert pull.full
    assert [r.key for r in pull.records] == ["L2"]
