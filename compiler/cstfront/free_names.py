"""Free-name analysis of one function: which names it reads that it does not bind itself.

A small scope analysis over libcst nodes, following Python's rules: a name bound anywhere in
a function body (assignment, augmented assignment, ``for``/``with``/``except`` targets, walrus,
imports, nested ``def``/``class``, ``del``, ``match`` captures) is local to that function;
comprehensions, lambdas and nested functions are scopes of their own whose free names flow
out to the enclosing scope; class bodies do not enclose their methods.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst


@dataclass(slots=True)
class _Scope:
    bound: set[str] = field(default_factory=set)
    #: name → first node that reads it (in source order).
    reads: dict[str, cst.CSTNode] = field(default_factory=dict)
    globals_: set[str] = field(default_factory=set)
    nonlocals: set[str] = field(default_factory=set)
    #: ``global`` statements, for diagnostics.
    global_nodes: list[cst.Global] = field(default_factory=list)

    def free(self) -> dict[str, cst.CSTNode]:
        return {
            name: node
            for name, node in self.reads.items()
            if name not in self.bound or name in self.globals_
        }


def _target_names(node: cst.CSTNode, out: set[str]) -> None:
    """Names bound by an assignment target."""
    if isinstance(node, cst.Name):
        out.add(node.value)
    elif isinstance(node, (cst.Tuple, cst.List)):
        for el in node.elements:
            _target_names(el.value, out)
    elif isinstance(node, cst.StarredElement):
        _target_names(node.value, out)
    # Attribute and Subscript targets bind nothing; their sub-expressions are reads.


class _Collector(cst.CSTVisitor):
    """Collects reads and bindings of one scope; nested scopes are analysed recursively."""

    def __init__(self, scope: _Scope) -> None:
        self.scope = scope

    def _read(self, name: str, node: cst.CSTNode) -> None:
        self.scope.reads.setdefault(name, node)

    def _nested(self, free: dict[str, cst.CSTNode]) -> None:
        for name, node in free.items():
            self._read(name, node)

    # -- reads and plain bindings ---------------------------------------------------------

    def visit_Name(self, node: cst.Name) -> bool:
        self._read(node.value, node)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)  # the keyword of ``f(key=value)`` is not a variable
        return False

    def visit_MatchKeywordElement(self, node: cst.MatchKeywordElement) -> bool:
        node.pattern.visit(self)
        return False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False  # the attribute name itself is not a variable

    def visit_Assign(self, node: cst.Assign) -> bool:
        for t in node.targets:
            _target_names(t.target, self.scope.bound)
            self._visit_target_reads(t.target)
        node.value.visit(self)
        return False

    def visit_AnnAssign(self, node: cst.AnnAssign) -> bool:
        _target_names(node.target, self.scope.bound)
        self._visit_target_reads(node.target)
        node.annotation.visit(self)
        if node.value is not None:
            node.value.visit(self)
        return False

    def visit_AugAssign(self, node: cst.AugAssign) -> bool:
        _target_names(node.target, self.scope.bound)
        node.target.visit(self)  # x += 1 also reads x
        node.value.visit(self)
        return False

    def visit_NamedExpr(self, node: cst.NamedExpr) -> bool:
        _target_names(node.target, self.scope.bound)
        node.value.visit(self)
        return False

    def visit_For(self, node: cst.For) -> bool:
        _target_names(node.target, self.scope.bound)
        self._visit_target_reads(node.target)
        node.iter.visit(self)
        node.body.visit(self)
        if node.orelse is not None:
            node.orelse.visit(self)
        return False

    def visit_WithItem(self, node: cst.WithItem) -> bool:
        node.item.visit(self)
        if node.asname is not None:
            _target_names(node.asname.name, self.scope.bound)
            self._visit_target_reads(node.asname.name)
        return False

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> bool:
        if node.type is not None:
            node.type.visit(self)
        if node.name is not None:
            _target_names(node.name.name, self.scope.bound)
        node.body.visit(self)
        return False

    def visit_ExceptStarHandler(self, node: cst.ExceptStarHandler) -> bool:
        node.type.visit(self)
        if node.name is not None:
            _target_names(node.name.name, self.scope.bound)
        node.body.visit(self)
        return False

    def visit_Del(self, node: cst.Del) -> bool:
        _target_names(node.target, self.scope.bound)
        return False

    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            if alias.asname is not None:
                _target_names(alias.asname.name, self.scope.bound)
            else:
                name = alias.name
                while isinstance(name, cst.Attribute):
                    name = name.value  # type: ignore[assignment]
                if isinstance(name, cst.Name):
                    self.scope.bound.add(name.value)
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        if isinstance(node.names, cst.ImportStar):
            return False
        for alias in node.names:
            target = alias.asname.name if alias.asname is not None else alias.name
            _target_names(target, self.scope.bound)
        return False

    def visit_Global(self, node: cst.Global) -> bool:
        for item in node.names:
            self.scope.globals_.add(item.name.value)
        self.scope.global_nodes.append(node)
        return False

    def visit_Nonlocal(self, node: cst.Nonlocal) -> bool:
        for item in node.names:
            self.scope.nonlocals.add(item.name.value)
        return False

    def visit_MatchAs(self, node: cst.MatchAs) -> bool:
        if node.name is not None:
            self.scope.bound.add(node.name.value)
        if node.pattern is not None:
            node.pattern.visit(self)
        return False

    def visit_MatchStar(self, node: cst.MatchStar) -> bool:
        if node.name is not None:
            self.scope.bound.add(node.name.value)
        return False

    def visit_MatchMapping(self, node: cst.MatchMapping) -> bool:
        for el in node.elements:
            el.key.visit(self)
            el.pattern.visit(self)
        if node.rest is not None:
            self.scope.bound.add(node.rest.value)
        return False

    def _visit_target_reads(self, target: cst.CSTNode) -> None:
        """Reads inside a target: ``a[i] = ...`` reads ``a`` and ``i``."""
        if isinstance(target, (cst.Attribute, cst.Subscript)):
            target.visit(self)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for el in target.elements:
                self._visit_target_reads(el.value)
        elif isinstance(target, cst.StarredElement):
            self._visit_target_reads(target.value)

    # -- nested scopes --------------------------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.scope.bound.add(node.name.value)
        for dec in node.decorators:
            dec.decorator.visit(self)
        self._visit_param_defaults(node.params)
        if node.returns is not None:
            node.returns.visit(self)
        self._nested(function_free_names(node).free)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        self._visit_param_defaults(node.params)
        inner = _Scope()
        _bind_params(node.params, inner)
        node.body.visit(_Collector(inner))
        self._nested(inner.free())
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.scope.bound.add(node.name.value)
        for dec in node.decorators:
            dec.decorator.visit(self)
        for arg in node.bases:
            arg.value.visit(self)
        for arg in node.keywords:
            arg.value.visit(self)
        inner = _Scope()
        node.body.visit(_ClassCollector(inner))
        self._nested(inner.free())
        return False

    def _comprehension(
        self, node: cst.ListComp | cst.SetComp | cst.GeneratorExp | cst.DictComp,
        elements: tuple[cst.CSTNode, ...],
    ) -> bool:
        # The first iterable is evaluated in the enclosing scope.
        node.for_in.iter.visit(self)
        inner = _Scope()
        c = _Collector(inner)
        clause: cst.CompFor | None = node.for_in
        first = True
        while clause is not None:
            _target_names(clause.target, inner.bound)
            if not first:
                clause.iter.visit(c)
            for cond in clause.ifs:
                cond.visit(c)
            first = False
            clause = clause.inner_for_in
        for el in elements:
            el.visit(c)
        self._nested(inner.free())
        return False

    def visit_ListComp(self, node: cst.ListComp) -> bool:
        return self._comprehension(node, (node.elt,))

    def visit_SetComp(self, node: cst.SetComp) -> bool:
        return self._comprehension(node, (node.elt,))

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> bool:
        return self._comprehension(node, (node.elt,))

    def visit_DictComp(self, node: cst.DictComp) -> bool:
        return self._comprehension(node, (node.key, node.value))

    def _visit_param_defaults(self, params: cst.Parameters) -> None:
        for p in _all_params(params):
            if p.default is not None:
                p.default.visit(self)
            if p.annotation is not None:
                p.annotation.visit(self)


class _ClassCollector(_Collector):
    """A class body: methods do not see class-level names, so they flow straight out."""

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.scope.bound.add(node.name.value)
        for dec in node.decorators:
            dec.decorator.visit(self)
        self._visit_param_defaults(node.params)
        if node.returns is not None:
            node.returns.visit(self)
        # Names a method reads resolve in the module, never in the class body.
        for name, ref in function_free_names(node).free.items():
            self.scope.reads.setdefault(name, ref)
            self.scope.globals_.add(name)
        return False


def _all_params(params: cst.Parameters) -> list[cst.Param]:
    out = [*params.posonly_params, *params.params, *params.kwonly_params]
    if isinstance(params.star_arg, cst.Param):
        out.append(params.star_arg)
    if params.star_kwarg is not None:
        out.append(params.star_kwarg)
    return out


def _bind_params(params: cst.Parameters, scope: _Scope) -> None:
    for p in _all_params(params):
        scope.bound.add(p.name.value)


@dataclass(slots=True)
class FunctionScope:
    #: Free names of the body (not parameters, not locals), each with its first read.
    free: dict[str, cst.CSTNode]
    #: ``global`` statements in the function body.
    global_nodes: list[cst.Global]
    #: ``yield``/``yield from`` directly in this function (makes it a generator).
    yields: list[cst.CSTNode]


class _YieldFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found: list[cst.CSTNode] = []

    def visit_Yield(self, node: cst.Yield) -> bool:
        self.found.append(node)
        return True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False


def function_free_names(node: cst.FunctionDef, definition: bool = False) -> FunctionScope:
    """Analyse *node*'s body. With *definition*, also the parameter defaults and annotations,
    which are evaluated where the ``def`` statement runs (its decorators are not included)."""
    scope = _Scope()
    _bind_params(node.params, scope)
    collector = _Collector(scope)
    node.body.visit(collector)
    free = scope.free()
    if definition:
        outer = _Scope()
        outer_collector = _Collector(outer)
        outer_collector._visit_param_defaults(node.params)
        if node.returns is not None:
            node.returns.visit(outer_collector)
        for name, ref in outer.reads.items():
            free.setdefault(name, ref)
    # ``nonlocal`` names come from an enclosing function: free as well.
    for name in scope.nonlocals:
        free.setdefault(name, node)
    yields = _YieldFinder()
    node.body.visit(yields)
    return FunctionScope(free, scope.global_nodes, yields.found)
