"""Events: the immutable facts a station records, with their context (DESIGN.md, Events)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator
from uuid6 import uuid7

from lineside.domain.downtime import EndCause
from lineside.domain.machine_state import StopCategory

SCHEMA_VERSION = 1


def new_id() -> str:
    """A time-ordered unique id (UUIDv7) for events and stops."""
    return str(uuid7())


def utc_now() -> datetime:
    """Current time in UTC; every stored time is UTC."""
    return datetime.now(UTC)


class EventContext(BaseModel):
    """Where and in what situation a fact happened."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    line: str
    station: str
    equipment: str | None = None
    order: str | None = None
    operation: str | None = None
    product: str | None = None
    shift: str | None = None
    lot: str | None = None
    master_data: dict[str, str] = Field(default_factory=dict)


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DowntimeStarted(_Payload):
    """A stop began (category UNKNOWN for time the station could not see the machine)."""

    stop_id: str
    started_at: AwareDatetime
    category: StopCategory
    state: str
    plc_reason_id: int | None = None
    plc_reason_message: str | None = None
    suggested_reason: str | None = None


class DowntimeEnded(_Payload):
    """A stop ended."""

    stop_id: str
    ended_at: AwareDatetime
    cause: EndCause
    duration_s: float


class DowntimePlcReason(_Payload):
    """The PLC reported its stop reason after the stop had begun."""

    stop_id: str
    plc_reason_id: int
    plc_reason_message: str | None = None
    suggested_reason: str | None = None


class DowntimeCoded(_Payload):
    """A stop got its reason (by a person, or automatically as a micro-stop)."""

    stop_id: str
    reason: str
    reason_path: str
    tree_id: str | None = None
    tree_version: str | None = None
    automatic: bool = False


class DowntimeRecoded(_Payload):
    """A coded stop got another reason; the old one is kept here."""

    stop_id: str
    old_reason: str
    new_reason: str
    new_reason_path: str
    tree_id: str | None = None
    tree_version: str | None = None
    why: str = ""


class DowntimeSplit(_Payload):
    """A stop was split in two at a time: the part from `at` on is `new_stop_id`."""

    stop_id: str
    at: AwareDatetime
    new_stop_id: str


class DowntimeDeferred(_Payload):
    """The operator chose to give the reason later."""

    stop_id: str


class PersonSignedIn(_Payload):
    """Someone signed in at the station; what they record from now on carries their id."""

    person_id: str
    name: str
    role: str


class PersonSignedOut(_Payload):
    """The signed-in person signed out."""

    person_id: str


class MachineConnection(_Payload):
    """The OPC UA connection to the machine was lost or came back."""

    endpoint: str
    detail: str = ""


PAYLOADS: dict[str, type[_Payload]] = {
    "downtime.started": DowntimeStarted,
    "downtime.ended": DowntimeEnded,
    "downtime.plc_reason": DowntimePlcReason,
    "downtime.coded": DowntimeCoded,
    "downtime.recoded": DowntimeRecoded,
    "downtime.split": DowntimeSplit,
    "downtime.deferred": DowntimeDeferred,
    "person.signed_in": PersonSignedIn,
    "person.signed_out": PersonSignedOut,
    "machine.disconnected": MachineConnection,
    "machine.connected": MachineConnection,
}

EventType = Literal[
    "downtime.started",
    "downtime.ended",
    "downtime.plc_reason",
    "downtime.coded",
    "downtime.recoded",
    "downtime.split",
    "downtime.deferred",
    "person.signed_in",
    "person.signed_out",
    "machine.disconnected",
    "machine.connected",
]


class Event(BaseModel):
    """One fact. `seq` is assigned by the outbox at commit, gap-free per station."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: str = Field(default_factory=new_id)
    station_id: str
    seq: int | None = None
    type: EventType
    occurred_at: AwareDatetime
    recorded_by: str | None
    context: EventContext
    payload: dict[str, Any]
    schema_version: int = SCHEMA_VERSION

    @field_validator("occurred_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)

    @model_validator(mode="after")
    def _payload_matches_type(self) -> Event:
        PAYLOADS[self.type].model_validate(self.payload)
        return self

    def typed_payload(self) -> _Payload:
        """The payload as its model."""
        return PAYLOADS[self.type].model_validate(self.payload)


def make_event(
    event_type: EventType,
    payload: _Payload,
    *,
    context: EventContext,
    occurred_at: datetime,
    recorded_by: str | None,
) -> Event:
    """Build an event from a typed payload."""
    return Event(
        station_id=context.station,
        type=event_type,
        occurred_at=occurred_at,
        recorded_by=recorded_by,
        context=context,
        payload=payload.model_dump(mode="json"),
    )
