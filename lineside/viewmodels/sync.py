"""The sync state in the header and on its detail screen: what waits, what the server refused."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    Property,
    QCoreApplication,
    QObject,
    QTimer,
    Signal,
    Slot,
)

from lineside.domain.events import utc_now
from lineside.domain.people import Role
from lineside.domain.plant_time import PlantClock
from lineside.offline.sync import TOKEN_REFUSED
from lineside.offline.sync_status import QuarantinedEvent, SyncControl, SyncStatus
from lineside.station.station import NO_SERVER
from lineside.viewmodels.base import RowsModel, ViewModel, prop

log = logging.getLogger(__name__)

OLDEST_ABNORMAL = timedelta(minutes=5)
"""A waiting event older than this makes the sync state abnormal even while online."""

TICK_MS = 5000
"""How often the ages on the screen are brought up to date."""

ROLES = (
    "seq",
    "occurred_text",
    "event_type",
    "type_text",
    "reason_text",
    "attempts_text",
    "retrying",
)


class QuarantineModel(RowsModel):
    """Rows of the quarantine list; each role is a ready-to-show value."""

    ROLES = ROLES

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        """Replace the rows (the list is short and changes rarely)."""
        if rows != self._rows:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()


class SyncViewModel(ViewModel):
    """Header badge and detail screen of the sync with the server; team leads retry or export."""

    online_changed = Signal()
    sync_text_changed = Signal()
    waiting_text_changed = Signal()
    oldest_text_changed = Signal()
    quarantined_changed = Signal()
    quarantined_text_changed = Signal()
    abnormal_changed = Signal()
    badge_kind_changed = Signal()
    badge_caption_changed = Signal()
    badge_text_changed = Signal()
    last_error_changed = Signal()
    last_delivered_text_changed = Signal()
    next_attempt_text_changed = Signal()
    master_data_text_changed = Signal()
    clock_warning_changed = Signal()
    clock_text_changed = Signal()
    input_blocked_changed = Signal()
    message_changed = Signal()
    details_open_changed = Signal()

    online = prop(bool, "online", online_changed)
    sync_text = prop(str, "sync_text", sync_text_changed)
    waiting_text = prop(str, "waiting_text", waiting_text_changed)
    oldest_text = prop(str, "oldest_text", oldest_text_changed)
    quarantined = prop(int, "quarantined", quarantined_changed)
    quarantined_text = prop(str, "quarantined_text", quarantined_text_changed)
    abnormal = prop(bool, "abnormal", abnormal_changed)
    badge_kind = prop(str, "badge_kind", badge_kind_changed)
    """How the header badge looks: "normal", "attention", "offline" or "alarm"."""
    badge_caption = prop(str, "badge_caption", badge_caption_changed)
    """The header badge's caption: "Server · Online" (short, the header is full)."""
    badge_text = prop(str, "badge_text", badge_text_changed)
    last_error = prop(str, "last_error", last_error_changed)
    last_delivered_text = prop(str, "last_delivered_text", last_delivered_text_changed)
    next_attempt_text = prop(str, "next_attempt_text", next_attempt_text_changed)
    master_data_text = prop(str, "master_data_text", master_data_text_changed)
    clock_warning = prop(bool, "clock_warning", clock_warning_changed)
    clock_text = prop(str, "clock_text", clock_text_changed)
    input_blocked = prop(str, "input_blocked", input_blocked_changed)
    message = prop(str, "message", message_changed)
    details_open = prop(bool, "details_open", details_open_changed)

    def __init__(
        self,
        control: SyncControl,
        clock: PlantClock,
        current_role: Callable[[], Role | None],
        export_dir: Path,
        *,
        now: Callable[[], datetime] = utc_now,
        parent: QObject | None = None,
        language: str | None = None,
    ) -> None:
        super().__init__(parent, language)
        self._control = control
        self._clock = clock
        self._current_role = current_role
        self._export_dir = export_dir
        self._now = now
        self._model = QuarantineModel(self)
        self._status: SyncStatus | None = None
        self._online = False
        self._sync_text = ""
        self._waiting_text = ""
        self._oldest_text = ""
        self._quarantined = 0
        self._quarantined_text = ""
        self._abnormal = False
        self._badge_kind = "normal"
        self._badge_caption = self.tr("Server")
        self._badge_text = ""
        self._last_error = ""
        self._last_delivered_text = ""
        self._next_attempt_text = ""
        self._master_data_text = ""
        self._clock_warning = False
        self._clock_text = ""
        self._input_blocked = ""
        self._message = ""
        self._details_open = False
        self._loads = 0  # quarantine loads started; only the latest one may fill the list
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._update)
        self._timer.start()
        self._update()
        control.subscribe(self._on_status)

    def _get_model(self) -> QuarantineModel:
        return self._model

    model = Property(QObject, _get_model, constant=True)

    def _on_status(self, status: SyncStatus) -> None:
        count_changed = self._status is None or status.quarantined != self._status.quarantined
        self._status = status
        self._update()
        if count_changed and self._details_open:
            self._load_quarantine()

    @Slot()
    def _update(self) -> None:
        """Bring every text up to date with the last status and the time now."""
        s, now = self._status, self._now()
        if s is None:
            self._set("sync_text", self.tr("Not checked yet"))
            self._set("badge_text", self.tr("Not checked yet"))
            return
        oldest_age = now - s.oldest_waiting_at if s.waiting and s.oldest_waiting_at else None
        backlog_old = oldest_age is not None and oldest_age > OLDEST_ABNORMAL
        self._set("online", s.online)
        self._set("sync_text", self.tr("Online") if s.online else self.tr("Offline"))
        self._set(
            "waiting_text",
            self.tr("%n waiting", "", s.waiting) if s.waiting else self.tr("All sent"),
        )
        self._set(
            "oldest_text",
            self.tr("oldest %1").replace("%1", self._age(oldest_age)) if oldest_age else "",
        )
        self._set("quarantined", s.quarantined)
        self._set(
            "quarantined_text",
            self.tr("%n quarantined", "", s.quarantined)
            if s.quarantined
            else self.tr("Nothing quarantined"),
        )
        self._set("last_error", sync_error_words(s.last_error))
        self._set(
            "last_delivered_text",
            self.tr("Last delivered %1").replace("%1", self._at(s.last_delivered_at, now))
            if s.last_delivered_at
            else self.tr("Nothing delivered yet"),
        )
        self._set(
            "next_attempt_text",
            self.tr("Next try at %1 (in %2)")
            .replace("%1", self._at(s.next_attempt_at, now))
            .replace("%2", self._age(s.next_attempt_at - now))
            if s.next_attempt_at and s.next_attempt_at > now
            else "",
        )
        self._set(
            "master_data_text",
            self.tr("Plant data from %1 (%2 old)")
            .replace("%1", self._at(s.master_data_at, now, seconds=False))
            .replace("%2", self._age(now - s.master_data_at))
            if s.master_data_at
            else self.tr("No plant data yet — using the station's files"),
        )
        self._set("clock_warning", s.clock_warning)
        self._set("clock_text", self._clock_words(s) if s.clock_warning else "")
        self._set("input_blocked", blocked_words(s.input_blocked))
        self._set(
            "abnormal",
            not s.online
            or s.quarantined > 0
            or s.clock_warning
            or bool(s.input_blocked)
            or backlog_old,
        )
        if s.input_blocked or s.quarantined:
            kind = "alarm"
        elif not s.online:
            kind = "offline"
        elif s.clock_warning or backlog_old:
            kind = "attention"
        else:
            kind = "normal"
        self._set("badge_kind", kind)
        self._set("badge_caption", self._caption_words(s))
        self._set("badge_text", self._backlog_words(s, oldest_age))

    def retranslate(self) -> None:
        """Every text in the new language (the quarantine list too, when it is shown)."""
        self._set("badge_caption", self.tr("Server"))
        self._update()
        if self._details_open:
            self._load_quarantine()

    def _caption_words(self, s: SyncStatus) -> str:
        """Online or offline, then what else is wrong: "Server · Offline · 3 quarantined".

        A wrong clock is named only when nothing is quarantined: the header has room for one
        of them, and the sync screen names both.
        """
        parts = [self.tr("Server · %1").replace("%1", self._sync_text)]
        if s.quarantined:
            parts.append(self._quarantined_text)
        elif s.clock_warning:
            parts.append(self.tr("Clock off"))
        return " · ".join(parts)

    def _backlog_words(self, s: SyncStatus, oldest_age: timedelta | None) -> str:
        """How far behind: "120 waiting · 2 h", "All sent", or that input is blocked."""
        if s.input_blocked:
            return self.tr("Input blocked")
        if oldest_age is not None:
            return f"{self._waiting_text} · {self._age(oldest_age, coarse=True)}"
        return self._waiting_text

    def _clock_words(self, s: SyncStatus) -> str:
        offset = s.clock_offset_s or 0.0
        text = (
            self.tr("The station clock is %1 s ahead of the server. Call IT.")
            if offset < 0  # the offset is server minus station: negative, the station is ahead
            else self.tr("The station clock is %1 s behind the server. Call IT.")
        )
        return text.replace("%1", f"{abs(offset):.1f}")

    def _at(self, at: datetime | None, now: datetime, seconds: bool = True) -> str:
        """A time in plant time; with its date when it is not today's."""
        if at is None:
            return ""
        text = self._clock.time(at) if seconds else self._clock.time(at)[:5]
        if self._clock.day_start(at) != self._clock.day_start(now):
            text = at.astimezone(self._clock.tz).strftime("%Y-%m-%d ") + text
        return text

    def _age(self, d: timedelta, coarse: bool = False) -> str:
        """'3 h 12 min' ('3 h' when coarse), '12 min', '40 s', '2 d 4 h' ('2 d')."""
        total = max(0, int(d.total_seconds()))
        days, rest = divmod(total, 86400)
        hours, rest = divmod(rest, 3600)
        minutes, seconds = divmod(rest, 60)
        if days:
            return (
                self.tr("%1 d").replace("%1", str(days))
                if coarse or not hours
                else self.tr("%1 d %2 h").replace("%1", str(days)).replace("%2", str(hours))
            )
        if hours:
            return (
                self.tr("%1 h").replace("%1", str(hours))
                if coarse or not minutes
                else self.tr("%1 h %2 min").replace("%1", str(hours)).replace("%2", str(minutes))
            )
        if minutes:
            return self.tr("%1 min").replace("%1", str(minutes))
        return self.tr("%1 s").replace("%1", str(seconds))

    # -- detail screen ------------------------------------------------------------------

    @Slot()
    def open_details(self) -> None:
        """Show the detail screen with the quarantine list as it is now."""
        self._set("message", "")
        self._set("details_open", True)
        self._load_quarantine()

    @Slot()
    def close_details(self) -> None:
        """Back to the station screen."""
        self._set("details_open", False)
        self._set("message", "")

    @Slot()
    def sync_now(self) -> None:
        """Try the server now instead of waiting out the backoff."""
        self._control.sync_now()
        self._set("message", self.tr("Trying the server now"))

    @Slot()
    def retry_all(self) -> None:
        """Send every quarantined event again (team lead)."""
        if self._team_lead():
            self._spawn(self._retry(None))

    @Slot(int)
    def retry(self, seq: int) -> None:
        """Send one quarantined event again (team lead)."""
        if self._team_lead():
            self._spawn(self._retry([seq]))

    @Slot()
    def export(self) -> None:
        """Write the quarantined events to a file for IT (team lead)."""
        if self._team_lead():
            self._spawn(self._export())

    def _team_lead(self) -> bool:
        if self._current_role() is Role.TEAM_LEAD:
            return True
        self._set("message", self.tr("Sign in as team lead to retry or export"))
        return False

    async def _retry(self, seqs: list[int] | None) -> None:
        """Send `seqs` again, or every quarantined event when None."""
        try:
            if seqs is None:
                seqs = [e.seq for e in await self._control.quarantine()]
            if not seqs:
                self._set("message", self.tr("Nothing to send again"))
                return
            await self._control.retry_quarantined(seqs)
        except Exception as exc:
            log.exception("retrying quarantined events %s failed", seqs)
            self._set("message", self.tr("Could not send again: %1").replace("%1", str(exc)))
            return
        self._set(
            "message",
            self.tr("Sending 1 event again")
            if len(seqs) == 1
            else self.tr("Sending %n events again", "", len(seqs)),
        )
        self._load_quarantine()

    async def _export(self) -> None:
        if self._status is not None and self._status.last_error == NO_SERVER:
            self._set("message", self.tr("This station has no server, so nothing is quarantined"))
            return
        try:
            path = await self._control.export_quarantine(self._export_dir)
        except Exception as exc:
            log.exception("exporting the quarantine to %s failed", self._export_dir)
            self._set("message", self.tr("Could not export: %1").replace("%1", str(exc)))
            return
        self._set("message", self.tr("Exported to %1").replace("%1", str(path)))

    def _load_quarantine(self) -> None:
        self._loads += 1
        self._spawn(self._fill_quarantine(self._loads))

    async def _fill_quarantine(self, load: int) -> None:
        try:
            events = await self._control.quarantine()
        except Exception as exc:
            log.exception("reading the quarantine failed")
            self._set(
                "message", self.tr("Could not read the quarantine: %1").replace("%1", str(exc))
            )
            return
        if load == self._loads:  # a later load started meanwhile: its answer is newer
            self._model.set_rows([self._row(e) for e in events])

    def _row(self, e: QuarantinedEvent) -> dict[str, Any]:
        return {
            "seq": e.seq,
            "occurred_text": self._at(e.occurred_at, self._now()),
            "event_type": e.type,
            "type_text": event_text(e.type),
            "reason_text": e.reason,
            "attempts_text": self.tr("Attempts: %1").replace("%1", str(e.attempts)),
            "retrying": e.retrying,
        }


