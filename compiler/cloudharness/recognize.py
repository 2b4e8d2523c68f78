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

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst

from tiphys.compiler.cloudharness.model import Operation, Problem
from tiphys.compiler.cloudharness.pyfunc import script_for
from tiphys.compiler.cloudharness.symbolic import (
    Const,
    DictSym,
    Env,
    FuncRef,
    LambdaRef,
    ModelObj,
    NotStatic,
    Ref,
    Seq,
    Sym,
    Unknown,
    literal,
)
from tiphys.compiler.frontend.imports import import_bindings
from tiphys.compiler.frontend.literals import NotLiteral, evaluate_literal
from tiphys.compiler.frontend.module_context import ModuleContext, build_context
from tiphys.compiler.frontend.source import SourceFile
from tiphys.compiler.ir.loc import Loc

_CH = re.compile(r"^(?:cloudharness\.workflows|tiphys\.cloudharness)\.(?:operations|tasks|utils)"
                 r"\.(\w+)$")
_MODEL = re.compile(r"^(?:argo|kubernetes)\..*\.(V1\w+)$")


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


def ch_class(qualified: str) -> str | None:
    m = _CH.match(qualified)
    return m.group(1) if m else None


class Recognizer:
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

    # -- expressions ----------------------------------------------------------------------

    def expr(self, node: cst.BaseExpression, env: Env) -> Sym:
        if isinstance(node, (cst.Integer, cst.Float, cst.SimpleString, cst.ConcatenatedString,
                             cst.UnaryOperation)):
            try:
                return Const(evaluate_literal(node), node, self.stmt)
            except NotLiteral:
                return Unknown("an expression that is not a literal", node, self.stmt)
        if isinstance(node, cst.Name):
            if node.value in ("True", "False", "None"):
                return Const(evaluate_literal(node), node, self.stmt)
            found = env.lookup(node.value)
            if found is None:
                return Unknown(f"the name '{node.value}'", node, self.stmt)
            return found
        if isinstance(node, cst.Attribute):
            base = self.expr(node.value, env)
            if isinstance(base, Ref):
                return Ref(f"{base.qualified}.{node.attr.value}")
            return Unknown(f"the attribute '{node.attr.value}'", node, self.stmt)
        if isinstance(node, (cst.List, cst.Tuple)):
            items: list[Sym] = []
            dynamic = None
            for el in node.elements:
                if isinstance(el, cst.StarredElement):
                    inner = self.expr(el.value, env)
                    if isinstance(inner, Seq) and inner.dynamic is None:
                        items.extend(inner.items)
                    else:
                        dynamic = Unknown("a list unpacked with '*'", el, self.stmt)
                else:
                    items.append(self.expr(el.value, env))
            return Seq(items, node, self.stmt, env.scope, len(self.nesting), dynamic)
        if isinstance(node, cst.Dict):
            pairs: list[tuple[Sym, Sym]] = []
            for entry in node.elements:
                if not isinstance(entry, cst.DictElement):
                    return Unknown("a dict with '**' unpacking", entry, self.stmt)
                pairs.append((self.expr(entry.key, env), self.expr(entry.value, env)))
            return DictSym(tuple(pairs), node, self.stmt)
        if isinstance(node, cst.FormattedString):
            return self.fstring(node, env)
        if isinstance(node, cst.BinaryOperation):
            left, right = self.expr(node.left, env), self.expr(node.right, env)
            if isinstance(left, Const) and isinstance(right, Const):
                folded = _fold(node.operator, left.value, right.value)
                if folded is not None:
                    return Const(folded, node, self.stmt)
            return Unknown("an expression computed at run time", node, self.stmt)
        if isinstance(node, cst.Call):
            return self.call(node, env)
        if isinstance(node, cst.Lambda):
            return LambdaRef(node, self.stmt)
        if isinstance(node, cst.NamedExpr):
            value = self.expr(node.value, env)
            self.assign(node.target, value, env)
            return value
        if isinstance(node, cst.IfExp):
            self.expr(node.test, env)
            self.expr(node.body, env)
            self.expr(node.orelse, env)
            return Unknown("a conditional expression", node, self.stmt)
        if isinstance(node, (cst.ListComp, cst.GeneratorExp, cst.SetComp, cst.DictComp)):
            return Unknown("a comprehension (built at run time)", node, self.stmt)
        if isinstance(node, cst.Await):
            self.expr(node.expression, env)
        return Unknown("an expression computed at run time", node, self.stmt)

    def json_dumps(self, node: cst.Call, env: Env) -> Sym | None:
        """``json.dumps({'insert': 1})`` of literals is a literal (the CloudHarness docs build
        ``on_exit_notify`` payloads so): the standard function runs on plain values only."""
        import json

        args, kwargs = [], {}
        for a in node.args:
            value = self.expr(a.value, env)
            try:
                plain = literal(value)
            except NotStatic:
                return None
            if a.star:
                return None
            if a.keyword is None:
                args.append(plain)
            else:
                kwargs[a.keyword.value] = plain
        if not set(kwargs) <= {"indent", "sort_keys", "separators", "ensure_ascii"}:
            return None
        try:
            return Const(json.dumps(*args, **kwargs), node, self.stmt)
        except (TypeError, ValueError):
            return None

    def fstring(self, node: cst.FormattedString, env: Env) -> Sym:
        out = ""
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                out += part.value
                continue
            assert isinstance(part, cst.FormattedStringExpression)
            value = self.expr(part.expression, env)
            if not isinstance(value, Const) or part.format_spec or part.conversion or \
                    "{" in out or "}" in out:
                return Unknown("an f-string with values computed at run time", node, self.stmt)
            out += str(value.value)
        if "{{" in out or "}}" in out:
            return Unknown("an f-string with escaped braces", node, self.stmt)
        return Const(out, node, self.stmt)

    def call(self, node: cst.Call, env: Env) -> Sym:
        # Each node is evaluated once: evaluating a constructor registers an operation.
        if id(node) in self._calls:
            return self._calls[id(node)]
        result = self._call(node, env)
        self._calls[id(node)] = result
        return result

    def _call(self, node: cst.Call, env: Env) -> Sym:
        from tiphys.compiler.cloudharness.calls import construct

        base: Sym | None = None
        if isinstance(node.func, cst.Attribute):
            base = self.expr(node.func.value, env)
            attr = node.func.attr.value
            func: Sym = Ref(f"{base.qualified}.{attr}") if isinstance(base, Ref) else \
                Unknown(f"the attribute '{attr}'", node.func, self.stmt)
        else:
            func = self.expr(node.func, env)
        if isinstance(func, Ref):
            cls = ch_class(func.qualified)
            if cls is not None:
                return construct(self, cls, node, env)
            if func.qualified == "json.dumps":
                dumped = self.json_dumps(node, env)
                if dumped is not None:
                    return dumped
            m = _MODEL.match(func.qualified)
            if m is not None:
                fields = tuple((a.keyword.value, self.expr(a.value, env)) for a in node.args
                               if a.keyword is not None)
                if len(fields) != len(node.args):
                    return Unknown(f"'{m.group(1)}' called with positional arguments", node,
                                   self.stmt)
                return ModelObj(m.group(1), fields, node, self.stmt)
        args = [self.expr(a.value, env) for a in node.args]
        if isinstance(base, Seq) and isinstance(node.func, cst.Attribute):
            method = node.func.attr.value
            if method in ("append", "extend") and len(args) == 1:
                self.grow(base, args[0], node, env, single=method == "append")
                return Const(None, node, self.stmt)
            if method in ("insert", "pop", "remove", "clear", "sort", "reverse"):
                base.dynamic = base.dynamic or Unknown(f"a list changed by {method}()", node,
                                                       self.stmt)
        if isinstance(node.func, cst.Name) and env.lookup(node.func.value) is None:
            builtin = _builtin_call(node.func.value, node, args, self.stmt)
            if builtin is not None:
                return builtin
        name = cst.Module([]).code_for_node(node.func)
        return Unknown(f"the result of calling '{name}'", node, self.stmt)


