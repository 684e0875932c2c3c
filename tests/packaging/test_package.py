"""packaging/build makes a Debian package that runs from wherever it is unpacked: the
terminal, the server and the kiosk set-up, with no pip and no repository behind it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.packaging.conftest import (
    FIRST_FRAME,
    LINK_RETRYING,
    ROOT,
    VERSION,
    Terminal,
    dpkg_deb,
    lineside_command,
)

pytestmark = pytest.mark.timeout(900)  # the session's one build comes first

UNITS = ("lineside-kiosk.service", "lineside-kiosk-x.service", "lineside-server.service")


def field(package: Path, name: str) -> str:
    """One field of the package's control file."""
    done = subprocess.run(
        [dpkg_deb(), "-f", str(package), name], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_the_package_names_itself_and_what_it_needs(package: Path) -> None:
    assert package.name.startswith(f"lineside_{VERSION}_")
    assert field(package, "Package") == "lineside"
    assert field(package, "Version") == VERSION
    depends = {d.split()[0] for d in field(package, "Depends").split(", ")}
    listed = (ROOT / "packaging" / "qt-system-libs.txt").read_text(encoding="utf-8").split("\n")
    libs = {line for line in listed if line and not line.startswith("#")}
    assert libs <= depends, f"Depends lacks {libs - depends}"
    assert {"cage", "xwayland"} <= set(field(package, "Recommends").split(", "))


def test_the_package_carries_the_kiosk_and_the_server(installed: Path) -> None:
    for unit in UNITS:
        assert (installed / "lib" / "systemd" / "system" / unit).is_file()
    assert (installed / "usr" / "sbin" / "lineside-kiosk-setup").stat().st_mode & 0o111
    assert (installed / "usr" / "bin" / "lineside").readlink() == Path("/opt/lineside/bin/lineside")
    assert (installed / "etc" / "pam.d" / "lineside-kiosk").is_file()
    assert (installed / "usr" / "share" / "doc" / "lineside" / "install.md").is_file()


def test_the_kiosk_restarts_the_terminal_full_screen_without_a_way_out(installed: Path) -> None:
    units = installed / "lib" / "systemd" / "system"
    starts = {}
    for name in ("lineside-kiosk", "lineside-kiosk-x"):
        unit = (units / f"{name}.service").read_text(encoding="utf-8")
        starts[name] = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
        assert "/opt/lineside/bin/lineside hmi" in starts[name]
        assert "--fullscreen" in starts[name]
        assert "Restart=always" in unit
        assert "User=lineside" in unit
        assert "Conflicts=getty@tty1.service" in unit
    cage_options = starts["lineside-kiosk"].split(" -- ")[0].split()
    assert cage_options == ["ExecStart=/usr/bin/cage", "-d"]  # no -s: no VT switching
    assert "-novtswitch" in starts["lineside-kiosk-x"].split()
    server = (units / "lineside-server.service").read_text(encoding="utf-8")
    assert "ExecStart=/opt/lineside/bin/lineside server" in server
    assert "Restart=on-failure" in server


def test_unpacked_lineside_tells_its_version(installed: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [lineside_command(installed), "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"lineside {VERSION}"


def test_unpacked_lineside_runs_its_own_copy(installed: Path, tmp_path: Path) -> None:
    python = installed / "opt" / "lineside" / "venv" / "bin" / "python"
    done = subprocess.run(
        [str(python), "-c", "import lineside, PySide6; print(lineside.__file__, PySide6.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin"},
        check=True,
    )
    for path in done.stdout.split():
        assert Path(path).is_relative_to(installed), path


def test_unpacked_terminal_reaches_its_first_frame_and_stops_in_order(
    installed: Path, station: Path
) -> None:
    terminal = Terminal(
        [lineside_command(installed), "hmi", "--config", str(station), "-platform", "offscreen"],
        env={"QT_QPA_PLATFORM": "offscreen", "QT_QUICK_BACKEND": "software"},
    )
    try:
        terminal.wait_line(FIRST_FRAME + "offscreen")
        terminal.wait_line(LINK_RETRYING)
    finally:
        code = terminal.terminate()
    assert code == 0, terminal.describe()
    assert "Traceback" not in terminal.output()
    assert (station.parent / "data" / "station.db").is_file()


def test_unpacked_config_check_names_a_bad_key(installed: Path, station: Path) -> None:
    station.write_text(station.read_text(encoding="utf-8") + "\n[display]\nfullscreen = 3\n")
    done = subprocess.run(
        [lineside_command(installed), "hmi", "--config", str(station), "--check-config"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "display" in done.stderr
