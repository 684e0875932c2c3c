"""The order queue: the station's jobs with their state and progress; start, pause, resume,
complete (after showing what was made) and abort (a team lead, with why)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any

from PySide6.QtCore import Property, QCoreApplication, QModelIndex, QObject, QTimer, Signal, Slot

from lineside.domain.events import utc_now
from lineside.domain.orders import Job, JobCommand, JobState, QueuedJob, after
from lineside.domain.people import Role
from lineside.domain.plant_time import PlantClock
from lineside.station.commands import orders
from lineside.station.ledger import Ledger, Refused
from lineside.viewmodels.base import (
    RowsModel,
    ViewModel,
    number_text,
    plant_date,
    prop,
    refusal_text,
)

ROLES = (
    "key",
    "order_id",
    "operation_id",
    "order_text",
    "product_text",
    "quantity_text",
    "due_text",
    "state",
    "state_text",
    "progress_text",
    "flagged",
    "flag_text",
    "held",
    "can_start",
    "can_abort",
    "is_current",
)

ABORT_REASONS = ("planning", "material", "machine", "quality")
"""The short list a team lead picks why from (the words are made in `abort_words`)."""


class OrderRowsModel(RowsModel):
    """The queue's rows; a row that changed is updated in place."""

    ROLES = ROLES

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        """Show `rows`: in place when the same jobs are listed in the same order."""
        if [r["key"] for r in rows] != [r["key"] for r in self._rows]:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
            return
        old, self._rows = self._rows, rows
        for i, (before, now) in enumerate(zip(old, rows, strict=True)):
            if before != now:
                self.dataChanged.emit(self.index(i), self.index(i))

    def row(self, i: int) -> dict[str, Any]:
        """One shown row (tests and the views' helpers)."""
        return dict(self._rows[i])

    def find(self, order_id: str) -> int:
        """The row number of an order's first job, -1 when it is not listed."""
        return next((i for i, r in enumerate(self._rows) if r["order_id"] == order_id), -1)

    def rows(self) -> list[dict[str, Any]]:
        """Every shown row."""
        return [dict(r) for r in self._rows]

    def count(self) -> int:
        """How many rows are shown."""
        return self.rowCount(QModelIndex())


def state_words(state: JobState) -> str:
    """Operator words for a job's state."""
    return {
        JobState.NOT_ALLOWED_TO_START: QCoreApplication.translate("JobState", "Not released"),
        JobState.ALLOWED_TO_START: QCoreApplication.translate("JobState", "Ready to start"),
        JobState.RUNNING: QCoreApplication.translate("JobState", "Running"),
        JobState.INTERRUPTED: QCoreApplication.translate("JobState", "Paused"),
        JobState.ENDED: QCoreApplication.translate("JobState", "Completed"),
        JobState.ABORTED: QCoreApplication.translate("JobState", "Aborted"),
    }[state]


def abort_words(code: str) -> str:
    """Operator words for a reason to abort an order."""
    return {
        "planning": QCoreApplication.translate("AbortReason", "Cancelled by planning"),
        "material": QCoreApplication.translate("AbortReason", "Material missing"),
        "machine": QCoreApplication.translate("AbortReason", "Machine cannot run it"),
        "quality": QCoreApplication.translate("AbortReason", "Quality problem"),
    }.get(code, code)


