"""Assets: the images of work-instruction steps, stored by the SHA-256 of their bytes.

A step names its image by content address, "sha256:<64 lowercase hex>" (docs/master-data.md):
the same bytes always have the same address, so a station may cache an asset forever.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, insert, select

from lineside.server.db import asset, iso, reading, utc_now

MAX_ASSET_BYTES = 20 * 1024 * 1024
"""The largest asset the server stores (20 MiB): a step's image, not a video."""
MEDIA_TYPES = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "svg": "image/svg+xml",
}
"""The kinds of image a station can show, by name."""
_EXTENSIONS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".webp": "webp", ".svg": "svg"}
HEX = re.compile(r"^[0-9a-f]{64}$")
PREFIX = "sha256:"


class AssetFileError(Exception):
    """A file cannot be stored as an asset; the message names the file and what to do."""


@dataclass(frozen=True)
class Asset:
    """An asset's bytes with its address and media type."""

    sha256: str
    media_type: str
    data: bytes

    @property
    def address(self) -> str:
        """How master data names it: "sha256:<hex>"."""
        return PREFIX + self.sha256


def _sniff(head: bytes) -> str | None:
    """The kind of image the bytes start with (png, jpeg, webp, svg), or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith((b"<?xml", b"<svg", b"<!--", b"<!DOCTYPE svg")) and b"<svg" in head:
        return "svg"
    return None


def read_asset_file(path: Path) -> Asset:
    """Read an image file for storing; AssetFileError if it is missing, too big or not an image."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise AssetFileError(f"{path}: not a file")
        if size > MAX_ASSET_BYTES:
            raise AssetFileError(
                f"{path}: {size} bytes, more than the {MAX_ASSET_BYTES // (1024 * 1024)} MiB an "
                "asset may have; make the image smaller (a step's image needs no more than "
                "about 2000 pixels across)"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise AssetFileError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
    if len(data) > MAX_ASSET_BYTES:  # grew since the stat
        raise AssetFileError(f"{path}: more than {MAX_ASSET_BYTES} bytes")
    kind = _sniff(data[:4096])
    named = _EXTENSIONS.get(path.suffix.lower())
    if kind is None:
        what = f"its name says {named} but its content is not" if named else "not an image"
        raise AssetFileError(
            f"{path}: {what} one Lineside takes; give a PNG, JPEG, WebP or SVG file"
        )
    return Asset(hashlib.sha256(data).hexdigest(), MEDIA_TYPES[kind], data)


def store_assets(engine: Engine, assets: list[Asset]) -> int:
    """Store the assets in one transaction (ones already stored are kept); how many were new."""
    added = 0
    now = iso(utc_now())
    with engine.begin() as conn:
        for item in assets:
            if _stored(conn, item.sha256):
                continue
            conn.execute(
                insert(asset).values(
                    sha256=item.sha256,
                    media_type=item.media_type,
                    size=len(item.data),
                    data=item.data,
                    created_at=now,
                )
            )
            added += 1
    return added


def _stored(conn: Connection, sha256: str) -> bool:
    return conn.scalar(select(asset.c.sha256).where(asset.c.sha256 == sha256)) is not None


def load_asset(engine: Engine, sha256: str) -> Asset | None:
    """The stored asset of this hex digest, or None."""
    with reading(engine) as conn:
        row = conn.execute(
            select(asset.c.media_type, asset.c.data).where(asset.c.sha256 == sha256)
        ).first()
    if row is None:
        return None
    return Asset(sha256, str(row.media_type), bytes(row.data))