def event_text(event_type: str) -> str:
    """Floor words for an event type (the type itself when there are none)."""
    words = {
        "downtime.started": QCoreApplication.translate("EventType", "Stop started"),
        "downtime.ended": QCoreApplication.translate("EventType", "Stop ended"),
        "downtime.plc_reason": QCoreApplication.translate("EventType", "PLC stop reason"),
        "downtime.coded": QCoreApplication.translate("EventType", "Reason given"),
        "downtime.recoded": QCoreApplication.translate("EventType", "Reason changed"),
        "downtime.split": QCoreApplication.translate("EventType", "Stop split"),
        "downtime.deferred": QCoreApplication.translate("EventType", "Reason left for later"),
        "person.signed_in": QCoreApplication.translate("EventType", "Signed in"),
        "person.signed_out": QCoreApplication.translate("EventType", "Signed out"),
        "machine.disconnected": QCoreApplication.translate("EventType", "Machine link lost"),
        "machine.connected": QCoreApplication.translate("EventType", "Machine link back"),
        "count.recorded": QCoreApplication.translate("EventType", "Production counted"),
        "terminal.started": QCoreApplication.translate("EventType", "Terminal started"),
        "order.started": QCoreApplication.translate("EventType", "Order started"),
        "order.paused": QCoreApplication.translate("EventType", "Order interrupted"),
        "order.resumed": QCoreApplication.translate("EventType", "Order resumed"),
        "order.completed": QCoreApplication.translate("EventType", "Order completed"),
        "order.aborted": QCoreApplication.translate("EventType", "Order aborted"),
        "changeover.ended": QCoreApplication.translate("EventType", "Changeover ended"),
        "step.confirmed": QCoreApplication.translate("EventType", "Step confirmed"),
        "signature.given": QCoreApplication.translate("EventType", "Signed"),
        "signature.refused": QCoreApplication.translate("EventType", "Wrong PIN"),
        "signing.unlocked": QCoreApplication.translate("EventType", "Signing unlocked"),
        "check.recorded": QCoreApplication.translate("EventType", "Check recorded"),
        "deviation.opened": QCoreApplication.translate("EventType", "Quality deviation"),
        "deviation.decided": QCoreApplication.translate("EventType", "Deviation decided"),
        "hold.placed": QCoreApplication.translate("EventType", "Order held"),
        "hold.released": QCoreApplication.translate("EventType", "Hold released"),
    }
    return words.get(event_type, event_type)