class OrderQueueViewModel(ViewModel):
    """The order queue screen: rows, the current order's actions and their two dialogs."""

    message_changed = Signal()
    current_text_changed = Signal()
    changeover_text_changed = Signal()
    can_pause_changed = Signal()
    can_resume_changed = Signal()
    can_complete_changed = Signal()
    held_changed = Signal()
    busy_changed = Signal()
    confirm_visible_changed = Signal()
    confirm_text_changed = Signal()
    abort_visible_changed = Signal()
    abort_title_changed = Signal()
    abort_reasons_changed = Signal()
    abort_reason_changed = Signal()
    abort_note_changed = Signal()

    message = prop(str, "message", message_changed)
    current_text = prop(str, "current_text", current_text_changed)
    changeover_text = prop(str, "changeover_text", changeover_text_changed)
    can_pause = prop(bool, "can_pause", can_pause_changed)
    can_resume = prop(bool, "can_resume", can_resume_changed)
    can_complete = prop(bool, "can_complete", can_complete_changed)
    held = prop(bool, "held", held_changed)
    """The current order has open holds (completing it is refused)."""
    busy = prop(bool, "busy", busy_changed)
    confirm_visible = prop(bool, "confirm_visible", confirm_visible_changed)
    confirm_text = prop(str, "confirm_text", confirm_text_changed)
    abort_visible = prop(bool, "abort_visible", abort_visible_changed)
    abort_title = prop(str, "abort_title", abort_title_changed)
    abort_reasons = prop("QVariantList", "abort_reasons", abort_reasons_changed)
    abort_reason = prop(str, "abort_reason", abort_reason_changed)
    abort_note = prop(str, "abort_note", abort_note_changed)

    def __init__(
        self,
        ledger: Ledger,
        clock: PlantClock,
        role: Callable[[], Role | None],
        parent: QObject | None = None,
        *,
        now: Callable[[], datetime] = utc_now,
        language: str | None = None,
    ) -> None:
        super().__init__(parent, language)
        self._ledger = ledger
        self._clock = clock
        self._role = role
        self._now = now
        self._model = OrderRowsModel(self)
        self._message = ""
        self._current_text = ""
        self._changeover_text = ""
        self._can_pause = False
        self._can_resume = False
        self._can_complete = False
        self._held = False
        self._busy = False
        self._confirm_visible = False
        self._confirm_text = ""
        self._abort_visible = False
        self._abort_title = ""
        self._abort_reasons: list[dict[str, str]] = []
        self._abort_reason = ""
        self._abort_note = ""
        self._abort_job: tuple[str, str] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        ledger.subscribe(lambda _touched: self.refresh())
        self.refresh()

    def _get_model(self) -> OrderRowsModel:
        return self._model

    model = Property(QObject, _get_model, constant=True)

    # -- what is shown ---------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """Rows, the current order and a changeover under way, from the order book."""
        ledger = self._ledger
        lead = self._role() is Role.TEAM_LEAD
        current = ledger.order_book.current_job
        self._model.set_rows([self._row(q, lead, current is None) for q in ledger.queue()])
        self._set("can_pause", current is not None and current.state is JobState.RUNNING)
        self._set("can_resume", current is not None and current.state is JobState.INTERRUPTED)
        self._set("can_complete", current is not None)
        self._set("held", current is not None and self._holds(current.order_id) > 0)
        if current is None:
            self._set("current_text", self.tr("No order running"))
        else:
            self._set(
                "current_text",
                " · ".join(
                    p
                    for p in (
                        current.order_id,
                        current.description,
                        self.product_name(current.product),
                        self._progress(current),
                    )
                    if p
                ),
            )
        self._set("changeover_text", self._changeover())
        if self._abort_visible:
            self._set("abort_reasons", self._reasons())

    def _holds(self, order_id: str) -> int:
        return len(self._ledger.projections.execution.open_holds(order_id))

    def product_name(self, product_id: str) -> str:
        """The product's name in the screen's language (its id when master data lacks it)."""
        product = self._ledger.products.get(product_id)
        return product.label(self._language) if product else product_id

    def made(self, job: Job) -> tuple[int, int]:
        """Good and defective of a job; the current one's include what the machine made since
        the last recorded count."""
        if self._ledger.order_book.current != job.key:
            return job.good, job.defective
        good, defective = self._ledger.counter.pending()
        return job.good + good, job.defective + defective

    def _progress(self, job: Job) -> str:
        good, defective = self.made(job)
        text = f"{number_text(good, self._language)} / {number_text(job.quantity, self._language)}"
        if defective:
            text += " · " + self.tr("%1 defective").replace(
                "%1", number_text(defective, self._language)
            )
        return text

    def _row(self, q: QueuedJob, lead: bool, none_running: bool) -> dict[str, Any]:
        job = q.job
        held = job.state.current and self._holds(job.order_id) > 0
        return {
            "key": job.key,
            "order_id": job.order_id,
            "operation_id": job.operation_id,
            "order_text": " · ".join(
                p for p in (job.order_id, job.operation_id, q.description) if p
            ),
            "product_text": self.product_name(job.product),
            "quantity_text": f"{number_text(job.quantity, self._language)} {job.unit}",
            "due_text": self.tr("Due %1").replace("%1", plant_date(q.due)) if q.due else "",
            "state": job.state.value,
            "state_text": self.tr("Held") if held else state_words(job.state),
            "progress_text": self._progress(job),
            "flagged": q.flagged,
            "flag_text": self.tr("Cancelled on the server — call your team lead")
            if q.flagged
            else "",
            "held": held,
            "can_start": none_running and after(job.state, JobCommand.START) is not None,
            "can_abort": lead and after(job.state, JobCommand.ABORT) is not None,
            "is_current": job.state.current,
        }

    def _changeover(self) -> str:
        changeover = self._ledger.order_book.changeover
        if changeover is None:
            return ""
        minutes = max(0, int((self._now() - changeover.started_at).total_seconds() // 60))
        text = (
            self.tr("Changeover from %1 · %2 min")
            .replace("%1", self.product_name(changeover.from_product))
            .replace("%2", str(minutes))
        )
        if changeover.standard_s:
            standard = round(changeover.standard_s / 60)
            text += " " + self.tr("(standard %1 min)").replace("%1", str(standard))
        return text

    def retranslate(self) -> None:
        """Rows and texts in the new language."""
        self.refresh()
        if self._confirm_visible:
            self._set("confirm_text", self._confirm_words())
        if self._abort_visible and self._abort_job:
            self._set("abort_title", self._abort_words(*self._abort_job))

    # -- actions ---------------------------------------------------------------------------

    @Slot(str, str)
    def start(self, order_id: str, operation_id: str) -> None:
        """Start a job; it becomes the context of every later fact."""
        self._spawn(self._act(orders.start(self._ledger, order_id, operation_id)))

    @Slot()
    def pause(self) -> None:
        """Interrupt the running order."""
        self._spawn(self._act(orders.pause(self._ledger)))

    @Slot()
    def resume(self) -> None:
        """Run the interrupted order again."""
        self._spawn(self._act(orders.resume(self._ledger)))

    @Slot()
    def ask_complete(self) -> None:
        """Show what the order made against what was ordered, before it is completed."""
        if self._ledger.order_book.current_job is None:
            return
        self._set("message", "")
        self._set("confirm_text", self._confirm_words())
        self._set("confirm_visible", True)

    def _confirm_words(self) -> str:
        job = self._ledger.order_book.current_job
        if job is None:
            return ""
        good, defective = self.made(job)
        lang = self._language
        return (
            self.tr("Complete order %1?\nMade: %2 good, %3 defective.\nOrdered: %4 %5.")
            .replace("%1", job.order_id)
            .replace("%2", number_text(good, lang))
            .replace("%3", number_text(defective, lang))
            .replace("%4", number_text(job.quantity, lang))
            .replace("%5", job.unit)
        )

    @Slot()
    def cancel_complete(self) -> None:
        """Close the confirmation without completing."""
        self._set("confirm_visible", False)
        self._set("message", "")

    @Slot()
    def confirm_complete(self) -> None:
        """Complete the current order (refused with words while it is held)."""
        self._spawn(self._act(orders.complete(self._ledger), close="confirm_visible"))

    @Slot(str, str)
    def ask_abort(self, order_id: str, operation_id: str) -> None:
        """A team lead gives an order up: ask why."""
        self._abort_job = (order_id, operation_id)
        self._set("message", "")
        self._set("abort_reason", "")
        self._set("abort_note", "")
        self._set("abort_title", self._abort_words(order_id, operation_id))
        self._set("abort_reasons", self._reasons())
        self._set("abort_visible", True)

    def _abort_words(self, order_id: str, operation_id: str) -> str:
        return (
            self.tr("Abort order %1 · %2? Why:").replace("%1", order_id).replace("%2", operation_id)
        )

    def _reasons(self) -> list[dict[str, Any]]:
        return [
            {"code": c, "label": abort_words(c), "chosen": c == self._abort_reason}
            for c in ABORT_REASONS
        ]

    @Slot(str)
    def choose_abort_reason(self, code: str) -> None:
        """One of the short list of reasons."""
        self._set("abort_reason", code)
        self._set("abort_reasons", self._reasons())

    @Slot(str)
    def set_abort_note(self, text: str) -> None:
        """More words on why (typed)."""
        self._set("abort_note", text)

    @Slot()
    def cancel_abort(self) -> None:
        """Close the abort dialog; nothing changes."""
        self._set("abort_visible", False)
        self._set("message", "")

    @Slot()
    def confirm_abort(self) -> None:
        """Abort the chosen order with why (refused when no reason is given)."""
        if self._abort_job is None:
            return
        reason = abort_words(self._abort_reason) if self._abort_reason else ""
        why = ": ".join(p for p in (reason, self._abort_note.strip()) if p)
        order_id, operation_id = self._abort_job
        self._spawn(
            self._act(
                orders.abort(self._ledger, order_id, operation_id, why), close="abort_visible"
            )
        )

    async def _act(self, coro: Coroutine[Any, Any, None], close: str = "") -> None:
        self._set("busy", True)
        try:
            await coro
        except Refused as exc:
            self._set("message", refusal_text(exc))
            return
        finally:
            self._set("busy", False)
        self._set("message", "")
        if close:
            self._set(close, False)
        self.refresh()
