"""What a module binds at its top level: the context a task body's free names resolve in.

Built in one pass over the top-level statements, before any DSL call is evaluated, because a
task body runs after the whole module has executed: the final binding of a name is the one
that counts.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from tiphys.compiler.frontend.imports import ImportBinding, canonical, import_bindings
from tiphys.compiler.frontend.literals import is_literal

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True, slots=True)
class FunctionBinding:
    node: FunctionNode
    stmt: int


@dataclass(frozen=True, slots=True)
class ConstantBinding:
    name: str
    #: The value expression, a literal.
    value: ast.expr
    #: The annotation, if any (``X: int = 3``).
    annotation: ast.expr | None
    stmt: int


@dataclass(frozen=True, slots=True)
class OtherBinding:
    #: What the name is: "variable", "class", "loop variable", ...
    what: str
    node: ast.AST
    stmt: int


Binding = ImportBinding | FunctionBinding | ConstantBinding | OtherBinding


@dataclass(slots=True)
class ModuleContext:
    module: ast.Module
    #: Final top-level binding of each name.
    bindings: dict[str, Binding] = field(default_factory=dict)
    #: How many top-level statements bind each name (a name bound twice is ambiguous).
    bind_count: dict[str, int] = field(default_factory=dict)

    def bind(self, name: str, binding: Binding) -> None:
        self.bindings[name] = binding
        self.bind_count[name] = self.bind_count.get(name, 0) + 1

    def dsl_name(self, node: ast.AST) -> str | None:
        """Canonical qualified name (``tiphys.task``) of a Name/Attribute, via imports."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        b = self.bindings.get(node.id)
        if not isinstance(b, ImportBinding):
            return None
        name = canonical(b.qualified)
        for attr in reversed(parts):
            name = canonical(f"{name}.{attr}")
        return name


def _targets(node: ast.AST) -> list[ast.Name]:
    if isinstance(node, ast.Name):
        return [node]
    if isinstance(node, (ast.Tuple, ast.List)):
        out: list[ast.Name] = []
        for el in node.elts:
            out.extend(_targets(el))
        return out
    if isinstance(node, ast.Starred):
        return _targets(node.value)
    return []


def _bind_block(ctx: ModuleContext, stmt: ast.stmt, index: int) -> None:
    """Names bound inside a compound top-level statement (if/for/try/with): not constants.
    Only assignment statements' targets count (as in a libcst ``AssignTarget``), and
    nested functions and classes are not entered."""
    stack: list[ast.AST] = [stmt]
    while stack:
        node = stack.pop()
        if node is not stmt and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            ctx.bind(node.name, OtherBinding("conditionally defined function", node, index))
            continue
        if node is not stmt and isinstance(node, ast.ClassDef):
            ctx.bind(node.name, OtherBinding("class", node, index))
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for b in import_bindings(node, index):
                ctx.bind(b.local, b)
            continue
        if isinstance(node, ast.Assign):
            for target in node.targets:
                for name in _targets(target):
                    ctx.bind(name.id, OtherBinding("conditionally assigned variable", name,
                                                   index))
        # Source order: the last binding of a name wins.
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def build_context(module: ast.Module) -> ModuleContext:
    ctx = ModuleContext(module)
    for index, stmt in enumerate(module.body):
        if isinstance(stmt, (ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign,
                             ast.AugAssign)):
            _bind_small(ctx, stmt, index)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            ctx.bind(stmt.name, FunctionBinding(stmt, index))
        elif isinstance(stmt, ast.ClassDef):
            ctx.bind(stmt.name, OtherBinding("class", stmt, index))
        elif (isinstance(stmt, ast.If) and is_main_guard(stmt)) or isinstance(stmt, (ast.Expr, ast.Pass, ast.Delete, ast.Return, ast.Raise,
                               ast.Global, ast.Nonlocal, ast.Assert, ast.Break,
                               ast.Continue)):
            continue
        else:
            _bind_block(ctx, stmt, index)
    return ctx


def _bind_small(ctx: ModuleContext, small: ast.stmt, index: int) -> None:
    if isinstance(small, (ast.Import, ast.ImportFrom)):
        for b in import_bindings(small, index):
            ctx.bind(b.local, b)
    elif isinstance(small, ast.Assign):
        single = len(small.targets) == 1 and isinstance(small.targets[0], ast.Name)
        for t in small.targets:
            for name in _targets(t):
                if single and is_literal(small.value):
                    ctx.bind(name.id, ConstantBinding(name.id, small.value, None, index))
                else:
                    ctx.bind(name.id, OtherBinding("variable", name, index))
    elif isinstance(small, ast.AnnAssign) and isinstance(small.target, ast.Name):
        target = small.target.id
        if small.value is not None and is_literal(small.value):
            ctx.bind(target, ConstantBinding(target, small.value, small.annotation, index))
        elif small.value is not None:
            ctx.bind(target, OtherBinding("variable", small.target, index))
    elif isinstance(small, ast.AugAssign):
        for name in _targets(small.target):
            ctx.bind(name.id, OtherBinding("variable", name, index))


def is_main_guard(stmt: ast.If) -> bool:
    test = stmt.test
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
    )
