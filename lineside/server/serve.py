"""Serving the app with uvicorn on a socket we bound, announcing when it accepts connections.

One process, or with `workers` several (uvicorn's supervisor) sharing the socket: the
kernel hands each new connection to one of them. uvicorn runs with the limits and the
deadlines of `lineside.server.limits`.
"""

from __future__ import annotations

import socket
import ssl
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Multiprocess

from lineside.server.limits import IDLE_TIMEOUT_S, MAX_HEAD_BYTES, GuardedH11Protocol

GRACEFUL_SHUTDOWN_S = 10
"""How long a stopping server lets running requests finish."""
LIMIT_CONCURRENCY = 1000
"""Connections (or requests in progress) one process takes at once; beyond: 503 at once."""
WORKER_APP = "lineside.server.app:worker_app"
WORKER_START_S = 60
"""How long a worker may take to start before the server gives up."""
_WORKER_LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s"}
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "stream": "ext://sys.stderr",
        }
    },
    "root": {"level": "INFO", "handlers": ["stderr"]},
}


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


def _config(app: FastAPI | str, **options: Any) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        lifespan="on",
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
        http=GuardedH11Protocol,
        limit_concurrency=LIMIT_CONCURRENCY,
        timeout_keep_alive=int(IDLE_TIMEOUT_S),
        h11_max_incomplete_event_size=MAX_HEAD_BYTES,
        server_header=False,
        **options,
    )


def _url(sock: socket.socket, tls: bool) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"{'https' if tls else 'http'}://{shown}:{port}"


def _tls_error(certfile: Path | None, keyfile: Path | None, exc: Exception) -> ServeError:
    return ServeError(
        f"cannot use --certfile {certfile} and --keyfile {keyfile}: "
        f"{getattr(exc, 'strerror', None) or exc}"
    )


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
    config = _config(
        app,
        log_config=None,  # the root logger's handler (stderr): stdout carries only records
        access_log=access_log,
        ssl_certfile=certfile,
        ssl_keyfile=keyfile,
    )
    try:
        config.load()
    except (OSError, ssl.SSLError) as exc:
        raise _tls_error(certfile, keyfile, exc) from exc
    _AnnouncingServer(config, _url(sock, certfile is not None), ready).run(sockets=[sock])


class _Supervisor(Multiprocess):
    """uvicorn's supervisor, announcing once every worker answers its health check."""

    def __init__(
        self, config: uvicorn.Config, sock: socket.socket, ready: Callable[[], None]
    ) -> None:
        super().__init__(config, [sock])
        self.ready = ready
        self.failed = False

    def init_processes(self) -> None:
        super().init_processes()
        for process in self.processes:
            if not process.wait_until_ready(WORKER_START_S, self.should_exit):
                self.failed = not self.should_exit.is_set()
                self.should_exit.set()
                return
        self.ready()


def serve_workers(
    workers: int,
    sock: socket.socket,
    *,
    certfile: Path | None,
    keyfile: Path | None,
    access_log: bool,
    ready: Callable[[str], None],
) -> None:
    """Serve with `workers` processes on one socket (the app from `WORKER_APP`'s environment).

    Each worker is a new interpreter (spawned) that builds its own app and engine; SIGTERM or
    SIGINT stop them all, each finishing its requests.
    """
    if certfile is not None:
        try:
            ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(certfile, keyfile)
        except (OSError, ssl.SSLError) as exc:
            raise _tls_error(certfile, keyfile, exc) from exc
    config = _config(
        WORKER_APP,
        factory=True,
        workers=workers,
        log_config=_WORKER_LOGGING,
        access_log=access_log,
        ssl_certfile=certfile,
        ssl_keyfile=keyfile,
    )
    sock.listen(config.backlog)
    url = _url(sock, certfile is not None)
    supervisor = _Supervisor(config, sock, lambda: ready(url))
    supervisor.run()
    if supervisor.failed or any(p.exitcode == STARTUP_FAILURE for p in supervisor.processes):
        sys.stderr.flush()
        raise ServeError("a worker did not start; see the log above")
