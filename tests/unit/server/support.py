"""Helpers of the server tests: headers, events as a station sends them, batch posting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from httpx import Response

from lineside.domain.events import (
    DowntimeCoded,
    DowntimeStarted,
    EventContext,
    make_event,
)
from lineside.domain.machine_state import StopCategory

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[3]
DEMO_PLANT = ROOT / "lineside" / "server" / "demo_plant.json"
DEMO_ASSETS = DEMO_PLANT.parent / "demo_assets"
STATIONS = ("L1-FILLER", "L1-LABELER", "L1-CASEPACKER")
T0 = datetime(2025, 3, 4, 6, 30, tzinfo=UTC)


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for a token."""
    return {"Authorization": f"Bearer {token}"}


def context(station: str = "L1-FILLER") -> EventContext:
    """The context of a demo station's facts."""
    return EventContext(line="Line1", station=station, order="4711", shift="Early")


def started(seq: int, station: str = "L1-FILLER", stop: str = "stop-1") -> dict[str, Any]:
    """A `downtime.started` event with `seq`, as JSON on the wire."""
    event = make_event(
        DowntimeStarted(
            stop_id=stop, started_at=T0, category=StopCategory.INTERNAL, state="Stopped"
        ),
        context=context(station),
        occurred_at=T0 + timedelta(seconds=seq),
        recorded_by=None,
    )
    return event.model_copy(update={"seq": seq}).model_dump(mode="json")


def coded(seq: int, station: str = "L1-FILLER", stop: str = "stop-1") -> dict[str, Any]:
    """A `downtime.coded` event with `seq`, as JSON on the wire."""
    event = make_event(
        DowntimeCoded(stop_id=stop, reason="MECH.CAPPER", reason_path="Mechanical › Capper"),
        context=context(station),
        occurred_at=T0 + timedelta(seconds=seq),
        recorded_by="P-1001",
    )
    return event.model_copy(update={"seq": seq}).model_dump(mode="json")


def post(
    client: TestClient, token: str, events: list[dict[str, Any]], station: str = "L1-FILLER"
) -> Response:
    """POST a batch to a station's events endpoint."""
    return client.post(
        f"/api/v1/stations/{station}/events",
        json={"events": events},
        headers=bearer(token),
    )


def statuses(response: Response) -> list[str]:
    """The per-event statuses of a 200 answer."""
    assert response.status_code == 200, response.text
    return [result["status"] for result in response.json()["results"]]
