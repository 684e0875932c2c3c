"""A work instruction for the test filler, and people who can sign (PINs hashed cheaply)."""

from __future__ import annotations

from argon2 import PasswordHasher

from lineside.domain.master_data import (
    Callout,
    CalloutKind,
    Check,
    CheckKind,
    InstructionStep,
    Operation,
    OrderRecord,
    SignatureMeaning,
    WorkInstructionRecord,
)
from lineside.domain.people import People, Person, Role
from lineside.station.ledger import Ledger
from tests.support.orders import PRODUCTS

FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
"""Argon2 with tiny costs: the same verification path, milliseconds instead of a tenth of a s."""

PIN = {"1001": "1234", "1002": "4321", "2001": "2468", "3001": "1357"}
PEOPLE = People(
    people=(
        Person(person_id="P-0042", name="Anna Berg", badge="1001", pin_hash=FAST.hash("1234")),
        Person(person_id="P-0043", name="Ben Ode", badge="1002", pin_hash=FAST.hash("4321")),
        Person(
            person_id="P-2001",
            name="Marco Rossi",
            badge="2001",
            role=Role.TEAM_LEAD,
            pin_hash=FAST.hash("2468"),
        ),
        Person(person_id="P-3001", name="Eva Lind", badge="3001", role=Role.QUALITY),
    )
)
ANNA, BEN, LEAD, EVA = PEOPLE.people

WI_FILL = WorkInstructionRecord(
    instruction_id="WI-FILL",
    version="3",
    title="Fill still water",
    steps=(
        InstructionStep(
            text="Check the product tank.",
            callouts=(Callout(kind=CalloutKind.SAFETY, text="Wear gloves."),),
        ),
        InstructionStep(
            step_id="volume",
            text="Measure the fill volume of five bottles.",
            check=Check(
                kind=CheckKind.MEASUREMENT,
                name="Fill volume",
                unit="ml",
                lower=495,
                upper=505,
                target=500,
            ),
        ),
        InstructionStep(
            step_id="release",
            text="Release the first bottles.",
            critical=True,
            signatures=(SignatureMeaning.PERFORMED, SignatureMeaning.VERIFIED),
        ),
        InstructionStep(
            step_id="caps",
            text="Caps tight?",
            check=Check(kind=CheckKind.PASS_FAIL, name="Cap torque"),
        ),
    ),
)


def give_instructions(ledger: Ledger) -> None:
    """Orders whose fill operation names WI-FILL, the instruction, products and people."""
    orders = [
        OrderRecord(
            order_id=order_id,
            line="Line1",
            product=product,
            quantity=1000,
            operations=(
                Operation(
                    operation_id="0010",
                    description="Fill",
                    station_id="L1-FILLER",
                    work_instruction="WI-FILL",
                ),
            ),
        )
        for order_id, product in (("4711", "Water"), ("4712", "Juice"))
    ]
    ledger.orders = {o.order_id: o for o in orders}
    ledger.products = {p.product_id: p for p in PRODUCTS}
    ledger.instructions = {WI_FILL.instruction_id: WI_FILL}
    ledger.people = PEOPLE
