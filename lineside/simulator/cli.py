"""`lineside sim`: arguments, and a run loop that serves a scenario until SIGTERM or SIGINT."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys

from lineside.simulator.scenario import (
    Scenario,
    ScenarioError,
    load_scenario,
    play,
    random_scenario,
)
from lineside.simulator.server import NAMESPACE_URI, LineSimulator

DEFAULT_LINE = "Line1"
DEFAULT_MACHINES = "Filler,Labeler,CasePacker"
MAX_EXTRA_NAMESPACES = 1000


def configure_parser(p: argparse.ArgumentParser) -> None:
    """Add the `lineside sim` options to `p`."""
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--scenario", metavar="FILE", help="play this TOML scenario file")
    source.add_argument(
        "--random", action="store_true", help="play a seeded random timeline (no outages)"
    )
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument(
        "--machines",
        metavar="A,B,C",
        help=f"machines for --random, comma-separated (default {DEFAULT_MACHINES})",
    )
    p.add_argument(
        "--line", metavar="NAME", help=f"line name for --random (default {DEFAULT_LINE})"
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument(
        "--port", type=int, default=4840, help="TCP port (default 4840; 0 picks a free port)"
    )
    p.add_argument(
        "--once", action="store_true", help="play the timeline once, then keep the last state"
    )
    p.add_argument(
        "--trace",
        action="store_true",
        help="print a JSON line on stdout for each state change and outage phase",
    )
    p.add_argument(
        "--extra-namespaces",
        type=_count,
        default=0,
        metavar="N",
        help=(
            f"register N dummy namespaces before {NAMESPACE_URI}, so its index is 2+N, as on a "
            "restarted gateway (default 0); the ready line gives the URI and index"
        ),
    )


def _count(text: str) -> int:
    """A whole number from 0 to MAX_EXTRA_NAMESPACES, for argparse."""
    if not text.isascii() or not text.isdigit() or int(text) > MAX_EXTRA_NAMESPACES:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a whole number from 0 to {MAX_EXTRA_NAMESPACES}"
        )
    return int(text)


def _emit(record: dict[str, object]) -> None:
    """Write one JSON line to stdout at once, so a reading process sees it without delay."""
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


def _random_machines(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",")]
    if any(not name or "/" in name for name in names) or len(set(names)) != len(names):
        raise ScenarioError(
            f'--machines is "{text}"; give unique machine names separated by commas, '
            f"without empty names or slashes, e.g. --machines {DEFAULT_MACHINES}"
        )
    return names


def _scenario(args: argparse.Namespace) -> Scenario:
    if args.scenario is not None:
        if args.machines is not None or args.line is not None:
            raise ScenarioError(
                "--machines and --line apply to --random only; a scenario file names its own "
                "line and machines, so remove them or use --random"
            )
        return load_scenario(args.scenario)
    line = args.line if args.line is not None else DEFAULT_LINE
    if not line or "/" in line:
        raise ScenarioError(f'--line is "{line}"; give a name without slashes, e.g. --line Line1')
    return random_scenario(line, _random_machines(args.machines or DEFAULT_MACHINES), args.seed)


def _stop_on_failure(task: asyncio.Task[None], stop: asyncio.Event) -> None:
    """Stop serving when playback fails (e.g. the port was taken during an outage)."""
    if not task.cancelled() and task.exception() is not None:
        stop.set()


async def _serve(args: argparse.Namespace, scenario: Scenario) -> None:
    """Serve until a signal; the ready line gives the endpoint, namespace URI and its index."""
    sim = LineSimulator(
        scenario.line,
        list(scenario.machines),
        args.host,
        args.port,
        speeds=scenario.speeds,
        defect_rate=scenario.defect_rate,
        seed=args.seed,
        trace=_emit if args.trace else None,
        extra_namespaces=args.extra_namespaces,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        await sim.start()
        _emit(
            {
                "event": "ready",
                "endpoint": sim.endpoint,
                "namespace": NAMESPACE_URI,
                "ns": sim.namespace_index,
            }
        )
        player = asyncio.create_task(play(sim, scenario, loop=not args.once))
        player.add_done_callback(lambda task: _stop_on_failure(task, stop))
        await stop.wait()
        player.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await player
    finally:
        await sim.stop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)


def run(args: argparse.Namespace) -> int:
    """Serve until SIGTERM/SIGINT: 0 when stopped, 2 for a bad scenario, 1 if it cannot listen."""
    try:
        scenario = _scenario(args)
    except ScenarioError as exc:
        sys.stderr.write(f"lineside sim: {exc}\n")
        return 2
    try:
        asyncio.run(_serve(args, scenario))
    except OSError as exc:
        sys.stderr.write(
            f"lineside sim: cannot listen on {args.host}:{args.port} ({exc.strerror or exc}); "
            "choose another --port (0 picks a free one) or stop the program using it\n"
        )
        return 1
    return 0
