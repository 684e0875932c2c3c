"""A station as a process of its own, for the kill tests: it records events and syncs them.

    python -m tests.reliability.station_proc --db PATH --server URL --station ID
        --token-file F [--record N] [--record-interval-ms M] [--drain-only]

It opens the real `AsyncStore`, commits stops the way the ledger does (downtime started,
ended, coded; machine events with operator_input False, a person's coding with True; a
micro-stop's end and its automatic code in one commit) and runs the real `SyncEngine` with a
small batch size and a short backoff. One JSON line on stdout per milestone:

    {"event": "ready", "pid": P, "last_seq": S}      the outbox is open, sync is starting
    {"event": "committed", "seq": S}                  an append returned: S is on disk
    {"event": "recorded", "count": N}                 all N events of this run are committed
    {"event": "delivered", "waiting": W, "quarantined": Q, "delivered": D, "online": B}
                                                      the sync status changed
    {"event": "drained"}                              --drain-only: nothing waits; exits 0
    {"event": "stopped"}                              SIGTERM: stopped cleanly; exits 0

Where a stop cycle stands is kept in the station state, committed with each event, so a
restarted station carries on with it. Imports are kept few: every kill costs a start.
"""

from __future__ import annotations

import sys

# httpx imports its command-line client (rich, click) when they are installed: a tenth of
# this process's start-up, and a kill test starts it hundreds of times. Without the module
# httpx defines a stub `main` instead (its own fallback).
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from lineside.offline.store import AsyncStore  # noqa: E402
from lineside.offline.sync import SyncEngine  # noqa: E402
from lineside.offline.sync_status import SyncStatus  # noqa: E402
from tests.reliability.line import STATE_KEY, Line  # noqa: E402

BATCH_SIZE = 20
BACKOFF_BASE_S = 0.05
BACKOFF_CAP_S = 0.5
log = logging.getLogger("station_proc")


def say(event: str, **fields: Any) -> None:
    """One milestone line on stdout, flushed at once (the test may kill us right after)."""
    sys.stdout.write(json.dumps({"event": event, **fields}) + "\n")
    sys.stdout.flush()


class Station:
    """The outbox, the engine, and the line that feeds them."""

    def __init__(self, args: argparse.Namespace, store: AsyncStore, line: Line) -> None:
        self.args = args
        self.store = store
        self.line = line
        self.last_seq = 0
        self.stopping = asyncio.Event()
        self.failure: BaseException | None = None
        token = Path(args.token_file).read_text(encoding="utf-8").strip()
        self.engine = SyncEngine(
            store,
            args.station,
            args.server,
            token,
            batch_size=args.batch_size,
            backoff_base_s=BACKOFF_BASE_S,
            backoff_cap_s=BACKOFF_CAP_S,
            request_timeout_s=args.request_timeout_s,
            status_interval_s=0.02,
        )

    def on_status(self, status: SyncStatus) -> None:
        delivered = self.last_seq - status.waiting - status.quarantined
        say(
            "delivered",
            waiting=status.waiting,
            quarantined=status.quarantined,
            delivered=delivered,
            online=status.online,
        )
        if self.args.drain_only and status.online and status.waiting == 0:
            say("drained")
            self.stopping.set()

    async def record(self, count: int, interval_s: float) -> None:
        """Commit `count` events at a steady pace, waking the engine after each commit."""
        try:
            done = 0
            while done < count:
                events, operator = self.line.next()
                committed = await self.store.append(
                    events, self.line.state(), operator_input=operator
                )
                for event in committed:
                    assert event.seq is not None
                    self.last_seq = event.seq
                    say("committed", seq=event.seq)
                done += len(committed)
                self.engine.wake()
                await asyncio.sleep(interval_s)
            say("recorded", count=done)
        except Exception as exc:  # a station that cannot record must not look healthy
            self.failure = exc
            self.stopping.set()
            raise

    async def run(self) -> int:
        self.last_seq = await self.store.count()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self.stopping.set)
        say("ready", pid=os.getpid(), last_seq=self.last_seq)
        self.engine.subscribe(self.on_status)
        syncing = asyncio.create_task(self.engine.run())
        recording = None
        if self.args.record and not self.args.drain_only:
            interval_s = self.args.record_interval_ms / 1000
            recording = asyncio.create_task(self.record(self.args.record, interval_s))
        try:
            await self.stopping.wait()
        finally:
            if recording is not None:
                recording.cancel()
                await asyncio.gather(recording, return_exceptions=True)
            self.engine.stop()
            await asyncio.gather(syncing, return_exceptions=True)
            await self.store.close()
        if self.failure is not None:
            log.error("station_proc: recording failed: %r", self.failure)
            return 1
        say("stopped")
        return 0


async def main(args: argparse.Namespace) -> int:
    store = AsyncStore(Path(args.db))
    await store.open()
    line = Line(args.station, (await store.state()).get(STATE_KEY) or {})
    return await Station(args, store, line).run()


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.reliability.station_proc")
    parser.add_argument("--db", required=True)
    parser.add_argument("--server", required=True)
    parser.add_argument("--station", required=True)
    parser.add_argument("--token-file", required=True)
    parser.add_argument("--record", type=int, default=0, help="events to commit in this run")
    parser.add_argument("--record-interval-ms", type=float, default=10.0)
    parser.add_argument("--drain-only", action="store_true", help="exit 0 once all is sent")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument("--request-timeout-s", type=float, default=5.0)
    return parser.parse_args(argv)


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    sys.exit(asyncio.run(main(parse())))
