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
