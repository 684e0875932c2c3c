"""A batch as it arrives: read from the request's bytes, then checked event by event.

The fast path validates the whole body in one pass of pydantic's JSON parser with strict
models (no coercion) and hands the ingest rows ready to insert. Any problem sends the batch
down the careful path instead, which parses tolerantly (lone surrogates, NaN and numbers
too large survive the parse) and gives each bad event its own reason, so one poisoned event
never holds back the rest (docs/sync-api.md, Limits).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NoReturn

import orjson
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_core import ErrorDetails

from lineside.domain.events import REGISTRY, Event
from lineside.domain.sync import (
    ID_PATTERN,
    MAX_BATCH,
    MAX_DEPTH,
    MAX_EVENT_BYTES,
    MAX_ID_LENGTH,
    MAX_SEQ,
    MAX_TEXT_LENGTH,
    STATION_ID_PATTERN,
    EventBatch,
)

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
"""Times of an event must fall in [EARLIEST, LATEST): anything else is a broken clock or data."""
MAX_REASON_ERRORS = 3
"""A rejection reason names at most this many problems (and how many more there are)."""
MAX_REASON_LENGTH = 300
MAX_STORED_BODY = 64 * 1024
"""A rejected event's body is kept whole up to this size, else as its digest and first bytes."""
MAX_422_ERRORS = 10
"""A 422 lists at most this many problems, without echoing the input."""
_SORTED = orjson.OPT_SORT_KEYS
_ID = re.compile(ID_PATTERN)


class BatchBodyError(Exception):
    """The body is not a batch at all (HTTP 422): `errors` in pydantic's shape, trimmed."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(str(error["msg"]) for error in errors))
        self.errors = errors


class _StrictEvent(Event):
    """`Event` without coercion, with the wire's alphabet and ranges; the payload is apart."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    event_id: str = Field(pattern=ID_PATTERN)
    station_id: str = Field(pattern=STATION_ID_PATTERN)
    seq: int = Field(ge=1, le=MAX_SEQ)  # required on the wire
    schema_version: int = Field(default=1, ge=1)

    @model_validator(mode="after")
    def _payload_matches_type(self) -> _StrictEvent:
        # Replaces Event's (same name): the payload is validated strictly from JSON apart,
        # so its errors keep their own locations.
        return self


