"""Master data: what the plant knows that stations need (DESIGN.md, Sync).

It flows down from the server; the station keeps a cached copy and works on it offline.
The same models validate the plant's import file on the server and the cache on a station.
"""

from __future__ import annotations

import enum
import itertools
from datetime import date, time, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from lineside.domain.events import Containment
from lineside.domain.names import Labels, name_in
from lineside.domain.people import Person
from lineside.domain.reasons import ReasonTree


class Kind(enum.StrEnum):
    """The kinds of master data; the key of each record is unique within its kind."""

    STATION = "station"
    EQUIPMENT = "equipment"
    ORDER = "order"
    PRODUCT = "product"
    BOM = "bom"
    LOT = "lot"
    WORK_INSTRUCTION = "work_instruction"
    REASON_TREE = "reason_tree"
    PERSON = "person"
    SHIFT = "shift"


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StationRecord(_Record):
    """A workstation at a line."""

    station_id: str = Field(min_length=1)
    line: str = Field(min_length=1)
    name: str = Field(min_length=1)
    timezone: str = "UTC"


class EquipmentRecord(_Record):
    """A machine a station watches."""

    equipment_id: str = Field(min_length=1)
    station_id: str = Field(min_length=1)
    equipment_class: str = Field(min_length=1)
    name: str = Field(min_length=1)


class Operation(_Record):
    """One step of an order, done at a station."""

    operation_id: str = Field(min_length=1)
    description: str = Field(min_length=1)
    station_id: str | None = None
    work_instruction: str | None = None


class LotStatus(enum.StrEnum):
    """Whether a material lot may be used."""

    RELEASED = "released"
    BLOCKED = "blocked"
    QUARANTINED = "quarantined"
    CONSUMED = "consumed"


class OrderRecord(_Record):
    """A production order on a line, with its operations in order."""

    order_id: str = Field(min_length=1)
    line: str = Field(min_length=1)
    product: str = Field(min_length=1)
    quantity: int = Field(ge=0)
    unit: str = "pcs"
    due: date | None = None
    status: str = "released"
    bom: str | None = None
    operations: tuple[Operation, ...] = ()


class ChangeoverStandard(_Record):
    """The plant's standard time to change over to a product from one other product."""

    from_product: str = Field(min_length=1)
    minutes: float = Field(gt=0)


class ProductRecord(_Record):
    """A product the plant makes (the `product` of its orders), with its changeover standards."""

    product_id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    labels: Labels
    changeover_minutes: float | None = Field(default=None, gt=0)
    """The standard changeover to this product from any product without its own standard."""
    changeover_from: tuple[ChangeoverStandard, ...] = ()

    def label(self, language: str | None = None) -> str:
        """The product's name in `language`, else its `name`."""
        return name_in(self.name, self.labels, language)

    def changeover_standard_s(self, from_product: str) -> float | None:
        """Seconds the plant allows to change over from `from_product` to this one."""
        pair = next((c for c in self.changeover_from if c.from_product == from_product), None)
        minutes = pair.minutes if pair else self.changeover_minutes
        return minutes * 60 if minutes is not None else None


class BomItem(_Record):
    """A material a product needs, per unit."""

    material: str = Field(min_length=1)
    quantity: float = Field(gt=0)
    unit: str = Field(min_length=1)


class BomRecord(_Record):
    """The bill of materials of a product."""

    bom_id: str = Field(min_length=1)
    product: str = Field(min_length=1)
    items: tuple[BomItem, ...] = Field(min_length=1)


class LotRecord(_Record):
    """A material lot and whether it may be used."""

    lot_id: str = Field(min_length=1)
    material: str = Field(min_length=1)
    status: LotStatus = LotStatus.RELEASED
    expires: date | None = None


class CalloutKind(enum.StrEnum):
    """What a callout of a step warns of."""

    SAFETY = "safety"
    QUALITY = "quality"
    NOTE = "note"


class Callout(_Record):
    """A highlighted line of a step: a safety or quality warning, or a note."""

    kind: CalloutKind
    text: str = Field(min_length=1)
    labels: Labels

    def label(self, language: str | None = None) -> str:
        """The callout's text in `language`, else its `text`."""
        return name_in(self.text, self.labels, language)


class CheckKind(enum.StrEnum):
    """What a step asks the operator to record."""

    MEASUREMENT = "measurement"
    PASS_FAIL = "pass_fail"  # noqa: S105 - a kind of check, not a password
    CHOICE = "choice"
    TEXT = "text"


