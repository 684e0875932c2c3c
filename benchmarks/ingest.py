"""Ingest: many stations posting to `lineside server` at once, and a plant's steady load.

A real server on loopback (a SQLite file, or a private PostgreSQL cluster) gets a plant of
N stations, each with its own token. Two loads:

* burst — every station drains a backlog at once (a plant's network came back): N stations
  post `--batches` batches of `--batch` events in seq order, each as fast as the server
  answers. Figure: events acknowledged per second (first request to last answer).
* steady — 100 stations each post a 10-event batch every second (`--steady-s` seconds).
  Figure: acknowledgement time p50 / p99 (send to answer).

Each load runs against the server as built at `--baseline` (a git revision: today's single
process, unpacked with `git archive`) and against this tree with each of `--workers` (1, and
more on PostgreSQL), all in the same run, so the ratio compares like with like. Every event
must come back `accepted` (503/429 are retried after Retry-After, as stations do), and the
database is then read to check that each station's events are all there, once, gap-free.

The stations are one asyncio client in this process speaking plain HTTP/1.1 over one
keep-alive connection each, with every request body built before the clock starts: on the
shared 2-core machine, httpx alone would take a core.

Usage: .venv/bin/python benchmarks/ingest.py [--db sqlite,postgresql] [--workers 1,2]
       [--baseline d35b432] [--stations 50] [--batches 20] [--batch 100] [--steady-s 20]
The last line of stdout is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
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

ROOT = Path(__file__).resolve().parents[1]
STEADY_STATIONS = 100
STEADY_BATCH = 10


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
    events: list[dict[str, Any]] = []
    while len(events) < batches * batch:
        stop_id, at = new_id(), start + timedelta(minutes=len(events))
        for payload in (
            DowntimeStarted(
                stop_id=stop_id, started_at=at, category=StopCategory.INTERNAL, state="Held"
            ),
            DowntimeEnded(stop_id=stop_id, ended_at=at, cause="producing", duration_s=30.0),
            DowntimeCoded(stop_id=stop_id, reason="MECH.JAM", reason_path="Mech › Jam"),
        ):
            event = make_event(payload, context=context, occurred_at=at, recorded_by=None)
            events.append({**event.model_dump(mode="json"), "seq": len(events) + 1})
    events = events[: batches * batch]
    return [
        json.dumps({"events": events[i : i + batch]}).encode() for i in range(0, len(events), batch)
    ]


class Connection:
    """One station's keep-alive HTTP/1.1 connection: a request, its answer, in turn."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.retried: dict[int, int] = {}

    async def post(self, path: str, token: str, body: bytes) -> tuple[int, bytes]:
        """POST, retrying 503/429 after Retry-After; status and body of the last answer."""
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        while True:
            status, headers, answer = await self._exchange(head + body)
            if status not in (429, 503):
                return status, answer
            self.retried[status] = self.retried.get(status, 0) + 1
            await asyncio.sleep(float(headers.get("retry-after", "1")))

    async def _exchange(self, request: bytes) -> tuple[int, dict[str, str], bytes]:
        for attempt in (1, 2):  # a keep-alive connection the server closed: open a new one
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            assert self.reader is not None
            self.writer.write(request)
            try:
                await self.writer.drain()
                line = await self.reader.readline()
            except (ConnectionResetError, BrokenPipeError):
                line = b""
            if not line:
                await self.close()
                if attempt == 2:
                    raise ConnectionResetError(f"the server closed {self.host}:{self.port}")
                continue
            status = int(line.split()[1])
            headers: dict[str, str] = {}
            while (line := await self.reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = await self.reader.readexactly(int(headers.get("content-length", "0")))
            if headers.get("connection", "").lower() == "close":
                await self.close()
            return status, headers, body
        raise AssertionError("unreachable")

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


def _check(station: str, status: int, answer: bytes) -> None:
    if status != 200:
        raise SystemExit(f"{station}: HTTP {status}: {answer[:300]!r}")
    bad = [r for r in orjson.loads(answer)["results"] if r["status"] != "accepted"]
    if bad:
        raise SystemExit(f"{station}: not accepted: {bad[:3]}")


async def burst(
    url: str, tokens: dict[str, str], payloads: dict[str, list[bytes]], events: int
) -> dict[str, Any]:
    """Every station posts its batches in order, as fast as it is answered, all at once."""
    host, port = url.removeprefix("http://").split(":")
    conns = {s: Connection(host, int(port)) for s in tokens}

    async def one(station: str) -> None:
        path = f"/api/v1/stations/{station}/events"
        for body in payloads[station]:
            _check(station, *await conns[station].post(path, tokens[station], body))

    try:
        t0 = time.perf_counter()
        await asyncio.gather(*(one(s) for s in tokens))
        wall = time.perf_counter() - t0
    finally:
        await asyncio.gather(*(c.close() for c in conns.values()))
    return {"wall_s": wall, "retried": _retried(conns), "events": events}


async def steady(
    url: str, tokens: dict[str, str], payloads: dict[str, list[bytes]], seconds: float
) -> dict[str, Any]:
    """Each station posts one batch a second (starts spread over the first second)."""
    host, port = url.removeprefix("http://").split(":")
    conns = {s: Connection(host, int(port)) for s in tokens}
    acks: list[float] = []
    loop = asyncio.get_running_loop()

    async def one(index: int, station: str) -> None:
        path = f"/api/v1/stations/{station}/events"
        begin = loop.time() + index / len(tokens)
        for k, body in enumerate(payloads[station][: int(seconds)]):
            await asyncio.sleep(max(0.0, begin + k - loop.time()))
            t0 = time.perf_counter()
            status, answer = await conns[station].post(path, tokens[station], body)
            acks.append(time.perf_counter() - t0)
            _check(station, status, answer)

    try:
        await asyncio.gather(*(one(i, s) for i, s in enumerate(tokens)))
    finally:
        await asyncio.gather(*(c.close() for c in conns.values()))
    acks.sort()
    return {
        "acks": len(acks),
        "ack_ms_p50": round(statistics.median(acks) * 1000, 1),
        "ack_ms_p99": round(percentile(acks, 0.99) * 1000, 1),
        "ack_ms_max": round(acks[-1] * 1000, 1),
        "retried": _retried(conns),
    }


def _retried(conns: dict[str, Connection]) -> dict[str, int]:
    total: dict[str, int] = {}
    for conn in conns.values():
        for status, count in conn.retried.items():
            total[str(status)] = total.get(str(status), 0) + count
    return total


def check_stored(database_url: str, expected: dict[str, int]) -> None:
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
    for station, n in expected.items():
        if found.get(station) != (n, n, 1, n):
            raise SystemExit(f"{station}: stored {found.get(station)}, expected {n} events seq 1..")


def percentile(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


class Setup:
    """A fresh database with the plant and tokens, for one server variant and one load."""

    def __init__(
        self, where: Path, cluster: PostgresCluster | None, name: str, stations: int
    ) -> None:
        self.where = where / name
        self.where.mkdir()
        self.url = (
            cluster.new_database(name) if cluster else f"sqlite:///{self.where / 'server.db'}"
        )
        plant, self.ids = plant_file(self.where, stations)
        import_plant(self.url, plant)
        (self.where / "tokens").mkdir()
        self.tokens = {s: create_token(self.url, s, self.where / "tokens" / s) for s in self.ids}


def run_variant(
    setup: Setup, workers: int, baseline: Path | None, load: Callable[[str], Any]
) -> Any:
    extra = ["--workers", str(workers)] if workers > 1 else []
    server = ServerProcess(setup.url, extra_args=extra, cwd=baseline)
    try:
        url = server.wait_ready(timeout=120)
        return asyncio.run(load(url))
    except BaseException:
        print(server.stderr[-3000:], file=sys.stderr)
        raise
    finally:
        server.terminate(timeout=60)


def unpack(revision: str, where: Path) -> Path:
    """The `lineside` package as of `revision`, in a folder of its own."""
    target = where / f"baseline-{revision}"
    target.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "lineside"],  # noqa: S607 - git on PATH
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)  # noqa: S607
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--workers", default="1,2", help="comma list; >1 on PostgreSQL only")
    parser.add_argument("--baseline", default="d35b432", help="git revision ('' for none)")
    parser.add_argument("--stations", type=int, default=50)
    parser.add_argument("--batches", type=int, default=20, help="requests per station")
    parser.add_argument("--batch", type=int, default=100, help="events per request")
    parser.add_argument("--steady-s", type=float, default=20.0)
    args = parser.parse_args()
    workers = [int(w) for w in args.workers.split(",")]
    figures: dict[str, Any] = {
        "benchmark": "ingest",
        "stations": args.stations,
        "batch": args.batch,
        "burst": {},
        "steady": {},
    }
    with tempfile.TemporaryDirectory(prefix="lineside-ingest-") as tmp:
        where = Path(tmp)
        baseline = unpack(args.baseline, where) if args.baseline else None
        for db in args.db.split(","):
            cluster = PostgresCluster().start() if db == "postgresql" else None
            try:
                variants: list[tuple[str, int, Path | None]] = []
                if baseline is not None:
                    variants.append((f"baseline_{args.baseline}", 1, baseline))
                variants += [
                    (f"workers_{w}", w, None) for w in workers if w == 1 or db == "postgresql"
                ]
                for name, n, code in variants:
                    setup = Setup(where, cluster, f"{db}_{name}_burst".lower(), args.stations)
                    payloads = {s: bodies(s, args.batches, args.batch) for s in setup.ids}
                    result = run_variant(
                        setup,
                        n,
                        code,
                        lambda url, s=setup, p=payloads: burst(
                            url, s.tokens, p, args.stations * args.batches * args.batch
                        ),
                    )
                    check_stored(setup.url, dict.fromkeys(setup.ids, args.batches * args.batch))
                    rate = round(result["events"] / result["wall_s"])
                    figures["burst"].setdefault(db, {})[name] = {
                        "events_per_s": rate,
                        "events": result["events"],
                        "wall_s": round(result["wall_s"], 2),
                        "retried": result["retried"],
                    }
                    print(f"burst {db} {name}: {rate} events/s", file=sys.stderr)

                    setup = Setup(where, cluster, f"{db}_{name}_steady".lower(), STEADY_STATIONS)
                    ticks = int(args.steady_s)
                    payloads = {s: bodies(s, ticks, STEADY_BATCH) for s in setup.ids}
                    result = run_variant(
                        setup,
                        n,
                        code,
                        lambda url, s=setup, p=payloads: steady(url, s.tokens, p, args.steady_s),
                    )
                    check_stored(setup.url, dict.fromkeys(setup.ids, ticks * STEADY_BATCH))
                    figures["steady"].setdefault(db, {})[name] = result
                    print(
                        f"steady {db} {name}: ack p50 {result['ack_ms_p50']} ms, "
                        f"p99 {result['ack_ms_p99']} ms",
                        file=sys.stderr,
                    )
                base = figures["burst"][db].get(f"baseline_{args.baseline}")
                if base:
                    for row in figures["burst"][db].values():
                        row["vs_baseline"] = round(row["events_per_s"] / base["events_per_s"], 2)
            finally:
                if cluster is not None:
                    cluster.stop()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
