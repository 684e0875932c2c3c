"""Assets on the server: `lineside server assets add`, the import's check, GET /api/v1/assets."""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import func, select

from lineside.server.assets import MAX_ASSET_BYTES
from lineside.server.cli import configure_parser, run
from lineside.server.db import asset, make_engine
from lineside.server.master import PlantFileError, import_plant, load_plant_file
from lineside.server.migrations import migrate
from tests.unit.server.support import DEMO_PLANT, bearer

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x01" * 500
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x02" * 300
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>\n'


def server(*args: str) -> int:
    """Run `lineside server ARGS` in this process; its exit code."""
    parser = argparse.ArgumentParser(prog="lineside server")
    configure_parser(parser)
    return run(parser.parse_args(list(args)))


def hexdigest(data: bytes) -> str:
    """The SHA-256 hex of `data`."""
    return hashlib.sha256(data).hexdigest()


def stored(database_url: str) -> dict[str, tuple[str, int, bytes]]:
    """{sha256: (media_type, size, data)} of every stored asset (migrating a new database)."""
    engine = make_engine(database_url)
    try:
        migrate(engine)
        with engine.connect() as conn:
            rows = conn.execute(
                select(asset.c.sha256, asset.c.media_type, asset.c.size, asset.c.data)
            )
            return {r.sha256: (r.media_type, r.size, bytes(r.data)) for r in rows}
    finally:
        engine.dispose()


def with_image(plant: dict[str, Any], image: str) -> dict[str, Any]:
    """The plant with the first step of its first instruction naming `image`, and no other
    step naming one (the demo plant's own images are not in these tests' databases)."""
    for instruction in plant["work_instruction"]:
        for step in instruction["steps"]:
            step.pop("image", None)
    plant["work_instruction"][0]["steps"][0]["image"] = image
    return plant


def test_image_files_are_stored_by_their_sha256_and_their_addresses_printed(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {"valve.png": PNG, "label.JPG": JPEG, "cap.webp": WEBP, "torque.svg": SVG}
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    assert server("assets", "add", *paths, "--db", database_url) == 0
    out = capsys.readouterr().out
    assert out == "".join(
        f"sha256:{hexdigest(data)}  {tmp_path / name}\n" for name, data in files.items()
    )
    assert stored(database_url) == {
        hexdigest(PNG): ("image/png", len(PNG), PNG),
        hexdigest(JPEG): ("image/jpeg", len(JPEG), JPEG),
        hexdigest(WEBP): ("image/webp", len(WEBP), WEBP),
        hexdigest(SVG): ("image/svg+xml", len(SVG), SVG),
    }
    assert server("--db", database_url, "assets", "add", paths[0]) == 0  # again: kept once
    assert capsys.readouterr().out == f"sha256:{hexdigest(PNG)}  {paths[0]}\n"
    assert len(stored(database_url)) == 4


def test_a_file_that_is_no_image_lineside_takes_is_refused_by_name_and_nothing_stored(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "valve.png"
    good.write_bytes(PNG)
    gif = tmp_path / "anim.gif"
    gif.write_bytes(b"GIF89a" + b"\x00" * 100)
    fake = tmp_path / "photo.png"
    fake.write_text("not really a picture", encoding="utf-8")
    assert server("assets", "add", str(good), str(gif), str(fake), "--db", database_url) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        f"{gif}: not an image one Lineside takes; give a PNG, JPEG, WebP or SVG file",
        f"{fake}: its name says png but its content is not one Lineside takes; give a PNG, "
        "JPEG, WebP or SVG file",
        "lineside server: nothing stored: 2 of 3 file(s) cannot be assets",
    ]
    assert stored(database_url) == {}


def test_a_file_over_20_mib_is_refused_by_name(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "poster.png"
    with big.open("wb") as out:
        out.write(PNG)
        out.truncate(MAX_ASSET_BYTES + 1)  # sparse: no 20 MiB written to disk
    missing = tmp_path / "gone.png"
    assert server("assets", "add", str(big), str(missing), "--db", database_url) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        f"{big}: {MAX_ASSET_BYTES + 1} bytes, more than the 20 MiB an asset may have; make the "
        "image smaller (a step's image needs no more than about 2000 pixels across)"
    )
    assert err[1].startswith(f"{missing}: cannot read it (")
    assert stored(database_url) == {}
    exactly = tmp_path / "exactly.png"
    with exactly.open("wb") as out:
        out.write(PNG)
        out.truncate(MAX_ASSET_BYTES)
    assert server("assets", "add", str(exactly), "--db", database_url) == 0
    (size,) = [size for _, size, _ in stored(database_url).values()]
    assert size == MAX_ASSET_BYTES


def test_assets_add_needs_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        server("assets", "add")
    assert exit_.value.code == 2
    assert "the following arguments are required: FILE" in capsys.readouterr().err


def test_a_plant_file_naming_an_image_the_server_lacks_is_refused_until_it_is_added(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plant = with_image(
        json.loads(DEMO_PLANT.read_text(encoding="utf-8")), f"sha256:{hexdigest(PNG)}"
    )
    instruction = plant["work_instruction"][0]["instruction_id"]
    step = plant["work_instruction"][0]["steps"][0].get("step_id") or "1"
    plant_file = tmp_path / "plant.json"
    plant_file.write_text(json.dumps(plant), encoding="utf-8")

    assert server("import", str(plant_file), "--db", database_url) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-2:] == [
        f"{plant_file}: $.work_instruction[0].steps[0].image (instruction {instruction!r}, step "
        f"{step}) names image sha256:{hexdigest(PNG)}, which the server does not hold; add the "
        "image file first: lineside server assets add FILE",
        f"lineside server: nothing imported: 1 problem(s) in {plant_file}",
    ]
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(asset)) == 0
        with pytest.raises(PlantFileError):  # the check is the import's, not only the CLI's
            import_plant(engine, load_plant_file(plant_file))
    finally:
        engine.dispose()

    (tmp_path / "valve.png").write_bytes(PNG)
    assert server("assets", "add", str(tmp_path / "valve.png"), "--db", database_url) == 0
    assert server("import", str(plant_file), "--db", database_url) == 0
    assert " added, " in capsys.readouterr().out


