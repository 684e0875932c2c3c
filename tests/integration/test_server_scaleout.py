"""More than one server process on one PostgreSQL database, with every guarantee intact.

Two `lineside server` processes (as behind a load balancer) take the batches of the same
stations at once: the same batch to both, and the next batch to the other before the first
is answered. And `lineside server --workers 2` serves many stations. Each time the database
must hold each event once, every station's seqs gap-free.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from lineside.domain.sync import API_PREFIX
from tests.integration.test_server_http import FIVE_STATIONS, events, second_line
from tests.servers import DEMO_PLANT, PostgresCluster, ServerProcess, prepare_server

BATCHES = 12
BATCH = 25


@pytest.fixture
def database(postgres_cluster: PostgresCluster, request: pytest.FixtureRequest) -> Iterator[str]:
    url = postgres_cluster.new_database(request.node.name)
    yield url
    postgres_cluster.drop_database(url.rsplit("/", 1)[1])


def stored(database_url: str) -> dict[str, list[tuple[int, str]]]:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT station_id, seq, event_id FROM event ORDER BY station_id, seq")
            ).all()
            next_seqs = dict(
                conn.execute(sa.text("SELECT station_id, next_seq FROM station")).all()
            )
    finally:
        engine.dispose()
    held: dict[str, list[tuple[int, str]]] = {}
    for station, seq, event_id in rows:
        held.setdefault(station, []).append((seq, event_id))
    for station, seqs in held.items():
        assert next_seqs[station] == len(seqs) + 1
    return held


def assert_once_and_gap_free(database_url: str, sent: dict[str, list[dict[str, Any]]]) -> None:
    held = stored(database_url)
    for station, batch in sent.items():
        assert held[station] == [(e["seq"], e["event_id"]) for e in batch], station


async def post(
    client: httpx.AsyncClient, url: str, station: str, token: str, batch: list[dict[str, Any]]
) -> httpx.Response:
    return await client.post(
        f"{url}{API_PREFIX}/stations/{station}/events",
        json={"events": batch},
        headers={"Authorization": f"Bearer {token}"},
    )


async def station_run(
    client: httpx.AsyncClient, urls: list[str], station: str, token: str, all_events: list[Any]
) -> None:
    """Batch k and k+1 go to the two servers at once; the same batch k to both as well."""
    batches = [all_events[i : i + BATCH] for i in range(0, len(all_events), BATCH)]
    delivered: set[int] = set()
    for k in range(0, len(batches), 2):
        pair = batches[k : k + 2]
        answers = await asyncio.gather(
            post(client, urls[0], station, token, pair[0]),
            post(client, urls[1], station, token, pair[0]),  # the same batch, the other server
            *(post(client, urls[(k // 2) % 2], station, token, b) for b in pair[1:]),
        )
        for answer in answers:
            if answer.status_code == 409:  # the next batch got ahead of its predecessor
                continue
            assert answer.status_code == 200, answer.text
            for result in answer.json()["results"]:
                assert result["status"] in ("accepted", "duplicate"), result
                delivered.add(result["seq"])
        for batch in pair:  # resend what a 409 held back, as a station rewinds
            if not {e["seq"] for e in batch} <= delivered:
                answer = await post(client, urls[1], station, token, batch)
                assert answer.status_code == 200, answer.text
                delivered |= {r["seq"] for r in answer.json()["results"]}
    assert delivered == set(range(1, len(all_events) + 1))


def test_two_servers_on_one_database_take_one_stations_batches_at_once(
    database: str, tmp_path: Path
) -> None:
    tokens = prepare_server(
        database, tmp_path, FIVE_STATIONS, plants=(DEMO_PLANT, second_line(tmp_path))
    )
    servers = [ServerProcess(database), ServerProcess(database)]
    try:
        urls = [server.wait_ready() for server in servers]
        sent = {station: events(station, 1, BATCHES * BATCH) for station in FIVE_STATIONS}

        async def run() -> None:
            async with httpx.AsyncClient(timeout=60) as client:
                await asyncio.gather(
                    *(station_run(client, urls, s, tokens[s], sent[s]) for s in FIVE_STATIONS)
                )

        asyncio.run(run())
    finally:
        codes = [server.terminate() for server in servers]
    assert codes == [0, 0], [server.stderr[-2000:] for server in servers]
    assert_once_and_gap_free(database, sent)


def test_workers_share_the_socket_and_the_guarantees(database: str, tmp_path: Path) -> None:
    tokens = prepare_server(
        database, tmp_path, FIVE_STATIONS, plants=(DEMO_PLANT, second_line(tmp_path))
    )
    server = ServerProcess(database, extra_args=["--workers", "2"])
    try:
        url = server.wait_ready(timeout=120)
        assert server.find_record(lambda r: r.get("event") == "ready")["workers"] == 2  # type: ignore[index]
        sent = {station: events(station, 1, BATCHES * BATCH) for station in FIVE_STATIONS}

        async def run() -> None:
            async with httpx.AsyncClient(timeout=60) as client:
                await asyncio.gather(
                    *(station_run(client, [url, url], s, tokens[s], sent[s]) for s in FIVE_STATIONS)
                )

        asyncio.run(run())
    finally:
        code = server.terminate(timeout=60)
    assert code == 0, server.stderr[-3000:]
    assert_once_and_gap_free(database, sent)


def test_workers_need_postgresql(tmp_path: Path) -> None:
    server = ServerProcess(f"sqlite:///{tmp_path}/server.db", extra_args=["--workers", "2"])
    assert server.reap() == 2
    assert "--workers needs PostgreSQL" in server.stderr