class Check(_Record):
    """The value a step asks for: a measurement with unit and limits, pass/fail, a choice or
    text. A measurement outside [lower, upper], a "fail", or a choice listed in `fail_choices`
    is out of limits and opens a quality deviation."""

    kind: CheckKind
    name: str = Field(min_length=1)
    labels: Labels
    unit: str = ""
    lower: float | None = None
    upper: float | None = None
    target: float | None = None
    decimals: int = Field(default=1, ge=0, le=6)
    choices: tuple[str, ...] = ()
    fail_choices: tuple[str, ...] = ()
    containment: Containment | None = None
    """What happens at once when the value is out of limits; None: the operator chooses."""

    @model_validator(mode="after")
    def _valid(self) -> Check:
        if self.kind is CheckKind.MEASUREMENT:
            if self.lower is not None and self.upper is not None and self.lower > self.upper:
                raise ValueError(f"check {self.name!r}: lower limit is above the upper limit")
        elif self.lower is not None or self.upper is not None or self.target is not None:
            raise ValueError(f"check {self.name!r}: only a measurement has limits")
        if self.kind is CheckKind.CHOICE and not self.choices:
            raise ValueError(f"check {self.name!r}: a choice lists its choices")
        if not set(self.fail_choices) <= set(self.choices):
            raise ValueError(f"check {self.name!r}: fail_choices must be among the choices")
        return self

    def label(self, language: str | None = None) -> str:
        """The check's name in `language`, else its `name`."""
        return name_in(self.name, self.labels, language)


class SignatureMeaning(enum.StrEnum):
    """What a signature means (21 CFR Part 11 §11.50: shown with the signed record)."""

    PERFORMED = "performed"
    VERIFIED = "verified"
    APPROVED = "approved"


class InstructionStep(_Record):
    """One step of a work instruction: text, an image, callouts, and maybe a check.

    A critical step is signed: once per meaning in `signatures` (by different people when
    there are two). `image` is an asset's content address, "sha256:<64 hex digits>".
    """

    step_id: str = ""
    """Stable within the instruction; empty: the step's number (1, 2, …)."""
    text: str = Field(min_length=1)
    labels: Labels
    image: str | None = Field(default=None, pattern=r"^sha256:[0-9a-f]{64}$")
    callouts: tuple[Callout, ...] = ()
    critical: bool = False
    signatures: tuple[SignatureMeaning, ...] = ()
    check: Check | None = None

    @model_validator(mode="after")
    def _valid(self) -> InstructionStep:
        if self.signatures and not self.critical:
            raise ValueError("only a critical step asks for signatures")
        if len(set(self.signatures)) != len(self.signatures):
            raise ValueError("a step asks for each meaning of signature once")
        return self

    def label(self, language: str | None = None) -> str:
        """The step's text in `language`, else its `text`."""
        return name_in(self.text, self.labels, language)

    @property
    def signs(self) -> tuple[SignatureMeaning, ...]:
        """The signatures the step asks for: a critical step without any asks "performed"."""
        if not self.critical:
            return ()
        return self.signatures or (SignatureMeaning.PERFORMED,)


class ConfirmPolicy(enum.StrEnum):
    """Which steps the operator confirms one by one."""

    EVERY = "every"
    CRITICAL = "critical"
    NONE = "none"


