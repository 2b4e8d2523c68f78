"""Reading and parsing a DSL file with libcst, and mapping CST nodes back to positions.

Positions are resolved lazily, one top-level statement at a time: libcst's PositionProvider
over a whole 5,000-line module costs more than parsing it, and most runs need the position of
no node at all (only nodes with a diagnostic, or those Argo's rules complain about).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from tiphys.compiler.diagnostics import Diagnostics


@dataclass(eq=False)
class SourceFile:
    #: Path as given by the user.
    path: str
    text: str
    module: cst.Module
    _starts: list[int] | None = field(default=None, repr=False)
    _positions: dict[int, Mapping[cst.CSTNode, CodeRange]] = field(
        default_factory=dict, repr=False
    )

    def stmt_start_line(self, index: int) -> int:
        """1-based line where the text of top-level statement *index* begins."""
        if self._starts is None:
            header = self.module.with_changes(body=(), footer=(), has_trailing_newline=False).code
            line = 1 + header.count("\n")
            starts = []
            for stmt in self.module.body:
                starts.append(line)
                line += self.module.code_for_node(stmt).count("\n")
            self._starts = starts
        return self._starts[index]

    def position(self, stmt: int, node: cst.CSTNode) -> tuple[int, int, int, int]:
        """(line, col, end_line, end_col), 1-based, of *node* inside top-level *stmt*."""
        positions = self._positions.get(stmt)
        if positions is None:
            mini = self.module.with_changes(header=(), body=(self.module.body[stmt],), footer=())
            positions = MetadataWrapper(mini, unsafe_skip_copy=True).resolve(PositionProvider)
            self._positions[stmt] = positions
        rng = positions.get(node)
        base = self.stmt_start_line(stmt) - 1
        if rng is None:
            return (base + 1, 1, base + 1, 1)
        return (
            base + rng.start.line,
            rng.start.column + 1,
            base + rng.end.line,
            rng.end.column + 1,
        )


@dataclass(frozen=True, slots=True)
class Loc:
    """Where an IR object came from: a CST node inside a top-level statement of a file."""

    source: SourceFile = field(compare=False, hash=False, repr=False)
    stmt: int
    node: cst.CSTNode = field(compare=False, hash=False, repr=False)

    @property
    def path(self) -> str:
        return self.source.path

    def position(self) -> tuple[int, int, int, int]:
        return self.source.position(self.stmt, self.node)


def read_source(path: str, diags: Diagnostics, text: str | None = None) -> SourceFile | None:
    """Read and parse *path*; on failure add a diagnostic and return None."""
    if text is None:
        try:
            with open(path, "rb") as f:
                raw = f.read()
        except OSError as exc:
            diags.error("TPH001", f"cannot read file: {exc.strerror}", path)
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            diags.error("TPH002", f"file is not valid UTF-8 (byte {exc.start})", path)
            return None
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        line, col, message = exc.editor_line, exc.editor_column, "invalid syntax"
        # libcst's native parser reports poor positions; CPython's parser (parsing only,
        # nothing runs) pinpoints the error, so prefer its location and message.
        try:
            ast.parse(text, filename=path)
        except SyntaxError as err:
            line, col = err.lineno or line, err.offset or col
            message = err.msg
        diags.error("TPH003", f"syntax error: {message}", path, line, col)
        return None
    return SourceFile(path, text, module)
