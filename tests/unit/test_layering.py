"""Layering rules import-linter cannot express: viewmodels see only QtCore of Qt."""

from __future__ import annotations

import ast
from pathlib import Path

import lineside

PACKAGE = Path(lineside.__file__).parent


def qt_imports(folder: str) -> set[str]:
    """Every PySide6 module imported by the Python files of a package folder."""
    found: set[str] = set()
    for path in (PACKAGE / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            found |= {n for n in names if n.split(".")[0] == "PySide6"}
    return found


def test_viewmodels_import_only_qtcore() -> None:
    assert qt_imports("viewmodels") == {"PySide6.QtCore"}


def test_domain_devices_offline_and_simulator_are_qt_free() -> None:
    for folder in ("domain", "devices", "offline", "simulator"):
        assert qt_imports(folder) == set(), folder