class WorkInstructionRecord(_Record):
    """How to do an operation, step by step; versioned (the version used is on every fact)."""

    instruction_id: str = Field(min_length=1)
    version: str = Field(min_length=1)
    title: str = Field(min_length=1)
    labels: Labels
    confirm: ConfirmPolicy = ConfirmPolicy.EVERY
    steps: tuple[InstructionStep, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _step_ids(self) -> WorkInstructionRecord:
        ids = [s.step_id or str(i) for i, s in enumerate(self.steps, 1)]
        if len(set(ids)) != len(ids):
            raise ValueError(f"instruction {self.instruction_id!r}: step ids repeat")
        return self

    def step_ids(self) -> list[str]:
        """Each step's id (its number when it has none)."""
        return [s.step_id or str(i) for i, s in enumerate(self.steps, 1)]

    def label(self, language: str | None = None) -> str:
        """The title in `language`, else `title`."""
        return name_in(self.title, self.labels, language)

    def needs_confirmation(self, step: InstructionStep) -> bool:
        """Whether the operator confirms this step (a check or a signature always is)."""
        if step.check is not None or step.critical:
            return True
        return self.confirm is ConfirmPolicy.EVERY


_DAY = timedelta(days=1)


def _clock(t: time) -> timedelta:
    return timedelta(hours=t.hour, minutes=t.minute, seconds=t.second, microseconds=t.microsecond)


def _after(start: time, t: time) -> timedelta:
    """How long after `start` the wall clock next shows `t` (zero at `start` itself)."""
    return (_clock(t) - _clock(start)) % _DAY


class Break(_Record):
    """A break inside a shift, in plant local time; it may run over midnight."""

    start: time
    end: time
    name: str = Field(default="Break", min_length=1)
    labels: Labels

    def label(self, language: str | None = None) -> str:
        """The break's name in `language`, else its `name`."""
        return name_in(self.name, self.labels, language)


class Shift(_Record):
    """A shift of the plant's calendar, in plant local time.

    A shift that ends at or before its start runs over midnight (the same time: 24 hours).
    """

    name: str = Field(min_length=1)
    labels: Labels
    """The shift's name per language for the screen; `name` stays its key (`Early@<date>`)."""
    start: time
    end: time
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday = 0, of the day the shift starts on
    breaks: tuple[Break, ...] = ()

    def label(self, language: str | None = None) -> str:
        """The shift's name in `language`, else its `name`."""
        return name_in(self.name, self.labels, language)

    @model_validator(mode="after")
    def _valid(self) -> Shift:
        if not set(self.weekdays) <= set(range(7)):
            raise ValueError("weekdays are 0 (Monday) to 6 (Sunday)")
        times = [self.start, self.end, *(t for b in self.breaks for t in (b.start, b.end))]
        if any(t.tzinfo is not None for t in times):
            raise ValueError("shift times are plant local time, without an offset")
        if any(b.start == b.end for b in self.breaks):
            raise ValueError("a break ends after it starts")
        spans = sorted(self.break_times())
        if any(to > self.length() for _, to, _ in spans):
            raise ValueError(f"a break of shift {self.name!r} is not inside the shift")
        if any(a[1] > b[0] for a, b in itertools.pairwise(spans)):
            raise ValueError(f"breaks of shift {self.name!r} overlap")
        return self

    def length(self) -> timedelta:
        """How long the shift lasts by the wall clock."""
        return _after(self.start, self.end) or _DAY

    def break_times(self) -> list[tuple[timedelta, timedelta, str]]:
        """Each break as (from, to, name), by the wall clock after the shift's start."""
        return [
            (
                _after(self.start, b.start),
                _after(self.start, b.start) + _after(b.start, b.end),
                b.name,
            )
            for b in self.breaks
        ]


class ShiftRecord(_Record):
    """A shift calendar (one per plant or line)."""

    calendar_id: str = Field(min_length=1)
    shifts: tuple[Shift, ...] = Field(min_length=1)


MODELS: dict[Kind, type[BaseModel]] = {
    Kind.STATION: StationRecord,
    Kind.EQUIPMENT: EquipmentRecord,
    Kind.ORDER: OrderRecord,
    Kind.PRODUCT: ProductRecord,
    Kind.BOM: BomRecord,
    Kind.LOT: LotRecord,
    Kind.WORK_INSTRUCTION: WorkInstructionRecord,
    Kind.REASON_TREE: ReasonTree,
    Kind.PERSON: Person,
    Kind.SHIFT: ShiftRecord,
}

KEY_FIELD: dict[Kind, str] = {
    Kind.STATION: "station_id",
    Kind.EQUIPMENT: "equipment_id",
    Kind.ORDER: "order_id",
    Kind.PRODUCT: "product_id",
    Kind.BOM: "bom_id",
    Kind.LOT: "lot_id",
    Kind.WORK_INSTRUCTION: "instruction_id",
    Kind.REASON_TREE: "tree_id",
    Kind.PERSON: "person_id",
    Kind.SHIFT: "calendar_id",
}


def record_key(kind: Kind, data: BaseModel) -> str:
    """The key of a record within its kind."""
    return str(getattr(data, KEY_FIELD[kind]))


def validate_record(kind: Kind, data: dict[str, Any]) -> BaseModel:
    """Validate one record of a kind; raises pydantic's ValidationError."""
    return MODELS[kind].model_validate(data)


class PlantFile(_Record):
    """The plant's master data import file (docs/master-data.md): one list per kind."""

    station: tuple[StationRecord, ...] = ()
    equipment: tuple[EquipmentRecord, ...] = ()
    order: tuple[OrderRecord, ...] = ()
    product: tuple[ProductRecord, ...] = ()
    bom: tuple[BomRecord, ...] = ()
    lot: tuple[LotRecord, ...] = ()
    work_instruction: tuple[WorkInstructionRecord, ...] = ()
    reason_tree: tuple[ReasonTree, ...] = ()
    person: tuple[Person, ...] = ()
    shift: tuple[ShiftRecord, ...] = ()

    @model_validator(mode="after")
    def _keys_unique(self) -> PlantFile:
        for kind in Kind:
            seen: set[str] = set()
            for record in getattr(self, kind.value):
                key = record_key(kind, record)
                if key in seen:
                    raise ValueError(f"{kind.value} {key!r} appears twice")
                seen.add(key)
        badges = [p.badge for p in self.person]
        if len(badges) != len(set(badges)):
            raise ValueError("a badge is given to two people")
        return self

    def records(self) -> list[tuple[Kind, str, BaseModel]]:
        """Every record with its kind and key."""
        return [
            (kind, record_key(kind, record), record)
            for kind in Kind
            for record in getattr(self, kind.value)
        ]


def scope_of(record: BaseModel) -> str | None:
    """Which stations see a record: "line:<line>", "station:<id>" or None for all.

    Orders belong to a line; stations and equipment to a station; everything else (people,
    reason trees, lots, instructions, shifts, BOMs) is the plant's and every station sees it.
    """
    if isinstance(record, OrderRecord):
        return f"line:{record.line}"
    if isinstance(record, StationRecord):
        return f"station:{record.station_id}"
    if isinstance(record, EquipmentRecord):
        return f"station:{record.station_id}"
    return None


__all__ = [
    "MODELS",
    "Kind",
    "PlantFile",
    "ValidationError",
    "record_key",
    "scope_of",
    "validate_record",
]
