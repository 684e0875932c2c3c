"""GET /api/v1/stations/{station}/master-data: scope, cursor, pages, tombstones, full resync."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine

from lineside.domain.master_data import Kind, LotStatus, PlantFile
from lineside.domain.sync import MasterDataPage
from lineside.server.auth import issue_token
from lineside.server.master import import_plant, purge_tombstones
from tests.unit.server.support import bearer

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

FILLER = "L1-FILLER"


def page(
    client: TestClient, token: str, cursor: int = 0, limit: int | None = None, station: str = FILLER
) -> MasterDataPage:
    params: dict[str, Any] = {"cursor": cursor}
    if limit is not None:
        params["limit"] = limit
    response = client.get(
        f"/api/v1/stations/{station}/master-data", params=params, headers=bearer(token)
    )
    assert response.status_code == 200, response.text
    return MasterDataPage.model_validate(response.json())


def keys(result: MasterDataPage) -> set[tuple[str, str]]:
    return {(record.kind.value, record.key) for record in result.records}


def everything(
    client: TestClient, token: str, cursor: int = 0, limit: int = 500, station: str = FILLER
) -> MasterDataPage:
    """Every page from `cursor` on, merged: the last page's cursor, the first page's `full`."""
    first = result = page(client, token, cursor, limit, station)
    records = list(result.records)
    while result.more:
        result = page(client, token, result.cursor, limit, station)
        assert not result.full
        records += result.records
    return first.model_copy(update={"records": tuple(records), "cursor": result.cursor})


def with_changes(plant: PlantFile, **changes: Any) -> PlantFile:
    return plant.model_copy(update=changes)


def test_a_station_sees_the_plant_its_line_and_itself(
    client: TestClient, tokens: dict[str, str], demo_plant: PlantFile
) -> None:
    result = everything(client, tokens[FILLER])
    seen = keys(result)
    assert ("station", FILLER) in seen
    assert ("equipment", "Filler") in seen
    assert ("order", "4711") in seen
    assert {("reason_tree", "filler"), ("reason_tree", "labeler")} <= seen
    assert ("person", "P-1001") in seen
    assert ("shift", "Plant") in seen
    assert ("station", "L1-LABELER") not in seen
    assert ("equipment", "Labeler") not in seen
    revisions = [record.revision for record in result.records]
    assert revisions == sorted(revisions)
    assert not any(record.deleted for record in result.records)
    assert not result.full
    assert result.cursor == len(demo_plant.records())  # the current revision


def test_pages_follow_the_cursor_until_nothing_is_left(
    client: TestClient, tokens: dict[str, str]
) -> None:
    whole = everything(client, tokens[FILLER])
    first = page(client, tokens[FILLER], limit=3)
    assert first.more
    assert len(first.records) == 3
    assert first.cursor == first.records[-1].revision
    paged = everything(client, tokens[FILLER], limit=3)
    assert paged.records == whole.records
    assert paged.cursor == whole.cursor
    nothing = page(client, tokens[FILLER], whole.cursor)
    assert (nothing.records, nothing.more, nothing.full) == ((), False, False)
    assert nothing.cursor == whole.cursor


def test_only_real_changes_get_a_revision(
    client: TestClient, engine: Engine, tokens: dict[str, str], demo_plant: PlantFile
) -> None:
    cursor = everything(client, tokens[FILLER]).cursor
    summary = import_plant(engine, demo_plant)
    assert (summary.added, summary.changed, summary.unchanged) == (0, 0, len(demo_plant.records()))
    assert page(client, tokens[FILLER], cursor).records == ()

    lots = [lot.model_copy(update={"status": LotStatus.BLOCKED}) for lot in demo_plant.lot[:1]]
    summary = import_plant(engine, with_changes(demo_plant, lot=(*lots, *demo_plant.lot[1:])))
    assert (summary.added, summary.changed) == (0, 1)
    changed = page(client, tokens[FILLER], cursor)
    assert keys(changed) == {("lot", demo_plant.lot[0].lot_id)}
    assert changed.records[0].data is not None
    assert changed.records[0].data["status"] == "blocked"
    assert changed.cursor == cursor + 1


def test_pruned_records_come_down_as_tombstones(
    client: TestClient, engine: Engine, tokens: dict[str, str], demo_plant: PlantFile
) -> None:
    cursor = everything(client, tokens[FILLER]).cursor
    gone = demo_plant.lot[0].lot_id
    kept = PlantFile(lot=demo_plant.lot[1:])  # only lots: other kinds are left alone
    summary = import_plant(engine, kept, prune=True)
    assert (summary.deleted, summary.unchanged) == (1, len(demo_plant.lot) - 1)
    (tombstone,) = page(client, tokens[FILLER], cursor).records
    assert (tombstone.kind, tombstone.key, tombstone.deleted, tombstone.data) == (
        Kind.LOT,
        gone,
        True,
        None,
    )
    # Without --prune nothing is deleted; back in the file, the record is added again.
    assert import_plant(engine, PlantFile(lot=demo_plant.lot[1:])).deleted == 0
    assert import_plant(engine, demo_plant).added == 1
    assert keys(page(client, tokens[FILLER], tombstone.revision)) == {("lot", gone)}


def test_orders_are_seen_by_the_stations_of_their_line_only(
    client: TestClient, engine: Engine, tokens: dict[str, str], demo_plant: PlantFile
) -> None:
    line2 = PlantFile.model_validate(
        {
            "station": [{"station_id": "L2-FILLER", "line": "Line2", "name": "Filler 2"}],
            "order": [{"order_id": "4712", "line": "Line2", "product": "Sparkling", "quantity": 1}],
        }
    )
    import_plant(engine, line2)
    token = issue_token(engine, "L2-FILLER")
    assert ("order", "4712") not in keys(everything(client, tokens[FILLER]))
    theirs = keys(everything(client, token, station="L2-FILLER"))
    assert ("order", "4712") in theirs
    assert ("order", "4711") not in theirs
    assert ("station", "L2-FILLER") in theirs
    assert ("person", "P-1001") in theirs


def test_a_cursor_below_the_horizon_gets_a_full_snapshot(
    client: TestClient, engine: Engine, tokens: dict[str, str], demo_plant: PlantFile
) -> None:
    old_cursor = everything(client, tokens[FILLER]).cursor
    import_plant(engine, PlantFile(lot=demo_plant.lot[1:]), prune=True)
    purged, horizon = purge_tombstones(engine, timedelta(0))
    assert (purged, horizon) == (1, old_cursor + 1)
    assert purge_tombstones(engine, timedelta(0)) == (0, horizon)

    result = everything(client, tokens[FILLER], old_cursor)
    assert result.full
    assert not any(record.deleted for record in result.records)
    assert ("lot", demo_plant.lot[0].lot_id) not in keys(result)
    assert ("station", FILLER) in keys(result)
    assert result.cursor > horizon  # the live records were given revisions above it
    assert not page(client, tokens[FILLER], horizon).full


def test_a_snapshot_page_after_a_purge_honours_its_limit(
    client: TestClient, engine: Engine, tokens: dict[str, str], demo_plant: PlantFile
) -> None:
    live = keys(everything(client, tokens[FILLER], 0))
    import_plant(engine, PlantFile(lot=demo_plant.lot[1:]), prune=True)
    _, horizon = purge_tombstones(engine, timedelta(0))
    first = page(client, tokens[FILLER], 0, limit=2)
    assert first.full
    assert first.more
    assert len(first.records) == 2  # before the fix: every live record below the horizon
    assert first.cursor > horizon
    second = page(client, tokens[FILLER], first.cursor, limit=2)
    assert not second.full  # the snapshot goes on as plain changes
    merged = everything(client, tokens[FILLER], 0, limit=2)
    assert keys(merged) == live - {("lot", demo_plant.lot[0].lot_id)}


def test_a_full_snapshot_in_small_pages_does_not_restart(
    client: TestClient, engine: Engine, tokens: dict[str, str], demo_plant: PlantFile
) -> None:
    import_plant(engine, PlantFile(shift=()), prune=True)  # the last revision: a tombstone
    _, horizon = purge_tombstones(engine, timedelta(0))
    first = page(client, tokens[FILLER], 0, limit=1)
    assert first.full
    assert first.cursor >= horizon  # the next page is plain changes, not a new snapshot
    merged = everything(client, tokens[FILLER], 0, limit=1)
    live = keys(everything(client, tokens[FILLER], 0))
    assert keys(merged) == live
    assert ("shift", "Plant") not in live


def test_a_cursor_from_another_database_gets_a_full_snapshot(
    client: TestClient, tokens: dict[str, str]
) -> None:
    current = everything(client, tokens[FILLER]).cursor
    result = page(client, tokens[FILLER], current + 100)
    assert result.full
    assert result.cursor == current
    assert ("station", FILLER) in keys(result)


@pytest.mark.parametrize("query", ["limit=0", "limit=5001", "cursor=-1", "cursor=x"])
def test_bad_paging_is_422(client: TestClient, tokens: dict[str, str], query: str) -> None:
    response = client.get(
        f"/api/v1/stations/{FILLER}/master-data?{query}", headers=bearer(tokens[FILLER])
    )
    assert response.status_code == 422


def test_master_data_needs_the_stations_own_token(
    client: TestClient, tokens: dict[str, str]
) -> None:
    url = f"/api/v1/stations/{FILLER}/master-data"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=bearer("wrong")).status_code == 401
    assert client.get(url, headers=bearer(tokens["L1-LABELER"])).status_code == 403
