"""The sync API (lineside/domain/sync.py, docs/sync-api.md) as a FastAPI application."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request, Response, Security
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from pydantic import BaseModel
from sqlalchemy import Engine, text
from sqlalchemy.exc import (
    DisconnectionError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.concurrency import run_in_threadpool

from lineside.domain.events import SCHEMA_VERSION
from lineside.domain.sync import (
    API_PREFIX,
    MAX_BODY_BYTES,
    STATION_ID_PATTERN,
    BatchResult,
    EventBatch,
    Health,
    MasterDataPage,
    SeqGap,
    StationSequence,
)
from lineside.server.assets import HEX, MEDIA_TYPES, load_asset
from lineside.server.auth import ForbiddenError, UnauthorizedError, check_token, station_of_token
from lineside.server.db import make_engine, reading, utc_now
from lineside.server.ingest import (
    SequenceBrokenError,
    StationMismatchError,
    UnknownStationError,
    ingest,
    next_seq_of,
)
from lineside.server.limits import AuthFailures, BodyLimit, CatchAll, SecurityHeaders
from lineside.server.master import DEFAULT_PAGE, MAX_PAGE, master_page
from lineside.server.migrations import migrate
from lineside.server.orders import FlagList, OrderList, OrderView, open_flags, order_views
from lineside.server.readers import Reader, reader_of
from lineside.server.wire import MAX_422_ERRORS, BatchBodyError

logger = logging.getLogger(__name__)

OPENAPI_FILE = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
RETRY_AFTER_S = 1
"""What a 503 asks a station to wait before it retries (seconds)."""
_STATION_ID = re.compile(STATION_ID_PATTERN)


class Problem(BaseModel):
    """The body of an error answer: what is wrong, for a person to read."""

    detail: str


_bearer = HTTPBearer(
    auto_error=False,
    description="The station's token, from `lineside server token STATION_ID`.",
)
_bearer_reader = HTTPBearer(
    auto_error=False,
    scheme_name="ReaderToken",
    description="A station's token (reads its own line) or the admin token from "
    "`lineside server admin-token` (reads every line).",
)


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


class _AuthenticatedRoute(APIRoute):
    """Checks the station's token before FastAPI reads the body: a stranger gets 401, not 422.

    A path with a station id takes that station's token; one without (an asset) any station's.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def authenticated(request: Request) -> Response:
            station_id: str | None = request.path_params.get("station_id")
            if station_id is not None and not _STATION_ID.match(station_id):
                return _problem(404, "no such station: station ids are 1–64 of A–Z a–z 0–9 . _ -")
            failures: AuthFailures = request.app.state.auth_failures
            client = request.client.host if request.client else "?"
            wait = failures.blocked_for(client)
            if wait:
                return _problem(
                    429,
                    "too many wrong tokens from this address; wait",
                    {"Retry-After": str(int(wait) + 1)},
                )
            scheme, token = get_authorization_scheme_param(request.headers.get("Authorization"))
            presented = token if scheme.lower() == "bearer" else None
            try:
                if station_id is None:
                    await run_in_threadpool(station_of_token, _engine(request), presented)
                else:
                    await run_in_threadpool(check_token, _engine(request), presented, station_id)
            except UnauthorizedError as exc:
                if presented:
                    failures.failed(client, station_id or "(any)", "wrong token")
                raise HTTPException(401, str(exc), headers={"WWW-Authenticate": "Bearer"}) from exc
            except ForbiddenError as exc:
                failures.failed(client, station_id or "(any)", "another station's token")
                raise HTTPException(403, str(exc)) from exc
            return await handler(request)

        return authenticated


_AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "No token, or not a valid one (`WWW-Authenticate`)"},
    403: {"model": Problem, "description": "The token is another station's"},
    404: {"model": Problem, "description": "The path's station id is not a station id"},
    408: {"model": Problem, "description": "The request's body did not arrive in time"},
    429: {
        "model": Problem,
        "description": "Too many wrong tokens from this address: wait `Retry-After` seconds",
    },
    500: {"model": Problem, "description": "The server failed unexpectedly (logged)"},
    503: {
        "model": Problem,
        "description": "The database is not available, or the server is at its concurrency "
        "limit: retry (`Retry-After` when the database is the cause)",
    },
}

