"""The pieces both machines share: snapshot timing, change grouping, config checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from asyncua import ua

from lineside.devices.machine import Change, SignalTable, split_changes
from lineside.devices.opcua import _CONVERTERS, OpcUaMachine, _quality, _utc, parse_node_ref
from lineside.domain.machine_state import SIGNAL_NAMES

T0 = datetime(2025, 3, 4, 6, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_changed_at_is_the_newest_condition_change() -> None:
    table = SignalTable()
    table.apply(
        [
            Change("state_current", 2, at(1)),
            Change("starved", True, at(3)),
            Change("stop_reason_id", 7, at(5)),
            Change("good_count", 100, at(9)),
        ]
    )
    snapshot = table.snapshot(received_at=at(10))
    assert snapshot.changed_at == at(3)
    assert snapshot.received_at == at(10)
    assert (snapshot.state_current, snapshot.starved, snapshot.good_count) == (2, True, 100)
    assert snapshot.running is None


def test_bad_values_are_none_and_named_uncertain_ones_kept_and_named() -> None:
    table = SignalTable()
    table.apply(
        [
            Change("state_current", 6, at(1), "bad"),
            Change("starved", True, at(2), "uncertain"),
            Change("good_count", 100, at(3)),
        ]
    )
    snapshot = table.snapshot(received_at=at(10))
    assert snapshot.state_current is None
    assert snapshot.bad == {"state_current"}
    assert snapshot.starved is True
    assert snapshot.uncertain == {"starved"}
    assert snapshot.good_count == 100
    assert snapshot.changed_at == at(2)  # a quality change is a change

    table.apply([Change("state_current", 2, at(4)), Change("starved", True, at(5), "good")])
    cleared = table.snapshot(received_at=at(10))
    assert (cleared.state_current, cleared.bad, cleared.uncertain) == (2, frozenset(), frozenset())


def test_restamp_stamps_every_value_and_keeps_values_and_qualities() -> None:
    table = SignalTable()
    table.apply([Change("state_current", 2, at(1), "uncertain"), Change("good_count", 5, at(2))])
    table.restamp(at(60))
    assert table.get("state_current") == Change("state_current", 2, at(60), "uncertain")
    assert table.get("good_count") == Change("good_count", 5, at(60))


def test_changed_at_without_condition_signals_is_the_receipt_time() -> None:
    table = SignalTable()
    table.apply([Change("good_count", 1, at(1))])
    assert table.snapshot(received_at=at(2)).changed_at == at(2)


def test_changes_split_only_where_a_signal_changes_again() -> None:
    changes = [
        Change("stop_reason_id", 7, at(0)),
        Change("state_current", 2, at(0)),
        Change("starved", False, at(0)),
        Change("stop_reason_id", 0, at(1)),
        Change("state_current", 6, at(1)),
    ]
    groups = split_changes(changes)
    assert groups == [changes[:3], changes[3:]]
    assert split_changes([]) == []


def test_table_covers_only_signals_with_values() -> None:
    table = SignalTable()
    table.apply([Change("state_current", None, at(0))])
    assert table.covers(["state_current"])
    assert not table.covers(["state_current", "starved"])


NODES = {"state_current": "ns=2;s=Line1/Filler/Status/StateCurrent"}


def test_unknown_signal_names_are_rejected() -> None:
    with pytest.raises(ValueError, match="'state'"):
        OpcUaMachine("opc.tcp://127.0.0.1:4840", {"state": "ns=2;s=X"})


def test_malformed_node_ids_name_the_signal() -> None:
    with pytest.raises(ValueError, match=r"^signal 'starved': node 'Line1/Filler/Starved' is not"):
        OpcUaMachine("opc.tcp://127.0.0.1:4840", {**NODES, "starved": "Line1/Filler/Starved"})


def test_nodes_may_be_given_parsed() -> None:
    ref = parse_node_ref("nsu=urn:plant:plc;s=Line1/Filler/Status/StateCurrent")
    OpcUaMachine("opc.tcp://127.0.0.1:4840", {"state_current": ref})


@pytest.mark.parametrize(
    ("code", "quality"),
    [
        (ua.StatusCodes.Good, "good"),
        (ua.StatusCodes.GoodClamped, "good"),
        (ua.StatusCodes.UncertainLastUsableValue, "uncertain"),
        (ua.StatusCodes.UncertainSensorNotAccurate, "uncertain"),
        (ua.StatusCodes.BadSensorFailure, "bad"),
        (ua.StatusCodes.BadNoCommunication, "bad"),
        (0xC0000000, "bad"),  # severity 11 is treated as Bad
    ],
)
def test_quality_comes_from_the_status_code(code: int, quality: str) -> None:
    assert _quality(ua.StatusCode(code)) == quality
    assert _quality(None) == "good"


@pytest.mark.parametrize("endpoint", ["http://plc:4840", "opc.tcp://", "127.0.0.1:4840"])
def test_endpoints_must_be_opc_tcp(endpoint: str) -> None:
    with pytest.raises(ValueError, match=r"opc\.tcp://host:port"):
        OpcUaMachine(endpoint, NODES)


def test_timestamps_become_aware_utc() -> None:
    naive = datetime(2025, 3, 4, 6, 0)  # noqa: DTZ001 - asyncua may hand out naive UTC
    assert _utc(naive) == T0
    assert _utc(naive).tzinfo is UTC  # type: ignore[union-attr]
    assert _utc(datetime(2025, 3, 4, 7, 0, tzinfo=timezone(timedelta(hours=1)))) == T0
    assert _utc(datetime(1601, 1, 1, tzinfo=UTC)) is None  # DateTime 0: no timestamp
    assert _utc(None) is None


def test_every_signal_has_a_converter() -> None:
    assert set(SIGNAL_NAMES) <= set(_CONVERTERS)


def test_values_are_converted_to_the_signal_types() -> None:
    assert _CONVERTERS["stop_reason_message"](ua.LocalizedText("Jam")) == "Jam"
    assert _CONVERTERS["state_current"](6.0) == 6
    assert _CONVERTERS["starved"](1) is True
    assert _CONVERTERS["speed"](120) == 120.0
    assert _CONVERTERS["state_current"]("Execute") is None
