"""The server app on a real database, through FastAPI's TestClient (no network, no process).

`database_url` is SQLite here; the root conftest's fixture of the same name (SQLite and
PostgreSQL) can replace it by deleting the one below.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.exceptions import StarletteDeprecationWarning

from lineside.domain.master_data import PlantFile
from lineside.server.app import create_app
from lineside.server.assets import read_asset_file, store_assets
from lineside.server.auth import issue_token
from lineside.server.master import import_plant, load_plant_file
from tests.unit.server.support import DEMO_ASSETS, DEMO_PLANT, STATIONS

if TYPE_CHECKING:
    from fastapi.testclient import TestClient


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """An empty SQLite database file for this test."""
    return f"sqlite:///{tmp_path}/server.db"


@pytest.fixture
def app(database_url: str) -> FastAPI:
    """The server app on `database_url`, migrated."""
    return create_app(database_url)


@pytest.fixture
def engine(app: FastAPI) -> Iterator[Engine]:
    """The app's engine (disposed after the test), holding the demo plant's images."""
    engine: Engine = app.state.engine
    store_assets(engine, [read_asset_file(p) for p in sorted(DEMO_ASSETS.iterdir())])
    yield engine
    engine.dispose()


@pytest.fixture
def client(app: FastAPI, engine: Engine) -> Iterator[TestClient]:
    """A client of the app; its lifespan runs, and its portal thread ends with the test."""
    with warnings.catch_warnings():
        # Starlette 1.10 asks for httpx2 in its TestClient and warns when it finds httpx (which
        # the project uses); the client works the same with either.
        warnings.simplefilter("ignore", StarletteDeprecationWarning)
        from fastapi.testclient import TestClient
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def demo_plant() -> PlantFile:
    """The bundled demo plant file, validated."""
    return load_plant_file(DEMO_PLANT)


@pytest.fixture
def tokens(engine: Engine, demo_plant: PlantFile) -> dict[str, str]:
    """The demo plant imported, and a token for each of its stations."""
    import_plant(engine, demo_plant)
    return {station: issue_token(engine, station) for station in STATIONS}
