"""Render the station screens offscreen to docs/screenshots/ (English) and docs/screenshots/de/
(German), every screen and each role's home (run with the venv's python)."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

import qasync
from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication

from lineside.app.cli import write_demo_station
from lineside.app.hmi import Hmi
from lineside.devices.machine import SimMachine
from lineside.domain.events import utc_now
from lineside.offline.sync_status import QuarantinedEvent, SyncStatus
from lineside.station.config import load_station_config

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(os.environ.get("LINESIDE_SHOTS", ROOT / "docs" / "screenshots"))
LANGUAGES = (("en", OUT), ("de", OUT / "de"))
"""Each station language and where its screenshots go (the same file names in each)."""


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
        """Mark the events as being sent again, as the engine does until the server answers."""
        self.held = [replace(e, retrying=e.retrying or e.seq in seqs) for e in self.held]

    async def export_quarantine(self, directory: Path) -> Path:
        """Nothing is written."""
        return directory / "quarantine.jsonl"


@dataclass
class Studio:
    """One station being photographed, and the folder its screenshots go to."""

    hmi: Hmi
    machine: SimMachine
    sync: ShownSync
    out: Path


async def until(predicate: Callable[[], bool], within: float = 10.0) -> None:
    """Wait until the predicate holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not predicate():
        if loop.time() > deadline:
            raise TimeoutError("screen did not reach the expected state")
        await asyncio.sleep(0.02)


def objects(root: QObject) -> Iterator[QObject]:
    """`root` and every object below it (QML animations are children of their items)."""
    todo = [root]
    while todo:
        current = todo.pop()
        yield current
        todo.extend(current.children())


def animating(root: QObject) -> bool:
    """Whether an animation of the scene is running (the prompt's flash)."""
    for obj in objects(root):
        meta = obj.metaObject()
        while meta is not None and meta.className() != "QQuickAbstractAnimation":
            meta = meta.superClass()
        if meta is not None and obj.property("running"):
            return True
    return False


async def next_frame(studio: Studio) -> None:
    """Wait until the window has laid out and drawn its current state."""
    window = studio.hmi.window
    assert window is not None
    swapped = asyncio.get_running_loop().create_future()

    def done() -> None:
        if not swapped.done():
            swapped.set_result(None)

    window.frameSwapped.connect(done)
    window.update()
    try:
        await asyncio.wait_for(swapped, 5)
    finally:
        window.frameSwapped.disconnect(done)


async def shoot(studio: Studio, name: str) -> None:
    """Save the screen once the actions started on it are done and it is drawn at rest."""
    hmi, window = studio.hmi, studio.hmi.window
    assert window is not None
    vms = (hmi.station_vm, hmi.prompt_vm, hmi.stops_vm, hmi.sign_in_vm, hmi.sync_vm)
    for vm in vms:
        if vm is not None:
            await vm.wait_idle()  # commits and the quarantine's load, spawned by the script
    await until(lambda: not animating(window))
    await next_frame(studio)
    path = studio.out / f"{name}.png"
    window.grabWindow().save(str(path))
    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


async def sign_in(hmi: Hmi, badge: str) -> None:
    """Sign in on the keypad as the holder of `badge`."""
    keypad = hmi.sign_in_vm
    assert keypad is not None
    keypad.open()
    for digit in badge:
        keypad.press(digit)
    keypad.confirm()
    await until(lambda: not bool(keypad.visible))


async def stop(studio: Studio, seconds: float, **signals: object) -> str:
    """The machine stops (state 11 unless `state` says otherwise) for `seconds`; its stop id."""
    hmi = studio.hmi
    studio.machine.set(state_current=signals.pop("state", 11), **signals)  # type: ignore[arg-type]
    await until(lambda: hmi.ledger.open_stop is not None)
    assert hmi.ledger.open_stop is not None
    stop_id = hmi.ledger.open_stop.stop_id
    await asyncio.sleep(seconds)
    return stop_id


