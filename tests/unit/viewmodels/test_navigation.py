"""What is on top, without QML: the dialogs' order, the screen under them, attention, the home."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from lineside.domain.machine_state import MachineSignals
from lineside.domain.people import Role
from lineside.domain.plant_time import PlantClock
from lineside.offline.sync_status import SyncStatus
from lineside.station.ledger import Ledger
from lineside.viewmodels.instruction import InstructionViewModel
from lineside.viewmodels.navigation import NavigationViewModel
from lineside.viewmodels.orders import OrderQueueViewModel
from lineside.viewmodels.reason_prompt import ReasonPromptViewModel
from lineside.viewmodels.sign_in import SignInViewModel
from lineside.viewmodels.signature import SignatureViewModel
from lineside.viewmodels.stop_list import StopListViewModel
from lineside.viewmodels.sync import SyncViewModel
from tests.support.ledger import T0, close_ledger, open_ledger
from tests.unit.viewmodels.test_sync_vm import FakeSync

CLOCK = PlantClock(ZoneInfo("Europe/Berlin"))


def at(seconds: float, state: int) -> MachineSignals:
    t = T0 + timedelta(seconds=seconds)
    return MachineSignals(changed_at=t, received_at=t, state_current=state, stop_reason_id=17)


class Screen:
    """The viewmodels a station screen has, on a real ledger, and the navigation over them."""

    def __init__(self, ledger: Ledger, role: list[Role | None], dpi: float | None = None) -> None:
        self.ledger = ledger
        self.sync = FakeSync()
        self.prompt = ReasonPromptViewModel(ledger, CLOCK)
        self.stops = StopListViewModel(ledger, CLOCK, now=lambda: T0 + timedelta(hours=1))
        self.signin = SignInViewModel(ledger)
        self.sync_vm = SyncViewModel(
            self.sync, CLOCK, lambda: role[0], Path("/exports"), now=lambda: T0
        )
        self.nav = NavigationViewModel(
            self.prompt, self.stops, self.signin, self.sync_vm, lambda: role[0], dpi=dpi
        )
        self.sounds = 0
        self.nav.attention_requested.connect(self.count)

    def count(self) -> None:
        self.sounds += 1


@pytest.fixture
async def ledger(tmp_path: Path) -> Any:
    rec = await open_ledger(tmp_path / "s.db")
    yield rec
    await close_ledger(rec)


async def test_dialogs_stack_in_one_order_whatever_order_they_open_in(
    ledger: Ledger, qapp: Any
) -> None:
    s = Screen(ledger, [None])
    s.signin.open()
    ledger.on_signals(at(0, 6))
    ledger.on_signals(at(1, 11))  # a stop opens the prompt while sign-in is open
    assert s.nav.layers == ["prompt", "signin"]
    assert s.nav.top == "signin"
    s.nav.open_header_details()
    assert s.nav.layers == ["prompt", "details", "signin"]
    s.signin.cancel()
    assert s.nav.top == "details"
    s.nav.close_header_details()
    assert s.nav.layers == ["prompt"]
    s.sync.push(SyncStatus(online=False, input_blocked="The outbox is full."))
    assert s.nav.layers == ["prompt", "blocked"]  # input refused covers what it blocks


async def test_a_stop_comes_over_the_sync_screen_and_blocked_input_does_not(
    ledger: Ledger, qapp: Any
) -> None:
    s = Screen(ledger, [Role.TEAM_LEAD])
    s.sync.push(SyncStatus(online=False, input_blocked="The outbox is full."))
    assert s.nav.layers == ["blocked"]
    s.sync_vm.open_details()
    assert s.nav.screen == "sync"
    assert s.nav.layers == []  # the team lead works on the cause on the sync screen
    ledger.on_signals(at(0, 6))
    ledger.on_signals(at(1, 11))
    assert s.nav.screen == "sync"
    assert s.nav.top == "prompt"
    s.sync_vm.close_details()
    assert s.nav.screen == "home"
    assert s.nav.layers == ["prompt", "blocked"]


async def test_attention_once_per_stop_that_asks_and_never_for_coding_from_the_list(
    ledger: Ledger, qapp: Any
) -> None:
    s = Screen(ledger, [None])
    ledger.on_signals(at(0, 6))
    ledger.on_signals(at(1, 11))
    first = s.prompt.stop_id
    ledger.on_signals(at(2, 11))  # the same stop goes on: no second call
    assert (s.nav.attention, s.sounds) == (1, 1)
    s.prompt.defer()
    await s.prompt.wait_idle()
    s.prompt.open_for(first)  # the operator codes it later from the list
    assert s.prompt.visible
    assert (s.nav.attention, s.sounds) == (1, 1)
    s.prompt.defer()
    ledger.on_signals(at(60, 6))
    ledger.on_signals(at(90, 11))  # a new stop asks again
    assert (s.nav.attention, s.sounds) == (2, 2)
    await s.prompt.wait_idle()


async def test_the_home_follows_the_signed_in_role_and_the_dpi_sizes_targets(
    ledger: Ledger, qapp: Any
) -> None:
    role: list[Role | None] = [None]
    s = Screen(ledger, role, dpi=150.0)
    assert s.nav.home == "operator"
    assert s.nav.px_per_mm == pytest.approx(150.0 / 25.4)
    role[0] = Role.TECHNICIAN
    s.nav.update()
    assert s.nav.home == "technician"
    role[0] = Role.TEAM_LEAD
    s.nav.update()
    assert s.nav.home == "team_lead"
    assert Screen(ledger, [None]).nav.px_per_mm == 0.0  # no DPI configured: the screen's own


async def test_the_order_and_instruction_screens_keep_the_prompt_over_them(
    ledger: Ledger, qapp: Any
) -> None:
    role: list[Role | None] = [None]
    signature = SignatureViewModel(ledger, CLOCK, lambda: role[0])
    orders = OrderQueueViewModel(ledger, CLOCK, lambda: role[0])
    instruction = InstructionViewModel(ledger, CLOCK, signature)
    s = Screen(ledger, role)
    s.nav = NavigationViewModel(
        s.prompt,
        s.stops,
        s.signin,
        s.sync_vm,
        lambda: role[0],
        orders=orders,
        instruction=instruction,
        signature=signature,
    )
    s.nav.open_screen("orders")
    assert s.nav.screen == "orders"
    ledger.on_signals(at(0, 6))
    ledger.on_signals(at(1, 11))  # a stop asks why over the order queue
    assert (s.nav.screen, s.nav.layers) == ("orders", ["prompt"])
    orders._set("confirm_visible", True)  # the operator was about to complete
    assert s.nav.layers == ["prompt", "complete"]
    s.sync_vm.open_details()  # the screen's dialog goes with its screen
    assert (s.nav.screen, s.nav.layers) == ("sync", ["prompt"])
    s.sync_vm.close_details()
    s.nav.open_screen("instruction")
    assert (s.nav.screen, s.nav.top) == ("instruction", "prompt")
    s.nav.open_screen("nowhere")
    assert s.nav.screen == "instruction"
    s.nav.go_home()
    assert s.nav.screen == "home"
    s.prompt.defer()
    await s.prompt.wait_idle()
