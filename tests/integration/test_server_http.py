"""The sync server as a station meets it: the real process, real loopback HTTP, both databases.

Every test runs once on SQLite and once on PostgreSQL (`database_url`, tests/conftest.py).
What the server stored is read back through the API (a resent event is a duplicate only if
the server has it) and, where the API cannot tell, from the database with SQLAlchemy.
"""

from __future__ import annotations

import asyncio
import json
import ssl
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy
import trustme

from lineside.domain.downtime import EndCause
from lineside.domain.events import (
    DowntimeCoded,
    DowntimeEnded,
    DowntimeStarted,
    EventContext,
    MachineConnected,
    PersonSignedIn,
    make_event,
)
from lineside.domain.machine_state import StopCategory
from lineside.domain.master_data import Kind, PlantFile, scope_of, validate_record
from lineside.domain.sync import (
    API_PREFIX,
    BatchResult,
    EventStatus,
    Health,
    MasterDataPage,
    MasterRecord,
    SeqGap,
)
from tests.conftest import RunningServer, StartServer
from tests.servers import DEMO_PLANT, DEMO_STATIONS

TIMEOUT = httpx.Timeout(30.0)
FILLER, LABELER, CASEPACKER = DEMO_STATIONS
LINE2_STATIONS = ("L2-FILLER", "L2-LABELER")
FIVE_STATIONS = (*DEMO_STATIONS, *LINE2_STATIONS)
LINE2_ORDER = "8801"

SECOND_LINE = {
    "station": [
        {"station_id": "L2-FILLER", "line": "Line2", "name": "Filler, line 2"},
        {"station_id": "L2-LABELER", "line": "Line2", "name": "Labeler, line 2"},
    ],
    "equipment": [
        {
            "equipment_id": "L2-Filler",
            "station_id": "L2-FILLER",
            "equipment_class": "filler",
            "name": "Filler of line 2",
        },
        {
            "equipment_id": "L2-Labeler",
            "station_id": "L2-LABELER",
            "equipment_class": "labeler",
            "name": "Labeler of line 2",
        },
    ],
    "order": [
        {"order_id": LINE2_ORDER, "line": "Line2", "product": "Juice 0.5 l", "quantity": 800}
    ],
}
"""A small import file: a second line, whose data no station of Line1 may see."""


def second_line(tmp_path: Path) -> Path:
    """The second line's import file in tmp_path (checked against the import model first)."""
    PlantFile.model_validate(SECOND_LINE)
    path = tmp_path / "second_line.json"
    path.write_text(json.dumps(SECOND_LINE), encoding="utf-8")
    return path


def line_of(station: str) -> str:
    """The line of a station, from the demo plant or the second line."""
    plant = PlantFile.model_validate_json(DEMO_PLANT.read_text(encoding="utf-8"))
    second = PlantFile.model_validate(SECOND_LINE)
    lines = {s.station_id: s.line for s in (*plant.station, *second.station)}
    return lines[station]


def events(station: str, first_seq: int, count: int) -> list[dict[str, Any]]:
    """`count` real events of a station, seq first_seq.., as they travel (JSON)."""
    context = EventContext(line=line_of(station), station=station, equipment="Filler")
    at = datetime(2025, 3, 4, 6, 0, tzinfo=UTC) + timedelta(minutes=first_seq)
    out: list[dict[str, Any]] = []
    for seq in range(first_seq, first_seq + count):
        at += timedelta(seconds=7)
        stop_id = f"stop-{station}-{seq}"
        kind = seq % 5
        if kind == 0:
            event = make_event(
                PersonSignedIn(person_id="P-100", name="Alex Operator", role="operator"),
                context=context,
                occurred_at=at,
                recorded_by=None,
            )
        elif kind == 1:
            event = make_event(
                DowntimeStarted(
                    stop_id=stop_id, started_at=at, category=StopCategory.INTERNAL, state="Held"
                ),
                context=context,
                occurred_at=at,
                recorded_by="P-100",
            )
        elif kind == 2:
            event = make_event(
                DowntimeEnded(
                    stop_id=stop_id, ended_at=at, cause=EndCause.PRODUCING, duration_s=7.0
                ),
                context=context,
                occurred_at=at,
                recorded_by="P-100",
            )
        elif kind == 3:
            event = make_event(
                DowntimeCoded(stop_id=stop_id, reason="MECH.JAM", reason_path="Mech › Jam"),
                context=context,
                occurred_at=at,
                recorded_by="P-100",
            )
        else:
            event = make_event(
                MachineConnected(endpoint="opc.tcp://127.0.0.1:4840/sim"),
                context=context,
                occurred_at=at,
                recorded_by=None,
            )
        out.append(event.model_copy(update={"seq": seq}).model_dump(mode="json"))
    return out


