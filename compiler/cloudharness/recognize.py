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

import ast
from collections.abc import Sequence
from dataclasses import dataclass, field

from tiphys.compiler.cloudharness.expressions import ExpressionEvaluator
from tiphys.compiler.cloudharness.model import Operation, Problem
from tiphys.compiler.cloudharness.pyfunc import script_for
from tiphys.compiler.cloudharness.symbolic import (
    Const,
    Env,
    FuncRef,
    Node,
    Ref,
    Seq,
    Sym,
    Unknown,
)
from tiphys.compiler.cloudharness.syntax import param_name, parameters
from tiphys.compiler.frontend.imports import import_bindings
from tiphys.compiler.frontend.literals import NotLiteral, evaluate_literal
from tiphys.compiler.frontend.module_context import ModuleContext, build_context
from tiphys.compiler.frontend.source import NameOf, SourceFile
from tiphys.compiler.ir.loc import Loc

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(slots=True)
class Site:
    """One operation construction: a workflow, or the problems that prevent it."""

    op: Operation | None
    problems: list[Problem]
    node: ast.Call
    stmt: int


@dataclass(slots=True)
class Recognized:
    sites: list[Site] = field(default_factory=list)
    #: Problems not tied to one operation (info about DirectOperation, ...).
    problems: list[Problem] = field(default_factory=list)


