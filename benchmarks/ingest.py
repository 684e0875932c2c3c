"""Ingest: many stations posting to one `lineside server` at once.

A real server process on loopback (SQLite file, or a private PostgreSQL cluster with
`--db postgresql`) gets a plant of N stations (each with its own token). N station clients,
each an httpx.AsyncClient of its own, post batches of events in seq order as fast as the
server acknowledges them, all at the same time — what happens when a plant's network comes
back and every station drains its backlog. Events are real domain events (downtime and
sign-in facts) built before the clock starts, so the figure is the server's, not the
generator's. The clients run in this process on the same 2-core machine as the server.

Measured: events acknowledged per second (all stations, first request sent to last answer),
and the acknowledgement time of each request (send to answer, including any retry after a
503/429 with Retry-After, as a station would) as p50 / p99. Every event must
come back `accepted`; the run then reads the server's database to check that each station's
events are all there, once, seq gap-free.

Usage: .venv/bin/python benchmarks/ingest.py [--stations 50] [--batches 20] [--batch 100]
       [--db sqlite|postgresql]
The last line of stdout is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lineside.domain.events import (
    DowntimeCoded,
    DowntimeEnded,
    DowntimeStarted,
    EventContext,
    make_event,
    new_id,
)
from lineside.domain.machine_state import StopCategory
from tests.servers import PostgresCluster, ServerProcess, create_token, import_plant

RETRIES: dict[int, int] = {}
"""Answers 503/429 per status (each retried after its Retry-After, as stations do)."""


def plant_file(where: Path, stations: int) -> tuple[Path, list[str]]:
    """A plant with `stations` stations on one line."""
    ids = [f"L9-S{i:03d}" for i in range(1, stations + 1)]
    plant = {
        "station": [
            {"station_id": s, "line": "Line9", "name": f"Station {s}", "timezone": "UTC"}
            for s in ids
        ],
    }
    path = where / "plant.json"
    path.write_text(json.dumps(plant), encoding="utf-8")
    return path, ids


def bodies(station: str, batches: int, batch: int) -> list[bytes]:
    """Request bodies of one station: stops (started, ended, coded), seq 1.. in order."""
    context = EventContext(line="Line9", station=station, equipment="M1", order="4711")
    start = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
    events = []
    seq = 0
    while len(events) < batches * batch:
        stop_id, at = new_id(), start + timedelta(minutes=len(events))
        for payload, _kind in (
            (
                DowntimeStarted(
                    stop_id=stop_id, started_at=at, category=StopCategory.INTERNAL, state="Held"
                ),
                "downtime.started",
            ),
            (
                DowntimeEnded(stop_id=stop_id, ended_at=at, cause="producing", duration_s=30.0),
                "downtime.ended",
            ),
            (
                DowntimeCoded(stop_id=stop_id, reason="MECH.JAM", reason_path="Mech › Jam"),
                "downtime.coded",
            ),
        ):
            seq += 1
            event = make_event(payload, context=context, occurred_at=at, recorded_by=None)
            events.append({**event.model_dump(mode="json"), "seq": seq})
    events = events[: batches * batch]
    return [
        json.dumps({"events": events[i : i + batch]}).encode() for i in range(0, len(events), batch)
    ]


async def station(
    client: httpx.AsyncClient, station_id: str, token: str, payloads: list[bytes]
) -> list[float]:
    """Post every batch in order; the acknowledgement time of each (seconds)."""
    times = []
    headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
    for body in payloads:
        t0 = time.perf_counter()
        while True:  # as a station does: a busy server's 503/429 is retried after Retry-After
            response = await client.post(
                f"/api/v1/stations/{station_id}/events", content=body, headers=headers
            )
            if response.status_code not in (429, 503):
                break
            RETRIES[response.status_code] = RETRIES.get(response.status_code, 0) + 1
            await asyncio.sleep(float(response.headers.get("retry-after", "1")))
        times.append(time.perf_counter() - t0)
        response.raise_for_status()
        results = response.json()["results"]
        bad = [r for r in results if r["status"] != "accepted"]
        if bad:
            raise SystemExit(f"{station_id}: not accepted: {bad[:3]}")
    return times


async def load(url: str, tokens: dict[str, str], payloads: dict[str, list[bytes]]) -> dict:
    clients = {
        s: httpx.AsyncClient(base_url=url, timeout=120) for s in tokens
    }  # one connection per station, like real stations
    try:
        t0 = time.perf_counter()
        per_station = await asyncio.gather(
            *(station(clients[s], s, tokens[s], payloads[s]) for s in tokens)
        )
        wall = time.perf_counter() - t0
    finally:
        await asyncio.gather(*(c.aclose() for c in clients.values()))
    acks = sorted(t for times in per_station for t in times)
    return {"wall_s": wall, "acks": acks}


def check_stored(database_url: str, stations: list[str], expected: int) -> None:
    """Every station's events are all there, once, seq 1..expected."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT station_id, COUNT(*), COUNT(DISTINCT event_id), MIN(seq), MAX(seq)"
                    " FROM event GROUP BY station_id"
                )
            ).all()
    finally:
        engine.dispose()
    found = {r[0]: tuple(r[1:]) for r in rows}
    for s in stations:
        if found.get(s) != (expected, expected, 1, expected):
            raise SystemExit(f"{s}: stored {found.get(s)}, expected {expected} events seq 1..")


def percentile(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=50)
    parser.add_argument("--batches", type=int, default=20, help="requests per station")
    parser.add_argument("--batch", type=int, default=100, help="events per request")
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="lineside-ingest-") as tmp:
        where = Path(tmp)
        cluster = PostgresCluster().start() if args.db == "postgresql" else None
        try:
            url_db = (
                cluster.new_database("ingest") if cluster else f"sqlite:///{where / 'server.db'}"
            )
            plant, ids = plant_file(where, args.stations)
            import_plant(url_db, plant)
            (where / "tokens").mkdir()
            tokens = {s: create_token(url_db, s, where / "tokens" / s) for s in ids}
            payloads = {s: bodies(s, args.batches, args.batch) for s in ids}
            server = ServerProcess(url_db)
            try:
                url = server.wait_ready()
                result = asyncio.run(load(url, tokens, payloads))
            except BaseException:
                server.terminate()
                print(server.stderr[-3000:], file=sys.stderr)
                raise
            finally:
                server.terminate()
            check_stored(url_db, ids, args.batches * args.batch)
        finally:
            if cluster is not None:
                cluster.stop()

    events = args.stations * args.batches * args.batch
    acks = result["acks"]
    figures = {
        "benchmark": "ingest",
        "db": args.db,
        "stations": args.stations,
        "events": events,
        "batch": args.batch,
        "events_per_s": round(events / result["wall_s"]),
        "ack_ms_p50": round(statistics.median(acks) * 1000, 1),
        "ack_ms_p99": round(percentile(acks, 0.99) * 1000, 1),
        "ack_ms_max": round(acks[-1] * 1000, 1),
        "wall_s": round(result["wall_s"], 2),
        "retried": {str(k): v for k, v in sorted(RETRIES.items())},
    }
    print(
        f"{args.stations} stations × {args.batches} requests × {args.batch} events on {args.db}: "
        f"{figures['events_per_s']} events/s; ack p50 {figures['ack_ms_p50']} ms, "
        f"p99 {figures['ack_ms_p99']} ms"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
