"""Reason trees: paths, levels, and a warning when a level offers more than nine choices."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from lineside.domain.reasons import ReasonNode, ReasonTree


def tree(children: int) -> ReasonTree:
    leaves = tuple(ReasonNode(code=f"M.{i}", label=f"Fault {i}") for i in range(children))
    return ReasonTree(
        tree_id="t",
        version="1",
        equipment_class="filler",
        roots=(ReasonNode(code="M", label="Mechanical", children=leaves),),
    )


def test_paths_and_levels() -> None:
    t = tree(3)
    assert [n.code for n in t.choices(None)] == ["M"]
    assert [n.code for n in t.choices("M")] == ["M.0", "M.1", "M.2"]
    assert t.label_path("M.1") == "Mechanical › Fault 1"
    assert t.path("nope") == ()


def test_nine_choices_are_fine_ten_are_flagged() -> None:
    assert tree(9).warnings() == []
    (warning,) = tree(10).warnings()
    assert "10 choices under 'M'" in warning


def test_codes_must_be_unique() -> None:
    dup = ReasonNode(code="M", label="again")
    with pytest.raises(ValidationError, match="appears twice"):
        ReasonTree(tree_id="t", version="1", equipment_class="c", roots=(dup, dup))
