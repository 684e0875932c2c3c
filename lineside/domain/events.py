"""Events: the immutable facts a station records, with their context (DESIGN.md, Events).

Every event type is registered once here with its typed payload, its version and the words
that name it; wire validation, the outbox docs' table and the screen's words derive from it.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)
from uuid6 import uuid7

from lineside.domain.downtime import EndCause, UnknownCause
from lineside.domain.machine_state import StopCategory

SCHEMA_VERSION = 2
"""The envelope's version; each payload type has its own (`REGISTRY[type].version`)."""


def new_id() -> str:
    """A time-ordered unique id (UUIDv7) for events and stops."""
    return str(uuid7())


def utc_now() -> datetime:
    """Current time in UTC; every stored time is UTC."""
    return datetime.now(UTC)


class EventContext(BaseModel):
    """Where and in what situation a fact happened, taken from the context projection."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    line: str
    station: str
    equipment: str | None = None
    order: str | None = None
    operation: str | None = None
    product: str | None = None
    shift: str | None = None
    person: str | None = None
    lot: str | None = None
    fallback: bool = False
    """True when order, operation and product come from the station config, not a running order."""
    master_data: dict[str, str] = Field(default_factory=dict)


class Payload(BaseModel):
    """Base of every event payload."""

    model_config = ConfigDict(frozen=True, extra="forbid")


@dataclass(frozen=True)
class EventSpec:
    """One registered event type."""

    event_type: str
    payload: type[Payload]
    version: int
    label: str
    """English words for the type; the screens translate them (context "EventType")."""
    summary: str


REGISTRY: dict[str, EventSpec] = {}
P = TypeVar("P", bound=type[Payload])


def register(event_type: str, version: int, label: str) -> Callable[[P], P]:
    """Register a payload model as the one payload of `event_type`, at `version`."""

    def add(model: P) -> P:
        if event_type in REGISTRY:
            raise ValueError(f"event type {event_type} is registered twice")
        summary = (model.__doc__ or "").strip().splitlines()[0]
        REGISTRY[event_type] = EventSpec(event_type, model, version, label, summary)
        model.event_type = event_type  # type: ignore[attr-defined]
        return model

    return add


def event_type_of(payload: Payload) -> str:
    """The registered type of a payload."""
    return str(type(payload).event_type)  # type: ignore[attr-defined]


@register("downtime.started", 2, "Stop started")
class DowntimeStarted(Payload):
    """A stop began (category UNKNOWN for time the station could not see the machine)."""

    stop_id: str
    started_at: AwareDatetime
    category: StopCategory
    state: str
    plc_reason_id: int | None = None
    plc_reason_message: str | None = None
    suggested_reason: str | None = None
    unknown_cause: UnknownCause | None = None
    """Why the state is unknown (category UNKNOWN only)."""
    follows_gap: bool = False
    """Began when the station saw the machine again after a gap: never coded automatically."""
    uncertain: tuple[str, ...] = ()
    """Signals whose value had Uncertain quality when the stop began."""


@register("downtime.ended", 2, "Stop ended")
class DowntimeEnded(Payload):
    """A stop ended."""

    stop_id: str
    ended_at: AwareDatetime
    cause: EndCause
    duration_s: float


@register("downtime.plc_reason", 1, "PLC stop reason")
class DowntimePlcReason(Payload):
    """The PLC reported its stop reason after the stop had begun."""

    stop_id: str
    plc_reason_id: int
    plc_reason_message: str | None = None
    suggested_reason: str | None = None


@register("downtime.coded", 2, "Reason given")
class DowntimeCoded(Payload):
    """A stop got its reason, from a person or by a rule (`automatic`, `rule` names it)."""

    stop_id: str
    reason: str
    reason_path: str
    tree_id: str | None = None
    tree_version: str | None = None
    automatic: bool = False
    rule: str | None = None
    """micro_stop, plc_reason, planned_state, planned_unit_mode, planned_signal or break."""


@register("downtime.recoded", 1, "Reason changed")
class DowntimeRecoded(Payload):
    """A coded stop got another reason; the old one is kept here."""

    stop_id: str
    old_reason: str
    new_reason: str
    new_reason_path: str
    tree_id: str | None = None
    tree_version: str | None = None
    why: str = ""


@register("downtime.split", 1, "Stop split")
class DowntimeSplit(Payload):
    """A stop was split in two at a time: the part from `at` on is `new_stop_id`."""

    stop_id: str
    at: AwareDatetime
    new_stop_id: str


@register("downtime.deferred", 1, "Reason left for later")
class DowntimeDeferred(Payload):
    """The operator chose to give the reason later; the stop stays for a person to code."""

    stop_id: str


@register("person.signed_in", 1, "Signed in")
class PersonSignedIn(Payload):
    """Someone signed in at the station; what they record from now on carries their id."""

    person_id: str
    name: str
    role: str


@register("person.signed_out", 1, "Signed out")
class PersonSignedOut(Payload):
    """The signed-in person signed out."""

    person_id: str


class MachineConnection(Payload):
    """The OPC UA connection to the machine was lost or came back."""

    endpoint: str
    detail: str = ""
    server_started_at: AwareDatetime | None = None
    """The OPC UA server's own start time, when it could be read."""
    server_restarted: bool = False
    """The server is a new process since the last connection (its timestamps start afresh)."""


