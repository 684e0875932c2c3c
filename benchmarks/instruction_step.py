"""Instruction steps: a step with a 5 MB image opening from the station's cache, and a step's
confirmation shown as saved.

The terminal runs in this process as `lineside hmi` builds it (`Hmi`: ledger, SQLite outbox,
the asset cache under its data folder, real QML offscreen on a qasync loop) with a
`SimMachine`, no server. The record's plant data has one order whose instruction has
`--steps` steps (40), each naming its own JPEG of about 5 MB (12 megapixels, photo-like:
smooth colour fields with fine grain, every one different so that no decoded image is reused
from Qt's cache), put into the asset cache before the terminal opens the instruction screen.

(a) Open: from the `next()` slot (the Next button's tap) to the first `frameSwapped` of the
    window after the step's `Image` finished loading the new file (`progress` 1 with the new
    `source`: the picture on screen);
    also to the first frame showing the step's text (before the picture).
(b) Confirm: on steps without a check, from the `confirm()` slot to the first `frameSwapped`
    after the `stepDone` item ("Saved") became visible, i.e. after the commit to SQLite
    (`synchronous=FULL`) and the ledger's announcement.

Usage: .venv/bin/python benchmarks/instruction_step.py [--steps 40] [--megabytes 5]
The last line of stdout is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

import qasync
from PySide6.QtCore import QBuffer, QIODevice, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter
from PySide6.QtQuick import QQuickItem

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import NS_PER_MS, BenchmarkError, find_item, percentile, write_station_config

from lineside.app.hmi import Hmi, install_translator, tune_interpreter
from lineside.devices.machine import SimMachine
from lineside.domain.master_data import (
    ConfirmPolicy,
    InstructionStep,
    Operation,
    OrderRecord,
    WorkInstructionRecord,
)
from lineside.station.commands import orders, session
from lineside.station.config import load_station_config

OPEN_TARGET_P99_MS = 150.0
SAVED_TARGET_P99_MS = 30.0
WAIT_S = 30.0


def photo_like(seed: int, megabytes: float) -> bytes:
    """A 4000 x 3000 JPEG of about `megabytes`: smooth fields and grain, unique per seed."""
    rng = random.Random(seed)
    width, height = 4000, 3000
    coarse_bytes = bytes(rng.randrange(256) for _ in range(40 * 30 * 3))
    coarse = QImage(coarse_bytes, 40, 30, 40 * 3, QImage.Format.Format_RGB888).copy()
    image = coarse.scaled(
        width,
        height,
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    ).convertToFormat(QImage.Format.Format_RGB32)
    grain = QImage(os.urandom(1000 * 750 * 4), 1000, 750, QImage.Format.Format_RGB32).copy()
    painter = QPainter(image)
    painter.setOpacity(0.07)
    for x in range(0, width, 1000):
        for y in range(0, height, 750):
            painter.drawImage(QRectF(x, y, 1000, 750), grain)
    painter.setOpacity(1)
    painter.fillRect(
        QRectF(rng.randrange(3000), rng.randrange(2000), 600, 400), QColor(rng.randrange(0xFFFFFF))
    )
    painter.end()
    best = b""
    for quality in (60, 70, 75, 80, 85, 90, 92, 95, 97):
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "JPEG", quality)
        best = bytes(buffer.data().data())
        if len(best) >= megabytes * 1_000_000:
            break
    return best


@dataclass
class Sample:
    """One tap and the frames it led to (monotonic ns)."""

    call_ns: int
    text_frame_ns: int = 0
    ready_ns: int = 0
    frame_ns: int = 0


@dataclass
class Run:
    opens: list[Sample] = field(default_factory=list)
    saves: list[Sample] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)


class Bench:
    def __init__(self, folder: Path, steps: int, megabytes: float) -> None:
        self.folder = folder
        self.steps = steps
        self.megabytes = megabytes
        self.run_ = Run()
        self.pending: Sample | None = None
        self.mode = ""
        self.done: asyncio.Future[None] | None = None
        self.image: QQuickItem | None = None
        self.saved: QQuickItem | None = None
        self.text: QQuickItem | None = None
        self.expected_text = ""
        self.expected_source = ""

    def instruction(self, addresses: list[str]) -> WorkInstructionRecord:
        return WorkInstructionRecord(
            instruction_id="WI-BENCH",
            version="1",
            title="Benchmark instruction",
            confirm=ConfirmPolicy.EVERY,
            steps=tuple(
                InstructionStep(step_id=f"s{i}", text=f"Step {i}: look at the picture.", image=a)
                for i, a in enumerate(addresses, 1)
            ),
        )

    async def run(self) -> Run:
        config_path = write_station_config(self.folder / "station", "opc.tcp://127.0.0.1:9/none")
        config = load_station_config(config_path)
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        install_translator(app, config.station.language)
        machine = SimMachine(publishing_interval_ms=50, lost_after_s=0.5)
        machine.set(state_current=6, unit_mode=1, good_count=0, defective_count=0, speed=600.0)
        hmi = Hmi(config, machine=machine)
        wake = QTimer()
        wake.timeout.connect(lambda: None)
        wake.start(200)
        try:
            await hmi.start(show=True)
            addresses = []
            for i in range(self.steps):
                data = photo_like(i, self.megabytes)
                address = "sha256:" + hashlib.sha256(data).hexdigest()
                if not hmi.station.assets.put(address, data):
                    raise BenchmarkError("the asset cache did not keep an image")
                addresses.append(address)
                self.run_.sizes.append(len(data))
            ledger = hmi.ledger
            ledger.instructions = {"WI-BENCH": self.instruction(addresses)}
            operation = Operation(
                operation_id="0010",
                description="Fill",
                station_id=config.station.id,
                work_instruction="WI-BENCH",
            )
            ledger.orders = {
                "B1": OrderRecord(
                    order_id="B1",
                    line=config.station.line,
                    product="Still water 0.5 l",
                    quantity=100,
                    operations=(operation,),
                )
            }
            person = ledger.people.by_badge("1001")
            if person is None:
                raise BenchmarkError("no person with badge 1001 in the demo people")
            await session.sign_in(ledger, person)
            await orders.start(ledger, "B1", "0010")
            assert hmi.nav_vm is not None
            assert hmi.instruction_vm is not None
            hmi.nav_vm.open_screen("instruction")
            window = hmi.window
            assert window is not None
            await self._until(lambda: bool(hmi.instruction_vm and hmi.instruction_vm.image_source))
            self.image = find_item(window, "stepImage")
            self.saved = find_item(window, "stepDone")
            self.text = find_item(window, "stepText")
            window.beforeSynchronizing.connect(self._on_sync, Qt.ConnectionType.DirectConnection)
            window.frameSwapped.connect(self._on_frame, Qt.ConnectionType.DirectConnection)
            vm = hmi.instruction_vm
            await self._until(lambda: self._image_ready(addresses[0]))
            for index in range(self.steps):
                if index > 0:
                    await self._sample_open(vm, addresses[index], index + 1)
                await self._sample_save(vm)
        finally:
            wake.stop()
            await hmi.stop()
        return self.run_

    def _image_ready(self, address: str) -> bool:
        image = self.image
        return (
            image is not None
            and float(image.property("progress")) >= 1.0
            and address.removeprefix("sha256:") in str(image.property("source"))
        )

    async def _until(self, probe: Any, within: float = WAIT_S) -> None:
        deadline = time.monotonic() + within
        while not probe():
            if time.monotonic() > deadline:
                raise BenchmarkError("the instruction screen did not get there in time")
            await asyncio.sleep(0.01)

    async def _sample_open(self, vm: Any, address: str, number: int) -> None:
        await asyncio.sleep(0.05)  # between taps: the screen settles (not timed)
        self.mode = "open"
        self.expected_source = address.removeprefix("sha256:")
        self.expected_text = f"Step {number}:"
        self.done = asyncio.get_running_loop().create_future()
        sample = self.pending = Sample(time.monotonic_ns())
        vm.next()
        await asyncio.wait_for(self.done, WAIT_S)
        self.run_.opens.append(sample)

    async def _sample_save(self, vm: Any) -> None:
        await asyncio.sleep(0.05)
        self.mode = "save"
        self.done = asyncio.get_running_loop().create_future()
        sample = self.pending = Sample(time.monotonic_ns())
        vm.confirm()
        await asyncio.wait_for(self.done, WAIT_S)
        self.run_.saves.append(sample)

    def _on_sync(self) -> None:
        sample = self.pending
        if sample is None:
            return
        if self.mode == "open":
            text = self.text
            if (
                not sample.text_frame_ns
                and text is not None
                and str(text.property("text")).startswith(self.expected_text)
            ):
                sample.text_frame_ns = -1  # shown in the frame being made
            image = self.image
            if (
                not sample.ready_ns
                and image is not None
                and float(image.property("progress")) >= 1.0
                and self.expected_source in str(image.property("source"))
            ):
                sample.ready_ns = time.monotonic_ns()
        elif self.mode == "save":
            saved = self.saved
            if not sample.ready_ns and saved is not None and bool(saved.property("visible")):
                sample.ready_ns = time.monotonic_ns()

    def _on_frame(self) -> None:
        sample = self.pending
        if sample is None:
            return
        now = time.monotonic_ns()
        if sample.text_frame_ns == -1:
            sample.text_frame_ns = now
        if sample.ready_ns and not sample.frame_ns:
            sample.frame_ns = now
            self.pending = None
            done = self.done
            if done is not None and not done.done():
                done.get_loop().call_soon_threadsafe(lambda: done.done() or done.set_result(None))


def figures(values: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(values), 1),
        "p99_ms": round(percentile(values, 99), 1),
        "max_ms": round(max(values), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--megabytes", type=float, default=5.0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    tune_interpreter()
    app = QGuiApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory(prefix="lineside-steps-") as tmp:
        bench = Bench(Path(tmp), args.steps, args.megabytes)
        with loop:
            run = loop.run_until_complete(bench.run())
    opens = [(s.frame_ns - s.call_ns) / NS_PER_MS for s in run.opens]
    texts = [(s.text_frame_ns - s.call_ns) / NS_PER_MS for s in run.opens if s.text_frame_ns > 0]
    saves = [(s.frame_ns - s.call_ns) / NS_PER_MS for s in run.saves]
    image_mb = statistics.median(run.sizes) / 1_000_000
    result: dict[str, Any] = {
        "benchmark": "instruction_step",
        "image_megabytes_median": round(image_mb, 2),
        "image_pixels": "4000x3000",
        "open_samples": len(opens),
        "open_to_picture": figures(opens),
        "open_to_text": figures(texts) if texts else None,
        "open_target_p99_ms": OPEN_TARGET_P99_MS,
        "confirm_samples": len(saves),
        "confirm_to_saved": figures(saves),
        "confirm_target_p99_ms": SAVED_TARGET_P99_MS,
    }
    open_p99 = result["open_to_picture"]["p99_ms"]
    save_p99 = result["confirm_to_saved"]["p99_ms"]
    print(
        f"step with a {image_mb:.1f} MB image, tap to picture: "
        f"median {result['open_to_picture']['median_ms']} ms, p99 {open_p99} ms "
        f"(target {OPEN_TARGET_P99_MS} ms) over {len(opens)} steps"
    )
    print(
        f"confirm to 'Saved' on screen: median {result['confirm_to_saved']['median_ms']} ms, "
        f"p99 {save_p99} ms (target {SAVED_TARGET_P99_MS} ms) over {len(saves)} steps"
    )
    result["met"] = open_p99 <= OPEN_TARGET_P99_MS and save_p99 <= SAVED_TARGET_P99_MS
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
