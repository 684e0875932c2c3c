"""What the sync engine tells the screen: how far behind the station is, and why."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

CLOCK_WARNING_S = 2.0
"""A station clock further than this from the server's gets a visible warning."""


@dataclass(frozen=True)
class QuarantinedEvent:
    """An event the server rejected; kept until a team lead retries or exports it."""

    seq: int
    event_id: str
    type: str
    occurred_at: datetime
    reason: str
    quarantined_at: datetime
    attempts: int
    retrying: bool = False
    """A team lead asked to send it again; it stays listed until the server accepts it."""


@dataclass(frozen=True)
class SyncStatus:
    """A snapshot of the station's sync state; the engine publishes a new one on each change."""

    online: bool = False
    """The last exchange with the server succeeded."""
    waiting: int = 0
    """Committed events the server has not confirmed yet (quarantined ones not counted)."""
    oldest_waiting_at: datetime | None = None
    """When the oldest waiting event was committed (UTC)."""
    quarantined: int = 0
    """Events the server rejected, kept in quarantine."""
    last_delivered_at: datetime | None = None
    """When the server last confirmed events (UTC)."""
    last_error: str = ""
    """Why the last attempt failed, in words for a team lead; empty when it did not."""
    next_attempt_at: datetime | None = None
    """When the next attempt is due while backing off (UTC)."""
    clock_offset_s: float | None = None
    """Server clock minus station clock, estimated from the last exchange."""
    master_data_at: datetime | None = None
    """When the cached master data was last refreshed from the server (UTC)."""
    input_blocked: str = ""
    """Why new operator input is refused (outbox past its cap, disk full); empty when it is not."""
    assets_waiting: int = 0
    """Images of work-instruction steps that master data names and the station lacks yet."""

    @property
    def clock_warning(self) -> bool:
        """The station clock is off by more than CLOCK_WARNING_S."""
        return self.clock_offset_s is not None and abs(self.clock_offset_s) > CLOCK_WARNING_S


class SyncControl(Protocol):
    """What the screen may ask of the sync engine (it never waits on the network)."""

    def subscribe(self, on_status: Callable[[SyncStatus], None]) -> None:
        """Call `on_status` with every new status (on the event loop's thread)."""

    def sync_now(self) -> None:
        """Try now instead of waiting out the backoff (a team lead's "retry now")."""

    async def quarantine(self) -> list[QuarantinedEvent]:
        """The quarantined events, oldest first."""

    async def retry_quarantined(self, seqs: Sequence[int]) -> None:
        """Send these quarantined events again; they leave quarantine once accepted."""

    async def export_quarantine(self, directory: Path) -> Path:
        """Write the quarantined events (whole, as JSON lines) to a new file; returns it."""