async def produce(studio: Studio, **signals: object) -> None:
    """The machine produces again; the open stop ends."""
    studio.machine.set(state_current=6, **signals)  # type: ignore[arg-type]
    await until(lambda: studio.hmi.ledger.open_stop is None)


async def show_the_day(studio: Studio) -> str:
    """A few stops of a shift (coded, micro, uncoded, planned); returns the uncoded one's id."""
    prompt = studio.hmi.prompt_vm
    assert prompt is not None
    await stop(studio, 3.0, stop_reason_id=23, stop_reason_message="Low product level")
    prompt.choose_suggested()
    await until(lambda: not prompt.visible)
    await produce(studio, stop_reason_id=0, stop_reason_message="")
    await stop(studio, 0.5, state=2)
    await produce(studio)
    starved = await stop(studio, 2.5, state=5, starved=True)
    prompt.defer()
    await produce(studio, starved=False, good_count=18420)
    await shoot(studio, "station")
    await stop(studio, 1.5, state=17, stop_reason_message="Order complete")
    await shoot(studio, "planned")  # planned: coded by itself, no prompt, no alarm colour
    await produce(studio, good_count=18460)
    return starved


async def show_the_prompt(studio: Studio) -> None:
    """A long stop with the PLC's reason: the prompt, its tree, the list and the split."""
    hmi = studio.hmi
    prompt, stops = hmi.prompt_vm, hmi.stops_vm
    assert prompt is not None
    assert stops is not None
    jam = await stop(studio, 1.0, stop_reason_id=17, stop_reason_message="Bottle jam infeed")
    await until(lambda: bool(prompt.visible))
    await shoot(studio, "prompt")
    prompt.choose("MECH")
    await shoot(studio, "prompt-level")
    prompt.defer()
    await until(lambda: not prompt.visible)
    await shoot(studio, "stop-list")
    started = hmi.ledger.stops[jam].started_at
    await until(lambda: utc_now() - started > timedelta(seconds=3))  # long enough to split
    stops.begin_split(jam)
    await until(lambda: bool(stops.split_visible))
    await shoot(studio, "split")
    stops.cancel_split()
    keypad = hmi.sign_in_vm
    assert keypad is not None
    keypad.open()
    for digit in "100":
        keypad.press(digit)
    await shoot(studio, "sign-in")
    keypad.cancel()
    await sign_in(hmi, "1001")