def post(
    client: httpx.Client,
    server: RunningServer,
    station: str,
    batch: Sequence[dict[str, Any]],
    *,
    as_station: str | None = None,
) -> httpx.Response:
    """POST a batch to a station's events, with the token of `as_station` (default: its own)."""
    return client.post(
        f"{server.url}{API_PREFIX}/stations/{station}/events",
        json={"events": list(batch)},
        headers=server.headers(as_station or station),
    )


def accepted(response: httpx.Response, statuses: Sequence[EventStatus], next_seq: int) -> None:
    """The batch's answer is 200 with these statuses in order and this next_seq."""
    assert response.status_code == 200, response.text
    result = BatchResult.model_validate(response.json())
    assert [r.status for r in result.results] == list(statuses), result
    assert result.next_seq == next_seq, result


def all_(status: EventStatus, count: int) -> list[EventStatus]:
    return [status] * count


ACCEPTED, DUPLICATE, REJECTED = EventStatus.ACCEPTED, EventStatus.DUPLICATE, EventStatus.REJECTED


def stored_events(database_url: str) -> dict[str, list[tuple[int, str]]]:
    """{station: [(seq, event_id), ...] in seq order} as the server's event table holds them."""
    engine = sqlalchemy.create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sqlalchemy.text("SELECT station_id, seq, event_id FROM event ORDER BY seq")
            ).all()
    finally:
        engine.dispose()
    stored: dict[str, list[tuple[int, str]]] = {}
    for station, seq, event_id in rows:
        stored.setdefault(station, []).append((seq, event_id))
    return stored


def ids(batch: Sequence[dict[str, Any]]) -> list[tuple[int, str]]:
    """(seq, event_id) of each event of a batch."""
    return [(event["seq"], event["event_id"]) for event in batch]


def health(client: httpx.Client, server: RunningServer) -> Health:
    response = client.get(f"{server.url}{API_PREFIX}/health")
    assert response.status_code == 200, response.text
    return Health.model_validate(response.json())


# -- tests ------------------------------------------------------------------------------------


def test_health_answers_without_a_token(lineside_server: RunningServer) -> None:
    with httpx.Client(timeout=TIMEOUT) as client:
        answer = health(client, lineside_server)
    assert answer.schema_version >= 1
    assert abs(answer.server_time - datetime.now(UTC)) < timedelta(minutes=5)


def test_a_batch_is_accepted_once_then_duplicate_and_a_gap_is_409(
    lineside_server: RunningServer,
) -> None:
    server = lineside_server
    batch = events(FILLER, 1, 5)
    with httpx.Client(timeout=TIMEOUT) as client:
        accepted(post(client, server, FILLER, batch), all_(ACCEPTED, 5), next_seq=6)
        accepted(post(client, server, FILLER, batch), all_(DUPLICATE, 5), next_seq=6)

        gap = post(client, server, FILLER, events(FILLER, 8, 2))
        assert gap.status_code == 409, gap.text
        answer = SeqGap.model_validate(gap.json())
        assert answer.expected_seq == 6
        assert answer.detail

        # A station resending from an older seq: what the server has is a duplicate.
        overlap = [*batch[3:], *events(FILLER, 6, 2)]
        accepted(post(client, server, FILLER, overlap), [DUPLICATE] * 2 + [ACCEPTED] * 2, 8)