class _StrictBatch(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    events: tuple[_StrictEvent, ...] = Field(min_length=1, max_length=MAX_BATCH)


@dataclass(slots=True)
class Incoming:
    """One event of a batch: where it goes, and either its row or why it cannot be stored."""

    seq: int
    event_id: str
    station_id: str
    """The `station_id` the event claims (its token's station, when it names none)."""
    row: dict[str, Any] | None
    problem: str | None
    source: _Source
    index: int
    placed: tuple[str, str] | None = None
    """The station and line its context names (valid events only)."""

    def body(self) -> str:
        """The event as received, in the form the rejection table keeps."""
        return stored_body(self.source.raw_event(self.index))


@dataclass
class _Source:
    """The request body, parsed tolerantly only if someone asks for an event as received."""

    body: bytes
    _events: list[Any] | None = field(default=None)

    def raw_event(self, index: int) -> Any:
        return self._parsed()[index]

    def count(self) -> int:
        return len(self._parsed())

    def _parsed(self) -> list[Any]:
        if self._events is None:
            self._events = _tolerant_events(self.body)
        return self._events


def parse_batch(body: bytes, station_id: str) -> list[Incoming]:
    """Every event of the batch with its row or its problem; BatchBodyError if not a batch."""
    source = _Source(body)
    try:
        fast = _fast(body, station_id, source)
    except (ValidationError, ValueError, OverflowError, RecursionError):
        fast = None
    return fast if fast is not None else _careful(source, station_id)


# -- the fast path ----------------------------------------------------------------------------


def _fast(body: bytes, station_id: str, source: _Source) -> list[Incoming] | None:
    if b"\\u0000" in body:  # a NUL somewhere (JSON has no other way to hold one)
        return None
    batch = _StrictBatch.model_validate_json(body)
    out = []
    for index, event in enumerate(batch.events):
        row, problem = _checked(event)
        if problem is not None:
            return None  # the careful path words it and keeps the body as received
        placed = (event.context.station, event.context.line)
        out.append(
            Incoming(event.seq, event.event_id, event.station_id, row, None, source, index, placed)
        )
    return out


# -- the careful path -------------------------------------------------------------------------


def _tolerant_events(body: bytes) -> list[Any]:
    """The events of a body the fast path refused; BatchBodyError when it is not a batch."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        data = _python_json(body)
    events = data.get("events") if isinstance(data, dict) else None
    if not isinstance(events, list) or len(data) != 1:
        _refuse_envelope(data)
    return events


def _python_json(body: bytes) -> Any:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BatchBodyError(
            [_error("json_invalid", ["body"], f"the body is not UTF-8 (byte {exc.start})")]
        ) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BatchBodyError(
            [_error("json_invalid", ["body", exc.pos], f"JSON decode error: {exc.msg}")]
        ) from exc
    except RecursionError as exc:
        raise BatchBodyError(
            [_error("json_invalid", ["body"], "JSON nested too deep to read")]
        ) from exc


def _error(kind: str, loc: list[int | str], msg: str) -> dict[str, Any]:
    return {"type": kind, "loc": loc, "msg": msg}


def _refuse_envelope(data: Any) -> NoReturn:
    """Raise BatchBodyError with what pydantic says about the envelope (seqs, ids, length)."""
    try:
        EventBatch.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False, include_context=False)
        trimmed = [
            _error(e["type"], ["body", *e["loc"]], e["msg"][:MAX_REASON_LENGTH])
            for e in errors[:MAX_422_ERRORS]
        ]
        if len(errors) > MAX_422_ERRORS:
            trimmed.append(
                _error("too_many_errors", ["body"], f"and {len(errors) - MAX_422_ERRORS} more")
            )
        raise BatchBodyError(trimmed) from exc
    except (RecursionError, OverflowError, UnicodeError) as exc:
        raise BatchBodyError([_error("value_error", ["body"], "not a batch of events")]) from exc
    raise BatchBodyError([_error("value_error", ["body"], "not a batch of events")])


def _careful(source: _Source, station_id: str) -> list[Incoming]:
    raw_events = [source.raw_event(index) for index in range(source.count())]
    _refuse_bad_envelopes(raw_events)
    out = []
    for index, raw in enumerate(raw_events):
        claimed = raw.get("station_id", station_id)
        row, problem, placed = _one(raw)
        out.append(
            Incoming(
                raw["seq"],
                raw["event_id"],
                claimed if isinstance(claimed, str) else repr(claimed)[:MAX_ID_LENGTH],
                row,
                problem,
                source,
                index,
                placed,
            )
        )
    return out


def _refuse_bad_envelopes(raw_events: list[Any]) -> None:
    """Every event needs a valid event_id and seq to be placed at all (else the batch is 422)."""
    if not 1 <= len(raw_events) <= MAX_BATCH or not all(
        isinstance(raw, dict)
        and isinstance(raw.get("event_id"), str)
        and _ID.match(raw["event_id"])
        and type(raw.get("seq")) is int
        and 1 <= raw["seq"] <= MAX_SEQ
        for raw in raw_events
    ):
        _refuse_envelope({"events": raw_events})


def _one(raw: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None, tuple[str, str] | None]:
    problem = _scan(raw)
    if problem is not None:
        return None, problem, None
    kind, version = raw.get("type"), raw.get("schema_version", 1)
    spec = REGISTRY.get(kind) if isinstance(kind, str) else None
    if spec is not None and type(version) is int and version > spec.version:
        return (
            None,
            f"written by a newer station ({kind} version {version}, this server knows "
            f"{spec.version}); update the server",
            None,
        )
    try:
        event = _StrictEvent.model_validate_json(orjson.dumps(raw))
    except ValidationError as exc:
        return None, readable(exc.errors(include_url=False), []), None
    except OverflowError:
        return None, "a time is out of range", None
    row, problem = _checked(event)
    return row, problem, (event.context.station, event.context.line)


def _scan(raw: Any) -> str | None:
    """Problems pydantic does not look for: size, depth, text that no database can hold."""
    try:
        size = len(orjson.dumps(raw))
    except (TypeError, orjson.JSONEncodeError):
        size = None  # a lone surrogate, a non-finite or huge number: named below
    if size is not None and size > MAX_EVENT_BYTES:
        return f"the event is {size} bytes of JSON, more than {MAX_EVENT_BYTES}"
    for where, value, depth in _walk(raw, "", 1):
        if depth > MAX_DEPTH:
            return f"{where or 'event'}: nested deeper than {MAX_DEPTH}"
        problem = _value_problem(value)
        if problem is not None:
            return f"{where or 'event'}: {problem}"
    return None


def _walk(value: Any, where: str, depth: int) -> Iterator[tuple[str, Any, int]]:
    if isinstance(value, dict):
        if depth > MAX_DEPTH:
            yield where, None, depth
            return
        for key, item in value.items():
            inner = f"{where}.{key}" if where else str(key)
            key_problem = _value_problem(key)
            if key_problem is not None:
                yield inner[:80], key, depth
            yield from _walk(item, inner, depth + 1)
    elif isinstance(value, list):
        if depth > MAX_DEPTH:
            yield where, None, depth
            return
        for position, item in enumerate(value):
            yield from _walk(item, f"{where}[{position}]", depth + 1)
    else:
        yield where, value, depth


def _value_problem(value: Any) -> str | None:
    if isinstance(value, str):
        return _text_problem(value, MAX_TEXT_LENGTH)
    if isinstance(value, float) and not math.isfinite(value):
        return "numbers must be finite"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SEQ:
        return f"numbers must lie within ±{MAX_SEQ}"
    return None


def _text_problem(text: str, limit: int) -> str | None:
    if len(text) > limit:
        return f"text longer than {limit} characters"
    if "\x00" in text:
        return "text must not contain NUL"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "text must be valid Unicode (a lone surrogate)"
    return None


# -- the rules every event must meet, whichever path it took ----------------------------------


def _checked(event: _StrictEvent) -> tuple[dict[str, Any] | None, str | None]:  # noqa: PLR0911
    """The row to store, or why the event cannot be stored (each return names one cause)."""
    spec = REGISTRY[event.type]
    if event.schema_version > spec.version:
        return None, (
            f"written by a newer station ({event.type} version {event.schema_version}, this "
            f"server knows {spec.version}); update the server"
        )
    try:
        payload_json = orjson.dumps(event.payload, option=_SORTED)
        typed = spec.payload.model_validate_json(payload_json, strict=True)
    except ValidationError as exc:
        return None, readable([], exc.errors(include_url=False))
    except (TypeError, orjson.JSONEncodeError):
        return None, "payload: not JSON that can be stored"
    except OverflowError:
        return None, "payload: a time is out of range"
    context = event.context.model_dump(mode="json")
    context_json = orjson.dumps(context, option=_SORTED)
    size = len(context_json) + len(payload_json)
    if size > MAX_EVENT_BYTES:
        return None, f"the event is more than {MAX_EVENT_BYTES} bytes of JSON"
    problem = (
        _id_problem("recorded_by", event.recorded_by)
        or _id_problem("context.line", event.context.line)
        or _id_problem("context.station", event.context.station)
        # Smaller than one string may be: no string is too long (the models bound the rest).
        or (_scan(context) or _scan(event.payload) if size > MAX_TEXT_LENGTH else None)
        or _time_problem("occurred_at", event.occurred_at)
        or _payload_problem(typed)
    )
    if problem is not None:
        return None, problem
    event._typed = typed
    return {
        "event_id": event.event_id,
        "station_id": event.station_id,
        "seq": event.seq,
        "type": event.type,
        "occurred_at": event.occurred_at.isoformat(timespec="microseconds"),
        "recorded_by": event.recorded_by,
        "context": context_json.decode(),
        "payload": payload_json.decode(),
        "schema_version": event.schema_version,
    }, None


def _id_problem(where: str, value: str | None) -> str | None:
    if value is None:
        return None
    if not value.strip():
        return f"{where}: must not be empty"
    problem = _text_problem(value, MAX_ID_LENGTH)
    return f"{where}: {problem}" if problem else None


def _time_problem(where: str, moment: datetime) -> str | None:
    if not EARLIEST <= moment < LATEST:
        return f"{where}: {moment.isoformat()} is outside {EARLIEST.year}–{LATEST.year}"
    return None


_TIME, _ID_FIELD, _DURATION, _NUMBER = "time", "id", "duration", "number"


@functools.cache
def _checks_of(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """The payload fields the server checks beyond their type, and how (once per model)."""
    plan = []
    for name, info in model.model_fields.items():
        text = str(info.annotation).lower()
        if "datetime" in text:
            plan.append((name, _TIME))
        elif (name == "id" or name.endswith("_id")) and "str" in text:
            plan.append((name, _ID_FIELD))
        elif name.endswith("_s") and ("float" in text or "int" in text):
            plan.append((name, _DURATION))
        elif "float" in text:
            plan.append((name, _NUMBER))
    return tuple(plan)


def _payload_problem(typed: BaseModel) -> str | None:
    values = typed.__dict__
    for name, how in _checks_of(type(typed)):
        value, where = values[name], f"payload.{name}"
        problem = None
        if how == _TIME and isinstance(value, datetime):
            problem = _time_problem(where, value)
        elif how == _ID_FIELD and isinstance(value, str):
            problem = _id_problem(where, value)
        elif isinstance(value, float) and not math.isfinite(value):
            problem = f"{where}: numbers must be finite"
        elif how == _DURATION and isinstance(value, int | float) and value < 0:
            problem = f"{where}: a duration must not be negative"
        if problem is not None:
            return problem
    return None


# -- words and bodies -------------------------------------------------------------------------


def _where(loc: tuple[int | str, ...], prefix: str = "") -> str:
    text = prefix
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "event"


def readable(errors: list[ErrorDetails], payload_errors: list[ErrorDetails]) -> str:
    """A short reason from pydantic's errors, e.g. "payload.reason: Field required"."""
    parts = [f"{_where(error['loc'])}: {error['msg']}" for error in errors]
    parts += [f"{_where(error['loc'], 'payload')}: {error['msg']}" for error in payload_errors]
    text = "; ".join(parts[:MAX_REASON_ERRORS])
    if len(parts) > MAX_REASON_ERRORS:
        text += f" (and {len(parts) - MAX_REASON_ERRORS} more)"
    return text[:MAX_REASON_LENGTH]


def stored_body(raw: Any) -> str:
    """An event as received, as the rejection table keeps it: JSON, ASCII, sorted keys.

    ASCII escapes keep lone surrogates and NUL storable; NaN stays `NaN` (Python's JSON reads
    it). A body over MAX_STORED_BODY is kept as its SHA-256 and its first 1000 characters.
    """
    text = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    if len(text) <= MAX_STORED_BODY:
        return text
    digest = hashlib.sha256(text.encode("ascii")).hexdigest()
    return json.dumps(
        {"truncated": True, "bytes": len(text), "sha256": digest, "head": text[:1000]},
        sort_keys=True,
        separators=(",", ":"),
    )
