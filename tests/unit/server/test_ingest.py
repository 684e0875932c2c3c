"""POST /api/v1/stations/{station}/events: a verdict per event, the seq rules, auth, errors."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine, select, text

from lineside.domain.events import REGISTRY, SCHEMA_VERSION
from lineside.domain.sync import BatchResult, SeqGap
from lineside.server.db import event_table, rejection, station
from tests.unit.server.support import bearer, coded, post, started, statuses

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

FILLER, LABELER = "L1-FILLER", "L1-LABELER"


def stored(engine: Engine, station_id: str = FILLER) -> list[tuple[int, str]]:
    """(seq, event_id) of a station's stored events, by seq."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(event_table.c.seq, event_table.c.event_id)
            .where(event_table.c.station_id == station_id)
            .order_by(event_table.c.seq)
        )
        return [(row.seq, row.event_id) for row in rows]


def quarantine(engine: Engine, station_id: str = FILLER) -> list[dict[str, Any]]:
    """A station's rejection rows, by seq."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(rejection).where(rejection.c.station_id == station_id).order_by(rejection.c.seq)
        )
        return [dict(row._mapping) for row in rows]


def next_seq(engine: Engine, station_id: str = FILLER) -> int:
    with engine.connect() as conn:
        value = conn.scalar(select(station.c.next_seq).where(station.c.station_id == station_id))
    assert value is not None
    return int(value)


def without_reason(event: dict[str, Any]) -> dict[str, Any]:
    """The event with its payload's `reason` missing (not valid)."""
    payload = {k: v for k, v in event["payload"].items() if k != "reason"}
    return {**event, "payload": payload}


def test_new_events_are_accepted_and_stored(
    client: TestClient, engine: Engine, tokens: dict[str, str]
) -> None:
    events = [started(1), coded(2), started(3, stop="stop-2")]
    response = post(client, tokens[FILLER], events)
    assert statuses(response) == ["accepted"] * 3
    result = BatchResult.model_validate(response.json())
    assert result.next_seq == 4
    assert [(r.event_id, r.seq) for r in result.results] == [
        (e["event_id"], e["seq"]) for e in events
    ]
    assert stored(engine) == [(e["seq"], e["event_id"]) for e in events]


def test_a_resent_event_is_a_duplicate(
    client: TestClient, engine: Engine, tokens: dict[str, str]
) -> None:
    first, second = started(1), coded(2)
    assert statuses(post(client, tokens[FILLER], [first])) == ["accepted"]
    response = post(client, tokens[FILLER], [first, second])
    assert statuses(response) == ["duplicate", "accepted"]
    assert response.json()["next_seq"] == 3
    assert statuses(post(client, tokens[FILLER], [first, second])) == ["duplicate", "duplicate"]
    assert len(stored(engine)) == 2


def test_an_invalid_event_is_rejected_and_keeps_its_seq(
    client: TestClient, engine: Engine, tokens: dict[str, str]
) -> None:
    bad = without_reason(coded(1))
    response = post(client, tokens[FILLER], [bad, started(2)])
    assert statuses(response) == ["rejected", "accepted"]
    assert response.json()["results"][0]["reason"] == "payload.reason: Field required"
    assert response.json()["next_seq"] == 3
    assert stored(engine) == [(2, response.json()["results"][1]["event_id"])]
    (row,) = quarantine(engine)
    assert (row["seq"], row["event_id"], row["resolved_at"]) == (1, bad["event_id"], None)
    assert "payload.reason" in row["reason"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"type": "downtime.nonsense"}, "type: Value error, unknown event type"),
        ({"occurred_at": "2025-03-04T06:30:00"}, "occurred_at: Input should have timezone info"),
        ({"context": {"line": "Line1"}}, "context.station: Field required"),
        ({"recorded_by": None, "surprise": 1}, "surprise: Extra inputs are not permitted"),
        (
            {"schema_version": 3},
            "written by a newer station (downtime.started version 3, this server knows 2)",
        ),
    ],
)
def test_rejection_reasons_say_what_is_wrong(
    client: TestClient, tokens: dict[str, str], change: dict[str, Any], reason: str
) -> None:
    response = post(client, tokens[FILLER], [{**started(1), **change}])
    assert statuses(response) == ["rejected"]
    assert reason in response.json()["results"][0]["reason"]


def test_a_quarantined_event_is_accepted_once_fixed(
    client: TestClient, engine: Engine, tokens: dict[str, str]
) -> None:
    good = coded(1)
    assert statuses(post(client, tokens[FILLER], [without_reason(good), started(2)])) == [
        "rejected",
        "accepted",
    ]
    # Retried still broken: rejected again, nothing moves.
    again = post(client, tokens[FILLER], [without_reason(good)])
    assert statuses(again) == ["rejected"]
    assert again.json()["next_seq"] == 3
    # Retried once valid (same event_id, same seq): it takes its seq.
    fixed = post(client, tokens[FILLER], [good])
    assert statuses(fixed) == ["accepted"]
    assert fixed.json()["next_seq"] == 3
    assert [seq for seq, _ in stored(engine)] == [1, 2]
    assert quarantine(engine)[0]["resolved_at"] is not None
    assert statuses(post(client, tokens[FILLER], [good])) == ["duplicate"]


