"""Session commands: sign in and sign out (never held back by the outbox cap: a team lead must
be able to sign in to clear it)."""

from __future__ import annotations

from lineside.domain.events import PersonSignedIn, PersonSignedOut
from lineside.domain.people import Person
from lineside.station.ledger import As, Ledger


async def sign_in(ledger: Ledger, person: Person) -> None:
    """Sign a person in (signing out whoever was signed in); counts so far stay with the last."""
    current = ledger.person
    if current == person.person_id:
        return
    ledger.cut_counts()
    signed_in = PersonSignedIn(person_id=person.person_id, name=person.name, role=person.role)
    items = [As(PersonSignedOut(person_id=current), current, current)] if current else []
    items.append(As(signed_in, person.person_id, person.person_id))
    await ledger.commit(items, by=person.person_id, cap_applies=False)


async def sign_out(ledger: Ledger) -> None:
    """Nobody is signed in any more."""
    current = ledger.person
    if current is None:
        return
    ledger.cut_counts()
    await ledger.commit([PersonSignedOut(person_id=current)], by=current, cap_applies=False)
