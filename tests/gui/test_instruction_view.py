"""The work instruction on the real QML: steps confirmed, a critical step signed by two people,
a measurement out of limits keyed in → containment → deviation and hold → completing refused
→ a team lead decides with a signature → the order completes."""

from __future__ import annotations

import hashlib
import re

from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QColor, QImage

from lineside.app.hmi import Hmi
from lineside.domain.master_data import InstructionStep, WorkInstructionRecord
from lineside.domain.orders import JobState
from tests.support.instructions import WI_FILL, give_instructions

from .conftest import item, tap, until
from .test_orders_view import row_of, sign_in, text

SIGNED = re.compile(r"\d\d\.\d\d\.\d{4} \d\d:\d\d")


async def start_4711(hmi: Hmi) -> None:
    """Anna signs in, starts order 4711 on the queue and opens its instruction."""
    await sign_in(hmi, "1001")
    await tap(hmi, "openOrders")
    await until(lambda: item(hmi, "ordersView").isVisible())
    await tap(hmi, f"orderStart{row_of(hmi, '4711')}")
    await until(lambda: hmi.ledger.order_book.current_job is not None)
    await tap(hmi, "ordersHome")
    await tap(hmi, "openInstruction")
    await until(lambda: item(hmi, "instructionView").isVisible())


async def keys(hmi: Hmi, prefix: str, digits: str) -> None:
    for digit in digits:
        await tap(hmi, prefix + digit)
    await tap(hmi, prefix + "Ok")


def png() -> bytes:
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#707070"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


async def test_steps_are_confirmed_and_a_critical_step_is_signed_by_two_people(
    hmi: Hmi,
) -> None:
    give_instructions(hmi.ledger)
    await start_4711(hmi)
    assert text(hmi, "instructionTitle") == "Fill still water · version 3"
    assert text(hmi, "instructionStepOf") == "Step 1 of 4"
    assert text(hmi, "stepText") == "Check the product tank."
    assert "Safety: Wear gloves." in str(item(hmi, "calloutText0").property("text"))
    await tap(hmi, "stepConfirm")
    await until(lambda: item(hmi, "stepDone").isVisible())
    assert text(hmi, "stepDone").startswith("✓ Saved · ")
    assert "Anna Berg" in text(hmi, "stepDone")
    assert not item(hmi, "stepConfirm").isVisible()

    await tap(hmi, "stepNext")
    for digit in "5004":  # 500.4 ml: within limits
        await tap(hmi, "checkKey" + digit)
    await until(lambda: text(hmi, "checkEntry") == "5004")
    await tap(hmi, "checkKeyBack")
    await tap(hmi, "checkKeyPoint")
    await tap(hmi, "checkKey4")
    await until(lambda: text(hmi, "checkEntry") == "500.4")
    await tap(hmi, "checkKeyOk")
    await until(lambda: item(hmi, "checkValue").isVisible())
    assert text(hmi, "checkValue") == "500.4 ml"
    assert text(hmi, "checkStatus") == "Within limits · Saved"
    assert not hmi.instruction_vm or not hmi.instruction_vm.check_abnormal

    await tap(hmi, "stepNext")  # release: performed and verified, by two people
    assert text(hmi, "signLine0") == "○ Performed by: —"
    await tap(hmi, "stepSign")
    await until(lambda: item(hmi, "signatureDialog").isVisible())
    assert text(hmi, "signatureMeaning") == "Performed by"
    await keys(hmi, "signKey", "1001")
    await until(lambda: text(hmi, "signatureAsk") == "PIN of Anna Berg")
    for digit in "12":
        await tap(hmi, "signKey" + digit)
    assert text(hmi, "signatureEntry") == "●●"  # the PIN is masked
    await keys(hmi, "signKey", "34")
    await until(lambda: item(hmi, "signatureRecord").isVisible())
    record = text(hmi, "signatureRecord")
    assert record.startswith("✓ Anna Berg · Performed · ")
    assert SIGNED.search(record)
    await tap(hmi, "signatureClose")
    await until(lambda: not item(hmi, "signatureDialog").isVisible())
    assert text(hmi, "signLine0").startswith("✓ Performed by: Anna Berg · ")

    await tap(hmi, "stepSign")  # Anna signed already: another person's badge is asked
    await until(lambda: text(hmi, "signatureAsk") == "Badge number of the person signing")
    assert text(hmi, "signatureMeaning") == "Verified by"
    await keys(hmi, "signKey", "1001")
    await until(lambda: "another person signs" in text(hmi, "signatureMessage"))
    await keys(hmi, "signKey", "1002")
    await until(lambda: text(hmi, "signatureAsk") == "PIN of Ben Ode")
    await keys(hmi, "signKey", "4321")
    await until(lambda: text(hmi, "signatureRecord").startswith("✓ Ben Ode · Verified · "))
    await tap(hmi, "signatureClose")
    await until(lambda: item(hmi, "stepDone").isVisible())
    done = hmi.ledger.projections.execution.steps_done("4711/0010")
    assert set(done) == {"1", "volume", "release"}

    await tap(hmi, "stepNext")  # caps: pass or fail, two big buttons
    await tap(hmi, "checkChoice_pass")
    await until(lambda: text(hmi, "checkValue") == "Pass")
    assert "caps" in hmi.ledger.projections.execution.steps_done("4711/0010")


