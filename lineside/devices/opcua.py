"""The machine over OPC UA: one subscription to the mapped PLC nodes, reconnecting forever."""

from __future__ import annotations

import asyncio
import base64
import functools
import logging
import math
import re
import socket
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import attrgetter
from urllib.parse import urlparse

from asyncua import ua
from asyncua.client.client import Client
from asyncua.common.subscription import DataChangeEvent, StatusChangeEvent, Subscription
from asyncua.ua.attribute_ids import AttributeIds
from asyncua.ua.object_ids import ObjectIds
from asyncua.ua.status_codes import StatusCodes
from asyncua.ua.uaerrors import UaStatusCodeError

from lineside.devices.machine import (
    EVERY_CHANGE_SIGNALS,
    Change,
    ConnectionState,
    MachineBase,
    Quality,
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
# How long closing a session waits for the server's answer; one that does not answer (it hung,
# or its link did) is left to time the session out, so a stop never waits for the 4 s timeout.
# `stop()` cancels the task again after as long: asyncua loses some cancels.
_CLOSE_S = 1.0
# Server-side queue for signals where every change counts: a burst of state changes within
# one publishing interval arrives complete in the next publish response.
_EVERY_CHANGE_QUEUE = 32
# DateTime 0 on the wire (1601-01-01) means "no timestamp".
_NO_TIMESTAMP = datetime(1601, 1, 2, tzinfo=UTC)
_CONFIG_HINT = "check [opcua.nodes] in the station config"
_NODE_EXAMPLES = (
    "use one like 'ns=2;s=Line1/Filler/Status/StateCurrent' or "
    "'nsu=urn:plant:plc;s=Line1/Filler/Status/StateCurrent'"
)
_MAX_NAMESPACE_INDEX = 0xFFFF
_MAX_NUMERIC_ID = 0xFFFF_FFFF
# OPC UA Part 3 limits string identifiers to 4096 characters.
_MAX_STRING_ID = 4096
_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.ASCII | re.I)
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
# Server_NamespaceArray and Server_ServerStatus_StartTime, read together at every connect.
_NAMESPACE_ARRAY = ua.NodeId(ua.Int32(ObjectIds.Server_NamespaceArray))
_START_TIME = ua.NodeId(ua.Int32(ObjectIds.Server_ServerStatus_StartTime))


@dataclass(frozen=True)
class NodeRef:
    """A configured node: a NodeId, or a namespace URI and identifier resolved at each connect."""

    nodeid: ua.NodeId
    # With a URI, `nodeid` carries only the identifier: its namespace index means nothing.
    namespace_uri: str | None = None

    def resolve(self, namespaces: Sequence[str]) -> ua.NodeId | None:
        """The NodeId with the server's current index for the URI; None if it lacks the URI."""
        if self.namespace_uri is None:
            return self.nodeid
        if self.namespace_uri not in namespaces:
            return None
        return ua.NodeId(self.nodeid.Identifier, ua.Int16(namespaces.index(self.namespace_uri)))

    def __str__(self) -> str:
        if self.namespace_uri is None:
            return self.nodeid.to_string()
        return f"nsu={self.namespace_uri};{self.nodeid.to_string()}"


class _MalformedError(ValueError):
    """What is wrong with a NodeId text, in words for the admin."""


def parse_node_ref(text: str) -> NodeRef:
    """Parse `ns=2;s=...`, `i=2258`, `nsu=URI;s=...`, g= or b=; a ValueError says what is wrong."""
    try:
        return _parse_node_ref(text)
    except _MalformedError as exc:
        shown = text if len(text) <= 80 else f"{text[:77]}..."
        raise ValueError(f"node {shown!r} is not a NodeId: {exc}; {_NODE_EXAMPLES}") from None


