"""Images of work-instruction steps, from `lineside server assets add` to the station's cache.

A real `lineside server` on loopback (SQLite and PostgreSQL) and the station as the product
builds it: the image a step names comes down after the plant data, lands in the cache with
the right bytes, and is still there with the server gone.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import StartServer
from tests.integration.conftest import StationFiles, WiredStation, async_wait_until
from tests.processes import DEADLINE
from tests.servers import DEMO_PLANT, run_command, server_command

StationFactory = Callable[..., StationFiles]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 64
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8"/></svg>'


def address(data: bytes) -> str:
    """The content address of `data`."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def add_assets(database_url: str, *files: Path) -> str:
    """`python -m lineside.server assets add FILES --db URL`; its stdout."""
    args = server_command("assets", "add", *map(str, files), "--db", database_url)
    return run_command(args, what="lineside.server assets add")


def plant_naming(tmp_path: Path, name: str, images: list[str]) -> Path:
    """The demo plant with the first steps of its first instruction naming `images`."""
    plant: dict[str, Any] = json.loads(DEMO_PLANT.read_text(encoding="utf-8"))
    steps = plant["work_instruction"][0]["steps"]
    assert len(steps) >= len(images), "the demo instruction has fewer steps than the test needs"
    for step, image in zip(steps, images, strict=False):
        step["image"] = image
    path = tmp_path / name
    path.write_text(json.dumps(plant), encoding="utf-8")
    return path


def with_server(files: StationFiles, url: str, token: str) -> StationFiles:
    """Add a [server] section (and the token file) to a station config."""
    (files.config.parent / "station.token").write_text(token + "\n", encoding="utf-8")
    with files.config.open("a", encoding="utf-8") as f:
        f.write(f'\n[server]\nurl = "{url}"\ntoken_file = "station.token"\n')
    return files


async def test_a_steps_image_reaches_the_station_and_stays_there_offline(
    station_files: StationFactory,
    wired_station: Callable[[StationFiles], object],
    start_server: StartServer,
    database_url: str,
    tmp_path: Path,
) -> None:
    (tmp_path / "valve.png").write_bytes(PNG)
    (tmp_path / "torque.svg").write_bytes(SVG)
    out = add_assets(database_url, tmp_path / "valve.png", tmp_path / "torque.svg")
    assert out.splitlines() == [
        f"{address(PNG)}  {tmp_path / 'valve.png'}",
        f"{address(SVG)}  {tmp_path / 'torque.svg'}",
    ]
    plant = plant_naming(tmp_path, "plant.json", [address(PNG), address(SVG)])
    server = start_server(plants=(plant,))  # assets first, then the plant file (as documented)
    files = with_server(
        station_files(1, reconnect_interval_s=5.0),  # no machine: only the sync matters here
        server.url,
        server.tokens["L1-FILLER"],
    )
    station: WiredStation = await wired_station(files)  # type: ignore[misc]
    assert station.sync is not None

    cached = await async_wait_until(
        lambda: station.assets.path(address(PNG)) and station.assets.path(address(SVG)),
        "both images in the station's cache",
    )
    assert cached.parent == files.load().data_dir / "assets"
    assert station.assets.path(address(PNG)).read_bytes() == PNG  # type: ignore[union-attr]
    assert cached.read_bytes() == SVG
    assert station.assets.missing([address(PNG), address(SVG)]) == []
    await station.sync.refresh_status()
    await async_wait_until(
        lambda: station.sync.status.assets_waiting == 0 or None,  # type: ignore[union-attr]
        "no images waiting in the sync status",
    )

    assert server.process.terminate() == 0  # the server goes away
    await station.stop()
    offline: WiredStation = await wired_station(files)  # type: ignore[misc]  # restarted, no server
    path = offline.assets.path(address(PNG))
    assert path is not None
    assert path.read_bytes() == PNG
    assert offline.assets.has(address(SVG))


def test_an_unknown_asset_is_404_and_a_plant_naming_one_is_refused(
    start_server: StartServer, database_url: str, tmp_path: Path
) -> None:
    server = start_server()
    unknown = hashlib.sha256(b"never added").hexdigest()
    with httpx.Client(base_url=server.url, timeout=DEADLINE) as client:
        response = client.get(f"/api/v1/assets/{unknown}", headers=server.headers("L1-LABELER"))
        assert response.status_code == 404
        assert response.json() == {
            "detail": f"no asset sha256:{unknown} on this server; add it with lineside server "
            "assets add"
        }
        malformed = client.get("/api/v1/assets/xyz", headers=server.headers("L1-FILLER"))
        assert malformed.status_code == 422
        assert client.get(f"/api/v1/assets/{unknown}").status_code == 401

    plant = plant_naming(tmp_path, "plant-with-image.json", [f"sha256:{unknown}"])
    refused = subprocess.run(
        server_command("import", str(plant), "--db", database_url),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode == 2, refused.stderr
    assert f"names image sha256:{unknown}, which the server does not hold" in refused.stderr
    assert "lineside server assets add FILE" in refused.stderr
    assert refused.stderr.endswith(f"lineside server: nothing imported: 1 problem(s) in {plant}\n")
