"""The committed OpenAPI document is the app's, and the app serves it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from lineside.server.app import OPENAPI_FILE, openapi_json

if TYPE_CHECKING:
    from fastapi.testclient import TestClient


def test_docs_openapi_json_is_current() -> None:
    assert OPENAPI_FILE.read_text(encoding="utf-8") == openapi_json(), (
        "docs/openapi.json is out of date: run "
        "python -c 'from lineside.server.app import write_openapi; write_openapi()'"
    )


def test_the_app_serves_its_openapi_document(client: TestClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.json() == json.loads(openapi_json())
    paths = response.json()["paths"]
    assert set(paths) == {
        "/api/v1/assets/{sha256}",
        "/api/v1/flags",
        "/api/v1/health",
        "/api/v1/orders",
        "/api/v1/orders/{order_id}",
        "/api/v1/stations/{station_id}/events",
        "/api/v1/stations/{station_id}/master-data",
        "/api/v1/stations/{station_id}/sequence",
    }
    assert "409" in paths["/api/v1/stations/{station_id}/events"]["post"]["responses"]
    # The docs pages load their scripts from a CDN: off unless `--docs`.
    assert client.get("/docs").status_code == 404
