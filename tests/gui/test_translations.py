"""Every screen in German: no English word from the translations, the plant data or below."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QRectF
from PySide6.QtQuick import QQuickItem

from lineside.app.hmi import Hmi
from lineside.devices.machine import SimMachine
from lineside.domain.events import utc_now
from lineside.domain.reasons import ReasonNode
from lineside.offline.sync_status import QuarantinedEvent, SyncStatus
from lineside.station.config import load_station_config
from tests.unit.viewmodels.test_sync_vm import FakeSync

from .conftest import item, items, next_frame, tap, until

TS = Path(__file__).resolve().parents[2] / "lineside" / "resources" / "translations"
PLACEHOLDER = re.compile(r"%(?:\d|n)")
ENGLISH_WORDS = frozenset(
    {
        *("the", "is", "are", "not", "and", "of", "to", "from", "with", "this", "that", "yet"),
        *("no", "has", "have", "been", "was", "will", "why", "waiting", "stopped", "signed"),
        *("saved", "connected", "connecting", "reconnecting", "nobody", "retrying"),
    }
)
"""Words a German screen never shows: they betray a sentence made in English below the
viewmodels (a sync error, a device detail) that no translation file knows of."""


def ts_messages() -> list[tuple[str, str, list[str]]]:
    """(context, English source, German translations) of every entry of the .ts file."""
    root = ET.parse(TS / "lineside_de.ts").getroot()  # noqa: S314 - the project's own file
    out = []
    for context in root.iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            forms = [f.text or "" for f in translation.iter("numerusform")] or [
                translation.text or ""
            ]
            out.append((name, message.findtext("source", ""), forms))
    return out


def template(source: str) -> re.Pattern[str]:
    """A pattern for the text an English source becomes once its %1 … are filled in."""
    parts = PLACEHOLDER.split(source)
    return re.compile(".+?".join(re.escape(p) for p in parts))


def english_templates() -> list[re.Pattern[str]]:
    """The English sources that German words differently (names like "OK" are the same)."""
    out = []
    for _, source, forms in ts_messages():
        if not re.search(r"[A-Za-z]{2}", PLACEHOLDER.sub("", source)):
            continue
        pattern = template(source)
        if any(pattern.fullmatch(f.replace("%n", "1")) or f == source for f in forms):
            continue
        out.append(pattern)
    return out


def english_names(hmi: Hmi) -> set[str]:
    """The plant's default names that have a German name: reasons, shifts and breaks."""
    names: set[str] = set()
    tree = hmi.ledger.reason_tree
    assert tree is not None
    nodes: list[ReasonNode] = [n for n, _ in tree.walk()]
    names |= {n.label for n in nodes if n.name("de") != n.label}
    calendar = hmi.ledger.source.calendar
    assert calendar is not None
    for shift in calendar.shifts:
        if shift.label("de") != shift.name:
            names.add(shift.name)
        names |= {b.name for b in shift.breaks if b.label("de") != b.name}
    return names


def shown_texts(hmi: Hmi) -> Iterator[tuple[str, str]]:
    """(objectName, text) of every visible Text item in the window."""
    for i in items(hmi):
        if i.metaObject().className() == "QQuickText" and i.isVisible() and i.opacity() > 0:
            text = str(i.property("text") or "")
            if text.strip():
                yield i.objectName(), text


def untranslated(hmi: Hmi) -> list[str]:
    """Every visible text, or part of one, that is English."""
    templates = english_templates()
    names = english_names(hmi)
    found = []
    for name, text in shown_texts(hmi):
        parts = [p.strip(" ■?!⚠") for line in text.splitlines() for p in re.split(r" · |: ", line)]
        found += [
            f"{name or 'Text'}: {part!r} (an English source)"
            for part in [text, *parts]
            if any(t.fullmatch(part) for t in templates)
        ]
        found += [
            f"{name or 'Text'}: {text!r} (plant name {english!r})"
            for english in names
            if re.search(rf"(?<!\w){re.escape(english)}(?!\w)", text)
        ]
        words = {w.lower() for w in re.findall(r"[A-Za-z]+", text)} & ENGLISH_WORDS
        if words:
            found.append(f"{name or 'Text'}: {text!r} (English words {sorted(words)})")
    return sorted(set(found))


