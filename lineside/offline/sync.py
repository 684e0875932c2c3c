"""The sync engine: the outbox goes up to the server in seq order, master data comes down.

Every fact reaches the server exactly once: the server deduplicates by event_id and answers
per event, the station marks an event delivered only after the answer is committed locally,
so a lost answer means the event is sent again and comes back `duplicate`. Failures back off
with full jitter; the screen learns of everything through `SyncStatus` (DESIGN.md, Sync).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import math
import random
import socket
import ssl
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpcore._backends.anyio  # noqa: F401 (httpx imports it at the first request, on the loop)
import httpx
from pydantic import ValidationError

from lineside.domain.events import utc_now
from lineside.domain.master_data import Kind
from lineside.domain.sync import (
    API_PREFIX,
    BatchResult,
    EventResult,
    EventStatus,
    MasterDataPage,
    SeqGap,
    StationSequence,
)
from lineside.offline.assets import ADDRESS, AssetCache
from lineside.offline.master_cache import MasterPull
from lineside.offline.store import AsyncStore, StoreError, crash_point
from lineside.offline.sync_status import QuarantinedEvent, SyncStatus

log = logging.getLogger(__name__)

MasterRecords = dict[Kind, dict[str, dict[str, Any]]]
TOKEN_REFUSED = "the server does not accept this station's token — ask IT to issue a new one"  # noqa: S105 - not a secret
JSON = {"Content-Type": "application/json"}
MAX_REWINDS = 3
"""409s in a row, each answered by a rewind, after which the engine backs off instead."""
MAX_MASTER_PAGES = 10_000
"""A pull that has not ended after this many pages is abandoned (a server paging in circles)."""

__all__ = ["TOKEN_REFUSED", "MasterRecords", "SyncEngine", "crash_point"]


class _SyncError(Exception):
    """An exchange failed. `text` is for a team lead; `busy` failures say when they retry."""

    def __init__(
        self,
        text: str,
        *,
        retry_after: float | None = None,
        busy: bool = False,
        slow: bool = False,
        transient: bool = True,
    ) -> None:
        super().__init__(text)
        self.text = text
        self.retry_after = retry_after
        self.busy = busy
        self.slow = slow
        """Retrying soon cannot help (a configuration problem): wait the longest backoff."""
        self.transient = transient
        """The server or network is in trouble; a content problem is not transient."""


def _os_reason(exc: BaseException) -> str | None:
    """Words for the OS-level cause of a connection failure, if the chain has one."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return f"the server's certificate is not trusted ({seen.verify_message})"
        if isinstance(seen, ssl.SSLError):
            return f"the secure connection failed ({seen.reason or seen})"
        if isinstance(seen, socket.gaierror):
            return "the server's name cannot be resolved"
        if isinstance(seen, OSError) and seen.errno is not None:
            known = {
                errno.ECONNREFUSED: "connection refused",
                errno.ECONNRESET: "connection reset",
                errno.EHOSTUNREACH: "no route to the server",
                errno.ENETUNREACH: "the network is unreachable",
                errno.ETIMEDOUT: "connection timed out",
            }
            return known.get(seen.errno, (seen.strerror or str(seen)).lower())
        seen = seen.__cause__ or seen.__context__
    return None


def _detail(response: httpx.Response) -> str:
    """The server's own explanation of an error answer, shortened."""
    try:
        body = response.json()
    except ValueError:
        body = None
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, list):  # validation problems: where, and what
        detail = "; ".join(
            ".".join(str(part) for part in item.get("loc", ())) + f": {item.get('msg', '')}"
            for item in detail
            if isinstance(item, dict)
        )
    text = detail if isinstance(detail, str) and detail else response.text
    text = " ".join(text.split())
    return text[:200] + ("…" if len(text) > 200 else "")


