"""Render the station screens offscreen to docs/screenshots/*.png (run with the venv's python)."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

import qasync
from PySide6.QtGui import QGuiApplication

from lineside.app.cli import write_demo_station
from lineside.app.hmi import Hmi
from lineside.devices.machine import SimMachine
from lineside.domain.events import utc_now
from lineside.offline.sync_status import QuarantinedEvent, SyncStatus
from lineside.station.config import load_station_config

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(os.environ.get("LINESIDE_SHOTS", ROOT / "docs" / "screenshots"))


class ShownSync:
    """A sync engine whose statuses and quarantine the script sets, to show each look."""

    def __init__(self, status: SyncStatus) -> None:
        self.status = status
        self.held: list[QuarantinedEvent] = []
        self.listeners: list[Callable[[SyncStatus], None]] = []

    def push(self, status: SyncStatus) -> None:
        """Publish a status."""
        self.status = status
        for listener in self.listeners:
            listener(status)

    def subscribe(self, on_status: Callable[[SyncStatus], None]) -> None:
        """Remember the screen's listener and tell it the status now."""
        self.listeners.append(on_status)
        on_status(self.status)

    def sync_now(self) -> None:
        """Nothing to try."""

    async def quarantine(self) -> list[QuarantinedEvent]:
        """The events set by the script."""
        return list(self.held)

    async def retry_quarantined(self, seqs: Sequence[int]) -> None:
        """Nothing to send."""

    async def export_quarantine(self, directory: Path) -> Path:
        """Nothing is written."""
        return directory / "quarantine.jsonl"


