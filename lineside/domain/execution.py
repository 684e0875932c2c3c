"""Work at the station by the instruction: confirmed steps, checks, electronic signatures,
quality deviations and holds, folded from the record.

Signing follows 21 CFR Part 11: a signature shows printed name, date and time and meaning
(§11.50); the first signing of a sign-in session uses badge and PIN, later ones the PIN only
(§11.200); five wrong PINs in a row lock the person's signing until a team lead unlocks it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from lineside.domain.events import (
    CheckRecorded,
    Containment,
    Decision,
    DeviationDecided,
    DeviationOpened,
    Event,
    HoldPlaced,
    HoldReleased,
    PersonSignedIn,
    PersonSignedOut,
    SignatureGiven,
    SignatureRefused,
    SignComponents,
    SigningUnlocked,
    StepConfirmed,
    SubjectType,
)
from lineside.domain.orders import job_key

MAX_PIN_FAILURES = 5
"""Wrong PINs in a row that lock a person's signing on the station."""


def step_subject(order_id: str, operation_id: str, step_id: str) -> str:
    """The subject id of a step's signatures: the job and the step."""
    return f"{job_key(order_id, operation_id)}#{step_id}"


@dataclass(frozen=True)
class Signature:
    """One electronic signature as the signed record shows it."""

    signature_id: str
    person_id: str
    name: str
    role: str
    meaning: str
    at: datetime
    components: SignComponents
    subject_type: SubjectType
    subject_id: str


@dataclass(frozen=True)
class CheckValue:
    """A value a step recorded."""

    value: str
    number: float | None
    unit: str
    lower: float | None
    upper: float | None
    within: bool
    at: datetime
    by: str | None
    deviation_id: str | None = None


@dataclass(frozen=True)
class StepDone:
    """A confirmed step: when, by whom, with which instruction version."""

    step_id: str
    confirmed_at: datetime
    by: str | None
    instruction_id: str
    instruction_version: str
    signatures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Deviation:
    """A check out of limits, its containment, and the decision once made."""

    deviation_id: str
    order_id: str
    operation_id: str
    step_id: str
    check: str
    value: str
    unit: str
    lower: float | None
    upper: float | None
    containment: Containment
    product: str
    lot: str | None
    opened_at: datetime
    opened_by: str | None
    decision: Decision | None = None
    why: str = ""
    decided_at: datetime | None = None
    decided_by: str | None = None


@dataclass(frozen=True)
class Hold:
    """A hold on an order (and lot): completing it is refused until it is released."""

    hold_id: str
    order_id: str
    lot: str | None
    deviation_id: str | None
    why: str
    stop_line: bool
    placed_at: datetime
    released_at: datetime | None = None
    released_by: str | None = None


