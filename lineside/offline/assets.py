"""The station's cache of assets: images of work-instruction steps, kept offline for good.

An asset is named by the SHA-256 of its bytes ("sha256:<hex>", docs/master-data.md), so a
file here never goes stale. Each is one file named by its hex, written atomically and checked
against its hash before it takes that name: what has the name is whole and right, and reading
it needs no hashing. A full or read-only disk is logged and the station carries on without it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

ADDRESS = re.compile(r"^sha256:([0-9a-f]{64})$")
"""An asset's content address, as `InstructionStep.image` has it."""
_TEMP_SUFFIX = ".part"


def hex_of(address: str) -> str:
    """The hex digest of an address; ValueError naming the address when it is not one."""
    match = ADDRESS.match(address) if isinstance(address, str) else None
    if match is None:
        raise ValueError(f"{address!r} is not an asset address: sha256:<64 lowercase hex digits>")
    return match.group(1)


class AssetCache:
    """Assets in one folder (`<data_dir>/assets`), one file per asset named by its hex."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._unwritable = ""
        """Why the last write failed (logged once until a write succeeds again)."""

    def path(self, address: str) -> Path | None:
        """The cached file of this asset, or None when it is not (yet) here."""
        path = self.directory / hex_of(address)
        try:
            return path if path.is_file() else None
        except OSError:
            return None

    def has(self, address: str) -> bool:
        """Whether the asset is cached."""
        return self.path(address) is not None

    def missing(self, addresses: Iterable[str]) -> list[str]:
        """The addresses (each once, in their order) whose asset is not cached."""
        seen: set[str] = set()
        missing = []
        for address in addresses:
            if address in seen:
                continue
            seen.add(address)
            if not self.has(address):
                missing.append(address)
        return missing

    def put(self, address: str, data: bytes) -> bool:
        """Keep `data` as this asset if its SHA-256 matches; whether it is now cached.

        Bytes that do not match (a corrupt download) are discarded and logged; a write that
        fails (disk full, read-only) is logged and leaves no partial file under the name.
        """
        digest = hex_of(address)
        actual = hashlib.sha256(data).hexdigest()
        if actual != digest:
            log.warning(
                "asset %s discarded: its %d bytes hash to sha256:%s (a corrupt download)",
                address,
                len(data),
                actual,
            )
            return False
        target = self.directory / digest
        try:
            if target.is_file():
                return True
            self.directory.mkdir(parents=True, exist_ok=True)
            self._write(target, data)
        except OSError as exc:
            reason = f"{self.directory}: {exc.strerror or exc}"
            if reason != self._unwritable:
                log.warning(
                    "asset %s not cached (%s); the station works on without it", address, reason
                )
            self._unwritable = reason
            return False
        self._unwritable = ""
        return True

    def _write(self, target: Path, data: bytes) -> None:
        """Temp file, fsync, rename onto the name, fsync the folder (a crash leaves no half)."""
        fd, temp = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=_TEMP_SUFFIX, dir=self.directory
        )
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        folder = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)

    def remove_leftovers(self) -> int:
        """Delete temp files a crash left mid-write; how many (problems are logged)."""
        removed = 0
        try:
            leftovers = list(self.directory.glob(f".*{_TEMP_SUFFIX}"))
        except OSError:
            return 0
        for leftover in leftovers:
            try:
                leftover.unlink()
            except OSError as exc:
                log.warning("asset cache: cannot remove %s (%s)", leftover, exc.strerror or exc)
                continue
            removed += 1
        return removed
