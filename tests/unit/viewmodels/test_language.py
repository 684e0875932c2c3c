"""Viewmodels name reasons and PLC reasons in the screen's language; the history in plant time."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from lineside.domain.plant_time import PlantClock
from lineside.domain.reasons import ReasonTree
from lineside.station.commands import downtime
from lineside.viewmodels.reason_prompt import ReasonPromptViewModel
from lineside.viewmodels.stop_list import StopListViewModel
from tests.support.ledger import T0, TREE, Clock, close_ledger, open_ledger, signals

BERLIN = PlantClock(ZoneInfo("Europe/Berlin"))  # T0 (06:00 UTC) is 07:00 there
GERMAN = {
    "MECH": "Mechanik",
    "MECH.JAM": "Stau",
    "MECH.CAPPER": "Verschließer",
    "OPS": "Betrieb",
    "PERF": "Kurzstillstände",
}


def german(tree: ReasonTree) -> ReasonTree:
    """The test tree with German names for some of its reasons."""
    data = tree.model_dump(mode="json")

    def name(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            if node["code"] in GERMAN:
                node["labels"] = {"de": GERMAN[node["code"]]}
            name(node["children"])

    name(data["roots"])
    return ReasonTree.model_validate(data)


async def test_the_prompt_names_the_reasons_and_the_plc_reason_in_its_language(
    tmp_path: Path, qapp: Any
) -> None:
    rec = await open_ledger(tmp_path / "s.db")
    rec.reason_tree = german(TREE)
    prompt = ReasonPromptViewModel(rec, BERLIN)
    changes: list[str] = []
    prompt.language_changed.connect(lambda: changes.append(prompt.suggested_label))
    rec.on_signals(signals(T0, 6))
    rec.on_signals(signals(T0 + timedelta(seconds=1), 11, reason=17))
    assert prompt.visible
    assert prompt.suggested_label == "Mechanical › Jam"
    assert prompt.plc_text == "Machine reports: 17 Jam"

    prompt.set_language("de_DE")  # as the language switch does at sign-in
    assert changes == ["Mechanik › Stau"]
    assert [c["label"] for c in prompt.choices] == ["Mechanik", "Betrieb", "Kurzstillstände"]
    assert prompt.plc_text.endswith("17 Stau")
    prompt.choose("MECH")
    assert prompt.breadcrumb == "Mechanik"
    assert [c["label"] for c in prompt.choices] == ["Stau", "Verschließer"]

    prompt.set_language("en_US")  # signed out: the station's language again
    assert prompt.breadcrumb == "Mechanical"
    assert [c["label"] for c in prompt.choices] == ["Jam", "Capper"]
    assert prompt.suggested_label == "Mechanical › Jam"
    await close_ledger(rec)


async def test_the_history_shows_names_and_plant_time_in_the_lists_language(
    tmp_path: Path, qapp: Any
) -> None:
    clock = Clock(T0 + timedelta(minutes=10))
    rec = await open_ledger(tmp_path / "s.db", clock=clock)
    rec.reason_tree = german(TREE)
    vm = StopListViewModel(rec, BERLIN, now=clock)
    rec.on_signals(signals(T0, 6))
    rec.on_signals(signals(T0 + timedelta(seconds=5), 11))
    rec.on_signals(signals(T0 + timedelta(minutes=5, seconds=5), 6))
    (stop_id,) = rec.stops
    await downtime.code(rec, stop_id, "MECH.JAM")
    await downtime.recode(rec, stop_id, "MECH.CAPPER", "")
    await downtime.split(rec, stop_id, T0 + timedelta(minutes=2, seconds=35))
    vm.set_language("de_DE")
    history = vm.model.row_of(stop_id)
    assert history is not None
    assert history["reason_text"] == "Mechanik › Verschließer"
    lines = history["history_text"].splitlines()
    assert lines[0].endswith("coded Mechanik › Stau")  # no translator here: only the names
    assert lines[1].endswith("changed Mechanik › Stau → Mechanik › Verschließer")
    assert lines[2].endswith("split at 07:02:35")  # plant time, not "06:02:35+00:00"
    assert "T06:" not in history["history_text"]

    vm.set_language("en_US")
    again = vm.model.row_of(stop_id)
    assert again is not None
    assert again["reason_text"] == "Mechanical › Capper"
    await close_ledger(rec)
