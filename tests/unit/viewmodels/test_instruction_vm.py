"""The instruction, signature and deviation viewmodels without QML: the step in words, a value
out of limits abnormal before it is saved, PIN only later in a session, a lock after five
wrong PINs, and a decision signed in the plant's time zone."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from lineside.domain.execution import Signature
from lineside.domain.people import Role
from lineside.domain.plant_time import PlantClock
from lineside.station.commands import orders, session
from lineside.station.commands.execution import Signer
from lineside.station.ledger import Ledger
from lineside.viewmodels.deviations import DeviationViewModel
from lineside.viewmodels.instruction import InstructionViewModel
from lineside.viewmodels.signature import SignatureViewModel
from tests.support.instructions import ANNA, give_instructions
from tests.support.ledger import T0, Clock, close_ledger, open_ledger

CLOCK = PlantClock(ZoneInfo("Europe/Berlin"))


class Screens:
    """The three viewmodels of working by the instruction, on one ledger."""

    def __init__(self, ledger: Ledger, role: Role | None = Role.OPERATOR) -> None:
        self.signature = SignatureViewModel(ledger, CLOCK, lambda: role)
        self.instruction = InstructionViewModel(ledger, CLOCK, self.signature)
        self.deviations = DeviationViewModel(ledger, CLOCK, self.signature)

    async def sign(self, pin: str, badge: str | None = None) -> None:
        if badge is not None:
            for digit in badge:
                self.signature.press(digit)
            self.signature.confirm()
        for digit in pin:
            self.signature.press(digit)
        self.signature.confirm()
        await self.signature.wait_idle()


async def running(tmp_path: Path) -> Ledger:
    ledger = await open_ledger(tmp_path / "s.db", clock=Clock(T0 + timedelta(seconds=5)))
    give_instructions(ledger)
    await session.sign_in(ledger, ANNA)
    await orders.start(ledger, "4711", "0010")
    return ledger


async def test_the_step_in_words_and_a_value_out_of_limits_abnormal_before_it_is_saved(
    tmp_path: Path, qapp: Any
) -> None:
    ledger = await running(tmp_path)
    s = Screens(ledger)
    vm = s.instruction
    assert vm.title_text == "Fill still water · version 3"
    assert vm.step_of_text == "Step 1 of 4"
    assert vm.callouts == [{"kind": "safety", "kind_text": "Safety", "text": "Wear gloves."}]
    assert vm.can_confirm
    vm.confirm()
    await vm.wait_idle()
    assert vm.done_text == "Saved · 22.11.2026 07:00 · Anna Berg"  # plant time, not UTC

    vm.next()
    assert vm.check_kind == "measurement"
    assert vm.limits_text == "495.0 – 505.0 ml (target 500.0)"
    for key in "48":
        vm.press(key)
    vm.press_decimal()
    vm.press("5")
    vm.enter()
    assert vm.entry_text == "48.5"
    assert vm.check_abnormal  # at once, nothing saved yet
    assert vm.containment_visible
    limits = "495.0 – 505.0 ml (target 500.0)"
    assert f"Fill volume 48.5 ml is out of limits: {limits}." in vm.containment_text
    assert not ledger.projections.execution.deviations
    vm.choose_containment("stop_line")
    await vm.wait_idle()
    assert not vm.containment_visible
    assert vm.check_value_text == "48.5 ml"
    assert vm.check_status_text == "Out of limits · Deviation opened — line stopped"
    assert vm.held
    assert vm.held_text.startswith("Order 4711 held: Fill volume 48.5 ml. A team lead")
    await close_ledger(ledger)


async def test_the_second_signing_takes_the_pin_alone_and_five_wrong_pins_lock(
    tmp_path: Path, qapp: Any
) -> None:
    ledger = await running(tmp_path)
    s = Screens(ledger)
    s.instruction.next()
    s.instruction.next()  # release: performed and verified
    s.instruction.sign()
    assert s.signature.step == "badge"
    assert s.signature.meaning_text == "Performed by"
    await s.sign("1234", badge="1001")
    assert s.signature.step == "signed"
    assert s.signature.signed_text == "Anna Berg · Performed · 22.11.2026 07:00"
    s.signature.close()

    async def nothing(_signer: Signer) -> Signature | None:
        return None

    s.signature.request("performed", "another step", nothing)
    assert s.signature.step == "pin"  # Anna, later in her session: the PIN alone
    assert s.signature.pin_only
    assert s.signature.ask_text == "PIN of Anna Berg"
    s.signature.use_badge()
    assert s.signature.step == "badge"
    s.signature.close()

    s.instruction.sign()  # verified: Anna signed this step, so a badge is asked
    assert s.signature.step == "badge"
    for attempt in range(4):
        await s.sign("9999", badge="1002" if attempt == 0 else None)
        assert s.signature.step == "pin"
        left = 4 - attempt
        word = "attempt" if left == 1 else "attempts"
        assert s.signature.message == f"Wrong PIN. {left} {word} left before signing is locked."
        assert s.signature.entry_text == ""
    await s.sign("9999")
    assert s.signature.step == "locked"
    assert s.signature.message.startswith("Signing is locked for Ben Ode")
    assert not s.signature.can_unlock  # an operator cannot unlock
    await close_ledger(ledger)


async def test_a_lead_decides_the_deviation_signed_and_the_hold_is_released(
    tmp_path: Path, qapp: Any
) -> None:
    ledger = await running(tmp_path)
    s = Screens(ledger)
    s.instruction.next()
    for key in "489":
        s.instruction.press(key)
    s.instruction.enter()
    s.instruction.choose_containment("hold")
    await s.instruction.wait_idle()
    (row,) = s.deviations.rows
    assert row["finding"] == "Fill volume: 489.0 ml, limits 495 – 505 ml"
    assert row["detail"].startswith("Order 4711 · opened 22.11.2026 07:00 by Anna Berg")
    assert not s.deviations.can_decide
    s.deviations.choose_decision("use_as_is")
    s.deviations.choose_why("remeasured")
    assert s.deviations.can_decide
    s.deviations.decide()
    assert s.signature.visible
    assert s.signature.meaning_text == "Approved by"
    await s.sign("2468", badge="2001")
    assert s.signature.step == "signed"
    assert s.deviations.last_signed == "Marco Rossi · Approved · 22.11.2026 07:00"
    assert s.deviations.rows == []
    assert s.deviations.empty_text == "No open deviations or holds."
    assert not s.instruction.held
    assert s.instruction.check_status_text == "Out of limits · Deviation decided: Use as is"
    await close_ledger(ledger)
