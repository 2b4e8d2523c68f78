"""Which module-level names a ``def`` statement reads, by CPython's own symbol table.

``symtable`` is the compiler's scope analysis, run on the function's source text: it parses,
it never executes. It is exact (it *is* Python's scoping) and about 50 times faster than a
libcst visitor, so it is the fast path. Positions for diagnostics come from the libcst
analysis in :mod:`tiphys.compiler.cstfront.free_names`, run only when a name is a problem, and it is
also the fallback when ``symtable`` cannot parse the text (syntax newer than this Python).
"""

from __future__ import annotations

import symtable
from dataclasses import dataclass

import libcst as cst

from tiphys.compiler.cstfront.free_names import function_free_names


@dataclass(frozen=True, slots=True)
class DefNames:
    #: Module-level names read by the def statement: body, defaults and annotations.
    free: tuple[str, ...]
    #: The body has a ``global`` statement.
    declares_global: bool


def def_names(fn: cst.FunctionDef, code: str) -> DefNames:
    """*code* is the def statement's text without decorators."""
    try:
        top = symtable.symtable(code, "<task>", "exec")
    except (SyntaxError, ValueError):
        scope = function_free_names(fn, definition=True)
        return DefNames(tuple(scope.free), bool(scope.global_nodes))
    fname = fn.name.value
    free: dict[str, None] = {}
    for sym in top.get_symbols():  # defaults and annotations, read at definition time
        if sym.is_referenced() and sym.get_name() != fname:
            free[sym.get_name()] = None
    declares_global = False
    stack = list(top.get_children())
    while stack:
        table = stack.pop()
        for sym in table.get_symbols():
            if sym.is_declared_global():
                declares_global = True
            if sym.is_global() and sym.is_referenced():
                free[sym.get_name()] = None
        stack.extend(table.get_children())
    return DefNames(tuple(sorted(free)), declares_global)


class _FirstName(cst.CSTVisitor):
    def __init__(self, name: str) -> None:
        self.name = name
        self.found: cst.CSTNode | None = None

    def visit_Name(self, node: cst.Name) -> bool:
        if self.found is None and node.value == self.name:
            self.found = node
        return False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False


def first_read(fn: cst.FunctionDef, name: str) -> cst.CSTNode:
    """The node where *fn* first reads *name* (for a diagnostic's position)."""
    scope = function_free_names(fn, definition=True)
    node = scope.free.get(name)
    if node is not None:
        return node
    finder = _FirstName(name)
    fn.visit(finder)
    return finder.found or fn.name


class _Finder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.yields: list[cst.CSTNode] = []
        self.globals: list[cst.Global] = []

    def visit_Yield(self, node: cst.Yield) -> None:
        self.yields.append(node)

    def visit_Global(self, node: cst.Global) -> None:
        self.globals.append(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False


def yields_and_globals(fn: cst.FunctionDef, code: str) -> tuple[list[cst.CSTNode], list[cst.Global]]:
    """``yield`` expressions and ``global`` statements directly in *fn*'s body."""
    if "yield" not in code and "global" not in code:
        return [], []
    finder = _Finder()
    fn.body.visit(finder)
    return finder.yields, finder.globals
