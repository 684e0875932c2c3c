"""Orders at a station: the job states of OPC 10031-4 (ISA-95 job control), the running order
(the context of every later fact), changeovers and progress from the station's counts.

A job is one operation of an order done at this station. Its state starts from the order's
status in master data and then follows the station's own events: the station's record is the
truth about what ran here, the server's status only says what may start.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from lineside.domain.events import (
    ChangeoverEnded,
    CountRecorded,
    Event,
    OrderAborted,
    OrderCompleted,
    OrderPaused,
    OrderResumed,
    OrderStarted,
)
from lineside.domain.master_data import OrderRecord


class JobState(enum.StrEnum):
    """The states of a job (OPC 10031-4, ISA-95 job control)."""

    NOT_ALLOWED_TO_START = "not_allowed_to_start"
    ALLOWED_TO_START = "allowed_to_start"
    RUNNING = "running"
    INTERRUPTED = "interrupted"
    ENDED = "ended"
    ABORTED = "aborted"

    @property
    def final(self) -> bool:
        """Ended or aborted: nothing happens to the job any more."""
        return self in (JobState.ENDED, JobState.ABORTED)

    @property
    def current(self) -> bool:
        """Running or interrupted: the job is the station's order (the context of its facts)."""
        return self in (JobState.RUNNING, JobState.INTERRUPTED)


class JobCommand(enum.StrEnum):
    """What a person can do with a job."""

    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    COMPLETE = "complete"
    ABORT = "abort"


TRANSITIONS: Mapping[tuple[JobState, JobCommand], JobState] = {
    (JobState.ALLOWED_TO_START, JobCommand.START): JobState.RUNNING,
    (JobState.RUNNING, JobCommand.PAUSE): JobState.INTERRUPTED,
    (JobState.INTERRUPTED, JobCommand.RESUME): JobState.RUNNING,
    (JobState.RUNNING, JobCommand.COMPLETE): JobState.ENDED,
    (JobState.INTERRUPTED, JobCommand.COMPLETE): JobState.ENDED,
    (JobState.ALLOWED_TO_START, JobCommand.ABORT): JobState.ABORTED,
    (JobState.RUNNING, JobCommand.ABORT): JobState.ABORTED,
    (JobState.INTERRUPTED, JobCommand.ABORT): JobState.ABORTED,
}
"""Every legal transition; anything else is refused."""


def after(state: JobState, command: JobCommand) -> JobState | None:
    """The state a command leads to, None when it is not allowed in `state`."""
    return TRANSITIONS.get((state, command))


CANCELLED_STATUSES = frozenset({"cancelled", "canceled", "aborted"})
ENDED_STATUSES = frozenset({"completed", "closed", "ended"})


def planned_state(status: str) -> JobState:
    """A job's state from its order's status in master data (before the station ran it)."""
    status = status.lower()
    if status == "released":
        return JobState.ALLOWED_TO_START
    if status in CANCELLED_STATUSES:
        return JobState.ABORTED
    if status in ENDED_STATUSES:
        return JobState.ENDED
    return JobState.NOT_ALLOWED_TO_START


def job_key(order_id: str, operation_id: str) -> str:
    """A job's key: order and operation."""
    return f"{order_id}/{operation_id}"


@dataclass(frozen=True)
class Job:
    """What the station's record says of one job."""

    order_id: str
    operation_id: str
    product: str
    quantity: int
    unit: str
    state: JobState
    started_at: datetime | None = None
    ended_at: datetime | None = None
    good: int = 0
    defective: int = 0
    description: str = ""

    @property
    def key(self) -> str:
        """Order and operation."""
        return job_key(self.order_id, self.operation_id)


@dataclass(frozen=True)
class Changeover:
    """A product switch under way: planned downtime until the machine produces again."""

    order_id: str
    from_product: str
    to_product: str
    started_at: datetime
    standard_s: float | None = None