def _parse_node_ref(text: str) -> NodeRef:
    if not text:
        raise _MalformedError("it is empty")
    rest, index, uri = text, 0, None
    if rest.startswith(("ns=", "nsu=")):
        key, _, rest = rest.partition("=")
        value, semicolon, rest = rest.partition(";")
        if not semicolon:
            raise _MalformedError(f"an identifier such as s=... must follow {key}= and a ';'")
        if key == "ns":
            index = _number(value, _MAX_NAMESPACE_INDEX, "the namespace index after ns=")
        else:
            uri = _check_text(value, "the namespace URI after nsu=", spaces=False)
    kind, equals, identifier = rest.partition("=")
    if not equals or kind not in ("i", "s", "g", "b"):
        raise _MalformedError(
            f"{rest[:20]!r} does not begin with i=, s=, g= or b= (a numeric, string, GUID or "
            "base64 identifier)"
        )
    return NodeRef(ua.NodeId(_identifier(kind, identifier), ua.Int16(index)), uri)


def _identifier(kind: str, text: str) -> ua.Int32 | ua.String | ua.Guid | ua.ByteString:
    """The identifier after `i=`, `s=`, `g=` or `b=`."""
    if kind == "i":
        return ua.Int32(_number(text, _MAX_NUMERIC_ID, "the numeric identifier after i="))
    if kind == "s":
        identifier = _check_text(text, "the string identifier after s=", spaces=True)
        if len(identifier) > _MAX_STRING_ID:
            raise _MalformedError(
                f"the string identifier after s= is longer than {_MAX_STRING_ID} characters"
            )
        return ua.String(identifier)
    if kind == "g":
        if not _GUID.fullmatch(text):
            raise _MalformedError(
                f"{text[:40]!r} after g= is not a GUID like 72962b91-fa75-4ae6-8d28-b404dc7daf63"
            )
        return ua.Guid(text)
    try:
        identifier_bytes = base64.b64decode(text, validate=True)
    except ValueError:
        raise _MalformedError(f"{text[:40]!r} after b= is not base64") from None
    if not identifier_bytes:
        raise _MalformedError("the byte string after b= is empty")
    return ua.ByteString(identifier_bytes)


def _number(text: str, maximum: int, what: str) -> int:
    digits = text.lstrip("0") or "0"
    if not _DIGITS.fullmatch(text) or len(digits) > len(str(maximum)) or int(digits) > maximum:
        raise _MalformedError(f"{what} is {text[:20]!r}, not a whole number from 0 to {maximum}")
    return int(digits)


def _check_text(text: str, what: str, *, spaces: bool) -> str:
    """The text unless it is empty or holds a character an OPC UA string cannot carry."""
    if not text.strip():
        raise _MalformedError(f"{what} is empty")
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cs") or (not spaces and char.isspace()):
            raise _MalformedError(f"{what} contains the character U+{ord(char):04X}")
    return text


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
    "planned_stop": _to_bool,
}


def _utc(timestamp: datetime | None) -> datetime | None:
    """An aware UTC datetime from asyncua's (aware or naive UTC) one; None when absent."""
    if timestamp is None:
        return None
    aware = timestamp.replace(tzinfo=UTC) if timestamp.tzinfo is None else timestamp.astimezone(UTC)
    return None if aware < _NO_TIMESTAMP else aware


def _quality(status: ua.StatusCode | None) -> Quality:
    """The quality of a value from its OPC UA status code (none sent means Good)."""
    if status is None or status.is_good():
        return "good"
    return "uncertain" if status.is_uncertain() else "bad"


def _good_datetime(data_value: ua.DataValue) -> datetime | None:
    """The DateTime in a read result as aware UTC; None unless it is Good and a DateTime."""
    value = data_value.Value.Value if data_value.Value is not None else None
    if _quality(data_value.StatusCode) != "good" or not isinstance(value, datetime):
        return None
    return _utc(value)


