"""An order run by the instruction while the server is away: the station works on its cached
plant data (orders, instruction, PIN hashes), and once the server is back it holds the same
order state and bears out every signature, with nothing quarantined and no flag raised."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from lineside.domain.events import Decision
from lineside.domain.master_data import SignatureMeaning
from lineside.station.commands import execution, orders, session
from tests.conftest import StartServer
from tests.integration.conftest import StationFiles, WiredStation, async_wait_until
from tests.integration.test_station_sync import assert_exactly_once, synced, with_server
from tests.servers import ServerProcess

StationFactory = Callable[..., StationFiles]


def rows(database_url: str, sql: str) -> list[sa.Row[tuple[object, ...]]]:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(sa.text(sql)).all())
    finally:
        engine.dispose()


async def test_an_order_signed_offline_is_borne_out_by_the_server_later(
    station_files: StationFactory,
    wired_station: Callable[[StationFiles], object],
    start_server: StartServer,
) -> None:
    server = start_server()
    files = with_server(
        station_files(1, reconnect_interval_s=5.0), server.url, server.tokens["L1-FILLER"]
    )
    station: WiredStation = await wired_station(files)  # type: ignore[misc]
    ledger = station.ledger
    await async_wait_until(
        lambda: ("4712" in ledger.orders and "WI-FILL-JUICE" in ledger.instructions) or None,
        "the orders and instructions from the server",
    )
    anna = ledger.people.by_badge("1001")
    assert anna is not None
    await session.sign_in(ledger, anna)
    await synced(station, "the sign-in delivered")

    assert server.process.terminate() == 0  # from here on the station is on its own
    await orders.start(ledger, "4712", "0010")  # apple juice
    signer = await execution.verify_signer(ledger, "1234", badge="1001")  # the demo PIN
    await execution.sign_step(ledger, "clean", SignatureMeaning.PERFORMED, signer)
    outcome = await execution.record_check(ledger, "brix", "12.3")  # over 11.5 °Bx
    assert not outcome.within
    assert outcome.hold_id is not None  # the check's own containment: hold
    lead = await execution.verify_signer(ledger, "3456", badge="2001")
    assert outcome.deviation_id is not None
    await execution.decide_deviation(
        ledger, outcome.deviation_id, Decision.REWORK, "diluted to 11.0", lead, release_hold=True
    )
    await execution.record_check(ledger, "volume", "500.2")

    back = ServerProcess(server.database_url, port=server.process.port)
    try:
        back.wait_ready()
        assert station.sync is not None
        station.sync.sync_now()
        status = await synced(station, "the offline work delivered")
        assert status.quarantined == 0
        await station.stop()
        assert_exactly_once(server.database_url, files)
    finally:
        assert back.terminate() == 0

    checks = rows(
        server.database_url,
        "SELECT person_id, meaning, subject_type, verified, why FROM signature_check "
        "ORDER BY signed_at",
    )
    assert [(c[0], c[1], c[2], bool(c[3])) for c in checks] == [
        ("P-1001", "performed", "step", True),
        ("P-2001", "approved", "deviation", True),
    ], checks
    (state,) = rows(
        server.database_url,
        "SELECT state, product FROM order_state WHERE order_id = '4712' AND station_id = "
        "'L1-FILLER'",
    )
    assert tuple(state) == ("running", "Apple juice 0.5 l")
    holds = rows(server.database_url, "SELECT released_at FROM order_hold")
    assert len(holds) == 1
    assert holds[0][0] is not None
    assert rows(server.database_url, "SELECT kind FROM order_flag") == []
    steps = rows(
        server.database_url,
        "SELECT payload FROM event WHERE type IN ('step.confirmed', 'check.recorded')",
    )
    assert steps
    assert all('"instruction_version":"1"' in str(s[0]).replace(" ", "") for s in steps)