class SyncEngine:
    """Sends the station's outbox to the server and keeps the master-data cache fresh.

    Runs on the event loop (`run()`); every database call goes through the AsyncStore's
    thread and every network call through httpx, so the loop never blocks.
    """

    def __init__(
        self,
        store: AsyncStore,
        station_id: str,
        base_url: str,
        token: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        verify: ssl.SSLContext | str | Path | bool = True,
        batch_size: int = 500,
        master_interval_s: float = 300.0,
        backoff_base_s: float = 1.0,
        backoff_cap_s: float = 60.0,
        request_timeout_s: float = 10.0,
        status_interval_s: float = 0.25,
        sequence_interval_s: float = 60.0,
        rng: random.Random | None = None,
        clock: Callable[[], datetime] = utc_now,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        assets: AssetCache | None = None,
    ) -> None:
        self.store = store
        self.assets = assets
        """Where the images that master data names are kept; None: they are not fetched."""
        self.station_id = station_id
        self.base_url = base_url.rstrip("/")
        self.batch_size = batch_size
        self.master_interval_s = master_interval_s
        self.backoff_base_s = backoff_base_s
        self.backoff_cap_s = backoff_cap_s
        self.request_timeout_s = request_timeout_s
        self.status_interval_s = status_interval_s
        self.sequence_interval_s = sequence_interval_s
        """How often an idle station asks where the server's record of it ends."""
        self._token = token
        self._transport = transport
        self._verify = verify
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography
        self._clock = clock
        self._sleep = sleep
        station = quote(station_id, safe="")
        self._events_path = f"{API_PREFIX}/stations/{station}/events"
        self._master_path = f"{API_PREFIX}/stations/{station}/master-data"
        self._sequence_path = f"{API_PREFIX}/stations/{station}/sequence"
        self._assets_path = f"{API_PREFIX}/assets"

        self._client: httpx.AsyncClient | None = None
        self._subscribers: list[Callable[[SyncStatus], None]] = []
        self._master_subscribers: list[Callable[[MasterRecords], None]] = []
        self._status = SyncStatus()
        self._online = False
        self._last_error = ""
        self._next_attempt_at: datetime | None = None
        self._offset: float | None = None
        self._master_at: datetime | None = None
        self._master: MasterRecords | None = None
        self._master_due = 0.0  # loop time; 0: pull at the next exchange
        self._sequence_due = 0.0  # loop time of the next idle sequence check
        self._master_problem = ""
        self._failures = 0
        self._running = False
        self._stopping = False
        self._wake = asyncio.Event()
        self._kick = asyncio.Event()
        self._dirty = asyncio.Event()
        self._cycle: asyncio.Task[float | None] | None = None
        self._client_lock = asyncio.Lock()
        self._wanted_assets: list[str] = []
        self._assets_waiting = 0
        self._asset_failures = 0
        self._asset_problem = ""
        self._assets_kick = asyncio.Event()

    # -- what the screen and the ledger call ---------------------------------------------------

    @property
    def status(self) -> SyncStatus:
        """The last published status."""
        return self._status

    def subscribe(self, on_status: Callable[[SyncStatus], None]) -> None:
        """Call `on_status` with the current status now and with every new one."""
        self._subscribers.append(on_status)
        self._call(on_status, self._status)

    def subscribe_master(self, on_records: Callable[[MasterRecords], None]) -> None:
        """Call `on_records` with the cached master data (if any) and after each refresh."""
        self._master_subscribers.append(on_records)
        if self._master is not None:
            self._call(on_records, self._master)

    def wake(self) -> None:
        """Something was committed: send it soon (a backoff wait is not cut short)."""
        self._wake.set()
        self._dirty.set()

    def sync_now(self) -> None:
        """Try now instead of waiting out the backoff (a team lead's "retry now")."""
        self._kick.set()
        self._assets_kick.set()

    def stop(self) -> None:
        """End `run()` soon, cancelling the wait and any request in flight; it stays stopped."""
        self._stopping = True
        self._kick.set()
        if self._cycle is not None:
            self._cycle.cancel()

    async def quarantine(self) -> list[QuarantinedEvent]:
        """The quarantined events, oldest first."""
        return await self.store.quarantine()

    async def retry_quarantined(self, seqs: Sequence[int]) -> None:
        """Send these quarantined events again; they leave quarantine once accepted."""
        await self.store.retry_quarantined(seqs)
        self.wake()
        self._kick.set()

    async def export_quarantine(self, directory: Path) -> Path:
        """Write the quarantined events (whole, as JSON lines) to a new file; returns it."""
        return await self.store.export_quarantine(directory)

    # -- the loop --------------------------------------------------------------------------------

    async def run(self) -> None:
        """Sync until `stop()`: pull master data, drain the outbox, wait, again."""
        if self._running:
            raise RuntimeError("the sync engine is already running")
        self._running = True
        publisher = asyncio.create_task(self._publish_loop(), name="lineside-sync-status")
        fetcher = (
            None
            if self.assets is None
            else asyncio.create_task(self._asset_loop(self.assets), name="lineside-sync-assets")
        )
        try:
            await self._load_cache()
            self._dirty.set()
            while not self._stopping:
                self._cycle = asyncio.create_task(self.sync_once(), name="lineside-sync")
                try:
                    delay = await self._cycle
                except asyncio.CancelledError:
                    if self._stopping and not _cancelling():
                        break
                    raise
                finally:
                    self._cycle = None
                if self._stopping:
                    break
                await self._wait(delay)
        finally:
            if self._cycle is not None:
                self._cycle.cancel()
                await asyncio.gather(self._cycle, return_exceptions=True)
            for task in (publisher, fetcher):
                if task is not None:
                    task.cancel()
            await asyncio.gather(*(t for t in (publisher, fetcher) if t), return_exceptions=True)
            await self.aclose()
            self._running = False

    async def aclose(self) -> None:
        """Close the connection pool (`run()` does this when it ends)."""
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    async def _load_cache(self) -> None:
        """Hand the cached master data out at once: the station works on it while offline."""
        try:
            _cursor, self._master_at = await self.store.master_state()
            if self._master_at is not None:
                self._master = await self.store.master_records()
        except StoreError:
            log.exception("sync: the cached plant data cannot be read")
            return
        if self._master is not None:
            self._want_assets(self._master)
            self._notify_master(self._master)

    async def _wait(self, delay: float | None) -> None:
        """Wait out a backoff (only `sync_now` or `stop` cut it) or, idle, for a commit."""
        triggers = [self._kick]
        if delay is None:
            triggers.append(self._wake)
            due = min(self._master_due, self._sequence_due)
            delay = max(0.0, due - asyncio.get_running_loop().time())
        sleeper = asyncio.ensure_future(self._sleep(delay))
        waiters = [asyncio.ensure_future(event.wait()) for event in triggers]
        try:
            await asyncio.wait([sleeper, *waiters], return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, *waiters):
                task.cancel()
            await asyncio.gather(sleeper, *waiters, return_exceptions=True)

    async def sync_once(self) -> float | None:
        """One pass: master data if due, then the outbox until it is empty.

        Returns how long to back off after a failure, or None when everything went through.
        """
        self._wake.clear()
        self._kick.clear()
        try:
            await self._client_ready()
            if asyncio.get_running_loop().time() >= self._master_due:
                await self._pull_master_if_possible()
            sent = await self._drain()
            if not sent and asyncio.get_running_loop().time() >= self._sequence_due:
                await self._check_sequence()
        except _SyncError as failure:
            return self._failed(failure)
        except StoreError as exc:
            return self._failed(_SyncError(f"the station record cannot be read or written: {exc}"))
        except Exception as exc:  # a terminal runs for months: sync must outlive any surprise
            log.exception("sync: unexpected failure")
            return self._failed(_SyncError(f"sync failed unexpectedly ({exc!r}) — tell IT"))
        self._succeeded()
        return None

    async def _client_ready(self) -> httpx.AsyncClient:
        async with self._client_lock:  # the asset fetcher may ask at the same time
            if self._client is None:
                if self._transport is not None:
                    self._client = self._make_client()
                else:  # loading CA certificates reads files: not on the loop
                    loop = asyncio.get_running_loop()
                    try:
                        self._client = await loop.run_in_executor(None, self._make_client)
                    except (OSError, ssl.SSLError) as exc:
                        raise _SyncError(
                            f"the CA certificate {self._verify} cannot be used ({exc}) — check"
                            " the station config",
                            slow=True,
                        ) from exc
            return self._client

    def _make_client(self) -> httpx.AsyncClient:
        verify = self._verify
        if isinstance(verify, str | Path):
            verify = ssl.create_default_context(cafile=str(verify))
        return httpx.AsyncClient(
            base_url=self.base_url,
            transport=self._transport,
            verify=verify,
            timeout=self.request_timeout_s,
            headers={"Authorization": f"Bearer {self._token}"},
            trust_env=self._transport is None,
        )

    def _succeeded(self) -> None:
        self._failures = 0
        self._online = True
        self._next_attempt_at = None
        self._last_error = self._master_problem
        self._dirty.set()

    def _failed(self, failure: _SyncError) -> float:
        self._online = False
        if failure.transient:
            self._master_due = 0.0  # pull master data again once the server is back
        self._failures += 1
        delay = self._backoff(failure, self._failures)
        text = failure.text
        if failure.busy:
            text += f", retrying in {math.ceil(delay)} s"
        if text != self._last_error:
            log.warning("sync: %s", text)
        self._last_error = text
        self._next_attempt_at = self._clock() + timedelta(seconds=delay)
        self._dirty.set()
        return delay

    def _backoff(self, failure: _SyncError, failures: int) -> float:
        """Seconds to wait after the `failures`-th failure in a row: full jitter, capped."""
        if failure.slow:
            delay = self.backoff_cap_s
        else:
            ceiling = min(self.backoff_cap_s, self.backoff_base_s * 2 ** min(failures - 1, 60))
            delay = self._rng.uniform(0, ceiling)
        if failure.retry_after is not None:
            delay = max(delay, failure.retry_after)
        return delay

    # -- events up -------------------------------------------------------------------------------

    async def _drain(self) -> bool:
        """Send until the outbox is empty; whether anything was sent."""
        rewinds = 0
        sent_any = False
        while not self._stopping:
            seqs, body = await self.store.next_batch(self.batch_size)
            if not seqs:
                return sent_any
            sent_any = True
            response, sent, received = await self._exchange(
                "POST", self._events_path, content=body, headers=JSON
            )
            if response.status_code == httpx.codes.CONFLICT:
                rewinds += 1
                await self._rewind(response, seqs, rewinds)
                continue
            if response.status_code != httpx.codes.OK:
                raise self._answer_failure(response, "a batch of events")
            try:
                result = BatchResult.model_validate_json(response.content)
            except ValidationError as exc:
                raise _SyncError(
                    f"the server's answer to a batch was not understood ({exc.error_count()}"
                    " problems) — nothing is lost; tell IT"
                ) from exc
            crash_point("after_response")
            self._set_offset(result.server_time, sent, received)
            marked = await self.store.mark_results(_conflicts_quarantined(result.results))
            if not marked.delivered and not marked.quarantined:
                raise _SyncError(
                    f"the server's answer to the batch of seq {seqs[0]}–{seqs[-1]} confirmed none"
                    " of its events — nothing is lost; tell IT",
                    transient=False,
                )
            if marked.quarantined:
                log.warning("sync: the server rejected %d events (quarantined)", marked.quarantined)
            rewinds = 0
            self._online = True
            self._dirty.set()
        return sent_any

    async def _check_sequence(self) -> None:
        """Idle: ask where the server's record of this station ends; resend what it lost.

        A server restored from a backup expects a seq this station delivered long ago: the
        events from there on are sent again now, not only when the next fact is recorded.
        """
        self._sequence_due = asyncio.get_running_loop().time() + self.sequence_interval_s
        response, sent, received = await self._exchange("GET", self._sequence_path)
        if response.status_code == httpx.codes.NOT_FOUND:
            return  # a server without the call (older): the next batch's 409 tells instead
        if response.status_code != httpx.codes.OK:
            raise self._answer_failure(response, "the sequence check")
        try:
            where = StationSequence.model_validate_json(response.content)
        except ValidationError as exc:
            raise self._answer_failure(response, "the sequence check") from exc
        self._set_offset(where.server_time, sent, received)
        rewound = await self.store.rewind(where.next_seq)
        if where.next_seq > rewound.last_seq + 1:
            raise _SyncError(
                f"the server already holds events up to seq {where.next_seq - 1} from this"
                f" station, but this station's record ends at seq {rewound.last_seq}: its"
                " database was replaced or restored — ask IT; nothing is sent until this is fixed",
                slow=True,
                transient=False,
            )
        if rewound.count:
            log.warning(
                "sync: the server expects seq %d (restored from a backup?); %d events resent",
                where.next_seq,
                rewound.count,
            )
            await self._drain()

    async def _rewind(self, response: httpx.Response, seqs: list[int], rewinds: int) -> None:
        try:
            gap = SeqGap.model_validate_json(response.content)
        except ValidationError as exc:
            raise self._answer_failure(response, "a batch of events") from exc
        if rewinds > MAX_REWINDS:
            raise _SyncError(
                f"the server keeps refusing the order of this station's events (it expects seq"
                f" {gap.expected_seq}, the station sent {seqs[0]}–{seqs[-1]}): {gap.detail}",
                transient=False,
            )
        rewound = await self.store.rewind(gap.expected_seq)
        if gap.expected_seq > rewound.last_seq + 1:
            raise _SyncError(
                f"the server already holds events up to seq {gap.expected_seq - 1} from this"
                f" station, but this station's record ends at seq {rewound.last_seq}: its"
                " database was replaced or restored — ask IT; nothing is sent until this is fixed",
                slow=True,
                transient=False,
            )
        log.info("sync: server expects seq %d; %d events resent", gap.expected_seq, rewound.count)

    # -- master data down ------------------------------------------------------------------------

    async def _pull_master_if_possible(self) -> None:
        """Pull master data; a problem with its content does not hold the events back."""
        try:
            await self._pull_master()
        except _SyncError as failure:
            if failure.transient or failure.slow:
                raise
            self._master_problem = f"plant data not refreshed: {failure.text}"
            self._last_error = self._master_problem
            self._master_due = asyncio.get_running_loop().time() + self.master_interval_s
            self._dirty.set()

    async def _pull_master(self) -> None:
        cursor, _at = await self.store.master_state()
        pull = MasterPull()
        while True:
            response, sent, received = await self._exchange(
                "GET", self._master_path, params={"cursor": cursor}
            )
            if response.status_code != httpx.codes.OK:
                raise self._answer_failure(response, "the plant data request")
            try:
                page = MasterDataPage.model_validate_json(response.content)
            except ValidationError as exc:
                raise _SyncError(
                    f"the server's plant data was not understood: {exc.errors()[0]['msg']}",
                    transient=False,
                ) from exc
            self._set_offset(page.server_time, sent, received)
            if pull.add(page):
                break
            if pull.pages >= MAX_MASTER_PAGES or (page.cursor == cursor and not page.records):
                raise _SyncError("the server's plant data pages do not advance", transient=False)
            cursor = page.cursor
        at = self._clock()
        await self.store.swap_master(pull, at)
        self._master_at = at
        self._master_problem = ""
        self._master_due = asyncio.get_running_loop().time() + self.master_interval_s
        self._dirty.set()
        if pull.changes_cache or self._master is None:
            self._master = await self.store.master_records()
            self._notify_master(self._master)
        self._want_assets(self._master)

    # -- assets down -----------------------------------------------------------------------------

    def _want_assets(self, records: MasterRecords) -> None:
        """Fetch the images the work instructions name that the cache lacks (in the background)."""
        if self.assets is None:
            return
        wanted: dict[str, None] = {}
        for instruction in records.get(Kind.WORK_INSTRUCTION, {}).values():
            for step in instruction.get("steps") or ():
                image = step.get("image") if isinstance(step, dict) else None
                if isinstance(image, str) and ADDRESS.match(image):
                    wanted[image] = None
        self._wanted_assets = list(wanted)
        self._assets_kick.set()

    async def _asset_loop(self, cache: AssetCache) -> None:
        """Fetch missing assets one at a time whenever master data came; back off on failure."""
        await asyncio.to_thread(cache.remove_leftovers)
        while True:
            await self._assets_kick.wait()
            self._assets_kick.clear()
            delay = await self._fetch_assets(cache)
            if delay is None:
                continue
            sleeper = asyncio.ensure_future(self._sleep(delay))
            kicked = asyncio.ensure_future(self._assets_kick.wait())
            try:
                await asyncio.wait([sleeper, kicked], return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in (sleeper, kicked):
                    task.cancel()
                await asyncio.gather(sleeper, kicked, return_exceptions=True)
            self._assets_kick.set()

    async def _fetch_assets(self, cache: AssetCache) -> float | None:
        """One pass over the missing assets; how long to back off, or None if all came."""
        missing = await asyncio.to_thread(cache.missing, self._wanted_assets)
        self._set_assets_waiting(len(missing))
        failure: _SyncError | None = None
        for address in missing:
            try:
                await self._fetch_asset(cache, address)
            except _SyncError as problem:
                failure = problem
                if problem.transient:
                    break  # the server or network is in trouble: the others would fail too
                continue
            except Exception as exc:  # the fetcher must outlive any surprise, as the loop does
                log.exception("sync: fetching the image %s failed unexpectedly", address)
                failure = _SyncError(f"fetching images failed unexpectedly ({exc!r})", slow=True)
                break
            self._set_assets_waiting(self._assets_waiting - 1)
        if failure is None:
            self._asset_failures = 0
            self._asset_problem = ""
            return None
        self._asset_failures += 1
        delay = self._backoff(failure, self._asset_failures)
        if failure.text != self._asset_problem:
            log.warning("sync: %s; images retried in %d s", failure.text, math.ceil(delay))
        self._asset_problem = failure.text
        return delay

    async def _fetch_asset(self, cache: AssetCache, address: str) -> None:
        digest = address.removeprefix("sha256:")
        response, _sent, _received = await self._exchange("GET", f"{self._assets_path}/{digest}")
        if response.status_code == httpx.codes.NOT_FOUND:
            raise _SyncError(
                f"the server has no image {address}, which the plant data names"
                f" ({_detail(response)}) — tell IT",
                transient=False,
            )
        if response.status_code != httpx.codes.OK:
            raise self._answer_failure(response, f"the image {address}")
        if not await asyncio.to_thread(cache.put, address, response.content):
            raise _SyncError(f"the image {address} was not kept (see the log)", transient=False)

    def _set_assets_waiting(self, count: int) -> None:
        if count != self._assets_waiting:
            self._assets_waiting = count
            self._dirty.set()

    # -- the exchange ----------------------------------------------------------------------------

    async def _exchange(
        self, method: str, path: str, **kwargs: Any
    ) -> tuple[httpx.Response, datetime, datetime]:
        """One request, with when it was sent and answered; network trouble is a `_SyncError`."""
        client = await self._client_ready()
        sent = self._clock()
        try:
            response = await client.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise _SyncError(
                f"server not reachable: no answer within {self.request_timeout_s:g} s"
            ) from exc
        except httpx.UnsupportedProtocol as exc:
            raise _SyncError(
                f"the server address {self.base_url!r} is not valid ({exc}) — check the"
                " station config",
                slow=True,
            ) from exc
        except httpx.ConnectError as exc:
            reason = _os_reason(exc) or str(exc) or "cannot connect"
            raise _SyncError(f"server not reachable: {reason}") from exc
        except httpx.TransportError as exc:
            reason = _os_reason(exc) or "the connection broke before the server answered"
            raise _SyncError(f"server not reachable: {reason}") from exc
        return response, sent, self._clock()

    def _set_offset(self, server_time: datetime, sent: datetime, received: datetime) -> None:
        """Server clock minus station clock, taking the request's midpoint as the server's now."""
        midpoint = sent + (received - sent) / 2
        offset = (server_time - midpoint).total_seconds()
        if offset != self._offset:
            self._offset = offset
            self._dirty.set()

    def _answer_failure(self, response: httpx.Response, what: str) -> _SyncError:
        code = response.status_code
        if code == httpx.codes.UNAUTHORIZED:
            return _SyncError(TOKEN_REFUSED, slow=True)
        if code == httpx.codes.FORBIDDEN:
            return _SyncError(
                f"the server refuses this station ({_detail(response)}) — the station id or"
                " its token is wrong; ask IT",
                slow=True,
            )
        retry_after = self._retry_after(response.headers.get("Retry-After"))
        if code in (httpx.codes.TOO_MANY_REQUESTS, httpx.codes.SERVICE_UNAVAILABLE):
            return _SyncError(f"server busy ({code})", retry_after=retry_after, busy=True)
        if code >= httpx.codes.INTERNAL_SERVER_ERROR:
            return _SyncError(f"server error ({code})", retry_after=retry_after, busy=True)
        if code == httpx.codes.UNPROCESSABLE_ENTITY:
            return _SyncError(
                f"the server refused {what} as malformed ({_detail(response)}) — nothing is"
                " lost; tell IT",
                transient=False,
            )
        return _SyncError(
            f"unexpected answer from the server to {what} ({code} {response.reason_phrase})"
            " — check the server address",
            transient=False,
        )

    def _retry_after(self, value: str | None) -> float | None:
        """`Retry-After` in seconds from now: a number of seconds or an HTTP date."""
        if not value:
            return None
        value = value.strip()
        with contextlib.suppress(ValueError):
            return max(0.0, float(value))
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        server_now = self._clock() + timedelta(seconds=self._offset or 0.0)
        return max(0.0, (when - server_now).total_seconds())

    # -- status ----------------------------------------------------------------------------------

    async def refresh_status(self) -> SyncStatus:
        """Read the outbox figures now and publish the status if it changed."""
        counts = await self.store.outbox_counts()
        status = SyncStatus(
            online=self._online,
            waiting=counts.waiting,
            oldest_waiting_at=counts.oldest_waiting_at,
            quarantined=counts.quarantined,
            last_delivered_at=counts.last_delivered_at,
            last_error=self._last_error,
            next_attempt_at=self._next_attempt_at,
            clock_offset_s=self._offset,
            master_data_at=self._master_at,
            input_blocked=counts.input_blocked,
            assets_waiting=self._assets_waiting,
        )
        if status != self._status:
            self._status = status
            for subscriber in list(self._subscribers):
                self._call(subscriber, status)
        return status

    async def _publish_loop(self) -> None:
        """Publish after changes, at most once per `status_interval_s` (a busy line coalesces)."""
        while True:
            await self._dirty.wait()
            self._dirty.clear()
            try:
                await self.refresh_status()
            except StoreError as exc:
                log.warning("sync status: %s", exc)
            await asyncio.sleep(self.status_interval_s)

    def _notify_master(self, records: MasterRecords) -> None:
        for subscriber in list(self._master_subscribers):
            self._call(subscriber, records)

    @staticmethod
    def _call(callback: Callable[[Any], None], value: Any) -> None:
        try:
            callback(value)
        except Exception:
            log.exception("sync subscriber %r failed", callback)


def _conflicts_quarantined(results: Sequence[EventResult]) -> list[EventResult]:
    """A `conflict` is not delivered: the store quarantines it, saying it is a conflict."""
    return [
        result.model_copy(
            update={
                "status": EventStatus.REJECTED,
                "reason": f"conflict: {result.reason or 'the server holds another body for it'}",
            }
        )
        if result.status is EventStatus.CONFLICT
        else result
        for result in results
    ]


def _cancelling() -> bool:
    """The current task itself is being cancelled (not just the cycle it awaited)."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0
