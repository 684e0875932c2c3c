"""The station screen, driven by real taps on the real QML with a simulated machine."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication

from lineside.app.hmi import Hmi, install_translator
from lineside.devices.machine import SimMachine
from lineside.domain.events import utc_now

from .conftest import item, items, tap, until


@pytest.fixture
def station_config(station_config: Path) -> Path:
    """Demo config with a 1 s micro-stop threshold, so tests see long and micro-stops quickly."""
    text = station_config.read_text().replace(
        "micro_stop_threshold_s = 30", "micro_stop_threshold_s = 1"
    )
    station_config.write_text(text)
    return station_config


def machine(hmi: Hmi) -> SimMachine:
    assert isinstance(hmi.machine, SimMachine)
    return hmi.machine


async def events(hmi: Hmi, kind: str) -> list[dict[str, object]]:
    return [e.payload for e in await hmi.store.events() if e.type == kind]


async def stop_the_machine(hmi: Hmi) -> None:
    machine(hmi).set(state_current=11, stop_reason_id=17, stop_reason_message="Bottle jam infeed")
    await until(lambda: item(hmi, "reasonPrompt").isVisible())


async def test_a_stop_opens_the_prompt_and_one_tap_codes_the_suggested_reason(hmi: Hmi) -> None:
    await stop_the_machine(hmi)
    assert "Filler stopped" in item(hmi, "promptTitle").property("text")
    assert "Bottle jam infeed" in item(hmi, "suggestedReason").property("text")

    await tap(hmi, "suggestedReason")
    await until(lambda: not item(hmi, "reasonPrompt").isVisible())

    (coded,) = await events(hmi, "downtime.coded")
    assert coded["reason"] == "MECH.JAM.INFEED"
    assert coded["tree_version"] == "4"
    (started,) = await events(hmi, "downtime.started")
    assert started["plc_reason_id"] == 17
    assert hmi.stops_vm is not None
    assert hmi.stops_vm.uncoded_count == 0


async def test_the_tree_is_walked_with_large_buttons_and_back(hmi: Hmi) -> None:
    await stop_the_machine(hmi)
    await tap(hmi, "reason_MECH")
    await until(lambda: item(hmi, "reasonBack").isVisible())
    await tap(hmi, "reasonBack")
    await until(lambda: item(hmi, "reason_ELEC").isVisible())
    await tap(hmi, "reason_ELEC")
    await until(lambda: item(hmi, "reason_ELEC.GUARD").isVisible())
    await tap(hmi, "reason_ELEC.GUARD")
    await until(lambda: not item(hmi, "reasonPrompt").isVisible())
    await hmi.ledger.flush()
    assert (await events(hmi, "downtime.coded"))[0]["reason_path"] == "Electrical › Guard door open"


async def test_a_short_stop_closes_the_prompt_by_itself_coded_by_its_plc_reason(
    hmi: Hmi,
) -> None:
    await stop_the_machine(hmi)
    machine(hmi).set(state_current=6, stop_reason_id=0, stop_reason_message="")
    await until(lambda: not item(hmi, "reasonPrompt").isVisible())
    await hmi.ledger.flush()
    (coded,) = await events(hmi, "downtime.coded")
    assert coded == {
        **coded,
        "reason": "MECH.JAM.INFEED",
        "automatic": True,
        "rule": "plc_reason",
        "tree_version": "4",
    }
    assert item(hmi, "stopRow0").isVisible()


async def test_later_leaves_the_stop_marked_and_the_list_codes_it(hmi: Hmi) -> None:
    await stop_the_machine(hmi)
    await tap(hmi, "deferReason")
    await until(lambda: not item(hmi, "reasonPrompt").isVisible())
    await until(lambda: item(hmi, "uncodedBadge").isVisible())
    assert hmi.prompt_vm is not None
    await hmi.prompt_vm.wait_idle()
    assert await events(hmi, "downtime.deferred")

    await tap(hmi, "codeButton0")
    await until(lambda: item(hmi, "reasonPrompt").isVisible())
    await tap(hmi, "suggestedReason")
    await until(lambda: not item(hmi, "uncodedBadge").isVisible())


async def test_recoding_from_the_list_keeps_old_and_new(hmi: Hmi) -> None:
    await stop_the_machine(hmi)
    await tap(hmi, "suggestedReason")
    await until(lambda: not item(hmi, "reasonPrompt").isVisible())
    await tap(hmi, "codeButton0")
    await until(lambda: item(hmi, "reasonPrompt").isVisible())
    await tap(hmi, "reason_MAT")
    await until(lambda: item(hmi, "reason_MAT.NO_CAPS").isVisible())
    await tap(hmi, "reason_MAT.NO_CAPS")
    await until(lambda: not item(hmi, "reasonPrompt").isVisible())
    await hmi.ledger.flush()
    (recoded,) = await events(hmi, "downtime.recoded")
    assert (recoded["old_reason"], recoded["new_reason"]) == ("MECH.JAM.INFEED", "MAT.NO_CAPS")
    tree = hmi.ledger.reason_tree
    assert tree is not None
    words = f"{tree.label_path('MECH.JAM.INFEED')} → {tree.label_path('MAT.NO_CAPS')}"
    await until(lambda: words in item(hmi, "stopHistory0").property("text"))


async def test_a_stop_is_split_at_a_chosen_time(hmi: Hmi) -> None:
    await stop_the_machine(hmi)
    await tap(hmi, "deferReason")
    await until(lambda: hmi.ledger.open_stop is not None and hmi.ledger.open_stop.deferred)

    stop = hmi.ledger.open_stop
    assert stop is not None
    await until(lambda: stop.duration(utc_now()) > timedelta(seconds=3))
    await tap(hmi, "splitButton0")
    await until(lambda: item(hmi, "splitDialog").isVisible())
    before = item(hmi, "splitTime").property("text")
    await tap(hmi, "splitMinus10")  # clamped inside the stop: the time stays a valid split time
    assert re.fullmatch(r"\d\d:\d\d:\d\d", item(hmi, "splitTime").property("text"))
    assert item(hmi, "splitTime").property("text") <= before
    await tap(hmi, "splitConfirm")
    await until(lambda: not item(hmi, "splitDialog").isVisible())
    (split,) = await events(hmi, "downtime.split")
    assert hmi.ledger.open_stop is not None
    assert hmi.ledger.open_stop.stop_id == split["new_stop_id"]
    assert item(hmi, "stopRow1").isVisible()


async def test_after_a_stop_the_header_says_producing_since_its_end(hmi: Hmi) -> None:
    await stop_the_machine(hmi)
    stop = hmi.ledger.open_stop
    assert stop is not None
    await until(lambda: stop.duration(utc_now()) > timedelta(seconds=2))
    machine(hmi).set(state_current=6, stop_reason_id=0, stop_reason_message="")
    await until(lambda: item(hmi, "headerState").property("value").startswith("Producing"))
    value = item(hmi, "headerState").property("value")
    assert value.endswith(("0:00", "0:01")), value  # since the stop ended, not its length


async def test_a_planned_stop_is_coded_by_itself_and_never_asks(hmi: Hmi) -> None:
    machine(hmi).set(state_current=17, stop_reason_id=0, stop_reason_message="Order complete")
    await until(lambda: hmi.ledger.open_stop is not None)
    await until(lambda: "planned" in item(hmi, "headerState").property("value"))
    assert not item(hmi, "reasonPrompt").isVisible()
    await hmi.ledger.flush()
    (coded,) = await events(hmi, "downtime.coded")
    assert (coded["reason"], coded["rule"]) == ("OPS.ORDER_COMPLETE", "planned_state")
    assert hmi.stops_vm is not None
    assert hmi.stops_vm.uncoded_count == 0


async def test_a_lost_connection_shows_state_unknown_and_keeps_the_stop(hmi: Hmi) -> None:
    await stop_the_machine(hmi)
    machine(hmi).drop_connection()
    station = hmi.station_vm
    assert station is not None
    await until(lambda: station.connection == "lost")
    await until(lambda: item(hmi, "headerConnection").property("value") == "No connection")
    assert station.state_kind == "unknown"
    machine(hmi).restore_connection()
    await until(lambda: station.connection == "connected")
    await hmi.ledger.flush()
    kinds = [e.type for e in await hmi.store.events()]
    assert kinds.count("downtime.started") == 1  # the stop held through the outage
    assert "machine.disconnected" in kinds
    assert "machine.connected" in kinds


async def test_every_button_is_at_least_12_mm(hmi: Hmi) -> None:
    await stop_the_machine(hmi)
    assert hmi.window is not None
    mm = hmi.window.screen().physicalDotsPerInch() / 25.4
    buttons = [
        b
        for b in items(hmi)
        if b.metaObject().className().startswith("TouchButton") and b.isVisible()
    ]
    assert len(buttons) >= 8
    for b in buttons:
        assert b.height() >= 12 * mm - 0.5, (b.objectName(), b.height(), 12 * mm)


async def test_sign_in_with_a_badge_then_every_fact_carries_the_person(hmi: Hmi) -> None:
    await tap(hmi, "headerPerson")
    await until(lambda: item(hmi, "signInDialog").isVisible())
    for key in ("key9", "key9", "keyOk"):
        await tap(hmi, key)
    await until(lambda: "not known" in item(hmi, "signInMessage").property("text"))
    await tap(hmi, "keyBack")
    await tap(hmi, "keyBack")
    for key in ("key1", "key0", "key0", "key1", "keyOk"):
        await tap(hmi, key)
    await until(lambda: not item(hmi, "signInDialog").isVisible())
    assert item(hmi, "headerPerson").property("value") == "Anna Berg"

    await stop_the_machine(hmi)
    await tap(hmi, "suggestedReason")
    await until(lambda: not item(hmi, "reasonPrompt").isVisible())
    await hmi.ledger.flush()
    coded = [e for e in await hmi.store.events() if e.type == "downtime.coded"]
    assert [e.recorded_by for e in coded] == ["P-1001"]
    started = [e for e in await hmi.store.events() if e.type == "downtime.started"]
    assert [e.context.person for e in started] == ["P-1001"]  # the machine's fact, her context

    await tap(hmi, "headerPerson")
    await tap(hmi, "signOut")
    await until(lambda: item(hmi, "headerPerson").property("value") == "Nobody signed in")
    await hmi.ledger.flush()
    kinds = [e.type for e in await hmi.store.events() if e.type.startswith("person.")]
    assert kinds == ["person.signed_in", "person.signed_out"]


async def test_the_screens_speak_the_plants_language(hmi: Hmi) -> None:
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    translator = install_translator(app, "de")
    assert translator is not None, "the German translation is not compiled (run scripts/bootstrap)"
    try:
        assert hmi.engine is not None
        hmi.engine.retranslate()
        await stop_the_machine(hmi)
        assert item(hmi, "promptTitle").property("text") == "■ Filler steht. Warum?"
        assert item(hmi, "headerPerson").property("caption") == "Angemeldet"
    finally:
        app.removeTranslator(translator)
