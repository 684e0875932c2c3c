"""Order state on the server: a projection of the stations' order events, kept in the ingest's
transaction (so exactly once with each event), flags for a team lead, and every signature
verified again against master data (docs/server.md, Order state and flags).

The server never refuses a valid event for what it finds here: an order that master data does
not know or has cancelled, or a signature it cannot verify, is stored all the same and flagged.
State is kept per job, (order, operation, station); a station's events arrive in seq order,
those of different stations in any order, so nothing here depends on the order across stations.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Engine,
    Float,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    insert,
    select,
    update,
)

from lineside.domain.events import (
    REGISTRY,
    ChangeoverEnded,
    CheckRecorded,
    CountRecorded,
    DeviationDecided,
    DeviationOpened,
    EventContext,
    HoldPlaced,
    HoldReleased,
    OrderAborted,
    OrderCompleted,
    OrderPaused,
    OrderResumed,
    OrderStarted,
    Payload,
    SignatureGiven,
    SubjectType,
)
from lineside.domain.master_data import Kind, OrderRecord
from lineside.domain.orders import CANCELLED_STATUSES, JobState
from lineside.domain.people import DECIDES_DEVIATIONS, Person
from lineside.server.db import iso, master_record, metadata, reading, station, utc_now

_ROW_ID = BigInteger().with_variant(Integer(), "sqlite")


order_state = Table(
    "order_state",
    metadata,
    Column("order_id", Text, nullable=False),
    Column("operation_id", Text, nullable=False),
    Column("station_id", Text, nullable=False),
    Column("line", Text, nullable=True),
    Column("product", Text, nullable=True),
    Column("state", String(32), nullable=False),
    Column("state_seq", BigInteger, nullable=False),
    Column("started_at", String(32), nullable=True),
    Column("ended_at", String(32), nullable=True),
    Column("counted_good", BigInteger, nullable=False),
    Column("counted_defective", BigInteger, nullable=False),
    Column("reported_good", BigInteger, nullable=True),
    Column("reported_defective", BigInteger, nullable=True),
    Column("changeovers", Integer, nullable=False),
    Column("changeover_s", Float, nullable=False),
    Column("changeover_standard_s", Float, nullable=False),
    Column("changeovers_without_standard", Integer, nullable=False),
    Column("last_seq", BigInteger, nullable=False),
    Column("last_event_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    PrimaryKeyConstraint("order_id", "operation_id", "station_id", name="pk_order_state"),
)
"""One row per job: an operation of an order at a station, as its events tell it."""

order_hold = Table(
    "order_hold",
    metadata,
    Column("hold_id", Text, primary_key=True),
    Column("order_id", Text, nullable=False),
    Column("operation_id", Text, nullable=True),
    Column("station_id", Text, nullable=True),
    Column("deviation_id", Text, nullable=True),
    Column("placed_at", String(32), nullable=True),
    Column("released_at", String(32), nullable=True),
    Index("ix_order_hold_order", "order_id"),
)
"""Holds of orders; open while placed and not released (a release may arrive first)."""

order_deviation = Table(
    "order_deviation",
    metadata,
    Column("deviation_id", Text, primary_key=True),
    Column("order_id", Text, nullable=False),
    Column("operation_id", Text, nullable=True),
    Column("station_id", Text, nullable=True),
    Column("opened_at", String(32), nullable=True),
    Column("decided_at", String(32), nullable=True),
    Column("decision", String(32), nullable=True),
    Index("ix_order_deviation_order", "order_id"),
)
"""Quality deviations of orders; open while opened and not decided."""

order_flag = Table(
    "order_flag",
    metadata,
    Column("flag_id", _ROW_ID, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("order_id", Text, nullable=True),
    Column("operation_id", Text, nullable=True),
    Column("station_id", Text, nullable=True),
    Column("subject", Text, nullable=True),
    Column("event_id", Text, nullable=True),
    Column("since", String(32), nullable=False),
    Column("detail", Text, nullable=False),
    Column("raised_at", String(32), nullable=False),
    Column("cleared_at", String(32), nullable=True),
    Index("ix_order_flag_order", "order_id"),
)
"""What a team lead must look at; open until cleared (`lineside server orders --clear`)."""

signature_check = Table(
    "signature_check",
    metadata,
    Column("id", _ROW_ID, primary_key=True, autoincrement=True),
    Column("event_id", Text, nullable=False, unique=True),
    Column("signature_id", Text, nullable=False),
    Column("station_id", Text, nullable=False),
    Column("person_id", Text, nullable=False),
    Column("meaning", Text, nullable=False),
    Column("subject_type", String(32), nullable=False),
    Column("subject_id", Text, nullable=False),
    Column("order_id", Text, nullable=True),
    Column("signed_at", String(32), nullable=False),
    Column("verified", Boolean, nullable=False),
    Column("why", Text, nullable=True),
    Column("checked_at", String(32), nullable=False),
    Index("ix_signature_check_signature", "signature_id"),
)
"""Every `signature.given` checked against master data as the server had it on arrival."""


class FlagKind(enum.StrEnum):
    """Why a team lead is asked to look at an order."""

    UNKNOWN_ORDER = "unknown_order"
    """A station recorded facts of an order that master data does not have."""
    CANCELLED_WHILE_RUNNING = "cancelled_while_running"
    """Master data cancelled an order that a station runs, or ran it after the cancellation."""
    SIGNATURE_UNVERIFIED = "signature_unverified"
    """A signature names a person the server does not know, another PIN hash, or no right."""


def pin_hash_id(pin_hash: str) -> str:
    """The fingerprint of a PIN hash, as a station puts it in `signature.given`."""
    return hashlib.sha256(pin_hash.encode()).hexdigest()


# -- the projection, inside the ingest's transaction ------------------------------------------

_ORDER_PAYLOADS = (
    OrderStarted,
    OrderPaused,
    OrderResumed,
    OrderCompleted,
    OrderAborted,
    ChangeoverEnded,
    CountRecorded,
    HoldPlaced,
    HoldReleased,
    DeviationOpened,
    DeviationDecided,
    CheckRecorded,
    SignatureGiven,
)
HANDLED = frozenset(
    spec.event_type for spec in REGISTRY.values() if issubclass(spec.payload, _ORDER_PAYLOADS)
)
"""The event types the projection reads; the others cost it nothing."""

_MISSING = object()


def project(conn: Connection, station_id: str, rows: Sequence[dict[str, Any]]) -> None:
    """Fold a batch's newly stored events (event rows, in seq order) into the order state."""
    mine = [row for row in rows if row["type"] in HANDLED]
    if mine:
        _Projection(conn, station_id).run(mine)