def test_an_event_from_a_newer_station_is_accepted_after_a_server_update(
    client: TestClient, engine: Engine, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    newer = {**started(1), "schema_version": 3}
    assert statuses(post(client, tokens[FILLER], [newer])) == ["rejected"]
    spec = REGISTRY["downtime.started"]
    monkeypatch.setitem(REGISTRY, "downtime.started", dataclasses.replace(spec, version=3))
    assert statuses(post(client, tokens[FILLER], [newer])) == ["accepted"]


def test_a_seq_gap_is_409_and_stores_nothing(
    client: TestClient, engine: Engine, tokens: dict[str, str]
) -> None:
    assert statuses(post(client, tokens[FILLER], [started(1)])) == ["accepted"]
    response = post(client, tokens[FILLER], [coded(2), started(4, stop="stop-2")])
    assert response.status_code == 409
    gap = SeqGap.model_validate(response.json())
    assert gap.expected_seq == 2
    assert "expects seq 3" in gap.detail
    assert [seq for seq, _ in stored(engine)] == [1]
    assert next_seq(engine) == 2


@pytest.mark.parametrize("seqs", [[2, 1], [1, 1], [1, 3, 2]])
def test_seqs_that_do_not_increase_are_409(
    client: TestClient, engine: Engine, tokens: dict[str, str], seqs: list[int]
) -> None:
    response = post(
        client, tokens[FILLER], [started(seq, stop=f"s{i}") for i, seq in enumerate(seqs)]
    )
    assert response.status_code == 409
    assert response.json()["expected_seq"] == 1
    assert stored(engine) == []


def test_a_seq_slot_held_by_another_event_is_a_conflict(
    client: TestClient, engine: Engine, tokens: dict[str, str]
) -> None:
    original = started(1)
    assert statuses(post(client, tokens[FILLER], [original])) == ["accepted"]
    response = post(client, tokens[FILLER], [started(1, stop="other")])
    assert statuses(response) == ["conflict"]
    assert response.json()["results"][0]["reason"] == "seq 1 already holds another event"
    assert response.json()["next_seq"] == 2
    assert stored(engine) == [(1, original["event_id"])]


def test_an_event_id_stored_under_another_seq_is_a_conflict_and_takes_its_seq(
    client: TestClient, engine: Engine, tokens: dict[str, str]
) -> None:
    first = started(1)
    assert statuses(post(client, tokens[FILLER], [first])) == ["accepted"]
    response = post(client, tokens[FILLER], [{**coded(2), "event_id": first["event_id"]}])
    assert statuses(response) == ["conflict"]
    assert "already stored" in response.json()["results"][0]["reason"]
    assert response.json()["next_seq"] == 3
    assert [row["seq"] for row in quarantine(engine)] == [2]


def test_missing_or_wrong_token_is_401(client: TestClient, tokens: dict[str, str]) -> None:
    url = f"/api/v1/stations/{FILLER}/events"
    body = {"events": [started(1)]}
    for headers in ({}, bearer("not-a-token"), {"Authorization": f"Basic {tokens[FILLER]}"}):
        response = client.post(url, json=body, headers=headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert "detail" in response.json()
    # The token is checked before the body is read: a stranger learns nothing about it.
    response = client.post(url, content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 401


def test_another_stations_path_is_403_and_its_events_stay(
    client: TestClient, engine: Engine, tokens: dict[str, str]
) -> None:
    theirs = started(1, station=LABELER)
    assert statuses(post(client, tokens[LABELER], [theirs], station=LABELER)) == ["accepted"]
    response = post(client, tokens[FILLER], [started(2, station=LABELER)], station=LABELER)
    assert response.status_code == 403
    assert stored(engine, LABELER) == [(1, theirs["event_id"])]
    assert next_seq(engine, LABELER) == 2


def test_an_event_of_another_station_is_403_for_the_whole_batch(
    client: TestClient, engine: Engine, tokens: dict[str, str]
) -> None:
    theirs = started(1, station=LABELER)
    assert statuses(post(client, tokens[LABELER], [theirs], station=LABELER)) == ["accepted"]
    response = post(client, tokens[FILLER], [started(1), started(2, station=LABELER)])
    assert response.status_code == 403
    assert LABELER in response.json()["detail"]
    assert stored(engine) == []
    assert next_seq(engine) == 1
    assert stored(engine, LABELER) == [(1, theirs["event_id"])]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({}, ["body", "events"]),
        ({"events": []}, ["body", "events"]),
        ({"events": [{"event_id": "x", "seq": 0}]}, ["body", "events", 0, "seq"]),
        ({"events": [{"seq": 1}]}, ["body", "events", 0, "event_id"]),
        ({"events": [started(1)], "extra": True}, ["body", "extra"]),
    ],
)
def test_a_body_that_is_not_a_batch_is_422_with_where(
    client: TestClient,
    engine: Engine,
    tokens: dict[str, str],
    body: dict[str, Any],
    where: list[Any],
) -> None:
    response = client.post(
        f"/api/v1/stations/{FILLER}/events", json=body, headers=bearer(tokens[FILLER])
    )
    assert response.status_code == 422
    assert where in [error["loc"] for error in response.json()["detail"]]
    assert stored(engine) == []


def test_a_body_that_is_not_json_is_422(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.post(
        f"/api/v1/stations/{FILLER}/events",
        content=b"events: 1",
        headers={**bearer(tokens[FILLER]), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"


def test_a_database_error_is_503_with_retry_after(
    client: TestClient, engine: Engine, tokens: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE event"))
    response = post(client, tokens[FILLER], [started(1)])
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.json() == {"detail": "the database is not available; retry later"}
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE station"))
    assert post(client, tokens[FILLER], [started(1)]).status_code == 503  # in the token check
    assert tokens[FILLER] not in caplog.text


def test_health_needs_no_token(client: TestClient) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["schema_version"] == SCHEMA_VERSION
