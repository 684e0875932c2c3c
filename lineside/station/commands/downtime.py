"""Downtime commands: code, recode, split and defer a stop."""

from __future__ import annotations

from datetime import datetime

from lineside.domain.events import (
    DowntimeCoded,
    DowntimeDeferred,
    DowntimeRecoded,
    DowntimeSplit,
    new_id,
)
from lineside.station.ledger import Ledger, Refused


async def code(ledger: Ledger, stop_id: str, reason: str) -> None:
    """Give a stop its reason (a recode when it already has one)."""
    stop = ledger.require_stop(stop_id)
    if stop.coded:
        await recode(ledger, stop_id, reason, why="")
        return
    path, tree_id, version = ledger.reason_path(reason)
    payload = DowntimeCoded(
        stop_id=stop.stop_id,
        reason=reason,
        reason_path=path,
        tree_id=tree_id,
        tree_version=version,
    )
    await ledger.commit([payload], by=ledger.person)


async def recode(ledger: Ledger, stop_id: str, reason: str, why: str) -> None:
    """Change a stop's reason; the old one stays in the record."""
    stop = ledger.require_stop(stop_id)
    if stop.reason == reason:
        return
    path, tree_id, version = ledger.reason_path(reason)
    payload = DowntimeRecoded(
        stop_id=stop.stop_id,
        old_reason=stop.reason or "",
        new_reason=reason,
        new_reason_path=path,
        tree_id=tree_id,
        tree_version=version,
        why=why,
    )
    await ledger.commit([payload], by=ledger.person)


async def split(ledger: Ledger, stop_id: str, at: datetime) -> str:
    """Split a stop in two at `at`; returns the id of the second part."""
    stop = ledger.require_stop(stop_id)
    end = stop.ended_at or ledger.clock()
    if not stop.started_at < at < end:
        raise Refused("split_outside_stop")
    new_stop_id = new_id()
    payload = DowntimeSplit(stop_id=stop.stop_id, at=at, new_stop_id=new_stop_id)
    await ledger.commit([payload], by=ledger.person)
    return new_stop_id


async def defer(ledger: Ledger, stop_id: str) -> None:
    """Leave the reason for later; the stop stays marked for a person."""
    stop = ledger.require_stop(stop_id)
    if stop.coded or stop.deferred:
        return
    await ledger.commit([DowntimeDeferred(stop_id=stop.stop_id)], by=ledger.person)
