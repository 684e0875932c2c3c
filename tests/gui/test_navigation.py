"""Which screen and dialog is on top, taps that never reach what lies underneath, and targets
a gloved finger can hit: real taps on the real QML at a configured DPI."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtQuick import QQuickItem

from lineside.app.hmi import Hmi
from lineside.devices.machine import SimMachine
from lineside.domain.events import utc_now
from lineside.offline.sync_status import SyncStatus
from tests.unit.viewmodels.test_sync_vm import FakeSync

from .conftest import item, items, next_frame, tap, tap_at, until

DPI = 150.0  # a 10.1" 1280x800 panel
PX_PER_MM = DPI / 25.4
MIN_TARGET_MM = 12.0
MIN_GAP_MM = 3.0
GRID_STEP_PX = 23


@pytest.fixture
def station_config(station_config: Path) -> Path:
    """The demo station with the screen's physical DPI configured."""
    text = station_config.read_text()
    station_config.write_text(f"{text}\n[display]\ndpi = {DPI}\n")
    return station_config


def machine(hmi: Hmi) -> SimMachine:
    assert isinstance(hmi.machine, SimMachine)
    return hmi.machine


async def stop(hmi: Hmi) -> None:
    machine(hmi).set(state_current=11, stop_reason_id=17, stop_reason_message="Bottle jam infeed")
    await until(lambda: item(hmi, "reasonPrompt").isVisible())


async def run_again(hmi: Hmi) -> None:
    machine(hmi).set(state_current=6, stop_reason_id=0, stop_reason_message="")
    await until(lambda: hmi.ledger.open_stop is None)


def is_target(i: QQuickItem) -> bool:
    return i.metaObject().className().startswith("TouchButton") or i.objectName() in (
        "headerPerson",
        "headerSync",
    )


def shown(i: QQuickItem) -> bool:
    """Visible all the way up, and not clipped away by a list."""
    return i.isVisible() and i.opacity() > 0 and i.width() > 0 and i.height() > 0


def rect(i: QQuickItem) -> QRectF:
    return i.mapRectToScene(QRectF(0, 0, i.width(), i.height()))


def descendants(root: QQuickItem) -> list[QQuickItem]:
    out, todo = [], [root]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(current.childItems())
    return out


def layer_root(hmi: Hmi) -> QQuickItem:
    """The item on top: the top dialog, else the sync screen, else the whole window."""
    assert hmi.nav_vm is not None
    names = {
        "prompt": "reasonPrompt",
        "split": "splitDialog",
        "blocked": "inputBlocked",
        "signin": "signInDialog",
    }
    if hmi.nav_vm.top:
        return item(hmi, names[hmi.nav_vm.top])
    if hmi.nav_vm.screen == "sync":
        return item(hmi, "syncView")
    assert hmi.window is not None
    return hmi.window.contentItem()


def targets_on_top(hmi: Hmi) -> list[QQuickItem]:
    """The touch targets an operator can reach now (on the top layer, inside the window)."""
    assert hmi.window is not None
    window = QRectF(0, 0, hmi.window.width(), hmi.window.height())
    found = []
    for i in descendants(layer_root(hmi)):
        if is_target(i) and shown(i) and window.contains(rect(i).center()):
            if i.objectName().startswith(("codeButton", "splitButton")):
                rows = item(hmi, "stopList")
                if not rect(rows).contains(rect(i)):
                    continue  # scrolled out of the list's view
            found.append(i)
    return found


def state(hmi: Hmi) -> dict[str, Any]:
    """Everything a stray tap could change, but the record (checked by its length)."""
    p, s, i, y, n = hmi.prompt_vm, hmi.stops_vm, hmi.sign_in_vm, hmi.sync_vm, hmi.nav_vm
    assert p is not None
    assert s is not None
    assert i is not None
    assert y is not None
    assert n is not None
    return {
        "prompt": (p.visible, p.stop_id, p.breadcrumb, p.can_go_back, p.message),
        "split": (s.split_visible, s.split_text, s.message),
        "signin": (i.visible, i.digits, i.message, i.signed_in),
        "sync": (y.details_open, y.message),
        "nav": (n.screen, n.layers, n.top),
        "person": hmi.ledger.person,
        "list": item(hmi, "stopList").property("contentY"),
    }


