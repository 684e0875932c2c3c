"""The sync state on the real QML with the real engine and a real `lineside server`."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lineside.app.hmi import Hmi
from lineside.devices.machine import SimMachine
from lineside.station.config import load_station_config
from tests.conftest import StartServer
from tests.servers import ServerProcess

from .conftest import item, tap, until
from .test_sync_view import sign_in


async def all_sent(hmi: Hmi, within: float = 30) -> int:
    """Wait until the outbox is empty and the badge says so; the number of events recorded."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        await hmi.ledger.flush()
        counts = await hmi.store.outbox_counts()
        shown = str(item(hmi, "headerSync").property("value"))
        if counts.waiting == 0 and shown == "All sent":
            return len(await hmi.store.events())
        assert loop.time() < deadline, f"{counts.waiting} in the outbox, the header says {shown!r}"
        await asyncio.sleep(0.05)


async def waiting_shown(hmi: Hmi, sent: int, at_least: int, within: float = 30) -> None:
    """Wait until at least `at_least` events were recorded after `sent` and the sync badge
    says "N waiting" for the N events the outbox holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        await hmi.ledger.flush()
        since = len(await hmi.store.events()) - sent
        waiting = (await hmi.store.outbox_counts()).waiting
        shown = str(item(hmi, "headerSync").property("value"))
        if since >= at_least and waiting == since and shown.startswith(f"{waiting} waiting"):
            return
        assert loop.time() < deadline, (
            f"{since} recorded since, {waiting} in the outbox, the header says {shown!r}"
        )
        await asyncio.sleep(0.05)


async def test_the_header_follows_the_real_server_going_away_and_coming_back(
    station_config: Path, start_server: StartServer
) -> None:
    server = start_server()
    (station_config.parent / "station.token").write_text(server.tokens["L1-FILLER"])
    with station_config.open("a", encoding="utf-8") as f:
        f.write(f'\n[server]\nurl = "{server.url}"\ntoken_file = "station.token"\n')
    machine = SimMachine(publishing_interval_ms=50, lost_after_s=0.5)
    machine.set(state_current=6, unit_mode=1, good_count=1000, defective_count=3, speed=600.0)
    hmi = Hmi(load_station_config(station_config), machine=machine)
    await hmi.start()
    back: ServerProcess | None = None
    try:
        badge = lambda: item(hmi, "headerSync")  # noqa: E731
        await until(lambda: badge().property("caption") == "Server · Online", within=30)
        await sign_in(hmi, "2001")  # the team lead, from the plant data
        # Everything so far is confirmed, the lead's sign-in included (the badge may still
        # say "All sent" from before it was recorded).
        sent = await all_sent(hmi)

        assert server.process.terminate() == 0
        await sign_in(hmi, "1001")  # sign-out of the lead and sign-in of Anna: 2 waiting
        await until(lambda: badge().property("caption") == "Server · Offline", within=30)
        # The header counts what the record holds since the server went: the two sign-in
        # facts, and any fact the station records meanwhile by itself (the counts interval).
        await waiting_shown(hmi, sent, at_least=2)
        assert badge().property("fill").alpha() > 0  # abnormal: coloured

        back = ServerProcess(server.database_url, port=server.process.port)
        back.wait_ready()
        await tap(hmi, "headerSync")
        await until(lambda: item(hmi, "syncView").isVisible())
        await tap(hmi, "syncNow")
        await until(lambda: badge().property("value") == "All sent", within=30)
        assert badge().property("caption") == "Server · Online"
        assert badge().property("fill").alpha() == 0
    finally:
        await hmi.stop()
        if back is not None:
            assert back.terminate() == 0
