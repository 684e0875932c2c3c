"""Scenario files: time formats, validation messages, sorting, timelines and the shipped demo."""

from __future__ import annotations

import datetime
import itertools
from pathlib import Path

import pytest

from lineside.domain.machine_state import PackMLState
from lineside.simulator.scenario import (
    BUNDLED_SCENARIO,
    DEFAULT_SPEED,
    MachineEvent,
    OutageEvent,
    OutageStep,
    ScenarioError,
    StateStep,
    UnitMode,
    load_scenario,
    parse_seconds,
    random_scenario,
    timeline,
)

HEADER = 'line = "Line1"\nmachines = ["Filler", "Labeler", "CasePacker"]\n'


def write(tmp_path: Path, text: str, name: str = "scenario.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def event(**keys: object) -> str:
    """One [[event]] section with TOML-formatted values."""

    def toml(value: object) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            return f'"{value}"'
        return str(value)

    return "[[event]]\n" + "".join(f"{k} = {toml(v)}\n" for k, v in keys.items())


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("00:10", 10.0),
        ("02:00", 120.0),
        ("75:30", 4530.0),
        ("01:02:03", 3723.0),
        ("00:12.35", 12.35),
        (12.35, 12.35),
        (7, 7.0),
        (0, 0.0),
        ("12.5", 12.5),
        ("95s", 95.0),
        ("2m", 120.0),
        ("1m30s", 90.0),
        ("0.4s", 0.4),
        ("1h", 3600.0),
        (" 40S ", 40.0),
        (datetime.time(0, 10, 0), 600.0),
    ],
)
def test_parse_seconds_accepts_clock_unit_and_number_forms(value: object, seconds: float) -> None:
    assert parse_seconds(value) == pytest.approx(seconds)


@pytest.mark.parametrize(
    "value", ["", "abc", "1:60", "01:60:00", "5x", "1m30", "-3", -1, True, None, [10], "nan"]
)
def test_parse_seconds_rejects_what_is_not_a_time(value: object) -> None:
    assert parse_seconds(value) is None


def test_valid_file_is_sorted_by_time_with_defaults(tmp_path: Path) -> None:
    text = (
        HEADER
        + "speed = { Filler = 600, CasePacker = 50 }\ndefect_rate = 0.02\n"
        + event(at="05:00", outage="20s")
        + event(
            at="00:10",
            machine="Filler",
            state="held",
            stop_reason=17,
            message="Bottle jam infeed",
            **{"for": "95s"},
        )
        + event(at=130, machine="Labeler", state=5, starved=True, **{"for": "40s"})
        + event(at="00:20", machine="CasePacker", state="Stopped", unit_mode="Maintenance")
    )
    scenario = load_scenario(write(tmp_path, text))
    assert scenario.line == "Line1"
    assert scenario.machines == ("Filler", "Labeler", "CasePacker")
    assert scenario.speed("Filler") == 600.0
    assert scenario.speed("Labeler") == DEFAULT_SPEED
    assert scenario.defect_rate == 0.02
    assert [e.at for e in scenario.events] == [10.0, 20.0, 130.0, 300.0]
    assert [e.entry for e in scenario.events] == [2, 4, 3, 1]
    jam = scenario.events[0]
    assert jam == MachineEvent(
        at=10.0,
        machine="Filler",
        state=PackMLState.HELD,
        stop_reason=17,
        message="Bottle jam infeed",
        duration=95.0,
        entry=2,
    )
    planned = scenario.events[1]
    assert isinstance(planned, MachineEvent)
    assert planned.unit_mode == UnitMode.MAINTENANCE
    assert planned.duration is None
    assert scenario.events[3] == OutageEvent(at=300.0, duration=20.0, entry=1)
    assert scenario.length == 320.0


def test_length_is_last_event_end_or_duration(tmp_path: Path) -> None:
    events = event(at="00:10", machine="Filler", state="Held", **{"for": "95s"}) + event(
        at="01:00", machine="Labeler", state="Held"
    )
    assert load_scenario(write(tmp_path, HEADER + events)).length == 105.0
    padded = HEADER + 'duration = "10:00"\n' + events
    assert load_scenario(write(tmp_path, padded)).length == 600.0


