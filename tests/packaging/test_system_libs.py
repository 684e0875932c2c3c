"""scripts/bootstrap installs every system library Qt's X11 and Wayland platforms load (a
missing one shows only on a real screen: Qt's offscreen tests never load them)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import PySide6
import pytest

QT = Path(PySide6.__file__).resolve().parent / "Qt"
PLUGINS = [
    "platforms/libqxcb.so",
    "platforms/libqwayland.so",
    "xcbglintegrations/libqxcb-glx-integration.so",
    "xcbglintegrations/libqxcb-egl-integration.so",
    "wayland-shell-integration/libxdg-shell.so",
    "wayland-graphics-integration-client/libqt-plugin-wayland-egl.so",
    "wayland-decoration-client/libbradient.so",
]


@pytest.mark.parametrize("plugin", PLUGINS)
def test_every_library_of_a_platform_plugin_is_installed(plugin: str) -> None:
    ldd = shutil.which("ldd")
    assert ldd is not None
    done = subprocess.run(
        [ldd, str(QT / "plugins" / plugin)],
        capture_output=True,
        text=True,
        env={"LD_LIBRARY_PATH": str(QT / "lib")},
        check=True,
    )
    missing = [line.split()[0] for line in done.stdout.splitlines() if "not found" in line]
    assert not missing, f"{plugin} needs {missing}: add them to packaging/qt-system-libs.txt"
