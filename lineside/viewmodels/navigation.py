"""Which screen is shown and which dialogs are open over it, in one explicit order."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from lineside.domain.people import Role
from lineside.viewmodels.base import ViewModel, prop
from lineside.viewmodels.deviations import DeviationViewModel
from lineside.viewmodels.instruction import InstructionViewModel
from lineside.viewmodels.orders import OrderQueueViewModel
from lineside.viewmodels.reason_prompt import ReasonPromptViewModel
from lineside.viewmodels.sign_in import SignInViewModel
from lineside.viewmodels.signature import SignatureViewModel
from lineside.viewmodels.stop_list import StopListViewModel
from lineside.viewmodels.sync import SyncViewModel

DIALOGS = (
    "image",
    "prompt",
    "split",
    "complete",
    "abort",
    "containment",
    "signature",
    "details",
    "blocked",
    "signin",
)
"""Dialogs from the lowest to the highest. The stop prompt comes over any screen (the sync,
order and instruction screens too) and over an enlarged image; a split, a confirmation, a
containment choice or a signature the operator began stays over a new stop's prompt until it
is done; the "input refused" message covers what it blocks (the prompt, the split, the
signature; not the sync screen, where the team lead works on the cause); sign-in comes over
everything (a team lead signs in from anywhere)."""

SCREENS = ("home", "orders", "instruction", "deviations")
"""The screens an operator opens from the home screen (the sync screen opens over any)."""

MM_PER_INCH = 25.4


class NavigationViewModel(ViewModel):
    """The one place that decides what is on top; views bind their visibility and order here.

    The other viewmodels say what they want (a stop needs a reason, the operator opened the
    split dialog, input is blocked); this one turns that into `layers` by `DIALOGS` order, the
    `screen` under them, and the role-aware `home`. It asks for attention (flash, sound) when
    the prompt opens for a stop.
    """

    screen_changed = Signal()
    home_changed = Signal()
    layers_changed = Signal()
    top_changed = Signal()
    attention_changed = Signal()
    px_per_mm_changed = Signal()
    attention_requested = Signal()
    """A stop prompt opened for a stop: the app plays the configured sound."""

    screen = prop(str, "screen", screen_changed)
    home = prop(str, "home", home_changed)
    layers = prop("QVariantList", "layers", layers_changed)
    top = prop(str, "top", top_changed)
    attention = prop(int, "attention", attention_changed)
    """Counts the prompts that asked for attention; the view flashes when it changes."""
    px_per_mm = prop(float, "px_per_mm", px_per_mm_changed)
    """Pixels per millimetre from the configured DPI; 0 means: take the screen's own."""

    def __init__(
        self,
        prompt: ReasonPromptViewModel,
        stops: StopListViewModel,
        signin: SignInViewModel,
        sync: SyncViewModel,
        role: Callable[[], Role | None],
        *,
        orders: OrderQueueViewModel | None = None,
        instruction: InstructionViewModel | None = None,
        deviations: DeviationViewModel | None = None,
        signature: SignatureViewModel | None = None,
        dpi: float | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._prompt, self._stops, self._signin, self._sync = prompt, stops, signin, sync
        self._orders, self._instruction = orders, instruction
        self._deviations, self._signature = deviations, signature
        self._wanted = "home"
        self._role = role
        self._screen = "home"
        self._home = "operator"
        self._layers: list[str] = []
        self._top = ""
        self._attention = 0
        self._px_per_mm = dpi / MM_PER_INCH if dpi else 0.0
        self._asked_for = ""
        self._details = False
        for signal in (
            prompt.visible_changed,
            prompt.stop_id_changed,
            prompt.mode_changed,
            stops.split_visible_changed,
            signin.visible_changed,
            signin.signed_in_changed,
            sync.details_open_changed,
            sync.input_blocked_changed,
        ):
            signal.connect(self.update)
        if orders is not None:
            orders.confirm_visible_changed.connect(self.update)
            orders.abort_visible_changed.connect(self.update)
        if instruction is not None:
            instruction.image_open_changed.connect(self.update)
            instruction.containment_visible_changed.connect(self.update)
        if signature is not None:
            signature.visible_changed.connect(self.update)
        self.update()

    @Slot()
    def update(self) -> None:
        """Work out the screen, the home for the signed-in role and the dialogs' order."""
        self._set("screen", "sync" if self._sync.details_open else self._wanted)
        role = self._role()
        self._set("home", role.value if role is not None else Role.OPERATOR.value)
        orders, instruction, signature = self._orders, self._instruction, self._signature
        on_orders = self._screen == "orders"  # a screen's dialogs show with their screen
        on_instruction = self._screen == "instruction"
        wanted = {
            "image": on_instruction and instruction is not None and bool(instruction.image_open),
            "prompt": self._prompt.visible,
            "split": self._stops.split_visible,
            "complete": on_orders and orders is not None and bool(orders.confirm_visible),
            "abort": on_orders and orders is not None and bool(orders.abort_visible),
            "containment": on_instruction
            and instruction is not None
            and bool(instruction.containment_visible),
            "signature": signature is not None and bool(signature.visible),
            "details": self._details,
            "blocked": bool(self._sync.input_blocked) and not self._sync.details_open,
            "signin": self._signin.visible,
        }
        self._set("layers", [name for name in DIALOGS if wanted[name]])
        self._set("top", self._layers[-1] if self._layers else "")
        # A flash and the sound when the prompt opens by itself for a stop; not when the
        # operator opens it from the list to code an older one.
        asking = bool(self._prompt.visible) and str(self._prompt.mode) == "prompt"
        asked = str(self._prompt.stop_id) if asking else ""
        if asked and asked != self._asked_for:
            self._set("attention", self._attention + 1)
            self.attention_requested.emit()
        self._asked_for = asked

    @Slot(str)
    def open_screen(self, screen: str) -> None:
        """Show one of `SCREENS` (read afresh: plant data may have changed meanwhile)."""
        if screen not in SCREENS:
            return
        refresh = {
            "orders": self._orders.refresh if self._orders else None,
            "instruction": self._instruction.refresh if self._instruction else None,
            "deviations": self._deviations.refresh if self._deviations else None,
        }.get(screen)
        if refresh is not None:
            refresh()
        self._wanted = screen
        self.update()

    @Slot()
    def go_home(self) -> None:
        """Back to the home screen."""
        self.open_screen("home")

    @Slot()
    def open_header_details(self) -> None:
        """Show every header field in full (the header elides long values)."""
        self._details = True
        self.update()

    @Slot()
    def close_header_details(self) -> None:
        """Close the header details."""
        self._details = False
        self.update()