async def recorded(hmi: Hmi) -> int:
    await hmi.ledger.flush()
    return len(await hmi.store.events())


async def tap_everywhere_but_the_targets(hmi: Hmi) -> int:
    """Tap a grid over the body (the dialog, its gaps, the dimmed room around it)."""
    await next_frame(hmi)
    own = [rect(t) for t in targets_on_top(hmi)]
    body = rect(item(hmi, "body"))
    taps = 0
    y = body.top() + 3
    while y < body.bottom():
        x = body.left() + 3
        while x < body.right():
            point = QPointF(x, y)
            if not any(r.adjusted(-2, -2, 2, 2).contains(point) for r in own):
                tap_at(hmi, point)
                taps += 1
            x += GRID_STEP_PX
        y += GRID_STEP_PX
    await next_frame(hmi)
    return taps


async def open_sign_in(hmi: Hmi) -> None:
    await tap(hmi, "headerPerson")
    await until(lambda: item(hmi, "signInDialog").isVisible())


async def open_split(hmi: Hmi) -> None:
    await stop(hmi)
    open_stop = hmi.ledger.open_stop
    assert open_stop is not None
    # A stop of under 2 s cannot be split: wait until this one is long enough.
    await until(lambda: (utc_now() - open_stop.started_at).total_seconds() > 2.5, within=6)
    await tap(hmi, "deferReason")
    await until(lambda: not item(hmi, "reasonPrompt").isVisible())
    await tap(hmi, "splitButton0")
    await until(lambda: item(hmi, "splitDialog").isVisible())


async def open_blocked(hmi: Hmi, sync: FakeSync) -> None:
    sync.push(SyncStatus(online=False, input_blocked="The outbox is full (500 000 events)."))
    await until(lambda: item(hmi, "inputBlocked").isVisible())


async def open_sync_screen(hmi: Hmi) -> None:
    await tap(hmi, "headerSync")
    await until(lambda: item(hmi, "syncView").isVisible())


@pytest.mark.parametrize("dialog", ["prompt", "split", "signin", "blocked", "sync"])
async def test_taps_on_and_around_a_dialog_change_nothing_underneath(
    hmi: Hmi, sync: FakeSync, dialog: str
) -> None:
    for _ in range(3):  # stops in the list under the dialog, with their buttons
        await stop(hmi)
        await run_again(hmi)
    openers: dict[str, Callable[[], Awaitable[None]]] = {
        "prompt": lambda: stop(hmi),
        "split": lambda: open_split(hmi),
        "signin": lambda: open_sign_in(hmi),
        "blocked": lambda: open_blocked(hmi, sync),
        "sync": lambda: open_sync_screen(hmi),
    }
    await openers[dialog]()
    assert hmi.nav_vm is not None
    assert hmi.nav_vm.top == ("" if dialog == "sync" else dialog)
    before, count = state(hmi), await recorded(hmi)

    taps = await tap_everywhere_but_the_targets(hmi)

    assert taps > 500
    assert state(hmi) == before
    assert await recorded(hmi) == count
    assert sync.sync_now_calls == 0


async def test_a_stop_while_the_sync_screen_is_open_puts_the_prompt_on_top(hmi: Hmi) -> None:
    await open_sync_screen(hmi)
    await stop(hmi)
    assert hmi.nav_vm is not None
    assert hmi.nav_vm.top == "prompt"
    assert item(hmi, "reasonPrompt").z() > item(hmi, "syncView").z()
    assert hmi.nav_vm.attention == 1
    asked = hmi.ledger.open_stop
    assert asked is not None
    await tap(hmi, "suggestedReason")  # the prompt takes the tap, not the sync screen under it
    await until(lambda: not item(hmi, "reasonPrompt").isVisible())
    assert hmi.ledger.stops[asked.stop_id].reason == "MECH.JAM.INFEED"
    assert hmi.nav_vm.screen == "sync"


