"""The signature dialog: badge then PIN (or the PIN alone later in a session), for a critical
step or a quality decision; shows the signed record with printed name, meaning and time."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from lineside.domain.execution import Signature
from lineside.domain.master_data import SignatureMeaning
from lineside.domain.people import Role
from lineside.domain.plant_time import PlantClock
from lineside.station.commands import execution
from lineside.station.commands.execution import Signer
from lineside.station.ledger import Ledger, Refused
from lineside.viewmodels.base import ViewModel, plant_date_time, prop, refusal_text

MAX_BADGE = 20
MAX_PIN = 12

SignAction = Callable[[Signer], Awaitable[Signature | None]]
"""What the signature is for: the command that records it, given the verified signer; it
returns the signature recorded (to show the signed record)."""


def meaning_words(meaning: str) -> str:
    """Operator words for what a signature means."""
    return {
        SignatureMeaning.PERFORMED.value: QCoreApplication.translate("Signature", "Performed"),
        SignatureMeaning.VERIFIED.value: QCoreApplication.translate("Signature", "Verified"),
        SignatureMeaning.APPROVED.value: QCoreApplication.translate("Signature", "Approved"),
    }.get(meaning, meaning)


def meaning_by_words(meaning: str) -> str:
    """'Performed by', 'Verified by', 'Approved by'."""
    return {
        SignatureMeaning.PERFORMED.value: QCoreApplication.translate("Signature", "Performed by"),
        SignatureMeaning.VERIFIED.value: QCoreApplication.translate("Signature", "Verified by"),
        SignatureMeaning.APPROVED.value: QCoreApplication.translate("Signature", "Approved by"),
    }.get(meaning, meaning)


def signed_words(clock: PlantClock, signature: Signature) -> str:
    """The signed record as shown: 'Anna Berg · Performed · 04.12.2026 10:42' (plant time)."""
    return " · ".join(
        (signature.name, meaning_words(signature.meaning), plant_date_time(clock, signature.at))
    )


class SignatureViewModel(ViewModel):
    """One signing at a time: who signs (badge, or the signed-in person's PIN alone), the PIN
    masked, what went wrong (wrong PIN with attempts left, locked), and the signed record."""

    visible_changed = Signal()
    step_changed = Signal()
    title_changed = Signal()
    meaning_text_changed = Signal()
    ask_text_changed = Signal()
    entry_text_changed = Signal()
    message_changed = Signal()
    signed_text_changed = Signal()
    busy_changed = Signal()
    pin_only_changed = Signal()
    can_unlock_changed = Signal()

    visible = prop(bool, "visible", visible_changed)
    step = prop(str, "step", step_changed)
    """"badge", "pin", "locked" or "signed"."""
    title = prop(str, "title", title_changed)
    meaning_text = prop(str, "meaning_text", meaning_text_changed)
    ask_text = prop(str, "ask_text", ask_text_changed)
    entry_text = prop(str, "entry_text", entry_text_changed)
    """The badge number typed, or the PIN masked (one dot per digit)."""
    message = prop(str, "message", message_changed)
    signed_text = prop(str, "signed_text", signed_text_changed)
    busy = prop(bool, "busy", busy_changed)
    pin_only = prop(bool, "pin_only", pin_only_changed)
    can_unlock = prop(bool, "can_unlock", can_unlock_changed)

    def __init__(
        self,
        ledger: Ledger,
        clock: PlantClock,
        role: Callable[[], Role | None],
        parent: QObject | None = None,
        language: str | None = None,
    ) -> None:
        super().__init__(parent, language)
        self._ledger = ledger
        self._clock = clock
        self._role = role
        self._visible = False
        self._step = ""
        self._title = ""
        self._meaning_text = ""
        self._ask_text = ""
        self._entry_text = ""
        self._message = ""
        self._signed_text = ""
        self._busy = False
        self._pin_only = False
        self._can_unlock = False
        self._meaning = ""
        self._action: SignAction | None = None
        self._exclude: frozenset[str] = frozenset()
        self._badge = ""
        self._pin = ""
        self._signer_id = ""
        """Who is signing: the person of the badge, or the signed-in person (PIN alone)."""
        self._signature: Signature | None = None

    # -- opening ---------------------------------------------------------------------------

    def request(
        self, meaning: str, title: str, action: SignAction, exclude: Collection[str] = ()
    ) -> None:
        """Ask for a signature with `meaning` on `title`; `action` records it. People in
        `exclude` signed the subject already: they are asked for another person's badge."""
        self._meaning = meaning
        self._action = action
        self._exclude = frozenset(exclude)
        self._signature = None
        self._set("title", title)
        self._set("meaning_text", meaning_by_words(meaning))
        self._set("signed_text", "")
        self._set("message", "")
        person = self._ledger.person
        if person and person not in self._exclude and self._ledger.pin_only(person):
            self._ask_pin(person, pin_only=True)
        else:
            self._ask_badge()
        self._set("visible", True)

    def _ask_badge(self) -> None:
        self._badge = self._pin = self._signer_id = ""
        self._set("pin_only", False)
        self._set("step", "badge")
        self._set("ask_text", self.tr("Badge number of the person signing"))
        self._set("entry_text", "")
        self._set("can_unlock", False)

    def _ask_pin(self, person_id: str, *, pin_only: bool) -> None:
        self._pin = ""
        self._signer_id = person_id
        person = self._ledger.people.by_id(person_id)
        name = person.name if person else person_id
        self._set("pin_only", pin_only)
        self._set("step", "pin")
        self._set("ask_text", self.tr("PIN of %1").replace("%1", name))
        self._set("entry_text", "")

    def _locked(self, person_id: str, text: str) -> None:
        self._signer_id = person_id
        self._set("step", "locked")
        self._set("message", text)
        self._set("entry_text", "")
        self._set("can_unlock", self._role() is Role.TEAM_LEAD)

    def retranslate(self) -> None:
        """The open dialog in the new language."""
        if not self._visible:
            return
        self._set("meaning_text", meaning_by_words(self._meaning))
        if self._step == "badge":
            self._set("ask_text", self.tr("Badge number of the person signing"))
        elif self._step == "pin":
            self._ask_pin(self._signer_id, pin_only=self._pin_only)
        if self._signature is not None:
            self._set("signed_text", signed_words(self._clock, self._signature))

    # -- the keypad ------------------------------------------------------------------------

    @Slot(str)
    def press(self, digit: str) -> None:
        """One keypad digit (of the badge or the PIN)."""
        if not digit.isdigit() or self._busy:
            return
        if self._step == "badge" and len(self._badge) < MAX_BADGE:
            self._badge += digit
            self._set("entry_text", self._badge)
        elif self._step == "pin" and len(self._pin) < MAX_PIN:
            self._pin += digit
            self._set("entry_text", "●" * len(self._pin))
        self._set("message", "")

    @Slot()
    def backspace(self) -> None:
        """Remove the last digit."""
        if self._step == "badge":
            self._badge = self._badge[:-1]
            self._set("entry_text", self._badge)
        elif self._step == "pin":
            self._pin = self._pin[:-1]
            self._set("entry_text", "●" * len(self._pin))

    @Slot()
    def confirm(self) -> None:
        """The badge: ask for its holder's PIN. The PIN: verify it, then record the signature."""
        if self._busy:
            return
        if self._step == "badge":
            self._take_badge()
        elif self._step == "pin" and self._pin:
            self._spawn(self._sign(self._pin, None if self._pin_only else self._badge))

    def _take_badge(self) -> None:
        person = self._ledger.people.by_badge(self._badge.strip())
        refused = (
            Refused("badge_unknown")
            if person is None
            else Refused("same_signer", name=person.name)
            if person.person_id in self._exclude
            else None
        )
        if refused is not None or person is None:  # the message stays; the next badge anew
            self._badge = ""
            self._set("entry_text", "")
            self._set("message", refusal_text(refused or Refused("badge_unknown")))
            return
        if person.person_id in self._ledger.projections.execution.locked:
            self._locked(
                person.person_id, refusal_text(Refused("signing_locked", name=person.name))
            )
            return
        self._ask_pin(person.person_id, pin_only=False)

    async def _sign(self, pin: str, badge: str | None) -> None:
        action = self._action
        if action is None:
            return
        self._set("busy", True)
        try:
            signer = await execution.verify_signer(self._ledger, pin, badge)
            signature = await action(signer)
        except Refused as exc:
            self._refused(exc)
            return
        finally:
            self._set("busy", False)
        self._signature = signature
        self._set("message", "")
        self._set("signed_text", signed_words(self._clock, signature) if signature else "")
        self._set("step", "signed")
        self._set("entry_text", "")

    def _refused(self, exc: Refused) -> None:
        text = refusal_text(exc)
        if exc.code == "wrong_pin":
            self._pin = ""
            self._set("entry_text", "")
        elif exc.code == "signing_locked":
            self._locked(self._signer_id, text)
            return
        elif exc.code in ("badge_unknown", "badge_required", "same_signer", "no_right", "no_pin"):
            self._ask_badge()
        else:
            self._pin = ""
            self._set("entry_text", "")
        self._set("message", text)

    # -- closing ---------------------------------------------------------------------------

    @Slot()
    def use_badge(self) -> None:
        """Another person signs (not the signed-in one): ask for a badge."""
        self._set("message", "")
        self._ask_badge()

    @Slot()
    def unlock(self) -> None:
        """A signed-in team lead unlocks the signing of the person locked out."""
        self._spawn(self._unlock(self._signer_id))

    async def _unlock(self, person_id: str) -> None:
        try:
            await execution.unlock_signing(self._ledger, person_id)
        except Refused as exc:
            self._set("message", refusal_text(exc))
            return
        self._set("message", "")
        if self._badge:
            self._ask_pin(person_id, pin_only=False)
        else:
            self._ask_badge()

    @Slot()
    def close(self) -> None:
        """Close the dialog (cancel, or done after the signed record was shown)."""
        self._set("visible", False)
        self._action = None
        self._badge = self._pin = ""
        self._set("entry_text", "")

    def signed(self) -> Signature | None:
        """The signature the dialog recorded last (tests, screenshots)."""
        return self._signature


def signature_of(
    ledger: Ledger, subject_type: Any, subject_id: str, person_id: str, meaning: str
) -> Signature | None:
    """The signature a person just gave a subject with a meaning, from the projection."""
    found = [
        s
        for s in ledger.projections.execution.signatures.values()
        if s.subject_type == subject_type
        and s.subject_id == subject_id
        and s.person_id == person_id
        and s.meaning == meaning
    ]
    return found[-1] if found else None