stations = APIRouter(
    prefix=f"{API_PREFIX}/stations/{{station_id}}",
    route_class=_AuthenticatedRoute,
    dependencies=[Security(_bearer)],  # documents the scheme; the route class checks it
    responses=_AUTH_ERRORS,
)


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """A model's JSON schema with its `$defs` put in place (for the request body's docs)."""
    defs = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return inline(dict(defs[ref.removeprefix("#/$defs/")]))
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    result: dict[str, Any] = inline(schema)
    return result


_BATCH_BODY = {
    "requestBody": {
        "required": True,
        "description": f"An `EventBatch`, at most {MAX_BODY_BYTES} bytes (413 beyond)",
        "content": {"application/json": {"schema": _inlined(EventBatch.model_json_schema())}},
    }
}


@stations.post(
    "/events",
    operation_id="post_events",
    summary="Deliver a batch of the station's events",
    response_model=BatchResult,
    openapi_extra=_BATCH_BODY,
    responses={
        403: {"model": Problem, "description": "The token, or an event, is another station's"},
        409: {"model": SeqGap, "description": "The batch does not continue the sequence"},
        413: {"model": Problem, "description": f"The body is over {MAX_BODY_BYTES} bytes"},
        422: {"description": "The body is not an `EventBatch` (trimmed list of problems)"},
    },
)
async def post_events(
    station_id: str, request: Request, engine: Annotated[Engine, Depends(_engine)]
) -> Response:
    """Store the events in one transaction: `accepted`, `duplicate`, `rejected` or `conflict`."""
    body = await request.body()
    result = await run_in_threadpool(ingest, engine, station_id, body)
    return Response(result.json(), media_type="application/json")


@stations.get(
    "/sequence",
    operation_id="get_sequence",
    summary="The seq the server expects next from the station",
)
def get_sequence(station_id: str, engine: Annotated[Engine, Depends(_engine)]) -> StationSequence:
    """An idle station polls this to learn that the server lost events (a restored backup)."""
    return StationSequence(next_seq=next_seq_of(engine, station_id), server_time=utc_now())


@stations.get(
    "/master-data",
    operation_id="get_master_data",
    summary="Master data the station sees, changed after a cursor",
)
def get_master_data(
    station_id: str,
    engine: Annotated[Engine, Depends(_engine)],
    cursor: Annotated[int, Query(ge=0, description="the last revision the station has")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="records per page")] = DEFAULT_PAGE,
) -> MasterDataPage:
    """Records (and tombstones) after `cursor` in revision order, or a full snapshot."""
    return master_page(engine, station_id, cursor, limit)


assets = APIRouter(
    prefix=f"{API_PREFIX}/assets",
    route_class=_AuthenticatedRoute,
    dependencies=[Security(_bearer)],
    responses={code: _AUTH_ERRORS[code] for code in (401, 429, 500, 503)},
)
ASSET_CACHE = "public, max-age=31536000, immutable"
"""An asset's address is its content's hash: the same address never means other bytes."""


@assets.get(
    "/{sha256}",
    operation_id="get_asset",
    summary="An image of a work-instruction step, by its SHA-256 (any station's token)",
    response_class=Response,
    responses={
        200: {
            "description": "The asset's bytes, with its media type, `ETag` and an immutable "
            "`Cache-Control`",
            "content": {media: {} for media in sorted(MEDIA_TYPES.values())},
        },
        404: {"model": Problem, "description": "The server holds no asset of this hash"},
        422: {"description": "The hash is not 64 lowercase hex digits"},
    },
)
def get_asset(
    sha256: Annotated[
        str,
        PathParam(
            pattern=HEX.pattern,
            description='the hex of the address "sha256:<hex>", without the prefix',
        ),
    ],
    engine: Annotated[Engine, Depends(_engine)],
) -> Response:
    """The asset's bytes; a station caches them forever (the address names the content)."""
    found = load_asset(engine, sha256)
    if found is None:
        return _problem(
            404,
            f"no asset sha256:{sha256} on this server; add it with lineside server assets add",
        )
    return Response(
        found.data,
        media_type=found.media_type,
        headers={"ETag": f'"{sha256}"', "Cache-Control": ASSET_CACHE},
    )