_REACH = {
    "connection refused": lambda: QCoreApplication.translate("SyncError", "connection refused"),
    "connection reset": lambda: QCoreApplication.translate("SyncError", "connection reset"),
    "no route to the server": lambda: QCoreApplication.translate(
        "SyncError", "no route to the server"
    ),
    "the network is unreachable": lambda: QCoreApplication.translate(
        "SyncError", "the network is unreachable"
    ),
    "connection timed out": lambda: QCoreApplication.translate("SyncError", "connection timed out"),
    "the server's name cannot be resolved": lambda: QCoreApplication.translate(
        "SyncError", "the server's name cannot be resolved"
    ),
    "the connection broke before the server answered": lambda: QCoreApplication.translate(
        "SyncError", "the connection broke before the server answered"
    ),
    "cannot connect": lambda: QCoreApplication.translate("SyncError", "cannot connect"),
}
"""Why the server is not reachable, as the sync engine says it (offline/sync.py)."""


def _unreachable(reason: str) -> str:
    if reason in _REACH:
        return _REACH[reason]()
    if m := re.fullmatch(r"no answer within (\S+) s", reason):
        return QCoreApplication.translate("SyncError", "no answer within %1 s").replace("%1", m[1])
    if m := re.fullmatch(r"the server's certificate is not trusted \((.*)\)", reason):
        return QCoreApplication.translate(
            "SyncError", "the server's certificate is not trusted (%1)"
        ).replace("%1", m[1])
    if m := re.fullmatch(r"the secure connection failed \((.*)\)", reason):
        return QCoreApplication.translate("SyncError", "the secure connection failed (%1)").replace(
            "%1", m[1]
        )
    return reason