@pytest.fixture
def station_config(station_config: Path, request: pytest.FixtureRequest) -> Path:
    """The demo station in German (or, parametrized, "en" or the system's language)."""
    language = getattr(request, "param", "de")
    if language != "system":
        text = station_config.read_text(encoding="utf-8")
        station_config.write_text(
            text.replace("[station]\n", f'[station]\nlanguage = "{language}"\n', 1)
        )
    return station_config


def machine(hmi: Hmi) -> SimMachine:
    assert isinstance(hmi.machine, SimMachine)
    return hmi.machine


def enter_badge(hmi: Hmi, badge: str) -> None:
    """Open sign-in, key in `badge` and confirm (the viewmodel's slots the keypad calls)."""
    assert hmi.sign_in_vm is not None
    hmi.sign_in_vm.open()
    for digit in badge:
        hmi.sign_in_vm.press(digit)
    hmi.sign_in_vm.confirm()


async def stop_the_filler(hmi: Hmi) -> None:
    """The filler stops with its PLC's bottle jam; the prompt asks why."""
    machine(hmi).set(state_current=11, stop_reason_id=17, stop_reason_message="Bottle jam infeed")
    await until(lambda: item(hmi, "reasonPrompt").isVisible())


def histories(hmi: Hmi) -> str:
    """The history texts shown in the stop list."""
    return "\n".join(
        str(i.property("text"))
        for i in items(hmi)
        if i.objectName().startswith("stopHistory") and i.isVisible()
    )


async def assert_german(hmi: Hmi) -> None:
    await next_frame(hmi)
    problems = untranslated(hmi)
    assert not problems, "English on a German screen:\n" + "\n".join(problems)


def test_every_entry_of_the_translation_is_translated() -> None:
    text = (TS / "lineside_de.ts").read_text(encoding="utf-8")
    assert 'type="unfinished"' not in text
    assert 'type="vanished"' not in text
    assert 'type="obsolete"' not in text
    empty = [(c, s) for c, s, forms in ts_messages() if not all(f.strip() for f in forms)]
    assert empty == []


