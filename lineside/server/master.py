"""Master data on the server: importing the plant file, and pages of changes for a station.

Every change of a record takes the next number of one global revision counter, so a station's
cursor (the last revision it has) is all it needs to ask for what changed (docs/master-data.md).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, Engine, and_, delete, func, insert, or_, select, update
from sqlalchemy.sql.elements import ColumnElement

from lineside.domain.master_data import Kind, PlantFile, scope_of
from lineside.domain.sync import STATION_ID_PATTERN, MasterDataPage, MasterRecord
from lineside.server.assets import PREFIX as ASSET_PREFIX
from lineside.server.db import (
    MASTER_REVISION,
    TOMBSTONE_HORIZON,
    asset,
    canonical_json,
    iso,
    master_record,
    reading,
    server_meta,
    station,
    utc_now,
)

DEFAULT_PAGE = 500
MAX_PAGE = 5000
_STATION_ID = re.compile(STATION_ID_PATTERN)


# -- the import file --------------------------------------------------------------------------


class PlantFileError(Exception):
    """The import file cannot be read or is not valid; `problems` has one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def json_path(loc: tuple[int | str, ...]) -> str:
    """Pydantic's error location as a JSON path, e.g. `$.order[0].operations[1].description`."""
    return "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)


def load_plant_file(path: Path) -> PlantFile:
    """Read and validate a whole import file; PlantFileError names the file and each path."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise PlantFileError([f"{path}: cannot read it ({reason})"]) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlantFileError(
            [f"{path}: line {exc.lineno} column {exc.colno}: not JSON ({exc.msg})"]
        ) from exc
    except RecursionError as exc:
        raise PlantFileError([f"{path}: not a plant file (JSON nested too deep)"]) from exc
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise PlantFileError([f"{path}: not a plant file ({exc})"]) from exc
    try:
        plant = PlantFile.model_validate(data)
    except ValidationError as exc:
        raise PlantFileError(
            [
                f"{path}: {json_path(error['loc'])}: {error['msg'][:200]}"
                for error in exc.errors(include_url=False)[:50]
            ]
        ) from exc
    except (RecursionError, OverflowError) as exc:
        raise PlantFileError([f"{path}: not a plant file ({type(exc).__name__})"]) from exc
    bad = [
        f"{path}: $.station[{i}].station_id: {s.station_id!r} is not a station id (1–64 of "
        "A–Z a–z 0–9 . _ -, starting with a letter or digit)"
        for i, s in enumerate(plant.station)
        if not _STATION_ID.match(s.station_id)
    ]
    if bad:
        raise PlantFileError(bad)
    return plant


def missing_references(engine: Engine, plant: PlantFile) -> list[str]:
    """References of the file to records that neither the file nor the database has."""
    with reading(engine) as conn:
        held = {
            (row.kind, row.key)
            for row in conn.execute(
                select(master_record.c.kind, master_record.c.key).where(
                    master_record.c.deleted.is_(False)
                )
            )
        }
        lines = {str(line) for line in conn.scalars(select(station.c.line)) if line}
    held |= {(kind.value, key) for kind, key, _ in plant.records()}
    lines |= {s.line for s in plant.station}
    missing: list[str] = []

    def need(kind: Kind, key: str | None, where: str) -> None:
        if key is not None and (kind.value, key) not in held:
            missing.append(f"{where} names {kind.value} {key!r}, which does not exist")

    for i, equipment in enumerate(plant.equipment):
        need(Kind.STATION, equipment.station_id, f"$.equipment[{i}].station_id")
    for i, order in enumerate(plant.order):
        if order.line not in lines:
            missing.append(f"$.order[{i}].line names line {order.line!r}, which no station is on")
        need(Kind.BOM, order.bom, f"$.order[{i}].bom")
        for j, operation in enumerate(order.operations):
            where = f"$.order[{i}].operations[{j}]"
            need(Kind.STATION, operation.station_id, f"{where}.station_id")
            need(Kind.WORK_INSTRUCTION, operation.work_instruction, f"{where}.work_instruction")
    return missing


def missing_images(conn: Connection, plant: PlantFile) -> list[str]:
    """Images the file's steps name that the server does not hold: the import refuses them.

    A station could never show such a step's image, so unlike a missing record it is an
    error, not a warning; assets are added first (`lineside server assets add`).
    """
    wanted: list[tuple[str, str]] = []
    for i, instruction in enumerate(plant.work_instruction):
        for j, step in enumerate(instruction.steps):
            if step.image is not None:
                where = (
                    f"$.work_instruction[{i}].steps[{j}].image (instruction "
                    f"{instruction.instruction_id!r}, step {step.step_id or j + 1})"
                )
                wanted.append((where, step.image.removeprefix(ASSET_PREFIX)))
    if not wanted:
        return []
    held = set(
        conn.scalars(select(asset.c.sha256).where(asset.c.sha256.in_({sha for _, sha in wanted})))
    )
    return [
        f"{where} names image {ASSET_PREFIX}{sha}, which the server does not hold; add the "
        "image file first: lineside server assets add FILE"
        for where, sha in wanted
        if sha not in held
    ]


# -- import -----------------------------------------------------------------------------------


@dataclass
class ImportSummary:
    """What an import did, counted in records."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0
    deleted: int = 0

    def __str__(self) -> str:
        return (
            f"{self.added} added, {self.changed} changed, "
            f"{self.unchanged} unchanged, {self.deleted} deleted"
        )