def test_tokens_open_only_their_own_station(lineside_server: RunningServer) -> None:
    server = lineside_server
    url = f"{server.url}{API_PREFIX}/stations/{FILLER}/events"
    filler, labeler = events(FILLER, 1, 3), events(LABELER, 1, 3)
    with httpx.Client(timeout=TIMEOUT) as client:
        accepted(post(client, server, FILLER, filler), all_(ACCEPTED, 3), next_seq=4)
        accepted(post(client, server, LABELER, labeler), all_(ACCEPTED, 3), next_seq=4)

        body = {"events": events(FILLER, 4, 1)}
        for headers in (
            {"Authorization": "Bearer not-a-token"},
            {"Authorization": f"Bearer {server.tokens[FILLER]}x"},
            {"Authorization": f"Basic {server.tokens[FILLER]}"},
            {},
        ):
            response = client.post(url, json=body, headers=headers)
            assert response.status_code == 401, (headers, response.text)

        # The filler's token on the labeler's path, with the labeler's next events.
        other_path = post(client, server, LABELER, events(LABELER, 4, 2), as_station=FILLER)
        assert other_path.status_code == 403, other_path.text
        # On its own path, a batch carrying an event of the labeler (its seq continues the
        # filler's, so only the station id is wrong): refused as a whole.
        foreign = events(LABELER, 5, 1)
        mixed = post(client, server, FILLER, [*events(FILLER, 4, 1), *foreign])
        assert mixed.status_code == 403, mixed.text
        master = client.get(
            f"{server.url}{API_PREFIX}/stations/{LABELER}/master-data",
            params={"cursor": 0},
            headers=server.headers(FILLER),
        )
        assert master.status_code == 403, master.text

        # The labeler's events are all there, unchanged; nothing of the refused batches is.
        assert stored_events(server.database_url) == {FILLER: ids(filler), LABELER: ids(labeler)}
        accepted(post(client, server, LABELER, labeler), all_(DUPLICATE, 3), next_seq=4)
        accepted(post(client, server, FILLER, filler), all_(DUPLICATE, 3), next_seq=4)
        accepted(post(client, server, LABELER, events(LABELER, 4, 1)), [ACCEPTED], next_seq=5)
        accepted(post(client, server, FILLER, events(FILLER, 4, 1)), [ACCEPTED], next_seq=5)


MALFORMED: list[tuple[str, bytes | dict[str, Any], str]] = [
    ("not JSON", b'{"events": [', "json"),
    ("no events", {"events": []}, "events"),
    ("misspelt events", {"evnts": [{"event_id": "a", "seq": 1}]}, "events"),
    ("events not a list", {"events": "all of them"}, "events"),
    ("an event without event_id", {"events": [{"seq": 1}]}, "event_id"),
    ("seq 0", {"events": [{"event_id": "a", "seq": 0}]}, "seq"),
    ("seq not a number", {"events": [{"event_id": "a", "seq": "one"}]}, "seq"),
]
"""Bodies that are not a batch: (what, body, a name the 422 detail must mention)."""


def test_a_malformed_batch_is_422_naming_what_is_wrong(lineside_server: RunningServer) -> None:
    server = lineside_server
    with httpx.Client(timeout=TIMEOUT) as client:
        for what, body, name in MALFORMED:
            content = body if isinstance(body, bytes) else json.dumps(body).encode()
            response = client.post(
                f"{server.url}{API_PREFIX}/stations/{FILLER}/events",
                content=content,
                headers={**server.headers(FILLER), "Content-Type": "application/json"},
            )
            assert response.status_code == 422, (what, response.text)
            detail = json.dumps(response.json()["detail"]).lower()
            assert name in detail, f"{what}: the 422 detail does not name {name!r}: {detail}"
        # Nothing of them was kept: the station still starts at seq 1.
        accepted(post(client, server, FILLER, events(FILLER, 1, 1)), [ACCEPTED], next_seq=2)


def test_an_invalid_event_is_rejected_alone(lineside_server: RunningServer) -> None:
    server = lineside_server
    good, bad = events(FILLER, 1, 2)
    bad = {**bad, "type": "downtime.exploded"}
    with httpx.Client(timeout=TIMEOUT) as client:
        response = post(client, server, FILLER, [good, bad])
    assert response.status_code == 200, response.text
    results = BatchResult.model_validate(response.json()).results
    assert [(r.seq, r.status) for r in results] == [(1, ACCEPTED), (2, REJECTED)]
    assert results[1].reason, "a rejected event carries the reason"


