"""The pieces of CPython's ``ast`` the recognizer reads, as the CloudHarness calls use them.

A call's arguments in the order they are written (``ast`` keeps positional and keyword
arguments apart), the places a diagnostic points at that are not nodes of their own (a
keyword's or a parameter's name), and an expression's text as written, with the parentheses
that belong to it.
"""

from __future__ import annotations

import ast
import keyword
import re
from dataclasses import dataclass

from tiphys.compiler.frontend.source import NameOf, SourceFile, Span, name_span

_WORD = re.compile(r"\w+$")


@dataclass(frozen=True, slots=True)
class Argument:
    """One argument of a call: ``value``, ``*value``, ``name=value`` or ``**value``."""

    #: "", "*" or "**".
    star: str
    #: The keyword (``name=``), or None.
    keyword: str | None
    value: ast.expr
    #: The whole argument (star or keyword included), for a diagnostic's position.
    node: ast.AST | Span

    @property
    def keyword_node(self) -> Span:
        """Where the keyword's name is written."""
        assert isinstance(self.node, ast.keyword) and self.keyword is not None
        return name_span(self.node.lineno, self.node.col_offset, self.keyword)


def arguments(call: ast.Call, source: SourceFile) -> list[Argument]:
    """The arguments of *call* in source order. A positional argument is placed with the
    parentheses that group it: a region of its own, apart from its value (a diagnostic about
    the value then says where the value came from)."""
    out: list[Argument] = []
    for arg in call.args:
        if isinstance(arg, ast.Starred):
            out.append(Argument("*", None, arg.value, arg))
        else:
            out.append(Argument("", None, arg, grouped(source, arg)))
    for kw in call.keywords:
        out.append(Argument("**" if kw.arg is None else "", kw.arg, kw.value, kw))
    if call.keywords and call.args:
        out.sort(key=lambda a: (getattr(a.node, "lineno", 0), getattr(a.node, "col_offset", 0)))
    return out


def param_name(param: ast.arg) -> Span:
    """Where a parameter's name is written (``ast`` positions include its annotation)."""
    return name_span(param.lineno, param.col_offset, param.arg)


def parameters(args: ast.arguments) -> list[tuple[ast.arg, ast.expr | None]]:
    """Named parameters (positional-only, ordinary, keyword-only) with their defaults."""
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults += args.defaults
    return [*zip(positional, defaults, strict=True),
            *zip(args.kwonlyargs, args.kw_defaults, strict=True)]


def written(source: SourceFile, node: object) -> str:
    """The text of *node* as written: an expression with the parentheses around it that
    group it (:func:`grouped`), a name that is not a node of its own (a parameter's), a
    ``def``'s or ``class``'s name; "" for anything else."""
    if isinstance(node, NameOf):
        return node.node.name
    if isinstance(node, ast.expr):
        node = grouped(source, node)
    return source.segment(node) if isinstance(node, Span) else ""


def grouped(source: SourceFile, node: ast.expr) -> Span:
    """Where *node* is written with the parentheses around it that group it (not those of
    a call or a tuple it is an element of)."""
    lines = source.lines
    start_line, start = node.lineno, _char(source, node.lineno, node.col_offset)
    end_line = node.end_lineno if node.end_lineno is not None else start_line
    end = _char(source, end_line, node.end_col_offset if node.end_col_offset is not None
                else node.col_offset)
    grew = False
    while True:
        before = _previous(lines, start_line, start)
        after = _following(lines, end_line, end)
        if before is None or after is None or lines[before[0] - 1][before[1]] != "(" or \
                lines[after[0] - 1][after[1]] != ")" or _is_call_paren(lines, *before):
            break
        (start_line, start), (end_line, end) = before, (after[0], after[1] + 1)
        grew = True
    if not grew:
        return Span(node.lineno, node.col_offset, node.end_lineno or node.lineno,
                    node.end_col_offset if node.end_col_offset is not None else node.col_offset)
    return Span(start_line, _byte(lines[start_line - 1], start), end_line,
                _byte(lines[end_line - 1], end))


def _byte(line: str, col: int) -> int:
    return len(line[:col].encode("utf-8"))


def _char(source: SourceFile, line: int, col: int) -> int:
    return len(source.lines[line - 1].encode("utf-8")[:col].decode("utf-8", "replace"))


def _previous(lines: list[str], line: int, col: int) -> tuple[int, int] | None:
    """The last character before (line, col) that is not whitespace."""
    while line >= 1:
        text = lines[line - 1][:col].rstrip(" \t\f\\")
        if text:
            return line, len(text) - 1
        line -= 1
        col = len(lines[line - 1]) if line >= 1 else 0
    return None


def _following(lines: list[str], line: int, col: int) -> tuple[int, int] | None:
    """The first character from (line, col) on that is not whitespace."""
    while line <= len(lines):
        rest = lines[line - 1][col:]
        stripped = rest.lstrip(" \t\f\\")
        if stripped:
            return line, col + len(rest) - len(stripped)
        line, col = line + 1, 0
    return None


def _is_call_paren(lines: list[str], line: int, col: int) -> bool:
    """Whether the ``(`` at (line, col) opens a call's arguments (it follows a name that is
    not a keyword, a closing bracket or a string) rather than grouping."""
    found = _previous(lines, line, col)
    if found is None:
        return False
    text = lines[found[0] - 1][: found[1] + 1]
    if text[-1] in ")]'\"":
        return True
    word = _WORD.search(text)
    return word is not None and not keyword.iskeyword(word.group())
