"""The demo station config as tests use it."""

from __future__ import annotations

from pathlib import Path


def without_breaks(config: Path) -> Path:
    """Drop the demo calendar's breaks: a stop in a break is planned, so a test that expects the
    reason prompt would pass or fail by the time of day."""
    lines = config.read_text(encoding="utf-8").splitlines()
    config.write_text(
        "\n".join(line for line in lines if not line.startswith("breaks = ")) + "\n",
        encoding="utf-8",
    )
    return config
