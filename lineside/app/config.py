"""Station config (TOML) and plant reason trees (JSON): loaded, validated, explained when wrong."""

from __future__ import annotations

import json
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from lineside.domain.machine_state import SIGNAL_NAMES, StateRules, StateSource
from lineside.domain.people import People
from lineside.domain.reasons import ReasonCatalog, ReasonTree
from lineside.offline.recorder import EquipmentSetup


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


class EquipmentSection(_Section):
    """[equipment]: the machine this station watches and how to read its state."""

    id: str = Field(min_length=1)
    equipment_class: str = Field(min_length=1, alias="class")
    state_source: StateSource = StateSource.PACKML
    micro_stop_threshold_s: float = Field(default=120, ge=0)
    planned_unit_modes: list[int] = Field(default_factory=lambda: [2, 3])
    planned_states: list[int] = Field(default_factory=lambda: [17])
    plc_reasons: dict[int, str] = Field(default_factory=dict)


class OpcUaSection(_Section):
    """[opcua]: where the machine is and which node means what."""

    endpoint: str = Field(pattern=r"^opc\.tcp://")
    publishing_interval_ms: int = Field(default=100, ge=10, le=10_000)
    reconnect_interval_s: float = Field(default=1.0, gt=0, le=60)
    nodes: dict[str, str]

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


class StationConfig(_Section):
    """A whole station config file."""

    station: StationSection
    equipment: EquipmentSection
    opcua: OpcUaSection
    reasons: ReasonsSection
    people: PeopleSection | None = None
    context: ContextSection = ContextSection()
    server: ServerSection | None = None

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
    def tz(self) -> ZoneInfo:
        """The plant's time zone."""
        return ZoneInfo(self.station.timezone)

    @property
    def data_dir(self) -> Path:
        """Where the station record lives (relative paths are relative to the config file)."""
        return (self.path.parent / self.station.data_dir).resolve()

    def equipment_setup(self) -> EquipmentSetup:
        """What the recorder needs about the machine."""
        e = self.equipment
        return EquipmentSetup(
            equipment_id=e.id,
            equipment_class=e.equipment_class,
            rules=StateRules(
                source=e.state_source,
                planned_unit_modes=frozenset(e.planned_unit_modes),
                planned_states=frozenset(e.planned_states),
            ),
            micro_stop_threshold=timedelta(seconds=e.micro_stop_threshold_s),
            plc_reasons=dict(e.plc_reasons),
            reason_tree=self.reason_tree,
        )

    def state_signal_mapped(self) -> str:
        """The signal that carries the state for the chosen state source."""
        return {
            StateSource.PACKML: "state_current",
            StateSource.RUNNING_BIT: "running",
            StateSource.MACHINERY_ITEM_STATE: "machinery_item_state",
        }[self.equipment.state_source]


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
    for number, code in config.equipment.plc_reasons.items():
        if not tree.path(code):
            raise ConfigError(
                f"{path}: key equipment.plc_reasons.{number}: reason {code!r} is not in "
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
    return config


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