@dataclass
class OrderBook:
    """The jobs this station ran, the current one, and a changeover under way."""

    jobs: dict[str, Job] = field(default_factory=dict)
    current: str | None = None
    """The running or interrupted job's key."""
    last_product: str | None = None
    """The product of the last job that started (what a changeover starts from)."""
    changeover: Changeover | None = None

    @property
    def current_job(self) -> Job | None:
        """The running or interrupted job."""
        return self.jobs.get(self.current) if self.current else None

    def copy(self) -> OrderBook:
        """An independent copy (jobs are immutable)."""
        return replace(self, jobs=dict(self.jobs))

    def apply(self, event: Event) -> bool:
        """Fold one event in; True when it changed the book."""
        p = event.typed_payload()
        if isinstance(p, CountRecorded):
            return self._count(event, p)
        if isinstance(p, OrderStarted):
            key = job_key(p.order_id, p.operation_id)
            self.jobs[key] = Job(
                p.order_id,
                p.operation_id,
                p.product,
                p.quantity,
                p.unit,
                JobState.RUNNING,
                started_at=event.occurred_at,
                description=p.description,
            )
            self.current = key
            self.changeover = (
                Changeover(
                    p.order_id,
                    p.changeover_from,
                    p.product,
                    event.occurred_at,
                    p.changeover_standard_s,
                )
                if p.changeover_from is not None and p.changeover_from != p.product
                else None
            )
            self.last_product = p.product
            return True
        if isinstance(p, ChangeoverEnded):
            self.changeover = None
            return True
        if isinstance(p, OrderPaused | OrderResumed | OrderCompleted | OrderAborted):
            key = job_key(p.order_id, p.operation_id)
            job = self.jobs.get(key)
            if job is None and isinstance(p, OrderAborted):  # given up before it started
                job = Job(
                    p.order_id, p.operation_id, p.product, p.quantity, p.unit, JobState.ABORTED
                )
            if job is None:
                return False
            if isinstance(p, OrderPaused):
                job = replace(job, state=JobState.INTERRUPTED)
            elif isinstance(p, OrderResumed):
                job = replace(job, state=JobState.RUNNING)
            else:
                state = JobState.ENDED if isinstance(p, OrderCompleted) else JobState.ABORTED
                job = replace(
                    job,
                    state=state,
                    ended_at=event.occurred_at,
                    good=max(job.good, p.good),
                    defective=max(job.defective, p.defective),
                )
                if self.current == key:
                    self.current = None
                    self.changeover = None
            self.jobs[key] = job
            return True
        return False

    def _count(self, event: Event, p: CountRecorded) -> bool:
        context = event.context
        if context.fallback or context.order is None or context.operation is None:
            return False
        key = job_key(context.order, context.operation)
        job = self.jobs.get(key)
        if job is None or (p.good == 0 and p.defective == 0):
            return False
        self.jobs[key] = replace(job, good=job.good + p.good, defective=job.defective + p.defective)
        return True

    # -- snapshot -------------------------------------------------------------------------------

    def to_data(self) -> dict[str, Any]:
        """JSON-ready data for the projections' snapshot."""
        c = self.changeover
        return {
            "jobs": [_job_data(j) for j in self.jobs.values()],
            "current": self.current,
            "last_product": self.last_product,
            "changeover": None
            if c is None
            else [c.order_id, c.from_product, c.to_product, c.started_at.isoformat(), c.standard_s],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> OrderBook:
        """The book from `to_data`; KeyError, TypeError or ValueError when it does not fit."""
        jobs = [_job(d) for d in data["jobs"]]
        c = data["changeover"]
        changeover = (
            None if c is None else Changeover(c[0], c[1], c[2], datetime.fromisoformat(c[3]), c[4])
        )
        return cls(
            jobs={j.key: j for j in jobs},
            current=data["current"],
            last_product=data["last_product"],
            changeover=changeover,
        )


def _job_data(job: Job) -> dict[str, Any]:
    return {
        "order_id": job.order_id,
        "operation_id": job.operation_id,
        "product": job.product,
        "quantity": job.quantity,
        "unit": job.unit,
        "state": job.state.value,
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "ended_at": job.ended_at.isoformat() if job.ended_at else None,
        "good": job.good,
        "defective": job.defective,
        "description": job.description,
    }


def _job(data: dict[str, Any]) -> Job:
    values = dict(data)
    values["state"] = JobState(values["state"])
    for key in ("started_at", "ended_at"):
        values[key] = datetime.fromisoformat(values[key]) if values[key] else None
    return Job(**values)


@dataclass(frozen=True)
class QueuedJob:
    """One row of the station's order queue: the plant's order and what the station did."""

    job: Job
    due: date | None
    status: str
    """The order's status on the server (master data)."""
    description: str

    @property
    def flagged(self) -> bool:
        """Cancelled on the server while this station runs it: a team lead must decide."""
        return self.job.state.current and self.status.lower() in CANCELLED_STATUSES


def queue(orders: Iterable[OrderRecord], book: OrderBook, station_id: str) -> list[QueuedJob]:
    """The station's jobs: every operation of the orders that is done at this station.

    The current job comes first, then those that may start by due date, then the rest; jobs
    the station ran but the plant data no longer lists are kept (what ran here stays visible).
    """
    rows: dict[str, QueuedJob] = {}
    for order in orders:
        for op in order.operations:
            if op.station_id not in (None, station_id):
                continue
            key = job_key(order.order_id, op.operation_id)
            job = book.jobs.get(key) or Job(
                order.order_id,
                op.operation_id,
                order.product,
                order.quantity,
                order.unit,
                planned_state(order.status),
                description=op.description,
            )
            rows[key] = QueuedJob(job, order.due, order.status, op.description)
    for key, job in book.jobs.items():
        if key not in rows:
            rows[key] = QueuedJob(job, None, "", job.description)

    def rank(row: QueuedJob) -> tuple[int, date, str]:
        state = row.job.state
        group = 0 if state.current else 1 if state is JobState.ALLOWED_TO_START else 2
        if state.final:
            group = 3
        return group, row.due or date.max, row.job.key

    return sorted(rows.values(), key=rank)
