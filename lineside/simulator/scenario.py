"""Scenario files (TOML timelines a plant engineer can write) and their playback."""

from __future__ import annotations

import asyncio
import datetime
import difflib
import enum
import math
import random
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING

from lineside.domain.machine_state import PackMLState

if TYPE_CHECKING:
    from lineside.simulator.server import LineSimulator

DEFAULT_SPEED = 120.0
"""Units per minute for a machine whose speed a scenario or the CLI does not give."""

RANDOM_LENGTH = 3600.0
"""Seconds of timeline a random-mode scenario covers before it loops."""

BUNDLED_SCENARIO = Path(__file__).parent / "scenarios" / "packaging_line.toml"
"""The shipped ~10-minute packaging-line demo."""

_TOP_KEYS = ("line", "machines", "speed", "defect_rate", "duration", "event")
_MACHINE_EVENT_KEYS = (
    "at",
    "machine",
    "state",
    "stop_reason",
    "message",
    "for",
    "starved",
    "blocked",
    "unit_mode",
)
_OUTAGE_EVENT_KEYS = ("at", "outage")
_EVENT_KEYS = (*_MACHINE_EVENT_KEYS, "outage")
_EXECUTE_ONLY_KEYS = ("at", "machine", "state", "unit_mode")
_INT32_MAX = 2**31 - 1
_AT_HINT = 'use mm:ss, hh:mm:ss or a number of seconds, e.g. at = "01:30" or at = 12.35'
_DURATION_HINT = 'use e.g. "95s", "2m", "1m30s", "0.4s" or a number of seconds'
_CLOCK = re.compile(r"^(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)$")
_UNITS = re.compile(r"^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$")


class UnitMode(enum.IntEnum):
    """PackML `UnitModeCurrent` values the simulator plays."""

    PRODUCTION = 1
    MAINTENANCE = 2
    MANUAL = 3


class ScenarioError(Exception):
    """A scenario file that cannot be played; the text tells the engineer what to fix."""


@dataclass(frozen=True)
class StateStep:
    """One state write of the flattened timeline."""

    at: float
    machine: str
    state: PackMLState
    stop_reason: int = 0
    message: str = ""
    starved: bool = False
    blocked: bool = False
    unit_mode: int = UnitMode.PRODUCTION


@dataclass(frozen=True)
class MachineEvent(StateStep):
    """At `at` seconds, `machine` goes to `state`; with `duration` it returns to Execute after."""

    duration: float | None = None
    entry: int = 0

    def step(self) -> StateStep:
        """The state write this event starts with."""
        return StateStep(**{f.name: getattr(self, f.name) for f in fields(StateStep)})

    @property
    def end(self) -> float:
        """When the event stops shaping the machine (its start when it has no duration)."""
        return self.at if self.duration is None else round(self.at + self.duration, 6)


@dataclass(frozen=True)
class OutageEvent:
    """From `at`, the OPC UA endpoint is unreachable for `duration` seconds."""

    at: float
    duration: float
    entry: int = 0

    @property
    def end(self) -> float:
        """When the endpoint is reachable again."""
        return round(self.at + self.duration, 6)


Event = MachineEvent | OutageEvent


@dataclass(frozen=True)
class Scenario:
    """A validated timeline: events sorted by time, and how long one pass lasts."""

    line: str
    machines: tuple[str, ...]
    events: tuple[Event, ...]
    length: float
    speeds: Mapping[str, float] = field(default_factory=dict)
    defect_rate: float = 0.01

    def speed(self, machine: str) -> float:
        """Nominal units per minute of `machine`."""
        return self.speeds.get(machine, DEFAULT_SPEED)


@dataclass(frozen=True)
class OutageStep:
    """Start (`begin`) or end of a communication outage in the flattened timeline."""

    at: float
    begin: bool


Step = StateStep | OutageStep


class _Where:
    """Formats error messages as `file, event N: ...` so every message names its place."""

    def __init__(self, source: str, entry: int | None = None) -> None:
        self.source = source
        self.entry = entry

    def error(self, text: str) -> ScenarioError:
        place = self.source if self.entry is None else f"{self.source}, event {self.entry}"
        return ScenarioError(f"{place}: {text}")


