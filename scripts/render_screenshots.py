"""Render the station screens offscreen to docs/screenshots/ (English) and docs/screenshots/de/
(German), every screen and each role's home (run with the venv's python)."""

from __future__ import annotations

import asyncio
import hashlib
import json
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
from argon2 import PasswordHasher
from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication

from lineside.app.cli import write_demo_station
from lineside.app.hmi import Hmi
from lineside.devices.machine import SimMachine
from lineside.domain.events import utc_now
from lineside.domain.master_data import Kind
from lineside.offline.sync_status import QuarantinedEvent, SyncStatus
from lineside.station.config import load_station_config

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(os.environ.get("LINESIDE_SHOTS", ROOT / "docs" / "screenshots"))
LANGUAGES = (("en", OUT), ("de", OUT / "de"))
"""Each station language and where its screenshots go (the same file names in each)."""
PLANT = ROOT / "lineside" / "server" / "demo_plant.json"
IMAGES = ROOT / "lineside" / "server" / "demo_assets"
PINS = {"1001": "1234", "1002": "4321", "2001": "2468", "3001": "1357", "4001": "8642"}
"""The PINs the script's people sign with (argon2 with tiny costs: the script stays quick)."""


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


def loading(root: QObject) -> bool:
    """Whether a shown image of the scene is still being loaded (they load asynchronously)."""
    for obj in objects(root):
        if obj.metaObject().className() == "QQuickImage" and obj.property("visible"):
            source = obj.property("source")
            if source is not None and not source.isEmpty() and obj.property("progress") < 1.0:
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
    for vm in hmi.screen_viewmodels():
        await vm.wait_idle()  # commits and the quarantine's load, spawned by the script
    await until(lambda: not animating(window) and not loading(window.contentItem()))
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


def use_demo_plant(hmi: Hmi) -> None:
    """The demo plant's orders, products, instructions and people (with the script's PINs),
    and its step images in the station's asset cache, as the sync would bring them."""
    plant = json.loads(PLANT.read_text(encoding="utf-8"))
    fast = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    people = [{**p, "pin_hash": fast.hash(PINS[p["badge"]])} for p in plant["person"]]
    records = {
        Kind.ORDER: {o["order_id"]: o for o in plant["order"]},
        Kind.PRODUCT: {p["product_id"]: p for p in plant["product"]},
        Kind.WORK_INSTRUCTION: {w["instruction_id"]: w for w in plant["work_instruction"]},
        Kind.PERSON: {p["person_id"]: p for p in people},
    }
    hmi.station.use_master_data(records)
    for image in IMAGES.glob("*.png"):
        data = image.read_bytes()
        hmi.station.assets.put("sha256:" + hashlib.sha256(data).hexdigest(), data)


def keys(press: Callable[[str], None], confirm: Callable[[], None], digits: str) -> None:
    """Key in digits on a keypad and confirm."""
    for digit in digits:
        press(digit)
    confirm()


async def show_orders(studio: Studio) -> None:
    """The order queue with a running order, then a changeover to the next product."""
    hmi = studio.hmi
    nav, orders = hmi.nav_vm, hmi.orders_vm
    assert nav is not None
    assert orders is not None
    studio.sync.held = []
    studio.sync.push(all_sent())
    use_demo_plant(hmi)
    await sign_in(hmi, "1001")
    nav.open_screen("orders")
    orders.start("4711", "0010")
    await orders.wait_idle()
    await produce(studio, good_count=18530 + 420, defective_count=44)
    await until(lambda: "420 / " in str(orders.current_text))
    await shoot(studio, "orders")
    orders.ask_complete()
    orders.confirm_complete()
    await orders.wait_idle()
    # PackML Complete: the order's end is planned (no prompt); the start codes the rest of the
    # stop as the changeover to the juice.
    await stop(studio, 0.5, state=17, stop_reason_message="Order complete")
    orders.start("4712", "0010")
    await orders.wait_idle()
    await until(lambda: bool(str(orders.changeover_text)))
    await shoot(studio, "orders-changeover")
    await produce(studio)


async def show_instruction(studio: Studio) -> None:
    """The juice's instruction: a critical step's signature, the step with its image, a
    measurement out of limits, the held order and the team lead's decision."""
    hmi = studio.hmi
    nav, instruction = hmi.nav_vm, hmi.instruction_vm
    signature, deviations = hmi.signature_vm, hmi.deviations_vm
    assert nav is not None
    assert instruction is not None
    assert signature is not None
    assert deviations is not None
    nav.open_screen("instruction")  # the juice's instruction: a signed step first
    instruction.sign()
    keys(signature.press, signature.confirm, "1001")
    signature.press("1")
    signature.press("2")
    await shoot(studio, "signature")
    keys(signature.press, signature.confirm, "34")
    await until(lambda: str(signature.step) == "signed")
    await shoot(studio, "signature-signed")
    signature.close()
    instruction.next()  # the sugar content, with the refractometer's picture
    await shoot(studio, "instruction")
    keys(instruction.press, instruction.enter, "11")
    await instruction.wait_idle()
    instruction.next()  # the fill volume: 489 ml is out of limits
    keys(instruction.press, instruction.enter, "489")
    await until(lambda: bool(instruction.containment_visible))
    await shoot(studio, "out-of-limits")
    instruction.choose_containment("hold")
    await instruction.wait_idle()
    await shoot(studio, "held")

    await sign_in(hmi, "2001")  # the team lead decides
    nav.open_screen("deviations")
    deviations.choose_decision("rework")
    deviations.choose_why("reworked")
    await shoot(studio, "deviation")
    deviations.decide()
    keys(signature.press, signature.confirm, "2001")
    keys(signature.press, signature.confirm, "2468")
    await until(lambda: str(signature.step) == "signed")
    signature.close()
    nav.go_home()


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
        await show_orders(studio)
        await show_instruction(studio)
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
