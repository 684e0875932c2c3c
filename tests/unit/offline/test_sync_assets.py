"""The sync engine fetches the images that master data names, in the background, with backoff."""

from __future__ import annotations

import asyncio
import hashlib
import random
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from lineside.domain.master_data import Kind
from lineside.domain.sync import API_PREFIX
from lineside.offline.assets import AssetCache
from lineside.offline.store import AsyncStore
from lineside.offline.sync import SyncEngine
from lineside.offline.sync_status import SyncStatus
from tests.unit.offline.fake_server import STATION, TOKEN, FakeServer, deferred

PNG = b"\x89PNG\r\n\x1a\n" + b"open the valve" * 100
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"/>'
ASSETS = f"{API_PREFIX}/assets/"


def address(data: bytes) -> str:
    """The content address of `data`."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def instruction(*images: str) -> dict[str, Any]:
    """A work instruction (as master data carries it) with one step per image."""
    return {
        "instruction_id": "WI-FILL",
        "version": "3",
        "title": "Fill",
        "steps": [{"text": f"step {i}", "image": image} for i, image in enumerate(images, 1)],
    }


class Sleep:
    """Records every wait; returns at once below 10 s, else waits until cut short."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        if delay >= 10:  # the idle waits of the loop: only a wake or a stop ends them
            await asyncio.Event().wait()
        await asyncio.sleep(0)


class AssetAnswers:
    """The server's asset endpoint: queued answers per hex, else the right bytes; a log."""

    def __init__(self, server: FakeServer, assets: dict[str, bytes]) -> None:
        self.server = server
        self.assets = {address(data).removeprefix("sha256:"): data for data in assets.values()}
        self.queued: dict[str, list[httpx.Response]] = {}
        self.requests: list[str] = []

    def queue(self, data: bytes, *answers: httpx.Response) -> None:
        self.queued.setdefault(hashlib.sha256(data).hexdigest(), []).extend(answers)

    async def handle(self, request: httpx.Request) -> httpx.Response:
        if not request.url.path.startswith(ASSETS):
            return await self.server.handle(request)
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        digest = request.url.path.removeprefix(ASSETS)
        self.requests.append(digest)
        queued = self.queued.get(digest)
        if queued:
            return queued.pop(0)
        if digest not in self.assets:
            return httpx.Response(404, json={"detail": f"no asset sha256:{digest}"})
        return httpx.Response(200, content=self.assets[digest])


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[AsyncStore]:
    store = AsyncStore(tmp_path / "station.db")
    await store.open()
    yield store
    await store.close()


def engine_for(
    store: AsyncStore, answers: AssetAnswers, cache: AssetCache | None, sleep: Sleep
) -> SyncEngine:
    return SyncEngine(
        store,
        STATION,
        "http://central.example",
        TOKEN,
        transport=httpx.MockTransport(answers.handle),
        rng=random.Random(1),
        sleep=sleep,
        status_interval_s=0,
        assets=cache,
    )


async def until(condition: Callable[[], object], within: float = 5.0) -> None:
    """Wait for what the engine's tasks bring about."""
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110 - polling the engine's effects from outside
            await asyncio.sleep(0.01)


async def test_missing_images_are_fetched_after_the_pull_and_failures_back_off(
    tmp_path: Path, store: AsyncStore
) -> None:
    server = FakeServer()
    server.put(Kind.WORK_INSTRUCTION, "WI-FILL", instruction(address(PNG), address(SVG)))
    answers = AssetAnswers(server, {"png": PNG, "svg": SVG})
    answers.queue(
        PNG,
        httpx.Response(503, json={"detail": "busy"}),  # the server is in trouble: stop the pass
        httpx.Response(200, content=PNG[:-1]),  # a corrupt download: discarded, the next tried
    )
    cache = AssetCache(tmp_path / "assets")
    sleep = Sleep()
    engine = engine_for(store, answers, cache, sleep)
    statuses: list[SyncStatus] = []
    engine.subscribe(statuses.append)
    await store.append([deferred(1)])
    task = asyncio.create_task(engine.run())
    try:
        await until(lambda: cache.has(address(PNG)) and cache.has(address(SVG)))
        await until(lambda: engine.status.assets_waiting == 0 and engine.status.waiting == 0)
    finally:
        engine.stop()
        await task
    png, svg = (address(d).removeprefix("sha256:") for d in (PNG, SVG))
    assert answers.requests == [png, png, svg, png]
    assert cache.path(address(PNG)).read_bytes() == PNG  # type: ignore[union-attr]
    assert cache.path(address(SVG)).read_bytes() == SVG  # type: ignore[union-attr]
    backoffs = [d for d in sleep.delays if 0 < d < 10]  # the loop's own waits are 0 or long
    assert len(backoffs) == 2  # after the 503, and after the corrupt one
    assert backoffs[0] <= 1.0  # full jitter, as the events' backoff: base 1 s
    assert backoffs[1] <= 2.0
    assert max(s.assets_waiting for s in statuses) >= 1
    assert statuses[-1].assets_waiting == 0
    assert statuses[-1].online  # the image trouble never marked the station offline
    assert server.events  # the event went up meanwhile


async def test_an_image_the_server_lacks_does_not_hold_back_the_others_or_the_events(
    tmp_path: Path, store: AsyncStore
) -> None:
    server = FakeServer()
    lost = address(b"deleted from the server")
    server.put(Kind.WORK_INSTRUCTION, "WI-FILL", instruction(lost, address(SVG), "not-an-address"))
    answers = AssetAnswers(server, {"svg": SVG})
    cache = AssetCache(tmp_path / "assets")
    sleep = Sleep()
    engine = engine_for(store, answers, cache, sleep)
    task = asyncio.create_task(engine.run())
    try:
        await until(lambda: cache.has(address(SVG)))
        await until(lambda: len(answers.requests) >= 3)  # the lost one again, after a backoff
        await store.append([deferred(1)])
        engine.wake()
        await until(lambda: server.events and engine.status.assets_waiting == 1)
    finally:
        engine.stop()
        await task
    assert set(answers.requests) == {
        lost.removeprefix("sha256:"),
        address(SVG).removeprefix("sha256:"),
    }
    assert not cache.has(lost)


async def test_an_engine_without_a_cache_fetches_no_images(store: AsyncStore) -> None:
    server = FakeServer()
    server.put(Kind.WORK_INSTRUCTION, "WI-FILL", instruction(address(PNG)))
    answers = AssetAnswers(server, {"png": PNG})
    engine = engine_for(store, answers, None, Sleep())
    assert await engine.sync_once() is None
    status = await engine.refresh_status()
    assert status.assets_waiting == 0
    assert answers.requests == []
    await engine.aclose()
