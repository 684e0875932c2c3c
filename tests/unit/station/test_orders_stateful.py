"""Any sequence of order commands, sign-ins, machine facts and restarts records only legal job
state transitions (OPC 10031-4), and every fact recorded while an order is the station's
carries that order in its context."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from lineside.domain.people import Person, Role
from lineside.domain.projections import fold
from lineside.station.commands import orders, session
from lineside.station.ledger import Refused
from tests.support.ledger import T0, Clock, close_ledger, open_ledger, signals
from tests.support.orders import ORDERS, give_orders

PEOPLE = [
    Person(person_id="P-1", name="Anna Berg", badge="1001"),
    Person(person_id="P-2", name="Marco Rossi", badge="2001", role=Role.TEAM_LEAD),
]
ORDER_IDS = st.sampled_from([o.order_id for o in ORDERS])

# The legal moves, written out here on their own (not read from the code under test).
LEGAL = {
    ("allowed_to_start", "start"): "running",
    ("running", "pause"): "interrupted",
    ("interrupted", "resume"): "running",
    ("running", "complete"): "ended",
    ("interrupted", "complete"): "ended",
    ("allowed_to_start", "abort"): "aborted",
    ("running", "abort"): "aborted",
    ("interrupted", "abort"): "aborted",
}
FIRST = {"released": "allowed_to_start", "planned": "not_allowed_to_start"}
MOVE = {
    "order.started": "start",
    "order.paused": "pause",
    "order.resumed": "resume",
    "order.completed": "complete",
    "order.aborted": "abort",
}


class OrdersMachine(RuleBasedStateMachine):
    """One station's orders on a real SQLite record, driven one step at a time."""

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="lineside-orders-"))
        self.loop = asyncio.new_event_loop()
        self.clock = Clock(T0)
        self.good = 0
        self.ledger = self._run(open_ledger(self.dir / "station.db", clock=self.clock))
        give_orders(self.ledger)
        self._run(session.sign_in(self.ledger, PEOPLE[0]))

    def _run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def _try(self, coro: Any) -> None:
        with contextlib.suppress(Refused):
            self._run(coro)

    def _later(self, seconds: float) -> None:
        self.clock.now += timedelta(seconds=seconds)

    @rule(who=st.sampled_from([*PEOPLE, *PEOPLE, None]))
    def switch_person(self, who: Person | None) -> None:
        """Someone else signs in (or nobody is signed in: every order command is refused)."""
        if who is None:
            self._run(session.sign_out(self.ledger))
        else:
            self._run(session.sign_in(self.ledger, who))

    @rule(order_id=ORDER_IDS)
    def start(self, order_id: str) -> None:
        self._try(orders.start(self.ledger, order_id, "0010"))

    @rule()
    def pause(self) -> None:
        self._try(orders.pause(self.ledger, "material"))

    @rule()
    def resume(self) -> None:
        self._try(orders.resume(self.ledger))

    @rule()
    def complete(self) -> None:
        self._try(orders.complete(self.ledger))

    @rule(order_id=ORDER_IDS, why=st.sampled_from(["", "customer cancelled"]))
    def abort(self, order_id: str, why: str) -> None:
        self._try(orders.abort(self.ledger, order_id, "0010", why))

    @rule(state=st.sampled_from([6, 6, 11, 17]), after=st.floats(1, 600), made=st.integers(0, 90))
    def machine(self, state: int, after: float, made: int) -> None:
        self._later(after)
        self.good += made
        snapshot = signals(self.clock.now, state, good=self.good, defective=0)

        async def inside() -> None:
            self.ledger.on_signals(snapshot)

        self._run(inside())
        self._run(self.ledger.flush())

    @rule()
    def restart(self) -> None:
        self._run(close_ledger(self.ledger))
        self._later(5)
        self.ledger = self._run(open_ledger(self.dir / "station.db", clock=self.clock))
        give_orders(self.ledger)

    @invariant()
    def only_legal_moves_and_every_fact_carries_the_running_order(self) -> None:
        self._run(self.ledger.flush())
        events = self._run(self.ledger.store.events())
        state = {o.order_id: FIRST[o.status] for o in ORDERS}
        current: str | None = None
        ran = False  # until an order ran, facts carry the station config's order
        for event in events:
            move = MOVE.get(event.type)
            if move is not None:
                order_id = event.payload["order_id"]
                nxt = LEGAL.get((state[order_id], move))
                assert nxt is not None, f"{move} of {order_id} in state {state[order_id]}"
                state[order_id] = nxt
                if move == "start":
                    ran = True
                    assert current is None, f"{order_id} started while {current} runs"
                    current = order_id
                if ran:
                    assert event.context.order == current, event.type
                if nxt in ("ended", "aborted") and current == order_id:
                    current = None
                if move == "abort":
                    assert event.context.person == "P-2"  # a team lead's decision
                continue
            if ran:
                assert event.context.order == current, (event.type, event.context.order, current)
        book = self.ledger.order_book
        assert (book.current_job.order_id if book.current_job else None) == current
        for order_id, expected in state.items():
            row = self.ledger.queued(order_id, "0010")
            assert row is not None
            assert row.job.state.value == expected

    @invariant()
    def the_order_book_equals_a_fold_of_the_day(self) -> None:
        folded = fold(
            self._run(self.ledger.store.events(since=self.ledger.day_start(self.clock.now))),
            self.ledger.day_start,
        )
        for key, job in folded.orders.jobs.items():
            assert self.ledger.order_book.jobs[key].state == job.state

    def teardown(self) -> None:
        self._run(close_ledger(self.ledger))
        self.loop.close()
        shutil.rmtree(self.dir, ignore_errors=True)


OrdersMachine.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestOrders = OrdersMachine.TestCase
