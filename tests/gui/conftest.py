"""GUI fixtures: the real station QML offscreen, on a qasync loop, with a simulated machine."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

import qasync
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QMouseEvent
from PySide6.QtQuick import QQuickItem
from PySide6.QtWidgets import QApplication

from lineside.app.cli import write_demo_station
from lineside.app.hmi import Hmi
from lineside.devices.machine import SimMachine
from lineside.station.config import load_station_config
from tests.support.demo import without_breaks
from tests.unit.viewmodels.test_sync_vm import FakeSync


def pytest_asyncio_loop_factories(config: Any, item: Any) -> dict[str, Callable[[], Any]]:
    """Async GUI tests run on an asyncio loop driven by Qt's event loop (qasync)."""

    def make_loop() -> qasync.QEventLoop:
        app = QApplication.instance() or QApplication([])
        app.setQuitOnLastWindowClosed(False)  # the station shuts down in order, as in the app
        return qasync.QEventLoop(app)

    return {"qasync": make_loop}


@pytest.fixture
def station_config(tmp_path: Path) -> Path:
    """The demo station config, with its record in a fresh folder."""
    return without_breaks(write_demo_station(tmp_path))


@pytest.fixture
def sync() -> FakeSync:
    """The sync engine the screen shows: the test pushes its statuses."""
    return FakeSync()


@pytest.fixture
async def hmi(station_config: Path, sync: FakeSync) -> AsyncIterator[Hmi]:
    """A started station with the real QML, a simulated machine that produces, a fake sync."""
    machine = SimMachine(publishing_interval_ms=50, lost_after_s=0.5)
    machine.set(state_current=6, unit_mode=1, good_count=1000, defective_count=3, speed=600.0)
    station = Hmi(load_station_config(station_config), machine=machine, sync=sync)
    await station.start()
    await until(
        lambda: station.station_vm is not None and station.station_vm.state_kind == "producing"
    )
    yield station
    await station.stop()
    await asyncio.sleep(0.05)  # let queued cross-thread wake-ups land while this loop lives
    pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done()]
    assert pending == [], f"the station left tasks running: {pending}"


async def until(predicate: Callable[[], bool], within: float = 5.0) -> None:
    """Wait, processing events, until `predicate()` holds; fail after `within` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        try:
            if predicate():
                return
            problem = "condition false"
        except AssertionError as exc:  # e.g. the item is not created yet
            problem = str(exc)
        if loop.time() > deadline:
            raise AssertionError(f"not reached within {within} s: {problem}")
        await asyncio.sleep(0.01)


def items(hmi: Hmi) -> list[QQuickItem]:
    """Every item of the visual tree (Repeater delegates included)."""
    assert hmi.window is not None
    out, todo = [], [hmi.window.contentItem()]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(current.childItems())
    return out


def item(hmi: Hmi, name: str) -> QQuickItem:
    """A QML item by objectName."""
    found = [i for i in items(hmi) if i.objectName() == name]
    assert found, f"no item named {name!r} on the screen"
    return found[0]


async def next_frame(hmi: Hmi) -> None:
    """Wait until the window has laid out and drawn its current state."""
    window = hmi.window
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


async def tap(hmi: Hmi, name: str) -> None:
    """A real mouse press and release in the middle of a visible QML item, once it is drawn.

    The events are sent synchronously (QTest would spin a nested event loop inside the
    running asyncio task, which asyncio forbids).
    """
    await next_frame(hmi)
    target = item(hmi, name)
    assert target.isVisible(), f"{name!r} is not visible"
    tap_at(hmi, target.mapToScene(QPointF(target.width() / 2, target.height() / 2)))


def tap_at(hmi: Hmi, point: QPointF) -> None:
    """A real mouse press and release at a point of the window (scene coordinates)."""
    window = hmi.window
    assert window is not None
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    for kind, buttons in (
        (QEvent.Type.MouseButtonPress, left),
        (QEvent.Type.MouseButtonRelease, none),
    ):
        event = QMouseEvent(
            kind, point, window.mapToGlobal(point), left, buttons, Qt.KeyboardModifier.NoModifier
        )
        QGuiApplication.sendEvent(window, event)