def test_five_stations_post_at_once(start_server: StartServer, tmp_path: Path) -> None:
    server = start_server(plants=(DEMO_PLANT, second_line(tmp_path)), stations=FIVE_STATIONS)
    batches, per_batch = 20, 5
    sent = {station: events(station, 1, batches * per_batch) for station in FIVE_STATIONS}

    async def station_posts(station: str) -> list[BatchResult]:
        results = []
        async with httpx.AsyncClient(
            base_url=server.url, headers=server.headers(station), timeout=TIMEOUT
        ) as client:
            for number in range(batches):
                batch = sent[station][number * per_batch : (number + 1) * per_batch]
                response = await client.post(
                    f"{API_PREFIX}/stations/{station}/events", json={"events": batch}
                )
                assert response.status_code == 200, (station, number, response.text)
                results.append(BatchResult.model_validate(response.json()))
        return results

    async def all_post() -> list[list[BatchResult]]:
        return await asyncio.gather(*(station_posts(s) for s in FIVE_STATIONS))

    answers = asyncio.run(all_post())

    for station, results in zip(FIVE_STATIONS, answers, strict=True):
        statuses = [r.status for result in results for r in result.results]
        assert statuses == all_(ACCEPTED, batches * per_batch), station
        seqs = [r.seq for result in results for r in result.results]
        assert seqs == list(range(1, batches * per_batch + 1)), station
        assert results[-1].next_seq == batches * per_batch + 1
    stored = stored_events(server.database_url)
    assert stored == {station: ids(sent[station]) for station in FIVE_STATIONS}
    with httpx.Client(timeout=TIMEOUT) as client:
        assert health(client, server).status
        for station in FIVE_STATIONS:  # the server has every one of them, under its seq
            accepted(
                post(client, server, station, sent[station]),
                all_(DUPLICATE, batches * per_batch),
                next_seq=batches * per_batch + 1,
            )


def pull(
    client: httpx.Client, server: RunningServer, station: str, cursor: int
) -> tuple[int, list[MasterDataPage]]:
    """Every page of master-data changes after `cursor`; the last cursor and the pages."""
    pages = []
    while True:
        response = client.get(
            f"{server.url}{API_PREFIX}/stations/{station}/master-data",
            params={"cursor": cursor},
            headers=server.headers(station),
        )
        assert response.status_code == 200, response.text
        page = MasterDataPage.model_validate(response.json())
        pages.append(page)
        cursor = page.cursor
        if not page.more:
            return cursor, pages
        assert len(pages) < 1000, "master data pages do not end"


def test_master_data_of_a_station_is_its_own_and_its_lines(
    start_server: StartServer, tmp_path: Path
) -> None:
    server = start_server(plants=(DEMO_PLANT, second_line(tmp_path)), stations=FIVE_STATIONS)
    with httpx.Client(timeout=TIMEOUT) as client:
        cursor, pages = pull(client, server, FILLER, 0)
        records: list[MasterRecord] = [r for page in pages for r in page.records]
        live = {(r.kind, r.key): r for r in records if not r.deleted}

        assert (Kind.STATION, FILLER) in live
        equipment = [r for (kind, _), r in live.items() if kind is Kind.EQUIPMENT]
        assert equipment, "the filler's equipment is missing"
        assert (Kind.ORDER, "4711") in live
        for record in live.values():
            assert record.data is not None, record
            scope = scope_of(validate_record(record.kind, record.data))
            assert scope in (None, "line:Line1", f"station:{FILLER}"), record
        assert (Kind.ORDER, LINE2_ORDER) not in live
        assert not any(key.startswith("L2-") for _, key in live)

        again, pages = pull(client, server, FILLER, cursor)
        assert [r for page in pages for r in page.records] == [], pages
        assert not pages[-1].full
        assert again == cursor


# -- HTTPS ------------------------------------------------------------------------------------


def _tls_files(ca: trustme.CA, directory: Path) -> tuple[Path, Path]:
    cert = ca.issue_cert("127.0.0.1")
    certfile, keyfile = directory / "server.pem", directory / "server.key"
    certfile.write_bytes(b"".join(pem.bytes() for pem in cert.cert_chain_pems))
    cert.private_key_pem.write_to_path(str(keyfile))
    return certfile, keyfile


def _trusting(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def test_https_with_the_plants_ca(start_server: StartServer, tmp_path: Path) -> None:
    ca = trustme.CA()
    certfile, keyfile = _tls_files(ca, tmp_path)
    server = start_server(certfile=certfile, keyfile=keyfile)
    assert server.url.startswith("https://127.0.0.1:")

    with httpx.Client(verify=_trusting(ca), timeout=TIMEOUT) as client:
        assert health(client, server).status
        accepted(post(client, server, FILLER, events(FILLER, 1, 2)), all_(ACCEPTED, 2), 3)

    with (
        httpx.Client(verify=_trusting(trustme.CA()), timeout=TIMEOUT) as stranger,
        pytest.raises(httpx.ConnectError) as refused,
    ):
        stranger.get(f"{server.url}{API_PREFIX}/health")
    assert "CERTIFICATE_VERIFY_FAILED" in str(refused.value), refused.value
