"""The work instruction of the running order, step by step: text, callouts, image, confirm,
checks entered on the keypad (out of limits: the containment, then the deviation), and the
signatures of critical steps."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QUrl, Signal, Slot

from lineside.domain.events import Containment, SubjectType
from lineside.domain.execution import Signature, step_subject
from lineside.domain.master_data import (
    Check,
    CheckKind,
    InstructionStep,
    SignatureMeaning,
    WorkInstructionRecord,
)
from lineside.domain.orders import Job
from lineside.domain.plant_time import PlantClock
from lineside.station.commands import execution
from lineside.station.commands.execution import FAIL, PASS, Signer, parse_value
from lineside.station.ledger import Ledger, Refused
from lineside.viewmodels.base import ViewModel, number_text, plant_date_time, prop, refusal_text
from lineside.viewmodels.signature import (
    SignatureViewModel,
    meaning_by_words,
    signature_of,
)

MAX_ENTRY = 12
CONTAINMENTS = (Containment.CONTINUE, Containment.HOLD, Containment.STOP_LINE)


def callout_words(kind: str) -> str:
    """The label of a callout's kind."""
    return {
        "safety": QCoreApplication.translate("Callout", "Safety"),
        "quality": QCoreApplication.translate("Callout", "Quality"),
        "note": QCoreApplication.translate("Callout", "Note"),
    }.get(kind, kind)


def containment_words(containment: Containment) -> str:
    """Operator words for what happens when a check is out of limits."""
    return {
        Containment.CONTINUE: QCoreApplication.translate("Containment", "Continue production"),
        Containment.HOLD: QCoreApplication.translate("Containment", "Hold the batch"),
        Containment.STOP_LINE: QCoreApplication.translate("Containment", "Stop the line"),
    }[containment]


def limits_words(check: Check, language: str | None) -> str:
    """'9.8 – 10.2 ml (target 10.0)', 'at least 495 ml', '' without limits."""

    def n(value: float) -> str:
        return number_text(value, language, check.decimals)

    unit = f" {check.unit}" if check.unit else ""
    if check.lower is not None and check.upper is not None:
        text = f"{n(check.lower)} – {n(check.upper)}{unit}"
    elif check.lower is not None:
        text = QCoreApplication.translate("Check", "at least %1").replace(
            "%1", n(check.lower) + unit
        )
    elif check.upper is not None:
        text = QCoreApplication.translate("Check", "at most %1").replace(
            "%1", n(check.upper) + unit
        )
    else:
        text = ""
    if check.target is not None:
        target = QCoreApplication.translate("Check", "target %1").replace("%1", n(check.target))
        text = f"{text} ({target})" if text else target
    return text