# -- order state and flags, for a team lead (docs/server.md, Order state and flags) -----------


async def _reader(request: Request) -> Reader:
    """The reader of the request's token: a station (its own line) or the admin (all lines)."""
    failures: AuthFailures = request.app.state.auth_failures
    client = request.client.host if request.client else "?"
    wait = failures.blocked_for(client)
    if wait:
        raise HTTPException(
            429,
            "too many wrong tokens from this address; wait",
            {"Retry-After": str(int(wait) + 1)},
        )
    scheme, token = get_authorization_scheme_param(request.headers.get("Authorization"))
    presented = token if scheme.lower() == "bearer" else None
    try:
        return await run_in_threadpool(reader_of, _engine(request), presented)
    except UnauthorizedError as exc:
        if presented:
            failures.failed(client, "(reader)", "wrong token")
        raise HTTPException(401, str(exc), headers={"WWW-Authenticate": "Bearer"}) from exc
    except ForbiddenError as exc:
        raise HTTPException(403, str(exc)) from exc


_READER_ERRORS: dict[int | str, dict[str, Any]] = {
    **{code: _AUTH_ERRORS[code] for code in (401, 429, 500, 503)},
    403: {"model": Problem, "description": "The token's station is on no line yet"},
}

readers = APIRouter(
    prefix=API_PREFIX,
    dependencies=[Security(_bearer_reader)],  # documents the scheme; `_reader` checks it
    responses=_READER_ERRORS,
)


@readers.get(
    "/orders",
    operation_id="get_orders",
    summary="Every order with its master data, per-operation state and open flags",
)
def get_orders(
    reader: Annotated[Reader, Depends(_reader)], engine: Annotated[Engine, Depends(_engine)]
) -> OrderList:
    """A station's token sees its line's orders and stations; the admin token sees all."""
    return OrderList(orders=order_views(engine, reader.line), server_time=utc_now())


@readers.get(
    "/orders/{order_id}",
    operation_id="get_order",
    summary="One order with its master data, per-operation state and open flags",
    responses={404: {"model": Problem, "description": "Neither master data nor a fact has it"}},
)
def get_order(
    order_id: str,
    reader: Annotated[Reader, Depends(_reader)],
    engine: Annotated[Engine, Depends(_engine)],
) -> OrderView:
    """The order as `GET /orders` shows it; 404 when the reader's line has no such order."""
    found = order_views(engine, reader.line, order_id)
    if not found:
        raise HTTPException(404, f"no order {order_id!r} in master data or in any fact seen here")
    return found[0]


@readers.get(
    "/flags",
    operation_id="get_flags",
    summary="Open flags for a team lead: unknown or cancelled orders, unverified signatures",
)
def get_flags(
    reader: Annotated[Reader, Depends(_reader)], engine: Annotated[Engine, Depends(_engine)]
) -> FlagList:
    """Flags nobody has cleared yet, oldest first (cleared with lineside server orders --clear)."""
    return FlagList(flags=open_flags(engine, reader.line), server_time=utc_now())


health = APIRouter(prefix=API_PREFIX)


@health.get(
    "/health",
    operation_id="get_health",
    summary="Is the server up (no token needed)",
    responses={503: _AUTH_ERRORS[503]},
)
def get_health(engine: Annotated[Engine, Depends(_engine)]) -> Health:
    """Up when the database answers; the server's clock and event schema version."""
    with reading(engine) as conn:
        conn.execute(text("SELECT 1"))
    return Health(status="ok", server_time=utc_now(), schema_version=SCHEMA_VERSION)


