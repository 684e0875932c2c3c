"""The machine over OPC UA: one subscription to the mapped PLC nodes, reconnecting forever."""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import socket
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from operator import attrgetter
from urllib.parse import urlparse

from asyncua import ua
from asyncua.client.client import Client
from asyncua.common.subscription import DataChangeEvent, StatusChangeEvent, Subscription
from asyncua.ua.attribute_ids import AttributeIds
from asyncua.ua.status_codes import StatusCodes
from asyncua.ua.uaerrors import UaStatusCodeError, UaStringParsingError

from lineside.devices.machine import (
    EVERY_CHANGE_SIGNALS,
    Change,
    ConnectionState,
    MachineBase,
    SignalTable,
    SignalValue,
    check_signal_names,
    split_changes,
    utcnow,
)

_log = logging.getLogger(__name__)

# asyncua probes the server this often and waits as long for the answer, so a link that
# went silent is noticed within about two seconds; a closed socket is noticed at once.
_WATCHDOG_S = 1.0
# A PLC frees the session of a station that vanished after this long (sessions are scarce).
_SESSION_TIMEOUT_MS = 30_000
# Server-side queue for signals where every change counts: a burst of state changes within
# one publishing interval arrives complete in the next publish response.
_EVERY_CHANGE_QUEUE = 32
# DateTime 0 on the wire (1601-01-01) means "no timestamp".
_NO_TIMESTAMP = datetime(1601, 1, 2, tzinfo=UTC)
_CONFIG_HINT = "check [opcua.nodes] in the station config"


class _NodesRefusedError(Exception):
    """The server refused to monitor mapped nodes; the message is the status detail."""


def _to_int(value: object) -> int | None:
    if isinstance(value, int | float) and math.isfinite(value):
        return int(value)
    return None


def _to_bool(value: object) -> bool | None:
    return bool(value) if isinstance(value, int | float) else None


def _to_float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _to_text(value: object) -> str | None:
    if isinstance(value, ua.LocalizedText):
        return value.Text
    return value if isinstance(value, str) else None


_CONVERTERS: dict[str, Callable[[object], SignalValue]] = {
    "state_current": _to_int,
    "running": _to_bool,
    "machinery_item_state": _to_int,
    "stop_reason_id": _to_int,
    "stop_reason_message": _to_text,
    "good_count": _to_int,
    "defective_count": _to_int,
    "speed": _to_float,
    "starved": _to_bool,
    "blocked": _to_bool,
    "unit_mode": _to_int,
}


def _utc(timestamp: datetime | None) -> datetime | None:
    """An aware UTC datetime from asyncua's (aware or naive UTC) one; None when absent."""
    if timestamp is None:
        return None
    aware = timestamp.replace(tzinfo=UTC) if timestamp.tzinfo is None else timestamp.astimezone(UTC)
    return None if aware < _NO_TIMESTAMP else aware