class OpcUaMachine(MachineBase):
    """The PLC over OPC UA (anonymous, no security), as a `MachineConnection`.

    `nodes` maps semantic signal names (see `SIGNAL_NAMES`) to NodeIds, as text or parsed;
    namespace URIs are looked up anew at every connect. `start()` returns at once; one task
    connects, subscribes and reconnects until `stop()`.
    """

    def __init__(
        self,
        endpoint: str,
        nodes: Mapping[str, str | NodeRef],
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
        self._items: list[tuple[str, str, NodeRef]] = []
        for signal, node in nodes.items():
            try:
                ref = node if isinstance(node, NodeRef) else parse_node_ref(node)
            except ValueError as exc:
                raise ValueError(f"signal {signal!r}: {exc}") from None
            self._items.append((signal, str(node), ref))
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
        self._server_started_at: datetime | None = None

    async def start(self) -> None:
        """Start the connection task and return at once (status CONNECTING)."""
        if self._task is not None:
            return
        self._begin_outage(ConnectionState.CONNECTING, f"{self._endpoint}: connecting")
        self._task = asyncio.get_running_loop().create_task(
            self._run(), name=f"OPC UA {self._endpoint}"
        )

    async def stop(self) -> None:
        """Cancel the connection task, which closes the session, and every timer (within about
        `_CLOSE_S`, whatever the server does)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            while not (await asyncio.wait([task], timeout=_CLOSE_S))[0]:
                task.cancel()  # the last cancel was lost in asyncua, or the close hangs
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
            _raise_if_cancelled()
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
            _raise_if_cancelled()
            nodeids = await self._resolve(client)
            subscription = await client.create_subscription(self._publishing_interval_ms, None)
            self._check(await subscription.create_monitored_items(self._requests(nodeids)))
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

    async def _resolve(self, client: Client) -> list[ua.NodeId]:
        """Note the server's start time; each node with the namespace index the server has now."""
        namespaces, started = await client.read_attributes(
            [client.get_node(_NAMESPACE_ARRAY), client.get_node(_START_TIME)]
        )
        self._server_started_at = _good_datetime(started)
        uris = namespaces.Value.Value if namespaces.Value is not None else None
        if _quality(namespaces.StatusCode) != "good" or not isinstance(uris, list):
            uris = []
        resolved, problems = [], []
        for signal, node, ref in self._items:
            nodeid = ref.resolve(uris)
            if nodeid is None:
                problems.append(
                    f"namespace {ref.namespace_uri} of node {node} for signal '{signal}' "
                    "is not on the server"
                )
            else:
                resolved.append(nodeid)
        if problems:
            raise _NodesRefusedError("; ".join([*problems, _CONFIG_HINT]))
        return resolved

    def _requests(self, nodeids: list[ua.NodeId]) -> list[ua.MonitoredItemCreateRequest]:
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
            for handle, ((signal, _, _), nodeid) in enumerate(
                zip(self._items, nodeids, strict=True), start=1
            )
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
        """The signal change in a notification, stamped with the PLC's time, with its quality."""
        signal = self._items[event.data.monitored_item.ClientHandle - 1][0]
        data_value = event.data.monitored_item.Value
        at = _utc(data_value.SourceTimestamp) or _utc(data_value.ServerTimestamp) or utcnow()
        quality = _quality(data_value.StatusCode)
        if quality == "bad":
            return Change(signal, None, at, quality)
        value = _CONVERTERS[signal](event.value)
        if value is None and event.value is not None:
            _log.warning(
                "signal %r from %s has value %r of an unexpected type; treated as no value",
                signal,
                event.node.nodeid.to_string(),
                event.value,
            )
        return Change(signal, value, at, quality)

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
                    self._server_started_at,
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


def _raise_if_cancelled() -> None:
    """Raise CancelledError if this task was cancelled though the await that took it returned.

    asyncua waits for the TCP connect with `asyncio.wait_for`, which before Python 3.12 returns
    the connect's socket, or raises its error, when the cancel meets the connect's end
    (python/cpython#86296): the link then connected or retried on, and `stop()` waited forever.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


async def _close(client: Client) -> None:
    """End the session (an answer waited for `_CLOSE_S`), drop the socket, and await asyncua's
    publish task, which it only cancels on a dead link."""
    try:
        async with asyncio.timeout(_CLOSE_S):
            await client.disconnect()
    except TimeoutError:
        _log.debug("the server did not answer CloseSession within %g s", _CLOSE_S)
    finally:
        client.disconnect_socket()
        publish = client.uaclient.session._publish_task
        if publish is not None and not publish.done():
            publish.cancel()
            await asyncio.wait([publish])
