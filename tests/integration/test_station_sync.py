"""The station as the product builds it, syncing with a real `lineside server` on loopback.

Simulator → station (machine link, ledger, outbox, sync engine) → server, on SQLite and on
PostgreSQL: a stop reaches the server exactly once; the server going away and coming back
loses nothing; new plant data is swapped in and used; HTTPS is verified against the CA.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
import trustme

from lineside.domain.people import Person, Role
from lineside.offline.sync_status import SyncStatus
from lineside.station.commands import session
from tests.conftest import RunningServer, StartServer
from tests.integration.conftest import (
    Processes,
    StationFiles,
    WiredStation,
    async_wait_until,
    held_scenario,
    integrity_check,
    of_type,
    read_outbox,
)
from tests.servers import DEMO_PLANT, ServerProcess

StationFactory = Callable[..., StationFiles]
ANNA = Person(person_id="P-1001", name="Anna Berg", badge="1001", role=Role.OPERATOR)


def with_server(files: StationFiles, url: str, token: str, **keys: object) -> StationFiles:
    """Add a [server] section (and the token file) to a station config."""
    (files.config.parent / "station.token").write_text(token + "\n", encoding="utf-8")
    lines = [f'url = "{url}"', 'token_file = "station.token"']
    lines += [f"{key} = {json.dumps(value)}" for key, value in keys.items()]
    with files.config.open("a", encoding="utf-8") as f:
        f.write("\n[server]\n" + "\n".join(lines) + "\n")
    return files


def server_events(database_url: str, station: str = "L1-FILLER") -> list[tuple[int, str, str]]:
    """(seq, event_id, type) of a station's events on the server, in seq order."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT seq, event_id, type FROM event WHERE station_id = :s ORDER BY seq"),
                {"s": station},
            ).all()
    finally:
        engine.dispose()
    return [(r[0], r[1], r[2]) for r in rows]


def assert_exactly_once(database_url: str, files: StationFiles) -> None:
    """The server holds exactly the station's committed events, once each, seq gap-free."""
    rows = read_outbox(files.db)
    outbox = [(r.seq, r.event_id, r.type) for r in rows]
    assert server_events(database_url) == outbox
    assert [seq for seq, _, _ in outbox] == list(range(1, len(outbox) + 1))
    assert integrity_check(files.db) == ["ok"]


async def synced(station: WiredStation, what: str) -> SyncStatus:
    """Wait until the station is online with nothing waiting."""
    assert station.sync is not None
    await station.sync.refresh_status()
    return await async_wait_until(
        lambda: ((s := station.sync.status).online and s.waiting == 0 and s) or None,  # type: ignore[union-attr]
        f"{what} (status {station.sync.status if station.sync else None})",
    )


async def test_a_stop_on_the_line_reaches_the_server_exactly_once(
    processes: Processes,
    scenario_file: Callable[[str, str], Path],
    station_files: StationFactory,
    wired_station: Callable[[StationFiles], object],
    lineside_server: RunningServer,
) -> None:
    sim = await processes.asimulator(
        "--scenario", str(scenario_file("held.toml", held_scenario(1, "2s"))), "--once"
    )
    files = station_files(sim.port, micro_stop_threshold_s=1)
    with_server(files, lineside_server.url, lineside_server.tokens["L1-FILLER"])
    station: WiredStation = await wired_station(files)  # type: ignore[misc]

    await async_wait_until(
        lambda: (
            any(t == "downtime.ended" for _, _, t in server_events(lineside_server.database_url))
            or None
        ),
        "the stop's end on the server",
    )
    status = await synced(station, "everything delivered")
    assert status.quarantined == 0
    assert status.last_delivered_at is not None
    assert status.clock_offset_s is not None
    assert abs(status.clock_offset_s) < 2.0  # same machine: no clock warning
    assert not status.clock_warning
    await station.stop()
    assert_exactly_once(lineside_server.database_url, files)
    types = [
        t
        for _, _, t in server_events(lineside_server.database_url)
        if t.startswith(("downtime.", "machine."))
    ]
    assert types[:3] == ["machine.connected", "downtime.started", "downtime.ended"]


