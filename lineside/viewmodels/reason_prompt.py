"""The reason prompt: asks why the machine stopped, at once, and codes a stop in one tap."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot

from lineside.domain.events import utc_now
from lineside.domain.machine_state import StopCategory
from lineside.domain.plant_time import PlantClock, duration_text
from lineside.domain.stops import StopRecord
from lineside.station.commands import downtime
from lineside.station.ledger import Ledger, Refused
from lineside.viewmodels.base import ViewModel, prop, refusal_text


class ReasonPromptViewModel(ViewModel):
    """Which stop is being asked about, the reason choices of the current level, and the result.

    Opens by itself when a stop begins (mode "prompt"), or from the stop list to code or
    recode any stop (mode "code"). Closes by itself when its stop ends as a micro-stop.

    A new stop never takes the prompt from an operator who is coding: one who opened it from
    the list, went down the tree or is committing a reason finishes first, and the new stop
    is asked right after (unless it was coded or ended as a micro-stop meanwhile).
    """

    visible_changed = Signal()
    title_changed = Signal()
    detail_changed = Signal()
    plc_text_changed = Signal()
    duration_text_changed = Signal()
    suggested_label_changed = Signal()
    choices_changed = Signal()
    breadcrumb_changed = Signal()
    can_go_back_changed = Signal()
    message_changed = Signal()
    busy_changed = Signal()
    stop_id_changed = Signal()
    mode_changed = Signal()

    visible = prop(bool, "visible", visible_changed)
    title = prop(str, "title", title_changed)
    detail = prop(str, "detail", detail_changed)
    plc_text = prop(str, "plc_text", plc_text_changed)
    duration_text = prop(str, "duration_text", duration_text_changed)
    suggested_label = prop(str, "suggested_label", suggested_label_changed)
    choices = prop("QVariantList", "choices", choices_changed)
    breadcrumb = prop(str, "breadcrumb", breadcrumb_changed)
    can_go_back = prop(bool, "can_go_back", can_go_back_changed)
    message = prop(str, "message", message_changed)
    busy = prop(bool, "busy", busy_changed)
    stop_id = prop(str, "stop_id", stop_id_changed)
    mode = prop(str, "mode", mode_changed)
    """"prompt": opened by itself for a stop that asks why; "code": opened from the list."""

    def __init__(
        self,
        ledger: Ledger,
        clock: PlantClock,
        parent: QObject | None = None,
        language: str | None = None,
    ) -> None:
        super().__init__(parent, language)
        self._ledger = ledger
        self._clock = clock
        self._visible = False
        self._title = ""
        self._detail = ""
        self._plc_text = ""
        self._duration_text = ""
        self._suggested_label = ""
        self._choices: list[dict[str, Any]] = []
        self._breadcrumb = ""
        self._can_go_back = False
        self._message = ""
        self._busy = False
        self._stop_id = ""
        self._mode = ""
        self._waiting = ""
        """A stop that began while the operator was coding another: asked next."""
        self._parent: str | None = None
        self._suggested = ""
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        ledger.subscribe(self._on_record_changed)
        open_stop = ledger.open_stop  # a restart mid-stop asks again
        if open_stop is not None and open_stop.asks_person:
            self._show(open_stop, "prompt")

    # -- reacting to the machine ---------------------------------------------------------

    def _on_record_changed(self, touched: set[str]) -> None:
        open_stop = self._ledger.open_stop
        if (
            open_stop is not None
            and open_stop.stop_id in touched
            and open_stop.stop_id != self._stop_id
            and open_stop.asks_person
        ):
            if self._coding():
                self._waiting = open_stop.stop_id
            else:
                self._show(open_stop, "prompt")
                return
        if self._stop_id and self._stop_id in touched:
            stop = self._ledger.stop(self._stop_id)
            if stop is None or (stop.automatic and stop.coded):
                self._hide()
            else:
                self._describe(stop)

    def _coding(self) -> bool:
        """The operator is at work in the open prompt (a new stop must not take it away)."""
        return self._visible and (self._mode == "code" or self._parent is not None or self._busy)

    def _show(self, stop: StopRecord, mode: str) -> None:
        if stop.stop_id == self._waiting:
            self._waiting = ""
        self._set("mode", mode)
        self._set("stop_id", stop.stop_id)
        self._set("message", "")
        self._parent = None
        self._describe(stop)
        self._update_level()
        self._set("visible", True)
        self._timer.start()

    def _hide(self) -> None:
        self._timer.stop()
        self._set("visible", False)
        self._set("stop_id", "")
        self._set("mode", "")
        self._parent = None
        waiting = self._ledger.stop(self._waiting) if self._waiting else None
        self._waiting = ""
        if waiting is not None and waiting.asks_person:
            self._show(waiting, "prompt")  # the stop that began while the operator was coding

    def _describe(self, stop: StopRecord) -> None:
        name = self._ledger.equipment.equipment_id
        if stop.is_open:
            self._set("title", self.tr("%1 stopped. Why?").replace("%1", name))
        else:
            self._set("title", self.tr("Why did %1 stop?").replace("%1", name))
        detail = self.tr("Since %1 · %2").replace("%1", self._clock.time(stop.started_at))
        detail = detail.replace("%2", category_text(stop.category))
        if stop.ended_at is not None:
            detail = self.tr("%1 to %2 · %3").replace("%1", self._clock.time(stop.started_at))
            detail = detail.replace("%2", self._clock.time(stop.ended_at))
            detail = detail.replace("%3", category_text(stop.category))
        self._set("detail", detail)
        plc = plc_words(self._ledger, stop, self._language)
        if plc:
            plc = self.tr("Machine reports: %1").replace("%1", plc)
        self._set("plc_text", plc)
        tree = self._ledger.reason_tree
        suggested = stop.suggested_reason or ""
        self._suggested = suggested
        label = tree.label_path(suggested, self._language) if (tree and suggested) else ""
        self._set("suggested_label", label)
        self._tick()

    @Slot()  # a declared slot: a plain method would give each instance its own metaobject
    def _tick(self) -> None:
        stop = self._ledger.stop(self._stop_id)
        if stop is not None:
            self._set("duration_text", duration_text(stop.duration(utc_now())))

    def _update_level(self) -> None:
        tree = self._ledger.reason_tree
        nodes = tree.choices(self._parent) if tree else ()
        self._set(
            "choices",
            [{"code": n.code, "label": n.name(self._language), "leaf": n.is_leaf} for n in nodes],
        )
        path = tree.label_path(self._parent, self._language) if (tree and self._parent) else ""
        self._set("breadcrumb", path)
        self._set("can_go_back", self._parent is not None)

    def retranslate(self) -> None:
        """The open prompt in the new language: its words and the reasons' names."""
        stop = self._ledger.stop(self._stop_id) if self._stop_id else None
        if stop is not None:
            self._describe(stop)
            self._update_level()

    # -- operator actions ----------------------------------------------------------------

    @Slot(str)
    def open_for(self, stop_id: str) -> None:
        """Open the picker for any stop from the list, to code or recode it."""
        stop = self._ledger.stop(stop_id)
        if stop is not None:
            self._show(stop, "code")

    @Slot(str)
    def choose(self, code: str) -> None:
        """A tap on a reason: go one level down, or code the stop with a leaf."""
        tree = self._ledger.reason_tree
        path = tree.path(code) if tree else ()
        if not path:
            return
        if not path[-1].is_leaf:
            self._parent = code
            self._update_level()
            return
        self._spawn(self._code(code))

    @Slot()
    def choose_suggested(self) -> None:
        """One tap on the PLC's suggested reason."""
        if self._suggested:
            self._spawn(self._code(self._suggested))

    @Slot()
    def back(self) -> None:
        """One level up in the tree."""
        tree = self._ledger.reason_tree
        if tree is None or self._parent is None:
            return
        path = tree.path(self._parent)
        self._parent = path[-2].code if len(path) > 1 else None
        self._update_level()

    @Slot()
    def defer(self) -> None:
        """Close the prompt and give the reason later; the stop stays marked uncoded."""
        stop_id = self._stop_id
        stop = self._ledger.stop(stop_id)
        self._hide()
        if stop is not None and not stop.coded and not stop.deferred:
            self._spawn(self._act(downtime.defer(self._ledger, stop_id)))

    async def _code(self, code: str) -> None:
        stop_id = self._stop_id
        self._set("busy", True)
        try:
            await downtime.code(self._ledger, stop_id, code)
        except Refused as exc:
            self._set("message", refusal_text(exc))
            return
        finally:
            self._set("busy", False)
        if self._stop_id == stop_id:
            self._hide()

    async def _act(self, coro: Any) -> None:
        try:
            await coro
        except Refused as exc:
            self._set("message", refusal_text(exc))


