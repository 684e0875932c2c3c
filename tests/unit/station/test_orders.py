"""Orders at the station: starting one sets the context of every later fact, a product switch
is a changeover (planned downtime against its standard), progress comes from the counts, and
only the job states' legal transitions are recorded."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from lineside.domain.machine_state import StopCategory
from lineside.domain.orders import JobState
from lineside.domain.people import Person, Role
from lineside.domain.projections import fold
from lineside.station.commands import orders, session
from lineside.station.ledger import Ledger, Refused
from tests.support.ledger import T0, Clock, close_ledger, open_ledger, signals
from tests.support.orders import give_orders, order

S = timedelta(seconds=1)
ANNA = Person(person_id="P-0042", name="Anna Berg", badge="1001")
LEAD = Person(person_id="P-2001", name="Marco Rossi", badge="2001", role=Role.TEAM_LEAD)


async def opened(tmp_path: Path, clock: Clock) -> Ledger:
    ledger = await open_ledger(tmp_path / "s.db", clock=clock)
    give_orders(ledger)
    await session.sign_in(ledger, ANNA)
    return ledger


def state_of(ledger: Ledger, order_id: str) -> JobState:
    row = ledger.queued(order_id, "0010")
    assert row is not None
    return row.job.state


async def test_the_queue_lists_this_stations_operations_by_state_and_due_date(
    tmp_path: Path,
) -> None:
    ledger = await opened(tmp_path, Clock(T0))
    rows = ledger.queue()
    assert [(r.job.order_id, r.job.operation_id) for r in rows] == [
        ("4711", "0010"),
        ("4712", "0010"),
        ("4713", "0010"),
    ]  # the packer's operations are not this station's
    assert [r.job.state for r in rows] == [
        JobState.ALLOWED_TO_START,
        JobState.ALLOWED_TO_START,
        JobState.NOT_ALLOWED_TO_START,  # planned, not released
    ]
    await orders.start(ledger, "4712", "0010")
    assert ledger.queue()[0].job.order_id == "4712"  # the running one first
    await close_ledger(ledger)


async def test_a_started_order_is_the_context_of_every_later_fact(tmp_path: Path) -> None:
    clock = Clock(T0 + 5 * S)
    ledger = await opened(tmp_path, clock)
    ledger.on_signals(signals(T0, 6, good=100))
    await orders.start(ledger, "4711", "0010")
    clock.now = T0 + 20 * S
    ledger.on_signals(signals(T0 + 20 * S, 11, good=160))
    await ledger.flush()
    (started,) = await ledger.store.events(type_prefix="order.started")
    assert (started.context.order, started.context.operation) == ("4711", "0010")
    assert started.context.product == "Water"
    assert not started.context.fallback
    assert started.recorded_by == "P-0042"
    (stop,) = await ledger.store.events(type_prefix="downtime.started")
    assert (stop.context.order, stop.context.fallback) == ("4711", False)
    counted = await ledger.store.events(type_prefix="count.")
    assert counted[-1].context.order == "4711"
    assert counted[-1].payload["good"] == 60  # made after the start; the 100 before are not its
    await close_ledger(ledger)


async def test_progress_comes_from_the_counts_and_completing_records_it(tmp_path: Path) -> None:
    clock = Clock(T0 + 5 * S)
    ledger = await opened(tmp_path, clock)
    ledger.on_signals(signals(T0, 6, good=0, defective=0))
    await orders.start(ledger, "4711", "0010")
    ledger.on_signals(signals(T0 + 30 * S, 6, good=420, defective=7, received=T0 + 30 * S))
    clock.now = T0 + 40 * S
    await orders.complete(ledger)
    await ledger.flush()
    assert state_of(ledger, "4711") is JobState.ENDED
    job = ledger.queued("4711", "0010")
    assert job is not None
    assert (job.job.good, job.job.defective) == (420, 7)
    (done,) = await ledger.store.events(type_prefix="order.completed")
    assert (done.payload["good"], done.payload["defective"], done.payload["quantity"]) == (
        420,
        7,
        1000,
    )
    assert ledger.order_book.current is None
    clock.now = T0 + 50 * S
    ledger.on_signals(signals(T0 + 50 * S, 11))
    await ledger.flush()
    last = (await ledger.store.events(type_prefix="downtime.started"))[-1]
    assert last.context.order is None
    assert not last.context.fallback
    await close_ledger(ledger)


async def test_a_product_switch_is_a_changeover_against_its_standard(tmp_path: Path) -> None:
    clock = Clock(T0 + 5 * S)
    ledger = await opened(tmp_path, clock)
    ledger.on_signals(signals(T0, 6))
    await orders.start(ledger, "4711", "0010")  # Water
    clock.now = T0 + 60 * S
    ledger.on_signals(signals(T0 + 60 * S, 17))  # PackML Complete: order complete (planned)
    await orders.complete(ledger)
    clock.now = T0 + 90 * S
    await orders.start(ledger, "4712", "0010")  # Juice: a changeover from Water
    first = ledger.open_stop
    assert first is not None
    assert first.started_at == T0 + 90 * S
    assert (first.reason, first.rule, first.category) == (
        "OPS.CHANGEOVER",
        "changeover",
        StopCategory.PLANNED,
    )
    before = next(s for s in ledger.stops.values() if s.started_at == T0 + 60 * S)
    assert before is not None
    assert before.reason == "OPS.DONE"
    clock.now = T0 + 30 * 60 * S
    ledger.on_signals(signals(T0 + 30 * 60 * S, 6))  # producing Juice
    await ledger.flush()
    (ended,) = await ledger.store.events(type_prefix="changeover.ended")
    assert ended.payload["from_product"] == "Water"
    assert ended.payload["to_product"] == "Juice"
    assert ended.payload["duration_s"] == pytest.approx(30 * 60 - 90)
    assert ended.payload["standard_s"] == 45 * 60  # the Water → Juice pair's own standard
    assert ledger.order_book.changeover is None
    clock.now = T0 + 31 * 60 * S
    ledger.on_signals(signals(T0 + 31 * 60 * S, 11))  # a stop after the changeover: unplanned
    assert ledger.open_stop is not None
    assert ledger.open_stop.category is StopCategory.INTERNAL
    await close_ledger(ledger)


async def test_a_stop_that_begins_during_a_changeover_is_the_changeover(tmp_path: Path) -> None:
    clock = Clock(T0 + 5 * S)
    ledger = await opened(tmp_path, clock)
    ledger.on_signals(signals(T0, 6))
    await orders.start(ledger, "4711", "0010")
    await orders.complete(ledger)
    await orders.start(ledger, "4712", "0010")  # producing still: a changeover on the fly
    await ledger.flush()
    assert ledger.order_book.changeover is None
    (ended,) = await ledger.store.events(type_prefix="changeover.ended")
    assert ended.payload["duration_s"] == 0
    await close_ledger(ledger)


async def test_the_same_product_again_is_no_changeover(tmp_path: Path) -> None:
    clock = Clock(T0 + 5 * S)
    ledger = await opened(tmp_path, clock)
    give_orders(ledger, [order("A", "Water"), order("B", "Water")])
    ledger.on_signals(signals(T0, 6))
    await orders.start(ledger, "A", "0010")
    await orders.complete(ledger)
    clock.now = T0 + 60 * S
    ledger.on_signals(signals(T0 + 60 * S, 11))
    await orders.start(ledger, "B", "0010")
    await ledger.flush()
    assert ledger.order_book.changeover is None
    assert not await ledger.store.events(type_prefix="changeover.")
    assert ledger.open_stop is not None
    assert ledger.open_stop.reason is None
    await close_ledger(ledger)


async def test_commands_out_of_turn_are_refused_and_leave_no_trace(tmp_path: Path) -> None:
    ledger = await opened(tmp_path, Clock(T0 + 5 * S))
    cases = [
        (orders.complete(ledger), "no_order_running"),
        (orders.start(ledger, "4713", "0010"), "job_state"),  # not released
        (orders.start(ledger, "4711", "0030"), "order_unknown"),  # another station's
        (orders.start(ledger, "9999", "0010"), "order_unknown"),
    ]
    for call, code in cases:
        with pytest.raises(Refused) as refused:
            await call
        assert refused.value.code == code
    await orders.start(ledger, "4711", "0010")
    with pytest.raises(Refused) as refused:
        await orders.start(ledger, "4712", "0010")
    assert (refused.value.code, refused.value.data["order"]) == ("order_running", "4711")
    with pytest.raises(Refused) as refused:
        await orders.resume(ledger)
    assert refused.value.code == "job_state"
    with pytest.raises(Refused) as refused:
        await orders.abort(ledger, "4711", "0010", "wrong bottles")
    assert refused.value.code == "team_lead_required"
    await orders.pause(ledger, "waiting for material")
    assert state_of(ledger, "4711") is JobState.INTERRUPTED
    assert ledger.order_book.current == "4711/0010"  # still the station's order
    await orders.resume(ledger)
    await session.sign_out(ledger)
    with pytest.raises(Refused) as refused:
        await orders.complete(ledger)
    assert refused.value.code == "sign_in_required"
    await ledger.flush()
    assert [e.type for e in await ledger.store.events(type_prefix="order.")] == [
        "order.started",
        "order.paused",
        "order.resumed",
    ]
    await close_ledger(ledger)


async def test_a_team_lead_aborts_an_order_with_why(tmp_path: Path) -> None:
    ledger = await opened(tmp_path, Clock(T0 + 5 * S))
    await session.sign_in(ledger, LEAD)
    with pytest.raises(Refused) as refused:
        await orders.abort(ledger, "4712", "0010", "  ")
    assert refused.value.code == "why_required"
    await orders.abort(ledger, "4712", "0010", "customer cancelled")
    row = ledger.queued("4712", "0010")
    assert row is not None
    assert row.job.state is JobState.ABORTED
    assert row.job.product == "Juice"
    with pytest.raises(Refused):
        await orders.start(ledger, "4712", "0010")
    await close_ledger(ledger)


async def test_two_quick_taps_on_start_record_one_start(tmp_path: Path) -> None:
    ledger = await opened(tmp_path, Clock(T0 + 5 * S))
    results = await asyncio.gather(
        orders.start(ledger, "4711", "0010"),
        orders.start(ledger, "4712", "0010"),
        return_exceptions=True,
    )
    assert results[0] is None
    assert isinstance(results[1], Refused)
    await ledger.flush()
    assert len(await ledger.store.events(type_prefix="order.started")) == 1
    await close_ledger(ledger)


async def test_the_running_order_survives_a_restart_and_the_plant_day(tmp_path: Path) -> None:
    clock = Clock(T0 + 5 * S)
    ledger = await opened(tmp_path, clock)
    ledger.on_signals(signals(T0, 6, good=0))
    await orders.start(ledger, "4712", "0010")
    ledger.on_signals(signals(T0 + 60 * S, 6, good=200, received=T0 + 60 * S))
    clock.now = T0 + 70 * S
    ledger.tick(clock.now)
    await close_ledger(ledger)

    clock.now = T0 + timedelta(days=1)  # the next plant day: the day's fold starts afresh
    again = await open_ledger(tmp_path / "s.db", clock=clock)
    give_orders(again)
    job = again.order_book.current_job
    assert job is not None
    assert (job.order_id, job.good) == ("4712", 200)
    assert again.order_book.last_product == "Juice"
    again.on_signals(signals(clock.now, 11))
    await again.flush()
    last = (await again.store.events(type_prefix="downtime.started"))[-1]
    assert last.context.order == "4712"
    await close_ledger(again)


async def test_the_projections_equal_a_fold_of_the_record(tmp_path: Path) -> None:
    clock = Clock(T0 + 5 * S)
    ledger = await opened(tmp_path, clock)
    ledger.on_signals(signals(T0, 6, good=0))
    await orders.start(ledger, "4711", "0010")
    ledger.on_signals(signals(T0 + 60 * S, 11, good=50, received=T0 + 60 * S))
    await orders.pause(ledger)
    await ledger.flush()
    folded = fold(await ledger.store.events(), ledger.day_start)
    assert folded.orders == ledger.projections.orders
    await close_ledger(ledger)