async def test_the_server_going_away_loses_nothing_and_the_backlog_drains_when_it_is_back(
    station_files: StationFactory,
    wired_station: Callable[[StationFiles], object],
    start_server: StartServer,
) -> None:
    first = start_server()
    files = with_server(
        station_files(1, reconnect_interval_s=5.0),  # no machine: only what people record
        first.url,
        first.tokens["L1-FILLER"],
    )
    station: WiredStation = await wired_station(files)  # type: ignore[misc]
    assert station.sync is not None
    await session.sign_in(station.ledger, ANNA)
    await synced(station, "the sign-in delivered")

    assert first.process.terminate() == 0  # the server is patched on a weekend
    for _ in range(3):
        await session.sign_out(station.ledger)
        await session.sign_in(station.ledger, ANNA)
    offline = await async_wait_until(
        lambda: ((s := station.sync.status).waiting >= 6 and not s.online and s) or None,  # type: ignore[union-attr]
        "the station offline with 6 waiting",
    )
    assert offline.oldest_waiting_at is not None
    assert "server" in offline.last_error.lower()
    assert offline.next_attempt_at is not None

    back = ServerProcess(first.database_url, port=first.process.port)
    try:
        back.wait_ready()
        station.sync.sync_now()  # a team lead's "send now" instead of waiting out the backoff
        await synced(station, "the backlog delivered after the server came back")
        await station.stop()
        assert_exactly_once(first.database_url, files)
    finally:
        assert back.terminate() == 0


async def test_new_plant_data_is_swapped_in_and_coding_uses_the_new_reason_tree(
    tmp_path: Path,
    station_files: StationFactory,
    wired_station: Callable[[StationFiles], object],
    start_server: StartServer,
) -> None:
    plant = json.loads(DEMO_PLANT.read_text(encoding="utf-8"))
    filler = next(t for t in plant["reason_tree"] if t["equipment_class"] == "filler")
    filler["version"] = "5"
    filler["roots"][0]["children"].append({"code": "MECH.STARWHEEL", "label": "Starwheel"})
    plant["person"].append(
        {"person_id": "P-1003", "name": "Lea Novak", "badge": "1003", "role": "operator"}
    )
    newer = tmp_path / "plant-v5.json"
    newer.write_text(json.dumps(plant), encoding="utf-8")
    server = start_server(plants=(newer,))
    files = with_server(
        station_files(1, reconnect_interval_s=5.0), server.url, server.tokens["L1-FILLER"]
    )
    station: WiredStation = await wired_station(files)  # type: ignore[misc]

    tree = await async_wait_until(
        lambda: ((t := station.ledger.reason_tree) and t.version == "5" and t) or None,
        "reason tree v5 from the server in use",
    )
    assert tree.path("MECH.STARWHEEL")
    lea = station.ledger.people.by_badge("1003")  # not in the station's people.json
    assert lea is not None
    assert lea.name == "Lea Novak"
    assert station.ledger.source.master_data == {
        "reason_tree": "filler@5",
        "shift_calendar": "Plant",
    }
    sync = station.sync
    assert sync is not None
    await async_wait_until(lambda: sync.status.master_data_at, "the plant data's age on screen")

    await station.stop()
    # Offline and restarted: the cached plant data is used at once, without the server.
    server.process.terminate()
    again: WiredStation = await wired_station(files)  # type: ignore[misc]
    await async_wait_until(
        lambda: ((t := again.ledger.reason_tree) and t.version == "5") or None,
        "the cached reason tree v5 used while the server is down",
    )


async def test_https_is_verified_against_the_configured_ca(
    tmp_path: Path,
    station_files: StationFactory,
    wired_station: Callable[[StationFiles], object],
    start_server: StartServer,
) -> None:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    certfile, keyfile = tmp_path / "server.pem", tmp_path / "server.key"
    cert.private_key_and_cert_chain_pem.write_to_path(str(certfile))
    cert.private_key_pem.write_to_path(str(keyfile))
    server = start_server(certfile=certfile, keyfile=keyfile)
    assert server.url.startswith("https://")

    # A station that trusts another CA refuses the server and keeps its events.
    stranger = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(stranger))
    files = with_server(
        station_files(1, reconnect_interval_s=5.0),
        server.url,
        server.tokens["L1-FILLER"],
        ca_file=str(stranger),
    )
    wary: WiredStation = await wired_station(files)  # type: ignore[misc]
    await session.sign_in(wary.ledger, ANNA)
    refused = await async_wait_until(
        lambda: ((s := wary.sync.status).last_error and s) or None,  # type: ignore[union-attr]
        "the certificate refused",
    )
    assert "certificate" in refused.last_error.lower()
    assert refused.waiting >= 1
    await wary.stop()
    assert server_events(server.database_url) == []

    # The same station with the right CA delivers everything it kept.
    text = files.config.read_text(encoding="utf-8").replace(str(stranger), str(tmp_path / "ca"))
    files.config.write_text(text, encoding="utf-8")
    ca.cert_pem.write_to_path(str(tmp_path / "ca"))
    trusting: WiredStation = await wired_station(files)  # type: ignore[misc]
    await synced(trusting, "delivered over verified HTTPS")
    await trusting.stop()
    assert_exactly_once(server.database_url, files)
    assert any(of_type("person.signed_in")(row) for row in read_outbox(files.db))
