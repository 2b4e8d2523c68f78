"""Static recognizer: finds every CloudHarness operation a file builds, anywhere in it.

It walks the module, then every function body (a Flask controller builds its operation when
a request comes in), interpreting assignments symbolically (:mod:`.symbolic`): imports, names
bound to literals, tasks, lists of tasks, functions. Each call of an operation class is one
workflow. Nothing of the user's code runs.

Control flow is handled conservatively: a name bound inside an ``if``/``for``/``while``/
``match``/``except`` is unknown after it; a list grown inside a loop or branch is unknown.
``try`` and ``with`` bodies run in sequence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst

from tiphys.compiler.cloudharness.expressions import ExpressionEvaluator
from tiphys.compiler.cloudharness.model import Operation, Problem
from tiphys.compiler.cloudharness.pyfunc import script_for
from tiphys.compiler.cloudharness.symbolic import (
    Const,
    Env,
    FuncRef,
    Ref,
    Seq,
    Sym,
    Unknown,
)
from tiphys.compiler.cstfront.imports import import_bindings
from tiphys.compiler.cstfront.literals import NotLiteral, evaluate_literal
from tiphys.compiler.cstfront.module_context import ModuleContext, build_context
from tiphys.compiler.cstfront.source import SourceFile
from tiphys.compiler.ir.loc import Loc


@dataclass(slots=True)
class Site:
    """One operation construction: a workflow, or the problems that prevent it."""

    op: Operation | None
    problems: list[Problem]
    node: cst.CSTNode
    stmt: int


@dataclass(slots=True)
class Recognized:
    sites: list[Site] = field(default_factory=list)
    #: Problems not tied to one operation (info about DirectOperation, ...).
    problems: list[Problem] = field(default_factory=list)


class Recognizer(ExpressionEvaluator):
    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.ctx: ModuleContext = build_context(source.module)
        self.out = Recognized()
        self.stmt = 0
        #: Why the current statement may run zero or many times ("in a loop", ...), innermost
        #: last; its length is the nesting depth lists remember.
        self.nesting: list[str] = []
        self._scopes = 0
        #: (function, its top-level statement, the env it closes over, its scope id)
        self._pending: list[tuple[cst.FunctionDef, int, Env]] = []
        self._scripts: dict[int, tuple[str | None, list[Problem]]] = {}
        self._calls: dict[int, Sym] = {}

    # -- helpers --------------------------------------------------------------------------

    def loc(self, node: cst.CSTNode, stmt: int | None = None) -> Loc:
        return Loc(self.source, self.stmt if stmt is None else stmt, node)

    def new_scope(self) -> int:
        self._scopes += 1
        return self._scopes

    def script(self, ref: FuncRef, task: str) -> tuple[str | None, list[Problem]]:
        key = id(ref.node)
        if key not in self._scripts:
            self._scripts[key] = script_for(ref.node, ref.stmt, self.ctx, self.source, task, None)
        return self._scripts[key]

    def construct(self, cls: str, node: cst.Call, env: Env) -> Sym:
        from tiphys.compiler.cloudharness.calls import construct

        return construct(self, cls, node, env)

    # -- statements -----------------------------------------------------------------------

    def run(self) -> Recognized:
        module_env = Env(None, self.new_scope())
        for index, top in enumerate(self.source.module.body):
            self.stmt = index
            self.statement(top, module_env)
        while self._pending:
            fn, at, closure = self._pending.pop(0)
            self.function(fn, at, closure)
        return self.out

    def function(self, fn: cst.FunctionDef, stmt: int, closure: Env) -> None:
        self.stmt = stmt
        saved = self.nesting
        self.nesting = []
        env = Env(closure, self.new_scope())
        params = fn.params
        for p in [*params.posonly_params, *params.params, *params.kwonly_params]:
            default = None
            if p.default is not None:
                try:
                    default = Const(evaluate_literal(p.default), p.default, stmt)
                except NotLiteral:
                    default = None
            env.vars[p.name.value] = Unknown(f"the function parameter '{p.name.value}'", p.name,
                                             stmt, default)
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                env.vars[star.name.value] = Unknown(f"the parameter '{star.name.value}'",
                                                    star.name, stmt)
        self.block(fn.body, env)
        self.nesting = saved

    def block(self, body: cst.BaseSuite | Sequence[cst.CSTNode], env: Env) -> None:
        if isinstance(body, cst.IndentedBlock):
            stmts: Sequence[cst.CSTNode] = body.body
        elif isinstance(body, cst.SimpleStatementSuite):
            stmts = body.body
        elif isinstance(body, cst.BaseSuite):
            stmts = ()
        else:
            stmts = body
        for s in stmts:
            self.statement(s, env)

    def branch(self, bodies: Sequence[cst.BaseSuite | None], env: Env, why: str,
               node: cst.CSTNode, targets: Sequence[cst.BaseExpression] = ()) -> None:
        """Bodies that may run or not, or many times: names bound there are unknown after."""
        self.nesting.append(why)
        bound: dict[str, None] = {}
        for body in bodies:
            if body is None:
                continue
            inner = Env(env, env.scope)
            for t in targets:
                for name in _target_names(t):
                    inner.vars[name] = Unknown(f"the loop variable '{name}'", t, self.stmt)
            self.block(body, inner)
            bound.update(dict.fromkeys(inner.vars))
        self.nesting.pop()
        for name in bound:
            env.vars[name] = Unknown(f"'{name}', which is bound {why}", node, self.stmt)

    def statement(self, node: cst.CSTNode, env: Env) -> None:
        if isinstance(node, cst.SimpleStatementLine):
            for small in node.body:
                self.small(small, env)
        elif isinstance(node, cst.FunctionDef):
            env.vars[node.name.value] = FuncRef(node, self.stmt)
            self._pending.append((node, self.stmt, env))
        elif isinstance(node, cst.ClassDef):
            env.vars[node.name.value] = Unknown(f"the class '{node.name.value}'", node.name,
                                                self.stmt)
            inner = Env(env, env.scope)
            for s in node.body.body if isinstance(node.body, cst.IndentedBlock) else ():
                if isinstance(s, cst.FunctionDef):
                    # Methods see the module (or enclosing function), not the class body.
                    self._pending.append((s, self.stmt, env))
                else:
                    self.statement(s, inner)
        elif isinstance(node, cst.If):
            self.expr(node.test, env)
            orelse: cst.CSTNode | None = node.orelse
            bodies: list[cst.BaseSuite | None] = [node.body]
            while isinstance(orelse, cst.If):
                self.expr(orelse.test, env)
                bodies.append(orelse.body)
                orelse = orelse.orelse
            if isinstance(orelse, cst.Else):
                bodies.append(orelse.body)
            self.branch(bodies, env, "conditionally (in an if statement)", node)
        elif isinstance(node, cst.For):
            self.expr(node.iter, env)
            self.branch([node.body, node.orelse.body if node.orelse else None], env,
                        "in a loop", node, [node.target])
        elif isinstance(node, cst.While):
            self.expr(node.test, env)
            self.branch([node.body, node.orelse.body if node.orelse else None], env,
                        "in a loop", node)
        elif isinstance(node, cst.Try):
            self.block(node.body, env)
            self.branch([h.body for h in node.handlers], env, "in an except clause", node)
            if node.orelse is not None:
                self.block(node.orelse.body, env)
            if node.finalbody is not None:
                self.block(node.finalbody.body, env)
        elif isinstance(node, cst.With):
            for item in node.items:
                self.expr(item.item, env)
                if item.asname is not None:
                    for name in _target_names(item.asname.name):
                        env.vars[name] = Unknown(f"'{name}', bound by a with statement",
                                                 item.asname.name, self.stmt)
            self.block(node.body, env)
        elif isinstance(node, cst.Match):
            self.expr(node.subject, env)
            self.branch([c.body for c in node.cases], env, "in a match case", node)
        else:
            body = getattr(node, "body", None)
            if isinstance(body, cst.BaseSuite):
                self.branch([body], env, "in a block", node)

    def small(self, node: cst.BaseSmallStatement, env: Env) -> None:
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            for b in import_bindings(node, self.stmt):
                if b.relative:
                    env.vars[b.local] = Unknown(f"'{b.local}' (a relative import)", b.node,
                                                self.stmt)
                else:
                    env.vars[b.local] = Ref(b.qualified)
        elif isinstance(node, cst.Assign):
            value = self.expr(node.value, env)
            for t in node.targets:
                self.assign(t.target, value, env)
        elif isinstance(node, cst.AnnAssign):
            if node.value is not None:
                self.assign(node.target, self.expr(node.value, env), env)
        elif isinstance(node, cst.AugAssign):
            value = self.expr(node.value, env)
            current = self.expr(node.target, env)
            if isinstance(current, Seq) and isinstance(node.operator, cst.AddAssign):
                self.grow(current, value, node, env)
            else:
                for name in _target_names(node.target):
                    env.vars[name] = Unknown(f"'{name}', changed by an augmented assignment",
                                             node, self.stmt)
        elif isinstance(node, cst.Expr) or (isinstance(node, cst.Return)
                                            and node.value is not None):
            assert node.value is not None
            self.expr(node.value, env)
        elif isinstance(node, cst.Raise) and node.exc is not None:
            self.expr(node.exc, env)
        elif isinstance(node, cst.Del):
            for name in _target_names(node.target):
                env.vars[name] = Unknown(f"'{name}', which was deleted", node, self.stmt)

    def assign(self, target: cst.BaseExpression, value: Sym, env: Env) -> None:
        if isinstance(target, cst.Name):
            env.vars[target.value] = value
        elif isinstance(target, (cst.Tuple, cst.List)):
            items = value.items if isinstance(value, Seq) and value.dynamic is None else None
            elements = target.elements
            if items is not None and len(items) == len(elements) and \
                    not any(isinstance(e, cst.StarredElement) for e in elements):
                for e, v in zip(elements, items, strict=True):
                    self.assign(e.value, v, env)
            else:
                for name in _target_names(target):
                    env.vars[name] = Unknown(f"'{name}', from an unpacking assignment", target,
                                             self.stmt)
        elif isinstance(target, cst.Subscript):
            base = self.expr(target.value, env)
            if isinstance(base, Seq):
                base.dynamic = Unknown("a list changed by item assignment", target, self.stmt)

    def grow(self, seq: Seq, value: Sym, node: cst.CSTNode, env: Env, single: bool = False,
             ) -> None:
        if seq.dynamic is not None:
            return
        if seq.scope != env.scope:
            seq.dynamic = Unknown("a list grown in another function", node, self.stmt)
            return
        if len(self.nesting) != seq.depth:
            seq.dynamic = Unknown(f"a list grown {self.nesting[-1]}", node, self.stmt)
            return
        if single:
            seq.items.append(value)
        elif isinstance(value, Seq) and value.dynamic is None:
            seq.items.extend(value.items)
        elif isinstance(value, Const) and isinstance(value.value, (list, tuple)):
            seq.items.extend(Const(v, value.node, value.stmt) for v in value.value)
        else:
            seq.dynamic = Unknown("a list extended with a value not known statically", node,
                                  self.stmt)


def _target_names(node: cst.CSTNode) -> list[str]:
    if isinstance(node, cst.Name):
        return [node.value]
    if isinstance(node, (cst.Tuple, cst.List)):
        out: list[str] = []
        for el in node.elements:
            out += _target_names(el.value)
        return out
    if isinstance(node, cst.StarredElement):
        return _target_names(node.value)
    return []


def recognize(source: SourceFile) -> Recognized:
    return Recognizer(source).run()
