"""Free-name analysis of one function: which names it reads that it does not bind itself.

A small scope analysis over ``ast`` nodes, following Python's rules: a name bound anywhere in
a function body (assignment, augmented assignment, ``for``/``with``/``except`` targets, walrus,
imports, nested ``def``/``class``, ``del``, ``match`` captures) is local to that function;
comprehensions, lambdas and nested functions are scopes of their own whose free names flow
out to the enclosing scope; class bodies do not enclose their methods.

``symtable`` decides *which* names are free (see :mod:`.symbols`); this analysis says where
each is first read, for a diagnostic's position, visiting in source order.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field

from tiphys.compiler.frontend.nodes import children_in_order, parameters

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(slots=True)
class _Scope:
    bound: set[str] = field(default_factory=set)
    #: name → first node that reads it (in source order).
    reads: dict[str, ast.AST] = field(default_factory=dict)
    globals_: set[str] = field(default_factory=set)
    nonlocals: set[str] = field(default_factory=set)
    #: ``global`` statements, for diagnostics.
    global_nodes: list[ast.Global] = field(default_factory=list)

    def free(self) -> dict[str, ast.AST]:
        return {
            name: node
            for name, node in self.reads.items()
            if name not in self.bound or name in self.globals_
        }


def _target_names(node: ast.AST, out: set[str]) -> None:
    """Names bound by an assignment target."""
    if isinstance(node, ast.Name):
        out.add(node.id)
    elif isinstance(node, (ast.Tuple, ast.List)):
        for el in node.elts:
            _target_names(el, out)
    elif isinstance(node, ast.Starred):
        _target_names(node.value, out)
    # Attribute and Subscript targets bind nothing; their sub-expressions are reads.


class _Collector:
    """Collects reads and bindings of one scope; nested scopes are analysed recursively."""

    def __init__(self, scope: _Scope) -> None:
        self.scope = scope

    def visit(self, node: ast.AST) -> None:
        handler = getattr(self, "visit_" + type(node).__name__, None)
        if handler is not None:
            handler(node)
        else:
            self.visit_all(children_in_order(node))

    def visit_all(self, nodes: Iterable[ast.AST | None]) -> None:
        for node in nodes:
            if node is not None:
                self.visit(node)

    def _read(self, name: str, node: ast.AST) -> None:
        self.scope.reads.setdefault(name, node)

    def _nested(self, free: dict[str, ast.AST]) -> None:
        for name, node in free.items():
            self._read(name, node)

    # -- reads and plain bindings ---------------------------------------------------------

    def visit_Name(self, node: ast.Name) -> None:
        self._read(node.id, node)

    def visit_Assign(self, node: ast.Assign) -> None:
        for t in node.targets:
            _target_names(t, self.scope.bound)
            self._visit_target_reads(t)
        self.visit(node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        _target_names(node.target, self.scope.bound)
        self._visit_target_reads(node.target)
        self.visit(node.annotation)
        if node.value is not None:
            self.visit(node.value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        _target_names(node.target, self.scope.bound)
        self.visit(node.target)  # x += 1 also reads x
        self.visit(node.value)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        _target_names(node.target, self.scope.bound)
        self.visit(node.value)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        _target_names(node.target, self.scope.bound)
        self._visit_target_reads(node.target)
        self.visit(node.iter)
        self.visit_all(node.body)
        self.visit_all(node.orelse)

    visit_AsyncFor = visit_For

    def visit_withitem(self, node: ast.withitem) -> None:
        self.visit(node.context_expr)
        if node.optional_vars is not None:
            _target_names(node.optional_vars, self.scope.bound)
            self._visit_target_reads(node.optional_vars)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            self.visit(node.type)
        if node.name is not None:
            self.scope.bound.add(node.name)
        self.visit_all(node.body)

    def visit_Delete(self, node: ast.Delete) -> None:
        for t in node.targets:
            _target_names(t, self.scope.bound)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.scope.bound.add(alias.asname or alias.name.split(".")[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name != "*":
                self.scope.bound.add(alias.asname or alias.name)

    def visit_Global(self, node: ast.Global) -> None:
        self.scope.globals_.update(node.names)
        self.scope.global_nodes.append(node)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        self.scope.nonlocals.update(node.names)

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        if node.name is not None:
            self.scope.bound.add(node.name)
        if node.pattern is not None:
            self.visit(node.pattern)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name is not None:
            self.scope.bound.add(node.name)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        for key, pattern in zip(node.keys, node.patterns, strict=True):
            self.visit(key)
            self.visit(pattern)
        if node.rest is not None:
            self.scope.bound.add(node.rest)

    def _visit_target_reads(self, target: ast.AST) -> None:
        """Reads inside a target: ``a[i] = ...`` reads ``a`` and ``i``."""
        if isinstance(target, (ast.Attribute, ast.Subscript)):
            self.visit(target)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for el in target.elts:
                self._visit_target_reads(el)
        elif isinstance(target, ast.Starred):
            self._visit_target_reads(target.value)

    # -- nested scopes --------------------------------------------------------------------

    def _definition(self, node: FunctionNode) -> None:
        """What a nested ``def`` statement reads where it runs, and its name."""
        self.scope.bound.add(node.name)
        self.visit_all(node.decorator_list)
        self.visit_param_defaults(node.args)
        if node.returns is not None:
            self.visit(node.returns)

    def visit_FunctionDef(self, node: FunctionNode) -> None:
        self._definition(node)
        self._nested(function_free_names(node).free)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.visit_param_defaults(node.args)
        inner = _Scope()
        _bind_params(node.args, inner)
        _Collector(inner).visit(node.body)
        self._nested(inner.free())

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.scope.bound.add(node.name)
        self.visit_all(node.decorator_list)
        self.visit_all(node.bases)
        self.visit_all(kw.value for kw in node.keywords)
        inner = _Scope()
        _ClassCollector(inner).visit_all(node.body)
        self._nested(inner.free())

    def _comprehension(self, generators: list[ast.comprehension],
                       elements: tuple[ast.expr, ...]) -> None:
        # The first iterable is evaluated in the enclosing scope.
        self.visit(generators[0].iter)
        inner = _Scope()
        c = _Collector(inner)
        for i, clause in enumerate(generators):
            _target_names(clause.target, inner.bound)
            if i:
                c.visit(clause.iter)
            c.visit_all(clause.ifs)
        c.visit_all(elements)
        self._nested(inner.free())

    def visit_ListComp(self, node: ast.ListComp) -> None:
        self._comprehension(node.generators, (node.elt,))

    def visit_SetComp(self, node: ast.SetComp) -> None:
        self._comprehension(node.generators, (node.elt,))

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> None:
        self._comprehension(node.generators, (node.elt,))

    def visit_DictComp(self, node: ast.DictComp) -> None:
        self._comprehension(node.generators, (node.key, node.value))

    def visit_param_defaults(self, args: ast.arguments) -> None:
        for param, default in parameters(args):
            if default is not None:
                self.visit(default)
            if param.annotation is not None:
                self.visit(param.annotation)


class _ClassCollector(_Collector):
    """A class body: methods do not see class-level names, so they flow straight out."""

    def visit_FunctionDef(self, node: FunctionNode) -> None:
        self._definition(node)
        # Names a method reads resolve in the module, never in the class body.
        for name, ref in function_free_names(node).free.items():
            self.scope.reads.setdefault(name, ref)
            self.scope.globals_.add(name)

    visit_AsyncFunctionDef = visit_FunctionDef


def _bind_params(args: ast.arguments, scope: _Scope) -> None:
    for param, _ in parameters(args):
        scope.bound.add(param.arg)


@dataclass(slots=True)
class FunctionScope:
    #: Free names of the body (not parameters, not locals), each with its first read.
    free: dict[str, ast.AST]
    #: ``global`` statements in the function body.
    global_nodes: list[ast.Global]
    #: ``yield``/``yield from`` directly in this function (makes it a generator).
    yields: list[ast.AST]


def direct_nodes(body: list[ast.stmt]) -> list[ast.AST]:
    """The nodes of a function body in source order, not entering nested functions, lambdas
    or classes (their ``yield`` and ``global`` are their own)."""
    out: list[ast.AST] = []
    stack: list[ast.AST] = list(reversed(body))
    while stack:
        node = stack.pop()
        out.append(node)
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda,
                                 ast.ClassDef)):
            stack.extend(reversed(children_in_order(node)))
    return out


def function_free_names(node: FunctionNode, definition: bool = False) -> FunctionScope:
    """Analyse *node*'s body. With *definition*, also the parameter defaults and annotations,
    which are evaluated where the ``def`` statement runs (its decorators are not included)."""
    scope = _Scope()
    _bind_params(node.args, scope)
    collector = _Collector(scope)
    collector.visit_all(node.body)
    free = scope.free()
    if definition:
        outer = _Scope()
        outer_collector = _Collector(outer)
        outer_collector.visit_param_defaults(node.args)
        if node.returns is not None:
            outer_collector.visit(node.returns)
        for name, ref in outer.reads.items():
            free.setdefault(name, ref)
    # ``nonlocal`` names come from an enclosing function: free as well.
    for name in scope.nonlocals:
        free.setdefault(name, node)
    yields: list[ast.AST] = [n for n in direct_nodes(node.body)
                             if isinstance(n, (ast.Yield, ast.YieldFrom))]
    return FunctionScope(free, scope.global_nodes, yields)