def plc_words(ledger: Ledger, stop: StopRecord, language: str | None) -> str:
    """The PLC's first-out reason: its ID and the mapped reason's name in `language`.

    A PLC reason the station maps to a reason of the tree gets that reason's name (the plant
    names it per language); an unmapped one keeps the PLC's own message, as the machine sent it.
    """
    if not stop.plc_reason_id:  # PackML: 0 is "no reason"
        return ""
    code = ledger.equipment.plc_reasons.get(stop.plc_reason_id)
    tree = ledger.reason_tree
    node = tree.path(code)[-1:] if (tree and code) else ()
    name = node[0].name(language) if node else (stop.plc_reason_message or "")
    return f"{stop.plc_reason_id} {name}".strip()


def category_text(category: StopCategory) -> str:
    """Operator words for a stop category."""
    return {
        StopCategory.INTERNAL: QCoreApplication.translate("Category", "Machine stop"),
        StopCategory.STARVED: QCoreApplication.translate("Category", "Starved (no material in)"),
        StopCategory.BLOCKED: QCoreApplication.translate("Category", "Blocked (output full)"),
        StopCategory.PLANNED: QCoreApplication.translate("Category", "Planned stop"),
        StopCategory.UNKNOWN: QCoreApplication.translate(
            "Category", "State unknown (no connection)"
        ),
    }[category]