@dataclass
class Execution:
    """Steps, checks, signatures, deviations, holds and the signing lock of one station."""

    done: dict[str, dict[str, StepDone]] = field(default_factory=dict)
    """Per job key, the confirmed steps by step id."""
    checks: dict[str, CheckValue] = field(default_factory=dict)
    """Per step subject (`step_subject`), the last value recorded."""
    signatures: dict[str, Signature] = field(default_factory=dict)
    deviations: dict[str, Deviation] = field(default_factory=dict)
    holds: dict[str, Hold] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)
    locked: frozenset[str] = frozenset()
    session_signers: frozenset[str] = frozenset()
    """Who signed with badge and PIN in the current sign-in session (then PIN only)."""

    def copy(self) -> Execution:
        """An independent copy (the records are immutable)."""
        return replace(
            self,
            done={k: dict(v) for k, v in self.done.items()},
            checks=dict(self.checks),
            signatures=dict(self.signatures),
            deviations=dict(self.deviations),
            holds=dict(self.holds),
            failures=dict(self.failures),
        )

    # -- reading ---------------------------------------------------------------------------

    def steps_done(self, key: str) -> dict[str, StepDone]:
        """The confirmed steps of a job."""
        return self.done.get(key, {})

    def signatures_for(self, key: str, step_id: str) -> list[Signature]:
        """The signatures given for a step of a job, in order."""
        order_id, _, operation_id = key.partition("/")
        subject = step_subject(order_id, operation_id, step_id)
        return [
            s
            for s in self.signatures.values()
            if s.subject_type is SubjectType.STEP and s.subject_id == subject
        ]

    def check_of(self, key: str, step_id: str) -> CheckValue | None:
        """The value recorded for a step of a job."""
        order_id, _, operation_id = key.partition("/")
        return self.checks.get(step_subject(order_id, operation_id, step_id))

    def open_holds(self, order_id: str | None = None) -> list[Hold]:
        """Holds not released (of one order)."""
        return [
            h
            for h in self.holds.values()
            if h.released_at is None and (order_id is None or h.order_id == order_id)
        ]

    def open_deviations(self) -> list[Deviation]:
        """Deviations not decided yet, oldest first."""
        return sorted(
            (d for d in self.deviations.values() if d.decision is None),
            key=lambda d: d.opened_at,
        )

    # -- folding ---------------------------------------------------------------------------

    def apply(self, event: Event) -> bool:  # noqa: PLR0911, PLR0912 - one branch per type
        """Fold one event in; True when it changed anything."""
        p = event.typed_payload()
        at, by = event.occurred_at, event.recorded_by
        if isinstance(p, PersonSignedIn | PersonSignedOut):
            self.session_signers = frozenset()
            return True
        if isinstance(p, SignatureGiven):
            self.signatures[p.signature_id] = Signature(
                p.signature_id,
                p.person_id,
                p.name,
                p.role,
                p.meaning,
                at,
                p.components,
                p.subject_type,
                p.subject_id,
            )
            self.failures.pop(p.person_id, None)
            if p.person_id == event.context.person:
                self.session_signers = self.session_signers | {p.person_id}
            return True
        if isinstance(p, SignatureRefused):
            self.failures[p.person_id] = p.failures
            if p.locked or p.failures >= MAX_PIN_FAILURES:
                self.locked = self.locked | {p.person_id}
            return True
        if isinstance(p, SigningUnlocked):
            self.failures.pop(p.person_id, None)
            self.locked = self.locked - {p.person_id}
            return True
        if isinstance(p, StepConfirmed):
            key = job_key(p.order_id, p.operation_id)
            steps = self.done.setdefault(key, {})
            steps[p.step_id] = StepDone(
                p.step_id, at, by, p.instruction_id, p.instruction_version, p.signatures
            )
            return True
        if isinstance(p, CheckRecorded):
            subject = step_subject(p.order_id, p.operation_id, p.step_id)
            self.checks[subject] = CheckValue(
                p.value, p.number, p.unit, p.lower, p.upper, p.within, at, by, p.deviation_id
            )
            return True
        if isinstance(p, DeviationOpened):
            self.deviations[p.deviation_id] = Deviation(
                p.deviation_id,
                p.order_id,
                p.operation_id,
                p.step_id,
                p.check,
                p.value,
                p.unit,
                p.lower,
                p.upper,
                p.containment,
                p.product,
                p.lot,
                at,
                by,
            )
            return True
        if isinstance(p, DeviationDecided):
            deviation = self.deviations.get(p.deviation_id)
            if deviation is None:
                return False
            self.deviations[p.deviation_id] = replace(
                deviation, decision=p.decision, why=p.why, decided_at=at, decided_by=by
            )
            return True
        if isinstance(p, HoldPlaced):
            self.holds[p.hold_id] = Hold(
                p.hold_id, p.order_id, p.lot, p.deviation_id, p.why, p.stop_line, at
            )
            return True
        if isinstance(p, HoldReleased):
            hold = self.holds.get(p.hold_id)
            if hold is None:
                return False
            self.holds[p.hold_id] = replace(hold, released_at=at, released_by=by)
            return True
        return False

    # -- snapshot --------------------------------------------------------------------------

    def to_data(self) -> dict[str, Any]:
        """JSON-ready data for the projections' snapshot."""
        return {
            "done": {k: [_data(s) for s in v.values()] for k, v in self.done.items()},
            "checks": {k: _data(v) for k, v in self.checks.items()},
            "signatures": [_data(s) for s in self.signatures.values()],
            "deviations": [_data(d) for d in self.deviations.values()],
            "holds": [_data(h) for h in self.holds.values()],
            "failures": self.failures,
            "locked": sorted(self.locked),
            "session_signers": sorted(self.session_signers),
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Execution:
        """From `to_data`; KeyError, TypeError or ValueError when it does not fit."""
        signatures = [_signature(d) for d in data["signatures"]]
        deviations = [_deviation(d) for d in data["deviations"]]
        holds = [_hold(d) for d in data["holds"]]
        return cls(
            done={k: {d["step_id"]: _step(d) for d in v} for k, v in data["done"].items()},
            checks={k: _check(v) for k, v in data["checks"].items()},
            signatures={s.signature_id: s for s in signatures},
            deviations={d.deviation_id: d for d in deviations},
            holds={h.hold_id: h for h in holds},
            failures={k: int(v) for k, v in data["failures"].items()},
            locked=frozenset(data["locked"]),
            session_signers=frozenset(data["session_signers"]),
        )


def _data(record: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in record.__dict__.items():
        if isinstance(value, datetime):
            out[name] = value.isoformat()
        elif isinstance(value, tuple):
            out[name] = list(value)
        else:
            out[name] = value
    return out


def _times(data: dict[str, Any], *names: str) -> dict[str, Any]:
    values = dict(data)
    for name in names:
        values[name] = datetime.fromisoformat(values[name]) if values[name] else None
    return values


def _signature(data: dict[str, Any]) -> Signature:
    values = _times(data, "at")
    values["components"] = SignComponents(values["components"])
    values["subject_type"] = SubjectType(values["subject_type"])
    return Signature(**values)


def _step(data: dict[str, Any]) -> StepDone:
    values = _times(data, "confirmed_at")
    values["signatures"] = tuple(values["signatures"])
    return StepDone(**values)


def _check(data: dict[str, Any]) -> CheckValue:
    return CheckValue(**_times(data, "at"))


def _deviation(data: dict[str, Any]) -> Deviation:
    values = _times(data, "opened_at", "decided_at")
    values["containment"] = Containment(values["containment"])
    values["decision"] = Decision(values["decision"]) if values["decision"] else None
    return Deviation(**values)


def _hold(data: dict[str, Any]) -> Hold:
    return Hold(**_times(data, "placed_at", "released_at"))
