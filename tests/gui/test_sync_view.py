"""The sync state on the real QML: the header badge, the detail screen, the blocking banner."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtGui import QGuiApplication

from lineside.app.hmi import Hmi, install_translator
from lineside.devices.machine import SimMachine
from lineside.domain.events import utc_now
from lineside.offline.sync_status import QuarantinedEvent, SyncStatus
from tests.unit.viewmodels.test_sync_vm import FakeSync

from .conftest import item, items, tap, until


def refused(seq: int) -> QuarantinedEvent:
    now = utc_now()
    return QuarantinedEvent(
        seq=seq,
        event_id=f"E-{seq}",
        type="downtime.coded",
        occurred_at=now - timedelta(hours=1),
        reason=f"unknown reason code MECH.OLD{seq}",
        quarantined_at=now - timedelta(minutes=50),
        attempts=3,
    )


async def sign_in(hmi: Hmi, badge: str) -> None:
    await tap(hmi, "headerPerson")
    await until(lambda: item(hmi, "signInDialog").isVisible())
    for key in (*(f"key{d}" for d in badge), "keyOk"):
        await tap(hmi, key)
    await until(lambda: not item(hmi, "signInDialog").isVisible())


async def test_the_header_shows_the_backlog_while_offline_and_opens_the_details(
    hmi: Hmi, sync: FakeSync
) -> None:
    sync.push(SyncStatus(online=True))
    await until(lambda: item(hmi, "headerSync").property("value") == "All sent")
    assert item(hmi, "headerSync").property("caption") == "Server · Online"
    assert item(hmi, "headerSync").property("fill").alpha() == 0  # normal: no colour

    now = utc_now()
    sync.push(
        SyncStatus(
            online=False,
            waiting=120,
            oldest_waiting_at=now - timedelta(hours=2, minutes=5),
            last_error="The server did not answer (connection refused)",
        )
    )
    await until(lambda: item(hmi, "headerSync").property("value") == "120 waiting · 2 h")
    assert item(hmi, "headerSync").property("caption") == "Server · Offline"
    assert item(hmi, "headerSync").property("icon") == "⚠"
    assert item(hmi, "headerSync").property("fill").alpha() > 0

    await tap(hmi, "headerSync")
    await until(lambda: item(hmi, "syncView").isVisible())
    assert item(hmi, "syncWaiting").property("text") == "120 waiting · oldest 2 h 5 min"
    assert "connection refused" in item(hmi, "syncLastError").property("text")
    assert not item(hmi, "syncClockWarning").isVisible()
    await tap(hmi, "syncNow")
    assert sync.sync_now_calls == 1
    await tap(hmi, "syncClose")
    await until(lambda: not item(hmi, "syncView").isVisible())


async def test_only_a_team_lead_sends_quarantined_events_again(hmi: Hmi, sync: FakeSync) -> None:
    sync.held = [refused(7), refused(9)]
    sync.push(SyncStatus(online=True, quarantined=2))
    await until(
        lambda: item(hmi, "headerSync").property("caption") == "Server · Online · 2 quarantined"
    )
    await tap(hmi, "headerSync")
    await until(lambda: item(hmi, "quarantineRow1").isVisible())
    assert item(hmi, "quarantineReason1").property("text") == "unknown reason code MECH.OLD9"

    await tap(hmi, "retryButton0")  # nobody signed in
    await until(
        lambda: (
            item(hmi, "syncMessage").property("text") == "Sign in as team lead to retry or export"
        )
    )
    await sign_in(hmi, "1001")  # an operator
    await tap(hmi, "syncRetryAll")
    await tap(hmi, "syncExport")
    assert hmi.sync_vm is not None
    await hmi.sync_vm.wait_idle()
    assert (sync.retried, sync.exported) == ([], [])

    await sign_in(hmi, "2001")  # the team lead
    assert item(hmi, "syncView").isVisible()
    await tap(hmi, "retryButton1")
    await until(lambda: sync.retried == [[9]])
    await until(lambda: item(hmi, "syncMessage").property("text") == "Sending 1 event again")
    await tap(hmi, "syncRetryAll")
    await until(lambda: sync.retried == [[9], [7, 9]])
    await tap(hmi, "syncExport")
    await until(lambda: len(sync.exported) == 1)
    await until(lambda: item(hmi, "syncMessage").property("text").startswith("Exported to /"))

    sync.held = []
    sync.push(SyncStatus(online=True))
    await until(lambda: hmi.sync_vm is not None and hmi.sync_vm.model.rowCount() == 0)
    assert not [i for i in items(hmi) if i.objectName().startswith("quarantineRow")]


async def test_blocked_input_covers_the_station_and_says_why(hmi: Hmi, sync: FakeSync) -> None:
    assert isinstance(hmi.machine, SimMachine)
    hmi.machine.set(state_current=11, stop_reason_id=17, stop_reason_message="Bottle jam infeed")
    await until(lambda: item(hmi, "reasonPrompt").isVisible())
    sync.push(SyncStatus(online=False, input_blocked="The outbox is full (500 000 events)."))
    await until(lambda: item(hmi, "inputBlocked").isVisible())
    assert item(hmi, "inputBlockedText").property("text") == "The outbox is full (500 000 events)."
    assert item(hmi, "headerSync").property("value") == "Input blocked"

    await tap(hmi, "suggestedReason")  # under the banner: the tap stops at the banner
    await hmi.ledger.flush()
    assert not [e for e in await hmi.store.events() if e.type == "downtime.coded"]
    assert item(hmi, "reasonPrompt").isVisible()

    await tap(hmi, "inputBlockedDetails")
    await until(lambda: item(hmi, "syncView").isVisible())
    assert item(hmi, "syncInputBlocked").isVisible()
    await tap(hmi, "syncClose")
    sync.push(SyncStatus(online=True))
    await until(lambda: not item(hmi, "inputBlocked").isVisible())


async def test_the_sync_screen_has_touch_sized_buttons_and_a_clock_warning(
    hmi: Hmi, sync: FakeSync
) -> None:
    sync.held = [refused(7)]
    sync.push(SyncStatus(online=True, quarantined=1, clock_offset_s=-4.2))
    await tap(hmi, "headerSync")
    await until(lambda: item(hmi, "quarantineRow0").isVisible())
    assert item(hmi, "syncClockWarning").isVisible()
    assert item(hmi, "syncClockWarning").childItems()[0].property("text") == (
        "! The station clock is 4.2 s ahead of the server. Call IT."
    )
    assert hmi.window is not None
    mm = hmi.window.screen().physicalDotsPerInch() / 25.4
    names = ("syncRetryAll", "syncExport", "syncNow", "syncClose", "retryButton0", "headerSync")
    for name in names:
        assert item(hmi, name).height() >= 12 * mm - 0.5, name


async def test_the_sync_state_speaks_the_plants_language(hmi: Hmi, sync: FakeSync) -> None:
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    translator = install_translator(app, "de")
    assert translator is not None, "the German translation is not compiled (run scripts/bootstrap)"
    try:
        assert hmi.engine is not None
        hmi.engine.retranslate()
        sync.held = [refused(7)]
        sync.push(
            SyncStatus(
                online=False,
                waiting=120,
                quarantined=1,
                oldest_waiting_at=utc_now() - timedelta(hours=2, minutes=5),
            )
        )
        await until(
            lambda: (
                item(hmi, "headerSync").property("caption") == "Server · Offline · 1 in Quarantäne"
            )
        )
        assert item(hmi, "headerSync").property("value") == "120 warten · 2 h"
        await tap(hmi, "headerSync")
        await until(lambda: item(hmi, "quarantineRow0").isVisible())
        assert item(hmi, "syncWaiting").property("text") == "120 warten · ältestes 2 h 5 min"
        assert item(hmi, "retryButton0").property("text") == "Wiederholen"
        await tap(hmi, "retryButton0")
        await until(
            lambda: (
                item(hmi, "syncMessage").property("text")
                == "Als Schichtführung anmelden, um zu wiederholen oder zu exportieren"
            )
        )
    finally:
        app.removeTranslator(translator)