_SYNC_ERRORS: list[tuple[str, Callable[[re.Match[str]], str]]] = [
    (
        r"server not reachable: (.*)",
        lambda m: QCoreApplication.translate("SyncError", "Server not reachable: %1").replace(
            "%1", _unreachable(m[1])
        ),
    ),
    (
        r"server busy \((\d+)\)",
        lambda m: QCoreApplication.translate("SyncError", "Server busy (%1)").replace("%1", m[1]),
    ),
    (
        r"server error \((\d+)\)",
        lambda m: QCoreApplication.translate("SyncError", "Server error (%1)").replace("%1", m[1]),
    ),
    (
        r"the server refuses this station \((.*)\) — .*",
        lambda m: QCoreApplication.translate(
            "SyncError", "The server refuses this station (%1): its id or token is wrong. Ask IT."
        ).replace("%1", m[1]),
    ),
    (
        r"the server refused (.*) as malformed \((.*)\) — .*",
        lambda m: QCoreApplication.translate(
            "SyncError",
            "The server refused this station's data as malformed (%1). Nothing is lost; tell IT.",
        ).replace("%1", m[2]),
    ),
    (
        r"unexpected answer from the server to .* \((.*)\) — .*",
        lambda m: QCoreApplication.translate(
            "SyncError", "Unexpected answer from the server (%1). Check the server address."
        ).replace("%1", m[1]),
    ),
    (
        r"the server's answer to a batch was not understood.*",
        lambda _m: QCoreApplication.translate(
            "SyncError", "The server's answer was not understood. Tell IT."
        ),
    ),
    (
        r"the server's answer to the batch of seq (\d+)–(\d+) confirmed none",
        lambda m: (
            QCoreApplication.translate(
                "SyncError", "The server confirmed none of the events %1 to %2. Tell IT."
            )
            .replace("%1", m[1])
            .replace("%2", m[2])
        ),
    ),
    (
        r"the server already holds events up to seq (\d+) from this station, but this "
        r"station's record ends at seq (\d+).*",
        lambda m: (
            QCoreApplication.translate(
                "SyncError",
                "The server already holds this station's events up to no. %1, but the "
                "station's record ends at no. %2: its database was replaced or restored. "
                "Ask IT; nothing is sent until this is fixed.",
            )
            .replace("%1", m[1])
            .replace("%2", m[2])
        ),
    ),
    (
        r"the server keeps refusing the order of this station's events \(it expects seq "
        r"(\d+), the station sent (\d+)–(\d+)\).*",
        lambda m: (
            QCoreApplication.translate(
                "SyncError",
                "The server keeps refusing the order of this station's events (it expects "
                "no. %1, the station sent %2 to %3). Tell IT.",
            )
            .replace("%1", m[1])
            .replace("%2", m[2])
            .replace("%3", m[3])
        ),
    ),
    (
        r"the server's plant data was not understood: .*|"
        r"the server's plant data pages do not advance",
        lambda _m: QCoreApplication.translate(
            "SyncError", "The server's plant data was not understood. Tell IT."
        ),
    ),
    (
        r"the station record cannot be read or written: (.*)",
        lambda m: QCoreApplication.translate(
            "SyncError", "The station record cannot be read or written (%1)."
        ).replace("%1", m[1]),
    ),
    (
        r"the CA certificate (.*?) cannot be used .*",
        lambda m: QCoreApplication.translate(
            "SyncError", "The CA certificate %1 cannot be used. Check the station config."
        ).replace("%1", m[1]),
    ),
    (
        r"the server address (.*?) is not valid .*",
        lambda m: QCoreApplication.translate(
            "SyncError", "The server address %1 is not valid. Check the station config."
        ).replace("%1", m[1]),
    ),
    (
        r"sync failed unexpectedly .*",
        lambda _m: QCoreApplication.translate("SyncError", "Sync failed unexpectedly. Tell IT."),
    ),
]
"""The sync engine's sentences (offline/sync.py) and the screen's words for them."""


