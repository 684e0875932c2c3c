"""Machine state as the PLC reports it, and what it means for production (no I/O, no Qt)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class PackMLState(enum.IntEnum):
    """PackML `StateCurrent` values, TR88.00.02 numbering."""

    UNDEFINED = 0
    CLEARING = 1
    STOPPED = 2
    STARTING = 3
    IDLE = 4
    SUSPENDED = 5
    EXECUTE = 6
    STOPPING = 7
    ABORTING = 8
    ABORTED = 9
    HOLDING = 10
    HELD = 11
    UNHOLDING = 12
    SUSPENDING = 13
    UNSUSPENDING = 14
    RESETTING = 15
    COMPLETING = 16
    COMPLETE = 17


class MachineryItemState(enum.IntEnum):
    """OPC 40001-1 `MachineryItemState` state numbers."""

    NOT_AVAILABLE = 0
    OUT_OF_SERVICE = 1
    NOT_EXECUTING = 2
    EXECUTING = 3


class StateSource(enum.StrEnum):
    """Which PLC signal says whether the machine produces."""

    PACKML = "packml"
    RUNNING_BIT = "running_bit"
    MACHINERY_ITEM_STATE = "machinery_item_state"


class StopCategory(enum.StrEnum):
    """Why a period is not producing, as far as the signals tell."""

    INTERNAL = "internal"
    STARVED = "starved"
    BLOCKED = "blocked"
    PLANNED = "planned"
    UNKNOWN = "unknown"

    @property
    def is_external(self) -> bool:
        """Starved and blocked stops are caused outside the machine."""
        return self in (StopCategory.STARVED, StopCategory.BLOCKED)


# The semantic signals a station config may map to NodeIds.
SIGNAL_NAMES: tuple[str, ...] = (
    "state_current",
    "running",
    "machinery_item_state",
    "stop_reason_id",
    "stop_reason_message",
    "good_count",
    "defective_count",
    "speed",
    "starved",
    "blocked",
    "unit_mode",
    "planned_stop",
)


@dataclass(frozen=True)
class MachineSignals:
    """One consistent snapshot of the mapped PLC signals.

    `changed_at` is the PLC's source timestamp (UTC) of the last change of the state signal;
    it lets a reconnecting station tell whether the state held through an outage. `bad` names
    the signals whose latest value has Bad quality (their value here is None), `uncertain`
    those whose value has Uncertain quality (kept).
    """

    changed_at: datetime
    received_at: datetime
    state_current: int | None = None
    running: bool | None = None
    machinery_item_state: int | None = None
    stop_reason_id: int | None = None
    stop_reason_message: str | None = None
    good_count: int | None = None
    defective_count: int | None = None
    speed: float | None = None
    starved: bool | None = None
    blocked: bool | None = None
    unit_mode: int | None = None
    planned_stop: bool | None = None
    bad: frozenset[str] = frozenset()
    uncertain: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Condition:
    """What the station concludes from a snapshot: producing, or a stop of some category."""

    producing: bool
    category: StopCategory | None = None
    plc_reason_id: int | None = None
    plc_reason_message: str | None = None
    state_label: str = ""
    planned_by: str | None = None
    """For a planned stop, the rule that made it planned (see `PlannedRule`)."""

    def same_stop_as(self, other: Condition | None) -> bool:
        """True when both describe the same kind of stop (used to bridge a connection outage)."""
        return (
            other is not None
            and not self.producing
            and not other.producing
            and self.category == other.category
            and self.plc_reason_id == other.plc_reason_id
        )


PRODUCING = Condition(producing=True, state_label="Execute")


class PlannedRule(enum.StrEnum):
    """What makes a stop planned; each rule has its planned reason in the station config."""

    STATE = "planned_state"
    UNIT_MODE = "planned_unit_mode"
    SIGNAL = "planned_signal"
    BREAK = "break"
    CHANGEOVER = "changeover"


@dataclass(frozen=True)
class StateRules:
    """How to read production from signals: per equipment, from the station config."""

    source: StateSource = StateSource.PACKML
    planned_unit_modes: frozenset[int] = field(default_factory=lambda: frozenset({2, 3}))
    planned_states: frozenset[int] = field(
        default_factory=lambda: frozenset({int(PackMLState.COMPLETE)})
    )

    @property
    def state_signal(self) -> str:
        """The signal that carries the state for this source."""
        return {
            StateSource.PACKML: "state_current",
            StateSource.RUNNING_BIT: "running",
            StateSource.MACHINERY_ITEM_STATE: "machinery_item_state",
        }[self.source]


def _label(signals: MachineSignals, source: StateSource) -> str:
    if source is StateSource.PACKML and signals.state_current is not None:
        try:
            return PackMLState(signals.state_current).name.title()
        except ValueError:
            return f"State {signals.state_current}"
    if source is StateSource.MACHINERY_ITEM_STATE and signals.machinery_item_state is not None:
        try:
            return MachineryItemState(signals.machinery_item_state).name.replace("_", " ").title()
        except ValueError:
            return f"State {signals.machinery_item_state}"
    if signals.running is not None:
        return "Running" if signals.running else "Not running"
    return "Unknown"


def _is_producing(signals: MachineSignals, source: StateSource) -> bool | None:
    if source is StateSource.PACKML:
        if signals.state_current is None:
            return None
        return signals.state_current == PackMLState.EXECUTE
    if source is StateSource.RUNNING_BIT:
        return signals.running
    if signals.machinery_item_state is None:
        return None
    return signals.machinery_item_state == MachineryItemState.EXECUTING


def classify(signals: MachineSignals, rules: StateRules) -> Condition | None:
    """Turn a snapshot into a condition; None when the state signal has no value yet.

    Producing means Execute (or running bit true, or Executing). Planned wins when the planned
    stop signal is set, the unit mode is a planned mode (maintenance, manual) or the state is a
    planned state (Complete);
    starved or blocked make a stop external; anything else is internal.
    """
    producing = _is_producing(signals, rules.source)
    if producing is None:
        return None
    label = _label(signals, rules.source)
    if producing:
        return Condition(producing=True, state_label=label)
    planned_by: PlannedRule | None = None
    if signals.planned_stop:
        planned_by = PlannedRule.SIGNAL
    elif signals.unit_mode is not None and signals.unit_mode in rules.planned_unit_modes:
        planned_by = PlannedRule.UNIT_MODE
    elif rules.source is StateSource.PACKML and signals.state_current in rules.planned_states:
        planned_by = PlannedRule.STATE
    if planned_by is not None:
        category = StopCategory.PLANNED
    elif signals.starved:
        category = StopCategory.STARVED
    elif signals.blocked:
        category = StopCategory.BLOCKED
    else:
        category = StopCategory.INTERNAL
    reason_id = signals.stop_reason_id if signals.stop_reason_id else None
    message = signals.stop_reason_message if reason_id is not None else None
    return Condition(
        producing=False,
        category=category,
        plc_reason_id=reason_id,
        plc_reason_message=message or None,
        state_label=label,
        planned_by=planned_by,
    )