def refused_events() -> list[QuarantinedEvent]:
    """Three events the server refused, with reasons as the server words them."""
    now = utc_now()
    reasons = (
        ("downtime.coded", "context.line is 'Line2', but station L1-FILLER is on Line1"),
        ("downtime.recoded", "event 0190b2e4-0002 (seq 2) is already stored with another body"),
        ("person.signed_in", "seq 3 already holds event 0190b2e4-0093"),
    )
    return [
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


def refusing() -> SyncStatus:
    """Online, a few events waiting, three refused, the station's clock ahead."""
    now = utc_now()
    return SyncStatus(
        online=True,
        waiting=4,
        oldest_waiting_at=now - timedelta(seconds=20),
        quarantined=3,
        last_delivered_at=now - timedelta(seconds=5),
        clock_offset_s=-4.2,
        master_data_at=now - timedelta(minutes=4),
    )


def all_sent() -> SyncStatus:
    """Online, nothing waiting."""
    now = utc_now()
    return SyncStatus(online=True, last_delivered_at=now, master_data_at=now)


async def show_links(studio: Studio) -> None:
    """The machine link lost; the header offline with a backlog; the sync screen with refused
    events; blocked input."""
    hmi, machine, sync = studio.hmi, studio.machine, studio.sync
    station_vm, sync_vm = hmi.station_vm, hmi.sync_vm
    assert station_vm is not None
    assert sync_vm is not None
    machine.drop_connection()
    await until(lambda: str(station_vm.connection) == "lost")
    await shoot(studio, "no-connection")
    await asyncio.sleep(3.0)  # an outage lasts a while; the stop list shows it
    machine.restore_connection()
    await until(lambda: str(station_vm.connection) == "connected")
    now = utc_now()
    offline = SyncStatus(
        online=False,
        waiting=120,
        oldest_waiting_at=now - timedelta(hours=2, minutes=12),
        last_delivered_at=now - timedelta(hours=2, minutes=13),
        last_error="server not reachable: connection refused, retrying in 40 s",
        next_attempt_at=now + timedelta(seconds=40),
        master_data_at=now - timedelta(hours=3, minutes=1),
    )
    sync.push(offline)
    await shoot(studio, "sync-offline")
    sync.held = refused_events()
    sync.push(refusing())
    sync_vm.open_details()
    sync_vm.export()  # an operator is signed in: the screen says who may
    await shoot(studio, "sync")
    sync_vm.close_details()
    sync.push(
        SyncStatus(
            online=False,
            waiting=500_000,
            oldest_waiting_at=now - timedelta(days=3, hours=4),
            input_blocked="500000 events are waiting for the server (the limit is 500000): new"
            " entries are refused until the station reaches the server; machine stops are still"
            " recorded",
        )
    )
    await shoot(studio, "input-blocked")
    sync.push(all_sent())


async def show_the_roles(studio: Studio, starved: str) -> None:
    """Each role's home after the day's stops (one left without a reason), then the header's
    details and the sync screen as the team lead, who may send refused events again."""
    hmi, sync = studio.hmi, studio.sync
    prompt, sync_vm, nav = hmi.prompt_vm, hmi.sync_vm, hmi.nav_vm
    assert prompt is not None
    assert sync_vm is not None
    assert nav is not None
    await produce(studio, stop_reason_id=0, stop_reason_message="", good_count=18530)
    prompt.open_for(starved)  # the operator codes the starved stop; the jam stays uncoded
    prompt.choose("FLOW")
    prompt.choose("FLOW.STARVED")
    await until(lambda: not prompt.visible)
    await shoot(studio, "home-operator")
    await sign_in(hmi, "3001")
    await until(lambda: str(nav.home) == "technician")
    await shoot(studio, "home-technician")
    sync.held = refused_events()
    sync.push(refusing())
    await sign_in(hmi, "2001")
    await until(lambda: str(nav.home) == "team_lead")
    await shoot(studio, "home-team-lead")
    nav.open_header_details()  # the header shortens the long values of this state
    await shoot(studio, "header-details")
    nav.close_header_details()
    sync_vm.open_details()
    sync_vm.retry_all()
    await shoot(studio, "sync-team-lead")
    sync_vm.close_details()


async def photograph(where: Path, language: str, out: Path) -> None:
    """Every screen of the demo station in `language`, saved to `out`."""
    config = write_demo_station(where)
    text = config.read_text(encoding="utf-8")
    text = text.replace("micro_stop_threshold_s = 30", "micro_stop_threshold_s = 2")
    text = text.replace("[station]\n", f'[station]\nlanguage = "{language}"\n', 1)
    # Breaks make a stop planned: the screens must look the same whatever the time of day.
    text = "\n".join(line for line in text.splitlines() if not line.startswith("breaks = "))
    config.write_text(text + "\n", encoding="utf-8")
    machine = SimMachine(publishing_interval_ms=50, lost_after_s=0.5)
    machine.set(state_current=6, unit_mode=1, good_count=18342, defective_count=41, speed=600.0)
    sync = ShownSync(all_sent())
    hmi = Hmi(load_station_config(config), machine=machine, sync=sync)
    await hmi.start()
    studio = Studio(hmi, machine, sync, out)
    try:
        starved = await show_the_day(studio)
        await show_the_prompt(studio)
        await show_links(studio)
        await show_the_roles(studio, starved)
    finally:
        await hmi.stop()


async def main(where: Path) -> None:
    for language, out in LANGUAGES:
        out.mkdir(parents=True, exist_ok=True)
        await photograph(where / language, language, out)


if __name__ == "__main__":
    app = QGuiApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)
    with tempfile.TemporaryDirectory() as tmp:
        qasync.run(main(Path(tmp)))
