"""The sound a stop prompt makes: a WAV played by the system's player in its own process.

Qt's own audio is in PySide6's 300 MB Addons; a player process keeps the screen's thread free
whatever the audio stack does (a PipeWire or PulseAudio server that hangs blocks only it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
from collections.abc import Sequence
from pathlib import Path

from lineside.station.config import StationConfig

log = logging.getLogger(__name__)
CHIME = Path(__file__).resolve().parent.parent / "resources" / "sounds" / "stop.wav"
PLAYERS = (("pw-play",), ("paplay",), ("aplay", "-q"))
"""The players tried in order when [display] sound_command is not set: PipeWire, PulseAudio,
ALSA."""


def default_player() -> list[str] | None:
    """The first player of `PLAYERS` that is installed, as a command; None if none is."""
    for name, *options in PLAYERS:
        found = shutil.which(name)
        if found is not None:
            return [found, *options]
    return None


class AlertSound:
    """Plays one WAV file on request, one player at a time, without waiting for it.

    A request while the sound still plays is dropped (a burst of stops makes one sound). A
    player that is missing or fails is logged once, as a warning saying what to do; the
    terminal goes on silent.
    """

    def __init__(
        self, file: Path = CHIME, command: Sequence[str] | None = None, *, enabled: bool = True
    ) -> None:
        self.file = file
        self.enabled = enabled
        self._process: asyncio.subprocess.Process | None = None
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self._warned = False
        self._command = list(command) if command is not None else None
        if enabled and self._command is None:
            self._command = default_player()
            if self._command is None:
                self._warn(
                    "no sound player found (tried %s); install pipewire-bin, pulseaudio-utils "
                    "or alsa-utils, or set [display] sound_command (sound = false: no sound)",
                    ", ".join(name for name, *_ in PLAYERS),
                )

    @classmethod
    def from_config(cls, config: StationConfig) -> AlertSound:
        """The sound of a station's [display] section."""
        d = config.display
        return cls(config.sound_path or CHIME, d.sound_command, enabled=d.sound)

    @property
    def playing(self) -> bool:
        """A player is running (or starting) now."""
        return self._task is not None and not self._task.done()

    def play(self) -> None:
        """Start the sound unless it is off, still playing, or the terminal is shutting down."""
        if not self.enabled or self._command is None or self._closed or self.playing:
            return
        self._task = asyncio.get_running_loop().create_task(self._play(self._command))

    async def wait_idle(self) -> None:
        """Return once the sound being played (if any) has ended."""
        if self._task is not None:
            await self._task

    async def close(self) -> None:
        """Stop a sound that still plays and reap its player; later requests play nothing."""
        self._closed = True
        if self._process is not None and self._process.returncode is None:
            with contextlib.suppress(ProcessLookupError):  # it ended by itself just now
                self._process.kill()
        await self.wait_idle()

    async def _play(self, command: list[str]) -> None:
        if not self.file.is_file():
            self._warn(
                "the stop sound %s does not exist; put a WAV file there "
                "or set [display] sound_file",
                self.file,
            )
            return
        try:
            process = await asyncio.create_subprocess_exec(
                *command,
                str(self.file),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
            )
        except OSError as exc:
            self._warn(
                "cannot start the sound player %s (%s); install it or fix [display] sound_command",
                command[0],
                exc.strerror or exc,
            )
            return
        self._process = process
        if self._closed:  # close() came while the player was being started
            process.kill()
        try:
            _, err = await process.communicate()
        finally:
            self._process = None
            if process.returncode is None:  # cancelled: the player must not outlive its task
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
        if process.returncode != 0 and not self._closed:
            lines = err.decode(errors="replace").strip().splitlines()
            self._warn(
                "the sound player %s failed on %s (exit status %s: %s); check the audio "
                "output, or fix [display] sound_command or sound_file",
                " ".join(command),
                self.file,
                process.returncode,
                lines[-1][:200] if lines else "no message",
            )

    def _warn(self, message: str, *args: object) -> None:
        """Log a problem once: the first one says what to fix, the rest would only repeat."""
        if self._warned:
            log.debug(message, *args)
            return
        self._warned = True
        log.warning(message, *args)
