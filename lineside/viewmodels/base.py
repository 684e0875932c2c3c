"""Shared helpers for viewmodels: notifying properties and plant-time formatting."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import (
    Property,
    QAbstractListModel,
    QByteArray,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)

from lineside.domain.plant_time import PlantClock
from lineside.station.ledger import Refused

log = logging.getLogger(__name__)


def prop(kind: Any, name: str, signal: Signal) -> Property:
    """A read-only Qt property backed by `self._<name>` that notifies with `signal`."""
    return Property(kind, lambda self: getattr(self, "_" + name), notify=signal)


def const(kind: Any, name: str) -> Property:
    """A Qt property backed by `self._<name>` that never changes after construction."""
    return Property(kind, lambda self: getattr(self, "_" + name), constant=True)


class ViewModel(QObject):
    """Base class: change-only property updates, background tasks kept alive, the language."""

    language_changed = Signal()
    """The screens switched language; every text was re-made in it."""

    def __init__(self, parent: QObject | None = None, language: str | None = None) -> None:
        super().__init__(parent)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._language: str | None = language
        """The current language ("de_DE"), for names master data carries per language: given
        at construction, so the first texts are already in it (a restart re-makes none)."""

    @Slot(str)
    def set_language(self, language: str) -> None:
        """The screens now speak `language` (its translation is installed): re-make the texts.

        Nothing when it already speaks it: re-making the stop list of a long day takes 0.5 s.
        """
        if language == self._language:
            return
        self._language = language
        self.retranslate()
        self.language_changed.emit()

    def retranslate(self) -> None:
        """Re-make every text shown in the current language (each screen's own)."""

    def _set(self, name: str, value: Any) -> None:
        """Set `self._<name>` and emit `<name>_changed` only when the value really changes."""
        if getattr(self, "_" + name) != value:
            setattr(self, "_" + name, value)
            getattr(self, name + "_changed").emit()

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        """Run an operator action off the event handler; the task is kept until it finishes."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def wait_idle(self) -> None:
        """Wait for the actions started from the screen (for orderly shutdown and tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


class RowsModel(QAbstractListModel):
    """A list model of ready-to-show rows (dicts); subclasses name their `ROLES`."""

    ROLES: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt override)
        """Number of rows shown."""
        return 0 if parent.isValid() else len(self._rows)

    def roleNames(self) -> dict[int, QByteArray]:  # noqa: N802 (Qt override)
        """Role names QML delegates bind to."""
        base = int(Qt.ItemDataRole.UserRole)
        return {base + i: QByteArray(name.encode()) for i, name in enumerate(self.ROLES)}

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        """One value of one row."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        i = role - int(Qt.ItemDataRole.UserRole)
        return self._rows[index.row()][self.ROLES[i]] if 0 <= i < len(self.ROLES) else None


def refusal_text(refused: Refused) -> str:
    """Operator words for a command the station did not record: why, and what to do."""
    if refused.code == "wrong_pin":  # "1 attempt left", "4 attempts left"
        left = int(refused.data.get("left", 0))
        if left == 1:
            return QCoreApplication.translate(
                "Refused", "Wrong PIN. 1 attempt left before signing is locked."
            )
        return QCoreApplication.translate(
            "Refused", "Wrong PIN. %1 attempts left before signing is locked."
        ).replace("%1", str(left))
    words = {
        "outbox_full": QCoreApplication.translate(
            "Refused",
            "Not saved: %1 entries are waiting for the server, as many as this station may "
            "hold. Call your team lead (sync screen); the entry stays on screen.",
        ),
        "record_unwritable": QCoreApplication.translate(
            "Refused",
            "Not saved: the station cannot write its record. Call your team lead; "
            "the entry stays on screen.",
        ),
        "stop_unknown": QCoreApplication.translate(
            "Refused", "This stop is no longer in today's list. Refresh the stop list."
        ),
        "reason_unknown": QCoreApplication.translate(
            "Refused", "Reason %1 is not in this machine's reason list."
        ),
        "split_outside_stop": QCoreApplication.translate(
            "Refused", "Choose a split time between the start and the end of the stop."
        ),
        "sign_in_required": QCoreApplication.translate("Refused", "Sign in first (tap Signed in)."),
        "order_unknown": QCoreApplication.translate(
            "Refused", "Order %1 is not in this station's list any more."
        ),
        "job_state": QCoreApplication.translate(
            "Refused", "Order %1 cannot do that in its state now."
        ),
        "order_running": QCoreApplication.translate(
            "Refused", "Order %1 is running: complete or pause it before starting another."
        ),
        "no_order_running": QCoreApplication.translate("Refused", "No order is running."),
        "team_lead_required": QCoreApplication.translate(
            "Refused", "Only a team lead may do this. Call your team lead."
        ),
        "why_required": QCoreApplication.translate("Refused", "Say why first."),
        "order_held": QCoreApplication.translate(
            "Refused",
            "The order is held: a team lead or quality person decides the deviation and "
            "releases the hold first.",
        ),
        "badge_unknown": QCoreApplication.translate(
            "Refused", "This badge is not known. Check the number."
        ),
        "signing_locked": QCoreApplication.translate(
            "Refused",
            "Signing is locked for %1 after five wrong PINs. A team lead unlocks it.",
        ),
        "no_pin": QCoreApplication.translate(
            "Refused", "%1 has no signing PIN. Ask your team lead."
        ),
        "badge_required": QCoreApplication.translate(
            "Refused", "Enter your badge number, then your PIN."
        ),
        "same_signer": QCoreApplication.translate(
            "Refused", "%1 signed this step already: another person signs this meaning."
        ),
        "no_right": QCoreApplication.translate(
            "Refused", "%1 may not decide: a team lead or quality person signs the decision."
        ),
        "no_instruction": QCoreApplication.translate(
            "Refused", "The running order has no work instruction."
        ),
        "step_unknown": QCoreApplication.translate(
            "Refused", "This step is not in the instruction any more."
        ),
        "step_incomplete": QCoreApplication.translate(
            "Refused", "Record the check and the signatures of this step first."
        ),
        "step_done": QCoreApplication.translate("Refused", "This step is done already."),
        "not_a_number": QCoreApplication.translate("Refused", "%1 is not a number."),
        "not_a_choice": QCoreApplication.translate("Refused", "%1 is not one of the choices."),
        "value_required": QCoreApplication.translate("Refused", "Enter a value first."),
        "deviation_unknown": QCoreApplication.translate(
            "Refused", "This deviation is not known here."
        ),
        "deviation_decided": QCoreApplication.translate(
            "Refused", "This deviation is decided already."
        ),
        "hold_unknown": QCoreApplication.translate("Refused", "This hold is not known here."),
    }
    text = words.get(
        refused.code,
        QCoreApplication.translate("Refused", "Not saved (%1).").replace("%1", refused.code),
    )
    value = next(
        (
            refused.data[key]
            for key in ("waiting", "reason", "order", "name", "value")
            if key in refused.data
        ),
        "",
    )
    return text.replace("%1", str(value))


def plant_date_time(clock: PlantClock, at: datetime | None) -> str:
    """'04.12.2026 10:42' in plant time, as signed records and decisions show it."""
    return at.astimezone(clock.tz).strftime("%d.%m.%Y %H:%M") if at else ""


def plant_date(day: date | None) -> str:
    """'22.11.2026' (a due date)."""
    return day.strftime("%d.%m.%Y") if day else ""


def number_text(value: float, language: str | None, decimals: int = 0) -> str:
    """A number as the screen's language writes it: '1,000' in English, '1.000' in German."""
    locale = QLocale(language) if language else QLocale()
    if locale.language() == QLocale.Language.C:  # no language set: English, with grouping
        locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    if decimals == 0 and float(value).is_integer():
        return locale.toString(int(value))
    return locale.toString(float(value), "f", decimals)
