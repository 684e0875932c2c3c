"""Composition root of the operator terminal: machine link → ledger → viewmodels → QML."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import sys
import threading
from pathlib import Path

import shiboken6
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickWindow

from lineside.app.language import (  # noqa: F401 - install_translator: callers import it here
    LanguageSwitch,
    install_translator,
)
from lineside.app.sound import AlertSound
from lineside.devices.machine import MachineConnection
from lineside.domain.people import Role
from lineside.offline.sync_status import SyncControl
from lineside.station.config import StationConfig
from lineside.station.station import Station
from lineside.viewmodels.base import ViewModel
from lineside.viewmodels.deviations import DeviationViewModel
from lineside.viewmodels.instruction import InstructionViewModel
from lineside.viewmodels.navigation import NavigationViewModel
from lineside.viewmodels.orders import OrderQueueViewModel
from lineside.viewmodels.reason_prompt import ReasonPromptViewModel
from lineside.viewmodels.sign_in import SignInViewModel
from lineside.viewmodels.signature import SignatureViewModel
from lineside.viewmodels.station import StationViewModel
from lineside.viewmodels.stop_list import StopListViewModel
from lineside.viewmodels.sync import SyncViewModel

log = logging.getLogger(__name__)
VIEWS = Path(__file__).resolve().parent.parent / "views"


class QmlLoadError(Exception):
    """The screen could not be built (a broken install, not an operator problem)."""


class Hmi:
    """One station with its screen."""

    def __init__(
        self,
        config: StationConfig,
        machine: MachineConnection | None = None,
        sync: SyncControl | None = None,
    ) -> None:
        self.station = Station(config, machine)
        self.config = config
        self.clock = self.station.clock
        self.machine = self.station.machine
        self.store = self.station.store
        self.ledger = self.station.ledger
        self.engine: QQmlApplicationEngine | None = None
        self.window: QQuickWindow | None = None
        self.station_vm: StationViewModel | None = None
        self.prompt_vm: ReasonPromptViewModel | None = None
        self.stops_vm: StopListViewModel | None = None
        self.sign_in_vm: SignInViewModel | None = None
        self.sync_control: SyncControl = sync or self.station.sync_control
        self.sync_vm: SyncViewModel | None = None
        self.nav_vm: NavigationViewModel | None = None
        self.orders_vm: OrderQueueViewModel | None = None
        self.instruction_vm: InstructionViewModel | None = None
        self.deviations_vm: DeviationViewModel | None = None
        self.signature_vm: SignatureViewModel | None = None
        self.language: LanguageSwitch | None = None
        self.sound: AlertSound | None = None

    async def start(self, show: bool = True) -> None:
        """Open the record, build the screen, then start watching the machine."""
        await self.station.open()
        c = self.config
        self.language = LanguageSwitch(c.station.language)
        self.language.follow(self.ledger)  # whoever is still signed in after a restart
        language = self.language.language  # each screen's first texts are in it already
        self.station_vm = StationViewModel(
            line=c.station.line,
            station=c.station.name,
            equipment=c.equipment.id,
            machine=self.machine,
            ledger=self.ledger,
            clock=self.clock,
            language=language,
        )
        self.prompt_vm = ReasonPromptViewModel(self.ledger, self.clock, language=language)
        self.stops_vm = StopListViewModel(self.ledger, self.clock, language=language)
        self.sign_in_vm = SignInViewModel(self.ledger, language=language)
        self.sync_vm = SyncViewModel(
            self.sync_control, self.clock, self.current_role, c.export_dir, language=language
        )
        self.orders_vm = OrderQueueViewModel(
            self.ledger, self.clock, self.current_role, language=language
        )
        self.signature_vm = SignatureViewModel(
            self.ledger, self.clock, self.current_role, language=language
        )
        self.instruction_vm = InstructionViewModel(
            self.ledger,
            self.clock,
            self.signature_vm,
            image_path=self.image_path,
            language=language,
        )
        self.deviations_vm = DeviationViewModel(
            self.ledger, self.clock, self.signature_vm, language=language
        )
        self.nav_vm = NavigationViewModel(
            self.prompt_vm,
            self.stops_vm,
            self.sign_in_vm,
            self.sync_vm,
            self.current_role,
            orders=self.orders_vm,
            instruction=self.instruction_vm,
            deviations=self.deviations_vm,
            signature=self.signature_vm,
            dpi=c.display.dpi,
        )
        self.sound = AlertSound.from_config(c)
        self.nav_vm.attention_requested.connect(self.sound.play)  # not a QObject: no slot needed
        self.engine, self.window = load_station_view(
            {
                "station": self.station_vm,
                "prompt": self.prompt_vm,
                "stops": self.stops_vm,
                "signin": self.sign_in_vm,
                "sync": self.sync_vm,
                "nav": self.nav_vm,
                "orders": self.orders_vm,
                "instruction": self.instruction_vm,
                "deviations": self.deviations_vm,
                "signature": self.signature_vm,
            },
            show=show,
        )
        vms = self.screen_viewmodels()
        self.language.attach(self.engine, vms, self.ledger)
        await self.station.watch()

    def screen_viewmodels(self) -> tuple[ViewModel, ...]:
        """The viewmodels of the screens that speak the operator's language (not navigation)."""
        vms = (
            self.station_vm,
            self.prompt_vm,
            self.stops_vm,
            self.sign_in_vm,
            self.sync_vm,
            self.orders_vm,
            self.instruction_vm,
            self.deviations_vm,
            self.signature_vm,
        )
        return tuple(vm for vm in vms if vm is not None)

    def image_path(self, address: str) -> Path | None:
        """The local file of a work instruction's image, None while it is not downloaded."""
        return self.station.assets.path(address)

    def current_role(self) -> Role | None:
        """The role of whoever is signed in (None: nobody, or someone not in the people list)."""
        session = self.ledger.session
        if session.person_id is None:
            return None
        person = self.ledger.people.by_id(session.person_id)
        if person is not None:
            return person.role
        try:
            return Role(session.role)
        except ValueError:
            return None

    async def stop(self) -> None:
        """Stop watching, finish every commit, close the record, then the screen."""
        await self.station.stop_watching()
        if self.sound is not None:
            await self.sound.close()
        for vm in self.screen_viewmodels():
            await vm.wait_idle()
        await self.station.close()
        # The screen goes before the viewmodels it binds to, synchronously: a deferred delete
        # would let QML evaluate bindings against viewmodels that are already gone.
        if self.window is not None:
            self.window.close()
            self.window = None
        if self.engine is not None:
            engine, self.engine = self.engine, None
            shiboken6.delete(engine)
        if self.language is not None:
            self.language.close()
        self.station_vm = self.prompt_vm = self.stops_vm = self.sign_in_vm = self.sync_vm = None
        self.orders_vm = self.instruction_vm = self.deviations_vm = self.signature_vm = None
        self.nav_vm = None


