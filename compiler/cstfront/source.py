"""Reading and parsing a DSL file with libcst, and mapping CST nodes back to positions.

Positions are resolved lazily, one top-level statement at a time: libcst's PositionProvider
over a whole 5,000-line module costs more than parsing it, and most runs need the position of
no node at all (only nodes with a diagnostic, or those Argo's rules complain about).

Where each top-level statement starts, and the exact text of a module-level function, come
from CPython's own parser (``ast``, which parses and runs nothing) when the two parsers agree
on the statement list: regenerating text from libcst nodes cost about 1 ms per function, more
than the rest of the analysis. Anything unusual (a lone ``\r``, syntax ``ast`` of this Python
does not know) falls back to libcst's code generation.
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
    #: ``ast`` statements aligned with ``module.body`` (first ast statement of each), or
    #: None when the two parsers disagree; computed on first use.
    _aligned: list[ast.stmt] | None = field(default=None, repr=False)
    _aligned_done: bool = field(default=False, repr=False)
    _lines: list[str] | None = field(default=None, repr=False)
    #: CPython's parse of the text (None when it fails), and its error; parsed on first use.
    _tree: ast.Module | None = field(default=None, repr=False)
    _tree_error: SyntaxError | ValueError | None = field(default=None, repr=False)
    _tree_done: bool = field(default=False, repr=False)

    def _ast_tree(self) -> ast.Module | None:
        if not self._tree_done:
            self._tree_done = True
            try:
                self._tree = ast.parse(self.text)
            except (SyntaxError, ValueError) as exc:
                self._tree_error = exc
        return self._tree

    def rejected_by_python(self) -> tuple[int, int, str] | None:
        """(line, col, message) when CPython cannot compile a file libcst parsed: a null
        byte, or a string or bytes literal it cannot decode (an unknown ``\\N{...}``, a
        truncated ``\\x`` escape, non-ASCII bytes). Such a file would not run, and its
        literals cannot be evaluated. Other parse failures are syntax of a newer Python than
        this one (libcst knows it), which the pod's Python may well accept."""
        self._ast_tree()
        exc = self._tree_error
        if exc is None:
            return None
        message = exc.msg if isinstance(exc, SyntaxError) else str(exc)
        if "null bytes" in message:
            before = self.text[: self.text.index("\0")]
            return (_line_ends(before) + 1,
                    len(before) - max(before.rfind("\n"), before.rfind("\r")),
                    "source code cannot contain null bytes")
        if isinstance(exc, SyntaxError) and (message.startswith("(unicode error)") or
                                             message.startswith("bytes can only contain")):
            return (exc.lineno or 1, exc.offset or 1, message)
        return None

    def _ast_statements(self) -> list[ast.stmt] | None:
        if not self._aligned_done:
            self._aligned_done = True
            tree = self._ast_tree()
            self._aligned = None if tree is None else _align(self.text, tree, self.module)
        return self._aligned

    def stmt_start_line(self, index: int) -> int:
        """1-based line where the text of top-level statement *index* begins (its leading
        blank and comment lines included)."""
        if self._starts is None:
            aligned = self._ast_statements()
            if aligned is not None:
                self._starts = [
                    _first_line(node) - _leading_count(stmt)
                    for node, stmt in zip(aligned, self.module.body, strict=True)
                ]
            else:
                line = 1 + len(self.module.header)  # one EmptyLine per header line
                starts = []
                for stmt in self.module.body:
                    starts.append(line)
                    line += _line_ends(self.module.code_for_node(stmt))
                self._starts = starts
        return self._starts[index]

    def function_text(self, index: int, fn: cst.FunctionDef) -> str:
        """The text of module-level function *fn* (top-level statement *index*) from its
        ``def`` to its end, exactly as written, without decorators."""
        aligned = self._ast_statements()
        node = aligned[index] if aligned is not None and self.module.body[index] is fn else None
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                node.end_lineno is not None and node.end_col_offset is not None:
            if self._lines is None:
                self._lines = self.text.split("\n")
            # Whole lines: after the body's last statement only a comment can follow on its
            # line, and it belongs to the function as written.
            lines = self._lines[node.lineno - 1: node.end_lineno]
            lines[0] = lines[0].encode("utf-8")[node.col_offset:].decode("utf-8")
            return "\n".join(lines) + "\n"
        bare = fn.with_changes(decorators=(), leading_lines=(), lines_after_decorators=())
        return self.module.code_for_node(bare)

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


def _line_ends(text: str) -> int:
    """Line ends as Python counts them: \n, \r\n and a lone \r."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _first_line(node: ast.stmt) -> int:
    decorators: list[ast.expr] = getattr(node, "decorator_list", [])
    if decorators:
        return min(d.lineno for d in decorators)
    return node.lineno


def _leading_count(stmt: cst.CSTNode) -> int:
    return len(getattr(stmt, "leading_lines", ()))


def _align(text: str, tree: ast.Module, module: cst.Module) -> list[ast.stmt] | None:
    """The first ``ast`` statement of each libcst top-level statement, or None."""
    if "\r" in text or "\x0c" in text:
        return None  # line numbering could differ from a split on "\n"
    out: list[ast.stmt] = []
    i = 0
    for stmt in module.body:
        count = len(stmt.body) if isinstance(stmt, cst.SimpleStatementLine) else 1
        if i + count > len(tree.body):
            return None
        out.append(tree.body[i])
        i += count
    return out if i == len(tree.body) else None


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
    # CPython's parser first (it runs nothing): it finds the top-level statements, so that
    # libcst parses them one at a time (see chunked_parse: a third of the peak memory), and
    # its tree serves the fast paths of SourceFile later.
    tree: ast.Module | None = None
    tree_error: SyntaxError | ValueError | None = None
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError) as exc:
        tree_error = exc
    from tiphys.compiler.cstfront.chunked_parse import IncrementalParser

    module = IncrementalParser().parse(text, tree) if tree is not None else None
    try:
        if module is None:
            module = cst.parse_module(text)
    except (cst.ParserSyntaxError, cst.CSTValidationError) as exc:
        # A validation error is syntax libcst's parser accepts and its tree refuses, such as
        # b"x" "y" (bytes and str concatenated): no position of its own.
        line = getattr(exc, "editor_line", 1)
        col = getattr(exc, "editor_column", 1)
        message = "invalid syntax"
        # libcst's native parser reports poor positions; CPython's parser (parsing only,
        # nothing runs) pinpoints the error, so prefer its location and message.
        try:
            ast.parse(text, filename=path)
        except SyntaxError as err:
            line, col = err.lineno or line, err.offset or col
            message = err.msg
        diags.error("TPH003", f"syntax error: {message}", path, line, col)
        return None
    source = SourceFile(path, text, module)
    source._tree, source._tree_error, source._tree_done = tree, tree_error, True
    return None if report_rejected(source, diags) else source


def report_rejected(source: SourceFile, diags: Diagnostics) -> bool:
    """TPH003 when CPython cannot compile what libcst parsed (see
    :meth:`SourceFile.rejected_by_python`); True when reported."""
    problem = source.rejected_by_python()
    if problem is None:
        return False
    line, col, message = problem
    diags.error("TPH003", f"syntax error: {message}", source.path, line, col)
    return True