@dataclass
class _Fact:
    """One event row as the projection reads it."""

    event_id: str
    seq: int
    occurred_at: str
    context: EventContext
    payload: Payload


class _Projection:
    """One batch's changes: jobs read once and written once, master data looked up once."""

    def __init__(self, conn: Connection, station_id: str) -> None:
        self.conn = conn
        self.station_id = station_id
        self.now = iso(utc_now())
        self.jobs: dict[tuple[str, str], dict[str, Any] | None] = {}
        self.new_jobs: set[tuple[str, str]] = set()
        self.changed_jobs: set[tuple[str, str]] = set()
        self.orders: dict[str, Any] = {}
        self.open_flags: set[tuple[str, str | None, str | None]] | None = None
        self.flags: list[dict[str, Any]] = []

    def run(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            spec = REGISTRY[row["type"]]
            fact = _Fact(
                row["event_id"],
                row["seq"],
                row["occurred_at"],
                EventContext.model_validate_json(row["context"]),
                spec.payload.model_validate_json(row["payload"]),
            )
            self._apply(fact)
        self._write()

    # -- per event ------------------------------------------------------------------------

    def _apply(self, fact: _Fact) -> None:  # noqa: PLR0912 (one branch per payload type)
        p, ctx = fact.payload, fact.context
        order_id: str | None
        if isinstance(p, CountRecorded):
            if ctx.fallback or ctx.order is None or ctx.operation is None:
                return
            order_id, operation_id = ctx.order, ctx.operation
            job = self._job(order_id, operation_id, fact, create=True)
            assert job is not None
            job["counted_good"] += p.good
            job["counted_defective"] += p.defective
        elif isinstance(p, OrderStarted | OrderPaused | OrderResumed | OrderCompleted):
            order_id = p.order_id
            job = self._job(p.order_id, p.operation_id, fact, create=True)
            assert job is not None
            self._step(job, p, fact)
        elif isinstance(p, OrderAborted):
            order_id = p.order_id
            job = self._job(p.order_id, p.operation_id, fact, create=True, product=p.product)
            assert job is not None
            self._step(job, p, fact)
        elif isinstance(p, ChangeoverEnded):
            order_id = p.order_id
            job = self._job(p.order_id, self._operation(p.order_id, None, ctx), fact)
            if job is not None:
                job["changeovers"] += 1
                job["changeover_s"] += p.duration_s
                if p.standard_s is None:
                    job["changeovers_without_standard"] += 1
                else:
                    job["changeover_standard_s"] += p.standard_s
        elif isinstance(p, HoldPlaced | HoldReleased):
            order_id = p.order_id
            self._hold(p, fact)
            self._job(p.order_id, self._operation(p.order_id, None, ctx), fact)
        elif isinstance(p, DeviationOpened | DeviationDecided):
            order_id = p.order_id
            self._deviation(p, fact)
            operation = p.operation_id if isinstance(p, DeviationOpened) else None
            self._job(p.order_id, self._operation(p.order_id, operation, ctx), fact)
        elif isinstance(p, CheckRecorded):
            order_id = p.order_id
            self._job(p.order_id, p.operation_id, fact)
        else:
            assert isinstance(p, SignatureGiven)
            order_id = p.order_id
            self._signature(p, fact)
            if order_id is not None:
                self._job(order_id, self._operation(order_id, None, ctx), fact)
        if order_id is not None:
            self._check_order(order_id, fact)

    def _step(self, job: dict[str, Any], p: Payload, fact: _Fact) -> None:
        """A job command: the state follows the newest seq; times and totals fill in."""
        if isinstance(p, OrderStarted):
            state = JobState.RUNNING
            job["product"] = p.product
            if job["started_at"] is None or fact.occurred_at < job["started_at"]:
                job["started_at"] = fact.occurred_at
        elif isinstance(p, OrderPaused):
            state = JobState.INTERRUPTED
        elif isinstance(p, OrderResumed):
            state = JobState.RUNNING
        else:
            assert isinstance(p, OrderCompleted | OrderAborted)
            state = JobState.ENDED if isinstance(p, OrderCompleted) else JobState.ABORTED
            job["ended_at"] = fact.occurred_at
            job["reported_good"] = max(job["reported_good"] or 0, p.good)
            job["reported_defective"] = max(job["reported_defective"] or 0, p.defective)
        if fact.seq > job["state_seq"]:
            job["state"] = state.value
            job["state_seq"] = fact.seq

    def _operation(self, order_id: str, given: str | None, ctx: EventContext) -> str | None:
        """The operation an event of `order_id` belongs to: its own, the context's, or the
        latest job of that order at this station."""
        if given is not None:
            return given
        if ctx.order == order_id and ctx.operation is not None and not ctx.fallback:
            return ctx.operation
        known = [op for (order, op), job in self.jobs.items() if order == order_id and job]
        if known:
            return known[-1]
        found = self.conn.scalar(
            select(order_state.c.operation_id)
            .where(order_state.c.order_id == order_id, order_state.c.station_id == self.station_id)
            .order_by(order_state.c.last_seq.desc())
            .limit(1)
        )
        return None if found is None else str(found)

    def _job(
        self,
        order_id: str,
        operation_id: str | None,
        fact: _Fact,
        *,
        create: bool = False,
        product: str | None = None,
    ) -> dict[str, Any] | None:
        """The job's row (read once per batch), marked changed by `fact`; a new one if asked."""
        if operation_id is None:
            return None
        key = (order_id, operation_id)
        if key not in self.jobs:
            found = self.conn.execute(
                select(order_state).where(
                    order_state.c.order_id == order_id,
                    order_state.c.operation_id == operation_id,
                    order_state.c.station_id == self.station_id,
                )
            ).first()
            self.jobs[key] = None if found is None else dict(found._mapping)
        job = self.jobs[key]
        if job is None:
            if not create:
                return None
            job = {
                "order_id": order_id,
                "operation_id": operation_id,
                "station_id": self.station_id,
                "line": fact.context.line,
                "product": product or fact.context.product,
                # Counts only come while the station runs the job: until its own start
                # (held back in quarantine, say) arrives, that is the best word for it.
                "state": JobState.RUNNING.value,
                "state_seq": 0,
                "started_at": None,
                "ended_at": None,
                "counted_good": 0,
                "counted_defective": 0,
                "reported_good": None,
                "reported_defective": None,
                "changeovers": 0,
                "changeover_s": 0.0,
                "changeover_standard_s": 0.0,
                "changeovers_without_standard": 0,
                "last_seq": 0,
                "last_event_at": fact.occurred_at,
            }
            self.jobs[key] = job
            self.new_jobs.add(key)
        if fact.seq > job["last_seq"]:
            job["last_seq"] = fact.seq
            job["last_event_at"] = fact.occurred_at
        self.changed_jobs.add(key)
        return job

    def _hold(self, p: HoldPlaced | HoldReleased, fact: _Fact) -> None:
        found = self.conn.execute(
            select(order_hold.c.placed_at, order_hold.c.released_at).where(
                order_hold.c.hold_id == p.hold_id
            )
        ).first()
        values: dict[str, Any]
        if isinstance(p, HoldPlaced):
            first, values = (
                "placed_at",
                {
                    "order_id": p.order_id,
                    "operation_id": self._operation(p.order_id, None, fact.context),
                    "station_id": self.station_id,
                    "deviation_id": p.deviation_id,
                    "placed_at": fact.occurred_at,
                },
            )
        else:
            first, values = "released_at", {"released_at": fact.occurred_at}
        if found is None:
            values.setdefault("order_id", p.order_id)
            self.conn.execute(insert(order_hold).values(hold_id=p.hold_id, **values))
        elif getattr(found, first) is None:  # the first placement, the first release count
            self.conn.execute(
                update(order_hold).where(order_hold.c.hold_id == p.hold_id).values(**values)
            )

    def _deviation(self, p: DeviationOpened | DeviationDecided, fact: _Fact) -> None:
        found = self.conn.execute(
            select(order_deviation.c.opened_at, order_deviation.c.decided_at).where(
                order_deviation.c.deviation_id == p.deviation_id
            )
        ).first()
        values: dict[str, Any]
        if isinstance(p, DeviationOpened):
            first, values = (
                "opened_at",
                {
                    "order_id": p.order_id,
                    "operation_id": p.operation_id,
                    "station_id": self.station_id,
                    "opened_at": fact.occurred_at,
                },
            )
        else:
            first, values = (
                "decided_at",
                {
                    "decided_at": fact.occurred_at,
                    "decision": p.decision.value,
                },
            )
        if found is None:
            values.setdefault("order_id", p.order_id)
            self.conn.execute(insert(order_deviation).values(deviation_id=p.deviation_id, **values))
        elif getattr(found, first) is None:
            self.conn.execute(
                update(order_deviation)
                .where(order_deviation.c.deviation_id == p.deviation_id)
                .values(**values)
            )

    def _signature(self, p: SignatureGiven, fact: _Fact) -> None:
        """Verify a signature against master data now; keep the check, flag a failed one."""
        why = unverified_because(self._person(p.person_id), p)
        self.conn.execute(
            insert(signature_check).values(
                event_id=fact.event_id,
                signature_id=p.signature_id,
                station_id=self.station_id,
                person_id=p.person_id,
                meaning=p.meaning,
                subject_type=p.subject_type.value,
                subject_id=p.subject_id,
                order_id=p.order_id,
                signed_at=fact.occurred_at,
                verified=why is None,
                why=why,
                checked_at=self.now,
            )
        )
        if why is not None:
            self._flag(FlagKind.SIGNATURE_UNVERIFIED, p.order_id, fact, why, p.signature_id)

    def _person(self, person_id: str) -> Person | None:
        data = self.conn.scalar(
            select(master_record.c.data).where(
                master_record.c.kind == Kind.PERSON.value,
                master_record.c.key == person_id,
                master_record.c.deleted.is_(False),
            )
        )
        return None if data is None else Person.model_validate_json(data)

    def _check_order(self, order_id: str, fact: _Fact) -> None:
        """Flag (never refuse) a fact of an order master data lacks or has cancelled."""
        order = self.orders.get(order_id, _MISSING)
        if order is _MISSING:
            order = master_order(self.conn, order_id)
            self.orders[order_id] = order
        kind = REGISTRY_TYPES[type(fact.payload)]
        if order is None:
            self._flag(
                FlagKind.UNKNOWN_ORDER,
                order_id,
                fact,
                f"{self.station_id} recorded {kind} of order {order_id}, "
                "which master data does not have",
            )
        elif order.status.lower() in CANCELLED_STATUSES:
            self._flag(
                FlagKind.CANCELLED_WHILE_RUNNING,
                order_id,
                fact,
                f"{self.station_id} recorded {kind} of order {order_id}, "
                f"which master data has as {order.status}",
            )

    def _flag(
        self,
        kind: FlagKind,
        order_id: str | None,
        fact: _Fact,
        detail: str,
        subject: str | None = None,
    ) -> None:
        """Raise a flag unless one of its kind is open for the order, station and subject."""
        if self.open_flags is None:
            self.open_flags = {
                (row.kind, row.order_id, row.subject)
                for row in self.conn.execute(
                    select(order_flag.c.kind, order_flag.c.order_id, order_flag.c.subject).where(
                        order_flag.c.station_id == self.station_id,
                        order_flag.c.cleared_at.is_(None),
                    )
                )
            }
        ident = (kind.value, order_id, subject)
        if ident in self.open_flags:
            return
        self.open_flags.add(ident)
        operation = fact.context.operation if fact.context.order == order_id else None
        self.flags.append(
            {
                "kind": kind.value,
                "order_id": order_id,
                "operation_id": operation,
                "station_id": self.station_id,
                "subject": subject,
                "event_id": fact.event_id,
                "since": fact.occurred_at,
                "detail": detail,
                "raised_at": self.now,
            }
        )

    # -- the writes -----------------------------------------------------------------------

    def _write(self) -> None:
        conn = self.conn
        new = [self._row(key) for key in self.new_jobs]
        if new:
            conn.execute(insert(order_state), new)
        for key in self.changed_jobs - self.new_jobs:
            row = self._row(key)
            conn.execute(
                update(order_state)
                .where(
                    order_state.c.order_id == row.pop("order_id"),
                    order_state.c.operation_id == row.pop("operation_id"),
                    order_state.c.station_id == row.pop("station_id"),
                )
                .values(**row)
            )
        if self.flags:
            conn.execute(insert(order_flag), self.flags)

    def _row(self, key: tuple[str, str]) -> dict[str, Any]:
        job = self.jobs[key]
        assert job is not None
        return {**job, "updated_at": self.now}


REGISTRY_TYPES: dict[type[Payload], str] = {spec.payload: name for name, spec in REGISTRY.items()}


def unverified_because(person: Person | None, p: SignatureGiven) -> str | None:
    """Why master data does not bear a signature out (None: it does)."""
    if person is None:
        return f"{p.person_id} is not a person in master data"
    if person.pin_hash is None:
        return f"{p.person_id} has no PIN hash in master data"
    if pin_hash_id(person.pin_hash) != p.pin_hash_id:
        return (
            f"the PIN hash the station checked is not {p.person_id}'s current one "
            "(changed since, or never theirs)"
        )
    if p.subject_type in (SubjectType.DEVIATION, SubjectType.HOLD) and (
        person.role not in DECIDES_DEVIATIONS
    ):
        rights = " or ".join(sorted(role.value for role in DECIDES_DEVIATIONS))
        return (
            f"{p.person_id} is {person.role.value}; signing a {p.subject_type.value} "
            f"decision needs {rights}"
        )
    return None


def master_order(conn: Connection, order_id: str) -> OrderRecord | None:
    """The order as master data has it now (None: not there, or deleted)."""
    data = conn.scalar(
        select(master_record.c.data).where(
            master_record.c.kind == Kind.ORDER.value,
            master_record.c.key == order_id,
            master_record.c.deleted.is_(False),
        )
    )
    return None if data is None else OrderRecord.model_validate_json(data)


# -- a cancellation imported while a station runs the order -----------------------------------


def flag_cancelled_jobs(engine: Engine) -> int:
    """Flag every running or interrupted job whose order master data now has as cancelled
    (after an import); how many flags it raised."""
    current = (JobState.RUNNING.value, JobState.INTERRUPTED.value)
    with engine.begin() as conn:
        jobs = conn.execute(
            select(order_state.c.order_id, order_state.c.operation_id, order_state.c.station_id)
            .where(order_state.c.state.in_(current))
            .order_by(order_state.c.order_id, order_state.c.station_id)
        ).all()
        if not jobs:
            return 0
        cancelled: dict[str, tuple[OrderRecord, str]] = {}
        for row in conn.execute(
            select(master_record.c.key, master_record.c.data, master_record.c.updated_at).where(
                master_record.c.kind == Kind.ORDER.value,
                master_record.c.deleted.is_(False),
                master_record.c.key.in_({job.order_id for job in jobs}),
            )
        ):
            record = OrderRecord.model_validate_json(row.data)
            if record.status.lower() in CANCELLED_STATUSES:
                cancelled[row.key] = (record, row.updated_at)
        open_now = {
            (row.order_id, row.station_id)
            for row in conn.execute(
                select(order_flag.c.order_id, order_flag.c.station_id).where(
                    order_flag.c.kind == FlagKind.CANCELLED_WHILE_RUNNING.value,
                    order_flag.c.cleared_at.is_(None),
                )
            )
        }
        now = iso(utc_now())
        flags = []
        for job in jobs:
            if job.order_id not in cancelled or (job.order_id, job.station_id) in open_now:
                continue
            open_now.add((job.order_id, job.station_id))
            record, since = cancelled[job.order_id]
            flags.append(
                {
                    "kind": FlagKind.CANCELLED_WHILE_RUNNING.value,
                    "order_id": job.order_id,
                    "operation_id": job.operation_id,
                    "station_id": job.station_id,
                    "since": since,
                    "detail": f"master data has order {job.order_id} as {record.status} while "
                    f"{job.station_id} runs operation {job.operation_id}",
                    "raised_at": now,
                }
            )
        if flags:
            conn.execute(insert(order_flag), flags)
    return len(flags)


def clear_flag(engine: Engine, flag_id: int) -> bool:
    """Mark an open flag as dealt with; False when there is no open flag of that id."""
    with engine.begin() as conn:
        cleared = conn.execute(
            update(order_flag)
            .where(order_flag.c.flag_id == flag_id, order_flag.c.cleared_at.is_(None))
            .values(cleared_at=iso(utc_now()))
        ).rowcount
    return bool(cleared)


# -- reads ------------------------------------------------------------------------------------


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class JobView(_View):
    """One operation of an order at one station, as the station's events tell it."""

    operation_id: str
    station_id: str
    line: str | None
    product: str | None
    state: JobState
    started_at: AwareDatetime | None
    ended_at: AwareDatetime | None
    good: int
    """Counted by the station, or its completion's total when that is higher."""
    defective: int
    holds: list[str]
    """Open holds of the job (their ids)."""
    deviations: list[str]
    """Open quality deviations of the job (their ids)."""
    changeovers: int
    changeover_s: float
    changeover_standard_s: float
    """The standards of the changeovers that have one, summed."""
    changeovers_without_standard: int
    last_seq: int
    last_event_at: AwareDatetime


class HoldView(_View):
    """An open hold of an order."""

    hold_id: str
    operation_id: str | None
    station_id: str | None
    deviation_id: str | None
    placed_at: AwareDatetime


class DeviationView(_View):
    """An open (undecided) quality deviation of an order."""

    deviation_id: str
    operation_id: str | None
    station_id: str | None
    opened_at: AwareDatetime


class FlagView(_View):
    """An open flag: what a team lead should look at, and since when."""

    flag_id: int
    kind: FlagKind
    order_id: str | None
    operation_id: str | None
    station_id: str | None
    since: AwareDatetime
    """When the fact that raised it happened (or master data changed, for an import)."""
    detail: str
    event_id: str | None
    """The event that raised it (none when an import did)."""


class OrderView(_View):
    """An order: its master data, what each station did with its operations, open flags."""

    order_id: str
    master: OrderRecord | None
    """The order in master data now; None when master data does not have it."""
    jobs: list[JobView]
    holds: list[HoldView]
    deviations: list[DeviationView]
    flags: list[FlagView]


class OrderList(_View):
    """The answer of GET /api/v1/orders."""

    orders: list[OrderView]
    server_time: AwareDatetime


class FlagList(_View):
    """The answer of GET /api/v1/flags."""

    flags: list[FlagView]
    server_time: AwareDatetime


def _time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _flag_view(row: Any) -> FlagView:
    return FlagView(
        flag_id=row.flag_id,
        kind=FlagKind(row.kind),
        order_id=row.order_id,
        operation_id=row.operation_id,
        station_id=row.station_id,
        since=datetime.fromisoformat(row.since),
        detail=row.detail,
        event_id=row.event_id,
    )


@dataclass(frozen=True)
class _Scope:
    """What a reader may see: every line (`line` None), or one line's orders and stations."""

    line: str | None
    stations: frozenset[str]

    def sees(self, station_id: str | None, order_line: str | None) -> bool:
        return self.line is None or station_id in self.stations or order_line == self.line


def _scope(conn: Connection, line: str | None) -> _Scope:
    if line is None:
        return _Scope(None, frozenset())
    on_line = conn.scalars(select(station.c.station_id).where(station.c.line == line))
    return _Scope(line, frozenset(str(s) for s in on_line))


def order_views(
    engine: Engine, line: str | None = None, order_id: str | None = None
) -> list[OrderView]:
    """Every order (or the one) that master data or a station's facts name, as `line`'s
    stations see them (None: all lines); those a station runs first, then by id."""
    with reading(engine) as conn:
        scope = _scope(conn, line)
        masters = _master_orders(conn, order_id)
        order_line = {key: record.line for key, record in masters.items()}

        def only(table: Table) -> Any:
            return [] if order_id is None else [table.c.order_id == order_id]

        jobs = conn.execute(select(order_state).where(*only(order_state))).all()
        holds = conn.execute(
            select(order_hold).where(
                *only(order_hold),
                order_hold.c.placed_at.is_not(None),
                order_hold.c.released_at.is_(None),
            )
        ).all()
        deviations = conn.execute(
            select(order_deviation).where(
                *only(order_deviation),
                order_deviation.c.opened_at.is_not(None),
                order_deviation.c.decided_at.is_(None),
            )
        ).all()
        flags = conn.execute(
            select(order_flag)
            .where(
                *only(order_flag),
                order_flag.c.order_id.is_not(None),
                order_flag.c.cleared_at.is_(None),
            )
            .order_by(order_flag.c.flag_id)
        ).all()

    def visible(rows: Iterable[Any]) -> list[Any]:
        return [r for r in rows if scope.sees(r.station_id, order_line.get(r.order_id))]

    jobs, holds, deviations, flags = (visible(x) for x in (jobs, holds, deviations, flags))
    ids = {key for key, record in masters.items() if scope.sees(None, record.line)}
    ids |= {row.order_id for rows in (jobs, holds, deviations, flags) for row in rows}
    views = [
        OrderView(
            order_id=oid,
            master=masters.get(oid),
            jobs=[_job_view(j, holds, deviations) for j in jobs if j.order_id == oid],
            holds=[
                HoldView(
                    hold_id=h.hold_id,
                    operation_id=h.operation_id,
                    station_id=h.station_id,
                    deviation_id=h.deviation_id,
                    placed_at=datetime.fromisoformat(h.placed_at),
                )
                for h in holds
                if h.order_id == oid
            ],
            deviations=[
                DeviationView(
                    deviation_id=d.deviation_id,
                    operation_id=d.operation_id,
                    station_id=d.station_id,
                    opened_at=datetime.fromisoformat(d.opened_at),
                )
                for d in deviations
                if d.order_id == oid
            ],
            flags=[_flag_view(f) for f in flags if f.order_id == oid],
        )
        for oid in ids
    ]
    return sorted(views, key=lambda v: (not any(j.state.current for j in v.jobs), v.order_id))


def _master_orders(conn: Connection, order_id: str | None) -> dict[str, OrderRecord]:
    query = select(master_record.c.key, master_record.c.data).where(
        master_record.c.kind == Kind.ORDER.value, master_record.c.deleted.is_(False)
    )
    if order_id is not None:
        query = query.where(master_record.c.key == order_id)
    return {row.key: OrderRecord.model_validate_json(row.data) for row in conn.execute(query)}


def _job_view(job: Any, holds: list[Any], deviations: list[Any]) -> JobView:
    def mine(row: Any) -> bool:
        return (row.order_id, row.operation_id, row.station_id) == (
            job.order_id,
            job.operation_id,
            job.station_id,
        )

    last = _time(job.last_event_at)
    assert last is not None
    return JobView(
        operation_id=job.operation_id,
        station_id=job.station_id,
        line=job.line,
        product=job.product,
        state=JobState(job.state),
        started_at=_time(job.started_at),
        ended_at=_time(job.ended_at),
        good=max(job.counted_good, job.reported_good or 0),
        defective=max(job.counted_defective, job.reported_defective or 0),
        holds=[h.hold_id for h in holds if mine(h)],
        deviations=[d.deviation_id for d in deviations if mine(d)],
        changeovers=job.changeovers,
        changeover_s=job.changeover_s,
        changeover_standard_s=job.changeover_standard_s,
        changeovers_without_standard=job.changeovers_without_standard,
        last_seq=job.last_seq,
        last_event_at=last,
    )


def open_flags(engine: Engine, line: str | None = None) -> list[FlagView]:
    """The flags nobody has cleared yet, oldest first, as `line`'s stations see them."""
    with reading(engine) as conn:
        scope = _scope(conn, line)
        rows = conn.execute(
            select(order_flag)
            .where(order_flag.c.cleared_at.is_(None))
            .order_by(order_flag.c.since, order_flag.c.flag_id)
        ).all()
        if scope.line is not None:
            lines = {
                key: OrderRecord.model_validate_json(data).line
                for key, data in conn.execute(
                    select(master_record.c.key, master_record.c.data).where(
                        master_record.c.kind == Kind.ORDER.value,
                        master_record.c.deleted.is_(False),
                        master_record.c.key.in_({r.order_id for r in rows if r.order_id}),
                    )
                )
            }
            rows = [r for r in rows if scope.sees(r.station_id, lines.get(r.order_id))]
    return [_flag_view(row) for row in rows]