def _locked_meta(conn: Connection) -> dict[str, int]:
    """The revision counter and the horizon, locked until commit (PostgreSQL; SQLite is)."""
    rows = conn.execute(select(server_meta).with_for_update())
    return {row.key: int(row.value) for row in rows}


def _save_meta(conn: Connection, key: str, value: int) -> None:
    conn.execute(update(server_meta).where(server_meta.c.key == key).values(value=str(value)))


def import_plant(engine: Engine, plant: PlantFile, *, prune: bool = False) -> ImportSummary:
    """Upsert every record of the file in one transaction; a revision only for real changes.

    With `prune`, records of the kinds the file lists (even as an empty list) that the file
    no longer has become tombstones. A step's image the server does not hold refuses the
    whole file (PlantFileError).
    """
    summary = ImportSummary()
    now = iso(utc_now())
    with engine.begin() as conn:
        missing = missing_images(conn, plant)
        if missing:
            raise PlantFileError(missing)
        revision = _locked_meta(conn)[MASTER_REVISION]
        kinds = {kind.value for kind in Kind if kind.value in plant.model_fields_set}
        existing = {
            (row.kind, row.key): row
            for row in conn.execute(
                select(
                    master_record.c.kind,
                    master_record.c.key,
                    master_record.c.data,
                    master_record.c.deleted,
                ).where(master_record.c.kind.in_(kinds))
            )
        }
        seen: set[tuple[str, str]] = set()
        for kind, key, record in plant.records():
            ident = (kind.value, key)
            seen.add(ident)
            data = canonical_json(record.model_dump(mode="json"))
            old = existing.get(ident)
            if old is not None and not old.deleted and old.data == data:
                summary.unchanged += 1
                continue
            revision += 1
            values = {
                "data": data,
                "scope": scope_of(record),
                "revision": revision,
                "deleted": False,
                "updated_at": now,
            }
            if old is None:
                conn.execute(insert(master_record).values(kind=kind.value, key=key, **values))
                summary.added += 1
            else:
                conn.execute(
                    update(master_record)
                    .where(master_record.c.kind == kind.value, master_record.c.key == key)
                    .values(**values)
                )
                if old.deleted:
                    summary.added += 1
                else:
                    summary.changed += 1
        if prune:
            for (kind_value, key), old in sorted(existing.items()):
                if (kind_value, key) in seen or old.deleted:
                    continue
                revision += 1
                conn.execute(
                    update(master_record)
                    .where(master_record.c.kind == kind_value, master_record.c.key == key)
                    .values(data=None, deleted=True, revision=revision, updated_at=now)
                )
                summary.deleted += 1
        _save_meta(conn, MASTER_REVISION, revision)
        _register_stations(conn, plant, now)
    return summary


def _register_stations(conn: Connection, plant: PlantFile, now: str) -> None:
    """Give every station of the file a `station` row with its line (tokens come later)."""
    known = {
        row.station_id: row.line
        for row in conn.execute(
            select(station.c.station_id, station.c.line).where(
                station.c.station_id.in_([s.station_id for s in plant.station])
            )
        )
    }
    for record in plant.station:
        if record.station_id not in known:
            conn.execute(
                insert(station).values(
                    station_id=record.station_id, line=record.line, next_seq=1, created_at=now
                )
            )
        elif known[record.station_id] != record.line:
            conn.execute(
                update(station)
                .where(station.c.station_id == record.station_id)
                .values(line=record.line)
            )