class OpcUaMachine(MachineBase):
    """The PLC over OPC UA (anonymous, no security), as a `MachineConnection`.

    `nodes` maps semantic signal names (see `SIGNAL_NAMES`) to NodeId strings. `start()`
    returns at once; one task connects, subscribes and reconnects until `stop()`.
    """

    def __init__(
        self,
        endpoint: str,
        nodes: Mapping[str, str],
        *,
        publishing_interval_ms: int = 100,
        reconnect_interval_s: float = 1.0,
        lost_after_s: float = 5.0,
        timeout_s: float = 4.0,
    ) -> None:
        url = urlparse(endpoint)
        if url.scheme != "opc.tcp" or not url.hostname:
            raise ValueError(f"OPC UA endpoint {endpoint!r} must look like opc.tcp://host:port")
        check_signal_names(nodes)
        self._items: list[tuple[str, str, ua.NodeId]] = []
        for signal, node in nodes.items():
            try:
                self._items.append((signal, node, ua.NodeId.from_string(node)))
            except UaStringParsingError as exc:
                raise ValueError(
                    f"node {node!r} for signal {signal!r} is not a NodeId such as "
                    "'ns=2;s=Line1/Filler/Status/StateCurrent'"
                ) from exc
        super().__init__(lost_after_s=lost_after_s, not_started_detail=f"{endpoint}: not started")
        self._endpoint = endpoint
        self._publishing_interval_ms = publishing_interval_ms
        self._reconnect_interval_s = reconnect_interval_s
        self._timeout_s = timeout_s
        self._task: asyncio.Task[None] | None = None
        self._table = SignalTable()
        self._pending: list[Change] = []
        self._flush: asyncio.Handle | None = None
        self._loss: str | None = None

    async def start(self) -> None:
        """Start the connection task and return at once (status CONNECTING)."""
        if self._task is not None:
            return
        self._begin_outage(ConnectionState.CONNECTING, f"{self._endpoint}: connecting")
        self._task = asyncio.get_running_loop().create_task(
            self._run(), name=f"OPC UA {self._endpoint}"
        )

    async def stop(self) -> None:
        """Cancel the connection task, which closes the session, and every timer."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.wait([task])
        self._cancel_lost_timer()
        if self._flush is not None:
            self._flush.cancel()
            self._flush = None
        self._pending.clear()

    async def _run(self) -> None:
        """Serve connections one after another; every failure becomes a status detail."""
        retrying = f"retrying every {self._reconnect_interval_s:g} s"
        while True:
            try:
                ended = await self._serve()
            except _NodesRefusedError as exc:
                detail = str(exc)
            except Exception as exc:
                _log.debug("connecting to %s failed", self._endpoint, exc_info=True)
                detail = f"{self._endpoint}: {self._explain(exc)}; {retrying}"
            else:
                detail = f"{self._endpoint}: {ended}; reconnecting"
            if self._status.state is ConnectionState.CONNECTED:
                self._begin_outage(ConnectionState.RECONNECTING, detail)
            else:
                self._outage_detail(detail)
                await asyncio.sleep(self._reconnect_interval_s)

    async def _serve(self) -> str:
        """One connection: subscribe to every mapped node, deliver snapshots, say why it ended."""
        client = Client(self._endpoint, timeout=self._timeout_s, watchdog_intervall=_WATCHDOG_S)
        client.name = client.description = "Lineside"
        client.session_timeout = _SESSION_TIMEOUT_MS
        client.connection_lost_callback = functools.partial(self._on_connection_lost, client)
        self._loss = None
        try:
            await client.connect()
        except BaseException:
            client.disconnect_socket()
            raise
        try:
            subscription = await client.create_subscription(self._publishing_interval_ms, None)
            self._check(await subscription.create_monitored_items(self._requests()))
            self._table = SignalTable()
            return await self._receive(subscription)
        finally:
            await _close(client)

    async def _on_connection_lost(self, client: Client, exc: Exception) -> None:
        """asyncua noticed the link is gone: note why and drop a socket that may look open."""
        self._loss = (
            "the server stopped answering" if isinstance(exc, TimeoutError) else "connection closed"
        )
        client.disconnect_socket()

    def _requests(self) -> list[ua.MonitoredItemCreateRequest]:
        """One data-change item per signal, sampled on every change, client handle = index + 1."""
        return [
            ua.MonitoredItemCreateRequest(
                ItemToMonitor=ua.ReadValueId(NodeId=nodeid, AttributeId=AttributeIds.Value),
                MonitoringMode=ua.MonitoringMode.Reporting,
                RequestedParameters=ua.MonitoringParameters(
                    ClientHandle=handle,
                    SamplingInterval=0,
                    QueueSize=_EVERY_CHANGE_QUEUE if signal in EVERY_CHANGE_SIGNALS else 1,
                    DiscardOldest=True,
                ),
            )
            for handle, (signal, _, nodeid) in enumerate(self._items, start=1)
        ]

    def _check(self, results: list[int | ua.StatusCode]) -> None:
        """Raise `_NodesRefusedError` naming each signal whose node the server will not monitor."""
        problems = []
        for (signal, node, _), result in zip(self._items, results, strict=True):
            if not isinstance(result, ua.StatusCode):
                continue
            if result.value == StatusCodes.BadNodeIdUnknown:
                problems.append(f"node {node} for signal '{signal}' does not exist on the server")
            else:
                problems.append(
                    f"node {node} for signal '{signal}' cannot be monitored ({result.name})"
                )
        if problems:
            raise _NodesRefusedError("; ".join([*problems, _CONFIG_HINT]))

    async def _receive(self, subscription: Subscription) -> str:
        """Queue data changes for the next flush until the subscription reports a bad status."""
        loop = asyncio.get_running_loop()
        async for event in subscription:
            if isinstance(event, DataChangeEvent):
                self._pending.append(self._change(event))
                if self._flush is None:
                    # asyncua queues a whole publish response before this task runs again.
                    self._flush = loop.call_soon(self._flush_pending)
            elif isinstance(event, StatusChangeEvent) and not event.notification.Status.is_good():
                self._flush_pending()
                return (
                    self._loss
                    or f"the server ended the subscription ({event.notification.Status.name})"
                )
        self._flush_pending()
        return self._loss or "the subscription ended"

    def _change(self, event: DataChangeEvent) -> Change:
        """The signal change in a notification, stamped with the PLC's time when it sent one."""
        signal = self._items[event.data.monitored_item.ClientHandle - 1][0]
        data_value = event.data.monitored_item.Value
        at = _utc(data_value.SourceTimestamp) or _utc(data_value.ServerTimestamp) or utcnow()
        value = _CONVERTERS[signal](event.value)
        if value is None and event.value is not None:
            _log.warning(
                "signal %r from %s has value %r of an unexpected type; treated as no value",
                signal,
                event.node.nodeid.to_string(),
                event.value,
            )
        return Change(signal, value, at)

    def _flush_pending(self) -> None:
        """Deliver one publish response's changes: one snapshot unless a signal changed twice."""
        if self._flush is not None:
            self._flush.cancel()
            self._flush = None
        changes, self._pending = sorted(self._pending, key=attrgetter("at")), []
        for group in split_changes(changes):
            self._table.apply(group)
            if self._table.covers(signal for signal, _, _ in self._items):
                self._deliver(
                    self._table.snapshot(utcnow()),
                    f"{self._endpoint}: connected ({len(self._items)} signals)",
                )

    def _explain(self, exc: Exception) -> str:
        """Why a connection attempt failed, in words for the admin."""
        if isinstance(exc, ConnectionRefusedError):
            return "connection refused"
        if isinstance(exc, TimeoutError):
            return f"no answer within {self._timeout_s:g} s"
        if isinstance(exc, socket.gaierror):
            return f"host not found ({exc.strerror})"
        if isinstance(exc, UaStatusCodeError):
            return f"the server answered: {exc}"
        if isinstance(exc, OSError) and exc.strerror:
            return exc.strerror
        return str(exc) or type(exc).__name__


async def _close(client: Client) -> None:
    """End the session, and await asyncua's publish task, which it only cancels on a dead link."""
    await client.disconnect()
    publish = client.uaclient.session._publish_task
    if publish is not None and not publish.done():
        publish.cancel()
        await asyncio.wait([publish])
