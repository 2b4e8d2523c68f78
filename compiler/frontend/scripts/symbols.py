"""Which module-level names a ``def`` statement reads, by CPython's own symbol table.

``symtable`` is the compiler's scope analysis, run on the function's source text: it parses,
it never executes. It is exact (it *is* Python's scoping), so it decides which names are free.
Positions for diagnostics come from the ``ast`` analysis in
:mod:`tiphys.compiler.frontend.scripts.free_names`, run only when a name is a problem; it is
also the fallback should ``symtable`` refuse the text.
"""

from __future__ import annotations

import _symtable  # type: ignore[import-not-found]  # CPython's own, without stubs
import ast
import functools
from dataclasses import dataclass

from tiphys.compiler.frontend.nodes import ordered_walk
from tiphys.compiler.frontend.scripts.free_names import (
    FunctionNode,
    direct_nodes,
    function_free_names,
)
from tiphys.compiler.frontend.source import SourceFile


@dataclass(frozen=True, slots=True)
class DefNames:
    #: Module-level names read by the def statement: body, defaults and annotations.
    free: tuple[str, ...]
    #: The body has a ``global`` statement.
    declares_global: bool


def def_names(fn: FunctionNode, code: str) -> DefNames:
    """*code* is the def statement's text without decorators."""
    try:
        return _symbol_names(code, fn.name)
    except (SyntaxError, ValueError, RecursionError):
        scope = function_free_names(fn, definition=True)
        return DefNames(tuple(scope.free), bool(scope.global_nodes))


@functools.lru_cache(maxsize=4096)
def _symbol_names(code: str, fname: str) -> DefNames:
    """Cached by the function's text: the language server analyses a document again on every
    edit, and most of its functions have not changed. Reads the symbol table's raw flags (the
    ``symtable`` module's wrappers cost more than building the table)."""
    top = _symtable.symtable(code, "<task>", "exec")
    free: dict[str, None] = {}
    for name, flags in top.symbols.items():  # defaults and annotations, at definition time
        if flags & _symtable.USE and name != fname:
            free[name] = None
    declares_global = False
    stack = list(top.children)
    while stack:
        table = stack.pop()
        for name, flags in table.symbols.items():
            scope = (flags >> _symtable.SCOPE_OFF) & _symtable.SCOPE_MASK
            if scope == _symtable.GLOBAL_EXPLICIT:
                declares_global = True
            if scope in _GLOBAL and flags & _symtable.USE:
                free[name] = None
        stack.extend(table.children)
    return DefNames(tuple(sorted(free)), declares_global)


_GLOBAL = (_symtable.GLOBAL_IMPLICIT, _symtable.GLOBAL_EXPLICIT)


def first_read(fn: FunctionNode, name: str, source: SourceFile) -> object:
    """The node where *fn* first reads *name* (for a diagnostic's position)."""
    scope = function_free_names(fn, definition=True)
    node = scope.free.get(name)
    if node is not None:
        return node
    for found in ordered_walk(fn):
        if isinstance(found, ast.Name) and found.id == name:
            return found
        if found is not fn and isinstance(found, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                  ast.ClassDef)) and found.name == name:
            return source.def_name(found)
    return source.def_name(fn)


def yields_and_globals(fn: FunctionNode, code: str) -> tuple[list[ast.AST], list[ast.Global]]:
    """``yield`` expressions and ``global`` statements directly in *fn*'s body."""
    if "yield" not in code and "global" not in code:
        return [], []
    nodes = direct_nodes(fn.body)
    return ([n for n in nodes if isinstance(n, (ast.Yield, ast.YieldFrom))],
            [n for n in nodes if isinstance(n, ast.Global)])
