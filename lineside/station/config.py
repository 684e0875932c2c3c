"""Station config (TOML) and plant reason trees (JSON): loaded, validated, explained when wrong."""

from __future__ import annotations

import json
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
)

from lineside.devices.opcua import parse_node_ref
from lineside.domain.context import Fallback
from lineside.domain.machine_state import SIGNAL_NAMES, StateRules, StateSource
from lineside.domain.master_data import Shift, ShiftRecord
from lineside.domain.people import People
from lineside.domain.reasons import ReasonCatalog, ReasonTree
from lineside.station.ledger import EquipmentSetup


class ConfigError(Exception):
    """A config problem, worded for the person who edits the file: file, key, what to do."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StationSection(_Section):
    """[station]: who this terminal is."""

    id: str = Field(min_length=1)
    line: str = Field(min_length=1)
    name: str = Field(min_length=1)
    timezone: str = "UTC"
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}(_[A-Z]{2})?$")
    data_dir: str = "data"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"{value!r} is not a time zone name; use one like 'Europe/Berlin' or 'UTC'"
            ) from None
        return value


class PlannedSection(_Section):
    """[equipment.planned]: what makes a stop planned, each with its planned reason code."""

    states: dict[int, str] = Field(default_factory=dict)
    unit_modes: dict[int, str] = Field(default_factory=dict)
    signal: str | None = None
    break_reason: str | None = Field(default=None, alias="break")
    changeover: str | None = None
    """The reason of a stop during a product changeover (an order with another product)."""


class EquipmentSection(_Section):
    """[equipment]: the machine this station watches and how to read its state."""

    id: str = Field(min_length=1)
    equipment_class: str = Field(min_length=1, alias="class")
    state_source: StateSource = StateSource.PACKML
    micro_stop_threshold_s: float = Field(default=120, ge=0)
    micro_stop_reason: str | None = None
    plc_reasons: dict[int, str] = Field(default_factory=dict)
    planned: PlannedSection = Field(default_factory=PlannedSection)
    counter_bits: Literal[16, 32] = 32
    count_interval_s: float = Field(default=60, ge=1, le=3600)


def _node_id(text: str) -> str:
    parse_node_ref(text)  # a malformed NodeId is a config error naming its key
    return text


NodeText = Annotated[str, AfterValidator(_node_id)]


class OpcUaSection(_Section):
    """[opcua]: where the machine is and which node means what."""

    endpoint: str = Field(pattern=r"^opc\.tcp://")
    publishing_interval_ms: int = Field(default=100, ge=10, le=10_000)
    reconnect_interval_s: float = Field(default=1.0, gt=0, le=60)
    nodes: dict[str, NodeText]

    @field_validator("nodes")
    @classmethod
    def _known_signals(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(SIGNAL_NAMES))
        if unknown:
            raise ValueError(
                f"unknown signal {unknown[0]!r}; signals are {', '.join(SIGNAL_NAMES)}"
            )
        return value


class ContextSection(_Section):
    """[context]: the current order, until orders come from the server."""

    order: str | None = None
    operation: str | None = None
    product: str | None = None
    shift: str | None = None


class ShiftSection(_Section):
    """[shift]: which calendar of the plant data is this station's, and one to use until the
    server's arrives (or for a station without a server)."""

    calendar: str | None = None
    shifts: list[Shift] = Field(default_factory=list)


class ReasonsSection(_Section):
    """[reasons]: the plant's reason trees file (JSON)."""

    file: str


class PeopleSection(_Section):
    """[people]: who may sign in, with their badges (JSON)."""

    file: str


class ServerSection(_Section):
    """[server]: the central server this station syncs with (no section: the station keeps
    everything in its outbox until one is configured)."""

    url: str = Field(pattern=r"^https?://[^/]+")
    token_file: str = Field(min_length=1)
    ca_file: str | None = None
    batch_size: int = Field(default=500, ge=1, le=1000)
    outbox_cap: int = Field(default=500_000, ge=100)
    master_data_interval_s: float = Field(default=300, ge=5)
    request_timeout_s: float = Field(default=10, gt=0, le=300)
    export_dir: str = "exports"


