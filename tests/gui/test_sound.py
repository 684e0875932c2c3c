"""A machine stop on the real screen plays the stop sound through the configured player."""

from __future__ import annotations

from pathlib import Path

import pytest

from lineside.app.hmi import Hmi
from lineside.app.sound import CHIME
from lineside.devices.machine import SimMachine

from .conftest import item, until


@pytest.fixture
def station_config(station_config: Path) -> Path:
    """The demo station with a fake player that writes its arguments to `runs/<its pid>`."""
    runs = station_config.parent / "runs"
    runs.mkdir()
    player = station_config.parent / "player"
    player.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{runs}/$$"\n')
    player.chmod(0o755)
    text = station_config.read_text()
    station_config.write_text(f'{text}\n[display]\nsound_command = ["{player}"]\n')
    return station_config


def played(hmi: Hmi) -> list[list[str]]:
    """The arguments of each run of the fake player."""
    runs = hmi.config.path.parent / "runs"
    return [run.read_text().splitlines() for run in sorted(runs.iterdir())]


async def test_a_machine_stop_plays_the_chime_once(hmi: Hmi) -> None:
    assert isinstance(hmi.machine, SimMachine)
    assert played(hmi) == []
    hmi.machine.set(state_current=11, stop_reason_id=17, stop_reason_message="Bottle jam infeed")
    await until(lambda: item(hmi, "reasonPrompt").isVisible())
    await until(lambda: played(hmi) != [])
    assert hmi.sound is not None
    await hmi.sound.wait_idle()
    assert played(hmi) == [[str(CHIME)]]
