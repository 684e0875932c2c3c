"""The fault proxy does what each fault says, against the real server (SQLite is enough here).

The sync fault tests and the kill tests trust the proxy to inject exactly the fault asked
for: a reset never reaches the server, a dropped answer was committed, a canned error was
not forwarded, a duplicate is delivered twice, and a refused host refuses every connection.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from lineside.domain.events import Event
from lineside.domain.sync import API_PREFIX
from tests.reliability.helpers import STATION, server_state, wait_until
from tests.reliability.line import Line
from tests.reliability.proxy import Fault, FaultProxy, Request, Response
from tests.servers import ServerProcess, prepare_server

EVENTS = f"{API_PREFIX}/stations/{STATION}/events"
HEALTH = f"{API_PREFIX}/health"


class Upstream:
    """The real server on a SQLite file, with STATION's token."""

    def __init__(self, tmp: Path) -> None:
        self.database_url = f"sqlite:///{tmp}/server.db"
        self.token = prepare_server(self.database_url, tmp, (STATION,), plants=())[STATION]
        self.process = ServerProcess(self.database_url)
        self.process.wait_ready()
        self.line = Line(STATION, {})
        self.pending: list[Event] = []
        self.seq = 0

    def batch(self, n: int = 1) -> dict[str, Any]:
        """The next `n` events of the station, as an EventBatch body."""
        while len(self.pending) < n:
            self.pending += self.line.next()[0]
        events, self.pending = self.pending[:n], self.pending[n:]
        body = []
        for event in events:
            self.seq += 1
            body.append(event.model_copy(update={"seq": self.seq}).model_dump(mode="json"))
        return {"events": body}

    def stored(self) -> list[int]:
        """The seqs the server holds for STATION."""
        return [seq for seq, _ in server_state(self.database_url)[0]]


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Upstream]:
    server = Upstream(tmp_path_factory.mktemp("upstream"))
    try:
        yield server
    finally:
        assert server.process.terminate() == 0, server.process.stderr


@pytest.fixture
def proxy(upstream: Upstream) -> Iterator[FaultProxy]:
    fault_proxy = FaultProxy("127.0.0.1", upstream.process.port)
    fault_proxy.start()
    try:
        yield fault_proxy
    finally:
        fault_proxy.stop()
    assert not fault_proxy.errors, fault_proxy.errors


@pytest.fixture
def client(proxy: FaultProxy, upstream: Upstream) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {upstream.token}"}
    with httpx.Client(base_url=proxy.url, headers=headers, timeout=10) as http:
        yield http


def statuses(response: httpx.Response) -> list[str]:
    return [result["status"] for result in response.json()["results"]]


def test_forwards_requests_on_a_kept_alive_connection_and_logs_them(
    proxy: FaultProxy, client: httpx.Client, upstream: Upstream
) -> None:
    assert client.get(HEALTH).status_code == 200
    body = upstream.batch(3)
    answer = client.post(EVENTS, json=body)
    assert answer.status_code == 200, answer.text
    assert statuses(answer) == ["accepted"] * 3
    assert client.get(HEALTH).status_code == 200
    log = proxy.log()
    assert [(e.request.method, e.fault, e.status) for e in log] == [
        ("GET", Fault.FORWARD, 200),
        ("POST", Fault.FORWARD, 200),
        ("GET", Fault.FORWARD, 200),
    ]
    assert all(e.answered is not None and e.received <= e.answered for e in log)
    assert log[0].answered is not None
    assert log[0].answered <= log[1].received
    assert proxy.counts[Fault.FORWARD] == 3


def test_a_reset_never_reaches_the_server(
    proxy: FaultProxy, client: httpx.Client, upstream: Upstream
) -> None:
    before = upstream.stored()
    body = upstream.batch(2)
    proxy.set_faults(Fault.RESET)
    with pytest.raises(httpx.TransportError):
        client.post(EVENTS, json=body)
    assert upstream.stored() == before
    answer = client.post(EVENTS, json=body)  # the queue is used up: forwarded
    assert statuses(answer) == ["accepted"] * 2
    reset = proxy.log()[0]
    assert (reset.fault, reset.status, reset.answered) == (Fault.RESET, None, None)