class DisplaySection(_Section):
    """[display]: how the terminal takes the screen."""

    fullscreen: bool = False
    dpi: float | None = Field(default=None, gt=40, lt=1000)
    """The screen's physical DPI when it reports a wrong one (touch targets are sized in mm)."""
    sound: bool = True
    """Play a sound when a stop prompt opens."""
    sound_file: Path | None = None
    """The WAV to play (relative to the config file); None: the chime Lineside ships."""
    sound_command: list[Annotated[str, Field(min_length=1)]] | None = Field(
        default=None, min_length=1
    )
    """The player and its options, the file appended; None: the first of pw-play, paplay, aplay."""


class StationConfig(_Section):
    """A whole station config file."""

    station: StationSection
    equipment: EquipmentSection
    opcua: OpcUaSection
    reasons: ReasonsSection
    people: PeopleSection | None = None
    context: ContextSection = ContextSection()
    shift: ShiftSection = ShiftSection()
    server: ServerSection | None = None
    display: DisplaySection = DisplaySection()

    _path: Path = PrivateAttr(default=Path())
    _reason_tree: ReasonTree | None = PrivateAttr(default=None)
    _people: People = PrivateAttr(default_factory=People)
    _token: str = PrivateAttr(default="")

    @property
    def path(self) -> Path:
        """The file this config was read from."""
        return self._path

    @property
    def people_list(self) -> People:
        """Who may sign in at this station."""
        return self._people

    @property
    def reason_tree(self) -> ReasonTree | None:
        """The reason tree of this station's equipment class."""
        return self._reason_tree

    @property
    def token(self) -> str:
        """The station's token for the server (read from [server] token_file)."""
        return self._token

    def relative(self, name: str) -> Path:
        """A path from the config, relative to the config file's folder."""
        return (self.path.parent / name).resolve()

    @property
    def ca_path(self) -> Path | None:
        """The CA bundle that signs the server's certificate, if configured."""
        ca = self.server.ca_file if self.server else None
        return self.relative(ca) if ca else None

    @property
    def export_dir(self) -> Path:
        """Where quarantine exports are written."""
        return self.relative(self.server.export_dir if self.server else "exports")

    @property
    def sound_path(self) -> Path | None:
        """The configured [display] sound_file; None: the shipped chime."""
        name = self.display.sound_file
        return self.relative(str(name)) if name is not None else None

    @property
    def tz(self) -> ZoneInfo:
        """The plant's time zone."""
        return ZoneInfo(self.station.timezone)

    @property
    def data_dir(self) -> Path:
        """Where the station record lives (relative paths are relative to the config file)."""
        return (self.path.parent / self.station.data_dir).resolve()

    def equipment_setup(self) -> EquipmentSetup:
        """What the ledger needs about the machine."""
        e = self.equipment
        return EquipmentSetup(
            equipment_id=e.id,
            equipment_class=e.equipment_class,
            rules=StateRules(
                source=e.state_source,
                planned_unit_modes=frozenset(e.planned.unit_modes),
                planned_states=frozenset(e.planned.states),
            ),
            micro_stop_threshold=timedelta(seconds=e.micro_stop_threshold_s),
            micro_stop_reason=e.micro_stop_reason,
            plc_reasons=dict(e.plc_reasons),
            planned_state_reasons=dict(e.planned.states),
            planned_mode_reasons=dict(e.planned.unit_modes),
            planned_signal_reason=e.planned.signal,
            break_reason=e.planned.break_reason,
            changeover_reason=e.planned.changeover,
            counter_bits=e.counter_bits,
        )

    @property
    def count_interval(self) -> timedelta:
        """How often production counts are recorded (besides stop start and end)."""
        return timedelta(seconds=self.equipment.count_interval_s)

    @property
    def fallback(self) -> Fallback:
        """The [context] used until an order runs."""
        c = self.context
        return Fallback(c.order, c.operation, c.product, c.shift)

    @property
    def local_calendar(self) -> ShiftRecord | None:
        """The [shift] calendar of the config, if it has shifts."""
        if not self.shift.shifts:
            return None
        return ShiftRecord(
            calendar_id=self.shift.calendar or "station", shifts=tuple(self.shift.shifts)
        )

    def state_signal_mapped(self) -> str:
        """The signal that carries the state for the chosen state source."""
        return self.equipment_setup().rules.state_signal