def _show(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    return str(value)


def _unknown_key(key: str, known: Sequence[str], where: _Where, what: str) -> ScenarioError:
    close = difflib.get_close_matches(key, known, n=1)
    hint = f' (did you mean "{close[0]}"?)' if close else ""
    return where.error(f'key "{key}" is not a known {what} key{hint}; use {", ".join(known)}')


def _format_seconds(seconds: float) -> str:
    whole = int(seconds)
    text = f"{whole // 60:02d}:{whole % 60:02d}"
    fraction = round(seconds - whole, 6)
    return text + (f"{fraction:.6f}".rstrip("0")[1:] if fraction else "")


def parse_seconds(value: object) -> float | None:
    """Seconds from a number, "mm:ss", "hh:mm:ss" or "1h2m3.5s"; None when not a time."""
    if isinstance(value, bool):
        return None
    if isinstance(value, datetime.time):  # at = 00:10:00 without quotes is a TOML time
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
    elif isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip().lower()
        clock = _CLOCK.match(text)
        units = _UNITS.match(text) if text else None
        if clock:
            hours, minutes, secs = clock.groups()
            if float(secs) >= 60 or (hours is not None and int(minutes) >= 60):
                return None
            seconds = int(hours or 0) * 3600 + int(minutes) * 60 + float(secs)
        elif units and any(units.groups()):
            hours, minutes, secs = (float(part or 0) for part in units.groups())
            seconds = hours * 3600 + minutes * 60 + secs
        else:
            try:
                seconds = float(text)
            except ValueError:
                return None
    else:
        return None
    if not math.isfinite(seconds) or seconds < 0:
        return None
    return round(seconds, 6)


def _time(table: Mapping[str, object], key: str, where: _Where, hint: str) -> float:
    seconds = parse_seconds(table[key])
    if seconds is None:
        raise where.error(f'key "{key}" is {_show(table[key])}, which is not a time; {hint}')
    return seconds


def _positive_duration(table: Mapping[str, object], key: str, where: _Where) -> float:
    seconds = _time(table, key, where, _DURATION_HINT)
    if seconds <= 0:
        raise where.error(f'key "{key}" is {_show(table[key])}; it must be longer than 0 s')
    return seconds


def _name(value: object, key: str, where: _Where) -> str:
    if not isinstance(value, str) or not value.strip() or "/" in value:
        raise where.error(
            f'key "{key}" is {_show(value)}; a name must be non-empty text without "/" '
            '(it becomes part of the OPC UA NodeIds), e.g. "Filler"'
        )
    return value.strip()


def _state(value: object, where: _Where) -> PackMLState:
    common = (PackMLState.EXECUTE, PackMLState.HELD, PackMLState.SUSPENDED, PackMLState.STOPPED)
    ordered = [*common, *(state for state in PackMLState if state not in common)]
    names = ", ".join(state.name.title() for state in ordered)
    if isinstance(value, str):
        try:
            return PackMLState[value.strip().upper()]
        except KeyError:
            pass
    elif isinstance(value, int) and not isinstance(value, bool):
        try:
            return PackMLState(value)
        except ValueError:
            pass
    raise where.error(
        f'key "state" is {_show(value)}, which is not a PackML state; use one of {names} '
        "or its number (e.g. 11 for Held)"
    )


def _unit_mode(value: object, where: _Where) -> int:
    if isinstance(value, str):
        try:
            return UnitMode[value.strip().upper()]
        except KeyError:
            pass
    elif isinstance(value, int) and not isinstance(value, bool):
        try:
            return UnitMode(value)
        except ValueError:
            pass
    raise where.error(
        f'key "unit_mode" is {_show(value)}, which is not a unit mode; '
        "use 1 or Production, 2 or Maintenance, 3 or Manual"
    )


def _bool(table: Mapping[str, object], key: str, where: _Where) -> bool:
    value = table.get(key, False)
    if not isinstance(value, bool):
        raise where.error(f'key "{key}" is {_show(value)}; write {key} = true or {key} = false')
    return value


def _machine_event(
    table: Mapping[str, object], at: float, machines: Sequence[str], where: _Where
) -> MachineEvent:
    for key in table:
        if key == "outage":
            raise where.error(
                'key "outage" cannot be combined with "machine"; an outage event has only '
                "at and outage, so put the outage in an event of its own"
            )
        if key not in _MACHINE_EVENT_KEYS:
            raise _unknown_key(key, _EVENT_KEYS, where, "event")
    machine = table["machine"]
    if not isinstance(machine, str) or machine not in machines:
        listed = ", ".join(f'"{name}"' for name in machines)
        raise where.error(
            f'key "machine" is {_show(machine)}, which is not one of the machines ({listed}); '
            "fix the name or add it to machines = [...] at the top of the file"
        )
    if "state" not in table:
        raise where.error(
            'key "state" is missing; a machine event needs state = "Held" '
            "(a PackML state name or number)"
        )
    state = _state(table["state"], where)
    if state is PackMLState.EXECUTE:
        for key in table:
            if key not in _EXECUTE_ONLY_KEYS:
                raise where.error(
                    f'key "{key}" does not apply to state Execute (the machine is producing); '
                    f"remove it, or use a stop state such as Held"
                )
    stop_reason = table.get("stop_reason", 0)
    if (
        not isinstance(stop_reason, int)
        or isinstance(stop_reason, bool)
        or not 0 <= stop_reason <= _INT32_MAX
    ):
        raise where.error(
            f'key "stop_reason" is {_show(stop_reason)}; it must be the PLC stop reason ID, '
            "a whole number from 0, e.g. stop_reason = 17"
        )
    message = table.get("message", "")
    if not isinstance(message, str):
        raise where.error(
            f'key "message" is {_show(message)}; it must be text in quotes, '
            'e.g. message = "Bottle jam infeed"'
        )
    duration = _positive_duration(table, "for", where) if "for" in table else None
    return MachineEvent(
        at=at,
        machine=machine,
        state=state,
        stop_reason=stop_reason,
        message=message,
        starved=_bool(table, "starved", where),
        blocked=_bool(table, "blocked", where),
        unit_mode=_unit_mode(table["unit_mode"], where) if "unit_mode" in table else 1,
        duration=duration,
        entry=where.entry or 0,
    )


def _event(table: object, machines: Sequence[str], where: _Where) -> Event:
    if not isinstance(table, dict):
        raise where.error("is not a table; write each event as a [[event]] section")
    if "at" not in table:
        raise where.error(
            'key "at" is missing; every event needs at = "mm:ss" (its time from the start)'
        )
    at = _time(table, "at", where, _AT_HINT)
    if "outage" in table and "machine" not in table:
        for key in table:
            if key not in _OUTAGE_EVENT_KEYS:
                raise where.error(
                    f'key "{key}" cannot be combined with "outage"; an outage event has only '
                    'at and outage, e.g. at = "05:00" and outage = "20s"'
                )
        return OutageEvent(
            at=at, duration=_positive_duration(table, "outage", where), entry=where.entry or 0
        )
    if "machine" not in table:
        for key in table:
            if key not in _MACHINE_EVENT_KEYS:
                raise _unknown_key(key, _EVENT_KEYS, where, "event")
        raise where.error(
            'key "machine" is missing; an event needs machine and state (a machine changes '
            'state) or outage (e.g. outage = "20s" for a communication outage)'
        )
    return _machine_event(table, at, machines, where)


def _check_overlaps(events: Sequence[Event], source: str) -> None:
    """Refuse two events that would shape the same machine (or the endpoint) at once."""
    last: dict[str, Event] = {}
    for event in events:
        key = event.machine if isinstance(event, MachineEvent) else "\0outage"
        previous = last.get(key)
        subject = f"machine {event.machine}" if isinstance(event, MachineEvent) else "the endpoint"
        if previous is not None and event.at == previous.at:
            raise _Where(source, event.entry).error(
                f'key "at" is {_format_seconds(event.at)}, the same time as event '
                f"{previous.entry} for {subject}; give one of them a later time"
            )
        if previous is not None and event.at < previous.end:
            raise _Where(source, event.entry).error(
                f'key "at" is {_format_seconds(event.at)}, but event {previous.entry} still '
                f"holds {subject} until {_format_seconds(previous.end)}; move this event later "
                'or shorten the "for"/"outage" of the earlier one'
            )
        last[key] = event


def _machines(document: Mapping[str, object], where: _Where) -> tuple[str, ...]:
    if "machines" not in document:
        raise where.error(
            'key "machines" is missing; list the machines of the line, '
            'e.g. machines = ["Filler", "Labeler", "CasePacker"]'
        )
    value = document["machines"]
    if not isinstance(value, list) or not value:
        raise where.error(
            f'key "machines" is {_show(value)}; it must be a non-empty list of names, '
            'e.g. machines = ["Filler", "Labeler"]'
        )
    names = tuple(_name(item, "machines", where) for item in value)
    for name in names:
        if names.count(name) > 1:
            raise where.error(
                f'key "machines" lists "{name}" twice; give each machine a unique name'
            )
    return names


def _speeds(
    document: Mapping[str, object], machines: Sequence[str], where: _Where
) -> dict[str, float]:
    value = document.get("speed", {})
    if not isinstance(value, dict):
        raise where.error(
            f'key "speed" is {_show(value)}; it must be a table of units per minute, '
            "e.g. speed = { Filler = 600 }"
        )
    speeds: dict[str, float] = {}
    for machine, speed in value.items():
        if machine not in machines:
            raise where.error(
                f'key "speed" names "{machine}", which is not in machines; '
                "fix the name or add the machine to machines = [...]"
            )
        if isinstance(speed, bool) or not isinstance(speed, int | float) or not speed > 0:
            raise where.error(
                f'key "speed" gives {machine} {_show(speed)}; a speed must be a number of '
                f"units per minute above 0, e.g. {machine} = 600"
            )
        speeds[machine] = float(speed)
    return speeds


def _defect_rate(document: Mapping[str, object], where: _Where) -> float:
    value = document.get("defect_rate", 0.01)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise where.error(
            f'key "defect_rate" is {_show(value)}; it must be a fraction from 0 to 1, '
            "e.g. defect_rate = 0.01 for 1 % defective"
        )
    return float(value)


def parse_scenario(document: Mapping[str, object], source: str) -> Scenario:
    """Validate a decoded TOML document; `source` names the file in error messages."""
    where = _Where(source)
    for key in document:
        if key not in _TOP_KEYS:
            raise _unknown_key(key, _TOP_KEYS, where, "top-level")
    line = _name(document.get("line", "Line1"), "line", where)
    machines = _machines(document, where)
    speeds = _speeds(document, machines, where)
    defect_rate = _defect_rate(document, where)
    raw_events = document.get("event", [])
    if not isinstance(raw_events, list):
        raise where.error(
            'key "event" must be a list of tables; write each event as its own [[event]] section'
        )
    events = sorted(
        (
            _event(table, machines, _Where(source, entry))
            for entry, table in enumerate(raw_events, 1)
        ),
        key=lambda event: event.at,
    )
    _check_overlaps(events, source)
    end = max((event.end for event in events), default=0.0)
    length = end
    if "duration" in document:
        length = _time(document, "duration", where, _AT_HINT)
        if length < end:
            raise where.error(
                f'key "duration" is {_format_seconds(length)}, but the events run until '
                f"{_format_seconds(end)}; make duration at least that long or remove it"
            )
    if length <= 0:
        raise where.error(
            "the timeline lasts 0 s, so it cannot be played; add events, "
            'a "for" to the last event or a top-level duration = "10:00"'
        )
    return Scenario(
        line=line,
        machines=machines,
        events=tuple(events),
        length=length,
        speeds=speeds,
        defect_rate=defect_rate,
    )


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; every problem is a `ScenarioError` naming the file."""
    source = str(path)
    try:
        with Path(path).open("rb") as file:
            document = tomllib.load(file)
    except OSError as exc:
        raise ScenarioError(
            f"{source}: cannot read the scenario file ({exc.strerror or exc}); check the path "
            "given to --scenario"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(
            f"{source}: the file is not valid TOML ({exc}); fix the syntax there, "
            'e.g. strings need quotes: state = "Held"'
        ) from exc
    return parse_scenario(document, source)


@dataclass(frozen=True)
class _RandomStop:
    """One line of the random-mode stop table: what stops, for how long, how often."""

    state: PackMLState
    reason: int
    message: str
    shortest: float
    longest: float
    weight: int
    starved: bool = False
    blocked: bool = False


_RANDOM_STOPS = (
    _RandomStop(PackMLState.HELD, 17, "Bottle jam infeed", 5, 40, weight=30),
    _RandomStop(PackMLState.HELD, 12, "Sensor fault", 5, 20, weight=25),
    _RandomStop(PackMLState.SUSPENDED, 0, "", 10, 60, weight=15, starved=True),
    _RandomStop(PackMLState.SUSPENDED, 0, "", 10, 60, weight=10, blocked=True),
    _RandomStop(PackMLState.HELD, 23, "Low product level", 60, 180, weight=5),
    _RandomStop(PackMLState.HELD, 31, "Capper torque fault", 60, 150, weight=5),
    _RandomStop(PackMLState.STOPPED, 42, "Guard door open", 30, 120, weight=10),
)
_RANDOM_WEIGHTS = [stop.weight for stop in _RANDOM_STOPS]
_RANDOM_MEAN_RUN = 40.0


def random_scenario(
    line: str, machines: Sequence[str], seed: int, length: float = RANDOM_LENGTH
) -> Scenario:
    """A seeded timeline: per machine, exponential Execute runs alternating with table stops."""
    events: list[Event] = []
    for machine in machines:
        rng = random.Random(f"{seed}/{machine}")  # noqa: S311 - a reproducible simulation, not security
        t = 0.0
        while True:
            t += rng.expovariate(1 / _RANDOM_MEAN_RUN)
            stop = rng.choices(_RANDOM_STOPS, weights=_RANDOM_WEIGHTS)[0]
            duration = round(rng.uniform(stop.shortest, stop.longest), 1)
            at = round(t, 1)
            if at + duration > length:
                break
            event = MachineEvent(
                at=at,
                machine=machine,
                state=stop.state,
                stop_reason=stop.reason,
                message=stop.message,
                starved=stop.starved,
                blocked=stop.blocked,
                duration=duration,
            )
            events.append(event)
            t = event.end
    events.sort(key=lambda event: event.at)
    return Scenario(line=line, machines=tuple(machines), events=tuple(events), length=length)


def timeline(scenario: Scenario) -> list[Step]:
    """Flatten events into time-ordered writes: each stop with a "for" gets its return step."""
    starts = {
        (event.machine, event.at) for event in scenario.events if isinstance(event, MachineEvent)
    }
    steps: list[Step] = []
    for event in scenario.events:
        if isinstance(event, OutageEvent):
            steps += [OutageStep(event.at, begin=True), OutageStep(event.end, begin=False)]
            continue
        steps.append(event.step())
        if event.duration is not None and (event.machine, event.end) not in starts:
            steps.append(StateStep(at=event.end, machine=event.machine, state=PackMLState.EXECUTE))
    steps.sort(key=lambda step: step.at)
    return steps


async def _apply(sim: LineSimulator, step: Step) -> None:
    if isinstance(step, OutageStep):
        await (sim.begin_outage() if step.begin else sim.end_outage())
        return
    await sim.set_state(
        step.machine,
        step.state,
        stop_reason_id=step.stop_reason,
        message=step.message,
        starved=step.starved,
        blocked=step.blocked,
        unit_mode=step.unit_mode,
    )


async def play(sim: LineSimulator, scenario: Scenario, loop: bool) -> None:
    """Write the timeline on schedule; with `loop`, start over (all machines Execute) each pass."""
    steps = timeline(scenario)
    restarted_at_zero = {
        step.machine for step in steps if isinstance(step, StateStep) and step.at == 0
    }
    clock = asyncio.get_running_loop()
    start = clock.time()
    while True:
        for step in steps:
            delay = start + step.at - clock.time()
            if delay > 0:
                await asyncio.sleep(delay)
            await _apply(sim, step)
        if not loop:
            return
        start += scenario.length
        delay = start - clock.time()
        if delay > 0:
            await asyncio.sleep(delay)
        for machine in scenario.machines:
            if machine not in restarted_at_zero:
                await sim.set_state(machine, PackMLState.EXECUTE)