@register("machine.disconnected", 2, "Machine link lost")
class MachineDisconnected(MachineConnection):
    """The OPC UA connection to the machine was lost (or its state signal turned Bad)."""


@register("machine.connected", 2, "Machine link back")
class MachineConnected(MachineConnection):
    """The OPC UA connection to the machine came back."""


@register("count.recorded", 1, "Production counted")
class CountRecorded(Payload):
    """Good and defective units made in an interval, from the PLC's counters."""

    started_at: AwareDatetime
    ended_at: AwareDatetime
    good: int = Field(ge=0)
    defective: int = Field(ge=0)
    good_counter: int | None = None
    defective_counter: int | None = None
    resets: int = Field(default=0, ge=0)
    """Counter resets inside the interval (a PLC restart): counted from zero, never negative."""
    rollovers: int = Field(default=0, ge=0)
    state: str = "producing"
    """producing, stopped or unknown: what the machine was doing when the interval ended."""


@register("order.started", 1, "Order started")
class OrderStarted(Payload):
    """An order's operation started at the station; every later fact carries the order."""

    order_id: str
    operation_id: str
    product: str
    quantity: int = Field(ge=0)
    unit: str = "pcs"
    description: str = ""
    changeover_from: str | None = None
    """The product made before: switching product begins a changeover (planned downtime)."""
    changeover_standard_s: float | None = None
    """The plant's standard time for this product pair, when it has one."""


class OrderStep(Payload):
    """A change of state of the running order's operation."""

    order_id: str
    operation_id: str


@register("order.paused", 1, "Order interrupted")
class OrderPaused(OrderStep):
    """The running order was interrupted; it stays the context until it is resumed or ended."""

    why: str = ""


@register("order.resumed", 1, "Order resumed")
class OrderResumed(OrderStep):
    """The interrupted order runs again."""


@register("order.completed", 1, "Order completed")
class OrderCompleted(OrderStep):
    """The order's operation ended at the station, with what it made."""

    good: int = Field(ge=0)
    defective: int = Field(ge=0)
    quantity: int = Field(ge=0)


@register("order.aborted", 1, "Order aborted")
class OrderAborted(OrderStep):
    """The order's operation was given up (a team lead's decision), with why."""

    why: str = Field(min_length=1)
    good: int = Field(default=0, ge=0)
    defective: int = Field(default=0, ge=0)
    product: str = ""
    quantity: int = Field(default=0, ge=0)
    unit: str = "pcs"
    """Product, quantity and unit of a job aborted before it started (nothing else says them)."""


@register("changeover.ended", 1, "Changeover ended")
class ChangeoverEnded(Payload):
    """The machine produced again after a product switch: the changeover's time, and its
    standard for the product pair."""

    order_id: str
    from_product: str
    to_product: str
    started_at: AwareDatetime
    ended_at: AwareDatetime
    duration_s: float = Field(ge=0)
    standard_s: float | None = None


class StepRef(Payload):
    """Which step of which instruction version, in which order: on every fact of a step."""

    order_id: str
    operation_id: str
    instruction_id: str
    instruction_version: str
    step_id: str


@register("step.confirmed", 1, "Step confirmed")
class StepConfirmed(StepRef):
    """The operator confirmed a step of the work instruction (its signatures, if any, given)."""

    signatures: tuple[str, ...] = ()
    """The signature ids of a critical step."""


class SubjectType(enum.StrEnum):
    """What a signature signs."""

    STEP = "step"
    DEVIATION = "deviation"
    HOLD = "hold"


class SignComponents(enum.StrEnum):
    """What the signer gave (21 CFR Part 11 §11.200): the first signing of a session uses
    both components, later ones in the same session the PIN only."""

    BADGE_AND_PIN = "badge_and_pin"
    PIN = "pin"


