"""Every test runs without a display, and none may leave a thread or a process behind."""

from __future__ import annotations

import gc
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

GRACE_S = 5.0


def _children() -> set[int]:
    """Live (non-zombie) child processes of this test process."""
    me, found = os.getpid(), set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == me and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def _threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.is_alive() and not t.daemon}


@pytest.fixture(autouse=True)
def _nothing_left_running() -> Iterator[None]:
    """Fail a test that leaves a non-daemon thread or a child process running."""
    threads, children = _threads(), _children()
    yield
    # Free this test's Qt objects now, on the main thread: left to the cyclic GC they may be
    # collected later on a worker thread, where deleting a QObject with timers crashes Qt.
    gc.collect()
    deadline = time.monotonic() + GRACE_S
    while time.monotonic() < deadline:
        left_threads, left_children = _threads() - threads, _children() - children
        if not left_threads and not left_children:
            return
        time.sleep(0.05)
    assert not left_threads, f"test left threads running: {left_threads}"
    assert not left_children, f"test left processes running: {sorted(left_children)}"
