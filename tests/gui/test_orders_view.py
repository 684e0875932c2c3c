"""The order queue on the real QML: opened from the header, an order started, paused, resumed
and completed after seeing what it made, and a team lead's abort with why."""

from __future__ import annotations

from lineside.app.hmi import Hmi
from lineside.devices.machine import SimMachine
from lineside.domain.orders import JobState
from tests.support.instructions import PEOPLE
from tests.support.orders import give_orders

from .conftest import item, tap, until


def machine(hmi: Hmi) -> SimMachine:
    assert isinstance(hmi.machine, SimMachine)
    return hmi.machine


async def sign_in(hmi: Hmi, badge: str) -> None:
    """Sign in on the keypad with real taps."""
    await tap(hmi, "headerPerson")
    await until(lambda: item(hmi, "signInDialog").isVisible())
    for digit in badge:
        await tap(hmi, "key" + digit)
    await tap(hmi, "keyOk")
    await until(lambda: not item(hmi, "signInDialog").isVisible())


def row_of(hmi: Hmi, order_id: str) -> int:
    assert hmi.orders_vm is not None
    rows = hmi.orders_vm.model.rows()
    return next(i for i, r in enumerate(rows) if r["order_id"] == order_id)


def state_of(hmi: Hmi, order_id: str) -> JobState:
    row = hmi.ledger.queued(order_id, "0010")
    assert row is not None
    return row.job.state


def text(hmi: Hmi, name: str) -> str:
    return str(item(hmi, name).property("text"))


async def test_an_order_is_started_paused_resumed_and_completed_with_what_it_made(
    hmi: Hmi,
) -> None:
    give_orders(hmi.ledger)
    hmi.ledger.people = PEOPLE
    await sign_in(hmi, "1001")
    await tap(hmi, "headerOrder")  # the order badge opens the queue
    await until(lambda: item(hmi, "ordersView").isVisible())
    assert text(hmi, "orderState0") == "Ready to start"
    first = row_of(hmi, "4711")
    assert not item(hmi, f"orderStart{row_of(hmi, '4713')}").isVisible()  # planned only

    await tap(hmi, f"orderStart{first}")
    await until(lambda: state_of(hmi, "4711") is JobState.RUNNING)
    assert hmi.station_vm is not None
    await until(lambda: "Still water 0.5 l" in hmi.station_vm.order_text)
    assert hmi.station_vm.order_text.endswith("0 / 1,000")
    assert "Still water 0.5 l" in text(hmi, "ordersCurrent")

    machine(hmi).set(good_count=1420, defective_count=5)  # 420 good, 2 defective since start
    await until(lambda: hmi.station_vm is not None and "420 / 1,000" in hmi.station_vm.order_text)
    await until(lambda: text(hmi, f"orderProgress{row_of(hmi, '4711')}").startswith("420 / 1,000"))
    assert "2 defective" in text(hmi, f"orderProgress{row_of(hmi, '4711')}")

    await tap(hmi, "orderPause")
    await until(lambda: state_of(hmi, "4711") is JobState.INTERRUPTED)
    await until(lambda: text(hmi, f"orderState{row_of(hmi, '4711')}") == "Paused")
    await tap(hmi, "orderResume")
    await until(lambda: state_of(hmi, "4711") is JobState.RUNNING)

    await tap(hmi, "orderComplete")
    await until(lambda: item(hmi, "completeDialog").isVisible())
    shown = text(hmi, "completeText")
    assert "Made: 420 good, 2 defective." in shown
    assert "Ordered: 1,000 pcs." in shown
    await tap(hmi, "completeConfirm")
    await until(lambda: not item(hmi, "completeDialog").isVisible())
    assert state_of(hmi, "4711") is JobState.ENDED
    completed = [e for e in await hmi.store.events() if e.type == "order.completed"]
    assert completed[-1].payload["good"] == 420
    await until(lambda: text(hmi, f"orderState{row_of(hmi, '4711')}") == "Completed")
    assert text(hmi, "ordersCurrent") == "No order running"
    assert hmi.station_vm.order_text == "No order"

    await tap(hmi, "ordersHome")
    await until(lambda: not item(hmi, "ordersView").isVisible())


async def test_a_team_lead_aborts_an_order_with_why_an_operator_cannot(hmi: Hmi) -> None:
    give_orders(hmi.ledger)
    hmi.ledger.people = PEOPLE
    await sign_in(hmi, "1001")
    await tap(hmi, "openOrders")  # the home screen's way to the queue
    await until(lambda: item(hmi, "ordersView").isVisible())
    assert not item(hmi, f"orderAbort{row_of(hmi, '4712')}").isVisible()

    await sign_in(hmi, "2001")
    await until(lambda: item(hmi, f"orderAbort{row_of(hmi, '4712')}").isVisible())
    await tap(hmi, f"orderAbort{row_of(hmi, '4712')}")
    await until(lambda: item(hmi, "abortDialog").isVisible())
    await tap(hmi, "abortConfirm")  # no why yet: refused with words, nothing recorded
    await until(lambda: text(hmi, "abortMessage") == "⚠ Say why first.")
    assert state_of(hmi, "4712") is JobState.ALLOWED_TO_START

    await tap(hmi, "abortReason_material")
    await tap(hmi, "abortConfirm")
    await until(lambda: not item(hmi, "abortDialog").isVisible())
    assert state_of(hmi, "4712") is JobState.ABORTED
    (aborted,) = [e for e in await hmi.store.events() if e.type == "order.aborted"]
    assert aborted.payload["why"] == "Material missing"
    assert aborted.recorded_by == "P-2001"
    await until(lambda: text(hmi, f"orderState{row_of(hmi, '4712')}") == "Aborted")
