"""Any sequence of machine facts, commands, refused commits, restarts and clock jumps leaves
the projections equal to a fold of the committed record, and nothing refused visible."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from lineside.domain.machine_state import MachineSignals
from lineside.domain.people import Person, Role
from lineside.station.commands import downtime, session
from lineside.station.ledger import Ledger, Refused
from tests.support.ledger import T0, TREE, Clock, close_ledger, open_ledger

LEAVES = [node.code for node, _ in TREE.walk() if node.is_leaf]
PEOPLE = [
    Person(person_id="P-1", name="Anna Berg", badge="1001"),
    Person(person_id="P-2", name="Marco Rossi", badge="2001", role=Role.TEAM_LEAD),
]
STATES = st.sampled_from([6, 6, 11, 2, 17, 5])


def visible(ledger: Ledger) -> tuple[Any, ...]:
    """What the screens can show: every projection's content."""
    p = ledger.projections
    return (
        dict(p.stops.stops),
        dict(p.stops.continued_as),
        p.stops.open_id,
        p.session,
        dict(p.counts.totals),
        p.link,
    )


class LedgerMachine(RuleBasedStateMachine):
    """One station's ledger on a real SQLite record, driven one step at a time."""

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="lineside-ledger-"))
        self.db = self.dir / "station.db"
        self.loop = asyncio.new_event_loop()
        self.clock = Clock(T0)
        self.plc = T0  # the PLC's own time: it only moves forward
        self.good = 0
        self.blocker: sqlite3.Connection | None = None
        self.ledger = self._run(open_ledger(self.db, clock=self.clock, busy_timeout_ms=20))

    def _run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def _sync(self, call: Any) -> None:
        async def inside() -> None:
            call()

        self._run(inside())

    def _advance(self, seconds: float) -> None:
        self.plc += timedelta(seconds=seconds)
        self.clock.now = max(self.clock.now, self.plc)

    # -- the machine ---------------------------------------------------------------------

    @rule(
        state=STATES,
        reason=st.sampled_from([0, 17, 42]),
        after=st.floats(0.5, 90),
        made=st.integers(0, 50),
    )
    def sample(self, state: int, reason: int, after: float, made: int) -> None:
        """The PLC changes state (or not) and counts what it made."""
        self._advance(after)
        self.good += made
        signals = MachineSignals(
            changed_at=self.plc,
            received_at=self.plc,
            state_current=state,
            stop_reason_id=reason or None,
            starved=state == 5,
            good_count=self.good,
            defective_count=0,
        )
        self._sync(lambda: self.ledger.on_signals(signals))

    @rule()
    def counter_reset(self) -> None:
        """The PLC restarts its counters."""
        self.good = 0

    @rule(restarted=st.booleans(), held=st.booleans(), after=st.floats(1, 60))
    def outage(self, restarted: bool, held: bool, after: float) -> None:
        """The link drops and comes back (the server maybe a new process)."""
        lost = self.plc
        ledger = self.ledger
        self._sync(lambda: ledger.on_connection_lost(lost, "opc.tcp://plc", "closed"))
        self._advance(after)
        start = self.plc if restarted else T0
        self._sync(lambda: ledger.on_connection_restored(self.plc, "opc.tcp://plc", start))
        if not held:
            self.sample(11, 17, 0.1, 0)

    @rule()
    def bad_quality(self) -> None:
        """The state signal turns Bad."""
        self._advance(1)
        signals = MachineSignals(
            changed_at=self.plc, received_at=self.plc, bad=frozenset({"state_current"})
        )
        self._sync(lambda: self.ledger.on_signals(signals))

    @rule(seconds=st.floats(1, 400))
    def tick(self, seconds: float) -> None:
        """Time passes: heartbeats, count intervals, maybe a break or shift boundary."""
        self._advance(seconds)
        self._sync(lambda: self.ledger.tick(self.clock.now))

    @rule(jump=st.floats(-600, 600))
    def clock_jump(self, jump: float) -> None:
        """The station's clock is set (the PLC's is not)."""
        self.clock.now += timedelta(seconds=jump)

    # -- people --------------------------------------------------------------------------

    @rule(data=st.data())
    def command(self, data: st.DataObject) -> None:
        """A person codes, recodes, splits or defers a stop, or signs in or out."""
        ledger = self.ledger
        stops = list(ledger.stops.values())
        kind = data.draw(st.sampled_from(["code", "split", "defer", "sign_in", "sign_out"]))
        if kind == "code" and stops:
            stop = data.draw(st.sampled_from(stops))
            reason = data.draw(st.sampled_from(LEAVES))
            action: Any = lambda: downtime.code(ledger, stop.stop_id, reason)  # noqa: E731
        elif kind == "split" and stops:
            stop = data.draw(st.sampled_from(stops))
            fraction = data.draw(st.floats(0.0, 1.0))
            end = stop.ended_at or self.clock.now
            at = stop.started_at + (end - stop.started_at) * fraction
            action = lambda: downtime.split(ledger, stop.stop_id, at)  # noqa: E731
        elif kind == "defer" and stops:
            deferred = data.draw(st.sampled_from(stops)).stop_id
            action = lambda: downtime.defer(ledger, deferred)  # noqa: E731
        elif kind == "sign_in":
            person = data.draw(st.sampled_from(PEOPLE))
            action = lambda: session.sign_in(ledger, person)  # noqa: E731
        else:
            action = lambda: session.sign_out(ledger)  # noqa: E731
        before = visible(ledger)
        # While the disk takes writes, the machine may report a change while the command
        # commits: both land in commit order.
        concurrent = self.blocker is None and data.draw(st.booleans())
        self._advance(data.draw(st.floats(0.1, 5)))
        changed = MachineSignals(
            changed_at=self.plc,
            received_at=self.plc,
            state_current=data.draw(STATES),
            stop_reason_id=17,
            good_count=self.good,
            defective_count=0,
        )

        async def attempt() -> bool:
            task = asyncio.ensure_future(action())
            await asyncio.sleep(0)  # the command is checked and queued for the writer
            if concurrent:
                ledger.on_signals(changed)
            try:
                await task
            except Refused:
                return False
            return True

        if not self._run(attempt()) and not concurrent:
            after = visible(ledger)
            # A refused command leaves no trace (sign-in cuts the counts first: a machine fact).
            assert (after[0], after[1], after[2], after[3]) == (
                before[0],
                before[1],
                before[2],
                before[3],
            )

    # -- the disk and the process --------------------------------------------------------

    @precondition(lambda self: self.blocker is None)
    @rule()
    def disk_refuses(self) -> None:
        """Another writer holds the database: every write fails for now."""
        self.blocker = sqlite3.connect(self.db, timeout=0)
        self.blocker.execute("BEGIN EXCLUSIVE")

    @precondition(lambda self: self.blocker is not None)
    @rule()
    def disk_takes_again(self) -> None:
        """The disk takes writes again; the held machine facts are written first."""
        assert self.blocker is not None
        self.blocker.rollback()
        self.blocker.close()
        self.blocker = None
        self._run(self.ledger.flush())
        assert self.ledger.unsaved == 0

    @precondition(lambda self: self.blocker is None)
    @rule(down=st.floats(1, 900))
    def restart(self, down: float) -> None:
        """The terminal stops and starts again later: the projections come from the record."""
        self._run(close_ledger(self.ledger))
        self._advance(down)
        self.ledger = self._run(open_ledger(self.db, clock=self.clock, busy_timeout_ms=20))

    @invariant()
    def projections_are_a_fold_of_the_record(self) -> None:
        """With nothing held in memory, what the screens show is exactly the folded record."""
        if self.blocker is not None:
            return
        self._run(self.ledger.flush())
        if self.ledger.unsaved:
            return
        rebuilt = self._run(self.ledger.rebuild(self.clock.now))
        assert rebuilt == self.ledger.projections

    def teardown(self) -> None:
        if self.blocker is not None:
            self.blocker.rollback()
            self.blocker.close()
        self._run(close_ledger(self.ledger))
        self.loop.close()
        shutil.rmtree(self.dir, ignore_errors=True)


LedgerMachine.TestCase.settings = settings(
    max_examples=200,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestLedger = LedgerMachine.TestCase
