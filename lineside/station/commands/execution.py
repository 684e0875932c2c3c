"""Work by the instruction: confirm steps, record checks, sign critical steps, decide quality
deviations and release holds (DESIGN.md, Station core: checked, committed, then applied).

PINs are checked against the argon2 hashes of the people master data, in a worker thread (a
check takes tens of milliseconds by design) so the screen never waits on it; that works
offline, and the server verifies each signature again (`pin_hash_id`).
"""

from __future__ import annotations

import asyncio
import hashlib
import math
from dataclasses import dataclass
from typing import TypedDict

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from lineside.domain.events import (
    CheckRecorded,
    Containment,
    Decision,
    DeviationDecided,
    DeviationOpened,
    HoldPlaced,
    HoldReleased,
    Payload,
    SignatureGiven,
    SignatureRefused,
    SignComponents,
    SigningUnlocked,
    StepConfirmed,
    SubjectType,
    new_id,
)
from lineside.domain.execution import MAX_PIN_FAILURES, step_subject
from lineside.domain.master_data import (
    Check,
    CheckKind,
    InstructionStep,
    SignatureMeaning,
    WorkInstructionRecord,
)
from lineside.domain.orders import Job
from lineside.domain.people import DECIDES_DEVIATIONS, Person, Role
from lineside.station.ledger import Ledger, Refused

_HASHER = PasswordHasher()
PASS, FAIL = "pass", "fail"


@dataclass(frozen=True)
class Signer:
    """A person whose PIN was just verified, and what they gave (badge and PIN, or PIN)."""

    person: Person
    components: SignComponents


@dataclass(frozen=True)
class CheckOutcome:
    """What recording a check did."""

    within: bool
    deviation_id: str | None = None
    hold_id: str | None = None


def pin_hash_id(pin_hash: str) -> str:
    """The fingerprint of a PIN hash the server compares with its own (never the PIN)."""
    return hashlib.sha256(pin_hash.encode()).hexdigest()


def _pin_matches(pin_hash: str, pin: str) -> bool:
    try:
        return _HASHER.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


def _signed_in(ledger: Ledger) -> str:
    person = ledger.person
    if person is None:
        raise Refused("sign_in_required")
    return person


def _step(ledger: Ledger, step_id: str) -> tuple[WorkInstructionRecord, Job, InstructionStep]:
    current = ledger.instruction()
    if current is None:
        raise Refused("no_instruction")
    record, job = current
    ids = record.step_ids()
    if step_id not in ids:
        raise Refused("step_unknown", step=step_id)
    return record, job, record.steps[ids.index(step_id)]


class _Ref(TypedDict):
    order_id: str
    operation_id: str
    instruction_id: str
    instruction_version: str
    step_id: str


def _ref(record: WorkInstructionRecord, job: Job, step_id: str) -> _Ref:
    return {
        "order_id": job.order_id,
        "operation_id": job.operation_id,
        "instruction_id": record.instruction_id,
        "instruction_version": record.version,
        "step_id": step_id,
    }


def _versions(ledger: Ledger, record: WorkInstructionRecord) -> None:
    """The instruction version in the context's master-data versions of the step's facts."""
    ledger.use_instruction(record.instruction_id, record.version)


# -- signing --------------------------------------------------------------------------------


async def verify_signer(ledger: Ledger, pin: str, badge: str | None = None) -> Signer:
    """The person signing: by badge and PIN, or by PIN alone for the signed-in person's later
    signatures in this session. A wrong PIN is recorded; the fifth in a row locks signing."""
    async with ledger.command_lock:
        if badge is None:
            person_id = _signed_in(ledger)
            if not ledger.pin_only(person_id):
                raise Refused("badge_required")
            person = ledger.people.by_id(person_id)
            components = SignComponents.PIN
        else:
            person = ledger.people.by_badge(badge.strip())
            components = SignComponents.BADGE_AND_PIN
        if person is None:
            raise Refused("badge_unknown")
        execution = ledger.projections.execution
        if person.person_id in execution.locked:
            raise Refused("signing_locked", name=person.name)
        if person.pin_hash is None:
            raise Refused("no_pin", name=person.name)
        if await asyncio.to_thread(_pin_matches, person.pin_hash, pin):
            return Signer(person, components)
        failures = execution.failures.get(person.person_id, 0) + 1
        locked = failures >= MAX_PIN_FAILURES
        refused = SignatureRefused(person_id=person.person_id, failures=failures, locked=locked)
        await ledger.commit([refused], by=person.person_id)
        if locked:
            raise Refused("signing_locked", name=person.name)
        raise Refused("wrong_pin", left=MAX_PIN_FAILURES - failures)


