"""Child process of `stop_to_prompt.py`: start the terminal as `lineside hmi` does, time it.

Usage: python benchmarks/_cold_start_child.py STATION_TOML

Runs `lineside.app.cli.main(["hmi", "--config", STATION_TOML, "-platform", "offscreen"])`,
the code path of the `lineside hmi` console script, unchanged except for one hook: the
station window built by `lineside.app.hmi.load_station_view` gets a `frameSwapped`
listener. At the first swapped frame it prints one JSON line on stdout,
`{"event": "first_frame", "mono_ns": ..., "rss_kb": ...}`, and closes the window, which
shuts the terminal down in order (`Hmi.stop()`) and ends the process with exit code 0.
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
    from PySide6.QtCore import QTimer

    import lineside.app.hmi as hmi_module
    from lineside.app.cli import main as lineside_main

    build_view = hmi_module.load_station_view

    def build_and_watch(*args: Any, **kwargs: Any) -> Any:
        engine, window = build_view(*args, **kwargs)
        seen = False

        def first_frame() -> None:
            nonlocal seen
            now = time.monotonic_ns()
            if seen:
                return
            seen = True
            record = {"event": "first_frame", "mono_ns": now, "rss_kb": vm_rss_kb()}
            sys.stdout.write(json.dumps(record) + "\n")
            sys.stdout.flush()
            QTimer.singleShot(0, window.close)  # the terminal's own orderly shutdown

        window.frameSwapped.connect(first_frame)
        return engine, window

    hmi_module.load_station_view = build_and_watch
    return lineside_main(["hmi", "--config", argv[0], "-platform", "offscreen"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
