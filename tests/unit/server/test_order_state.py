"""Order state on the server: jobs from the stations' events, exactly once; flags, never
refusals, for unknown or cancelled orders and unverified signatures; reads and the CLI."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine, select

from lineside.domain.events import (
    ChangeoverEnded,
    Containment,
    CountRecorded,
    Decision,
    DeviationDecided,
    DeviationOpened,
    EventContext,
    HoldPlaced,
    HoldReleased,
    OrderCompleted,
    OrderPaused,
    OrderResumed,
    OrderStarted,
    Payload,
    SignatureGiven,
    SignComponents,
    SubjectType,
    make_event,
)
from lineside.domain.master_data import Operation, OrderRecord, PlantFile, StationRecord
from lineside.domain.people import Person, Role
from lineside.server.auth import issue_token
from lineside.server.cli import configure_parser, run
from lineside.server.db import rejection
from lineside.server.master import import_plant
from lineside.server.orders import order_state, pin_hash_id, signature_check
from lineside.server.readers import issue_admin_token
from tests.unit.server.support import T0, bearer, post, statuses

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from tests.servers import PostgresCluster

FILLER, LABELER, OTHER = "L1-FILLER", "L1-LABELER", "L2-FILLER"
LEAD_HASH = "$argon2id$v=19$m=65536,t=3,p=4$bGVhZHNhbHQ$bGVhZGhhc2g"
OPERATOR_HASH = "$argon2id$v=19$m=65536,t=3,p=4$b3BzYWx0$b3BoYXNo"
DATABASES = [
    name.strip()
    for name in os.environ.get("LINESIDE_TEST_DATABASES", "sqlite,postgresql").split(",")
    if name.strip()
]


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or a new database in the session's PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/server.db"
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    url = cluster.new_database(request.node.name)
    yield url
    cluster.drop_database(url.rsplit("/", 1)[1])


def order(order_id: str, line: str = "Line1", status: str = "released") -> OrderRecord:
    station = FILLER if line == "Line1" else OTHER
    return OrderRecord(
        order_id=order_id,
        line=line,
        product="Water",
        quantity=1000,
        status=status,
        operations=(
            Operation(operation_id="0010", description="Fill", station_id=station),
            Operation(operation_id="0020", description="Label", station_id=LABELER),
        ),
    )


def plant(demo: PlantFile, *, cancel: tuple[str, ...] = ()) -> PlantFile:
    """The demo plant with a second line, orders 4711 (released), 4712 (cancelled) and
    5001 (Line2), and people who can sign."""
    orders = [order("4711"), order("4712", status="cancelled"), order("5001", "Line2")]
    orders = [
        o.model_copy(update={"status": "cancelled"}) if o.order_id in cancel else o for o in orders
    ]
    people = [
        Person(person_id="P-1001", name="Anna Berg", badge="1001", pin_hash=OPERATOR_HASH),
        Person(
            person_id="P-2001",
            name="Marco Rossi",
            badge="2001",
            role=Role.TEAM_LEAD,
            pin_hash=LEAD_HASH,
        ),
    ]
    stations = (*demo.station, StationRecord(station_id=OTHER, line="Line2", name="Filler 2"))
    return demo.model_copy(
        update={"order": tuple(orders), "person": tuple(people), "station": stations}
    )


@pytest.fixture
def readers(engine: Engine, demo_plant: PlantFile) -> dict[str, str]:
    """The test plant imported; tokens of the stations and the admin ("admin")."""
    import_plant(engine, plant(demo_plant))
    found = {s: issue_token(engine, s) for s in (FILLER, LABELER, OTHER)}
    found["admin"] = issue_admin_token(engine)
    return found


def fact(
    seq: int,
    payload: Payload,
    *,
    station: str = FILLER,
    order_id: str | None = "4711",
    operation: str | None = "0010",
    line: str = "Line1",
) -> dict[str, Any]:
    """An event of `station` in the context of a running order, as JSON on the wire."""
    context = EventContext(line=line, station=station, order=order_id, operation=operation)
    event = make_event(
        payload, context=context, occurred_at=T0 + timedelta(minutes=seq), recorded_by="P-1001"
    )
    return event.model_copy(update={"seq": seq}).model_dump(mode="json")


def started(order_id: str = "4711", **more: Any) -> OrderStarted:
    return OrderStarted(
        order_id=order_id, operation_id="0010", product="Water", quantity=1000, **more
    )


def counted(good: int, defective: int = 0) -> CountRecorded:
    return CountRecorded(started_at=T0, ended_at=T0, good=good, defective=defective)


def one_order(client: TestClient, token: str, order_id: str = "4711") -> dict[str, Any]:
    response = client.get(f"/api/v1/orders/{order_id}", headers=bearer(token))
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def the_job(client: TestClient, token: str, order_id: str = "4711") -> dict[str, Any]:
    jobs = one_order(client, token, order_id)["jobs"]
    assert len(jobs) == 1, jobs
    result: dict[str, Any] = jobs[0]
    return result


def flags(client: TestClient, token: str) -> list[dict[str, Any]]:
    response = client.get("/api/v1/flags", headers=bearer(token))
    assert response.status_code == 200, response.text
    result: list[dict[str, Any]] = response.json()["flags"]
    return result


def server(*args: str) -> int:
    """Run `lineside server ARGS` in this process; its exit code."""
    parser = argparse.ArgumentParser(prog="lineside server")
    configure_parser(parser)
    return run(parser.parse_args(list(args)))


# -- state and counts -------------------------------------------------------------------------


def test_start_pause_resume_complete_gives_the_state_and_counts(
    client: TestClient, readers: dict[str, str]
) -> None:
    token, admin = readers[FILLER], readers["admin"]
    start = started(changeover_from="Juice", changeover_standard_s=900.0)
    changeover = ChangeoverEnded(
        order_id="4711",
        from_product="Juice",
        to_product="Water",
        started_at=T0,
        ended_at=T0 + timedelta(minutes=10),
        duration_s=600.0,
        standard_s=900.0,
    )
    first = [fact(1, start), fact(2, changeover), fact(3, counted(10, 1))]
    assert statuses(post(client, token, first)) == ["accepted"] * 3
    job = the_job(client, admin)
    assert (job["state"], job["good"], job["defective"]) == ("running", 10, 1)
    assert (job["changeovers"], job["changeover_s"], job["changeover_standard_s"]) == (1, 600, 900)
    assert job["started_at"] == (T0 + timedelta(minutes=1)).isoformat().replace("+00:00", "Z")

    paused = OrderPaused(order_id="4711", operation_id="0010", why="break")
    assert statuses(post(client, token, [fact(4, paused)])) == ["accepted"]
    assert the_job(client, admin)["state"] == "interrupted"

    resumed = OrderResumed(order_id="4711", operation_id="0010")
    done = OrderCompleted(order_id="4711", operation_id="0010", good=15, defective=1, quantity=1000)
    last = [fact(5, resumed), fact(6, counted(5)), fact(7, done)]
    assert statuses(post(client, token, last)) == ["accepted"] * 3
    job = the_job(client, admin)
    assert (job["state"], job["good"], job["defective"]) == ("ended", 15, 1)
    assert job["ended_at"] is not None
    assert (job["station_id"], job["last_seq"]) == (FILLER, 7)
    assert one_order(client, admin)["master"]["status"] == "released"
    assert flags(client, admin) == []


def test_a_duplicate_batch_does_not_count_twice(
    client: TestClient, engine: Engine, readers: dict[str, str]
) -> None:
    token = readers[FILLER]
    batch = [fact(1, started()), fact(2, counted(10, 2)), fact(3, counted(7))]
    assert statuses(post(client, token, batch)) == ["accepted"] * 3
    assert statuses(post(client, token, batch)) == ["duplicate"] * 3
    overlapping = [*batch[1:], fact(4, counted(1))]
    assert statuses(post(client, token, overlapping)) == ["duplicate", "duplicate", "accepted"]
    job = the_job(client, readers["admin"])
    assert (job["good"], job["defective"]) == (18, 2)
    with engine.connect() as conn:
        assert len(conn.execute(select(order_state)).all()) == 1


def test_jobs_of_stations_are_apart_and_holds_and_deviations_open_and_close(
    client: TestClient, readers: dict[str, str]
) -> None:
    admin = readers["admin"]
    deviation = DeviationOpened(
        order_id="4711",
        operation_id="0010",
        instruction_id="WI-1",
        instruction_version="1",
        step_id="s1",
        deviation_id="D-1",
        check="Torque",
        value="9.0",
        containment=Containment.HOLD,
        product="Water",
    )
    hold = HoldPlaced(hold_id="H-1", order_id="4711", deviation_id="D-1")
    filler = [fact(1, started()), fact(2, deviation), fact(3, hold), fact(4, counted(3))]
    assert statuses(post(client, readers[FILLER], filler)) == ["accepted"] * 4
    # The labeler's job of the same order comes in between, with its own counts.
    label = OrderStarted(order_id="4711", operation_id="0020", product="Water", quantity=1000)
    labeler = [
        fact(1, label, station=LABELER, operation="0020"),
        fact(2, counted(2), station=LABELER, operation="0020"),
    ]
    assert statuses(post(client, readers[LABELER], labeler, LABELER)) == ["accepted"] * 2
    shown = one_order(client, admin)
    jobs = {(j["station_id"], j["operation_id"]): j for j in shown["jobs"]}
    assert jobs[(FILLER, "0010")]["good"] == 3
    assert jobs[(FILLER, "0010")]["holds"] == ["H-1"]
    assert jobs[(FILLER, "0010")]["deviations"] == ["D-1"]
    assert jobs[(LABELER, "0020")]["good"] == 2
    assert jobs[(LABELER, "0020")]["holds"] == []
    assert [h["hold_id"] for h in shown["holds"]] == ["H-1"]

    sign = signature("S-1", "P-2001", LEAD_HASH, SubjectType.DEVIATION, "D-1")
    decided = DeviationDecided(
        deviation_id="D-1",
        decision=Decision.REWORK,
        why="rework",
        signature_id="S-1",
        order_id="4711",
    )
    released = HoldReleased(hold_id="H-1", order_id="4711", why="reworked", signature_id="S-1")
    closing = [fact(5, sign), fact(6, decided), fact(7, released)]
    assert statuses(post(client, readers[FILLER], closing)) == ["accepted"] * 3
    shown = one_order(client, admin)
    assert (shown["holds"], shown["deviations"]) == ([], [])
    assert all(j["holds"] == [] and j["deviations"] == [] for j in shown["jobs"])
    assert flags(client, admin) == []


def test_a_release_that_arrives_before_its_hold_leaves_the_hold_closed(
    client: TestClient, readers: dict[str, str]
) -> None:
    released = HoldReleased(hold_id="H-9", order_id="4711", why="checked", signature_id="S-9")
    at_labeler = [fact(1, released, station=LABELER, operation="0020")]
    assert statuses(post(client, readers[LABELER], at_labeler, LABELER)) == ["accepted"]
    held = [fact(1, started()), fact(2, HoldPlaced(hold_id="H-9", order_id="4711"))]
    assert statuses(post(client, readers[FILLER], held)) == ["accepted", "accepted"]
    shown = one_order(client, readers["admin"])
    assert shown["holds"] == []
    assert the_job(client, readers["admin"])["holds"] == []


# -- flags, never refusals --------------------------------------------------------------------


def test_an_order_cancelled_in_master_data_run_offline_is_stored_and_flagged(
    client: TestClient, engine: Engine, readers: dict[str, str]
) -> None:
    token = readers[FILLER]
    batch = [fact(1, started("4712"), order_id="4712"), fact(2, counted(4), order_id="4712")]
    assert statuses(post(client, token, batch)) == ["accepted", "accepted"]
    with engine.connect() as conn:
        assert conn.execute(select(rejection)).all() == []
    job = the_job(client, readers["admin"], "4712")
    assert (job["state"], job["good"]) == ("running", 4)
    [flag] = flags(client, readers["admin"])
    assert (flag["kind"], flag["order_id"], flag["station_id"]) == (
        "cancelled_while_running",
        "4712",
        FILLER,
    )
    assert flag["since"] == batch[0]["occurred_at"]
    assert "cancelled" in flag["detail"]
    assert [f["kind"] for f in one_order(client, token, "4712")["flags"]] == [
        "cancelled_while_running"
    ]


def test_an_order_unknown_to_master_data_is_stored_and_flagged(
    client: TestClient, readers: dict[str, str]
) -> None:
    batch = [fact(1, started("9999"), order_id="9999"), fact(2, counted(1), order_id="9999")]
    assert statuses(post(client, readers[FILLER], batch)) == ["accepted", "accepted"]
    shown = one_order(client, readers["admin"], "9999")
    assert shown["master"] is None
    assert [f["kind"] for f in shown["flags"]] == ["unknown_order"]
    assert [f["kind"] for f in flags(client, readers["admin"])] == ["unknown_order"]


def test_a_cancellation_imported_while_a_station_runs_the_order_is_flagged(
    client: TestClient,
    *,
    database_url: str,
    demo_plant: PlantFile,
    readers: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert statuses(post(client, readers[FILLER], [fact(1, started())])) == ["accepted"]
    assert flags(client, readers["admin"]) == []
    changed = tmp_path / "plant.json"
    changed.write_text(plant(demo_plant, cancel=("4711",)).model_dump_json(), encoding="utf-8")
    assert server("import", str(changed), "--db", database_url) == 0
    assert "1 job(s) that stations run are of orders now cancelled" in capsys.readouterr().err
    [flag] = flags(client, readers["admin"])
    assert (flag["kind"], flag["order_id"], flag["station_id"], flag["event_id"]) == (
        "cancelled_while_running",
        "4711",
        FILLER,
        None,
    )
    # Importing again raises no second flag; nor do the station's next facts.
    assert server("import", str(changed), "--db", database_url) == 0
    assert statuses(post(client, readers[FILLER], [fact(2, counted(1))])) == ["accepted"]
    assert len(flags(client, readers["admin"])) == 1


def signature(
    signature_id: str,
    person_id: str,
    pin_hash: str,
    subject_type: SubjectType = SubjectType.STEP,
    subject_id: str = "4711/0010/s1",
) -> SignatureGiven:
    return SignatureGiven(
        signature_id=signature_id,
        person_id=person_id,
        name="someone",
        role="team_lead",
        meaning="approved",
        components=SignComponents.BADGE_AND_PIN,
        subject_type=subject_type,
        subject_id=subject_id,
        order_id="4711",
        pin_hash_id=pin_hash_id(pin_hash),
    )


@pytest.mark.parametrize(
    ("person_id", "pin_hash", "subject_type", "why"),
    [
        ("P-2001", OPERATOR_HASH, SubjectType.STEP, "not P-2001's current one"),
        ("P-9999", LEAD_HASH, SubjectType.STEP, "P-9999 is not a person in master data"),
        ("P-1001", OPERATOR_HASH, SubjectType.DEVIATION, "P-1001 is operator"),
        ("P-1001", OPERATOR_HASH, SubjectType.HOLD, "needs quality or team_lead"),
    ],
    ids=["wrong-pin-hash", "unknown-person", "operator-decides-deviation", "operator-releases"],
)
def test_a_signature_master_data_does_not_bear_out_is_stored_and_flagged(
    client: TestClient,
    *,
    engine: Engine,
    readers: dict[str, str],
    person_id: str,
    pin_hash: str,
    subject_type: SubjectType,
    why: str,
) -> None:
    signed = signature("S-1", person_id, pin_hash, subject_type, "D-1")
    assert statuses(post(client, readers[FILLER], [fact(1, started()), fact(2, signed)])) == [
        "accepted",
        "accepted",
    ]
    with engine.connect() as conn:
        [check] = conn.execute(select(signature_check)).all()
    assert (check.signature_id, check.person_id, check.verified) == ("S-1", person_id, False)
    assert (check.meaning, check.subject_type, check.subject_id) == (
        "approved",
        subject_type,
        "D-1",
    )
    assert why in check.why
    [flag] = flags(client, readers["admin"])
    assert (flag["kind"], flag["order_id"], flag["station_id"]) == (
        "signature_unverified",
        "4711",
        FILLER,
    )
    assert why in flag["detail"]


def test_a_signature_master_data_bears_out_is_stored_as_verified(
    client: TestClient, engine: Engine, readers: dict[str, str]
) -> None:
    signs = [
        fact(1, signature("S-1", "P-2001", LEAD_HASH, SubjectType.DEVIATION, "D-1")),
        fact(2, signature("S-2", "P-1001", OPERATOR_HASH)),
    ]
    assert statuses(post(client, readers[FILLER], signs)) == ["accepted", "accepted"]
    with engine.connect() as conn:
        checks = conn.execute(select(signature_check).order_by(signature_check.c.id)).all()
    assert [(c.signature_id, c.verified, c.why) for c in checks] == [
        ("S-1", True, None),
        ("S-2", True, None),
    ]
    assert flags(client, readers["admin"]) == []


# -- who reads what ---------------------------------------------------------------------------


def test_a_station_reads_its_own_line_and_the_admin_every_line(
    client: TestClient, readers: dict[str, str]
) -> None:
    assert statuses(post(client, readers[FILLER], [fact(1, started("9999"), order_id="9999")])) == [
        "accepted"
    ]
    other = [fact(1, started("5001"), station=OTHER, order_id="5001", line="Line2")]
    assert statuses(post(client, readers[OTHER], other, OTHER)) == ["accepted"]

    def order_ids(token: str) -> list[str]:
        response = client.get("/api/v1/orders", headers=bearer(token))
        assert response.status_code == 200, response.text
        return [o["order_id"] for o in response.json()["orders"]]

    # The running ones first, then by id.
    assert order_ids(readers["admin"]) == ["5001", "9999", "4711", "4712"]
    assert order_ids(readers[LABELER]) == ["9999", "4711", "4712"]
    assert order_ids(readers[OTHER]) == ["5001"]
    assert [f["order_id"] for f in flags(client, readers[OTHER])] == []
    assert [f["order_id"] for f in flags(client, readers[LABELER])] == ["9999"]
    assert client.get("/api/v1/orders/5001", headers=bearer(readers[FILLER])).status_code == 404
    missing = client.get("/api/v1/orders/nope", headers=bearer(readers["admin"]))
    assert missing.status_code == 404
    assert "no order 'nope'" in missing.json()["detail"]
    for path in ("/api/v1/orders", "/api/v1/orders/4711", "/api/v1/flags"):
        assert client.get(path).status_code == 401
        assert client.get(path, headers=bearer("not-a-token")).status_code == 401


# -- the team lead's table --------------------------------------------------------------------


def test_the_cli_prints_orders_and_flags_and_clears_a_flag(
    client: TestClient,
    database_url: str,
    readers: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    batch = [fact(1, started("4712"), order_id="4712"), fact(2, counted(12, 3), order_id="4712")]
    assert statuses(post(client, readers[FILLER], batch)) == ["accepted", "accepted"]
    capsys.readouterr()

    assert server("orders", "--db", database_url) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == [
        "ORDER",
        "STATUS",
        "OPERATION",
        "STATION",
        "STATE",
        "GOOD",
        "DEFECTIVE",
        "STARTED",
        "HOLDS",
        "FLAGS",
    ]
    assert lines[1].split() == [
        "4712",
        "cancelled",
        "0010",
        FILLER,
        "running",
        "12",
        "3",
        "2025-03-04",
        "06:31",
        "UTC",
        "0",
        "cancelled_while_running",
    ]
    assert [line.split()[:3] for line in lines[2:]] == [
        ["4711", "released", "-"],
        ["5001", "released", "-"],
    ]

    assert server("orders", "--flags", "--db", database_url) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "KIND", "ORDER", "STATION", "SINCE", "DETAIL"]
    assert lines[1].split()[1:7] == [
        "cancelled_while_running",
        "4712",
        FILLER,
        "2025-03-04",
        "06:31",
        "UTC",
    ]
    flag_id = lines[1].split()[0]

    assert server("orders", "--clear", flag_id, "--db", database_url) == 0
    assert capsys.readouterr().out == f"flag {flag_id} cleared\n"
    assert server("orders", "--flags", "--db", database_url) == 0
    assert capsys.readouterr().out == "no open flags\n"
    assert server("orders", "--clear", flag_id, "--db", database_url) == 2
    assert f"no open flag {flag_id}" in capsys.readouterr().err


def test_the_admin_token_from_the_cli_reads_and_a_new_one_replaces_it(
    client: TestClient,
    database_url: str,
    readers: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    capsys.readouterr()
    assert server("admin-token", "--db", database_url) == 0
    token = capsys.readouterr().out.strip()
    assert client.get("/api/v1/flags", headers=bearer(token)).status_code == 200
    assert client.get("/api/v1/flags", headers=bearer(readers["admin"])).status_code == 401
    # It reads only: it delivers no events.
    assert post(client, token, [fact(1, started())]).status_code == 401