@register("signature.given", 1, "Signed")
class SignatureGiven(Payload):
    """An electronic signature: printed name, meaning and time (§11.50), and what it signs."""

    signature_id: str
    person_id: str
    name: str
    role: str
    meaning: str
    components: SignComponents
    subject_type: SubjectType
    subject_id: str
    order_id: str | None = None
    pin_hash_id: str
    """A fingerprint of the PIN hash the station checked against: the server verifies it was
    the person's hash at that time."""


@register("signature.refused", 1, "Wrong PIN")
class SignatureRefused(Payload):
    """A signature failed on a wrong PIN; the fifth in a row locks the person's signing."""

    person_id: str
    failures: int = Field(ge=1)
    locked: bool = False


@register("signing.unlocked", 1, "Signing unlocked")
class SigningUnlocked(Payload):
    """A team lead unlocked a person's signing on this station."""

    person_id: str


class Containment(enum.StrEnum):
    """What happens at once when a check is out of limits."""

    CONTINUE = "continue"
    HOLD = "hold"
    STOP_LINE = "stop_line"


@register("check.recorded", 1, "Check recorded")
class CheckRecorded(StepRef):
    """A value a step asked for, with its limits and whether it was within them."""

    check: str
    kind: str
    value: str
    """As entered: a number in the check's decimals, pass/fail, a choice or text."""
    number: float | None = None
    unit: str = ""
    lower: float | None = None
    upper: float | None = None
    target: float | None = None
    within: bool = True
    deviation_id: str | None = None


@register("deviation.opened", 1, "Quality deviation")
class DeviationOpened(StepRef):
    """A check out of limits: what was found, and the containment chosen at once."""

    deviation_id: str
    check: str
    value: str
    unit: str = ""
    lower: float | None = None
    upper: float | None = None
    containment: Containment
    product: str
    lot: str | None = None


class Decision(enum.StrEnum):
    """What the person with the right decides about a deviation."""

    USE_AS_IS = "use_as_is"
    REWORK = "rework"
    SCRAP = "scrap"


@register("deviation.decided", 1, "Deviation decided")
class DeviationDecided(Payload):
    """A person with the right decided a deviation, signed; the affected order, lot and
    equipment are in the event's context and here."""

    deviation_id: str
    decision: Decision
    why: str = Field(min_length=1)
    signature_id: str
    order_id: str
    lot: str | None = None
    equipment: str | None = None


@register("hold.placed", 1, "Order held")
class HoldPlaced(Payload):
    """An order (and lot) is held: it cannot be completed until the hold is released."""

    hold_id: str
    order_id: str
    lot: str | None = None
    deviation_id: str | None = None
    why: str = ""
    stop_line: bool = False


@register("hold.released", 1, "Hold released")
class HoldReleased(Payload):
    """A person with the right released a hold, signed."""

    hold_id: str
    order_id: str
    why: str = Field(min_length=1)
    signature_id: str


@register("terminal.started", 1, "Terminal started")
class TerminalStarted(Payload):
    """The terminal started; `last_seen` is when it last saw the machine before."""

    last_seen: AwareDatetime | None = None


class Event(BaseModel):
    """One fact. `seq` is assigned by the outbox at commit, gap-free per station."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: str = Field(default_factory=new_id)
    station_id: str
    seq: int | None = None
    type: str
    occurred_at: AwareDatetime
    recorded_by: str | None
    context: EventContext
    payload: dict[str, Any]
    schema_version: int = 1

    _typed: Payload | None = PrivateAttr(default=None)

    @field_validator("occurred_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)

    @field_validator("type")
    @classmethod
    def _registered(cls, value: str) -> str:
        if value not in REGISTRY:
            raise ValueError(f"unknown event type {value!r}; known: {', '.join(REGISTRY)}")
        return value

    @model_validator(mode="after")
    def _payload_matches_type(self) -> Event:
        if self._typed is None:
            self._typed = REGISTRY[self.type].payload.model_validate(self.payload)
        return self

    def typed_payload(self) -> Payload:
        """The payload as its model (validated once)."""
        if self._typed is None:
            self._typed = REGISTRY[self.type].payload.model_validate(self.payload)
        return self._typed


def make_event(
    payload: Payload,
    *,
    context: EventContext,
    occurred_at: datetime,
    recorded_by: str | None,
) -> Event:
    """Build an event from a typed payload; its type and version come from the registry."""
    spec = REGISTRY[event_type_of(payload)]
    event = Event.model_construct(
        event_id=new_id(),
        station_id=context.station,
        seq=None,
        type=spec.event_type,
        occurred_at=occurred_at.astimezone(UTC),
        recorded_by=recorded_by,
        context=context,
        payload=payload.model_dump(mode="json"),
        schema_version=spec.version,
    )
    event._typed = payload
    return event
