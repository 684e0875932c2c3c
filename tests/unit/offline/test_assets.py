"""The station's asset cache: verified, atomic, cheap to read, calm on a disk it cannot write."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from lineside.offline.assets import AssetCache

PNG = b"\x89PNG\r\n\x1a\n" + b"step one: open the valve" * 40
OTHER = b"\xff\xd8\xff" + b"another image" * 30


def address(data: bytes) -> str:
    """The content address of `data`."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


@contextmanager
def read_only(directory: Path) -> Iterator[None]:
    """`directory` cannot be written to inside the block, even by root (immutable flag)."""
    directory.chmod(0o555)
    immutable = os.geteuid() == 0  # root ignores the mode bits
    if immutable:
        chattr = shutil.which("chattr")
        assert chattr, (
            "running as root, the test needs chattr (e2fsprogs) to make a folder read-only"
        )
        subprocess.run([chattr, "+i", str(directory)], check=True, timeout=30)
    try:
        probe = directory / "probe"
        with pytest.raises(PermissionError):  # the premise: nothing can be created here now
            probe.write_bytes(b"x")
        yield
    finally:
        if immutable:
            subprocess.run([chattr, "-i", str(directory)], check=True, timeout=30)
        directory.chmod(0o755)


def test_a_verified_asset_is_kept_under_its_hex_and_read_without_hashing(tmp_path: Path) -> None:
    cache = AssetCache(tmp_path / "assets")
    assert cache.path(address(PNG)) is None  # the folder need not exist yet
    assert cache.put(address(PNG), PNG)
    path = cache.path(address(PNG))
    assert path == tmp_path / "assets" / hashlib.sha256(PNG).hexdigest()
    assert path.read_bytes() == PNG
    assert cache.has(address(PNG))
    assert sorted(p.name for p in (tmp_path / "assets").iterdir()) == [path.name]  # no temp left
    inode = path.stat().st_ino
    assert cache.put(address(PNG), PNG)  # again: kept as it is
    assert path.stat().st_ino == inode


def test_bytes_that_do_not_match_their_address_are_discarded_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = AssetCache(tmp_path / "assets")
    corrupt = PNG[:-1] + b"!"
    with caplog.at_level(logging.WARNING, logger="lineside.offline.assets"):
        assert not cache.put(address(PNG), corrupt)
    assert cache.path(address(PNG)) is None
    assert not list((tmp_path / "assets").glob("*"))
    (record,) = caplog.records
    message = record.getMessage()
    assert message.startswith(f"asset {address(PNG)} discarded: its {len(corrupt)} bytes hash")
    assert message.endswith("(a corrupt download)")


def test_missing_lists_each_uncached_address_once_in_order(tmp_path: Path) -> None:
    cache = AssetCache(tmp_path / "assets")
    third = b"<svg xmlns='http://www.w3.org/2000/svg'/>"
    cache.put(address(OTHER), OTHER)
    wanted = [address(PNG), address(OTHER), address(third), address(PNG)]
    assert cache.missing(wanted) == [address(PNG), address(third)]
    assert cache.missing([]) == []


def test_a_half_written_file_is_never_served_and_is_cleared_up(tmp_path: Path) -> None:
    folder = tmp_path / "assets"
    folder.mkdir()
    digest = hashlib.sha256(PNG).hexdigest()
    (folder / f".{digest}.abc123.part").write_bytes(PNG[:10])  # a power cut mid-write
    cache = AssetCache(folder)
    assert cache.path(address(PNG)) is None
    assert cache.remove_leftovers() == 1
    assert not list(folder.iterdir())
    assert cache.put(address(PNG), PNG)
    assert cache.remove_leftovers() == 0


def test_a_read_only_folder_is_logged_once_and_the_cache_keeps_going(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "assets"
    folder.mkdir()
    cache = AssetCache(folder)
    assert cache.put(address(OTHER), OTHER)
    with read_only(folder), caplog.at_level(logging.WARNING, logger="lineside.offline.assets"):
        assert not cache.put(address(PNG), PNG)
        assert not cache.put(address(PNG), PNG)
        assert cache.path(address(PNG)) is None
        assert cache.path(address(OTHER)) is not None  # what it has, it still serves
        assert cache.missing([address(PNG), address(OTHER)]) == [address(PNG)]
        assert cache.remove_leftovers() == 0
    (record,) = caplog.records  # once, not per attempt
    assert record.getMessage().startswith(f"asset {address(PNG)} not cached ({folder}: ")
    assert record.getMessage().endswith("the station works on without it")
    assert cache.put(address(PNG), PNG)  # writable again: it is kept
    assert cache.has(address(PNG))


def test_a_folder_that_cannot_be_created_is_no_crash(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("a file where the folder should be")
    cache = AssetCache(tmp_path / "data" / "assets")
    assert not cache.put(address(PNG), PNG)
    assert cache.path(address(PNG)) is None
    assert cache.missing([address(PNG)]) == [address(PNG)]


@pytest.mark.parametrize(
    "bad", ["", "sha256:", "sha1:" + "0" * 40, "sha256:" + "A" * 64, "0" * 64, "sha256:../x"]
)
def test_a_malformed_address_is_refused_by_name(tmp_path: Path, bad: str) -> None:
    cache = AssetCache(tmp_path / "assets")
    with pytest.raises(ValueError, match=r"is not an asset address: sha256:<64 lowercase hex"):
        cache.path(bad)
    with pytest.raises(ValueError, match=r"is not an asset address"):
        cache.put(bad, PNG)
