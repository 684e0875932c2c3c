"""The machine connection the station listens to: its states, protocol and in-process twin."""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, NamedTuple, Protocol, TypeVar, get_args

from lineside.domain.machine_state import SIGNAL_NAMES, MachineSignals

_log = logging.getLogger(__name__)

# Signals whose source timestamp says when the machine's condition last changed.
CONDITION_SIGNALS: frozenset[str] = frozenset(
    {
        "state_current",
        "running",
        "machinery_item_state",
        "starved",
        "blocked",
        "unit_mode",
        "planned_stop",
    }
)
# Signals where every change counts (a short stop, a first-out reason); the rest (counters,
# speed) only need their latest value.
EVERY_CHANGE_SIGNALS: frozenset[str] = CONDITION_SIGNALS | {
    "stop_reason_id",
    "stop_reason_message",
}

SignalValue = int | bool | float | str | None
Quality = Literal["good", "uncertain", "bad"]
"""OPC UA value quality: a Bad value is unusable, an Uncertain one is kept but doubted."""
QUALITIES: tuple[Quality, ...] = get_args(Quality)
_T = TypeVar("_T")


class ConnectionState(enum.StrEnum):
    """How the station's link to the machine stands, as the header shows it."""

    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    LOST = "lost"


@dataclass(frozen=True)
class ConnectionStatus:
    """A connection state, since when it holds (UTC) and an operator/admin readable detail."""

    state: ConnectionState
    since: datetime
    detail: str
    # CONNECTED only: the server's start time (None if unreadable). A PLC or gateway restarted
    # as a new process has a new one, and stamps fresh source timestamps.
    server_started_at: datetime | None = None


class MachineConnection(Protocol):
    """A source of machine signal snapshots with an explicit connection state."""

    @property
    def status(self) -> ConnectionStatus:
        """The current connection status."""
        ...

    @property
    def signals(self) -> MachineSignals | None:
        """The latest snapshot, kept through an outage; None before the first one."""
        ...

    def subscribe(
        self,
        on_signals: Callable[[MachineSignals], None],
        on_status: Callable[[ConnectionStatus], None],
    ) -> None:
        """Register listeners for snapshots and status changes (called on the event loop)."""
        ...

    async def start(self) -> None:
        """Start connecting in the background; returns at once."""
        ...

    async def stop(self) -> None:
        """Disconnect and cancel all background work."""
        ...


class Change(NamedTuple):
    """One signal taking a value of some quality at a moment (UTC)."""

    signal: str
    value: SignalValue
    at: datetime
    quality: Quality = "good"


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


def split_changes(changes: Iterable[Change]) -> list[list[Change]]:
    """Group changes in order so no signal changes twice in a group: no state change is lost."""
    groups: list[list[Change]] = []
    seen: set[str] = set()
    for change in changes:
        if not groups or change.signal in seen:
            groups.append([])
            seen.clear()
        groups[-1].append(change)
        seen.add(change.signal)
    return groups


class SignalTable:
    """The latest value and change time of each signal, turned into snapshots."""

    def __init__(self) -> None:
        self._latest: dict[str, Change] = {}

    def apply(self, changes: Iterable[Change]) -> None:
        """Take the changes as the signals' current values."""
        for change in changes:
            self._latest[change.signal] = change

    def covers(self, signals: Iterable[str]) -> bool:
        """True once every one of the signals has a value."""
        return all(signal in self._latest for signal in signals)

    def copy(self) -> SignalTable:
        """An independent table with the same values."""
        table = SignalTable()
        table.apply(self._latest.values())
        return table

    def get(self, signal: str) -> Change | None:
        """The signal's latest change, None before it has a value."""
        return self._latest.get(signal)

    def restamp(self, at: datetime) -> None:
        """Stamp every signal's latest change `at`, as a restarted server stamps its values."""
        self._latest = {signal: c._replace(at=at) for signal, c in self._latest.items()}

    def snapshot(self, received_at: datetime) -> MachineSignals:
        """A snapshot whose `changed_at` is the newest condition change; Bad values are None."""
        latest = self._latest.values()
        condition_times = [c.at for c in latest if c.signal in CONDITION_SIGNALS]
        values: dict[str, Any] = {c.signal: None if c.quality == "bad" else c.value for c in latest}
        return MachineSignals(
            changed_at=max(condition_times, default=received_at),
            received_at=received_at,
            bad=frozenset(c.signal for c in latest if c.quality == "bad"),
            uncertain=frozenset(c.signal for c in latest if c.quality == "uncertain"),
            **values,
        )


