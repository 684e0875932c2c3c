"""Sign in with a badge number on the on-screen keypad (gloves: no typing on a keyboard)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from lineside.station.commands import session
from lineside.station.ledger import Ledger, Refused
from lineside.viewmodels.base import ViewModel, prop, refusal_text

MAX_DIGITS = 20


class SignInViewModel(ViewModel):
    """The keypad dialog: digits typed so far, what went wrong, and sign in / out."""

    visible_changed = Signal()
    digits_changed = Signal()
    message_changed = Signal()
    signed_in_changed = Signal()

    visible = prop(bool, "visible", visible_changed)
    digits = prop(str, "digits", digits_changed)
    message = prop(str, "message", message_changed)
    signed_in = prop(bool, "signed_in", signed_in_changed)

    def __init__(
        self, ledger: Ledger, parent: QObject | None = None, language: str | None = None
    ) -> None:
        super().__init__(parent, language)
        self._ledger = ledger
        self._visible = False
        self._digits = ""
        self._message = ""
        self._signed_in = ledger.person is not None
        ledger.subscribe(lambda _touched: self._set("signed_in", ledger.person is not None))

    @Slot()
    def open(self) -> None:
        """Show the keypad."""
        self._set("digits", "")
        self._set("message", "")
        self._set("visible", True)

    @Slot()
    def cancel(self) -> None:
        """Close the keypad without a change."""
        self._set("visible", False)

    @Slot(str)
    def press(self, digit: str) -> None:
        """One keypad digit."""
        if digit.isdigit() and len(self._digits) < MAX_DIGITS:
            self._set("digits", self._digits + digit)
            self._set("message", "")

    @Slot()
    def backspace(self) -> None:
        """Remove the last digit."""
        self._set("digits", self._digits[:-1])

    @Slot()
    def confirm(self) -> None:
        """Sign in the holder of the badge number typed."""
        person = self._ledger.people.by_badge(self._digits)
        if person is None:
            self._set(
                "message",
                self.tr("Badge %1 is not known. Check the number or ask your team lead.").replace(
                    "%1", self._digits or "—"
                ),
            )
            return
        self._spawn(self._act(session.sign_in(self._ledger, person)))

    @Slot()
    def sign_out(self) -> None:
        """Sign the current person out."""
        self._spawn(self._act(session.sign_out(self._ledger)))

    async def _act(self, coro: object) -> None:
        try:
            await coro  # type: ignore[misc]
        except Refused as exc:
            self._set("message", refusal_text(exc))
            return
        self._set("visible", False)
