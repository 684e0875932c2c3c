"""A ledger on a real SQLite outbox, with a small filler reason tree and shift calendar."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from lineside.domain.context import ContextSource, Fallback
from lineside.domain.machine_state import MachineSignals
from lineside.domain.master_data import Break, Shift, ShiftRecord
from lineside.domain.reasons import ReasonNode, ReasonTree
from lineside.offline.store import AsyncStore
from lineside.station.ledger import EquipmentSetup, Ledger

T0 = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
TREE = ReasonTree(
    tree_id="filler",
    version="3",
    equipment_class="filler",
    roots=(
        ReasonNode(
            code="MECH",
            label="Mechanical",
            children=(
                ReasonNode(code="MECH.JAM", label="Jam"),
                ReasonNode(code="MECH.CAPPER", label="Capper"),
            ),
        ),
        ReasonNode(
            code="OPS",
            label="Operations",
            children=(
                ReasonNode(code="OPS.BREAK", label="Break"),
                ReasonNode(code="OPS.DONE", label="Order complete"),
                ReasonNode(code="OPS.CHANGEOVER", label="Changeover"),
            ),
        ),
        ReasonNode(
            code="PERF",
            label="Short stops",
            children=(ReasonNode(code="PERF.MICRO", label="Micro-stop"),),
        ),
    ),
)
SETUP = EquipmentSetup(
    equipment_id="Filler",
    equipment_class="filler",
    micro_stop_threshold=timedelta(seconds=30),
    micro_stop_reason="PERF.MICRO",
    plc_reasons={17: "MECH.JAM"},
    planned_state_reasons={17: "OPS.DONE"},
    break_reason="OPS.BREAK",
    changeover_reason="OPS.CHANGEOVER",
)
CALENDAR = ShiftRecord(
    calendar_id="Plant",
    shifts=(
        Shift(
            name="Early",
            start=clock_time(6),
            end=clock_time(14),
            weekdays=(0, 1, 2, 3, 4, 5, 6),
            breaks=(Break(start=clock_time(9), end=clock_time(9, 15)),),
        ),
        Shift(
            name="Late", start=clock_time(14), end=clock_time(22), weekdays=(0, 1, 2, 3, 4, 5, 6)
        ),
        Shift(
            name="Night", start=clock_time(22), end=clock_time(6), weekdays=(0, 1, 2, 3, 4, 5, 6)
        ),
    ),
)
UTC_ZONE = ZoneInfo("UTC")


def source(calendar: ShiftRecord | None = CALENDAR, tz: ZoneInfo = UTC_ZONE) -> ContextSource:
    """The context source of the test filler (calendar in UTC unless told)."""
    return ContextSource(
        line="Line1",
        station="L1-FILLER",
        equipment="Filler",
        tz=tz,
        calendar=calendar,
        fallback=Fallback(order="4711", operation="0010 Fill", product="Water"),
    )


class Clock:
    """A settable clock for the ledger."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def open_ledger(
    db: Path,
    *,
    clock: Clock | None = None,
    cap: int | None = None,
    busy_timeout_ms: int = 5000,
    setup: EquipmentSetup = SETUP,
    **kwargs: Any,
) -> Ledger:
    """A ledger on the record at `db`, opened (projections rebuilt)."""
    store = AsyncStore(db, busy_timeout_ms, cap=cap)
    await store.open()
    ledger = Ledger(
        store,
        setup,
        kwargs.pop("context", source()),
        reason_tree=TREE,
        clock=clock or Clock(),
        **kwargs,
    )
    await ledger.open()
    return ledger


async def close_ledger(ledger: Ledger) -> None:
    """Finish every commit and close the record."""
    await ledger.flush()
    await ledger.store.close()


def signals(
    at: datetime,
    state: int,
    reason: int = 0,
    *,
    received: datetime | None = None,
    good: int | None = None,
    defective: int | None = None,
    **more: Any,
) -> MachineSignals:
    """A PackML snapshot whose state changed at `at`."""
    return MachineSignals(
        changed_at=at,
        received_at=received or at,
        state_current=state,
        stop_reason_id=reason or None,
        good_count=good,
        defective_count=defective,
        **more,
    )


async def wait_for(probe: Callable[[], bool], what: str, within: float = 10.0) -> None:
    """Let the loop run until `probe()` holds; fail after `within` s."""
    deadline = time.monotonic() + within
    while not probe():
        assert time.monotonic() < deadline, f"not reached within {within} s: {what}"
        await asyncio.sleep(0.01)