async def test_out_of_limits_holds_the_order_until_a_lead_decides_with_a_signature(
    hmi: Hmi,
) -> None:
    give_instructions(hmi.ledger)
    await start_4711(hmi)
    await tap(hmi, "stepNext")
    assert text(hmi, "checkLimits") == "495.0 – 505.0 ml (target 500.0)"
    await keys(hmi, "checkKey", "489")
    await until(lambda: item(hmi, "containmentDialog").isVisible())
    assert item(hmi, "checkEntry").property("text") == "⚠ 489"  # abnormal at once
    assert "out of limits" in text(hmi, "containmentText")
    assert not hmi.ledger.projections.execution.deviations  # nothing saved yet
    await tap(hmi, "containment_hold")
    await until(lambda: item(hmi, "instructionHeld").isVisible())
    assert text(hmi, "checkValue") == "⚠ 489.0 ml"
    assert text(hmi, "checkStatus") == "Out of limits · Deviation opened — held"
    assert hmi.station_vm is not None
    await until(lambda: hmi.station_vm is not None and hmi.station_vm.order_held)
    assert item(hmi, "headerOrder").property("abnormal")

    await tap(hmi, "headerOrder")  # completing a held order is refused in words
    await until(lambda: item(hmi, "ordersView").isVisible())
    await tap(hmi, "orderComplete")
    await tap(hmi, "completeConfirm")
    await until(lambda: "held" in text(hmi, "completeMessage"))
    assert hmi.ledger.order_book.current_job is not None
    await tap(hmi, "completeCancel")

    await tap(hmi, "ordersHome")
    await tap(hmi, "openDeviations")
    await until(lambda: item(hmi, "deviationsView").isVisible())
    assert "Fill volume: 489.0 ml, limits 495 – 505 ml" in text(hmi, "deviationSelected")
    assert not item(hmi, "deviationDecide").property("enabledState")
    await tap(hmi, "decision_rework")
    await tap(hmi, "why_reworked")
    await tap(hmi, "deviationDecide")
    await until(lambda: item(hmi, "signatureDialog").isVisible())
    assert text(hmi, "signatureMeaning") == "Approved by"
    await keys(hmi, "signKey", "1001")  # the operator may not decide
    await keys(hmi, "signKey", "1234")
    await until(lambda: "may not decide" in text(hmi, "signatureMessage"))
    await keys(hmi, "signKey", "2001")
    await keys(hmi, "signKey", "1111")
    await until(lambda: "Wrong PIN. 4 attempts left" in text(hmi, "signatureMessage"))
    await keys(hmi, "signKey", "2468")
    await until(lambda: text(hmi, "signatureRecord").startswith("✓ Marco Rossi · Approved · "))
    await tap(hmi, "signatureClose")
    await until(lambda: not hmi.ledger.projections.execution.open_holds("4711"))
    await until(lambda: item(hmi, "deviationsEmpty").isVisible())
    (decided,) = [e for e in await hmi.store.events() if e.type == "deviation.decided"]
    assert decided.payload["decision"] == "rework"
    assert decided.payload["why"] == "Reworked and checked again"

    await tap(hmi, "deviationsHome")
    await tap(hmi, "openOrders")
    await tap(hmi, "orderComplete")
    await tap(hmi, "completeConfirm")
    await until(lambda: not item(hmi, "completeDialog").isVisible())
    job = hmi.ledger.queued("4711", "0010")
    assert job is not None
    assert job.job.state is JobState.ENDED


async def test_a_step_image_enlarges_and_one_not_downloaded_says_so(hmi: Hmi) -> None:
    data = png()
    address = "sha256:" + hashlib.sha256(data).hexdigest()
    missing = "sha256:" + "0" * 64
    steps = (
        InstructionStep(text="Look at the fill level.", image=address),
        InstructionStep(text="And at the caps.", image=missing),
        *WI_FILL.steps[1:],
    )
    give_instructions(hmi.ledger)
    hmi.ledger.instructions = {
        "WI-FILL": WorkInstructionRecord.model_validate({**WI_FILL.model_dump(), "steps": steps})
    }
    assert hmi.station.assets.put(address, data)
    await start_4711(hmi)
    await until(lambda: item(hmi, "stepImage").property("paintedWidth") > 0)  # loaded
    await tap(hmi, "stepImageBox")
    await until(lambda: item(hmi, "imageDialog").isVisible())
    assert hmi.nav_vm is not None
    assert hmi.nav_vm.top == "image"
    await tap(hmi, "imageDialog")
    await until(lambda: not item(hmi, "imageDialog").isVisible())
    await tap(hmi, "stepNext")
    await until(lambda: item(hmi, "stepImageMissing").isVisible())
    assert text(hmi, "stepImageMissing") == "Image not downloaded yet"
