"""The docs cannot drift from the code: the event table is the registry's, every registered
type has floor words on the screens, and every key of the demo config is documented."""

from __future__ import annotations

import importlib.util
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from lineside.domain.events import REGISTRY
from lineside.viewmodels.sync import event_text

ROOT = Path(__file__).resolve().parents[2]
DEMO_CONFIG = ROOT / "lineside" / "app" / "demo" / "station.toml"
CONFIG_DOC = ROOT / "docs" / "station-config.md"


def event_table_script() -> ModuleType:
    """scripts/event_table.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "event_table", ROOT / "scripts" / "event_table.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_outbox_doc_has_the_registry_event_table() -> None:
    script = event_table_script()
    documented = script.between_markers(script.OUTBOX_DOC.read_text(encoding="utf-8"))
    assert documented == script.table(), (
        "docs/outbox.md's event table differs from the event registry; "
        "run .venv/bin/python scripts/event_table.py --write"
    )


def test_the_event_table_names_every_type_and_field() -> None:
    table = event_table_script().table()
    for spec in REGISTRY.values():
        assert f"| `{spec.event_type}` | {spec.version} | {spec.label} |" in table
        for name in spec.payload.model_fields:
            assert f"| `{name}` |" in table


def test_written_table_replaces_only_what_is_between_the_markers() -> None:
    script = event_table_script()
    doc = f"before\n{script.START}\nold table\n{script.END}\nafter\n"
    written = script.with_table(doc)
    assert written.startswith(f"before\n{script.START}\n")
    assert written.endswith(f"{script.END}\nafter\n")
    assert script.between_markers(written) == script.table()
    with pytest.raises(ValueError, match="lacks"):
        script.with_table("no markers here\n")


@pytest.mark.parametrize("event_type", list(REGISTRY))
def test_every_event_type_has_floor_words(qapp: QApplication, event_type: str) -> None:
    # No translator is installed here, so the screen's words are the registry's English.
    assert qapp is not None
    words = event_text(event_type)
    assert words != event_type, f"{event_type} has no words in viewmodels.sync.event_text"
    assert words == REGISTRY[event_type].label


def config_keys(table: dict[str, Any], path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every table and key of a config, as paths; numeric keys (state → reason maps) are data."""
    for key, value in table.items():
        if key.isdigit():
            continue
        yield (*path, key)
        for row in value if isinstance(value, list) else [value]:
            if isinstance(row, dict):
                yield from config_keys(row, (*path, key))


def is_table(value: object) -> bool:
    """A table or an array of tables."""
    return isinstance(value, dict) or (
        isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)
    )


def section(doc: str, top: str) -> str:
    """The part of the config doc about one top-level table: `## [top]` to the next `## `."""
    match = re.search(rf"^## `\[{re.escape(top)}\]`.*?(?=^## |\Z)", doc, re.M | re.S)
    assert match is not None, f"docs/station-config.md has no section ## `[{top}]`"
    return match.group(0)


def code_words(text: str) -> set[str]:
    """The names written in `code` in a text (a span like `{ start, end, name }` gives three)."""
    spans = re.findall(r"`([^`\n]+)`", text)
    return {word for span in spans for word in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", span)}


def test_the_config_doc_names_every_key_of_the_demo_config() -> None:
    demo = tomllib.loads(DEMO_CONFIG.read_text(encoding="utf-8"))
    doc = CONFIG_DOC.read_text(encoding="utf-8")
    missing = []
    for path in sorted(set(config_keys(demo))):
        part = section(doc, path[0])
        if path[-1] not in code_words(part):
            missing.append(".".join(path))
        if len(path) == 2 and is_table(demo[path[0]][path[1]]):
            # A table under a top-level table: its heading, [a.b] or [[a.b]], is named too.
            name = ".".join(path)
            if f"[{name}]" not in part:
                missing.append(f"[{name}]")
    assert not missing, f"docs/station-config.md does not name {', '.join(missing)}"
