"""The sync API (lineside/domain/sync.py, docs/sync-api.md) as a FastAPI application."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request, Response, Security
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from pydantic import BaseModel
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from lineside.domain.events import SCHEMA_VERSION
from lineside.domain.sync import (
    API_PREFIX,
    BatchResult,
    EventBatch,
    Health,
    MasterDataPage,
    SeqGap,
)
from lineside.server.auth import ForbiddenError, UnauthorizedError, check_token
from lineside.server.db import make_engine, reading, utc_now
from lineside.server.ingest import (
    SequenceBrokenError,
    StationMismatchError,
    UnknownStationError,
    ingest,
)
from lineside.server.master import DEFAULT_PAGE, MAX_PAGE, master_page
from lineside.server.migrations import migrate

logger = logging.getLogger(__name__)

OPENAPI_FILE = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
RETRY_AFTER_S = 1
"""What a 503 asks a station to wait before it retries (seconds)."""


class Problem(BaseModel):
    """The body of an error answer: what is wrong, for a person to read."""

    detail: str


_bearer = HTTPBearer(
    auto_error=False,
    description="The station's token, from `lineside server token STATION_ID`.",
)


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


class _AuthenticatedRoute(APIRoute):
    """Checks the station's token before FastAPI reads the body: a stranger gets 401, not 422."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def authenticated(request: Request) -> Response:
            scheme, token = get_authorization_scheme_param(request.headers.get("Authorization"))
            presented = token if scheme.lower() == "bearer" else None
            station_id = request.path_params["station_id"]
            try:
                await run_in_threadpool(check_token, _engine(request), presented, station_id)
            except UnauthorizedError as exc:
                raise HTTPException(401, str(exc), headers={"WWW-Authenticate": "Bearer"}) from exc
            except ForbiddenError as exc:
                raise HTTPException(403, str(exc)) from exc
            return await handler(request)

        return authenticated


_AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "No token, or not a valid one (`WWW-Authenticate`)"},
    403: {"model": Problem, "description": "The token is another station's"},
    503: {"model": Problem, "description": "The database is not available: retry (`Retry-After`)"},
}

stations = APIRouter(
    prefix=f"{API_PREFIX}/stations/{{station_id}}",
    route_class=_AuthenticatedRoute,
    dependencies=[Security(_bearer)],  # documents the scheme; the route class checks it
    responses=_AUTH_ERRORS,
)


@stations.post(
    "/events",
    operation_id="post_events",
    summary="Deliver a batch of the station's events",
    responses={
        403: {"model": Problem, "description": "The token, or an event, is another station's"},
        409: {"model": SeqGap, "description": "The batch does not continue the sequence"},
    },
)
def post_events(
    station_id: str, batch: EventBatch, engine: Annotated[Engine, Depends(_engine)]
) -> BatchResult:
    """Store the events in one transaction: `accepted`, `duplicate` or `rejected` per event."""
    return ingest(engine, station_id, batch)


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


async def _database_error(request: Request, exc: Exception) -> Response:
    logger.error(
        "%s %s: database error %s",
        request.method,
        request.url.path,
        type(exc).__name__,
        exc_info=exc,
    )
    return _problem(
        503,
        "the database is not available; retry later",
        {"Retry-After": str(RETRY_AFTER_S)},
    )


async def _station_mismatch(_request: Request, exc: Exception) -> Response:
    return _problem(403, str(exc))


async def _unknown_station(_request: Request, exc: Exception) -> Response:
    return _problem(403, f"station {exc} has no token; create one with lineside server token")


async def _sequence_broken(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SequenceBrokenError)
    body = SeqGap(detail=exc.detail, expected_seq=exc.expected_seq)
    return JSONResponse(body.model_dump(), status_code=409)


def _build(engine: Engine | None) -> FastAPI:
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
    )
    app.state.engine = engine
    app.include_router(health)
    app.include_router(stations)
    app.add_exception_handler(SQLAlchemyError, _database_error)
    app.add_exception_handler(StationMismatchError, _station_mismatch)
    app.add_exception_handler(UnknownStationError, _unknown_station)
    app.add_exception_handler(SequenceBrokenError, _sequence_broken)
    return app


def create_app(database_url: str) -> FastAPI:
    """The server on a database (migrated to the latest schema first)."""
    engine = make_engine(database_url)
    try:
        migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return _build(engine)


def openapi_json() -> str:
    """The API's OpenAPI document as committed in docs/openapi.json (sorted, stable)."""
    return json.dumps(_build(None).openapi(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_openapi(path: Path = OPENAPI_FILE) -> Path:
    """Write `openapi_json()` to docs/openapi.json (or `path`); the path written."""
    path.write_text(openapi_json(), encoding="utf-8")
    return path
