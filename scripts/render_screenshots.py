"""Render the station screens offscreen to docs/screenshots/*.png (run with the venv's python)."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

import qasync
from PySide6.QtGui import QGuiApplication

from lineside.app.cli import write_demo_station
from lineside.app.config import load_station_config
from lineside.app.hmi import Hmi
from lineside.devices.machine import SimMachine

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"


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


async def main(where: Path) -> None:
    config = write_demo_station(where)
    text = config.read_text().replace("micro_stop_threshold_s = 120", "micro_stop_threshold_s = 2")
    config.write_text(text)
    machine = SimMachine(publishing_interval_ms=50, lost_after_s=0.5)
    machine.set(state_current=6, unit_mode=1, good_count=18342, defective_count=41, speed=600.0)
    hmi = Hmi(load_station_config(where / "station.toml"), machine=machine)
    await hmi.start()
    prompt, stops = hmi.prompt_vm, hmi.stops_vm
    assert prompt is not None
    assert stops is not None

    async def stop(seconds: float, **signals: object) -> None:
        machine.set(state_current=signals.pop("state", 11), **signals)  # type: ignore[arg-type]
        await until(lambda: hmi.recorder.open_stop is not None)
        await asyncio.sleep(seconds)

    await stop(3.0, stop_reason_id=23, stop_reason_message="Low product level")
    prompt.choose_suggested()
    await until(lambda: not prompt.visible)
    machine.set(state_current=6, stop_reason_id=0, stop_reason_message="")
    await until(lambda: hmi.recorder.open_stop is None)
    await stop(0.5, state=2)
    machine.set(state_current=6)
    await until(lambda: hmi.recorder.open_stop is None)
    await stop(2.5, state=5, starved=True)
    prompt.defer()
    machine.set(state_current=6, starved=False, good_count=18420)
    await until(lambda: hmi.recorder.open_stop is None)
    await shoot(hmi, "station")

    await stop(1.0, stop_reason_id=17, stop_reason_message="Bottle jam infeed")
    await until(lambda: prompt.visible)
    await shoot(hmi, "prompt")
    prompt.choose("MECH")
    await shoot(hmi, "prompt-level")
    prompt.defer()
    await until(lambda: not prompt.visible)
    await shoot(hmi, "stop-list")
    stops.begin_split(hmi.recorder.open_stop.stop_id if hmi.recorder.open_stop else "")
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
    machine.drop_connection()
    await until(lambda: hmi.station_vm is not None and hmi.station_vm.connection == "lost")
    await shoot(hmi, "no-connection")
    await hmi.stop()


if __name__ == "__main__":
    app = QGuiApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        qasync.run(main(Path(tmp)))