def _where(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(top level)"


def _explain(path: Path, exc: ValidationError, what: str = "station config") -> ConfigError:
    lines = []
    for err in exc.errors():
        key = _where(err["loc"])
        if err["type"] == "missing":
            lines.append(f"{path}: key {key} is missing; add it (see docs/station-config.md)")
        elif err["type"] == "extra_forbidden":
            lines.append(f"{path}: key {key} is not a key of a {what}; remove or fix it")
        else:
            got = err.get("input")
            lines.append(f"{path}: key {key}: {err['msg']} (found {got!r})")
    return ConfigError("\n".join(lines))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file; pass the station config with --config") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def _read_json(path: Path, section: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: no such file; set [{section}] file in the station config"
        ) from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: not valid JSON: {exc}") from None


def load_people(path: Path) -> People:
    """The people who may sign in, from a people file."""
    try:
        return People.model_validate(_read_json(path, "people"))
    except ValidationError as exc:
        raise _explain(path, exc, "people file") from None


def load_reason_tree(path: Path, equipment_class: str) -> ReasonTree:
    """The reason tree of an equipment class from a plant reasons file."""
    data = _read_json(path, "reasons")
    try:
        catalog = ReasonCatalog.model_validate(data)
    except ValidationError as exc:
        raise _explain(path, exc, "reason trees file") from None
    tree = catalog.for_class(equipment_class)
    if tree is None:
        classes = ", ".join(t.equipment_class for t in catalog.trees)
        raise ConfigError(
            f"{path}: no reason tree for equipment class {equipment_class!r} "
            f"(the file has {classes}); add one or fix [equipment] class"
        )
    return tree


def load_station_config(path: Path) -> StationConfig:
    """Read and check a station config; every problem names the file and the key."""
    path = path.resolve()
    raw = _read_toml(path)
    try:
        config = StationConfig.model_validate(raw)
    except ValidationError as exc:
        raise _explain(path, exc) from None
    config._path = path
    state_signal = config.state_signal_mapped()
    if state_signal not in config.opcua.nodes:
        raise ConfigError(
            f"{path}: key opcua.nodes.{state_signal} is missing; state_source "
            f"{config.equipment.state_source.value!r} reads the machine state from it"
        )
    tree = load_reason_tree(path.parent / config.reasons.file, config.equipment.equipment_class)
    for key, code in _reason_keys(config.equipment):
        if not tree.path(code) or not tree.path(code)[-1].is_leaf:
            raise ConfigError(
                f"{path}: key equipment.{key}: reason {code!r} is not a reason of "
                f"reason tree {tree.tree_id} v{tree.version}; use a code from that tree"
            )
    config._reason_tree = tree
    if config.people is not None:
        config._people = load_people(path.parent / config.people.file)
    if config.server is not None:
        config._token = _read_token(path, config.relative(config.server.token_file))
        ca = config.ca_path
        if ca is not None and not ca.is_file():
            raise ConfigError(
                f"{path}: key server.ca_file: {ca} does not exist; put the CA certificate "
                "that signed the server's certificate there"
            )
    sound = config.sound_path
    if sound is not None and not sound.is_file():
        raise ConfigError(
            f"{path}: key display.sound_file: {sound} does not exist; put the WAV file there, "
            "or remove the key for the chime Lineside ships"
        )
    return config


def _reason_keys(e: EquipmentSection) -> list[tuple[str, str]]:
    """Every reason code the equipment section names, with its key."""
    keys = [(f"plc_reasons.{n}", code) for n, code in e.plc_reasons.items()]
    keys += [(f"planned.states.{n}", code) for n, code in e.planned.states.items()]
    keys += [(f"planned.unit_modes.{n}", code) for n, code in e.planned.unit_modes.items()]
    if e.planned.signal:
        keys.append(("planned.signal", e.planned.signal))
    if e.planned.break_reason:
        keys.append(("planned.break", e.planned.break_reason))
    if e.planned.changeover:
        keys.append(("planned.changeover", e.planned.changeover))
    if e.micro_stop_reason:
        keys.append(("micro_stop_reason", e.micro_stop_reason))
    return keys


def _read_token(path: Path, token_file: Path) -> str:
    try:
        token = token_file.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(
            f"{path}: key server.token_file: cannot read {token_file} ({exc.strerror}); "
            "ask IT for this station's token (lineside server token STATION)"
        ) from None
    if not token or any(c.isspace() for c in token):
        raise ConfigError(
            f"{path}: key server.token_file: {token_file} does not hold a token "
            "(one line, no spaces); ask IT for this station's token"
        )
    return token