def test_defaults_when_optional_keys_are_absent(tmp_path: Path) -> None:
    scenario = load_scenario(write(tmp_path, 'machines = ["M1"]\nduration = 5\n'))
    assert scenario.line == "Line1"
    assert scenario.events == ()
    assert scenario.defect_rate == 0.01
    assert scenario.speed("M1") == DEFAULT_SPEED


def test_timeline_adds_returns_to_execute_and_outage_ends(tmp_path: Path) -> None:
    text = (
        HEADER
        + event(at=10, machine="Filler", state="Held", stop_reason=17, **{"for": "5s"})
        + event(at=12, outage="2s")
        + event(at=20, machine="Filler", state="Stopped", **{"for": 5})
        + event(at=25, machine="Filler", state="Aborted")
        + event(at=30, machine="Filler", state="Execute")
    )
    steps = timeline(load_scenario(write(tmp_path, text)))
    assert steps == [
        StateStep(at=10.0, machine="Filler", state=PackMLState.HELD, stop_reason=17),
        OutageStep(at=12.0, begin=True),
        OutageStep(at=14.0, begin=False),
        StateStep(at=15.0, machine="Filler", state=PackMLState.EXECUTE),
        StateStep(at=20.0, machine="Filler", state=PackMLState.STOPPED),
        StateStep(at=25.0, machine="Filler", state=PackMLState.ABORTED),
        StateStep(at=30.0, machine="Filler", state=PackMLState.EXECUTE),
    ]


def test_shipped_demo_is_a_ten_minute_line_with_all_kinds_of_stop() -> None:
    scenario = load_scenario(BUNDLED_SCENARIO)
    assert scenario.machines == ("Filler", "Labeler", "CasePacker")
    assert scenario.length == 600.0
    stops = [e for e in scenario.events if isinstance(e, MachineEvent)]
    outages = [e for e in scenario.events if isinstance(e, OutageEvent)]
    first_filler = next(e for e in stops if e.machine == "Filler")
    assert first_filler.at <= 15
    assert first_filler.state is PackMLState.HELD
    assert first_filler.duration is not None
    assert first_filler.duration > 60
    assert {17, 23, 31, 42} <= {e.stop_reason for e in stops}
    assert len([e for e in stops if e.duration is not None and 5 <= e.duration <= 60]) >= 3
    assert any(e.starved for e in stops)
    assert any(e.blocked for e in stops)
    assert any(
        e.unit_mode == UnitMode.MAINTENANCE or e.state is PackMLState.COMPLETE for e in stops
    )
    assert [o.duration for o in outages] == [20.0]
    assert all(e.duration is not None for e in stops)


def test_random_scenario_is_seeded_and_alternates_runs_and_stops() -> None:
    machines = ["Filler", "Labeler", "CasePacker"]
    first = random_scenario("Line1", machines, seed=1)
    assert first == random_scenario("Line1", machines, seed=1)
    assert first.events != random_scenario("Line1", machines, seed=2).events
    assert all(isinstance(e, MachineEvent) for e in first.events)
    stops = [e for e in first.events if isinstance(e, MachineEvent)]
    for machine in machines:
        own = [e for e in stops if e.machine == machine]
        assert len(own) > 10
        assert all(a.end <= b.at for a, b in itertools.pairwise(own))
        assert all(e.end <= first.length for e in own)
    durations = [e.duration for e in stops if e.duration is not None]
    assert min(durations) < 60 < max(durations)
    assert any(e.starved for e in stops)
    assert any(e.blocked for e in stops)
    steps = timeline(first)
    assert len(steps) == 2 * len(stops)
    assert sum(s.state is PackMLState.EXECUTE for s in steps if isinstance(s, StateStep)) == len(
        stops
    )