def test_a_station_gets_an_asset_with_its_type_and_an_immutable_cache(
    client: TestClient, database_url: str, tokens: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "t.svg").write_bytes(SVG)
    assert server("assets", "add", str(tmp_path / "t.svg"), "--db", database_url) == 0
    response = client.get(f"/api/v1/assets/{hexdigest(SVG)}", headers=bearer(tokens["L1-LABELER"]))
    assert response.status_code == 200
    assert response.content == SVG
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.headers["etag"] == f'"{hexdigest(SVG)}"'
    assert response.headers.get_list("cache-control") == ["public, max-age=31536000, immutable"]
    assert response.headers["x-content-type-options"] == "nosniff"
    other = client.get("/api/v1/stations/L1-FILLER/sequence", headers=bearer(tokens["L1-FILLER"]))
    assert other.headers.get_list("cache-control") == ["no-store"]


def test_an_unknown_or_malformed_asset_and_a_stranger_are_told_so(
    client: TestClient, tokens: dict[str, str]
) -> None:
    token = bearer(tokens["L1-FILLER"])
    unknown = hexdigest(b"never stored")
    response = client.get(f"/api/v1/assets/{unknown}", headers=token)
    assert response.status_code == 404
    assert response.json() == {
        "detail": f"no asset sha256:{unknown} on this server; add it with lineside server "
        "assets add"
    }
    for bad in ("ABC", unknown.upper(), f"sha256:{unknown}", unknown + "0"):
        response = client.get(f"/api/v1/assets/{bad}", headers=token)
        assert response.status_code == 422, bad
        assert response.json()["detail"][0]["loc"] == ["path", "sha256"]
    assert client.get(f"/api/v1/assets/{unknown}").status_code == 401
    stranger = client.get(f"/api/v1/assets/{unknown}", headers=bearer("not-a-token"))
    assert stranger.status_code == 401
    assert stranger.json() == {"detail": "the token is not valid (rotated, or never issued)"}
    assert stranger.headers["www-authenticate"] == "Bearer"
