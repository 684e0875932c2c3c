"""`lineside` command line: hmi, sim, server, demo."""

from __future__ import annotations

import argparse
import ctypes
import json
import logging
import shutil
import signal
import subprocess
import sys
import threading
from importlib.metadata import version
from pathlib import Path

from lineside.simulator.scenario import BUNDLED_SCENARIO
from lineside.station.config import ConfigError, load_station_config

DEMO = Path(__file__).resolve().parent / "demo"
DEMO_PLANT = Path(__file__).resolve().parent.parent / "server" / "demo_plant.json"
DEMO_ASSETS = DEMO_PLANT.parent / "demo_assets"
"""The images the demo plant's instruction steps name."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lineside", description="Lineside: the operator's terminal of an MES."
    )
    parser.add_argument("--version", action="version", version=f"lineside {version('lineside')}")
    sub = parser.add_subparsers(dest="command", required=True)

    hmi = sub.add_parser(
        "hmi",
        help="run the operator terminal for one station",
        description="Run the operator terminal. Qt options such as -platform offscreen pass on.",
    )
    hmi.add_argument("--config", required=True, type=Path, help="station config (TOML)")
    hmi.add_argument(
        "--fullscreen", action="store_true", help="take the whole screen (as [display] fullscreen)"
    )
    hmi.add_argument(
        "--check-config", action="store_true", help="only load the config and report problems"
    )

    from lineside.simulator.cli import configure_parser

    sim = sub.add_parser("sim", help="run the OPC UA line simulator")
    configure_parser(sim)

    from lineside.server.cli import configure_parser as configure_server_parser

    server = sub.add_parser(
        "server",
        help="run the central sync server, or migrate, import, issue tokens",
        description="Run the central sync server (docs/server.md), or manage its database.",
    )
    configure_server_parser(server)

    demo = sub.add_parser(
        "demo", help="start the simulator and the filler station on loopback, for a first look"
    )
    demo.add_argument("--port", type=int, default=48400, help="simulator port (loopback)")
    demo.add_argument(
        "--server-port", type=int, default=8400, help="central server port (loopback)"
    )
    demo.add_argument(
        "--dir", type=Path, default=Path("var/demo"), help="where the demo keeps its files"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `lineside` console script."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # asyncua logs every lost connection as an error with a traceback; the station shows and
    # records the loss itself, so keep only asyncua's critical messages.
    logging.getLogger("asyncua").setLevel(logging.CRITICAL)
    # httpx logs every request at INFO; the sync screen shows what matters.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    args, rest = _parser().parse_known_args(argv)
    if args.command == "sim":
        if rest:
            print(f"lineside sim: unknown arguments {' '.join(rest)}", file=sys.stderr)
            return 2
        from lineside.simulator.cli import run as run_sim

        return run_sim(args)
    if args.command == "server":
        if rest:
            print(f"lineside server: unknown arguments {' '.join(rest)}", file=sys.stderr)
            return 2
        from lineside.server.cli import run as run_server

        return run_server(args)
    if args.command == "hmi":
        return _hmi(args.config, rest, args.fullscreen, args.check_config)
    return _demo(args.port, args.server_port, args.dir, rest)


def _hmi(
    config_path: Path, qt_args: list[str], fullscreen: bool = False, check_only: bool = False
) -> int:
    try:
        config = load_station_config(config_path)
    except ConfigError as exc:
        print(f"lineside hmi: bad station config\n{exc}", file=sys.stderr)
        return 2
    if check_only:
        print(f"lineside hmi: station config {config_path} is good")
        return 0
    # A SIGTERM while Qt and the app are imported (about a second) is remembered, and the
    # terminal then stops in order, instead of being killed before its handlers exist.
    requested = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: requested.set())
    from lineside.app.hmi import run

    return run(config, qt_args, fullscreen, stop_requested=requested)


def write_demo_station(where: Path, port: int = 48400, server_url: str | None = None) -> Path:
    """Copy the demo station (config, reason trees, people) to `where`; returns the config.

    With `server_url` the station syncs with that server, its token in `station.token`.
    """
    where.mkdir(parents=True, exist_ok=True)
    for name in ("reasons.json", "people.json"):
        shutil.copy(DEMO / name, where / name)
    station = (DEMO / "station.toml").read_text(encoding="utf-8")
    station = station.replace("127.0.0.1:48400", f"127.0.0.1:{port}")
    if server_url is not None:
        station += f'\n[server]\nurl = "{server_url}"\ntoken_file = "station.token"\n'
    (where / "station.toml").write_text(station, encoding="utf-8")
    return where / "station.toml"


def _stop_with_parent() -> None:
    """In the demo's simulator process: get SIGTERM if the demo dies, even by SIGKILL."""
    if sys.platform == "linux":
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _child(args: list[str]) -> subprocess.Popen[str]:
    """A demo process that gets SIGTERM when the demo ends, however it ends."""
    return subprocess.Popen(
        [sys.executable, "-m", *args],
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=_stop_with_parent,  # noqa: PLW1509 (only sets a signal, no locks taken)
    )


def _ready(proc: subprocess.Popen[str]) -> bool:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    try:
        return bool(line) and json.loads(line).get("event") == "ready"
    except ValueError:
        return False


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _demo_server(where: Path, port: int) -> subprocess.Popen[str] | None:
    """The central server on loopback with the demo plant, and the filler station's token."""
    db = f"sqlite:///{(where / 'server' / 'lineside.db').resolve()}"
    for args in (
        ["import", str(DEMO_PLANT), "--db", db, "--assets", str(DEMO_ASSETS)],
        ["token", "L1-FILLER", "--db", db, "--token-file", str(where / "station.token")],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "lineside.server", *args],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(f"lineside demo: the server could not be set up\n{done.stderr}", file=sys.stderr)
            return None
    server = _child(["lineside.server", "--db", db, "--port", str(port)])
    if not _ready(server):
        print(
            f"lineside demo: the server did not start (is port {port} free? "
            "try --server-port with another number)",
            file=sys.stderr,
        )
        _stop(server)
        return None
    return server


def _demo(port: int, server_port: int, where: Path, qt_args: list[str]) -> int:
    config = write_demo_station(where, port, f"http://127.0.0.1:{server_port}")
    server = _demo_server(where, server_port)
    if server is None:
        return 1
    sim = _child(["lineside.simulator", "--scenario", str(BUNDLED_SCENARIO), "--port", str(port)])
    try:
        if not _ready(sim):
            print(
                f"lineside demo: the simulator did not start (is port {port} free? "
                "try --port with another number)",
                file=sys.stderr,
            )
            return 1
        return _hmi(config, qt_args)
    finally:
        _stop(sim)
        _stop(server)
