"""The unpacked terminal on real display servers: X11 (Xvfb, the xcb platform) and the kiosk's
Wayland compositor (cage, headless), each checked by a screenshot of its first frame."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.packaging.conftest import (
    FIRST_FRAME,
    LINK_RETRYING,
    Screenshot,
    Terminal,
    drawn_screen,
    lineside_command,
    read_ppm,
    read_xwd,
)
from tests.processes import DEADLINE, exited, stop_by_pid

pytestmark = pytest.mark.timeout(900)  # the session's one build comes first

KIOSK_USER = "nobody"
"""cage refuses to run as root: as root, the test runs it as this user (as the kiosk does)."""


def tool(name: str) -> str:
    """A display tool that `scripts/bootstrap --for-tests` installs."""
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: run scripts/bootstrap --for-tests")
    return found


@pytest.fixture
def xvfb() -> Iterator[str]:
    """A virtual X display (unix socket only, black root); its DISPLAY. Stopped by pid."""
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [
            *(tool("Xvfb"), "-displayfd", str(write_end), "-screen", "0", "1280x800x24"),
            *("-nolisten", "tcp", "-br", "-noreset"),
        ],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as ready:  # Xvfb writes its display number once it listens
            number = ready.readline().strip()
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        stop_by_pid(server, DEADLINE)


def test_terminal_draws_its_first_frame_full_screen_on_x(
    installed: Path, station: Path, xvfb: str
) -> None:
    env = {"DISPLAY": xvfb, "QT_QPA_PLATFORM": "xcb", "QT_QUICK_BACKEND": "software"}
    argv = [lineside_command(installed), "hmi", "--config", str(station), "--fullscreen"]
    terminal = Terminal([*argv, "-platform", "xcb"], env=env)
    try:
        terminal.wait_line(FIRST_FRAME + "xcb")
        terminal.wait_line(LINK_RETRYING)

        def take() -> Screenshot:
            dump = subprocess.run(
                [tool("xwd"), "-root", "-silent", "-display", xvfb],
                capture_output=True,
                check=True,
            )
            return read_xwd(dump.stdout)

        shot = drawn_screen(take, "the X screen")
    finally:
        code = terminal.terminate()
    assert code == 0, terminal.describe()
    assert (shot.width, shot.height) == (1280, 800)
    assert shot.share(0x000000) < 0.05, "the terminal does not cover the (black) screen"
    assert "Traceback" not in terminal.output()


@pytest.fixture
def kiosk_dirs(station: Path) -> Iterator[tuple[Path, Path]]:
    """A runtime dir and a home for the kiosk user; the station's files are theirs."""
    runtime = Path(tempfile.mkdtemp(prefix="lineside-kiosk-run-"))
    home = Path(tempfile.mkdtemp(prefix="lineside-kiosk-home-"))
    try:
        if os.geteuid() == 0:
            for path in (runtime, home, station.parent, *station.parent.rglob("*")):
                shutil.chown(path, KIOSK_USER, "nogroup")
            # The station's tmp dir is root's (0700): let the kiosk user pass through to it.
            for parent in station.parent.parents:
                if parent == Path(tempfile.gettempdir()):
                    break
                parent.chmod(parent.stat().st_mode | 0o001)
        yield runtime, home
    finally:
        shutil.rmtree(runtime)
        shutil.rmtree(home)


def children(pid: int) -> list[int]:
    """The child processes of `pid`."""
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(child) for child in text.split()]


def test_terminal_draws_its_first_frame_under_the_kiosk_compositor(
    installed: Path, station: Path, kiosk_dirs: tuple[Path, Path]
) -> None:
    runtime, home = kiosk_dirs
    cage = tool("cage")
    tool("Xwayland")  # cage will not start without it
    as_kiosk_user = (
        [tool("setpriv"), f"--reuid={KIOSK_USER}", "--regid=nogroup", "--clear-groups"]
        if os.geteuid() == 0
        else []
    )
    env = {
        "WLR_BACKENDS": "headless",  # no screen, no seat: an output in memory
        "WLR_LIBINPUT_NO_DEVICES": "1",
        "WLR_RENDERER": "pixman",
        "XDG_RUNTIME_DIR": str(runtime),
        "HOME": str(home),
        "QT_QPA_PLATFORM": "wayland",
        "QT_QUICK_BACKEND": "software",
    }
    env.pop("DISPLAY", None)
    argv = [lineside_command(installed), "hmi", "--config", str(station), "--fullscreen"]
    kiosk = Terminal([*as_kiosk_user, cage, "-d", "--", *argv, "-platform", "wayland"], env=env)
    kiosk.name = "cage with the terminal"
    hmi_pids: list[int] = []
    try:
        kiosk.wait_line(FIRST_FRAME + "wayland")
        kiosk.wait_line(LINK_RETRYING)
        hmi_pids = children(kiosk.pid)
        socket = next(p.name for p in runtime.glob("wayland-*") if p.suffix != ".lock")

        def take() -> Screenshot:
            grab = subprocess.run(
                [tool("grim"), "-t", "ppm", "-"],
                capture_output=True,
                check=True,
                env={**os.environ, "XDG_RUNTIME_DIR": str(runtime), "WAYLAND_DISPLAY": socket},
            )
            return read_ppm(grab.stdout)

        shot = drawn_screen(take, "the kiosk's output")
    finally:
        kiosk.terminate()
        for pid in hmi_pids:  # cage's client ends with its compositor; never left behind
            if not _ends(pid):
                os.kill(pid, 9)
    assert hmi_pids, kiosk.describe()
    assert shot.width > 0
    assert "Traceback" not in kiosk.output()


def _ends(pid: int) -> bool:
    """Whether `pid` ends within DEADLINE (it is not our child: watched through /proc)."""
    deadline = time.monotonic() + DEADLINE
    while not exited(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True
