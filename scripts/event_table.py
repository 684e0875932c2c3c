"""Print the Markdown table of event types from the event registry; `--write` puts it into
docs/outbox.md between its marker comments, so the docs say what the code registers."""

from __future__ import annotations

import argparse
import ast
import enum
import inspect
import json
import sys
import textwrap
import types
from functools import cache
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from annotated_types import Ge
from pydantic import AwareDatetime
from pydantic.fields import FieldInfo

from lineside.domain.events import REGISTRY, EventSpec, Payload

ROOT = Path(__file__).resolve().parents[1]
OUTBOX_DOC = ROOT / "docs" / "outbox.md"
START = "<!-- event-table:start -->"
END = "<!-- event-table:end -->"
HEADER = (
    "| type | version | label | payload field | field type | meaning |",
    "|---|---|---|---|---|---|",
)


@cache
def _attribute_docs(model: type) -> dict[str, str]:
    """The string literal under each annotated attribute of one class (its field's doc)."""
    try:
        source = textwrap.dedent(inspect.getsource(model))
    except (OSError, TypeError):
        return {}
    body = ast.parse(source).body[0]
    assert isinstance(body, ast.ClassDef)
    docs: dict[str, str] = {}
    for node, after in zip(body.body, body.body[1:], strict=False):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[node.target.id] = inspect.cleandoc(after.value.value).splitlines()[0]
    return docs


def field_doc(model: type[Payload], name: str, info: FieldInfo) -> str:
    """A field's one-line doc: its description, else the docstring under it in the class."""
    if info.description:
        return info.description.strip().splitlines()[0]
    for cls in model.__mro__:
        if name in getattr(cls, "__annotations__", {}):
            return _attribute_docs(cls).get(name, "")
    return ""


def _type_text(annotation: Any) -> str:
    """A payload type in JSON words: string, integer, time, `a` | `b` for an enum."""
    if get_origin(annotation) in (Union, types.UnionType):
        parts = [a for a in get_args(annotation) if a is not type(None)]
        text = " or ".join(_type_text(a) for a in parts)
        return f"{text} or null" if len(parts) < len(get_args(annotation)) else text
    if get_origin(annotation) is tuple:
        return f"list of {_type_text(get_args(annotation)[0])}s"
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return " | ".join(f"`{member.value}`" for member in annotation)
    if annotation is AwareDatetime:
        return "time (ISO 8601, UTC)"
    words = {str: "string", int: "integer", float: "number", bool: "boolean"}
    if annotation in words:
        return words[annotation]
    return getattr(annotation, "__name__", str(annotation))


def field_type(info: FieldInfo) -> str:
    """A field's type with its bounds and, when it may be left out, its default."""
    text = _type_text(info.annotation)
    for bound in info.metadata:
        if isinstance(bound, Ge):
            text += f" ≥ {bound.ge}"
    if not info.is_required() and info.default is not None:
        default = info.default.value if isinstance(info.default, enum.Enum) else info.default
        if isinstance(default, tuple):
            default = list(default)
        text += f", default `{json.dumps(default)}`"
    return text


def _row(*cells: str) -> str:
    """One table row; a `|` inside a cell is escaped (also needed inside backticks)."""
    escaped = (cell.replace("|", r"\|") for cell in cells)
    return "|" + "|".join(f" {cell} " if cell else " " for cell in escaped) + "|"


def rows(spec: EventSpec) -> list[str]:
    """The rows of one event type: the type with its summary, then one row per payload field."""
    lines = [_row(f"`{spec.event_type}`", str(spec.version), spec.label, "", "", spec.summary)]
    for name, info in spec.payload.model_fields.items():
        doc = field_doc(spec.payload, name, info)
        lines.append(_row("", "", "", f"`{name}`", field_type(info), doc))
    return lines


def table() -> str:
    """The whole table, in registry order, ending with a newline."""
    lines = list(HEADER)
    for spec in REGISTRY.values():
        lines += rows(spec)
    return "\n".join(lines) + "\n"


def between_markers(text: str) -> str:
    """What a document holds between the event table's markers (ValueError without them)."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the document lacks {START} … {END}")
    return text[start + len(START) : end].strip("\n") + "\n"


def with_table(text: str) -> str:
    """The document with the generated table between its markers."""
    between_markers(text)  # both markers, in order
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{table()}{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    """Print the table, or with --write replace it in docs/outbox.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--write", action="store_true", help=f"replace the table in {OUTBOX_DOC.relative_to(ROOT)}"
    )
    args = parser.parse_args(argv)
    if not args.write:
        sys.stdout.write(table())
        return 0
    text = OUTBOX_DOC.read_text(encoding="utf-8")
    try:
        new = with_table(text)
    except ValueError as exc:
        print(f"{OUTBOX_DOC}: {exc}", file=sys.stderr)
        return 1
    if new != text:
        OUTBOX_DOC.write_text(new, encoding="utf-8")
        print(f"{OUTBOX_DOC.relative_to(ROOT)}: event table updated")
    else:
        print(f"{OUTBOX_DOC.relative_to(ROOT)}: event table already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
