"""The stop sound: the configured player plays the configured file, one at a time, is reaped,
and a missing or failing player costs one warning and nothing else."""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import os
import wave
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Signal

from lineside.app.cli import write_demo_station
from lineside.app.sound import CHIME, AlertSound, default_player
from lineside.station.config import ConfigError, load_station_config

ROOT = Path(__file__).resolve().parents[3]


class Prompt(QObject):
    """Stands in for the navigation viewmodel: it asks for attention, nothing else."""

    attention_requested = Signal()


def fake_player(folder: Path, then: str = "", name: str = "player") -> Path:
    """A player that writes its arguments to `runs/<its pid>`, then runs `then` (a shell line)."""
    runs = folder / "runs"
    runs.mkdir(exist_ok=True)
    script = folder / name
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{runs}/$$"\n{then}\n')
    script.chmod(0o755)
    return script


def runs(folder: Path) -> dict[int, list[str]]:
    """Each run of the fake player: its pid and its arguments."""
    found = sorted((folder / "runs").iterdir()) if (folder / "runs").exists() else []
    return {int(run.name): run.read_text().splitlines() for run in found}


def exists(pid: int) -> bool:
    """The process is there, running or a zombie not yet waited for."""
    return Path(f"/proc/{pid}").exists()


async def until(predicate: Callable[[], bool], within: float = 5.0) -> None:
    """Wait until `predicate()` holds (the player runs on its own); fail after `within` s."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not predicate():
        assert loop.time() < deadline, f"not reached within {within} s"
        await asyncio.sleep(0.01)


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def station(folder: Path, display: str) -> Path:
    """The demo station config with a [display] section."""
    config = write_demo_station(folder)
    config.write_text(f"{config.read_text()}\n[display]\n{display}\n")
    return config


async def test_a_prompt_s_attention_plays_the_configured_file_with_the_configured_command(
    tmp_path: Path,
) -> None:
    player = fake_player(tmp_path)
    (tmp_path / "sounds").mkdir()
    (tmp_path / "sounds" / "horn.wav").write_bytes(CHIME.read_bytes())
    config = load_station_config(
        station(
            tmp_path,
            f'sound_file = "sounds/horn.wav"\nsound_command = ["{player}", "--volume", "0.8"]',
        )
    )
    sound = AlertSound.from_config(config)
    prompt = Prompt()
    prompt.attention_requested.connect(sound.play)
    prompt.attention_requested.emit()
    await sound.wait_idle()
    assert list(runs(tmp_path).values()) == [["--volume", "0.8", str(tmp_path / "sounds/horn.wav")]]
    prompt.attention_requested.emit()  # the next stop plays again
    await sound.wait_idle()
    assert len(runs(tmp_path)) == 2
    await sound.close()


async def test_a_second_attention_while_the_sound_plays_starts_no_second_player(
    tmp_path: Path,
) -> None:
    sound = AlertSound(CHIME, [str(fake_player(tmp_path, "exec sleep 600"))])
    sound.play()
    await until(lambda: len(runs(tmp_path)) == 1)
    sound.play()
    sound.play()
    assert sound.playing
    await sound.close()
    # A second player would still sleep now: the suite's fixture fails a test that leaves one.
    assert len(runs(tmp_path)) == 1


async def test_close_stops_a_playing_sound_and_reaps_its_player(tmp_path: Path) -> None:
    sound = AlertSound(CHIME, [str(fake_player(tmp_path, "exec sleep 600"))])
    sound.play()
    await until(lambda: len(runs(tmp_path)) == 1)
    (pid,) = runs(tmp_path)
    assert exists(pid)
    await sound.close()
    assert not exists(pid)  # killed and waited for: not even a zombie is left
    assert not sound.playing
    sound.play()  # the terminal is shutting down: nothing starts
    assert not sound.playing


async def test_a_failing_player_is_one_warning_and_the_next_stop_tries_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    failing = "echo 'aplay: main:831: audio open error: Device or resource busy' >&2; exit 1"
    player = fake_player(tmp_path, failing)
    sound = AlertSound(CHIME, [str(player)])
    for _ in range(3):
        sound.play()
        await sound.wait_idle()
    assert len(runs(tmp_path)) == 3
    (warning,) = warnings(caplog)
    assert str(player) in warning
    assert "exit status 1" in warning
    assert "Device or resource busy" in warning
    assert "sound_command" in warning
    await sound.close()


async def test_a_missing_player_is_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sound = AlertSound(CHIME, [str(tmp_path / "no-such-player"), "-q"])
    for _ in range(2):
        sound.play()
        await sound.wait_idle()
    (warning,) = warnings(caplog)
    assert str(tmp_path / "no-such-player") in warning
    assert "No such file or directory" in warning
    assert "sound_command" in warning
    await sound.close()


async def test_a_missing_sound_file_is_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sound = AlertSound(tmp_path / "gone.wav", [str(fake_player(tmp_path))])
    for _ in range(2):
        sound.play()
        await sound.wait_idle()
    assert runs(tmp_path) == {}
    (warning,) = warnings(caplog)
    assert str(tmp_path / "gone.wav") in warning
    assert "sound_file" in warning
    await sound.close()


async def test_no_installed_player_is_one_warning_and_silence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    sound = AlertSound(CHIME)
    sound.play()
    assert not sound.playing
    (warning,) = warnings(caplog)
    assert "pw-play, paplay, aplay" in warning
    assert "[display] sound_command" in warning
    await sound.close()


async def test_the_default_player_is_the_first_installed_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr("lineside.app.sound.PLAYERS", (("pw-play",), ("aplay", "-q")))
    aplay = fake_player(tmp_path, name="bin/aplay")
    assert default_player() == [str(aplay), "-q"]
    sound = AlertSound()
    sound.play()
    await sound.wait_idle()
    assert list(runs(tmp_path).values()) == [["-q", str(CHIME)]]
    await sound.close()
    pw_play = fake_player(tmp_path, name="bin/pw-play")
    assert default_player() == [str(pw_play)]


async def test_sound_off_plays_nothing_and_warns_of_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no player installed either
    sound = AlertSound.from_config(load_station_config(station(tmp_path, "sound = false")))
    sound.play()
    assert not sound.playing
    assert warnings(caplog) == []
    await sound.close()


def test_a_missing_sound_file_is_a_config_error_naming_the_file_and_the_key(
    tmp_path: Path,
) -> None:
    config = station(tmp_path, 'sound_file = "horn.wav"')
    with pytest.raises(ConfigError) as caught:
        load_station_config(config)
    message = str(caught.value)
    assert str(config) in message
    assert "display.sound_file" in message
    assert str(tmp_path / "horn.wav") in message


def test_an_empty_sound_command_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"key display\.sound_command"):
        load_station_config(station(tmp_path, "sound_command = []"))


def test_without_a_sound_file_the_shipped_chime_plays(tmp_path: Path) -> None:
    config = load_station_config(station(tmp_path, "sound = true"))
    assert config.sound_path is None
    assert AlertSound.from_config(config).file == CHIME


def test_the_shipped_chime_is_what_scripts_make_chime_makes() -> None:
    spec = importlib.util.spec_from_file_location("make_chime", ROOT / "scripts" / "make_chime.py")
    assert spec is not None
    assert spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert CHIME.read_bytes() == script.chime(), "run .venv/bin/python scripts/make_chime.py"
    with wave.open(str(CHIME)) as chime:
        assert (chime.getnchannels(), chime.getsampwidth(), chime.getframerate()) == (1, 2, 22050)
        assert 0.3 <= chime.getnframes() / chime.getframerate() <= 0.5