def test_a_dropped_answer_was_committed_and_the_hook_saw_it(
    proxy: FaultProxy, client: httpx.Client, upstream: Upstream
) -> None:
    seen: list[tuple[Request, Response]] = []
    proxy.on_committed = lambda request, response: seen.append((request, response))
    body = upstream.batch(2)
    proxy.set_faults(Fault.DROP_AFTER_COMMIT)
    with pytest.raises(httpx.TransportError):
        client.post(EVENTS, json=body)
    [(request, response)] = seen
    assert (request.method, request.path, response.status) == ("POST", EVENTS, 200)
    assert b'"accepted"' in response.raw
    seqs = [event["seq"] for event in body["events"]]
    assert set(seqs) <= set(upstream.stored())  # committed, though the client never heard
    assert statuses(client.post(EVENTS, json=body)) == ["duplicate"] * 2


CANNED = {
    Fault.ERROR_500: (500, None),
    Fault.UNAVAILABLE_503: (503, "3"),
    Fault.TOO_MANY_429: (429, "3"),
}


@pytest.mark.parametrize("fault", list(CANNED))
def test_canned_errors_are_not_forwarded(
    proxy: FaultProxy, client: httpx.Client, upstream: Upstream, fault: Fault
) -> None:
    status, retry_after = CANNED[fault]
    before = upstream.stored()
    body = upstream.batch(1)
    proxy.set_faults(fault, fault, retry_after_s=3)
    for _ in range(2):  # the connection stays usable after a canned answer
        answer = client.post(EVENTS, json=body)
        assert answer.status_code == status
        assert answer.headers.get("retry-after") == retry_after
        assert "injected by the test proxy" in answer.json()["detail"]
    assert upstream.stored() == before
    assert statuses(client.post(EVENTS, json=body)) == ["accepted"]


def test_a_delay_longer_than_the_client_waits_still_delivers(
    proxy: FaultProxy, upstream: Upstream
) -> None:
    body = upstream.batch(1)
    seq = body["events"][0]["seq"]
    proxy.set_faults(Fault.DELAY, delay_s=1.0)
    headers = {"Authorization": f"Bearer {upstream.token}"}
    with (
        httpx.Client(base_url=proxy.url, headers=headers, timeout=0.2) as impatient,
        pytest.raises(httpx.TimeoutException),
    ):
        impatient.post(EVENTS, json=body)
    assert seq not in upstream.stored()  # still held by the proxy ...
    wait_until(lambda: seq in upstream.stored(), "the delayed request reaches the server")
    wait_until(lambda: proxy.in_flight == 0, "the proxy is done with it")
    [exchange] = proxy.log()
    assert (exchange.fault, exchange.status, exchange.answered) == (Fault.DELAY, 200, None)


def test_a_duplicate_is_delivered_twice_and_answered_by_the_second(
    proxy: FaultProxy, client: httpx.Client, upstream: Upstream
) -> None:
    body = upstream.batch(2)
    proxy.set_faults(Fault.DUPLICATE)
    answer = client.post(EVENTS, json=body)
    assert statuses(answer) == ["duplicate"] * 2  # the first copy was accepted
    assert {event["seq"] for event in body["events"]} <= set(upstream.stored())


def test_queue_first_then_policy(
    proxy: FaultProxy, client: httpx.Client, upstream: Upstream
) -> None:
    proxy.set_faults(
        Fault.ERROR_500,
        policy=lambda r: Fault.UNAVAILABLE_503 if r.method == "GET" else Fault.FORWARD,
    )
    assert client.get(HEALTH).status_code == 500
    assert client.get(HEALTH).status_code == 503
    assert client.post(EVENTS, json=upstream.batch(1)).status_code == 200
    proxy.set_faults()
    assert client.get(HEALTH).status_code == 200


def test_a_refused_host_resets_open_connections_and_comes_back_on_its_port(
    proxy: FaultProxy, client: httpx.Client
) -> None:
    url = proxy.url
    assert client.get(HEALTH).status_code == 200  # a kept-alive connection is open now
    proxy.refuse_connections()
    with pytest.raises(httpx.TransportError):
        client.get(HEALTH)
    with pytest.raises(httpx.ConnectError):
        client.get(HEALTH)
    proxy.refuse_connections()  # already down: nothing changes
    proxy.accept_connections()
    proxy.accept_connections()  # already up
    assert proxy.url == url
    assert client.get(HEALTH).status_code == 200


def test_stop_is_safe_before_start_and_twice(upstream: Upstream) -> None:
    never_started = FaultProxy("127.0.0.1", upstream.process.port)
    never_started.stop()
    started = FaultProxy("127.0.0.1", upstream.process.port)
    started.start()
    with httpx.Client(base_url=started.url) as http:
        assert http.get(HEALTH).status_code == 200  # leaves a kept-alive connection open
        started.stop()
        started.stop()
