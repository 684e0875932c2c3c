"""Shared helpers for viewmodels: notifying properties and plant-time formatting."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import (
    Property,
    QAbstractListModel,
    QByteArray,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)

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
    }
    text = words.get(
        refused.code,
        QCoreApplication.translate("Refused", "Not saved (%1).").replace("%1", refused.code),
    )
    value = refused.data.get("waiting", refused.data.get("reason", ""))
    return text.replace("%1", str(value))
