"""Work by the instruction: steps carry the instruction version, a check out of limits opens
a deviation whose hold blocks completing the order, critical steps are signed with printed
name and meaning, wrong PINs lock signing after five, and all of it survives a restart."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from lineside.domain.events import Containment, Decision, SignComponents
from lineside.domain.master_data import SignatureMeaning
from lineside.domain.projections import fold
from lineside.station.commands import execution, orders, session
from lineside.station.commands.execution import pin_hash_id
from lineside.station.ledger import Ledger, Refused
from tests.support.instructions import ANNA, BEN, EVA, LEAD, give_instructions
from tests.support.ledger import T0, Clock, close_ledger, open_ledger

S = timedelta(seconds=1)


async def running(tmp_path: Path, clock: Clock | None = None) -> Ledger:
    ledger = await open_ledger(tmp_path / "s.db", clock=clock or Clock(T0 + 5 * S))
    give_instructions(ledger)
    await session.sign_in(ledger, ANNA)
    await orders.start(ledger, "4711", "0010")
    return ledger


async def refused(call: object) -> Refused:
    with pytest.raises(Refused) as caught:
        await call  # type: ignore[misc]
    return caught.value


async def test_every_step_fact_carries_the_instruction_version(tmp_path: Path) -> None:
    ledger = await running(tmp_path)
    await execution.confirm_step(ledger, "1")
    await execution.record_check(ledger, "volume", "500,4")  # a decimal comma is a comma
    await ledger.flush()
    facts = [e for e in await ledger.store.events() if e.type.startswith(("step.", "check."))]
    assert [e.type for e in facts] == ["step.confirmed", "check.recorded", "step.confirmed"]
    for fact in facts:
        assert fact.payload["instruction_id"] == "WI-FILL"
        assert fact.payload["instruction_version"] == "3"
        assert fact.context.master_data["work_instruction"] == "WI-FILL@3"
        assert fact.context.order == "4711"
    assert facts[1].payload["value"] == "500.4"
    assert facts[1].payload["within"] is True
    done = ledger.projections.execution.steps_done("4711/0010")
    assert set(done) == {"1", "volume"}
    await close_ledger(ledger)


async def test_out_of_limits_opens_a_deviation_and_the_hold_blocks_completion(
    tmp_path: Path,
) -> None:
    ledger = await running(tmp_path)
    assert (await refused(execution.record_check(ledger, "volume", "489"))).code == (
        "containment_required"  # the check leaves the containment to the operator
    )
    assert not ledger.projections.execution.deviations  # refused: no trace
    outcome = await execution.record_check(ledger, "volume", "489", Containment.HOLD)
    assert not outcome.within
    (deviation,) = ledger.projections.execution.open_deviations()
    assert (deviation.value, deviation.lower, deviation.upper) == ("489.0", 495, 505)
    assert deviation.containment is Containment.HOLD
    (hold,) = ledger.projections.execution.open_holds("4711")
    assert hold.deviation_id == deviation.deviation_id
    code = (await refused(orders.complete(ledger))).code
    assert code == "order_held"

    anna = await execution.verify_signer(ledger, "1234", badge="1001")
    assert (
        await refused(
            execution.decide_deviation(
                ledger, deviation.deviation_id, Decision.REWORK, "refill", anna
            )
        )
    ).code == (
        "no_right"  # an operator does not decide her own deviation
    )
    lead = await execution.verify_signer(ledger, "2468", badge="2001")
    await execution.decide_deviation(
        ledger, deviation.deviation_id, Decision.REWORK, "refill the five", lead, release_hold=True
    )
    assert not ledger.projections.execution.open_holds("4711")
    await orders.complete(ledger)
    await ledger.flush()
    decided = (await ledger.store.events(type_prefix="deviation.decided"))[0]
    assert decided.recorded_by == "P-2001"
    assert decided.payload["order_id"] == "4711"
    assert decided.payload["equipment"] == "Filler"
    (signed,) = [
        e
        for e in await ledger.store.events(type_prefix="signature.given")
        if e.payload["subject_type"] == "deviation"
    ]
    assert signed.payload["meaning"] == "approved"
    assert signed.payload["name"] == "Marco Rossi"
    await close_ledger(ledger)


async def test_a_critical_step_takes_two_people_signing_with_meaning(tmp_path: Path) -> None:
    ledger = await running(tmp_path)
    anna = await execution.verify_signer(ledger, "1234", badge="1001")
    assert anna.components is SignComponents.BADGE_AND_PIN
    await execution.sign_step(ledger, "release", SignatureMeaning.PERFORMED, anna)
    assert "release" not in ledger.projections.execution.steps_done("4711/0010")
    # Her second signing in this session takes the PIN alone (§11.200).
    assert ledger.pin_only(ANNA.person_id)
    again = await execution.verify_signer(ledger, "1234")
    assert again.components is SignComponents.PIN
    code = (
        await refused(execution.sign_step(ledger, "release", SignatureMeaning.VERIFIED, again))
    ).code
    assert code == "same_signer"
    ben = await execution.verify_signer(ledger, "4321", badge="1002")
    await execution.sign_step(ledger, "release", SignatureMeaning.VERIFIED, ben)
    done = ledger.projections.execution.steps_done("4711/0010")["release"]
    assert len(done.signatures) == 2
    shown = ledger.projections.execution.signatures_for("4711/0010", "release")
    assert [(s.name, s.meaning) for s in shown] == [
        ("Anna Berg", "performed"),
        ("Ben Ode", "verified"),
    ]
    await ledger.flush()
    given = await ledger.store.events(type_prefix="signature.given")
    assert given[0].payload["pin_hash_id"] == pin_hash_id(ANNA.pin_hash or "")
    assert given[0].occurred_at == T0 + 5 * S  # the signed record's date and time
    await session.sign_out(ledger)
    await session.sign_in(ledger, ANNA)
    assert not ledger.pin_only(ANNA.person_id)  # a new session: badge and PIN again
    assert (await refused(execution.verify_signer(ledger, "1234"))).code == "badge_required"
    await close_ledger(ledger)


async def test_five_wrong_pins_lock_signing_until_a_team_lead_unlocks(tmp_path: Path) -> None:
    ledger = await running(tmp_path)
    for left in (4, 3, 2, 1):
        caught = await refused(execution.verify_signer(ledger, "0000", badge="1001"))
        assert (caught.code, caught.data["left"]) == ("wrong_pin", left)
    caught = await refused(execution.verify_signer(ledger, "0000", badge="1001"))
    assert caught.code == "signing_locked"
    # Locked: even the right PIN is refused, and the lock survives a restart.
    assert (await refused(execution.verify_signer(ledger, "1234", badge="1001"))).code == (
        "signing_locked"
    )
    await close_ledger(ledger)
    ledger = await open_ledger(tmp_path / "s.db", clock=Clock(T0 + 60 * S))
    give_instructions(ledger)
    assert ANNA.person_id in ledger.projections.execution.locked
    await session.sign_in(ledger, BEN)
    assert (await refused(execution.unlock_signing(ledger, ANNA.person_id))).code == (
        "team_lead_required"
    )
    await session.sign_in(ledger, LEAD)
    await execution.unlock_signing(ledger, ANNA.person_id)
    signer = await execution.verify_signer(ledger, "1234", badge="1001")
    assert signer.person == ANNA
    await ledger.flush()
    refusals = await ledger.store.events(type_prefix="signature.refused")
    assert [e.payload["failures"] for e in refusals] == [1, 2, 3, 4, 5]
    assert refusals[-1].payload["locked"] is True
    await close_ledger(ledger)


async def test_a_person_without_a_pin_and_an_unknown_badge_cannot_sign(tmp_path: Path) -> None:
    ledger = await running(tmp_path)
    assert (await refused(execution.verify_signer(ledger, "1357", badge="3001"))).code == "no_pin"
    assert EVA.pin_hash is None
    assert (await refused(execution.verify_signer(ledger, "1", badge="9"))).code == (
        "badge_unknown"
    )
    await close_ledger(ledger)


async def test_values_that_are_not_values_of_the_check_are_refused(tmp_path: Path) -> None:
    ledger = await running(tmp_path)
    for bad in ("", "abc", "nan", "inf"):
        assert (await refused(execution.record_check(ledger, "volume", bad))).code == (
            "not_a_number"
        )
    assert (await refused(execution.record_check(ledger, "caps", "maybe"))).code == ("not_a_choice")
    assert (await refused(execution.record_check(ledger, "1", "5"))).code == "no_check"
    outcome = await execution.record_check(ledger, "caps", "fail", Containment.CONTINUE)
    assert not outcome.within
    assert outcome.hold_id is None  # continue: a deviation, no hold
    assert not ledger.projections.execution.open_holds()
    await close_ledger(ledger)


async def test_holds_and_steps_survive_a_restart_on_the_next_day(tmp_path: Path) -> None:
    clock = Clock(T0 + 5 * S)
    ledger = await running(tmp_path, clock)
    await execution.confirm_step(ledger, "1")
    await execution.record_check(ledger, "volume", "520", Containment.STOP_LINE)
    await close_ledger(ledger)
    clock.now = T0 + timedelta(days=1, hours=1)
    again = await open_ledger(tmp_path / "s.db", clock=clock)
    give_instructions(again)
    (hold,) = again.projections.execution.open_holds("4711")
    assert hold.stop_line
    assert set(again.projections.execution.steps_done("4711/0010")) == {"1", "volume"}
    await session.sign_in(again, ANNA)
    assert (await refused(orders.complete(again))).code == "order_held"
    await close_ledger(again)


async def test_the_saved_projections_restore_orders_and_work_exactly(tmp_path: Path) -> None:
    clock = Clock(T0 + 5 * S)
    ledger = await running(tmp_path, clock)
    await execution.record_check(ledger, "volume", "489", Containment.HOLD)
    anna = await execution.verify_signer(ledger, "1234", badge="1001")
    await execution.sign_step(ledger, "release", SignatureMeaning.PERFORMED, anna)
    clock.now = T0 + 120 * S
    ledger.tick(clock.now)  # saves the projections
    await close_ledger(ledger)
    again = await open_ledger(tmp_path / "s.db", clock=clock)
    folded = fold(await again.store.events(), again.day_start)
    assert again.projections.orders == folded.orders
    assert again.projections.execution.holds == folded.execution.holds
    assert again.projections.execution.signatures == folded.execution.signatures
    assert again.projections.execution.checks == folded.execution.checks
    state = await again.store.state()
    assert "execution" in state["projections"]  # it came from the saved snapshot
    await close_ledger(again)