def _signature(
    signer: Signer,
    meaning: SignatureMeaning,
    subject_type: SubjectType,
    subject_id: str,
    order_id: str | None,
) -> SignatureGiven:
    person = signer.person
    assert person.pin_hash is not None
    return SignatureGiven(
        signature_id=new_id(),
        person_id=person.person_id,
        name=person.name,
        role=person.role.value,
        meaning=meaning.value,
        components=signer.components,
        subject_type=subject_type,
        subject_id=subject_id,
        order_id=order_id,
        pin_hash_id=pin_hash_id(person.pin_hash),
    )


async def unlock_signing(ledger: Ledger, person_id: str) -> None:
    """A team lead unlocks a person's signing after five wrong PINs."""
    async with ledger.command_lock:
        lead = _signed_in(ledger)
        if ledger.session.role != Role.TEAM_LEAD:
            raise Refused("team_lead_required")
        if person_id not in ledger.projections.execution.locked:
            return
        await ledger.commit([SigningUnlocked(person_id=person_id)], by=lead)


# -- steps ----------------------------------------------------------------------------------


def _complete(
    ledger: Ledger, record: WorkInstructionRecord, job: Job, step: InstructionStep, step_id: str
) -> tuple[bool, tuple[str, ...]]:
    """Whether the step has all it needs to be confirmed, and its signatures."""
    execution = ledger.projections.execution
    if step.check is not None and execution.check_of(job.key, step_id) is None:
        return False, ()
    signed = execution.signatures_for(job.key, step_id)
    meanings = {s.meaning for s in signed}
    if not all(m.value in meanings for m in step.signs):
        return False, ()
    return True, tuple(s.signature_id for s in signed)


async def confirm_step(ledger: Ledger, step_id: str) -> None:
    """Confirm a step of the current job's instruction (a check or signatures first)."""
    async with ledger.command_lock:
        person = _signed_in(ledger)
        record, job, step = _step(ledger, step_id)
        if step_id in ledger.projections.execution.steps_done(job.key):
            return
        ready, signatures = _complete(ledger, record, job, step, step_id)
        if not ready:
            raise Refused("step_incomplete", step=step_id)
        _versions(ledger, record)
        confirmed = StepConfirmed(**_ref(record, job, step_id), signatures=signatures)
        await ledger.commit([confirmed], by=person)


async def sign_step(
    ledger: Ledger, step_id: str, meaning: SignatureMeaning, signer: Signer
) -> None:
    """Sign a critical step with one of its meanings; the last one confirms the step."""
    async with ledger.command_lock:
        _signed_in(ledger)
        record, job, step = _step(ledger, step_id)
        if meaning not in step.signs:
            raise Refused("meaning_not_asked", meaning=meaning.value)
        execution = ledger.projections.execution
        given = execution.signatures_for(job.key, step_id)
        if any(s.meaning == meaning.value for s in given):
            return
        if any(s.person_id == signer.person.person_id for s in given):
            raise Refused("same_signer", name=signer.person.name)
        if step.check is not None and execution.check_of(job.key, step_id) is None:
            raise Refused("step_incomplete", step=step_id)
        _versions(ledger, record)
        subject = step_subject(job.order_id, job.operation_id, step_id)
        signature = _signature(signer, meaning, SubjectType.STEP, subject, job.order_id)
        items: list[Payload] = [signature]
        meanings = {s.meaning for s in given} | {meaning.value}
        if all(m.value in meanings for m in step.signs):
            ids = (*(s.signature_id for s in given), signature.signature_id)
            items.append(StepConfirmed(**_ref(record, job, step_id), signatures=ids))
        await ledger.commit(items, by=signer.person.person_id)


# -- checks and deviations ---------------------------------------------------------------


def parse_value(check: Check, text: str) -> tuple[str, float | None, bool]:
    """The value as recorded, its number, and whether it is within limits; Refused when it
    is not a value of this check."""
    text = text.strip()
    if check.kind is CheckKind.MEASUREMENT:
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            raise Refused("not_a_number", value=text) from None
        if not math.isfinite(number):
            raise Refused("not_a_number", value=text)
        number = round(number, check.decimals)
        low_ok = check.lower is None or number >= check.lower
        high_ok = check.upper is None or number <= check.upper
        return f"{number:.{check.decimals}f}", number, low_ok and high_ok
    if check.kind is CheckKind.PASS_FAIL:
        if text not in (PASS, FAIL):
            raise Refused("not_a_choice", value=text)
        return text, None, text == PASS
    if check.kind is CheckKind.CHOICE:
        if text not in check.choices:
            raise Refused("not_a_choice", value=text)
        return text, None, text not in check.fail_choices
    if not text:
        raise Refused("value_required")
    return text, None, True


