"""Order commands: start, pause, resume, complete and abort an operation of an order.

Each is checked against the job states of OPC 10031-4 (`domain.orders.TRANSITIONS`) and the
order book, then committed. Starting an order makes it the context of every later fact;
starting one of another product begins a changeover (planned downtime, its own reason).
"""

from __future__ import annotations

from dataclasses import replace

from lineside.domain.events import (
    DowntimeCoded,
    DowntimeSplit,
    OrderAborted,
    OrderCompleted,
    OrderPaused,
    OrderResumed,
    OrderStarted,
    Payload,
    new_id,
)
from lineside.domain.machine_state import PlannedRule
from lineside.domain.orders import Job, JobCommand, JobState, after
from lineside.domain.people import Role
from lineside.station.ledger import As, Ledger, Refused


def _signed_in(ledger: Ledger) -> str:
    person = ledger.person
    if person is None:
        raise Refused("sign_in_required")
    return person


def _job(ledger: Ledger, order_id: str, operation_id: str, command: JobCommand) -> Job:
    row = ledger.queued(order_id, operation_id)
    if row is None:
        raise Refused("order_unknown", order=order_id, operation=operation_id)
    job = row.job
    if after(job.state, command) is None:
        raise Refused("job_state", order=order_id, state=job.state.value, command=command.value)
    return job


def _current(ledger: Ledger, command: JobCommand) -> Job:
    job = ledger.order_book.current_job
    if job is None:
        raise Refused("no_order_running")
    return _job(ledger, job.order_id, job.operation_id, command)


async def start(ledger: Ledger, order_id: str, operation_id: str) -> None:
    """Start a job; a stop open now is split, its part from now on coded as the changeover."""
    async with ledger.command_lock:
        await _start(ledger, order_id, operation_id)


async def _start(ledger: Ledger, order_id: str, operation_id: str) -> None:
    person = _signed_in(ledger)
    job = _job(ledger, order_id, operation_id, JobCommand.START)
    current = ledger.order_book.current_job
    if current is not None:
        raise Refused("order_running", order=current.order_id)
    ledger.cut_counts()  # what was made so far belongs to the context before the order
    book = ledger.order_book
    before = book.last_product if book.last_product != job.product else None
    product = ledger.products.get(job.product)
    standard = product.changeover_standard_s(before) if product and before else None
    started = OrderStarted(
        order_id=job.order_id,
        operation_id=job.operation_id,
        product=job.product,
        quantity=job.quantity,
        unit=job.unit,
        description=job.description,
        changeover_from=before,
        changeover_standard_s=standard,
    )
    running = replace(job, state=JobState.RUNNING, started_at=ledger.clock())
    items: list[Payload | As] = [As(started, person, person, running)]
    now = ledger.clock()
    reason = ledger.equipment.changeover_reason
    stop = ledger.open_stop
    if before is not None and reason is not None and stop is not None and stop.started_at < now:
        part = new_id()
        split = DowntimeSplit(stop_id=stop.stop_id, at=now, new_stop_id=part)
        path, tree_id, version = ledger.reason_path(reason)
        coded = DowntimeCoded(
            stop_id=part,
            reason=reason,
            reason_path=path,
            tree_id=tree_id,
            tree_version=version,
            rule=PlannedRule.CHANGEOVER.value,
        )  # the operator's start says it: coded in their name, by the changeover rule
        items += [As(split, person, person, running), As(coded, person, person, running)]
    await ledger.commit(items, by=person, at=now)
    if before is not None and ledger.open_stop is None and ledger.order_book.changeover:
        # The machine is producing: a changeover on the fly, over as it began.
        await ledger.commit([ledger.changeover_ended(now)], by=None, at=now)


async def pause(ledger: Ledger, why: str = "") -> None:
    """Interrupt the running job; it stays the context of what follows."""
    async with ledger.command_lock:
        await _pause(ledger, why)


async def _pause(ledger: Ledger, why: str = "") -> None:
    person = _signed_in(ledger)
    job = _current(ledger, JobCommand.PAUSE)
    await ledger.commit(
        [OrderPaused(order_id=job.order_id, operation_id=job.operation_id, why=why)], by=person
    )


async def resume(ledger: Ledger) -> None:
    """Run the interrupted job again."""
    async with ledger.command_lock:
        await _resume(ledger)


async def _resume(ledger: Ledger) -> None:
    person = _signed_in(ledger)
    job = _current(ledger, JobCommand.RESUME)
    await ledger.commit(
        [OrderResumed(order_id=job.order_id, operation_id=job.operation_id)], by=person
    )


async def complete(ledger: Ledger) -> None:
    """End the current job with what it made (counted up to now)."""
    async with ledger.command_lock:
        await _complete(ledger)


async def _complete(ledger: Ledger) -> None:
    person = _signed_in(ledger)
    held = _current(ledger, JobCommand.COMPLETE)
    holds = ledger.projections.execution.open_holds(held.order_id)
    if holds:
        raise Refused("order_held", holds=len(holds))
    ledger.cut_counts()
    job = _current(ledger, JobCommand.COMPLETE)
    payload = OrderCompleted(
        order_id=job.order_id,
        operation_id=job.operation_id,
        good=job.good,
        defective=job.defective,
        quantity=job.quantity,
    )
    await ledger.commit([payload], by=person)


async def abort(ledger: Ledger, order_id: str, operation_id: str, why: str) -> None:
    """Give a job up: a team lead's decision, with why."""
    async with ledger.command_lock:
        await _abort(ledger, order_id, operation_id, why)


async def _abort(ledger: Ledger, order_id: str, operation_id: str, why: str) -> None:
    person = _signed_in(ledger)
    if ledger.session.role != Role.TEAM_LEAD:
        raise Refused("team_lead_required")
    if not why.strip():
        raise Refused("why_required")
    job = _job(ledger, order_id, operation_id, JobCommand.ABORT)
    if job.state.current:
        ledger.cut_counts()
        job = _job(ledger, order_id, operation_id, JobCommand.ABORT)
    payload = OrderAborted(
        order_id=job.order_id,
        operation_id=job.operation_id,
        why=why.strip(),
        good=job.good,
        defective=job.defective,
        product=job.product,
        quantity=job.quantity,
        unit=job.unit,
    )
    await ledger.commit([payload], by=person)
