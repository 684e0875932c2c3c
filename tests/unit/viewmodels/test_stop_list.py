"""The stop list updates the rows a change touched instead of rebuilding every row."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, Qt

from lineside.domain.plant_time import PlantClock
from lineside.station.commands import downtime
from lineside.viewmodels.stop_list import ROLES, StopListModel, StopListViewModel
from tests.support.ledger import T0, Clock, close_ledger, open_ledger, signals

PLANT = PlantClock(ZoneInfo("UTC"))


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


def shown(vm: StopListViewModel) -> list[dict[str, Any]]:
    model = vm.model
    return [
        {
            name: model.data(model.index(i), int(Qt.ItemDataRole.UserRole) + n)
            for n, name in enumerate(ROLES)
        }
        for i in range(model.rowCount(QModelIndex()))
    ]


async def test_a_busy_day_list_changes_only_the_touched_rows_and_stays_equal_to_a_rebuild(
    tmp_path: Path, qapp: Any
) -> None:
    clock = Clock(T0)
    ledger = await open_ledger(tmp_path / "s.db", clock=clock)
    at = T0
    for _ in range(30):  # 30 stops of 40 s, a minute apart
        ledger.on_signals(signals(at, 6))
        ledger.on_signals(signals(at + timedelta(seconds=20), 11, 17))
        at += timedelta(minutes=1)
    ledger.on_signals(signals(at, 6))
    await ledger.flush()
    clock.now = at
    vm = StopListViewModel(ledger, PLANT, now=clock)
    log: list[str] = []
    vm.model.modelReset.connect(lambda: log.append("reset"))
    vm.model.rowsInserted.connect(lambda _p, first, _last: log.append(f"insert {first}"))
    vm.model.dataChanged.connect(lambda a, _b, _r=None: log.append(f"changed {a.row()}"))
    ids = [row["stop_id"] for row in shown(vm)]
    assert len(ids) == 30
    assert vm.uncoded_count == 30

    def rebuilt() -> list[dict[str, Any]]:
        return shown(StopListViewModel(ledger, PLANT, now=clock))

    await downtime.code(ledger, ids[20], "MECH.CAPPER")  # an old stop, coded late
    assert log == ["changed 20"]
    assert shown(vm)[20]["reason_text"] == "Mechanical › Capper"
    assert vm.uncoded_count == 29
    assert shown(vm) == rebuilt()

    ledger.on_signals(signals(at + timedelta(seconds=5), 11, 17))  # a new stop comes on top
    await ledger.flush()
    assert log[1:] == ["insert 0"]
    new = shown(vm)[0]["stop_id"]
    assert new not in ids
    assert shown(vm) == rebuilt()

    clock.now = at + timedelta(seconds=45)
    piece = await downtime.split(ledger, new, at + timedelta(seconds=25))  # the open stop
    rows = shown(vm)
    assert [r["stop_id"] for r in rows[:3]] == [piece, new, ids[0]]
    assert rows[0]["is_open"]
    assert not rows[1]["is_open"]
    assert "reset" not in log
    assert rows == rebuilt()
    await close_ledger(ledger)