async def record_check(
    ledger: Ledger, step_id: str, value: str, containment: Containment | None = None
) -> CheckOutcome:
    """Record a step's value. Out of limits it opens a quality deviation with its containment
    (the check's own, else the operator's choice: asked for by Refused("containment_required"));
    a hold or a line stop holds the order at once, in the same commit."""
    async with ledger.command_lock:
        person = _signed_in(ledger)
        record, job, step = _step(ledger, step_id)
        check = step.check
        if check is None:
            raise Refused("no_check", step=step_id)
        if step_id in ledger.projections.execution.steps_done(job.key):
            raise Refused("step_done", step=step_id)
        shown, number, within = parse_value(check, value)
        ref = _ref(record, job, step_id)
        _versions(ledger, record)
        items: list[Payload] = []
        outcome = CheckOutcome(True)
        deviation_id = None
        if not within:
            chosen = check.containment if check.containment is not None else containment
            if chosen is None:
                raise Refused("containment_required")
            deviation_id = new_id()
            lot = ledger.source.at(ledger.projections, ledger.clock()).lot
            items.append(
                DeviationOpened(
                    **ref,
                    deviation_id=deviation_id,
                    check=check.name,
                    value=shown,
                    containment=chosen,
                    product=job.product,
                    lot=lot,
                    unit=check.unit,
                    lower=check.lower,
                    upper=check.upper,
                )
            )
            hold_id = None
            if chosen is not Containment.CONTINUE:
                hold_id = new_id()
                items.append(
                    HoldPlaced(
                        hold_id=hold_id,
                        order_id=job.order_id,
                        lot=lot,
                        deviation_id=deviation_id,
                        why=f"{check.name} {shown} {check.unit}".strip(),
                        stop_line=chosen is Containment.STOP_LINE,
                    )
                )
            outcome = CheckOutcome(False, deviation_id, hold_id)
        recorded = CheckRecorded(
            **ref,
            check=check.name,
            kind=check.kind.value,
            value=shown,
            number=number,
            target=check.target,
            within=within,
            deviation_id=deviation_id,
            unit=check.unit,
            lower=check.lower,
            upper=check.upper,
        )
        items.insert(0, recorded)
        if not step.critical:  # a check without signatures is confirmed by its value
            items.append(StepConfirmed(**ref))
        await ledger.commit(items, by=person)
        return outcome


def _may_decide(signer: Signer) -> None:
    if signer.person.role not in DECIDES_DEVIATIONS:
        raise Refused("no_right", name=signer.person.name)


async def decide_deviation(
    ledger: Ledger,
    deviation_id: str,
    decision: Decision,
    why: str,
    signer: Signer,
    *,
    release_hold: bool = False,
) -> None:
    """A team lead or quality person decides a deviation, signed (meaning "approved"); with
    `release_hold`, its hold is released in the same commit."""
    async with ledger.command_lock:
        _signed_in(ledger)
        _may_decide(signer)
        if not why.strip():
            raise Refused("why_required")
        execution = ledger.projections.execution
        deviation = execution.deviations.get(deviation_id)
        if deviation is None:
            raise Refused("deviation_unknown")
        if deviation.decision is not None:
            raise Refused("deviation_decided")
        signature = _signature(
            signer,
            SignatureMeaning.APPROVED,
            SubjectType.DEVIATION,
            deviation_id,
            deviation.order_id,
        )
        items: list[Payload] = [
            signature,
            DeviationDecided(
                deviation_id=deviation_id,
                decision=decision,
                why=why.strip(),
                signature_id=signature.signature_id,
                order_id=deviation.order_id,
                lot=deviation.lot,
                equipment=ledger.source.equipment,
            ),
        ]
        if release_hold:
            items += [
                HoldReleased(
                    hold_id=hold.hold_id,
                    order_id=hold.order_id,
                    why=why.strip(),
                    signature_id=signature.signature_id,
                )
                for hold in execution.open_holds(deviation.order_id)
                if hold.deviation_id == deviation_id
            ]
        await ledger.commit(items, by=signer.person.person_id)


async def release_hold(ledger: Ledger, hold_id: str, why: str, signer: Signer) -> None:
    """A team lead or quality person releases a hold, signed."""
    async with ledger.command_lock:
        _signed_in(ledger)
        _may_decide(signer)
        if not why.strip():
            raise Refused("why_required")
        hold = ledger.projections.execution.holds.get(hold_id)
        if hold is None:
            raise Refused("hold_unknown")
        if hold.released_at is not None:
            return
        signature = _signature(
            signer, SignatureMeaning.APPROVED, SubjectType.HOLD, hold_id, hold.order_id
        )
        released = HoldReleased(
            hold_id=hold_id,
            order_id=hold.order_id,
            why=why.strip(),
            signature_id=signature.signature_id,
        )
        await ledger.commit([signature, released], by=signer.person.person_id)