class MachineBase:
    """Status, snapshot and listener bookkeeping shared by the machine connection and its twin."""

    def __init__(self, *, lost_after_s: float, not_started_detail: str) -> None:
        self._lost_after_s = lost_after_s
        self._listeners: list[
            tuple[Callable[[MachineSignals], None], Callable[[ConnectionStatus], None]]
        ] = []
        self._status = ConnectionStatus(ConnectionState.CONNECTING, utcnow(), not_started_detail)
        self._signals: MachineSignals | None = None
        self._lost_timer: asyncio.TimerHandle | None = None

    @property
    def status(self) -> ConnectionStatus:
        """The current connection status."""
        return self._status

    @property
    def signals(self) -> MachineSignals | None:
        """The latest snapshot, kept through an outage; None before the first one."""
        return self._signals

    def subscribe(
        self,
        on_signals: Callable[[MachineSignals], None],
        on_status: Callable[[ConnectionStatus], None],
    ) -> None:
        """Register listeners for snapshots and status changes (called on the event loop)."""
        self._listeners.append((on_signals, on_status))

    def _begin_outage(self, state: ConnectionState, detail: str) -> None:
        """Start an outage now (at start or when a drop is noticed) and arm the LOST timer."""
        self._cancel_lost_timer()
        loop = asyncio.get_running_loop()
        self._lost_timer = loop.call_later(self._lost_after_s, self._mark_lost)
        self._set_status(ConnectionStatus(state, utcnow(), detail))

    def _outage_detail(self, detail: str) -> None:
        """Say why the outage goes on; a failed first attempt turns CONNECTING to RECONNECTING."""
        state = self._status.state
        if state is not ConnectionState.LOST:
            state = ConnectionState.RECONNECTING
        self._set_status(ConnectionStatus(state, self._status.since, detail))

    def _mark_lost(self) -> None:
        self._lost_timer = None
        self._set_status(
            ConnectionStatus(ConnectionState.LOST, self._status.since, self._status.detail)
        )

    def _cancel_lost_timer(self) -> None:
        if self._lost_timer is not None:
            self._lost_timer.cancel()
            self._lost_timer = None

    def _deliver(
        self,
        snapshot: MachineSignals,
        connected_detail: str,
        server_started_at: datetime | None,
    ) -> None:
        """Publish a snapshot; the first one of a connection also makes the status CONNECTED."""
        self._signals = snapshot
        if self._status.state is not ConnectionState.CONNECTED:
            self._cancel_lost_timer()
            self._set_status(
                ConnectionStatus(
                    ConnectionState.CONNECTED,
                    snapshot.received_at,
                    connected_detail,
                    server_started_at,
                )
            )
        for on_signals, _ in list(self._listeners):
            _call_listener(on_signals, snapshot)

    def _set_status(self, status: ConnectionStatus) -> None:
        """Take and announce a status; an identical status is not announced again."""
        if status == self._status:
            return
        self._status = status
        outage = status.state in (ConnectionState.RECONNECTING, ConnectionState.LOST)
        _log.log(
            logging.WARNING if outage else logging.INFO,
            "machine %s: %s",
            status.state,
            status.detail,
        )
        for _, on_status in list(self._listeners):
            _call_listener(on_status, status)


def _call_listener(listener: Callable[[_T], None], argument: _T) -> None:
    """Call a listener so that its failure cannot stop the connection."""
    try:
        listener(argument)
    except Exception:
        _log.exception("machine listener %r failed", listener)


def check_signal_names(names: Iterable[str]) -> None:
    """Raise ValueError naming the first name that is not a known signal."""
    for name in names:
        if name not in SIGNAL_NAMES:
            known = ", ".join(SIGNAL_NAMES)
            raise ValueError(f"unknown machine signal {name!r}; known signals: {known}")


_SIM = "simulated machine"