async def until(predicate: Callable[[], bool], within: float = 10.0) -> None:
    """Wait until the predicate holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not predicate():
        if loop.time() > deadline:
            raise TimeoutError("screen did not reach the expected state")
        await asyncio.sleep(0.02)


async def shoot(hmi: Hmi, name: str) -> None:
    """Let the screen settle, then save it."""
    await asyncio.sleep(0.4)
    assert hmi.window is not None
    hmi.window.grabWindow().save(str(OUT / f"{name}.png"))
    print(f"docs/screenshots/{name}.png")


async def show_the_day(hmi: Hmi, machine: SimMachine) -> Callable[..., Awaitable[None]]:
    """A few stops of a shift (coded, micro, uncoded, planned); returns the stop maker."""
    prompt = hmi.prompt_vm
    assert prompt is not None

    async def stop(seconds: float, **signals: object) -> None:
        machine.set(state_current=signals.pop("state", 11), **signals)  # type: ignore[arg-type]
        await until(lambda: hmi.ledger.open_stop is not None)
        await asyncio.sleep(seconds)

    await stop(3.0, stop_reason_id=23, stop_reason_message="Low product level")
    prompt.choose_suggested()
    await until(lambda: not prompt.visible)
    machine.set(state_current=6, stop_reason_id=0, stop_reason_message="")
    await until(lambda: hmi.ledger.open_stop is None)
    await stop(0.5, state=2)
    machine.set(state_current=6)
    await until(lambda: hmi.ledger.open_stop is None)
    await stop(2.5, state=5, starved=True)
    prompt.defer()
    machine.set(state_current=6, starved=False, good_count=18420)
    await until(lambda: hmi.ledger.open_stop is None)
    await shoot(hmi, "station")
    await stop(1.5, state=17, stop_reason_message="Order complete")
    await shoot(hmi, "planned")  # planned: coded by itself, no prompt, no alarm colour
    machine.set(state_current=6, good_count=18460)
    await until(lambda: hmi.ledger.open_stop is None)

    return stop


async def main(where: Path) -> None:
    config = write_demo_station(where)
    text = config.read_text().replace("micro_stop_threshold_s = 30", "micro_stop_threshold_s = 2")
    # Breaks make a stop planned: the screens must look the same whatever the time of day.
    text = "\n".join(line for line in text.splitlines() if not line.startswith("breaks = "))
    config.write_text(text)
    machine = SimMachine(publishing_interval_ms=50, lost_after_s=0.5)
    machine.set(state_current=6, unit_mode=1, good_count=18342, defective_count=41, speed=600.0)
    sync = ShownSync(SyncStatus(online=True, last_delivered_at=utc_now(), master_data_at=utc_now()))
    hmi = Hmi(load_station_config(where / "station.toml"), machine=machine, sync=sync)
    await hmi.start()
    prompt, stops = hmi.prompt_vm, hmi.stops_vm
    assert prompt is not None
    assert stops is not None

    stop = await show_the_day(hmi, machine)
    await stop(1.0, stop_reason_id=17, stop_reason_message="Bottle jam infeed")
    await until(lambda: prompt.visible)
    await shoot(hmi, "prompt")
    prompt.choose("MECH")
    await shoot(hmi, "prompt-level")
    prompt.defer()
    await until(lambda: not prompt.visible)
    await shoot(hmi, "stop-list")
    stops.begin_split(hmi.ledger.open_stop.stop_id if hmi.ledger.open_stop else "")
    await shoot(hmi, "split")
    stops.cancel_split()
    sign_in = hmi.sign_in_vm
    assert sign_in is not None
    sign_in.open()
    for digit in "100":
        sign_in.press(digit)
    await shoot(hmi, "sign-in")
    sign_in.press("1")
    sign_in.confirm()
    await until(lambda: not sign_in.visible)
    await show_links(hmi, machine, sync)
    await hmi.stop()


async def show_links(hmi: Hmi, machine: SimMachine, sync: ShownSync) -> None:
    """The machine link lost; the header offline with a backlog; the sync screen with refused
    events; blocked input."""
    machine.drop_connection()
    await until(lambda: hmi.station_vm is not None and hmi.station_vm.connection == "lost")
    await shoot(hmi, "no-connection")
    machine.restore_connection()
    await until(lambda: hmi.station_vm is not None and hmi.station_vm.connection == "connected")
    sync_vm = hmi.sync_vm
    assert sync_vm is not None
    now = utc_now()
    offline = SyncStatus(
        online=False,
        waiting=120,
        oldest_waiting_at=now - timedelta(hours=2, minutes=12),
        last_delivered_at=now - timedelta(hours=2, minutes=13),
        last_error="The server did not answer: connection refused (10.0.4.20:443)",
        next_attempt_at=now + timedelta(seconds=40),
        master_data_at=now - timedelta(hours=3, minutes=1),
    )
    sync.push(offline)
    await shoot(hmi, "sync-offline")
    reasons = (
        ("downtime.coded", "Reason code MECH.JAM.OLD is not in reason tree filler@4"),
        ("downtime.recoded", "Stop 0190b2e4 is not known to the server"),
        ("person.signed_in", "Badge 4711 is not in the plant's people list"),
    )
    sync.held = [
        QuarantinedEvent(
            seq=seq,
            event_id=f"0190b2e4-{seq:04d}",
            type=kind,
            occurred_at=now - timedelta(hours=1, minutes=seq),
            reason=reason,
            quarantined_at=now - timedelta(minutes=50),
            attempts=seq % 4 + 1,
            retrying=seq == 3,
        )
        for seq, (kind, reason) in enumerate(reasons, start=1)
    ]
    sync.push(
        SyncStatus(
            online=True,
            waiting=4,
            oldest_waiting_at=now - timedelta(seconds=20),
            quarantined=len(sync.held),
            last_delivered_at=now - timedelta(seconds=5),
            clock_offset_s=-4.2,
            master_data_at=now - timedelta(minutes=4),
        )
    )
    sync_vm.open_details()
    sync_vm.export()  # nobody signed in: the screen says who may
    await shoot(hmi, "sync")
    sync_vm.close_details()
    sync.push(
        SyncStatus(
            online=False,
            waiting=500_000,
            oldest_waiting_at=now - timedelta(days=3, hours=4),
            input_blocked="The outbox is full: 500 000 events wait for the server. "
            "Nothing new can be saved until the server takes them.",
        )
    )
    await shoot(hmi, "input-blocked")


if __name__ == "__main__":
    app = QGuiApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        qasync.run(main(Path(tmp)))