def load_station_view(
    viewmodels: dict[str, ViewModel], show: bool = True
) -> tuple[QQmlApplicationEngine, QQuickWindow]:
    """Load the station screen with its viewmodels handed in as required properties."""
    engine = QQmlApplicationEngine()
    engine.setInitialProperties(dict(viewmodels))
    engine.load(QUrl.fromLocalFile(str(VIEWS / "StationView.qml")))
    roots = engine.rootObjects()
    if not roots or not isinstance(roots[0], QQuickWindow):
        raise QmlLoadError(f"the station screen {VIEWS / 'StationView.qml'} did not load")
    window = roots[0]
    window.setVisible(show)
    return engine, window


SWITCH_INTERVAL_S = 0.0005
"""How long a thread holds the GIL while another waits for it (Python's default is 5 ms)."""


def tune_interpreter() -> None:
    """Hand the GIL between threads every 0.5 ms instead of every 5 ms.

    The record's thread releases the GIL at every SQLite call and must win it back from the
    loop thread, which is busy with the sync while a backlog drains: at 5 ms per hand-back an
    operator's commit took up to 130 ms (benchmarks/command_latency.py), at 0.5 ms 7 ms.
    """
    sys.setswitchinterval(SWITCH_INTERVAL_S)


def log_first_frame(window: QQuickWindow) -> None:
    """Log once when the window's first frame is on screen (kiosk checks and tests wait for it)."""
    seen = False

    def first_frame() -> None:
        nonlocal seen
        if not seen:  # frameSwapped may come from the render thread: a flag, no disconnect
            seen = True
            log.info("first frame shown on %s", QGuiApplication.platformName())

    window.frameSwapped.connect(first_frame)


def run(
    config: StationConfig,
    qt_args: list[str],
    fullscreen: bool = False,
    stop_requested: threading.Event | None = None,
) -> int:
    """Run the terminal until the window closes or the process is asked to stop.

    Full-screen with `fullscreen` or `[display] fullscreen` (a kiosk); logs its first frame.
    `stop_requested` is set by the signal handlers the caller installed before the imports
    (a SIGTERM during the first second): then the terminal stops as soon as it can, in order.
    """
    tune_interpreter()
    app = QGuiApplication([sys.argv[0], *qt_args])
    app.setQuitOnLastWindowClosed(False)  # closing the window ends `main()` in order instead
    hmi = Hmi(config)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        done = asyncio.Event()
        # Let Python see SIGTERM/SIGINT while Qt's loop runs, and shut down in order.
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: loop.call_soon_threadsafe(done.set))
        if stop_requested is not None and stop_requested.is_set():
            return  # asked to stop before anything was opened
        wake = QTimer()
        wake.timeout.connect(lambda: None)
        wake.start(200)
        await hmi.start()
        assert hmi.window is not None
        if fullscreen or config.display.fullscreen:
            hmi.window.showFullScreen()
        log_first_frame(hmi.window)
        # What start-up built lives as long as the terminal: keep it out of the cyclic GC,
        # whose full passes over it otherwise stall the screen for 50-90 ms (benchmarks/drain.py).
        gc.freeze()
        app.lastWindowClosed.connect(done.set)
        await done.wait()
        wake.stop()
        await hmi.stop()

    import qasync

    qasync.run(main())
    return 0
