"""The stop list model inserts new stops on top instead of rebuilding every row."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from lineside.viewmodels.stop_list import ROLES, StopListModel


def row(stop_id: str, reason: str = "") -> dict[str, Any]:
    return dict.fromkeys(ROLES, "") | {"stop_id": stop_id, "reason_text": reason}


def test_a_new_stop_is_inserted_and_a_recode_updates_one_row(qapp: Any) -> None:
    model = StopListModel()
    log: list[str] = []
    model.modelReset.connect(lambda: log.append("reset"))
    model.rowsInserted.connect(lambda _p, first, last: log.append(f"insert {first}-{last}"))
    model.dataChanged.connect(lambda a, _b, _r=None: log.append(f"changed {a.row()}"))

    model.set_rows([row("b"), row("a")])
    model.set_rows([row("c"), row("b", "Jam"), row("a")])
    model.set_rows([row("c"), row("b", "Capper"), row("a")])
    assert log == ["insert 0-1", "insert 0-0", "changed 1", "changed 1"]
    assert model.rowCount(QModelIndex()) == 3
    reason_role = int(Qt.ItemDataRole.UserRole) + ROLES.index("reason_text")
    assert model.data(model.index(1), reason_role) == "Capper"

    model.set_rows([row("a"), row("c")])  # a split or a removal reorders: rebuild
    assert log[-1] == "reset"