ERROR_CASES = [
    pytest.param(
        HEADER
        + event(at="00:10", machine="Filler", state="Held")
        + event(at=20, machine="Filler", state="Hled"),
        'scenario.toml, event 2: key "state" is "Hled", which is not a PackML state; '
        "use one of Execute, Held, Suspended, Stopped, Undefined, Clearing, Starting,",
        id="state-name",
    ),
    pytest.param(
        HEADER + event(at=1, machine="Filler", state=42),
        'event 1: key "state" is 42, which is not a PackML state',
        id="state-number",
    ),
    pytest.param(
        HEADER + event(at=1, machine="Filler"),
        'event 1: key "state" is missing',
        id="state-missing",
    ),
    pytest.param(
        HEADER + event(machine="Filler", state="Held"),
        'event 1: key "at" is missing; every event needs at = "mm:ss"',
        id="at-missing",
    ),
    pytest.param(
        HEADER + event(at="1:75", machine="Filler", state="Held"),
        'event 1: key "at" is "1:75", which is not a time; use mm:ss, hh:mm:ss',
        id="at-bad",
    ),
    pytest.param(
        HEADER + event(at=-5, machine="Filler", state="Held"),
        'event 1: key "at" is -5, which is not a time',
        id="at-negative",
    ),
    pytest.param(
        HEADER + event(at=1, machine="Filer", state="Held"),
        'event 1: key "machine" is "Filer", which is not one of the machines '
        '("Filler", "Labeler", "CasePacker"); fix the name or add it',
        id="machine-unknown",
    ),
    pytest.param(
        HEADER + event(at=1, state="Held"),
        'event 1: key "machine" is missing; an event needs machine and state',
        id="machine-missing",
    ),
    pytest.param(
        HEADER + event(at=1, machine="Filler", stat="Held"),
        'event 1: key "stat" is not a known event key (did you mean "state"?); use at, machine,',
        id="event-key-typo",
    ),
    pytest.param(
        HEADER + event(at=1, colour="red"),
        'event 1: key "colour" is not a known event key; use at, machine',
        id="event-key-unknown-without-machine",
    ),
    pytest.param(
        HEADER + event(at=1, machine="Filler", state="Held", stop_reason="17"),
        'event 1: key "stop_reason" is "17"; it must be the PLC stop reason ID',
        id="stop-reason-text",
    ),
    pytest.param(
        HEADER + event(at=1, machine="Filler", state="Held", stop_reason=-1),
        'event 1: key "stop_reason" is -1',
        id="stop-reason-negative",
    ),
    pytest.param(
        HEADER + event(at=1, machine="Filler", state="Held", message=3),
        'event 1: key "message" is 3; it must be text in quotes',
        id="message-number",
    ),
    pytest.param(
        HEADER + event(at=1, machine="Filler", state="Held", **{"for": "ten minutes"}),
        'event 1: key "for" is "ten minutes", which is not a time; use e.g. "95s", "2m"',
        id="for-bad",
    ),
    pytest.param(
        HEADER + event(at=1, machine="Filler", state="Held", **{"for": 0}),
        'event 1: key "for" is 0; it must be longer than 0 s',
        id="for-zero",
    ),
    pytest.param(
        HEADER + event(at=1, machine="Filler", state="Suspended", starved="yes"),
        'event 1: key "starved" is "yes"; write starved = true or starved = false',
        id="starved-text",
    ),
    pytest.param(
        HEADER + event(at=1, machine="Filler", state="Suspended", blocked=1),
        'event 1: key "blocked" is 1; write blocked = true',
        id="blocked-number",
    ),
    pytest.param(
        HEADER + event(at=1, machine="Filler", state="Stopped", unit_mode="Cleaning"),
        'event 1: key "unit_mode" is "Cleaning", which is not a unit mode; use 1 or Production',
        id="unit-mode-name",
    ),
    pytest.param(
        HEADER + event(at=1, machine="Filler", state="Stopped", unit_mode=7),
        'event 1: key "unit_mode" is 7, which is not a unit mode',
        id="unit-mode-number",
    ),
    pytest.param(
        HEADER + event(at=1, machine="Filler", state="Execute", stop_reason=3),
        'event 1: key "stop_reason" does not apply to state Execute',
        id="execute-with-reason",
    ),
    pytest.param(
        HEADER + event(at=1, outage="20s", machine="Filler", state="Held"),
        'event 1: key "outage" cannot be combined with "machine"',
        id="outage-with-machine",
    ),
    pytest.param(
        HEADER + event(at=1, outage="20s", message="network"),
        'event 1: key "message" cannot be combined with "outage"',
        id="outage-extra-key",
    ),
    pytest.param(
        HEADER + event(at=1, outage="soon"),
        'event 1: key "outage" is "soon", which is not a time',
        id="outage-bad",
    ),
    pytest.param(
        HEADER
        + event(at=10, machine="Filler", state="Held", **{"for": "1m"})
        + event(at=30, machine="Labeler", state="Held")
        + event(at=40, machine="Filler", state="Stopped"),
        'event 3: key "at" is 00:40, but event 1 still holds machine Filler until 01:10',
        id="overlap",
    ),
    pytest.param(
        HEADER
        + event(at=10, machine="Filler", state="Held")
        + event(at="00:10", machine="Filler", state="Stopped"),
        'event 2: key "at" is 00:10, the same time as event 1 for machine Filler',
        id="same-time",
    ),
    pytest.param(
        HEADER + event(at=10, outage="30s") + event(at=20, outage="5s"),
        'event 2: key "at" is 00:20, but event 1 still holds the endpoint until 00:40',
        id="outage-overlap",
    ),
    pytest.param(
        HEADER + "[event]\nat = 1\n",
        'scenario.toml: key "event" must be a list of tables; write each event as its own',
        id="event-not-array",
    ),
    pytest.param(
        HEADER + "event = [1]\n",
        "scenario.toml, event 1: is not a table",
        id="event-not-table",
    ),
    pytest.param(
        HEADER + 'machine = "Filler"\n',
        'scenario.toml: key "machine" is not a known top-level key (did you mean "machines"?)',
        id="top-key-typo",
    ),
    pytest.param(
        'line = "Line1"\n',
        'scenario.toml: key "machines" is missing',
        id="machines-missing",
    ),
    pytest.param(
        "machines = []\n",
        'scenario.toml: key "machines" is an empty list; it must be a non-empty list',
        id="machines-empty",
    ),
    pytest.param(
        'machines = "Filler"\n',
        'key "machines" is "Filler"; it must be a non-empty list',
        id="machines-text",
    ),
    pytest.param(
        'machines = ["Filler", "Filler"]\n',
        'key "machines" lists "Filler" twice',
        id="machines-duplicate",
    ),
    pytest.param(
        'machines = ["Filler/1"]\n',
        'key "machines" is "Filler/1"; a name must be non-empty text without "/"',
        id="machine-slash",
    ),
    pytest.param(
        'line = ""\nmachines = ["Filler"]\n',
        'key "line" is ""; a name must be non-empty text',
        id="line-empty",
    ),
    pytest.param(
        HEADER + "speed = 600\n",
        'key "speed" is 600; it must be a table of units per minute',
        id="speed-not-table",
    ),
    pytest.param(
        HEADER + "speed = { Capper = 600 }\n",
        'key "speed" names "Capper", which is not in machines',
        id="speed-unknown-machine",
    ),
    pytest.param(
        HEADER + "speed = { Filler = 0 }\n",
        'key "speed" gives Filler 0; a speed must be a number of units per minute above 0',
        id="speed-zero",
    ),
    pytest.param(
        HEADER + "defect_rate = 2\n",
        'key "defect_rate" is 2; it must be a fraction from 0 to 1',
        id="defect-rate",
    ),
    pytest.param(
        HEADER
        + 'duration = "01:00"\n'
        + event(at=50, machine="Filler", state="Held", **{"for": "20s"}),
        'key "duration" is 01:00, but the events run until 01:10; make duration at least',
        id="duration-short",
    ),
    pytest.param(
        HEADER + 'duration = "long"\n',
        'key "duration" is "long", which is not a time',
        id="duration-bad",
    ),
    pytest.param(
        HEADER + event(at=0, machine="Filler", state="Held"),
        "scenario.toml: the timeline lasts 0 s, so it cannot be played",
        id="zero-length",
    ),
    pytest.param(
        HEADER + "[[event]\n",
        "scenario.toml: the file is not valid TOML (",
        id="toml-syntax",
    ),
]


@pytest.mark.parametrize(("text", "message"), ERROR_CASES)
def test_bad_file_names_file_entry_key_and_fix(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)
    assert str(raised.value).startswith(f"{path}")
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"
    with pytest.raises(ScenarioError, match=r"absent\.toml: cannot read the scenario file"):
        load_scenario(path)


def test_event_number_is_the_position_in_the_file_not_in_time(tmp_path: Path) -> None:
    text = (
        HEADER
        + event(at="09:00", machine="Filler", state="Held")
        + event(at="01:00", machine="Labeler", state="Held")
        + event(at="00:30", machine="CasePacker", state="Hled")
    )
    with pytest.raises(ScenarioError, match=r"scenario.toml, event 3: key \"state\""):
        load_scenario(write(tmp_path, text))
