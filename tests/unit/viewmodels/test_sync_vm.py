"""The sync viewmodel without QML: texts, when it is abnormal, and who may retry or export."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QModelIndex, Qt

from lineside.domain.people import Role
from lineside.domain.plant_time import PlantClock
from lineside.offline.sync_status import QuarantinedEvent, SyncStatus
from lineside.viewmodels.sync import ROLES, SyncViewModel

NOW = datetime(2026, 11, 22, 13, 0, tzinfo=UTC)  # 14:00 in Berlin
CLOCK = PlantClock(ZoneInfo("Europe/Berlin"))


def quarantined(seq: int, attempts: int = 3, retrying: bool = False) -> QuarantinedEvent:
    return QuarantinedEvent(
        seq=seq,
        event_id=f"E-{seq}",
        type="downtime.coded",
        occurred_at=NOW - timedelta(hours=1),
        reason="unknown reason code MECH.OLD",
        quarantined_at=NOW - timedelta(minutes=50),
        attempts=attempts,
        retrying=retrying,
    )


class FakeSync:
    """A sync engine the test drives: it pushes statuses and holds the quarantine in memory."""

    def __init__(self, held: Sequence[QuarantinedEvent] = ()) -> None:
        self.held = list(held)
        self.listeners: list[Callable[[SyncStatus], None]] = []
        self.retried: list[list[int]] = []
        self.exported: list[Path] = []
        self.sync_now_calls = 0

    def push(self, status: SyncStatus) -> None:
        """Publish a status as the engine would."""
        for listener in self.listeners:
            listener(status)

    def subscribe(self, on_status: Callable[[SyncStatus], None]) -> None:
        self.listeners.append(on_status)

    def sync_now(self) -> None:
        self.sync_now_calls += 1

    async def quarantine(self) -> list[QuarantinedEvent]:
        await asyncio.sleep(0)
        return list(self.held)

    async def retry_quarantined(self, seqs: Sequence[int]) -> None:
        await asyncio.sleep(0)
        self.retried.append(list(seqs))

    async def export_quarantine(self, directory: Path) -> Path:
        await asyncio.sleep(0)
        path = directory / "quarantine-1.jsonl"
        self.exported.append(path)
        return path


def make(
    sync: FakeSync, role: Role | None = Role.OPERATOR, now: datetime = NOW
) -> tuple[SyncViewModel, list[Role | None]]:
    roles = [role]
    vm = SyncViewModel(sync, CLOCK, lambda: roles[0], Path("/exports"), now=lambda: now)
    return vm, roles


def rows(vm: SyncViewModel) -> list[dict[str, Any]]:
    model, base = vm.model, int(Qt.ItemDataRole.UserRole)
    return [
        {name: model.data(model.index(r), base + i) for i, name in enumerate(ROLES)}
        for r in range(model.rowCount(QModelIndex()))
    ]


def test_online_with_everything_sent_is_normal(qapp: Any) -> None:
    sync = FakeSync()
    vm, _ = make(sync)
    assert (vm.sync_text, vm.badge_caption, vm.badge_text) == (
        "Not checked yet",
        "Server",
        "Not checked yet",
    )
    sync.push(SyncStatus(online=True, last_delivered_at=NOW - timedelta(minutes=2)))
    assert (vm.online, vm.abnormal, vm.badge_kind) == (True, False, "normal")
    assert (vm.badge_caption, vm.badge_text) == ("Server · Online", "All sent")
    assert vm.waiting_text == "All sent"
    assert vm.oldest_text == ""
    assert vm.quarantined_text == "Nothing quarantined"
    assert vm.last_delivered_text == "Last delivered 13:58:00"
    assert vm.master_data_text == "No plant data yet — using the station's files"
    assert (vm.clock_warning, vm.clock_text, vm.input_blocked) == (False, "", "")


def test_offline_with_a_backlog_says_how_much_and_how_old(qapp: Any) -> None:
    sync = FakeSync()
    vm, _ = make(sync)
    sync.push(
        SyncStatus(
            online=False,
            waiting=120,
            oldest_waiting_at=NOW - timedelta(hours=2, minutes=12, seconds=30),
            last_error="The server did not answer (connection refused)",
            next_attempt_at=NOW + timedelta(seconds=40),
            master_data_at=NOW - timedelta(hours=3, minutes=1),
        )
    )
    assert (vm.online, vm.abnormal, vm.badge_kind) == (False, True, "offline")
    assert vm.sync_text == "Offline"
    assert vm.waiting_text == "120 waiting"
    assert vm.oldest_text == "oldest 2 h 12 min"
    assert (vm.badge_caption, vm.badge_text) == ("Server · Offline", "120 waiting · 2 h")
    assert vm.last_error == "The server did not answer (connection refused)"
    assert vm.last_delivered_text == "Nothing delivered yet"
    assert vm.next_attempt_text == "Next try at 14:00:40 (in 40 s)"
    assert vm.master_data_text == "Plant data from 10:59 (3 h 1 min old)"


def test_an_old_backlog_while_online_needs_attention_and_ages_with_the_timer(qapp: Any) -> None:
    sync = FakeSync()
    now = [NOW]
    vm = SyncViewModel(sync, CLOCK, lambda: None, Path("/exports"), now=lambda: now[0])
    sync.push(SyncStatus(online=True, waiting=12, oldest_waiting_at=NOW - timedelta(minutes=4)))
    assert (vm.abnormal, vm.badge_kind, vm.badge_text) == (False, "normal", "12 waiting · 4 min")
    assert vm.oldest_text == "oldest 4 min"
    now[0] = NOW + timedelta(minutes=2)
    vm._update()  # what the timer does every few seconds
    assert (vm.abnormal, vm.badge_kind) == (True, "attention")
    assert vm.oldest_text == "oldest 6 min"
    assert vm.badge_text == "12 waiting · 6 min"


def test_quarantine_and_blocked_input_are_alarms(qapp: Any) -> None:
    sync = FakeSync()
    vm, _ = make(sync)
    sync.push(SyncStatus(online=True, quarantined=3))
    assert (vm.abnormal, vm.badge_kind, vm.quarantined) == (True, "alarm", 3)
    assert vm.quarantined_text == "3 quarantined"
    assert (vm.badge_caption, vm.badge_text) == ("Server · Online · 3 quarantined", "All sent")
    sync.push(SyncStatus(online=True, quarantined=3, clock_offset_s=5.0))
    assert vm.badge_caption == "Server · Online · 3 quarantined"  # the alarm before the clock
    sync.push(SyncStatus(online=False, input_blocked="The outbox is full (500 000 events)."))
    assert (vm.badge_kind, vm.badge_text) == ("alarm", "Input blocked")
    assert vm.badge_caption == "Server · Offline"
    assert vm.input_blocked == "The outbox is full (500 000 events)."


@pytest.mark.parametrize(
    ("offset", "words"),
    [(-4.2, "4.2 s ahead of"), (3.0, "3.0 s behind")],
)
def test_a_wrong_station_clock_is_told_in_words(qapp: Any, offset: float, words: str) -> None:
    sync = FakeSync()
    vm, _ = make(sync)
    sync.push(SyncStatus(online=True, clock_offset_s=offset))
    assert (vm.clock_warning, vm.abnormal, vm.badge_kind) == (True, True, "attention")
    assert vm.clock_text == f"The station clock is {words} the server. Call IT."
    assert (vm.badge_caption, vm.badge_text) == ("Server · Online · Clock off", "All sent")
    sync.push(SyncStatus(online=True, clock_offset_s=1.0))
    assert (vm.clock_warning, vm.clock_text, vm.abnormal) == (False, "", False)


def test_texts_notify_only_when_they_change(qapp: Any) -> None:
    sync = FakeSync()
    vm, _ = make(sync)
    seen: list[str] = []
    vm.waiting_text_changed.connect(lambda: seen.append(vm.waiting_text))
    vm.online_changed.connect(lambda: seen.append("online"))
    for waiting in (5, 5, 0):
        sync.push(SyncStatus(online=True, waiting=waiting, oldest_waiting_at=NOW))
    assert seen == ["online", "5 waiting", "All sent"]


async def test_details_list_the_quarantine_and_follow_its_count(qapp: Any) -> None:
    sync = FakeSync([quarantined(7, attempts=1), quarantined(9, retrying=True)])
    vm, _ = make(sync)
    sync.push(SyncStatus(online=True, quarantined=2))
    vm.open_details()
    assert vm.details_open
    await vm.wait_idle()
    assert rows(vm) == [
        {
            "seq": 7,
            "occurred_text": "13:00:00",
            "event_type": "downtime.coded",
            "type_text": "Reason given",
            "reason_text": "unknown reason code MECH.OLD",
            "attempts_text": "Attempts: 1",
            "retrying": False,
        },
        {
            "seq": 9,
            "occurred_text": "13:00:00",
            "event_type": "downtime.coded",
            "type_text": "Reason given",
            "reason_text": "unknown reason code MECH.OLD",
            "attempts_text": "Attempts: 3",
            "retrying": True,
        },
    ]
    sync.held = [quarantined(9)]
    sync.push(SyncStatus(online=True, quarantined=1))
    await vm.wait_idle()
    assert [r["seq"] for r in rows(vm)] == [9]
    vm.close_details()
    assert not vm.details_open


async def test_only_a_team_lead_retries_or_exports(qapp: Any) -> None:
    sync = FakeSync([quarantined(7), quarantined(9)])
    vm, role = make(sync, Role.OPERATOR)
    sync.push(SyncStatus(online=True, quarantined=2))
    vm.open_details()
    for action in (vm.retry_all, lambda: vm.retry(7), vm.export):
        action()
        await vm.wait_idle()
        assert vm.message == "Sign in as team lead to retry or export"
    role[0] = None
    vm.retry(7)
    assert vm.message == "Sign in as team lead to retry or export"
    assert (sync.retried, sync.exported) == ([], [])

    role[0] = Role.TEAM_LEAD
    vm.retry_all()
    await vm.wait_idle()
    assert sync.retried == [[7, 9]]
    assert vm.message == "Sending 2 events again"
    vm.retry(9)
    await vm.wait_idle()
    assert sync.retried[-1] == [9]
    assert vm.message == "Sending 1 event again"
    vm.export()
    await vm.wait_idle()
    assert sync.exported == [Path("/exports/quarantine-1.jsonl")]
    assert vm.message == "Exported to /exports/quarantine-1.jsonl"


async def test_a_failed_export_is_told_not_raised(qapp: Any) -> None:
    sync = FakeSync()

    async def full_disk(directory: Path) -> Path:
        raise OSError(28, "No space left on device")

    sync.export_quarantine = full_disk  # type: ignore[method-assign]
    vm, _ = make(sync, Role.TEAM_LEAD)
    vm.export()
    await vm.wait_idle()
    assert vm.message == "Could not export: [Errno 28] No space left on device"


def test_send_now_asks_the_engine_and_anyone_may(qapp: Any) -> None:
    sync = FakeSync()
    vm, _ = make(sync, None)
    vm.sync_now()
    assert sync.sync_now_calls == 1
    assert vm.message == "Trying the server now"


def test_times_from_another_day_carry_their_date(qapp: Any) -> None:
    sync = FakeSync()
    vm, _ = make(sync)
    sync.push(SyncStatus(online=True, last_delivered_at=NOW - timedelta(days=2)))
    assert vm.last_delivered_text == "Last delivered 2026-11-20 14:00:00"