async def test_sign_in_comes_over_the_prompt_and_the_prompt_is_back_after(hmi: Hmi) -> None:
    await stop(hmi)
    await open_sign_in(hmi)
    assert hmi.nav_vm is not None
    assert hmi.nav_vm.layers == ["prompt", "signin"]
    for key in ("key1", "key0", "key0", "key1", "keyOk"):
        await tap(hmi, key)
    await until(lambda: hmi.ledger.person is not None)
    assert hmi.nav_vm.layers == ["prompt"]
    assert not hmi.ledger.stops[next(iter(hmi.ledger.stops))].coded  # no tap leaked through


async def test_the_list_returns_to_the_newest_stop_when_one_arrives(hmi: Hmi) -> None:
    for _ in range(9):
        await stop(hmi)
        await tap(hmi, "deferReason")
        await run_again(hmi)
    rows = item(hmi, "stopList")
    await next_frame(hmi)
    rows.setProperty("contentY", rows.property("contentHeight") - rows.height())
    await next_frame(hmi)
    assert not rect(rows).contains(rect(item(hmi, "stopRow0")).center())  # scrolled away
    await stop(hmi)
    await tap(hmi, "deferReason")
    await until(lambda: abs(rows.property("contentY") - rows.property("originY")) < 1)
    newest = item(hmi, "stopRow0")
    assert rect(rows).contains(rect(newest).center())


async def test_every_target_of_every_screen_is_at_least_12_mm_and_3_mm_apart(
    hmi: Hmi, sync: FakeSync
) -> None:
    assert hmi.nav_vm is not None
    assert hmi.nav_vm.px_per_mm == pytest.approx(PX_PER_MM)
    seen: dict[str, int] = {}

    async def measure(screen: str) -> None:
        await next_frame(hmi)
        found = targets_on_top(hmi)
        assert found, f"no targets on {screen}"
        for t in found:
            r = rect(t)
            name = t.objectName() or t.property("text")
            assert r.width() / PX_PER_MM >= MIN_TARGET_MM - 0.1, f"{screen}: {name} narrow"
            assert r.height() / PX_PER_MM >= MIN_TARGET_MM - 0.1, f"{screen}: {name} low"
        for n, a in enumerate(found):
            for b in found[n + 1 :]:
                ra, rb = rect(a), rect(b)
                dx = max(rb.left() - ra.right(), ra.left() - rb.right(), 0)
                dy = max(rb.top() - ra.bottom(), ra.top() - rb.bottom(), 0)
                gap = max(dx, dy) / PX_PER_MM
                assert gap >= MIN_GAP_MM - 0.1, (
                    f"{screen}: {a.objectName()} and {b.objectName()} {gap:.1f} mm apart"
                )
        seen[screen] = len(found)

    await stop(hmi)
    await measure("prompt")
    assert hmi.prompt_vm is not None
    hmi.prompt_vm.choose("MECH")
    await measure("prompt level 2")
    await tap(hmi, "deferReason")
    await measure("home (operator)")
    await run_again(hmi)
    await open_split(hmi)
    await measure("split")
    await tap(hmi, "splitCancel")
    await open_sign_in(hmi)
    await measure("sign-in")
    for key in ("key2", "key0", "key0", "key1", "keyOk"):
        await tap(hmi, key)
    await until(lambda: hmi.nav_vm is not None and hmi.nav_vm.home == "team_lead")
    await measure("home (team lead)")
    await open_sync_screen(hmi)
    await measure("sync")
    await tap(hmi, "syncClose")
    await open_blocked(hmi, sync)
    await measure("input blocked")
    assert len(seen) == 8
    assert not [i for i in items(hmi) if i.objectName() == "home_operator"]


async def test_a_tap_on_the_header_shows_every_field_in_full(hmi: Hmi) -> None:
    await tap(hmi, "headerWhere")  # the order field opens the order queue instead
    await until(lambda: item(hmi, "headerDetails").isVisible())
    assert hmi.nav_vm is not None
    assert hmi.nav_vm.top == "details"
    assert hmi.station_vm is not None
    assert item(hmi, "detailsOrder").property("text") == hmi.station_vm.order_text
    assert item(hmi, "detailsWhere").property("text") == hmi.station_vm.station_text
    await tap(hmi, "detailsClose")
    await until(lambda: not item(hmi, "headerDetails").isVisible())
