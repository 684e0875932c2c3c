"""The sync API between a station and the server: request and answer bodies (docs/sync-api.md).

Both sides use these models, so the station and the server cannot drift apart.

    POST /api/v1/stations/{station_id}/events        EventBatch      → BatchResult (200)
                                                      seq gap        → SeqGap (409)
    GET  /api/v1/stations/{station_id}/master-data?cursor=N&limit=M  → MasterDataPage (200)
    GET  /api/v1/stations/{station_id}/sequence                      → StationSequence (200)
    GET  /api/v1/health                                              → Health (200, no auth)

Every call but health carries `Authorization: Bearer <station token>`: a wrong or missing
token is 401, another station's id in the path or in an event is 403, a body that is not a
batch is 422 with what is wrong, a body over MAX_BODY_BYTES is 413. 429 and 503 carry
`Retry-After` (seconds). Limits are the constants below (docs/sync-api.md lists them).
"""

from __future__ import annotations

import enum
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from lineside.domain.master_data import Kind

API_PREFIX = "/api/v1"
MAX_BATCH = 1000
"""Events in one batch at most."""
MAX_BODY_BYTES = 8 * 1024 * 1024
"""A request body at most (413 beyond)."""
MAX_EVENT_BYTES = 16 * 1024
"""One event's JSON at most; a larger event is rejected on its own."""
MAX_ID_LENGTH = 64
MAX_TEXT_LENGTH = 1024
"""Any other string in an event at most (characters)."""
MAX_DEPTH = 8
"""Nesting of objects and arrays inside an event at most (the event itself is 1)."""
MAX_SEQ = 2**63 - 1
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
"""Event ids: letters, digits, `.`, `_`, `:`, `-`; starting with a letter or digit."""
STATION_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
"""Station ids: letters, digits, `.`, `_`, `-` (they go into URL paths); 1–64 characters."""


class WireEvent(BaseModel):
    """An event as it travels: only the envelope is checked here.

    The rest is validated per event with `domain.events.Event`, so one bad event is rejected
    on its own instead of failing its whole batch.
    """

    model_config = ConfigDict(extra="allow", frozen=True, strict=True)

    event_id: str = Field(pattern=ID_PATTERN)
    seq: int = Field(ge=1, le=MAX_SEQ)


class EventBatch(BaseModel):
    """Events of one station in `seq` order, oldest first."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    events: tuple[WireEvent, ...] = Field(max_length=MAX_BATCH)

    @field_validator("events")
    @classmethod
    def _not_empty(cls, events: tuple[WireEvent, ...]) -> tuple[WireEvent, ...]:
        # Checked after the items, so a bad item is reported alone (min_length would add
        # "at least 1 item after validation" for a batch whose only event is malformed).
        if not events:
            raise ValueError("a batch holds at least one event")
        return events


class EventStatus(enum.StrEnum):
    """What the server did with one event. Accepted and duplicate both mean delivered.

    Rejected and conflict both mean not stored: the station quarantines the event visibly.
    """

    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"
    CONFLICT = "conflict"
    """The event id (or the seq) is stored with another body: not stored, and not delivered."""


class EventResult(BaseModel):
    """The server's answer for one event."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_id: str
    seq: int
    status: EventStatus
    reason: str | None = None


class BatchResult(BaseModel):
    """The answer for a batch, one result per event in the batch's order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    results: tuple[EventResult, ...]
    next_seq: int = Field(description="the seq the server expects next from this station")
    server_time: AwareDatetime


class SeqGap(BaseModel):
    """409: the batch does not continue the station's sequence; resend from `expected_seq`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    detail: str
    expected_seq: int


class MasterRecord(BaseModel):
    """One master-data record, or a tombstone (`deleted`, no data) for a removed one."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Kind
    key: str
    revision: int
    deleted: bool = False
    data: dict[str, Any] | None = None


class MasterDataPage(BaseModel):
    """Changes after a cursor, oldest first.

    `full` means the cursor was unknown or too old (tombstones already purged): this page
    starts a complete snapshot (live records only, in revision order) and the station
    replaces its whole cache with it once the last page is in. `more` means another page
    follows: ask again with `cursor` (pages after the first are plain changes, tombstones
    included). A station swaps its cache in only when `more` is false.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    cursor: int
    full: bool
    more: bool
    records: tuple[MasterRecord, ...]
    server_time: AwareDatetime


class StationSequence(BaseModel):
    """Where the server's record of a station ends: an idle station compares it with its own."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    next_seq: int = Field(description="the seq the server expects next from this station")
    server_time: AwareDatetime


class Health(BaseModel):
    """The server is up; its clock lets a station estimate its own offset."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: str
    server_time: AwareDatetime
    schema_version: int
