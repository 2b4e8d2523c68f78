"""Reading and parsing a DSL file with CPython's ``ast``, and positions in characters.

CPython's parser parses and runs nothing, ten times faster than libcst, and its tree is a
third of the memory. Its nodes carry 1-based lines and 0-based columns in UTF-8 *bytes*; a
diagnostic's column is in characters (code points), 1-based, so columns are converted when a
position is asked for (lazily: most runs need the position of no node at all).

Some places a diagnostic points at are not ``ast`` nodes of their own: a keyword's name, an
attribute's name, a function's name, a decorator with its ``@``, ``*args``. :class:`Span`
stands for such a region, in the same coordinates as ``ast`` nodes.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from tiphys.compiler.bounded_read import DEFAULT_MAX_INPUT_SIZE, read_bounded
from tiphys.compiler.diagnostics import Diagnostics

#: Line ends as CPython's tokenizer reads them (a lone carriage return ends a line too).
_LINE_END = re.compile(r"\r\n|\r|\n")
_DEF = re.compile(r"(?:async[ \t\f]+)?(?:def|class)[ \t\f]+")


class Span:
    """A region of the source that is not an ``ast`` node of its own, in ``ast``
    coordinates (1-based lines, 0-based UTF-8 byte columns, end exclusive)."""

    __slots__ = ("col_offset", "end_col_offset", "end_lineno", "lineno")

    def __init__(self, lineno: int, col_offset: int, end_lineno: int, end_col_offset: int):
        self.lineno = lineno
        self.col_offset = col_offset
        self.end_lineno = end_lineno
        self.end_col_offset = end_col_offset


class Unpacked:
    """``*value`` or ``**value`` where ``ast`` keeps only the value (a dict display's
    ``**other``): positioned from the marker."""

    __slots__ = ("marker", "value")

    def __init__(self, value: ast.expr, marker: str) -> None:
        self.value = value
        self.marker = marker


class NameOf:
    """The name of a ``def`` or ``class`` statement, found only if a position is asked for
    (most never are: this is where a task's diagnostics would point)."""

    __slots__ = ("node",)

    def __init__(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        self.node = node


def name_span(line: int, col: int, name: str) -> Span:
    """The identifier *name* starting at byte column *col* of *line*."""
    return Span(line, col, line, col + len(name.encode("utf-8")))


@dataclass(eq=False)
class SourceFile:
    #: Path as given by the user.
    path: str
    text: str
    tree: ast.Module
    _lines: list[str] | None = field(default=None, repr=False)

    @property
    def body(self) -> list[ast.stmt]:
        return self.tree.body

    @property
    def lines(self) -> list[str]:
        """Physical lines, without their ends; index 0 is line 1."""
        if self._lines is None:
            self._lines = _LINE_END.split(self.text)
        return self._lines

    def _char_col(self, line: int, col: int) -> int:
        """Byte column *col* of *line* → character column (both 0-based)."""
        lines = self.lines
        if not 0 < line <= len(lines):
            return col
        text = lines[line - 1]
        if text.isascii():
            return col
        return len(text.encode("utf-8")[:col].decode("utf-8", "replace"))

    def _byte_col(self, line: int, col: int) -> int:
        """Character column *col* of *line* → byte column (both 0-based)."""
        lines = self.lines
        if not 0 < line <= len(lines):
            return col
        text = lines[line - 1]
        return col if text.isascii() else len(text[:col].encode("utf-8"))

    def position(self, stmt: int, node: Any) -> tuple[int, int, int, int]:
        """(line, col, end_line, end_col), 1-based, in characters, of *node* (an ``ast``
        node or a :class:`Span`; *stmt*, the top-level statement, is where a node without a
        position of its own is placed)."""
        if isinstance(node, Unpacked):
            node = self.before(node.value, node.marker)
        elif isinstance(node, NameOf):
            node = self.def_name(node.node)
        line = getattr(node, "lineno", None)
        if line is None:
            first = self.body[stmt] if 0 <= stmt < len(self.body) else None
            line = _first_line(first) if first is not None else 1
            return (line, 1, line, 1)
        col = node.col_offset
        end_line = node.end_lineno if node.end_lineno is not None else line
        end_col = node.end_col_offset if node.end_col_offset is not None else col
        if isinstance(node, (ast.Tuple, ast.GeneratorExp)):
            line, col, end_line, end_col = self._without_parens(line, col, end_line, end_col)
        return (line, self._char_col(line, col) + 1, end_line,
                self._char_col(end_line, end_col) + 1)

    def _without_parens(self, line: int, col: int, end_line: int,
                        end_col: int) -> tuple[int, int, int, int]:
        """A tuple's own parentheses are part of its ``ast`` position, not of its
        position as diagnostics give it (the elements, as libcst and editors see it)."""
        segment = self.segment(Span(line, col, end_line, end_col))
        if not (segment.startswith("(") and segment.endswith(")")):
            return line, col, end_line, end_col
        depth = 0
        for i, ch in enumerate(_code_only(segment)):
            depth += ch in "([{"
            depth -= ch in ")]}"
            if depth == 0 and i < len(segment) - 1:
                return line, col, end_line, end_col  # "(a), (b)": not one pair
        return line, col + 1, end_line, end_col - 1

    def segment(self, node: Any) -> str:
        """The source text of *node*, exactly as written."""
        lines = self.lines
        first: int = node.lineno
        last: int = node.end_lineno
        if first == last:
            raw = lines[first - 1].encode("utf-8")
            return str(raw[node.col_offset:node.end_col_offset].decode("utf-8", "replace"))
        parts = [lines[first - 1].encode("utf-8")[node.col_offset:].decode("utf-8", "replace")]
        parts.extend(lines[first:last - 1])
        parts.append(lines[last - 1].encode("utf-8")[:node.end_col_offset]
                     .decode("utf-8", "replace"))
        return "\n".join(parts)

    def function_text(self, fn: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
        """The text of *fn* from its ``def`` to its end, exactly as written, without
        decorators. Whole lines: after the body's last statement only a comment can follow
        on its line, and it belongs to the function as written. A nested function loses the
        indentation of its ``def`` (:mod:`.dedent`)."""
        end = fn.end_lineno if fn.end_lineno is not None else fn.lineno
        lines = self.lines[fn.lineno - 1: end]
        if fn.col_offset:
            from tiphys.compiler.frontend.dedent import dedent_lines, footer_end

            indent = lines[0].encode("utf-8")[:fn.col_offset].decode("utf-8")
            if not indent.strip(" \t\f"):
                end = footer_end(self.lines, fn, end)
                return "\n".join(dedent_lines(self.lines[fn.lineno - 1: end], indent)) + "\n"
        lines[0] = lines[0].encode("utf-8")[fn.col_offset:].decode("utf-8")
        return "\n".join(lines) + "\n"

    def def_name(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> Span:
        """Where the name of a ``def`` or ``class`` statement is written."""
        line = self.lines[node.lineno - 1]
        col = self._char_col(node.lineno, node.col_offset)
        match = _DEF.match(line, col)
        start = match.end() if match else col
        return name_span(node.lineno, self._byte_col(node.lineno, start), node.name)

    def decorator(self, expr: ast.expr) -> Span:
        """A decorator from its ``@`` (which ``ast`` leaves out) to its end."""
        line = self.lines[expr.lineno - 1]
        at = line.rfind("@", 0, self._char_col(expr.lineno, expr.col_offset))
        col = self._byte_col(expr.lineno, at) if at >= 0 else expr.col_offset
        return Span(expr.lineno, col, expr.end_lineno or expr.lineno,
                    expr.end_col_offset if expr.end_col_offset is not None else col)

    def before(self, node: Any, marker: str) -> Span:
        """*node* extended back to *marker* (``*`` or ``**``) written before it."""
        line = self.lines[node.lineno - 1]
        at = line.rfind(marker, 0, self._char_col(node.lineno, node.col_offset))
        col = self._byte_col(node.lineno, at) if at >= 0 else node.col_offset
        return Span(node.lineno, col, node.end_lineno, node.end_col_offset)


def _code_only(text: str) -> str:
    """*text* with string literals and comments blanked, for counting brackets."""
    import io
    import tokenize

    chars = list(text)
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type in (tokenize.STRING, tokenize.COMMENT):
                a = starts[tok.start[0] - 1] + tok.start[1]
                b = starts[tok.end[0] - 1] + tok.end[1]
                chars[a:b] = " " * (b - a)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return "".join(chars)


def _first_line(node: ast.stmt) -> int:
    decorators: list[ast.expr] = getattr(node, "decorator_list", [])
    if decorators:
        return min(d.lineno for d in decorators)
    return node.lineno


def _line_ends(text: str) -> int:
    """Line ends as Python counts them: \n, \r\n and a lone \r."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def parse(path: str, text: str, diags: Diagnostics) -> SourceFile | None:
    """Parse *text*; on a syntax error add TPH003 (CPython's message and position) and
    return None. Nesting deeper than CPython's parser allows is its own syntax error ("too
    many nested parentheses"); a tree too deep for the interpreter's stack is reported the
    same way rather than crashing."""
    try:
        tree = ast.parse(text, filename=path)
    except (SyntaxError, ValueError) as err:
        if "\0" in text and "null bytes" in str(err):  # reported without a position
            before = text[: text.index("\0")]
            diags.error("TPH003", "syntax error: source code cannot contain null bytes", path,
                        _line_ends(before) + 1,
                        len(before) - max(before.rfind("\n"), before.rfind("\r")))
        elif isinstance(err, SyntaxError):
            diags.error("TPH003", f"syntax error: {err.msg}", path, err.lineno or 1,
                        err.offset or 1)
        else:
            diags.error("TPH003", f"syntax error: {err}", path, 1, 1)
        return None
    except (RecursionError, MemoryError):
        diags.error("TPH003", "syntax error: the file nests expressions too deeply for "
                    "Python's parser", path, 1, 1)
        return None
    return SourceFile(path, text, tree)


def read_source(path: str, diags: Diagnostics, text: str | None = None,
                max_size: int = DEFAULT_MAX_INPUT_SIZE) -> SourceFile | None:
    """Read and parse *path* (a regular file of at most *max_size* bytes); on failure add a
    diagnostic and return None."""
    if text is None:
        try:
            raw = read_bounded(path, max_size)
        except OSError as exc:
            diags.error("TPH001", f"cannot read file: {exc.strerror}", path)
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            diags.error("TPH002", f"file is not valid UTF-8 (byte {exc.start})", path)
            return None
    return parse(path, text, diags)
