"""The order queue without QML: rows in words, progress, a flagged order, the changeover under
way, and refusals told instead of raised."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from lineside.domain.events import Containment
from lineside.domain.people import Role
from lineside.domain.plant_time import PlantClock
from lineside.station.commands import execution, orders, session
from lineside.station.ledger import Ledger
from lineside.viewmodels.orders import OrderQueueViewModel
from tests.support.instructions import ANNA, LEAD, PEOPLE, give_instructions
from tests.support.ledger import T0, Clock, close_ledger, open_ledger, signals
from tests.support.orders import ORDERS, give_orders, order

CLOCK = PlantClock(ZoneInfo("Europe/Berlin"))
S = timedelta(seconds=1)


async def ledger_with_orders(tmp_path: Path, clock: Clock) -> Ledger:
    ledger = await open_ledger(tmp_path / "s.db", clock=clock)
    give_orders(ledger)
    ledger.people = PEOPLE
    await session.sign_in(ledger, ANNA)
    return ledger


def queue(ledger: Ledger, clock: Clock, role: Role | None = Role.OPERATOR) -> OrderQueueViewModel:
    return OrderQueueViewModel(ledger, CLOCK, lambda: role, now=clock)


async def test_rows_say_order_product_quantity_due_state_and_progress(
    tmp_path: Path, qapp: Any
) -> None:
    clock = Clock(T0)
    ledger = await ledger_with_orders(tmp_path, clock)
    vm = queue(ledger, clock)
    first, second, planned = vm.model.rows()
    assert first["order_text"] == "4711 · 0010 · Fill"
    assert first["product_text"] == "Still water 0.5 l"
    assert first["quantity_text"] == "1,000 pcs"
    assert first["due_text"] == "Due 22.11.2026"
    assert first["state_text"] == "Ready to start"
    assert first["progress_text"] == "0 / 1,000"
    assert (first["can_start"], second["can_start"], planned["can_start"]) == (True, True, False)
    assert planned["state_text"] == "Not released"
    assert not first["can_abort"]  # an operator does not abort

    vm.start("4711", "0010")
    await vm.wait_idle()
    assert vm.current_text == "4711 · Fill · Still water 0.5 l · 0 / 1,000"
    assert vm.can_pause
    assert not vm.model.rows()[1]["can_start"]  # one order at a time
    await close_ledger(ledger)


async def test_an_order_cancelled_on_the_server_while_it_runs_is_flagged(
    tmp_path: Path, qapp: Any
) -> None:
    clock = Clock(T0)
    ledger = await ledger_with_orders(tmp_path, clock)
    vm = queue(ledger, clock)
    vm.start("4711", "0010")
    await vm.wait_idle()
    give_orders(ledger, [order("4711", "Water", status="cancelled"), *ORDERS[1:]])
    vm.refresh()
    row = vm.model.rows()[0]
    assert row["flagged"]
    assert row["flag_text"] == "Cancelled on the server — call your team lead"
    await close_ledger(ledger)


async def test_a_changeover_under_way_says_from_what_for_how_long_against_its_standard(
    tmp_path: Path, qapp: Any
) -> None:
    clock = Clock(T0)
    ledger = await ledger_with_orders(tmp_path, clock)
    vm = queue(ledger, clock)
    ledger.on_signals(signals(T0, 6))
    await orders.start(ledger, "4711", "0010")
    await orders.complete(ledger)
    ledger.on_signals(signals(T0 + S, 2))  # stopped: the product is being changed
    clock.now = T0 + 2 * S
    await orders.start(ledger, "4712", "0010")
    clock.now = T0 + 12 * timedelta(minutes=1)
    vm.refresh()
    assert vm.changeover_text == "Changeover from Still water 0.5 l · 11 min (standard 45 min)"
    await close_ledger(ledger)


async def test_refusals_are_told_in_words_and_change_nothing(tmp_path: Path, qapp: Any) -> None:
    clock = Clock(T0)
    ledger = await open_ledger(tmp_path / "s.db", clock=clock)
    give_instructions(ledger)
    await session.sign_in(ledger, ANNA)
    vm = queue(ledger, clock)
    vm.ask_abort("4712", "0010")
    vm.choose_abort_reason("material")
    vm.confirm_abort()
    await vm.wait_idle()
    assert vm.message == "Only a team lead may do this. Call your team lead."
    assert vm.abort_visible

    vm.start("4711", "0010")
    await vm.wait_idle()
    await execution.record_check(ledger, "volume", "489", Containment.HOLD)
    assert vm.held
    vm.ask_complete()
    assert "Made: 0 good, 0 defective." in vm.confirm_text
    vm.confirm_complete()
    await vm.wait_idle()
    assert vm.message.startswith("The order is held")
    assert vm.confirm_visible
    assert ledger.order_book.current_job is not None

    await session.sign_in(ledger, LEAD)
    lead = queue(ledger, clock, Role.TEAM_LEAD)
    assert lead.model.rows()[0]["can_abort"]
    lead.ask_abort("4711", "0010")
    lead.confirm_abort()
    await lead.wait_idle()
    assert lead.message == "Say why first."
    lead.set_abort_note("tank empty")
    lead.choose_abort_reason("material")
    lead.confirm_abort()
    await lead.wait_idle()
    assert not lead.abort_visible
    assert lead.model.rows()[-1]["state_text"] in {"Aborted", "Completed"}
    aborted = [e for e in await ledger.store.events() if e.type == "order.aborted"]
    assert aborted[0].payload["why"] == "Material missing: tank empty"
    await close_ledger(ledger)
