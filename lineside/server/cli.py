"""`lineside server`: run the sync server, or migrate, import, add assets, issue tokens, purge.

Heavy imports (uvicorn, FastAPI, SQLAlchemy) happen in `run`, so that building the
`lineside` parser stays cheap for the other commands.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from lineside.server.defaults import DATABASE_URL_ENV, DEFAULT_DATABASE_URL

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy import Engine

    from lineside.server.assets import Asset

PROG = "lineside server"
DEFAULT_PORT = 8400


class _UsageError(Exception):
    """A problem the user can fix: one line on stderr, exit 2."""


class _StopRequestedError(Exception):
    """SIGTERM or SIGINT arrived while the server was not serving (or after it stopped)."""


def configure_parser(p: argparse.ArgumentParser) -> None:
    """Add the `lineside server` options and its maintenance commands to `p`."""
    db_help = f"database URL (default: ${DATABASE_URL_ENV}, else {DEFAULT_DATABASE_URL})"
    p.add_argument("--db", metavar="URL", default=None, help=db_help)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"TCP port (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    p.add_argument("--certfile", type=Path, metavar="FILE", help="TLS certificate chain (PEM)")
    p.add_argument("--keyfile", type=Path, metavar="FILE", help="TLS private key (PEM)")
    p.add_argument("--access-log", action="store_true", help="log every request (off by default)")
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="serve with N processes (PostgreSQL only; default 1)",
    )
    p.add_argument(
        "--docs",
        action="store_true",
        help="serve the API pages at /docs (their scripts come from a CDN; off by default)",
    )

    # Subcommands take --db too; SUPPRESS keeps them from resetting a --db given before them.
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=db_help)
    sub = p.add_subparsers(
        dest="server_command", metavar="COMMAND", help="without a command: run the server"
    )
    sub.add_parser("migrate", parents=[db], help="bring the database schema up to date")
    plant = sub.add_parser(
        "import",
        parents=[db],
        help="import the plant's master data file (docs/master-data.md)",
        description="Validate the whole file, then upsert its records in one transaction.",
    )
    plant.add_argument("file", type=Path, metavar="FILE", help="plant file (JSON)")
    plant.add_argument(
        "--prune",
        action="store_true",
        help="delete (tombstone) records of the kinds in the file that the file no longer has",
    )
    plant.add_argument(
        "--assets",
        type=Path,
        metavar="DIR",
        help="store every file of DIR as an asset first (as `assets add DIR/*`): the images "
        "the file's instruction steps name",
    )
    token = sub.add_parser(
        "token",
        parents=[db],
        help="create or rotate a station's token (the old one stops working)",
        description="Print the new token once on stdout, or write it to --token-file.",
    )
    token.add_argument("station_id", metavar="STATION_ID")
    token.add_argument(
        "--token-file", type=Path, metavar="PATH", help="write the token here (mode 0600)"
    )
    assets = sub.add_parser(
        "assets",
        help="images of work-instruction steps (docs/master-data.md, Assets)",
        description="Add images before the plant file whose steps name them.",
    )
    assets_sub = assets.add_subparsers(dest="assets_command", metavar="COMMAND", required=True)
    add = assets_sub.add_parser(
        "add",
        parents=[db],
        help="store image files by their SHA-256; prints each one's address",
        description="Store PNG, JPEG, WebP or SVG files (up to 20 MiB each); all or none. "
        "Prints 'sha256:<hex>  FILE' per file: the address a step's image names.",
    )
    add.add_argument("files", type=Path, nargs="+", metavar="FILE", help="image file")
    admin = sub.add_parser(
        "admin-token",
        parents=[db],
        help="create or rotate the admin token, which reads every line's orders and flags",
        description="Print the new token once on stdout, or write it to --token-file.",
    )
    admin.add_argument(
        "--token-file", type=Path, metavar="PATH", help="write the token here (mode 0600)"
    )
    orders = sub.add_parser(
        "orders",
        parents=[db],
        help="the state of every order at the stations, or the open flags (--flags)",
        description="A table for a team lead: per order and operation its state and counts "
        "at each station, or the open flags; --clear marks a flag as dealt with.",
    )
    shown = orders.add_mutually_exclusive_group()
    shown.add_argument("--flags", action="store_true", help="the open flags instead of orders")
    shown.add_argument(
        "--clear", type=int, metavar="FLAG_ID", help="mark an open flag as dealt with"
    )
    purge = sub.add_parser(
        "purge-tombstones",
        parents=[db],
        help="delete old tombstones; stations behind them get a full resync",
    )
    purge.add_argument("--older-than-days", type=int, required=True, metavar="N")


def _database_url(args: argparse.Namespace) -> str:
    url = args.db or os.environ.get(DATABASE_URL_ENV) or DEFAULT_DATABASE_URL
    return str(url)


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _complain(text: str) -> None:
    sys.stderr.write(f"{PROG}: {text}\n")
    sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    """Run the chosen command: 0 when done (or stopped by SIGTERM/SIGINT), 2 on a problem."""
    from sqlalchemy.exc import SQLAlchemyError

    from lineside.server.db import DatabaseUrlError

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    url = _database_url(args)
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        return _command(args, url)
    except _StopRequestedError:
        return 0
    except (_UsageError, DatabaseUrlError) as exc:
        _complain(str(exc))
        return 2
    except SQLAlchemyError as exc:
        _complain(f"cannot use the database {_shown(url)}: {_first_line(exc)}")
        return 2
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stop(_signum: int, _frame: FrameType | None) -> None:
    raise _StopRequestedError


def _shown(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return repr(url)


def _first_line(exc: Exception) -> str:
    orig = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    return lines[0] if lines else type(orig).__name__


def _engine(url: str) -> Engine:
    """An engine on a migrated database."""
    from lineside.server.db import make_engine
    from lineside.server.migrations import migrate

    engine = make_engine(url)
    try:
        migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


def _command(args: argparse.Namespace, url: str) -> int:
    command = args.server_command
    if command is None:
        return _serve(args, url)
    if command == "import":
        return _import_with_assets(args.file, url, prune=args.prune, assets=args.assets)
    if command == "assets":
        return _add_assets(args.files, url)
    if command == "token":
        _check_station_id(args.station_id)
    engine = _engine(url)
    try:
        if command == "migrate":
            from lineside.server.migrations import LATEST

            _say(f"database {_shown(url)} is at schema version {LATEST}")
        elif command == "token":
            _token(engine, args.station_id, args.token_file)
        elif command == "admin-token":
            _admin_token(engine, args.token_file)
        elif command == "orders":
            return _orders(engine, flags=args.flags, clear=args.clear)
        else:
            from datetime import timedelta

            from lineside.server.master import purge_tombstones

            if args.older_than_days < 0:
                raise _UsageError("--older-than-days must be 0 or more")
            purged, horizon = purge_tombstones(engine, timedelta(days=args.older_than_days))
            _say(
                f"purged {purged} tombstones older than {args.older_than_days} days; "
                f"horizon at revision {horizon} (an older cursor gets a full resync)"
            )
    finally:
        engine.dispose()
    return 0


def _import_with_assets(file: Path, url: str, *, prune: bool, assets: Path | None) -> int:
    """`import --assets DIR`: every file of DIR stored as an asset, then the plant file."""
    if assets is not None:
        if not assets.is_dir():
            _complain(f"nothing imported: --assets {assets} is not a folder")
            return 2
        files = sorted(p for p in assets.iterdir() if p.is_file())
        if files and (done := _add_assets(files, url)) != 0:
            return done
    return _import(file, url, prune=prune)


def _import(file: Path, url: str, *, prune: bool) -> int:
    from lineside.server.master import (
        PlantFileError,
        import_plant,
        load_plant_file,
        missing_references,
    )
    from lineside.server.orders import flag_cancelled_jobs

    try:
        plant = load_plant_file(file)
    except PlantFileError as exc:
        for problem in exc.problems:
            sys.stderr.write(problem + "\n")
        _complain(f"nothing imported: {len(exc.problems)} problem(s) in {file}")
        return 2
    for tree in plant.reason_tree:
        for warning in tree.warnings():
            _complain(f"warning: {warning}")
    engine = _engine(url)
    try:
        for missing in missing_references(engine, plant):
            _complain(f"warning: {missing}")
        try:
            summary = import_plant(engine, plant, prune=prune)
        except PlantFileError as exc:
            for problem in exc.problems:
                sys.stderr.write(f"{file}: {problem}\n")
            _complain(f"nothing imported: {len(exc.problems)} problem(s) in {file}")
            return 2
        flagged = flag_cancelled_jobs(engine)
    finally:
        engine.dispose()
    _say(f"{file}: {summary}")
    if flagged:
        _complain(
            f"note: {flagged} job(s) that stations run are of orders now cancelled; flagged "
            "for a team lead (lineside server orders --flags)"
        )
    return 0


def _add_assets(files: list[Path], url: str) -> int:
    """Store every file as an asset, or none when one cannot be (each problem on stderr)."""
    from lineside.server.assets import AssetFileError, read_asset_file, store_assets

    found: list[tuple[Path, Asset]] = []
    problems: list[str] = []
    for file in files:
        try:
            found.append((file, read_asset_file(file)))
        except AssetFileError as exc:
            problems.append(str(exc))
    if problems:
        for problem in problems:
            sys.stderr.write(problem + "\n")
        _complain(f"nothing stored: {len(problems)} of {len(files)} file(s) cannot be assets")
        return 2
    engine = _engine(url)
    try:
        store_assets(engine, [item for _, item in found])
    finally:
        engine.dispose()
    for file, item in found:
        _say(f"{item.address}  {file}")
    return 0


def _check_station_id(station_id: str) -> None:
    import re

    from lineside.domain.sync import STATION_ID_PATTERN

    if not re.match(STATION_ID_PATTERN, station_id):
        raise _UsageError(
            f"{station_id!r} is not a station id: 1–64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit, e.g. lineside server token L1-FILLER"
        )


def _token(engine: Engine, station_id: str, token_file: Path | None) -> None:
    from lineside.server.auth import issue_token
    from lineside.server.db import reading
    from lineside.server.master import station_line

    if token_file is not None and not token_file.parent.is_dir():
        raise _UsageError(f"--token-file {token_file}: the folder does not exist")
    token = issue_token(engine, station_id)
    with reading(engine) as conn:
        line = station_line(conn, station_id)
    if line is None:
        _complain(
            f"note: station {station_id} is not in the master data yet, so it sees only "
            "plant-wide records; import a plant file that lists it"
        )
    _hand_out(token, token_file, station_id)


def _hand_out(token: str, token_file: Path | None, whose: str) -> None:
    """Print a new token once, or write it to `token_file` (mode 0600)."""
    if token_file is None:
        _say(token)
        return
    fd = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        os.fchmod(fd, 0o600)  # the file may have existed with a wider mode
        out.write(token + "\n")
    sys.stderr.write(f"token for {whose} written to {token_file}\n")


def _admin_token(engine: Engine, token_file: Path | None) -> None:
    from lineside.server.readers import issue_admin_token

    if token_file is not None and not token_file.parent.is_dir():
        raise _UsageError(f"--token-file {token_file}: the folder does not exist")
    _hand_out(issue_admin_token(engine), token_file, "the admin")


def _orders(engine: Engine, *, flags: bool, clear: int | None) -> int:
    """Print the order states or the open flags as a table; or clear a flag."""
    from lineside.server.orders import clear_flag, open_flags, order_views

    if clear is not None:
        if not clear_flag(engine, clear):
            raise _UsageError(
                f"no open flag {clear}; lineside server orders --flags lists the open ones"
            )
        _say(f"flag {clear} cleared")
        return 0
    if flags:
        found = open_flags(engine)
        rows = [
            [
                str(f.flag_id),
                f.kind,
                f.order_id or "-",
                f.station_id or "-",
                _when(f.since),
                f.detail,
            ]
            for f in found
        ]
        _say(_table(["ID", "KIND", "ORDER", "STATION", "SINCE", "DETAIL"], rows, "no open flags"))
        return 0
    rows = []
    for order in order_views(engine):
        status = order.master.status if order.master else "(unknown)"
        kinds = ",".join(sorted({f.kind for f in order.flags})) or "-"
        if not order.jobs:
            rows.append([order.order_id, status, "-", "-", "-", "-", "-", "-", "-", kinds])
        for job in order.jobs:
            rows.append(
                [
                    order.order_id,
                    status,
                    job.operation_id,
                    job.station_id,
                    job.state,
                    str(job.good),
                    str(job.defective),
                    _when(job.started_at),
                    str(len(job.holds)),
                    kinds,
                ]
            )
    header = [
        "ORDER",
        "STATUS",
        "OPERATION",
        "STATION",
        "STATE",
        "GOOD",
        "DEFECTIVE",
        "STARTED",
        "HOLDS",
        "FLAGS",
    ]
    _say(_table(header, rows, "no orders"))
    return 0


def _when(moment: datetime | None) -> str:
    return "-" if moment is None else moment.strftime("%Y-%m-%d %H:%M UTC")


def _table(header: list[str], rows: list[list[str]], empty: str) -> str:
    """Columns padded to their widest cell; `empty` when there are no rows."""
    if not rows:
        return empty
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in (header, *rows)
    )


# -- serving ----------------------------------------------------------------------------------


def _serve(args: argparse.Namespace, url: str) -> int:
    from lineside.server.app import create_app
    from lineside.server.serve import ServeError, listen, serve

    if (args.certfile is None) != (args.keyfile is None):
        raise _UsageError("give both --certfile and --keyfile for HTTPS, or neither")
    if args.workers < 1:
        raise _UsageError("--workers must be 1 or more")
    if args.workers > 1:
        return _serve_workers(args, url)
    app = create_app(url, docs=args.docs)
    engine: Engine = app.state.engine
    try:
        sock = listen(args.host, args.port)
        try:
            serve(
                app,
                sock,
                certfile=args.certfile,
                keyfile=args.keyfile,
                access_log=args.access_log,
                ready=lambda url: _say(json.dumps({"event": "ready", "url": url})),
            )
        finally:
            sock.close()
    except ServeError as exc:
        raise _UsageError(str(exc)) from exc
    finally:
        engine.dispose()
    return 0


def _serve_workers(args: argparse.Namespace, url: str) -> int:
    """Several processes on one socket; each opens the database itself (migrated here first)."""
    from lineside.server.db import is_postgresql
    from lineside.server.defaults import DOCS_ENV
    from lineside.server.serve import ServeError, listen, serve_workers

    engine = _engine(url)
    try:
        if not is_postgresql(engine):
            raise _UsageError(
                "--workers needs PostgreSQL: a SQLite file takes one writer at a time anyway"
            )
    finally:
        engine.dispose()
    os.environ[DATABASE_URL_ENV] = url  # the spawned workers read it
    os.environ[DOCS_ENV] = "1" if args.docs else "0"
    try:
        sock = listen(args.host, args.port)
        try:
            serve_workers(
                args.workers,
                sock,
                certfile=args.certfile,
                keyfile=args.keyfile,
                access_log=args.access_log,
                ready=lambda url: _say(
                    json.dumps({"event": "ready", "url": url, "workers": args.workers})
                ),
            )
        finally:
            sock.close()
    except ServeError as exc:
        raise _UsageError(str(exc)) from exc
    return 0