async def test_every_screen_speaks_german(hmi: Hmi, sync: FakeSync) -> None:
    assert QCoreApplication.translate("MachineState", "Producing") == "Produziert", (
        "the German translation is not compiled (run scripts/bootstrap)"
    )
    await assert_german(hmi)  # the station view, producing

    # A stop with the PLC's first-out reason: the prompt, its suggestion and the tree.
    machine(hmi).set(state_current=11, stop_reason_id=17, stop_reason_message="Bottle jam infeed")
    await until(lambda: item(hmi, "reasonPrompt").isVisible())
    assert item(hmi, "promptTitle").property("text") == "■ Filler steht. Warum?"
    assert "Flaschenstau Einlauf" in item(hmi, "suggestedReason").property("text")
    await assert_german(hmi)
    await tap(hmi, "reason_MECH")
    await until(lambda: item(hmi, "reasonBack").isVisible())
    await assert_german(hmi)

    # Coded, recoded and split: the stop list with its history.
    await tap(hmi, "reasonBack")
    await until(lambda: item(hmi, "reason_ELEC").isVisible())
    await tap(hmi, "suggestedReason")
    await until(lambda: not item(hmi, "reasonPrompt").isVisible())
    assert hmi.prompt_vm is not None
    assert hmi.stops_vm is not None
    stop_id = next(iter(hmi.ledger.stops))
    hmi.prompt_vm.open_for(stop_id)
    hmi.prompt_vm.choose("ELEC")
    hmi.prompt_vm.choose("ELEC.SENSOR")
    await until(lambda: not item(hmi, "reasonPrompt").isVisible())
    await until(lambda: (s := hmi.ledger.stop(stop_id)) is not None and s.reason == "ELEC.SENSOR")
    stopped = hmi.ledger.stops[stop_id].started_at
    await until(lambda: utc_now() - stopped > timedelta(seconds=3))
    machine(hmi).set(state_current=6, stop_reason_id=0, stop_reason_message="")
    await until(lambda: hmi.ledger.open_stop is None)

    hmi.stops_vm.begin_split(stop_id)
    await until(lambda: item(hmi, "splitDialog").isVisible())
    assert item(hmi, "splitTime").property("text") == hmi.stops_vm.split_text
    await assert_german(hmi)
    hmi.stops_vm.confirm_split()
    await until(lambda: not item(hmi, "splitDialog").isVisible())
    await until(lambda: "geteilt um" in histories(hmi))
    history = histories(hmi)
    assert "Elektrik › Störung Sensor" in history
    assert re.search(r"geteilt um \d\d:\d\d:\d\d", history), history
    await assert_german(hmi)

    # Sign-in: the keypad and a badge nobody holds.
    assert hmi.sign_in_vm is not None
    hmi.sign_in_vm.open()
    await until(lambda: item(hmi, "signInDialog").isVisible())
    for digit in "999":
        hmi.sign_in_vm.press(digit)
    hmi.sign_in_vm.confirm()
    await until(lambda: item(hmi, "signInMessage").property("text") != "")
    await assert_german(hmi)
    hmi.sign_in_vm.cancel()
    await until(lambda: not item(hmi, "signInDialog").isVisible())

    # The sync screen: offline, a backlog, the engine's error, a refused entry.
    now = utc_now()
    sync.held = [
        QuarantinedEvent(
            seq=7,
            event_id="E-7",
            type="downtime.coded",
            occurred_at=now - timedelta(hours=1),
            reason="MECH.OLD",
            quarantined_at=now - timedelta(minutes=50),
            attempts=3,
        )
    ]
    sync.push(
        SyncStatus(
            online=False,
            waiting=120,
            oldest_waiting_at=now - timedelta(hours=2),
            quarantined=1,
            last_error="server not reachable: connection refused, retrying in 4 s",
            next_attempt_at=now + timedelta(seconds=4),
            last_delivered_at=now - timedelta(hours=2),
            master_data_at=now - timedelta(hours=3),
            clock_offset_s=-4.2,
        )
    )
    assert hmi.sync_vm is not None
    hmi.sync_vm.open_details()
    await until(lambda: item(hmi, "quarantineRow0").isVisible())
    assert item(hmi, "syncLastError").property("text").startswith("Server nicht erreichbar")
    await assert_german(hmi)
    hmi.sync_vm.close_details()

    # Input blocked: the outbox reached its limit.
    sync.push(
        SyncStatus(
            online=False,
            waiting=12,
            input_blocked="12 events are waiting for the server (the limit is 12): new entries"
            " are refused until the station reaches the server; machine stops are still recorded",
        )
    )
    await until(lambda: item(hmi, "inputBlocked").isVisible())
    assert item(hmi, "inputBlockedText").property("text").startswith("12 Einträge warten")
    await assert_german(hmi)


@pytest.mark.parametrize("station_config", ["system"], indirect=True)
async def test_a_person_reads_their_language_from_sign_in_to_sign_out(hmi: Hmi) -> None:
    """The demo station speaks the system's language (English here); Emre reads German."""
    await stop_the_filler(hmi)
    assert item(hmi, "promptTitle").property("text") == "■ Filler stopped. Why?"
    assert "Bottle jam infeed" in item(hmi, "suggestedReason").property("text")

    enter_badge(hmi, "1002")
    await until(lambda: item(hmi, "headerPerson").property("value") == "Emre Yilmaz")
    await until(lambda: item(hmi, "promptTitle").property("text") == "■ Filler steht. Warum?")
    assert "Flaschenstau Einlauf" in item(hmi, "suggestedReason").property("text")
    assert item(hmi, "headerPerson").property("caption") == "Angemeldet"
    assert item(hmi, "shiftText").property("text") in {"Früh", "Spät", "Nacht"}

    assert hmi.sign_in_vm is not None
    hmi.sign_in_vm.sign_out()
    await until(lambda: item(hmi, "headerPerson").property("value") == "Nobody signed in")
    assert item(hmi, "promptTitle").property("text") == "■ Filler stopped. Why?"
    assert "Bottle jam infeed" in item(hmi, "suggestedReason").property("text")
    assert item(hmi, "shiftText").property("text") in {"Early", "Late", "Night"}


