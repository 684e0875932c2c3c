"""Child process of the start benchmarks: start the terminal as `lineside hmi` does, time it.

Usage: python benchmarks/_cold_start_child.py STATION_TOML

Runs `lineside.app.cli.main(["hmi", "--config", STATION_TOML, "-platform", "offscreen"])`,
the code path of the `lineside hmi` console script, with hooks that only take times
(`time.monotonic_ns()` marks): main (this script's code begins), station_open
(`Station.open`), ledger_open / ledger_opened (`Ledger.open`, the fold of the record),
view_load / view_loaded (`load_station_view`). At the station window's first `frameSwapped`
it prints one JSON line, `{"event": "first_frame", "mono_ns", "rss_kb", "marks"}`, and closes
the window: the terminal shuts down in order (`Hmi.stop()`) and the process exits with 0.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")


def vm_rss_kb() -> int:
    """Resident set size of this process in kB (VmRSS from /proc/self/status)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main(argv: list[str]) -> int:
    """Run the terminal until its first frame is on screen, then shut it down in order."""
    if len(argv) != 1:
        print("usage: _cold_start_child.py STATION_TOML", file=sys.stderr)
        return 2
    marks = {"main_ns": time.monotonic_ns()}
    from PySide6.QtCore import QTimer

    import lineside.app.hmi as hmi_module
    from lineside.app.cli import main as lineside_main
    from lineside.station.ledger import Ledger
    from lineside.station.station import Station

    build_view = hmi_module.load_station_view
    open_ledger = Ledger.open
    open_station = Station.open

    async def timed_station_open(self: Station) -> None:
        marks.setdefault("station_open_ns", time.monotonic_ns())
        await open_station(self)

    async def timed_open(self: Ledger) -> None:
        marks.setdefault("ledger_open_ns", time.monotonic_ns())
        await open_ledger(self)
        marks.setdefault("ledger_opened_ns", time.monotonic_ns())

    def build_and_watch(*args: Any, **kwargs: Any) -> Any:
        marks.setdefault("view_load_ns", time.monotonic_ns())
        engine, window = build_view(*args, **kwargs)
        marks.setdefault("view_loaded_ns", time.monotonic_ns())
        seen = False

        def first_frame() -> None:
            nonlocal seen
            now = time.monotonic_ns()
            if seen:
                return
            seen = True
            record = {
                "event": "first_frame",
                "mono_ns": now,
                "rss_kb": vm_rss_kb(),
                "marks": marks,
            }
            sys.stdout.write(json.dumps(record) + "\n")
            sys.stdout.flush()
            QTimer.singleShot(0, window.close)  # the terminal's own orderly shutdown

        window.frameSwapped.connect(first_frame)
        return engine, window

    hmi_module.load_station_view = build_and_watch
    Ledger.open = timed_open  # type: ignore[method-assign]
    Station.open = timed_station_open  # type: ignore[method-assign]
    return lineside_main(["hmi", "--config", argv[0], "-platform", "offscreen"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
