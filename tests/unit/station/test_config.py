"""A bad station config names the file and the key, and says what to do."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lineside.app.cli import write_demo_station
from lineside.station.config import ConfigError, load_station_config


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_demo_station(tmp_path)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_the_demo_config_loads(config: Path) -> None:
    loaded = load_station_config(config)
    assert loaded.reason_tree is not None
    assert loaded.reason_tree.warnings() == []
    assert loaded.data_dir == config.parent / "data"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "publishing_interval_ms = 100",
            'publishing_interval_ms = "fast"',
            "opcua.publishing_interval_ms",
        ),
        ('timezone = "Europe/Berlin"', 'timezone = "Mars/Olympus"', "station.timezone"),
        ('endpoint = "opc.tcp', 'endpoint = "http', "opcua.endpoint"),
        ("state_current = ", "state_currrent = ", "opcua.nodes"),
        ('17 = "MECH.JAM.INFEED"', '17 = "MECH.NOPE"', "equipment.plc_reasons.17"),
        ('id = "Filler"', 'idd = "Filler"', "equipment.id"),
        (
            'state_current = "ns=2;s=',
            'state_current = "ns=two;s=',
            "key opcua.nodes.state_current: Value error, node 'ns=two;s=",
        ),
        ('17 = "OPS.ORDER_COMPLETE"', '17 = "OPS"', "equipment.planned.states.17"),
        ('break = "OPS.BREAK"', 'break = "OPS.NAP"', "equipment.planned.break"),
        ('micro_stop_reason = "PERF.MICRO"', 'micro_stop_reason = "X"', "micro_stop_reason"),
        ("counter_bits = 32", "counter_bits = 24", "equipment.counter_bits"),
        ("start = 06:00:00", 'start = "six"', "shift.shifts.0.start"),
        ('file = "reasons.json"', 'file = "nowhere.json"', "nowhere.json"),
        ('file = "people.json"', 'file = "reasons.json"', "people"),
    ],
)
def test_a_bad_value_names_the_file_and_the_key(
    config: Path, old: str, new: str, expected: str
) -> None:
    edit(config, old, new)
    with pytest.raises(ConfigError) as caught:
        load_station_config(config)
    message = str(caught.value)
    assert str(config.parent) in message
    assert expected in message


def test_broken_toml_says_where(config: Path) -> None:
    edit(config, "[opcua]", "[opcua")
    with pytest.raises(ConfigError, match=r"station\.toml: not valid TOML.*line"):
        load_station_config(config)


def test_the_hmi_command_explains_a_bad_config_without_a_traceback(config: Path) -> None:
    edit(config, "publishing_interval_ms = 100", "publishing_interval_ms = 1")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "lineside",
            "hmi",
            "--config",
            str(config),
            "-platform",
            "offscreen",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "opcua.publishing_interval_ms" in result.stderr
    assert str(config) in result.stderr
    assert "Traceback" not in result.stderr


def test_a_namespace_uri_node_id_is_accepted(config: Path) -> None:
    edit(
        config,
        'state_current = "ns=2;s=',
        'state_current = "nsu=urn:lineside:sim;s=',
    )
    loaded = load_station_config(config)
    assert loaded.opcua.nodes["state_current"].startswith("nsu=urn:lineside:sim;s=")