@pytest.mark.parametrize("station_config", ["system"], indirect=True)
async def test_a_restart_while_a_person_is_signed_in_comes_back_in_their_language(
    hmi: Hmi, station_config: Path
) -> None:
    """The terminal restarts (power cut, update) while Emre, who reads German, is signed in."""
    await stop_the_filler(hmi)
    enter_badge(hmi, "1002")
    await until(lambda: item(hmi, "headerPerson").property("value") == "Emre Yilmaz")
    await hmi.stop()

    machine_again = SimMachine(publishing_interval_ms=50, lost_after_s=0.5)
    machine_again.set(state_current=11, unit_mode=1, stop_reason_id=17, speed=0.0)
    again = Hmi(load_station_config(station_config), machine=machine_again, sync=FakeSync())
    await again.start()
    try:
        assert again.stops_vm is not None
        assert again.stops_vm.model.rowCount() >= 1
        await until(lambda: item(again, "headerPerson").property("value") == "Emre Yilmaz")
        assert item(again, "headerPerson").property("caption") == "Angemeldet"
        assert "Flaschenstau Einlauf" in histories_or_rows(again)
        await until(lambda: item(again, "reasonPrompt").isVisible())
        assert item(again, "promptTitle").property("text") == "■ Filler steht. Warum?"
        await assert_german(again)
    finally:
        await again.stop()


def histories_or_rows(hmi: Hmi) -> str:
    """Every text of the stop list's rows (reason names, histories)."""
    rows = item(hmi, "stopList")
    return "\n".join(
        str(i.property("text") or "")
        for i in items(hmi)
        if i.metaObject().className() == "QQuickText" and rows.isAncestorOf(i)
    )


def scene_rect(i: QQuickItem) -> QRectF:
    return i.mapRectToScene(QRectF(0, 0, i.width(), i.height()))


def texts_under(root: QQuickItem) -> list[QQuickItem]:
    out, todo = [], list(root.childItems())
    while todo:
        current = todo.pop()
        if current.isVisible():
            if current.metaObject().className() == "QQuickText" and current.property("text"):
                out.append(current)
            todo.extend(current.childItems())
    return out


async def test_long_german_words_keep_the_header_and_the_machine_panel_on_the_screen(
    hmi: Hmi, sync: FakeSync
) -> None:
    """A stop, the machine link lost and the server offline at once, in German: the longest
    words. Every header field stays inside the window with the clock, the abnormal ones say
    their value in full, and the machine panel's words stay inside the panel."""
    await stop_the_filler(hmi)
    await tap(hmi, "deferReason")
    now = utc_now()
    sync.push(
        SyncStatus(
            online=False,
            waiting=120,
            oldest_waiting_at=now - timedelta(hours=2),
            last_error="connection refused",
            next_attempt_at=now + timedelta(seconds=40),
        )
    )
    machine(hmi).drop_connection()
    await until(lambda: hmi.station_vm is not None and hmi.station_vm.connection == "lost")
    await next_frame(hmi)
    assert hmi.window is not None
    window = QRectF(0, 0, hmi.window.width(), hmi.window.height())

    header = [
        "headerWhere",
        "headerState",
        "headerOrder",
        "headerPerson",
        "headerConnection",
        "headerRecord",
        "headerSync",
        "headerClock",
    ]
    outside = [n for n in header if not window.contains(scene_rect(item(hmi, n)))]
    assert outside == [], f"header fields past the window's edge: {outside}"
    for name in ("headerState", "headerConnection", "headerSync"):
        badge = item(hmi, name)
        assert badge.property("abnormal"), name
        assert not badge.property("valueElided"), f"{name} cut: {badge.property('value')!r}"

    panel = item(hmi, "machinePanel")
    bounds = scene_rect(panel).adjusted(-1, -1, 1, 1)
    spilled = [
        str(t.property("text"))
        for t in texts_under(panel)
        if not bounds.contains(scene_rect(t)) or t.property("truncated")
    ]
    assert spilled == [], f"machine panel words cut or past its edge: {spilled}"


@pytest.mark.parametrize("station_config", ["en"], indirect=True)
async def test_counts_read_as_english_plurals(hmi: Hmi) -> None:
    """One stop without a reason is "1 stop", not "1 stops" (English plural forms ship)."""
    await stop_the_filler(hmi)
    await tap(hmi, "deferReason")
    enter_badge(hmi, "2001")  # Marco Rossi, team lead
    await until(lambda: item(hmi, "roleUncoded").isVisible())
    assert item(hmi, "roleUncoded").property("text") == "1 stop without reason"
    assert "1 without reason" in item(hmi, "uncodedBadge").childItems()[0].property("text")
