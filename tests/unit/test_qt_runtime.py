"""The Qt binding must survive a terminal's lifetime of signals (PySide6 6.12.0 did not)."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Probe(QObject):
    changed = Signal()

app = QCoreApplication([])
probe = Probe()
probe.changed.connect(lambda: None)
before = sys.getrefcount(True)
for _ in range(20_000):
    probe.changed.emit()
print(sys.getrefcount(True) - before)
"""


def test_emitting_signals_does_not_corrupt_the_interpreter() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip() == "0"


LOOP_PROBE = """
import asyncio, sys
import qasync
from PySide6.QtCore import QCoreApplication

app = QCoreApplication([])

async def spin():
    before = sys.getrefcount(None)
    for _ in range(5_000):
        await asyncio.sleep(0)
    return sys.getrefcount(None) - before

loop = qasync.QEventLoop(app)
print(loop.run_until_complete(spin()))
loop.close()
"""


def test_the_qt_event_loop_does_not_corrupt_the_interpreter() -> None:
    result = subprocess.run(
        [sys.executable, "-c", LOOP_PROBE], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert int(result.stdout.strip()) >= -50, "references to None are being lost"