class SimMachine(MachineBase):
    """In-process twin of the OPC UA machine, with the same publishing ticks and outage timing.

    `set()` and `set_quality()` change signals as a PLC would; listeners hear about it at the
    next publishing tick, one snapshot per tick unless a signal that keeps every change changed
    twice. `restart_server()` plays a server restarted as a new process.
    """

    def __init__(self, *, publishing_interval_ms: int = 100, lost_after_s: float = 5.0) -> None:
        super().__init__(lost_after_s=lost_after_s, not_started_detail=f"{_SIM}: not started")
        self._interval_s = publishing_interval_ms / 1000
        self._plc = SignalTable()
        self._seen = SignalTable()
        self._pending: list[Change] = []
        self._tick: asyncio.TimerHandle | None = None
        self._running = False
        self._link_up = False
        self._server_started_at = utcnow()
        self._restarting = False

    async def start(self) -> None:
        """Connect at the next publishing tick (status CONNECTING until then)."""
        if self._running:
            return
        self._running = True
        self._begin_outage(ConnectionState.CONNECTING, f"{_SIM}: connecting")
        self._schedule_tick()

    async def stop(self) -> None:
        """Cancel every timer; nothing is delivered afterwards."""
        self._running = False
        self._link_up = False
        self._pending.clear()
        self._cancel_lost_timer()
        if self._tick is not None:
            self._tick.cancel()
            self._tick = None

    def set(self, **signals: SignalValue) -> None:
        """Change signals now (condition changes are stamped now); delivered at the next tick."""
        check_signal_names(signals)
        now = utcnow()
        for signal, value in signals.items():
            current = self._plc.get(signal)
            if current is None:
                self._change(Change(signal, value, now))
            elif current.value != value:
                self._change(current._replace(value=value, at=now))

    def set_quality(self, signal: str, quality: Quality) -> None:
        """Give a signal's value a quality now, stamped now; delivered at the next tick."""
        check_signal_names([signal])
        if quality not in QUALITIES:
            raise ValueError(f"quality {quality!r} is not one of {', '.join(QUALITIES)}")
        current = self._plc.get(signal)
        if current is None:
            self._change(Change(signal, None, utcnow(), quality))
        elif current.quality != quality:
            self._change(current._replace(at=utcnow(), quality=quality))

    def _change(self, change: Change) -> None:
        """Take a PLC change; queue it for the next tick while the link is up."""
        self._plc.apply([change])
        if not self._link_up:
            return
        if change.signal not in EVERY_CHANGE_SIGNALS:
            self._pending = [c for c in self._pending if c.signal != change.signal]
        self._pending.append(change)
        self._schedule_tick()

    def restart_server(self) -> None:
        """Drop the link; back (`restore_connection`), a new start time stamps every value."""
        self._restarting = True
        self.drop_connection()

    def drop_connection(self) -> None:
        """Lose the link: RECONNECTING at once, LOST after `lost_after_s`."""
        was_up, self._link_up = self._link_up, False
        self._pending.clear()
        if self._tick is not None:
            self._tick.cancel()
            self._tick = None
        if was_up:
            self._begin_outage(
                ConnectionState.RECONNECTING, f"{_SIM}: connection lost; reconnecting"
            )

    def restore_connection(self) -> None:
        """Get the link back: CONNECTED with a fresh snapshot at the next publishing tick."""
        if self._restarting:
            self._restarting = False
            self._server_started_at = utcnow()
            self._plc.restamp(self._server_started_at)
        if self._running and not self._link_up:
            self._schedule_tick()

    def _schedule_tick(self) -> None:
        if self._tick is not None:
            return
        loop = asyncio.get_running_loop()
        delay = self._interval_s - loop.time() % self._interval_s
        self._tick = loop.call_later(delay, self._on_tick)

    def _on_tick(self) -> None:
        self._tick = None
        if not self._link_up:
            self._link_up = True
            self._pending.clear()
            self._seen = self._plc.copy()
            self._deliver(
                self._seen.snapshot(utcnow()), f"{_SIM}: connected", self._server_started_at
            )
            return
        pending, self._pending = self._pending, []
        for group in split_changes(pending):
            self._seen.apply(group)
            self._deliver(
                self._seen.snapshot(utcnow()), f"{_SIM}: connected", self._server_started_at
            )
