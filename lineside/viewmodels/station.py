"""The station header and machine panel: who, where, what state for how long, what is saved."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot

from lineside.devices.machine import ConnectionState, ConnectionStatus, MachineConnection
from lineside.domain.events import utc_now
from lineside.domain.machine_state import MachineSignals, StopCategory
from lineside.domain.plant_time import PlantClock, duration_text
from lineside.station.ledger import Ledger
from lineside.viewmodels.base import ViewModel, const, number_text, prop


class StationViewModel(ViewModel):
    """Header (line, station, machine state and duration, order, person, connection, record).

    Machine state, order, shift, person and counts are read from the ledger's projections.
    """

    machine_state_changed = Signal()
    state_kind_changed = Signal()
    state_duration_changed = Signal()
    connection_changed = Signal()
    connection_text_changed = Signal()
    connection_detail_changed = Signal()
    record_text_changed = Signal()
    record_error_changed = Signal()
    person_text_changed = Signal()
    good_count_changed = Signal()
    defective_count_changed = Signal()
    speed_text_changed = Signal()
    clock_text_changed = Signal()
    order_text_changed = Signal()
    order_caption_changed = Signal()
    order_held_changed = Signal()
    shift_text_changed = Signal()

    machine_state = prop(str, "machine_state", machine_state_changed)
    state_kind = prop(str, "state_kind", state_kind_changed)
    state_duration = prop(str, "state_duration", state_duration_changed)
    connection = prop(str, "connection", connection_changed)
    connection_text = prop(str, "connection_text", connection_text_changed)
    connection_detail = prop(str, "connection_detail", connection_detail_changed)
    record_text = prop(str, "record_text", record_text_changed)
    record_error = prop(str, "record_error", record_error_changed)
    person_text = prop(str, "person_text", person_text_changed)
    good_count = prop(str, "good_count", good_count_changed)
    defective_count = prop(str, "defective_count", defective_count_changed)
    speed_text = prop(str, "speed_text", speed_text_changed)
    clock_text = prop(str, "clock_text", clock_text_changed)
    order_text = prop(str, "order_text", order_text_changed)
    order_caption = prop(str, "order_caption", order_caption_changed)
    order_held = prop(bool, "order_held", order_held_changed)
    """The running order has open holds: the header's order field reads abnormal."""
    shift_text = prop(str, "shift_text", shift_text_changed)

    def __init__(
        self,
        *,
        line: str,
        station: str,
        equipment: str,
        machine: MachineConnection,
        ledger: Ledger,
        clock: PlantClock,
        parent: QObject | None = None,
        language: str | None = None,
    ) -> None:
        super().__init__(parent, language)
        self._line_text = line
        self._station_text = station
        self._equipment_text = equipment
        self._order_text = ""
        self._order_caption = ""
        self._order_held = False
        self._shift_text = ""
        self._ledger = ledger
        self._clock = clock
        self._machine_state = ""
        self._state_kind = "unknown"
        self._state_duration = ""
        self._connection = ""
        self._connection_text = ""
        self._connection_detail = ""
        self._record_text = ""
        self._record_error = ""
        self._person_text = ""
        self._good_count = "—"
        self._defective_count = "—"
        self._speed_text = "—"
        self._clock_text = ""
        self._since: datetime | None = None
        self._clock_minute = -1
        self._signals: MachineSignals | None = None
        self._status: ConnectionStatus | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        machine.subscribe(self._on_signals, self._on_status)
        ledger.subscribe(lambda _touched: self._on_record())
        self._on_status(machine.status)
        self._on_record()

    line_text = const(str, "line_text")
    station_text = const(str, "station_text")
    equipment_text = const(str, "equipment_text")

    def retranslate(self) -> None:
        """Every text of the header and the machine panel in the new language."""
        if self._signals is not None:
            self._on_signals(self._signals)
        if self._status is not None:
            self._on_status(self._status)
        self._on_record()

    def _on_signals(self, signals: MachineSignals) -> None:
        self._signals = signals
        self._update_counts()
        self._update_order()
        if signals.speed is not None:
            self._set("speed_text", self.tr("%1/min").replace("%1", f"{signals.speed:.0f}"))

    def _on_status(self, status: ConnectionStatus) -> None:
        self._status = status
        self._set("connection", status.state.value)
        self._set(
            "connection_text",
            {
                ConnectionState.CONNECTING: self.tr("Connecting"),
                ConnectionState.CONNECTED: self.tr("Connected"),
                ConnectionState.RECONNECTING: self.tr("Reconnecting"),
                ConnectionState.LOST: self.tr("No connection"),
            }[status.state],
        )
        self._set("connection_detail", self._link_words(status))
        self._update_state()

    def _link_words(self, status: ConnectionStatus) -> str:
        """What the panel says while the machine cannot be seen (the device's detail is logged)."""
        since = self._clock.time(status.since)
        if status.state is ConnectionState.CONNECTING:
            return self.tr("Connecting to the machine since %1.").replace("%1", since)
        if status.state is ConnectionState.RECONNECTING:
            return self.tr("No link to the machine since %1; trying again.").replace("%1", since)
        if status.state is ConnectionState.LOST:
            return self.tr(
                "No link to the machine since %1. Its stops are recorded as state unknown "
                "until it is back."
            ).replace("%1", since)
        return ""

    def _on_record(self) -> None:
        self._update_state()
        self._update_record()
        self._update_context()
        self._update_counts()

    def _update_state(self) -> None:
        """The machine as the record has it: the open stop, else producing since the last one."""
        status = self._status
        link = self._ledger.projections.link
        stop = self._ledger.open_stop
        connected = status is not None and status.state is ConnectionState.CONNECTED
        if not connected or not link.connected:
            self._set("machine_state", self.tr("State unknown"))
            self._set("state_kind", "unknown")
            self._since = status.since if status and not connected else link.since
        elif stop is not None and stop.category is StopCategory.UNKNOWN:
            self._set("machine_state", self.tr("State unknown"))
            self._set("state_kind", "unknown")
            self._since = stop.started_at
        elif stop is not None:
            planned = stop.category is StopCategory.PLANNED
            text = state_text(stop.state)
            if planned:
                text = self.tr("%1 · planned").replace("%1", text)
            self._set("machine_state", text)
            self._set("state_kind", "planned" if planned else "stopped")
            self._since = stop.started_at
        else:
            self._set("machine_state", state_text("Execute"))
            self._set("state_kind", "producing")
            self._since = self._ledger.projections.stops.last_end or link.since
        self._tick()

    def _update_order(self) -> None:
        """The running order: its product and progress ("420 / 1,000"), and held or not."""
        job = self._ledger.order_book.current_job
        if job is None:
            context = self._ledger.source.at(self._ledger.projections, utc_now())
            order = " · ".join(p for p in (context.order, context.operation) if p)
            self._set("order_text", order or self.tr("No order"))
            self._set("order_held", False)
            return
        product = self._ledger.products.get(job.product)
        name = product.label(self._language) if product else job.product
        good = job.good + self._ledger.counter.pending()[0]
        progress = f"{number_text(good, self._language)} / "
        progress += number_text(job.quantity, self._language)
        held = bool(self._ledger.projections.execution.open_holds(job.order_id))
        parts = [self.tr("Held")] if held else []
        self._set("order_text", " · ".join([*parts, job.order_id, name, progress]))
        self._set("order_held", held)

    def _update_context(self) -> None:
        context = self._ledger.source.at(self._ledger.projections, utc_now())
        self._update_order()
        self._set(
            "order_caption",
            self.tr("Order (config)") if context.fallback else self.tr("Order"),
        )
        source = self._ledger.source
        span = source.shift(utc_now())
        name = ""
        if span is not None:  # the calendar's shift carries its names per language
            shifts = source.calendar.shifts if source.calendar else ()
            shift = next((s for s in shifts if s.name == span.name), None)
            name = shift.label(self._language) if shift else span.name
        self._set("shift_text", name or context.shift or self.tr("No shift"))

    def _update_counts(self) -> None:
        """This shift's counts: recorded ones plus what the machine made since the last cut."""
        span = self._ledger.source.shift(utc_now())
        shift = span.key if span else self._ledger.source.fallback.shift
        good, defective = self._ledger.projections.counts.of_shift(shift)
        pending_good, pending_defective = self._ledger.counter.pending()
        if self._signals is not None and self._signals.good_count is not None:
            self._set("good_count", _number(good + pending_good))
        if self._signals is not None and self._signals.defective_count is not None:
            self._set("defective_count", _number(defective + pending_defective))

    def _update_record(self) -> None:
        ledger = self._ledger
        self._set("record_text", self.tr("Saved: %1").replace("%1", str(ledger.committed)))
        self._set("record_error", ledger.last_error)
        session = ledger.session
        if session.person_id is None:
            self._set("person_text", self.tr("Nobody signed in"))
        else:
            self._set("person_text", session.name or session.person_id)

    @Slot()  # a declared slot: a plain method would give each instance its own metaobject
    def _tick(self) -> None:
        now = utc_now()
        if self._clock_minute != now.minute:
            self._clock_minute = now.minute
            self._update_context()
        self._set("state_duration", duration_text(now - self._since) if self._since else "")
        self._update_order()  # what the machine made since the ledger took its last signals
        self._set("clock_text", self._clock.time(now)[:5])


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\u2009")


