"""Open quality deviations and holds, and their decision: use as is, rework or scrap, with why,
signed by a team lead or quality person (meaning "approved"); releasing the hold with it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from lineside.domain.events import Decision, SubjectType
from lineside.domain.execution import Deviation, Hold, Signature
from lineside.domain.master_data import SignatureMeaning
from lineside.domain.plant_time import PlantClock
from lineside.station.commands import execution
from lineside.station.commands.execution import Signer
from lineside.station.ledger import Ledger
from lineside.viewmodels.base import ViewModel, number_text, plant_date_time, prop
from lineside.viewmodels.instruction import containment_words, decision_words
from lineside.viewmodels.signature import SignatureViewModel, signature_of, signed_words

DECISIONS = (Decision.USE_AS_IS, Decision.REWORK, Decision.SCRAP)
WHY_PRESETS = ("remeasured", "reworked", "replaced")


def why_words(code: str) -> str:
    """A short reason a person deciding can take with one tap."""
    return {
        "remeasured": QCoreApplication.translate("DecisionWhy", "Measured again: within limits"),
        "reworked": QCoreApplication.translate("DecisionWhy", "Reworked and checked again"),
        "replaced": QCoreApplication.translate("DecisionWhy", "Batch taken off the line"),
    }.get(code, code)


class DeviationViewModel(ViewModel):
    """The deviations screen: what is open, the one chosen, and the decision being made."""

    rows_changed = Signal()
    selected_changed = Signal()
    selected_text_changed = Signal()
    is_hold_changed = Signal()
    decisions_changed = Signal()
    why_presets_changed = Signal()
    why_changed = Signal()
    release_hold_changed = Signal()
    can_decide_changed = Signal()
    decide_text_changed = Signal()
    message_changed = Signal()
    empty_text_changed = Signal()
    last_signed_changed = Signal()

    rows = prop("QVariantList", "rows", rows_changed)
    selected = prop(str, "selected", selected_changed)
    selected_text = prop(str, "selected_text", selected_text_changed)
    is_hold = prop(bool, "is_hold", is_hold_changed)
    """The chosen row is a hold whose deviation is decided (or has none): only released."""
    decisions = prop("QVariantList", "decisions", decisions_changed)
    why_presets = prop("QVariantList", "why_presets", why_presets_changed)
    why = prop(str, "why", why_changed)
    release_hold = prop(bool, "release_hold", release_hold_changed)
    can_decide = prop(bool, "can_decide", can_decide_changed)
    decide_text = prop(str, "decide_text", decide_text_changed)
    message = prop(str, "message", message_changed)
    empty_text = prop(str, "empty_text", empty_text_changed)
    last_signed = prop(str, "last_signed", last_signed_changed)
    """The signed record of the last decision made here."""

    def __init__(
        self,
        ledger: Ledger,
        clock: PlantClock,
        signature: SignatureViewModel,
        parent: QObject | None = None,
        language: str | None = None,
    ) -> None:
        super().__init__(parent, language)
        self._ledger = ledger
        self._clock = clock
        self._signature = signature
        self._rows: list[dict[str, Any]] = []
        self._selected = ""
        self._selected_text = ""
        self._is_hold = False
        self._decisions: list[dict[str, Any]] = []
        self._why_presets: list[dict[str, str]] = []
        self._why = ""
        self._release_hold = True
        self._can_decide = False
        self._decide_text = ""
        self._message = ""
        self._empty_text = ""
        self._last_signed = ""
        self._decision = ""
        ledger.subscribe(lambda _touched: self.refresh())
        self.refresh()

    # -- what is shown ---------------------------------------------------------------------

    def _open(self) -> tuple[list[Deviation], list[Hold]]:
        """Open deviations, and open holds whose deviation is decided (or that have none)."""
        execution_ = self._ledger.projections.execution
        deviations = execution_.open_deviations()
        open_ids = {d.deviation_id for d in deviations}
        holds = [h for h in execution_.open_holds() if h.deviation_id not in open_ids]
        return deviations, holds

    @Slot()
    def refresh(self) -> None:
        """The rows from the record; the choice stays while its row is still open."""
        deviations, holds = self._open()
        rows = [self._deviation_row(d) for d in deviations] + [self._hold_row(h) for h in holds]
        ids = [r["id"] for r in rows]
        if self._selected not in ids:
            self._selected = ids[0] if ids else ""
            self._decision = ""
            self._set("why", "")
        for r in rows:
            r["selected"] = r["id"] == self._selected
        self._set("rows", rows)
        self._set("selected", self._selected)
        chosen = next((r for r in rows if r["selected"]), None)
        self._set("selected_text", chosen["finding"] if chosen else "")
        self._set("is_hold", bool(chosen and chosen["kind"] == "hold"))
        self._set("empty_text", "" if rows else self.tr("No open deviations or holds."))
        self._update_form()

    def _limits(self, d: Deviation) -> str:
        def n(value: float) -> str:
            return number_text(value, self._language, 3).rstrip("0").rstrip(".,")

        unit = f" {d.unit}" if d.unit else ""
        if d.lower is not None and d.upper is not None:
            return f"{n(d.lower)} – {n(d.upper)}{unit}"
        if d.lower is not None:
            return self.tr("at least %1").replace("%1", n(d.lower) + unit)
        if d.upper is not None:
            return self.tr("at most %1").replace("%1", n(d.upper) + unit)
        return ""

    def _deviation_row(self, d: Deviation) -> dict[str, Any]:
        limits = self._limits(d)
        value = f"{d.value} {d.unit}".strip()
        finding = (
            self.tr("%1: %2, limits %3")
            .replace("%1", d.check)
            .replace("%2", value)
            .replace("%3", limits)
            if limits
            else self.tr("%1: %2").replace("%1", d.check).replace("%2", value)
        )
        who = self._who(d.opened_by)
        detail = (
            self.tr("Order %1 · opened %2 by %3 · %4")
            .replace("%1", d.order_id)
            .replace("%2", self._when(d.opened_at))
            .replace("%3", who or "—")
            .replace("%4", containment_words(d.containment))
        )
        return {"id": d.deviation_id, "kind": "deviation", "finding": finding, "detail": detail}

    def _hold_row(self, h: Hold) -> dict[str, Any]:
        finding = self.tr("Order %1 held: %2").replace("%1", h.order_id).replace("%2", h.why)
        detail = self.tr("Held since %1").replace("%1", self._when(h.placed_at))
        return {"id": h.hold_id, "kind": "hold", "finding": finding, "detail": detail}

    def _when(self, at: datetime) -> str:
        return plant_date_time(self._clock, at)

    def _who(self, person_id: str | None) -> str:
        person = self._ledger.people.by_id(person_id or "")
        return person.name if person else (person_id or "")

    def _update_form(self) -> None:
        self._set(
            "decisions",
            [
                {
                    "code": d.value,
                    "label": decision_words(d.value),
                    "chosen": d.value == self._decision,
                }
                for d in DECISIONS
            ],
        )
        self._set("why_presets", [{"code": c, "label": why_words(c)} for c in WHY_PRESETS])
        if self._is_hold:
            ready = bool(self._selected and self._why.strip())
            self._set("decide_text", self.tr("Release the hold and sign"))
        else:
            ready = bool(self._selected and self._decision and self._why.strip())
            self._set("decide_text", self.tr("Decide and sign"))
        self._set("can_decide", ready)

    def retranslate(self) -> None:
        """Rows and the form in the new language."""
        self.refresh()

    # -- the decision ----------------------------------------------------------------------

    @Slot(str)
    def select(self, row_id: str) -> None:
        """Choose the deviation or hold to decide."""
        if row_id != self._selected:
            self._selected = row_id
            self._decision = ""
            self._set("why", "")
            self._set("message", "")
        self.refresh()

    @Slot(str)
    def choose_decision(self, code: str) -> None:
        """Use as is, rework or scrap."""
        self._decision = code
        self._update_form()

    @Slot(str)
    def choose_why(self, code: str) -> None:
        """One of the short reasons."""
        self.set_why(why_words(code))

    @Slot(str)
    def set_why(self, text: str) -> None:
        """Why, in words (typed or taken from the short list)."""
        self._set("why", text)
        self._update_form()

    @Slot()
    def toggle_release(self) -> None:
        """Release the hold with the decision, or leave it for later."""
        self._set("release_hold", not self._release_hold)

    @Slot()
    def decide(self) -> None:
        """Ask for the signature of a team lead or quality person; it records the decision."""
        if not self._can_decide:
            return
        row = next((r for r in self._rows if r["id"] == self._selected), None)
        if row is None:
            return
        why, target = self._why.strip(), row["id"]
        ledger = self._ledger
        if row["kind"] == "hold":

            async def release(signer: Signer) -> Signature | None:
                await execution.release_hold(ledger, target, why, signer)
                return self._signed(SubjectType.HOLD, target, signer)

            self._signature.request(SignatureMeaning.APPROVED.value, row["finding"], release)
            return
        decision, release_too = Decision(self._decision), self._release_hold

        async def decide(signer: Signer) -> Signature | None:
            await execution.decide_deviation(
                ledger, target, decision, why, signer, release_hold=release_too
            )
            return self._signed(SubjectType.DEVIATION, target, signer)

        self._signature.request(SignatureMeaning.APPROVED.value, row["finding"], decide)

    def _signed(self, subject: SubjectType, subject_id: str, signer: Signer) -> Signature | None:
        signature = signature_of(
            self._ledger,
            subject,
            subject_id,
            signer.person.person_id,
            SignatureMeaning.APPROVED.value,
        )
        if signature is not None:
            self._set("last_signed", signed_words(self._clock, signature))
        return signature
