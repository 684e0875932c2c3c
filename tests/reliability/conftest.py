"""A real server (on SQLite and on PostgreSQL) with the fault proxy in front of it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import RunningServer, StartServer
from tests.reliability.helpers import STATION
from tests.reliability.proxy import FaultProxy


@pytest.fixture
def server(start_server: StartServer) -> RunningServer:
    """`lineside server` on `database_url` with the demo plant and a token for STATION."""
    return start_server(stations=(STATION,))


@pytest.fixture
def proxy(server: RunningServer) -> Iterator[FaultProxy]:
    """The fault proxy in front of `server`, forwarding everything until told otherwise."""
    fault_proxy = FaultProxy("127.0.0.1", server.process.port)
    fault_proxy.start()
    try:
        yield fault_proxy
    finally:
        fault_proxy.stop()
    assert not fault_proxy.errors, f"the proxy failed: {fault_proxy.errors!r}"
