"""Reason trees: hierarchical, versioned stop reasons per equipment class."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from lineside.domain.machine_state import StopCategory
from lineside.domain.names import Labels, name_in

MAX_CHOICES_PER_LEVEL = 9
MICRO_STOP_CODE = "MICRO"


class ReasonNode(BaseModel):
    """One reason, or a group of reasons when it has children."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(min_length=1)
    label: str = Field(min_length=1)
    labels: Labels
    category: StopCategory | None = None
    children: tuple[ReasonNode, ...] = ()

    def name(self, language: str | None = None) -> str:
        """The reason's name in `language`, else its default `label`."""
        return name_in(self.label, self.labels, language)

    @property
    def is_leaf(self) -> bool:
        """A leaf is a reason a stop can be coded with."""
        return not self.children


class ReasonTree(BaseModel):
    """The reasons an equipment class offers; `version` goes into every coding event."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tree_id: str = Field(min_length=1)
    version: str = Field(min_length=1)
    equipment_class: str = Field(min_length=1)
    roots: tuple[ReasonNode, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes_unique(self) -> ReasonTree:
        seen: set[str] = set()
        for node, _ in self.walk():
            if node.code in seen:
                raise ValueError(f"reason code {node.code!r} appears twice in tree {self.tree_id}")
            seen.add(node.code)
        return self

    def walk(self) -> list[tuple[ReasonNode, tuple[str, ...]]]:
        """Every node with the codes of its ancestors, depth first."""
        out: list[tuple[ReasonNode, tuple[str, ...]]] = []

        def visit(nodes: tuple[ReasonNode, ...], parents: tuple[str, ...]) -> None:
            for node in nodes:
                out.append((node, parents))
                visit(node.children, (*parents, node.code))

        visit(self.roots, ())
        return out

    def path(self, code: str) -> tuple[ReasonNode, ...]:
        """The nodes from a root down to `code`; empty when the code is not in the tree."""
        nodes = {n.code: (n, parents) for n, parents in self.walk()}
        if code not in nodes:
            return ()
        node, parents = nodes[code]
        return (*(nodes[p][0] for p in parents), node)

    def label_path(self, code: str, language: str | None = None) -> str:
        """Human-readable path in `language`, e.g. 'Mechanical › Jam › Infeed'."""
        return " › ".join(n.name(language) for n in self.path(code))

    def choices(self, parent: str | None) -> tuple[ReasonNode, ...]:
        """The choices one level below `parent` (the roots when None)."""
        if parent is None:
            return self.roots
        found = self.path(parent)
        return found[-1].children if found else ()

    def warnings(self) -> list[str]:
        """Levels offering more than nine choices are hard to scan at the line."""
        levels: list[tuple[str, int]] = [("top level", len(self.roots))]
        levels += [(f"under {n.code!r}", len(n.children)) for n, _ in self.walk() if n.children]
        return [
            f"reason tree {self.tree_id} v{self.version}: {count} choices {where}; "
            f"at most {MAX_CHOICES_PER_LEVEL} fit one screen, group them"
            for where, count in levels
            if count > MAX_CHOICES_PER_LEVEL
        ]


class ReasonCatalog(BaseModel):
    """All reason trees of a plant; one per equipment class."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    trees: tuple[ReasonTree, ...]

    def for_class(self, equipment_class: str) -> ReasonTree | None:
        """The tree for an equipment class, if the plant has one."""
        return next((t for t in self.trees if t.equipment_class == equipment_class), None)
