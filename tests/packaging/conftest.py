"""The package, built once per session by packaging/build and unpacked into a fresh place;
terminals started from it with their log lines as records; screenshots read back.

`LINESIDE_TEST_DEB=path/to/lineside_<version>_amd64.deb` tests a package built before instead
of building one (the build takes a minute or two on 2 cores).
"""

from __future__ import annotations

import array
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from tests.processes import DEADLINE, RecordingProcess

ROOT = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
BUILD_TIMEOUT_S = 900
"""A session's one build: pip install from PyPI (or its cache), byte-compile, pack."""
FIRST_FRAME = "first frame shown on "
"""What lineside/app/hmi.py logs when the station window's first frame is on screen."""
LINK_RETRYING = "retrying every"
"""The machine link's first failed connect: the tests stop the terminal after it, so its log
shows the link at work. (A SIGTERM during that first connect was once lost in asyncua's
connect; tests/integration/test_terminal_stop.py now covers every moment.)"""


@pytest.fixture(scope="session")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """lineside_<version>_<arch>.deb, built by packaging/build into this session's tmp dir."""
    prebuilt = os.environ.get("LINESIDE_TEST_DEB")
    if prebuilt:
        return Path(prebuilt)
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [str(ROOT / "packaging" / "build"), "--out", str(out), "--fast"],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, f"packaging/build failed:\n{done.stderr[-4000:]}"
    print(done.stderr.strip().splitlines()[-1], file=sys.stderr)  # its size and build time
    return Path(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def installed(package: Path) -> Iterator[Path]:
    """The package unpacked into a fresh directory (readable by anyone: the kiosk user too)."""
    where = Path(tempfile.mkdtemp(prefix="lineside-installed-"))
    try:
        where.chmod(0o755)
        subprocess.run([dpkg_deb(), "-x", str(package), str(where)], check=True)
        yield where
    finally:
        shutil.rmtree(where)


def dpkg_deb() -> str:
    """The dpkg-deb command (Debian's own packager)."""
    found = shutil.which("dpkg-deb")
    assert found is not None, "dpkg-deb is missing (is this Debian?)"
    return found


def lineside_command(installed: Path) -> str:
    """The unpacked package's `lineside` (what /usr/bin/lineside links to)."""
    return str(installed / "opt" / "lineside" / "bin" / "lineside")


def free_port() -> int:
    """A TCP port nothing listens on, on loopback (the station's machine is never there)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def station(installed: Path, tmp_path: Path) -> Path:
    """The package's example station (the demo's) in its own directory; its config file.

    The machine's endpoint is a free loopback port: the terminal starts, shows the link as
    lost and keeps trying, and nothing leaves the machine.
    """
    where = tmp_path / "station"
    where.mkdir()
    examples = installed / "usr" / "share" / "lineside" / "examples"
    for name in ("reasons.json", "people.json"):
        shutil.copy(examples / name, where / name)
    config = (examples / "station.toml").read_text(encoding="utf-8")
    assert "127.0.0.1:48400" in config
    config = config.replace("127.0.0.1:48400", f"127.0.0.1:{free_port()}")
    (where / "station.toml").write_text(config, encoding="utf-8")
    return where / "station.toml"


class Terminal(RecordingProcess):
    """A command whose stdout and stderr (log lines) are its records, as `{"text": line}`."""

    name = "the terminal"

    def __init__(self, argv: Sequence[str], env: dict[str, str] | None = None) -> None:
        # `exec` keeps the pid: the test signals the command itself, not a shell around it.
        super().__init__(["/bin/sh", "-c", 'exec "$@" 2>&1', "sh", *argv], env=env)

    def wait_line(self, part: str, timeout: float = DEADLINE) -> str:
        """The first output line that contains `part`."""
        record = self.wait_record(lambda r: part in r.get("text", ""), timeout=timeout)
        return str(record["text"])

    def output(self) -> str:
        """Everything it wrote so far."""
        return "".join(str(r.get("text", "")) for r in list(self.records))


class Screenshot:
    """A screen's pixels as 0xRRGGBB integers."""

    def __init__(self, width: int, height: int, pixels: Sequence[int]) -> None:
        self.width = width
        self.height = height
        self.pixels = pixels

    def colours(self) -> int:
        """How many different colours it shows."""
        return len(set(self.pixels))

    def share(self, colour: int) -> float:
        """The share of its pixels that have `colour`."""
        return list(self.pixels).count(colour) / len(self.pixels)

    def looks_drawn(self) -> bool:
        """More than a blank or single-coloured screen: text and surfaces (antialiased)."""
        return self.colours() >= 16


def read_xwd(data: bytes) -> Screenshot:
    """An X window dump (`xwd`) of a 24- or 32-bit TrueColor screen."""
    fields = array.array("I", data[:100])
    if sys.byteorder == "little":
        fields.byteswap()  # the header is big-endian
    header_size, version = fields[0], fields[1]
    assert version == 7, f"not an XWD file (version {version})"
    width, height, byte_order, bits_per_pixel = fields[4], fields[5], fields[7], fields[11]
    bytes_per_line, ncolors = fields[12], fields[19]
    assert bits_per_pixel == 32, f"a {bits_per_pixel}-bit dump"
    start = header_size + 12 * ncolors
    pixels = array.array("I")
    for row in range(height):
        line = start + row * bytes_per_line
        pixels.frombytes(data[line : line + 4 * width])
    if (byte_order == 1) != (sys.byteorder == "big"):
        pixels.byteswap()
    return Screenshot(width, height, [p & 0xFFFFFF for p in pixels])


def read_ppm(data: bytes) -> Screenshot:
    """A binary PPM (P6, 8 bits per sample), as `grim -t ppm` writes it."""
    parts = data.split(maxsplit=4)
    assert parts[0] == b"P6", f"not a binary PPM: {data[:16]!r}"
    width, height, maxval, rgb = int(parts[1]), int(parts[2]), int(parts[3]), parts[4]
    assert maxval == 255
    rgb = rgb[: 3 * width * height]
    pixels = [
        (r << 16) | (g << 8) | b for r, g, b in zip(rgb[0::3], rgb[1::3], rgb[2::3], strict=True)
    ]
    return Screenshot(width, height, pixels)


def drawn_screen(take: Callable[[], Screenshot], what: str) -> Screenshot:
    """A screenshot once it shows the terminal (the frame may still be on its way to the
    display server when the terminal logs it); fails after DEADLINE."""
    deadline = time.monotonic() + DEADLINE
    while True:
        shot = take()
        if shot.looks_drawn():
            return shot
        assert time.monotonic() < deadline, f"{what} stayed blank ({shot.colours()} colours)"
        time.sleep(0.1)  # between two screenshots: polling for a condition, not timing one
