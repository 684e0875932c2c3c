"""The prompt viewmodel without QML: when it opens, closes, and asks again after a restart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from lineside.domain.machine_state import MachineSignals
from lineside.domain.plant_time import PlantClock
from lineside.viewmodels.reason_prompt import ReasonPromptViewModel
from tests.support.ledger import close_ledger, open_ledger

T0 = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
SHORT = timedelta(seconds=20)
CLOCK = PlantClock(ZoneInfo("Europe/Berlin"))


def held(at: datetime, state: int = 11) -> MachineSignals:
    return MachineSignals(changed_at=at, received_at=at, state_current=state, stop_reason_id=17)


async def test_a_stop_opens_the_prompt_with_the_suggestion_and_a_micro_stop_closes_it(
    tmp_path: Path, qapp: Any
) -> None:
    rec = await open_ledger(tmp_path / "s.db")
    prompt = ReasonPromptViewModel(rec, CLOCK)
    rec.on_signals(held(T0, 6))
    assert not prompt.visible
    rec.on_signals(held(T0 + timedelta(seconds=1)))
    assert prompt.visible
    assert prompt.suggested_label == "Mechanical › Jam"
    assert [c["code"] for c in prompt.choices] == ["MECH", "OPS", "PERF"]
    rec.on_signals(held(T0 + SHORT, 6))
    assert not prompt.visible
    await close_ledger(rec)


async def test_after_a_restart_mid_stop_the_prompt_asks_again(tmp_path: Path, qapp: Any) -> None:
    first = await open_ledger(tmp_path / "s.db")
    first.on_signals(held(T0))
    await close_ledger(first)
    second = await open_ledger(tmp_path / "s.db")
    prompt = ReasonPromptViewModel(second, CLOCK)
    assert prompt.visible
    assert prompt.stop_id == next(iter(second.stops))
    await close_ledger(second)


async def test_a_planned_stop_never_asks_why(tmp_path: Path, qapp: Any) -> None:
    rec = await open_ledger(tmp_path / "s.db")
    prompt = ReasonPromptViewModel(rec, CLOCK)
    rec.on_signals(held(T0, 6))
    rec.on_signals(held(T0 + SHORT, 17))  # PackML Complete
    assert rec.open_stop is not None
    assert rec.open_stop.reason == "OPS.DONE"
    assert not prompt.visible
    await close_ledger(rec)


async def test_a_refused_reason_is_told_and_nothing_changes(tmp_path: Path, qapp: Any) -> None:
    rec = await open_ledger(tmp_path / "s.db", cap=1)
    prompt = ReasonPromptViewModel(rec, CLOCK)
    rec.on_signals(held(T0, 6))
    rec.on_signals(held(T0 + SHORT))
    await rec.flush()  # past the cap: operator input is refused
    prompt.choose_suggested()
    await prompt.wait_idle()
    assert prompt.visible
    assert "waiting for the server" in prompt.message
    assert rec.open_stop is not None
    assert not rec.open_stop.coded
    await close_ledger(rec)


def running(at: datetime) -> MachineSignals:
    return MachineSignals(changed_at=at, received_at=at, state_current=6, stop_reason_id=0)


async def test_a_new_stop_waits_for_an_operator_down_the_tree_and_is_asked_next(
    tmp_path: Path, qapp: Any
) -> None:
    rec = await open_ledger(tmp_path / "s.db")
    prompt = ReasonPromptViewModel(rec, CLOCK)
    rec.on_signals(running(T0))
    rec.on_signals(held(T0 + SHORT))
    first = prompt.stop_id
    prompt.choose("MECH")  # one level down: the operator is choosing
    rec.on_signals(running(T0 + 4 * SHORT))
    rec.on_signals(held(T0 + 5 * SHORT))  # the machine stops again meanwhile
    second = rec.open_stop
    assert second is not None
    assert second.stop_id != first

    assert prompt.stop_id == first  # the choice in progress stays on screen
    assert prompt.breadcrumb == "Mechanical"
    prompt.choose("MECH.CAPPER")
    await prompt.wait_idle()

    assert rec.stops[first].reason == "MECH.CAPPER"
    assert prompt.visible  # and the new stop is asked at once
    assert prompt.stop_id == second.stop_id
    assert prompt.mode == "prompt"
    assert not prompt.can_go_back
    await close_ledger(rec)


async def test_a_stop_coded_from_the_list_is_finished_before_a_new_stop_asks(
    tmp_path: Path, qapp: Any
) -> None:
    rec = await open_ledger(tmp_path / "s.db")
    prompt = ReasonPromptViewModel(rec, CLOCK)
    rec.on_signals(running(T0))
    rec.on_signals(held(T0 + SHORT))
    old = prompt.stop_id
    prompt.defer()
    await prompt.wait_idle()
    rec.on_signals(running(T0 + 4 * SHORT))
    prompt.open_for(old)  # the team lead codes an old stop from the list
    assert prompt.mode == "code"
    rec.on_signals(held(T0 + 5 * SHORT))
    new = rec.open_stop
    assert new is not None

    assert prompt.stop_id == old
    prompt.defer()  # "Later" on the old one
    await prompt.wait_idle()
    assert prompt.stop_id == new.stop_id
    assert prompt.mode == "prompt"
    await close_ledger(rec)


async def test_a_waiting_stop_that_ended_as_a_micro_stop_is_not_asked(
    tmp_path: Path, qapp: Any
) -> None:
    rec = await open_ledger(tmp_path / "s.db")
    prompt = ReasonPromptViewModel(rec, CLOCK)
    rec.on_signals(running(T0))
    rec.on_signals(held(T0 + SHORT))
    first = prompt.stop_id
    prompt.choose("MECH")
    rec.on_signals(running(T0 + 4 * SHORT))
    rec.on_signals(held(T0 + 5 * SHORT))
    rec.on_signals(running(T0 + 5 * SHORT + timedelta(seconds=3)))  # under the threshold
    prompt.choose("MECH.JAM")
    await prompt.wait_idle()

    assert rec.stops[first].reason == "MECH.JAM"
    assert not prompt.visible
    await close_ledger(rec)


async def test_a_new_stop_replaces_an_untouched_prompt_of_an_older_stop(
    tmp_path: Path, qapp: Any
) -> None:
    rec = await open_ledger(tmp_path / "s.db")
    prompt = ReasonPromptViewModel(rec, CLOCK)
    rec.on_signals(running(T0))
    rec.on_signals(held(T0 + SHORT))
    first = prompt.stop_id
    rec.on_signals(running(T0 + 4 * SHORT))  # a long stop ended, nobody answered yet
    rec.on_signals(held(T0 + 5 * SHORT))
    assert prompt.stop_id != first
    assert rec.open_stop is not None
    assert prompt.stop_id == rec.open_stop.stop_id
    await close_ledger(rec)
