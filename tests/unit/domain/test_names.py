"""Names per language in master data: the screen's language, else the default name."""

from __future__ import annotations

import json
from datetime import time
from pathlib import Path

import pytest
from pydantic import ValidationError

from lineside.domain.master_data import PlantFile, Shift
from lineside.domain.names import name_in
from lineside.domain.people import Person
from lineside.domain.reasons import ReasonNode, ReasonTree

ROOT = Path(__file__).resolve().parents[3]
JAM = ReasonNode(code="MECH.JAM", label="Bottle jam", labels={"de": "Flaschenstau"})
TREE = ReasonTree(
    tree_id="filler",
    version="1",
    equipment_class="filler",
    roots=(
        ReasonNode(code="MECH", label="Mechanical", labels={"de": "Mechanik"}, children=(JAM,)),
    ),
)


def test_a_name_is_given_in_the_language_asked_else_the_default() -> None:
    assert JAM.name("de") == "Flaschenstau"
    assert JAM.name("de_AT") == "Flaschenstau"  # a country falls back to its language
    assert JAM.name("fr") == "Bottle jam"
    assert JAM.name(None) == "Bottle jam"
    assert name_in("Early", {"de_AT": "Früh"}, "de_AT") == "Früh"
    assert TREE.label_path("MECH.JAM", "de_DE") == "Mechanik › Flaschenstau"
    assert TREE.label_path("MECH.JAM") == "Mechanical › Bottle jam"


def test_shifts_and_breaks_have_names_per_language() -> None:
    shift = Shift.model_validate(
        {
            "name": "Early",
            "labels": {"de": "Früh"},
            "start": "06:00",
            "end": "14:00",
            "breaks": [{"start": "09:00", "end": "09:15", "labels": {"de": "Pause"}}],
        }
    )
    assert (shift.label("de"), shift.label("en"), shift.name) == ("Früh", "Early", "Early")
    assert (shift.breaks[0].label("de"), shift.breaks[0].label()) == ("Pause", "Break")
    assert shift.start == time(6)


def test_a_record_without_names_is_stored_as_before_and_names_cannot_change() -> None:
    plain = ReasonNode(code="X", label="Other")
    assert plain.model_dump(mode="json") == {
        "code": "X",
        "label": "Other",
        "category": None,
        "children": [],
    }
    assert JAM.model_dump(mode="json")["labels"] == {"de": "Flaschenstau"}
    assert hash(TREE) == hash(TREE.model_copy())  # calendars and trees are cache keys
    with pytest.raises(TypeError):
        JAM.labels["de"] = "Stau"  # type: ignore[index]


@pytest.mark.parametrize(
    "labels", [{"german": "Stau"}, {"DE": "Stau"}, {"de": ""}, {"de-AT": "Stau"}]
)
def test_a_language_is_a_code_and_a_name_is_not_empty(labels: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        ReasonNode(code="X", label="Other", labels=labels)


def test_a_person_may_prefer_a_language() -> None:
    anna = Person(person_id="P-1", name="Anna Berg", badge="1001")
    assert anna.language is None
    assert "language" not in anna.model_dump(mode="json")
    emre = Person(person_id="P-2", name="Emre Yilmaz", badge="1002", language="de")
    assert emre.model_dump(mode="json")["language"] == "de"
    with pytest.raises(ValidationError):
        Person(person_id="P-3", name="X", badge="1003", language="German")


def test_the_demo_plant_names_every_reason_and_shift_in_german() -> None:
    plant = PlantFile.model_validate_json(
        (ROOT / "lineside" / "server" / "demo_plant.json").read_text(encoding="utf-8")
    )
    same = {"Material"}  # the same word in German
    for tree in plant.reason_tree:
        missing = [n.code for n, _ in tree.walk() if "de" not in n.labels and n.label not in same]
        assert missing == [], f"tree {tree.tree_id} lacks German names"
    for calendar in plant.shift:
        assert all("de" in s.labels for s in calendar.shifts)
        assert all("de" in b.labels for s in calendar.shifts for b in s.breaks)
    assert [p.person_id for p in plant.person if p.language == "de"] == ["P-1002"]
    station = json.loads(
        (ROOT / "lineside" / "app" / "demo" / "reasons.json").read_text(encoding="utf-8")
    )
    (filler,) = [ReasonTree.model_validate(t) for t in station["trees"] if t["tree_id"] == "filler"]
    assert filler.label_path("MECH.JAM.INFEED", "de") == "Mechanik › Flaschenstau Einlauf"
