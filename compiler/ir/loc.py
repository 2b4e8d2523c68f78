"""Where an IR object came from: a node inside one top-level statement of a source file.

The front end that made the node knows how to turn it into a line and column; the IR only
carries it, so that a problem found late (in lowering or in Argo's rules) is reported at the
Python source. Positions are resolved lazily: most runs need none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


class PositionSource(Protocol):
    """A parsed file that can say where a node of one of its top-level statements is."""

    @property
    def path(self) -> str: ...

    def position(self, stmt: int, node: Any) -> tuple[int, int, int, int]: ...


@dataclass(frozen=True, slots=True)
class Loc:
    #: The parsed file (a front end's source object).
    source: PositionSource = field(compare=False, hash=False, repr=False)
    #: Index of the top-level statement the node belongs to.
    stmt: int
    #: The front end's syntax node.
    node: Any = field(compare=False, hash=False, repr=False)

    @property
    def path(self) -> str:
        return self.source.path

    def position(self) -> tuple[int, int, int, int]:
        """(line, col, end_line, end_col), 1-based."""
        return self.source.position(self.stmt, self.node)