def _builtin_call(name: str, node: cst.Call, args: list[Sym], stmt: int) -> Sym | None:
    """``str(3)``, ``list((a, b))``, ``tuple([...])``, ``dict(a=1)``: values still known."""
    if name == "str" and len(args) == 1 and isinstance(args[0], Const) and \
            node.args[0].keyword is None:
        return Const(str(args[0].value), node, stmt)
    if name in ("list", "tuple") and len(args) == 1 and isinstance(args[0], Seq) and \
            args[0].dynamic is None:
        return Seq(list(args[0].items), node, stmt, args[0].scope, args[0].depth)
    if name == "dict" and all(a.keyword is not None for a in node.args):
        return DictSym(tuple((Const(a.keyword.value, a, stmt), v)  # type: ignore[union-attr]
                             for a, v in zip(node.args, args, strict=True)), node, stmt)
    return None


def _fold(op: cst.BaseBinaryOp, a: object, b: object) -> object | None:
    """``'/mnt' + '/x'``, ``60 * 60 * 24``: arithmetic on literals (None: not folded)."""
    if isinstance(a, str) and isinstance(b, str) and isinstance(op, cst.Add):
        return a + b
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, (int, float)) or \
            not isinstance(b, (int, float)):
        return None
    x, y = a, b
    if isinstance(op, cst.Add):
        return x + y
    if isinstance(op, cst.Subtract):
        return x - y
    if isinstance(op, cst.Multiply):
        return x * y
    if isinstance(op, cst.FloorDivide) and y != 0:
        return x // y
    return None


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
