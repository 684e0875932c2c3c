"""Who may read the server's order state and flags: a station's token reads its own line, the
admin token (`lineside server admin-token`) every line.

The admin token is kept like a station's, as a SHA-256 digest (table `admin_token`, one row);
it reads only, it cannot deliver events for any station.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import Column, Engine, String, Table, delete, insert, select

from lineside.server.auth import ForbiddenError, UnauthorizedError, hash_token
from lineside.server.db import iso, metadata, reading, station, utc_now
from lineside.server.master import station_line

admin_token = Table(
    "admin_token",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("created_at", String(32), nullable=False),
)
"""The digest of the admin token: no row until one is issued, one after."""


@dataclass(frozen=True)
class Reader:
    """Whose token a read came with, and which line it may see (None: every line)."""

    station_id: str | None
    """None for the admin token."""
    line: str | None


def issue_admin_token(engine: Engine) -> str:
    """Create or rotate the admin token (the old one stops working); the new token."""
    token = secrets.token_urlsafe(32)
    digest = hash_token(token)
    with engine.begin() as conn:
        conn.execute(delete(admin_token))
        conn.execute(insert(admin_token).values(token_hash=digest, created_at=iso(utc_now())))
    return token


def reader_of(engine: Engine, token: str | None) -> Reader:
    """The reader a token stands for: UnauthorizedError when it is neither kind of token,
    ForbiddenError for a station that is on no line."""
    if not token:
        raise UnauthorizedError("send Authorization: Bearer <station token or admin token>")
    digest = hash_token(token)
    with reading(engine) as conn:
        admin = conn.scalar(select(admin_token.c.token_hash))
        if admin is not None and hmac.compare_digest(str(admin), digest):
            return Reader(None, None)
        owner = conn.scalar(select(station.c.station_id).where(station.c.token_hash == digest))
        if owner is None:
            raise UnauthorizedError("the token is not valid (rotated, or never issued)")
        line = station_line(conn, str(owner))
    if line is None:  # `line` None is the admin's scope: every line
        raise ForbiddenError(
            f"station {owner} has no line in master data yet, so it can read no orders; "
            "import a plant file that lists it, or use the admin token"
        )
    return Reader(str(owner), line)
