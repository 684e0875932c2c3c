"""Station tokens: created by `lineside server token`, checked on every call but health."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import Engine, insert, select, update

from lineside.server.db import iso, reading, station, utc_now


def hash_token(token: str) -> str:
    """The stored form of a token: SHA-256 hex.

    A fast hash is right here: the token is 256 random bits, not a password, so there is
    nothing to guess and no dictionary to slow down; a slow hash would only cost every request.
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(engine: Engine, station_id: str) -> str:
    """Create or rotate a station's token (the old one stops working); the new token."""
    token = secrets.token_urlsafe(32)
    digest = hash_token(token)
    with engine.begin() as conn:
        changed = conn.execute(
            update(station).where(station.c.station_id == station_id).values(token_hash=digest)
        ).rowcount
        if not changed:
            conn.execute(
                insert(station).values(
                    station_id=station_id, token_hash=digest, next_seq=1, created_at=iso(utc_now())
                )
            )
    return token


class UnauthorizedError(Exception):
    """No token, or one that belongs to no station (HTTP 401)."""


class ForbiddenError(Exception):
    """A valid token of another station (HTTP 403)."""


def check_token(engine: Engine, token: str | None, station_id: str) -> None:
    """Pass when `token` is `station_id`'s; raise UnauthorizedError or ForbiddenError otherwise."""
    if not token:
        raise UnauthorizedError("send Authorization: Bearer <station token>")
    digest = hash_token(token)
    with reading(engine) as conn:
        stored = conn.scalar(select(station.c.token_hash).where(station.c.station_id == station_id))
        if stored is not None and hmac.compare_digest(stored, digest):
            return
        # Looking a digest up by equality leaks nothing useful: nobody can steer the digest
        # of a token they do not know.
        owner = conn.scalar(select(station.c.station_id).where(station.c.token_hash == digest))
    if owner is None:
        raise UnauthorizedError("the token is not valid (rotated, or never issued)")
    raise ForbiddenError(f"this token is not for station {station_id}")


def station_of_token(engine: Engine, token: str | None) -> str:
    """The station whose token this is; UnauthorizedError when it is nobody's."""
    if not token:
        raise UnauthorizedError("send Authorization: Bearer <station token>")
    with reading(engine) as conn:
        owner = conn.scalar(
            select(station.c.station_id).where(station.c.token_hash == hash_token(token))
        )
    if owner is None:
        raise UnauthorizedError("the token is not valid (rotated, or never issued)")
    return str(owner)