def sync_error_words(text: str) -> str:
    """Operator words for why the last sync failed; a sentence not known here stays as it is.

    The sync engine reports its errors as English sentences (SyncStatus.last_error, no code):
    the known ones are matched and worded here, with their data.
    """
    if not text:
        return ""
    if text == NO_SERVER:
        return QCoreApplication.translate(
            "SyncError",
            "No server configured: add [server] to the station config "
            "(docs/station-config.md). Everything is kept on this station until then.",
        )
    if text == TOKEN_REFUSED:
        return QCoreApplication.translate(
            "SyncError", "The server does not accept this station's token. Ask IT for a new one."
        )
    if m := re.fullmatch(r"plant data not refreshed: (.*)", text):
        return QCoreApplication.translate("SyncError", "Plant data not refreshed: %1").replace(
            "%1", sync_error_words(m[1])
        )
    retry = ""
    if m := re.fullmatch(r"(.*), retrying in (\d+) s", text):
        text, retry = (
            m[1],
            QCoreApplication.translate("SyncError", "Trying again in %1 s.").replace("%1", m[2]),
        )
    words = next(
        (word(m) for pattern, word in _SYNC_ERRORS if (m := re.fullmatch(pattern, text))), text
    )
    return f"{words.rstrip('.')}. {retry}" if retry else words


def blocked_words(text: str) -> str:
    """Operator words for why new input is refused (SyncStatus.input_blocked, from the store)."""
    if m := re.match(r"(\d+) events are waiting for the server \(the limit is (\d+)\)", text):
        return (
            QCoreApplication.translate(
                "SyncError",
                "%1 entries are waiting for the server (at most %2 may wait): new entries are "
                "refused until the station reaches the server. Machine stops are still recorded.",
            )
            .replace("%1", m[1])
            .replace("%2", m[2])
        )
    return text