def _problem(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(Problem(detail=detail).model_dump(), status_code=status, headers=headers)


_OUTAGES = (OperationalError, InterfaceError, DisconnectionError, PoolTimeoutError, IntegrityError)
"""Errors of a database that is down, busy or full, or of a write that collided with a
concurrent one: retrying the same request can succeed. Any other database error is a bug."""
_logged_once: set[str] = set()


async def _database_error(request: Request, exc: Exception) -> Response:
    kind = type(exc).__name__
    if isinstance(exc, _OUTAGES):
        # One line per request: the cause, never the statement's parameters or a traceback.
        orig = getattr(exc, "orig", None)
        logger.error(
            "%s %s: database error %s (%s)",
            request.method,
            request.url.path[:200],
            kind,
            str(orig or exc).strip().splitlines()[0][:200] if str(orig or exc).strip() else "",
        )
        return _problem(
            503,
            "the database is not available; retry later",
            {"Retry-After": str(RETRY_AFTER_S)},
        )
    if kind in _logged_once:
        logger.error("%s %s: database error %s", request.method, request.url.path[:200], kind)
    else:
        _logged_once.add(kind)
        logger.error(
            "%s %s: database error %s", request.method, request.url.path[:200], kind, exc_info=exc
        )
    return _problem(500, "the database refused the request; it is logged")


async def _bad_batch(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BatchBodyError)
    return JSONResponse({"detail": exc.errors}, status_code=422)


async def _bad_request(_request: Request, exc: Exception) -> Response:
    """FastAPI's 422 without the input echoed back, and at most MAX_422_ERRORS problems."""
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"type": e.get("type"), "loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))[:300]}
        for e in list(exc.errors())[:MAX_422_ERRORS]
    ]
    return JSONResponse({"detail": errors}, status_code=422)


async def _station_mismatch(_request: Request, exc: Exception) -> Response:
    return _problem(403, str(exc))


async def _unknown_station(_request: Request, exc: Exception) -> Response:
    return _problem(403, f"station {exc} has no token; create one with lineside server token")


async def _sequence_broken(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SequenceBrokenError)
    body = SeqGap(detail=exc.detail, expected_seq=exc.expected_seq)
    return JSONResponse(body.model_dump(), status_code=409)


def _build(engine: Engine | None, *, docs: bool = False) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if engine is not None:
            engine.dispose()

    app = FastAPI(
        title="Lineside server",
        version="1",
        summary="The sync API of Lineside stations: events up, master data down.",
        lifespan=lifespan,
        # The docs pages load their scripts from a CDN, blank on a plant network: off unless
        # asked for (`lineside server --docs`). /openapi.json is always served.
        docs_url="/docs" if docs else None,
        redoc_url=None,
    )
    app.state.engine = engine
    app.state.auth_failures = AuthFailures()
    app.include_router(health)
    app.include_router(stations)
    app.include_router(readers)
    app.include_router(assets)
    app.add_exception_handler(SQLAlchemyError, _database_error)
    app.add_exception_handler(BatchBodyError, _bad_batch)
    app.add_exception_handler(RequestValidationError, _bad_request)
    app.add_exception_handler(StationMismatchError, _station_mismatch)
    app.add_exception_handler(UnknownStationError, _unknown_station)
    app.add_exception_handler(SequenceBrokenError, _sequence_broken)
    # Outermost last: the catch-all sees everything, the body limit counts before any read.
    app.add_middleware(CatchAll)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit)
    return app


def create_app(database_url: str, *, docs: bool = False) -> FastAPI:
    """The server on a database (migrated to the latest schema first)."""
    engine = make_engine(database_url)
    try:
        migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return _build(engine, docs=docs)


def worker_app() -> FastAPI:
    """The app of one `--workers` process: its database and options from the environment."""
    import os

    from lineside.server.defaults import DATABASE_URL_ENV, DOCS_ENV

    return create_app(os.environ[DATABASE_URL_ENV], docs=os.environ.get(DOCS_ENV) == "1")


def openapi_json() -> str:
    """The API's OpenAPI document as committed in docs/openapi.json (sorted, stable)."""
    return json.dumps(_build(None).openapi(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_openapi(path: Path = OPENAPI_FILE) -> Path:
    """Write `openapi_json()` to docs/openapi.json (or `path`); the path written."""
    path.write_text(openapi_json(), encoding="utf-8")
    return path