def purge_tombstones(engine: Engine, older_than: timedelta) -> tuple[int, int]:
    """Delete tombstones older than `older_than` and raise the horizon; (purged, horizon).

    A station whose cursor is below the horizon may have missed a purged tombstone, so it
    gets a full snapshot instead of changes.
    """
    cutoff = iso(utc_now() - older_than)
    old = and_(master_record.c.deleted.is_(True), master_record.c.updated_at < cutoff)
    with engine.begin() as conn:
        horizon = _locked_meta(conn)[TOMBSTONE_HORIZON]
        newest = conn.scalar(select(func.max(master_record.c.revision)).where(old))
        if newest is None:
            return 0, horizon
        purged = conn.execute(delete(master_record).where(old)).rowcount
        horizon = max(horizon, int(newest))
        _save_meta(conn, TOMBSTONE_HORIZON, horizon)
        lift_below_horizon(conn)
    return purged, horizon


def lift_below_horizon(conn: Connection) -> int:
    """Give live records at or below the tombstone horizon new revisions; how many.

    A full snapshot is every live record in revision order: with none at or below the
    horizon, its first page ends above the horizon whatever its limit, so the pages after it
    are plain changes. Unchanged data gets a new revision, so stations fetch it once more.
    """
    meta = _locked_meta(conn)
    revision, horizon = meta[MASTER_REVISION], meta[TOMBSTONE_HORIZON]
    below = conn.execute(
        select(master_record.c.kind, master_record.c.key)
        .where(master_record.c.deleted.is_(False), master_record.c.revision <= horizon)
        .order_by(master_record.c.revision)
    ).all()
    for row in below:
        revision += 1
        conn.execute(
            update(master_record)
            .where(master_record.c.kind == row.kind, master_record.c.key == row.key)
            .values(revision=revision)
        )
    if below:
        _save_meta(conn, MASTER_REVISION, revision)
    return len(below)


# -- pages for a station ----------------------------------------------------------------------


def station_line(conn: Connection, station_id: str) -> str | None:
    """The station's line: from its master record, else from its `station` row."""
    data = conn.scalar(
        select(master_record.c.data).where(
            master_record.c.kind == Kind.STATION.value,
            master_record.c.key == station_id,
            master_record.c.deleted.is_(False),
        )
    )
    if data is not None:
        return str(json.loads(data)["line"])
    line = conn.scalar(select(station.c.line).where(station.c.station_id == station_id))
    return None if line is None else str(line)


def _visible_to(station_id: str, line: str | None) -> ColumnElement[bool]:
    scopes = [master_record.c.scope.is_(None), master_record.c.scope == f"station:{station_id}"]
    if line is not None:
        scopes.append(master_record.c.scope == f"line:{line}")
    return or_(*scopes)


def _record(row: Any) -> MasterRecord:
    return MasterRecord(
        kind=Kind(row.kind),
        key=row.key,
        revision=row.revision,
        deleted=row.deleted,
        data=None if row.data is None else json.loads(row.data),
    )


def master_page(
    engine: Engine, station_id: str, cursor: int, limit: int = DEFAULT_PAGE
) -> MasterDataPage:
    """The records `station_id` sees that changed after `cursor`, oldest first.

    A cursor below the tombstone horizon (it may have missed a purged tombstone) or above the
    current revision (the server's database was replaced) gets a full snapshot of live records.
    No live record is at or below the horizon (`lift_below_horizon`), so a snapshot page of
    `limit` records ends past the horizon and the next page is plain changes rather than the
    start of another snapshot. (Should one be, the page stretches to the horizon.)
    """
    with reading(engine) as conn:
        meta = {row.key: int(row.value) for row in conn.execute(select(server_meta))}
        current, horizon = meta[MASTER_REVISION], meta[TOMBSTONE_HORIZON]
        visible = _visible_to(station_id, station_line(conn, station_id))
        full = cursor < horizon or cursor > current
        # Records committed after the counter was read wait for the next call.
        query = select(master_record).where(visible, master_record.c.revision <= current)
        if full:
            query = query.where(master_record.c.deleted.is_(False))
            below_horizon = conn.scalar(
                select(func.count())
                .select_from(master_record)
                .where(visible, master_record.c.deleted.is_(False))
                .where(master_record.c.revision <= horizon)
            )
            size = max(limit, int(below_horizon or 0))
        else:
            query = query.where(master_record.c.revision > cursor)
            size = limit
        rows = conn.execute(query.order_by(master_record.c.revision).limit(size + 1)).all()
    more = len(rows) > size
    rows = rows[:size]
    if not more:
        new_cursor = current
    elif full:
        new_cursor = max(rows[-1].revision, horizon)
    else:
        new_cursor = rows[-1].revision
    return MasterDataPage(
        cursor=new_cursor,
        full=full,
        more=more,
        records=tuple(_record(row) for row in rows),
        server_time=utc_now(),
    )