class InstructionViewModel(ViewModel):
    """The instruction screen of the current job: one step at a time, and what it asks for."""

    has_instruction_changed = Signal()
    empty_text_changed = Signal()
    title_text_changed = Signal()
    step_of_text_changed = Signal()
    step_text_changed = Signal()
    callouts_changed = Signal()
    image_source_changed = Signal()
    image_text_changed = Signal()
    image_open_changed = Signal()
    can_confirm_changed = Signal()
    done_changed = Signal()
    done_text_changed = Signal()
    critical_changed = Signal()
    signs_changed = Signal()
    can_sign_changed = Signal()
    sign_text_changed = Signal()
    check_kind_changed = Signal()
    check_name_changed = Signal()
    limits_text_changed = Signal()
    entry_text_changed = Signal()
    entry_abnormal_changed = Signal()
    decimal_point_changed = Signal()
    choices_changed = Signal()
    check_value_text_changed = Signal()
    check_abnormal_changed = Signal()
    check_status_text_changed = Signal()
    can_enter_changed = Signal()
    containment_visible_changed = Signal()
    containment_text_changed = Signal()
    containments_changed = Signal()
    held_changed = Signal()
    held_text_changed = Signal()
    message_changed = Signal()
    busy_changed = Signal()
    can_back_changed = Signal()
    can_next_changed = Signal()

    has_instruction = prop(bool, "has_instruction", has_instruction_changed)
    empty_text = prop(str, "empty_text", empty_text_changed)
    title_text = prop(str, "title_text", title_text_changed)
    step_of_text = prop(str, "step_of_text", step_of_text_changed)
    step_text = prop(str, "step_text", step_text_changed)
    callouts = prop("QVariantList", "callouts", callouts_changed)
    image_source = prop(str, "image_source", image_source_changed)
    image_text = prop(str, "image_text", image_text_changed)
    image_open = prop(bool, "image_open", image_open_changed)
    can_confirm = prop(bool, "can_confirm", can_confirm_changed)
    done = prop(bool, "done", done_changed)
    done_text = prop(str, "done_text", done_text_changed)
    critical = prop(bool, "critical", critical_changed)
    signs = prop("QVariantList", "signs", signs_changed)
    can_sign = prop(bool, "can_sign", can_sign_changed)
    sign_text = prop(str, "sign_text", sign_text_changed)
    check_kind = prop(str, "check_kind", check_kind_changed)
    """"" (no check), "measurement", "pass_fail", "choice" or "text"."""
    check_name = prop(str, "check_name", check_name_changed)
    limits_text = prop(str, "limits_text", limits_text_changed)
    entry_text = prop(str, "entry_text", entry_text_changed)
    entry_abnormal = prop(bool, "entry_abnormal", entry_abnormal_changed)
    decimal_point = prop(str, "decimal_point", decimal_point_changed)
    choices = prop("QVariantList", "choices", choices_changed)
    check_value_text = prop(str, "check_value_text", check_value_text_changed)
    check_abnormal = prop(bool, "check_abnormal", check_abnormal_changed)
    check_status_text = prop(str, "check_status_text", check_status_text_changed)
    can_enter = prop(bool, "can_enter", can_enter_changed)
    containment_visible = prop(bool, "containment_visible", containment_visible_changed)
    containment_text = prop(str, "containment_text", containment_text_changed)
    containments = prop("QVariantList", "containments", containments_changed)
    held = prop(bool, "held", held_changed)
    held_text = prop(str, "held_text", held_text_changed)
    message = prop(str, "message", message_changed)
    busy = prop(bool, "busy", busy_changed)
    can_back = prop(bool, "can_back", can_back_changed)
    can_next = prop(bool, "can_next", can_next_changed)

    def __init__(
        self,
        ledger: Ledger,
        clock: PlantClock,
        signature: SignatureViewModel,
        *,
        image_path: Callable[[str], Path | None] = lambda _address: None,
        parent: QObject | None = None,
        language: str | None = None,
    ) -> None:
        super().__init__(parent, language)
        self._ledger = ledger
        self._clock = clock
        self._signature = signature
        self._image_path = image_path
        self._empty_text = ""
        self._title_text = ""
        self._step_of_text = ""
        self._step_text = ""
        self._image_source = ""
        self._image_text = ""
        self._done_text = ""
        self._sign_text = ""
        self._check_kind = ""
        self._check_name = ""
        self._limits_text = ""
        self._entry_text = ""
        self._decimal_point = ""
        self._check_value_text = ""
        self._check_status_text = ""
        self._containment_text = ""
        self._held_text = ""
        self._message = ""
        self._has_instruction = False
        self._image_open = False
        self._can_confirm = False
        self._done = False
        self._critical = False
        self._can_sign = False
        self._entry_abnormal = False
        self._check_abnormal = False
        self._can_enter = False
        self._containment_visible = False
        self._held = False
        self._busy = False
        self._can_back = False
        self._can_next = False
        self._callouts: list[dict[str, str]] = []
        self._signs: list[dict[str, Any]] = []
        self._choices: list[dict[str, str]] = []
        self._containments: list[dict[str, str]] = []
        self._job_key = ""
        self._index = 0
        self._entry = ""
        self._pending = ""
        """A value out of limits waiting for the operator's containment choice."""
        ledger.subscribe(lambda _touched: self.refresh())
        self.refresh()

    # -- what is shown ---------------------------------------------------------------------

    def _current(self) -> tuple[WorkInstructionRecord, Job, InstructionStep, str] | None:
        found = self._ledger.instruction()
        if found is None:
            return None
        record, job = found
        ids = record.step_ids()
        self._index = min(self._index, len(ids) - 1)
        return record, job, record.steps[self._index], ids[self._index]

    @Slot()
    def refresh(self) -> None:
        """Show the current step of the running order's instruction as the record has it."""
        found = self._ledger.instruction()
        if found is None:
            self._job_key = ""
            self._set("has_instruction", False)
            job = self._ledger.order_book.current_job
            self._set(
                "empty_text",
                self.tr("No order running. Start one on the order screen.")
                if job is None
                else self.tr("Order %1 has no work instruction.").replace("%1", job.order_id),
            )
            self._set("held", False)
            return
        record, job = found
        if job.key != self._job_key:  # another order: start at its first open step
            self._job_key = job.key
            done = self._ledger.projections.execution.steps_done(job.key)
            ids = record.step_ids()
            self._index = next((i for i, s in enumerate(ids) if s not in done), 0)
            self._entry = ""
        self._show()

    def _show(self) -> None:
        current = self._current()
        if current is None:
            return
        record, job, step, step_id = current
        lang = self._language
        execution_ = self._ledger.projections.execution
        self._set("has_instruction", True)
        self._set(
            "title_text",
            self.tr("%1 · version %2")
            .replace("%1", record.label(lang))
            .replace("%2", record.version),
        )
        count = len(record.steps)
        self._set(
            "step_of_text",
            self.tr("Step %1 of %2").replace("%1", str(self._index + 1)).replace("%2", str(count)),
        )
        self._set("step_text", step.label(lang))
        self._set(
            "callouts",
            [
                {
                    "kind": c.kind.value,
                    "kind_text": callout_words(c.kind.value),
                    "text": c.label(lang),
                }
                for c in step.callouts
            ],
        )
        self._show_image(step)
        done = execution_.steps_done(job.key).get(step_id)
        self._set("done", done is not None)
        if done is not None:
            who = self._who(done.by)
            text = self.tr("Saved · %1").replace(
                "%1", plant_date_time(self._clock, done.confirmed_at)
            )
            self._set("done_text", f"{text} · {who}" if who else text)
        else:
            self._set("done_text", "")
        plain = step.check is None and not step.critical and record.needs_confirmation(step)
        self._set("can_confirm", plain and done is None)
        self._show_check(job, step, step_id)
        self._show_signs(job, step, step_id, done is not None)
        self._show_held(job)
        self._set("can_back", self._index > 0)
        self._set("can_next", self._index < count - 1)

    def _show_image(self, step: InstructionStep) -> None:
        path = self._image_path(step.image) if step.image else None
        self._set("image_source", QUrl.fromLocalFile(str(path)).toString() if path else "")
        self._set(
            "image_text", self.tr("Image not downloaded yet") if step.image and not path else ""
        )
        if not path and self._image_open:
            self._set("image_open", False)

    def _show_check(self, job: Job, step: InstructionStep, step_id: str) -> None:
        check = step.check
        lang = self._language
        self._set("check_kind", check.kind.value if check else "")
        self._set("check_name", check.label(lang) if check else "")
        self._set("limits_text", limits_words(check, lang) if check else "")
        locale = QLocale(lang) if lang else QLocale()
        point = "," if locale.decimalPoint() == "," else "."
        self._set("decimal_point", point)
        self._set("entry_text", self._entry)
        if check is not None and check.kind is CheckKind.PASS_FAIL:
            choices = [
                {"value": PASS, "label": self.tr("Pass")},
                {"value": FAIL, "label": self.tr("Fail")},
            ]
        elif check is not None and check.kind is CheckKind.CHOICE:
            choices = [{"value": c, "label": c} for c in check.choices]
        else:
            choices = []
        self._set("choices", choices)
        recorded = self._ledger.projections.execution.check_of(job.key, step_id) if check else None
        self._set("can_enter", check is not None and recorded is None)
        if recorded is None:
            self._set("check_value_text", "")
            self._set("check_abnormal", self._pending != "")
            self._set("check_status_text", "")
            return
        shown = self._value_words(check, recorded.value) if check else recorded.value
        self._set("check_value_text", f"{shown} {recorded.unit}".strip())
        self._set("check_abnormal", not recorded.within)
        self._set("entry_abnormal", False)
        self._set("check_status_text", self._status_words(recorded.within, recorded.deviation_id))

    def _value_words(self, check: Check, value: str) -> str:
        if check.kind is CheckKind.PASS_FAIL:
            return self.tr("Pass") if value == PASS else self.tr("Fail")
        if check.kind is CheckKind.MEASUREMENT:
            try:
                return number_text(float(value), self._language, check.decimals)
            except ValueError:
                return value
        return value

    def _status_words(self, within: bool, deviation_id: str | None) -> str:
        if within:
            return self.tr("Within limits · Saved")
        deviation = (
            self._ledger.projections.execution.deviations.get(deviation_id)
            if deviation_id
            else None
        )
        if deviation is None:
            return self.tr("Out of limits")
        if deviation.decision is not None:
            return self.tr("Out of limits · Deviation decided: %1").replace(
                "%1", decision_words(deviation.decision.value)
            )
        holds = [
            h
            for h in self._ledger.projections.execution.open_holds(deviation.order_id)
            if h.deviation_id == deviation_id
        ]
        if any(h.stop_line for h in holds):
            return self.tr("Out of limits · Deviation opened — line stopped")
        if holds:
            return self.tr("Out of limits · Deviation opened — held")
        return self.tr("Out of limits · Deviation opened — production continues")

    def _show_signs(self, job: Job, step: InstructionStep, step_id: str, done: bool) -> None:
        self._set("critical", step.critical)
        given = {
            s.meaning: s
            for s in self._ledger.projections.execution.signatures_for(job.key, step_id)
        }
        rows = []
        wanted = ""
        for meaning in step.signs:
            signature = given.get(meaning.value)
            if signature is None and not wanted:
                wanted = meaning.value
            rows.append(
                {
                    "meaning": meaning.value,
                    "label": meaning_by_words(meaning.value),
                    "signed_text": self._signed_words(signature) if signature else "",
                    "signed": signature is not None,
                }
            )
        self._set("signs", rows)
        recorded = step.check is None or (
            self._ledger.projections.execution.check_of(job.key, step_id) is not None
        )
        self._set("can_sign", bool(wanted) and recorded and not done)
        self._set(
            "sign_text",
            self.tr("Sign: %1").replace("%1", meaning_by_words(wanted)) if wanted else "",
        )

    def _signed_words(self, signature: Signature) -> str:
        return f"{signature.name} · {plant_date_time(self._clock, signature.at)}"

    def _show_held(self, job: Job) -> None:
        holds = self._ledger.projections.execution.open_holds(job.order_id)
        self._set("held", bool(holds))
        if holds:
            self._set(
                "held_text",
                self.tr("Order %1 held: %2. A team lead or quality person decides.")
                .replace("%1", job.order_id)
                .replace("%2", "; ".join(h.why for h in holds)),
            )
        else:
            self._set("held_text", "")

    def _who(self, person_id: str | None) -> str:
        person = self._ledger.people.by_id(person_id or "")
        return person.name if person else (person_id or "")

    def retranslate(self) -> None:
        """The step in the new language."""
        self.refresh()
        if self._containment_visible:
            self._ask_containment(self._pending)

    # -- moving between steps --------------------------------------------------------------

    @Slot()
    def next(self) -> None:
        """The next step."""
        self._go(self._index + 1)

    @Slot()
    def back(self) -> None:
        """The step before."""
        self._go(self._index - 1)

    def _go(self, index: int) -> None:
        found = self._ledger.instruction()
        if found is None or not 0 <= index < len(found[0].steps):
            return
        self._index = index
        self._entry = ""
        self._pending = ""
        self._set("entry_abnormal", False)
        self._set("message", "")
        self._set("image_open", False)
        self._show()

    @Slot()
    def open_image(self) -> None:
        """Show the step's image over the whole screen."""
        if self._image_source:
            self._set("image_open", True)

    @Slot()
    def close_image(self) -> None:
        """Close the enlarged image."""
        self._set("image_open", False)

    # -- confirming and checks -------------------------------------------------------------

    @Slot()
    def confirm(self) -> None:
        """Confirm the step shown (one without a check or signatures)."""
        current = self._current()
        if current is not None:
            self._spawn(self._act(execution.confirm_step(self._ledger, current[3])))

    @Slot(str)
    def press(self, digit: str) -> None:
        """A keypad digit of a measurement."""
        if digit.isdigit() and len(self._entry) < MAX_ENTRY:
            self._type(self._entry + digit)

    @Slot()
    def press_decimal(self) -> None:
        """The decimal separator (once)."""
        if self._entry and "," not in self._entry and "." not in self._entry:
            self._type(self._entry + self._decimal_point)

    @Slot()
    def backspace(self) -> None:
        """Remove the last character typed."""
        self._type(self._entry[:-1])

    @Slot(str)
    def set_text(self, text: str) -> None:
        """The typed value of a text check."""
        self._entry = text
        self._set("entry_text", text)

    def _type(self, entry: str) -> None:
        self._entry = entry
        self._pending = ""
        self._set("entry_text", entry)
        self._set("entry_abnormal", False)
        self._set("check_abnormal", False)
        self._set("message", "")

    @Slot()
    def enter(self) -> None:
        """Record the measurement (or text) typed."""
        self._record(self._entry)

    @Slot(str)
    def choose(self, value: str) -> None:
        """A pass/fail or choice button."""
        self._record(value)

    def _record(self, value: str) -> None:
        current = self._current()
        if current is None or self._busy:
            return
        _record, _job, step, step_id = current
        check = step.check
        if check is None:
            return
        try:
            _shown, _number, within = parse_value(check, value)
        except Refused as exc:
            self._set("message", refusal_text(exc))
            return
        if not within:  # abnormal at once, before anything is saved
            self._set("entry_abnormal", True)
            self._set("check_abnormal", True)
            if check.containment is None:
                self._ask_containment(value)
                return
        self._spawn(self._record_check(step_id, value, None))

    def _ask_containment(self, value: str) -> None:
        current = self._current()
        if current is None or current[2].check is None:
            return
        check = current[2].check
        self._pending = value
        shown = parse_value(check, value)[0]
        self._set(
            "containment_text",
            self.tr("%1 %2 is out of limits: %3. What happens with the batch now?")
            .replace("%1", check.label(self._language))
            .replace("%2", f"{self._value_words(check, shown)} {check.unit}".strip())
            .replace("%3", limits_words(check, self._language) or self.tr("fail")),
        )
        self._set(
            "containments",
            [{"code": c.value, "label": containment_words(c)} for c in CONTAINMENTS],
        )
        self._set("containment_visible", True)

    @Slot(str)
    def choose_containment(self, code: str) -> None:
        """What happens now with a value out of limits: continue, hold the batch, stop."""
        current = self._current()
        if current is None or not self._pending:
            return
        value, self._pending = self._pending, ""
        self._set("containment_visible", False)
        self._spawn(self._record_check(current[3], value, Containment(code)))

    @Slot()
    def cancel_containment(self) -> None:
        """Back to the entry: nothing is saved."""
        self._pending = ""
        self._set("containment_visible", False)
        self._set("entry_abnormal", False)
        self._set("check_abnormal", False)

    async def _record_check(
        self, step_id: str, value: str, containment: Containment | None
    ) -> None:
        self._set("busy", True)
        try:
            await execution.record_check(self._ledger, step_id, value, containment)
        except Refused as exc:
            if exc.code == "containment_required":
                self._ask_containment(value)
            else:
                self._set("message", refusal_text(exc))
            return
        finally:
            self._set("busy", False)
        self._entry = ""
        self._set("message", "")
        self.refresh()

    async def _act(self, coro: Any) -> None:
        self._set("busy", True)
        try:
            await coro
        except Refused as exc:
            self._set("message", refusal_text(exc))
            return
        finally:
            self._set("busy", False)
        self._set("message", "")
        self.refresh()

    # -- signing ---------------------------------------------------------------------------

    @Slot()
    def sign(self) -> None:
        """Open the signature dialog for the step's next meaning."""
        current = self._current()
        if current is None:
            return
        _record, job, step, step_id = current
        given = self._ledger.projections.execution.signatures_for(job.key, step_id)
        meanings = {s.meaning for s in given}
        wanted = next((m for m in step.signs if m.value not in meanings), None)
        if wanted is None:
            return
        subject = step_subject(job.order_id, job.operation_id, step_id)

        async def sign_step(signer: Signer, meaning: SignatureMeaning = wanted) -> Signature | None:
            await execution.sign_step(self._ledger, step_id, meaning, signer)
            return signature_of(
                self._ledger, SubjectType.STEP, subject, signer.person.person_id, meaning.value
            )

        self._signature.request(
            wanted.value, step.label(self._language), sign_step, {s.person_id for s in given}
        )


def decision_words(decision: str) -> str:
    """Operator words for a deviation's decision."""
    return {
        "use_as_is": QCoreApplication.translate("Decision", "Use as is"),
        "rework": QCoreApplication.translate("Decision", "Rework"),
        "scrap": QCoreApplication.translate("Decision", "Scrap"),
    }.get(decision, decision)