class Recognizer(ExpressionEvaluator):
    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.ctx: ModuleContext = build_context(source.tree)
        self.out = Recognized()
        self.stmt = 0
        #: Why the current statement may run zero or many times ("in a loop", ...), innermost
        #: last; its length is the nesting depth lists remember.
        self.nesting: list[str] = []
        self._scopes = 0
        #: (function, its top-level statement, the env it closes over)
        self._pending: list[tuple[FunctionNode, int, Env]] = []
        self._scripts: dict[int, tuple[str | None, list[Problem]]] = {}
        self._calls: dict[int, Sym] = {}

    # -- helpers --------------------------------------------------------------------------

    def loc(self, node: Node, stmt: int | None = None) -> Loc:
        return Loc(self.source, self.stmt if stmt is None else stmt, node)

    def new_scope(self) -> int:
        self._scopes += 1
        return self._scopes

    def script(self, ref: FuncRef, task: str) -> tuple[str | None, list[Problem]]:
        key = id(ref.node)
        if key not in self._scripts:
            self._scripts[key] = script_for(ref.node, ref.stmt, self.ctx, self.source, task, None)
        return self._scripts[key]

    def construct(self, cls: str, node: ast.Call, env: Env) -> Sym:
        from tiphys.compiler.cloudharness.calls import construct

        return construct(self, cls, node, env)

    # -- statements -----------------------------------------------------------------------

    def run(self) -> Recognized:
        module_env = Env(None, self.new_scope())
        for index, top in enumerate(self.source.body):
            self.stmt = index
            self.statement(top, module_env)
        while self._pending:
            fn, at, closure = self._pending.pop(0)
            self.function(fn, at, closure)
        return self.out

    def function(self, fn: FunctionNode, stmt: int, closure: Env) -> None:
        self.stmt = stmt
        saved = self.nesting
        self.nesting = []
        env = Env(closure, self.new_scope())
        for p, default_node in parameters(fn.args):
            default = None
            if default_node is not None:
                try:
                    default = Const(evaluate_literal(default_node), default_node, stmt)
                except NotLiteral:
                    default = None
            env.vars[p.arg] = Unknown(f"the function parameter '{p.arg}'", param_name(p),
                                      stmt, default)
        for star in (fn.args.vararg, fn.args.kwarg):
            if star is not None:
                env.vars[star.arg] = Unknown(f"the parameter '{star.arg}'", param_name(star),
                                             stmt)
        self.block(fn.body, env)
        self.nesting = saved

    def block(self, body: Sequence[ast.stmt], env: Env) -> None:
        for s in body:
            self.statement(s, env)

    def branch(self, bodies: Sequence[Sequence[ast.stmt]], env: Env, why: str,
               node: Node, targets: Sequence[ast.expr] = ()) -> None:
        """Bodies that may run or not, or many times: names bound there are unknown after."""
        self.nesting.append(why)
        bound: dict[str, None] = {}
        for body in bodies:
            if not body:
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

    def statement(self, node: ast.stmt, env: Env) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            env.vars[node.name] = FuncRef(node, self.stmt)
            self._pending.append((node, self.stmt, env))
        elif isinstance(node, ast.ClassDef):
            env.vars[node.name] = Unknown(f"the class '{node.name}'", NameOf(node), self.stmt)
            inner = Env(env, env.scope)
            for s in node.body:
                if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    # Methods see the module (or enclosing function), not the class body.
                    self._pending.append((s, self.stmt, env))
                else:
                    self.statement(s, inner)
        elif isinstance(node, ast.If):
            self.expr(node.test, env)
            bodies: list[Sequence[ast.stmt]] = [node.body]
            orelse = node.orelse
            while len(orelse) == 1 and isinstance(orelse[0], ast.If) and \
                    self._is_elif(orelse[0]):
                self.expr(orelse[0].test, env)
                bodies.append(orelse[0].body)
                orelse = orelse[0].orelse
            bodies.append(orelse)
            self.branch(bodies, env, "conditionally (in an if statement)", node)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self.expr(node.iter, env)
            self.branch([node.body, node.orelse], env, "in a loop", node, [node.target])
        elif isinstance(node, ast.While):
            self.expr(node.test, env)
            self.branch([node.body, node.orelse], env, "in a loop", node)
        elif isinstance(node, (ast.Try, ast.TryStar)):
            self.block(node.body, env)
            self.branch([h.body for h in node.handlers], env, "in an except clause", node)
            self.block(node.orelse, env)
            self.block(node.finalbody, env)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                self.expr(item.context_expr, env)
                if item.optional_vars is not None:
                    for name in _target_names(item.optional_vars):
                        env.vars[name] = Unknown(f"'{name}', bound by a with statement",
                                                 item.optional_vars, self.stmt)
            self.block(node.body, env)
        elif isinstance(node, ast.Match):
            self.expr(node.subject, env)
            self.branch([c.body for c in node.cases], env, "in a match case", node)
        else:
            self.small(node, env)

    def _is_elif(self, node: ast.If) -> bool:
        """``elif`` rather than an ``if`` alone in an ``else`` block (``ast`` writes both
        as the ``else`` branch's one statement)."""
        line = self.source.lines[node.lineno - 1].encode("utf-8")
        return line[node.col_offset:].startswith(b"elif")

    def small(self, node: ast.stmt, env: Env) -> None:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for b in import_bindings(node, self.stmt):
                if b.relative:
                    env.vars[b.local] = Unknown(f"'{b.local}' (a relative import)", b.node,
                                                self.stmt)
                else:
                    env.vars[b.local] = Ref(b.qualified)
        elif isinstance(node, ast.Assign):
            value = self.expr(node.value, env)
            for t in node.targets:
                self.assign(t, value, env)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self.assign(node.target, self.expr(node.value, env), env)
        elif isinstance(node, ast.AugAssign):
            value = self.expr(node.value, env)
            current = self.expr(node.target, env)
            if isinstance(current, Seq) and isinstance(node.op, ast.Add):
                self.grow(current, value, node, env)
            else:
                for name in _target_names(node.target):
                    env.vars[name] = Unknown(f"'{name}', changed by an augmented assignment",
                                             node, self.stmt)
        elif isinstance(node, (ast.Expr, ast.Return)) and node.value is not None:
            self.expr(node.value, env)
        elif isinstance(node, ast.Raise) and node.exc is not None:
            self.expr(node.exc, env)
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                for name in _target_names(target):
                    env.vars[name] = Unknown(f"'{name}', which was deleted", node, self.stmt)

    def assign(self, target: ast.expr, value: Sym, env: Env) -> None:
        if isinstance(target, ast.Name):
            env.vars[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            items = value.items if isinstance(value, Seq) and value.dynamic is None else None
            elements = target.elts
            if items is not None and len(items) == len(elements) and \
                    not any(isinstance(e, ast.Starred) for e in elements):
                for e, v in zip(elements, items, strict=True):
                    self.assign(e, v, env)
            else:
                for name in _target_names(target):
                    env.vars[name] = Unknown(f"'{name}', from an unpacking assignment", target,
                                             self.stmt)
        elif isinstance(target, ast.Subscript):
            base = self.expr(target.value, env)
            if isinstance(base, Seq):
                base.dynamic = Unknown("a list changed by item assignment", target, self.stmt)

    def grow(self, seq: Seq, value: Sym, node: Node, env: Env, single: bool = False,
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


def _target_names(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, (ast.Tuple, ast.List)):
        out: list[str] = []
        for el in node.elts:
            out += _target_names(el)
        return out
    if isinstance(node, ast.Starred):
        return _target_names(node.value)
    return []


def recognize(source: SourceFile) -> Recognized:
    return Recognizer(source).run()
