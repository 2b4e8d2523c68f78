"""What a module binds at its top level: the context a task body's free names resolve in.

Built in one pass over the top-level statements, before any DSL call is evaluated, because a
task body runs after the whole module has executed: the final binding of a name is the one
that counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from tiphys.compiler.cstfront.imports import ImportBinding, canonical, import_bindings
from tiphys.compiler.cstfront.literals import is_literal


@dataclass(frozen=True, slots=True)
class FunctionBinding:
    node: cst.FunctionDef
    stmt: int


@dataclass(frozen=True, slots=True)
class ConstantBinding:
    name: str
    #: The value expression, a literal.
    value: cst.BaseExpression
    #: The annotation, if any (``X: int = 3``).
    annotation: cst.Annotation | None
    stmt: int


@dataclass(frozen=True, slots=True)
class OtherBinding:
    #: What the name is: "variable", "class", "loop variable", ...
    what: str
    node: cst.CSTNode
    stmt: int


Binding = ImportBinding | FunctionBinding | ConstantBinding | OtherBinding


@dataclass(slots=True)
class ModuleContext:
    module: cst.Module
    #: Final top-level binding of each name.
    bindings: dict[str, Binding] = field(default_factory=dict)
    #: How many top-level statements bind each name (a name bound twice is ambiguous).
    bind_count: dict[str, int] = field(default_factory=dict)

    def bind(self, name: str, binding: Binding) -> None:
        self.bindings[name] = binding
        self.bind_count[name] = self.bind_count.get(name, 0) + 1

    def dsl_name(self, node: cst.BaseExpression) -> str | None:
        """Canonical qualified name (``tiphys.task``) of a Name/Attribute, via imports."""
        if isinstance(node, cst.Name):
            b = self.bindings.get(node.value)
            if isinstance(b, ImportBinding):
                return canonical(b.qualified)
            return None
        if isinstance(node, cst.Attribute):
            base = self.dsl_name(node.value)
            if base is None:
                return None
            return canonical(f"{base}.{node.attr.value}")
        return None


def _targets(node: cst.BaseExpression) -> list[cst.Name]:
    if isinstance(node, cst.Name):
        return [node]
    if isinstance(node, (cst.Tuple, cst.List)):
        out: list[cst.Name] = []
        for el in node.elements:
            out.extend(_targets(el.value))
        return out
    if isinstance(node, cst.StarredElement):
        return _targets(node.value)
    return []


class _BlockBinder(cst.CSTVisitor):
    """Names bound inside a compound top-level statement (if/for/try/with): not constants."""

    def __init__(self, ctx: ModuleContext, stmt: int) -> None:
        self.ctx = ctx
        self.stmt = stmt

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.ctx.bind(node.name.value, OtherBinding("conditionally defined function", node,
                                                    self.stmt))
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.ctx.bind(node.name.value, OtherBinding("class", node, self.stmt))
        return False

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        for name in _targets(node.target):
            self.ctx.bind(name.value, OtherBinding("conditionally assigned variable", name,
                                                   self.stmt))

    def visit_Import(self, node: cst.Import) -> bool:
        for b in import_bindings(node, self.stmt):
            self.ctx.bind(b.local, b)
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        for b in import_bindings(node, self.stmt):
            self.ctx.bind(b.local, b)
        return False


def build_context(module: cst.Module) -> ModuleContext:
    ctx = ModuleContext(module)
    for index, stmt in enumerate(module.body):
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                _bind_small(ctx, small, index)
        elif isinstance(stmt, cst.FunctionDef):
            ctx.bind(stmt.name.value, FunctionBinding(stmt, index))
        elif isinstance(stmt, cst.ClassDef):
            ctx.bind(stmt.name.value, OtherBinding("class", stmt, index))
        elif isinstance(stmt, cst.If) and _is_main_guard(stmt):
            continue
        else:
            stmt.visit(_BlockBinder(ctx, index))
    return ctx


def _bind_small(ctx: ModuleContext, small: cst.BaseSmallStatement, index: int) -> None:
    if isinstance(small, (cst.Import, cst.ImportFrom)):
        for b in import_bindings(small, index):
            ctx.bind(b.local, b)
    elif isinstance(small, cst.Assign):
        single = len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name)
        for t in small.targets:
            for name in _targets(t.target):
                if single and is_literal(small.value):
                    ctx.bind(name.value, ConstantBinding(name.value, small.value, None, index))
                else:
                    ctx.bind(name.value, OtherBinding("variable", name, index))
    elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
        target = small.target.value
        if small.value is not None and is_literal(small.value):
            ctx.bind(target, ConstantBinding(target, small.value, small.annotation, index))
        elif small.value is not None:
            ctx.bind(target, OtherBinding("variable", small.target, index))
    elif isinstance(small, cst.AugAssign):
        for name in _targets(small.target):
            ctx.bind(name.value, OtherBinding("variable", name, index))


def _is_main_guard(stmt: cst.If) -> bool:
    test = stmt.test
    return (
        isinstance(test, cst.Comparison)
        and isinstance(test.left, cst.Name)
        and test.left.value == "__name__"
    )