def state_text(label: str) -> str:
    """Operator words for a PLC state label (PackML, running bit or MachineryItemState)."""
    words = {
        "Execute": QCoreApplication.translate("MachineState", "Producing"),
        "Running": QCoreApplication.translate("MachineState", "Producing"),
        "Executing": QCoreApplication.translate("MachineState", "Producing"),
        "Held": QCoreApplication.translate("MachineState", "Held"),
        "Holding": QCoreApplication.translate("MachineState", "Holding"),
        "Unholding": QCoreApplication.translate("MachineState", "Unholding"),
        "Stopped": QCoreApplication.translate("MachineState", "Stopped"),
        "Stopping": QCoreApplication.translate("MachineState", "Stopping"),
        "Aborted": QCoreApplication.translate("MachineState", "Aborted"),
        "Aborting": QCoreApplication.translate("MachineState", "Aborting"),
        "Suspended": QCoreApplication.translate("MachineState", "Suspended"),
        "Suspending": QCoreApplication.translate("MachineState", "Suspending"),
        "Unsuspending": QCoreApplication.translate("MachineState", "Unsuspending"),
        "Idle": QCoreApplication.translate("MachineState", "Idle"),
        "Starting": QCoreApplication.translate("MachineState", "Starting"),
        "Resetting": QCoreApplication.translate("MachineState", "Resetting"),
        "Clearing": QCoreApplication.translate("MachineState", "Clearing"),
        "Complete": QCoreApplication.translate("MachineState", "Complete"),
        "Completing": QCoreApplication.translate("MachineState", "Completing"),
        "Not running": QCoreApplication.translate("MachineState", "Not running"),
        "Not Executing": QCoreApplication.translate("MachineState", "Not producing"),
        "Out Of Service": QCoreApplication.translate("MachineState", "Out of service"),
        "Not Available": QCoreApplication.translate("MachineState", "Not available"),
    }
    if label in words:
        return words[label]
    if label == "State unknown":
        return QCoreApplication.translate("MachineState", "State unknown")
    number = label.removeprefix("State ")  # a state number the rules do not name
    if number != label and number.isdigit():
        return QCoreApplication.translate("MachineState", "State %1").replace("%1", number)
    return label
