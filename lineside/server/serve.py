"""Serving the app with uvicorn on a socket we bound, announcing when it accepts connections."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable
from pathlib import Path

import uvicorn
from fastapi import FastAPI

GRACEFUL_SHUTDOWN_S = 10
"""How long a stopping server lets running requests finish."""


class ServeError(Exception):
    """The server cannot start (port taken, bad certificate): one line for the user."""


def listen(host: str, port: int) -> socket.socket:
    """Bind the listening socket ourselves: a taken port is a clear message, not a traceback."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise ServeError(f"cannot listen on {host}: {exc.strerror or exc}") from exc
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise ServeError(
            f"cannot listen on {host}:{port} ({exc.strerror or exc}); choose another --port "
            "(0 picks a free one) or stop the program using it"
        ) from exc
    return sock


class _AnnouncingServer(uvicorn.Server):
    """Calls `ready(url)` once it accepts connections."""

    def __init__(self, config: uvicorn.Config, url: str, ready: Callable[[str], None]) -> None:
        super().__init__(config)
        self.url = url
        self.ready = ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and not self.should_exit:
            self.ready(self.url)


def serve(
    app: FastAPI,
    sock: socket.socket,
    *,
    certfile: Path | None,
    keyfile: Path | None,
    access_log: bool,
    ready: Callable[[str], None],
) -> None:
    """Serve until SIGTERM or SIGINT (HTTPS with a certificate and key), then shut down cleanly.

    uvicorn raises the signal again after its shutdown, so the caller's handler decides the
    exit code.
    """
    config = uvicorn.Config(
        app,
        log_config=None,  # the root logger's handler (stderr): stdout carries only records
        access_log=access_log,
        ssl_certfile=certfile,
        ssl_keyfile=keyfile,
        lifespan="on",
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
    )
    try:
        config.load()
    except (OSError, ssl.SSLError) as exc:
        raise ServeError(
            f"cannot use --certfile {certfile} and --keyfile {keyfile}: "
            f"{getattr(exc, 'strerror', None) or exc}"
        ) from exc
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    scheme = "https" if certfile is not None else "http"
    _AnnouncingServer(config, f"{scheme}://{shown}:{port}", ready).run(sockets=[sock])
