"""Expressions, evaluated symbolically for the recognizer (:mod:`.recognize`).

:class:`ExpressionEvaluator` turns an expression into a :mod:`.symbolic` value: literals and
what folds from them (``'/mnt' + '/x'``, ``60 * 60``, f-strings, ``str(3)``, ``json.dumps``
of literals), names, lists and dicts, CloudHarness constructors (which register
operations, :mod:`.calls`) and Argo-client model objects. Anything else is ``Unknown``, with
the reason.
"""

from __future__ import annotations

import ast
import re

from tiphys.compiler.cloudharness.symbolic import (
    Const,
    DictSym,
    Env,
    LambdaRef,
    ModelObj,
    Node,
    NotStatic,
    Ref,
    Seq,
    Sym,
    Unknown,
    literal,
)
from tiphys.compiler.cloudharness.syntax import Argument, arguments, written
from tiphys.compiler.frontend.literals import NotLiteral, evaluate_literal
from tiphys.compiler.frontend.source import SourceFile

_CH = re.compile(r"^(?:cloudharness\.workflows|tiphys\.cloudharness)\.(?:operations|tasks|utils)"
                 r"\.(\w+)$")
_MODEL = re.compile(r"^(?:argo|kubernetes)\..*\.(V1\w+)$")
_COMPREHENSIONS = (ast.ListComp, ast.GeneratorExp, ast.SetComp, ast.DictComp)


def ch_class(qualified: str) -> str | None:
    m = _CH.match(qualified)
    return m.group(1) if m else None


class ExpressionEvaluator:
    source: SourceFile
    stmt: int
    #: Why the current statement may run zero or many times, innermost last.
    nesting: list[str]
    _calls: dict[int, Sym]

    def assign(self, target: ast.expr, value: Sym, env: Env) -> None:
        raise NotImplementedError

    def construct(self, cls: str, node: ast.Call, env: Env) -> Sym:
        """A CloudHarness class called: an operation, a task, a context, ..."""
        raise NotImplementedError

    def grow(self, seq: Seq, value: Sym, node: Node, env: Env, single: bool = False,
             ) -> None:
        raise NotImplementedError

    def expr(self, node: ast.expr, env: Env) -> Sym:
        if isinstance(node, ast.Constant):
            if node.value is ... or isinstance(node.value, complex):
                return Unknown("an expression computed at run time", node, self.stmt)
            try:
                return Const(evaluate_literal(node), node, self.stmt)
            except NotLiteral:
                return Unknown("an expression that is not a literal", node, self.stmt)
        if isinstance(node, ast.UnaryOp):
            try:
                return Const(evaluate_literal(node), node, self.stmt)
            except NotLiteral:
                return Unknown("an expression that is not a literal", node, self.stmt)
        if isinstance(node, ast.Name):
            found = env.lookup(node.id)
            if found is None:
                return Unknown(f"the name '{node.id}'", node, self.stmt)
            return found
        if isinstance(node, ast.Attribute):
            base = self.expr(node.value, env)
            if isinstance(base, Ref):
                return Ref(f"{base.qualified}.{node.attr}")
            return Unknown(f"the attribute '{node.attr}'", node, self.stmt)
        if isinstance(node, (ast.List, ast.Tuple)):
            items: list[Sym] = []
            dynamic = None
            for el in node.elts:
                if isinstance(el, ast.Starred):
                    inner = self.expr(el.value, env)
                    if isinstance(inner, Seq) and inner.dynamic is None:
                        items.extend(inner.items)
                    else:
                        dynamic = Unknown("a list unpacked with '*'", el, self.stmt)
                else:
                    items.append(self.expr(el, env))
            return Seq(items, node, self.stmt, env.scope, len(self.nesting), dynamic)
        if isinstance(node, ast.Dict):
            pairs: list[tuple[Sym, Sym]] = []
            for key_node, value_node in zip(node.keys, node.values, strict=True):
                if key_node is None:
                    return Unknown("a dict with '**' unpacking",
                                   self.source.before(value_node, "**"), self.stmt)
                pairs.append((self.expr(key_node, env), self.expr(value_node, env)))
            return DictSym(tuple(pairs), node, self.stmt)
        if isinstance(node, ast.JoinedStr):
            return self.fstring(node, env)
        if isinstance(node, ast.BinOp):
            left, right = self.expr(node.left, env), self.expr(node.right, env)
            if isinstance(left, Const) and isinstance(right, Const):
                folded = _fold(node.op, left.value, right.value)
                if folded is not None:
                    return Const(folded, node, self.stmt)
            return Unknown("an expression computed at run time", node, self.stmt)
        if isinstance(node, ast.Call):
            return self.call(node, env)
        if isinstance(node, ast.Lambda):
            return LambdaRef(node, self.stmt)
        if isinstance(node, ast.NamedExpr):
            value = self.expr(node.value, env)
            self.assign(node.target, value, env)
            return value
        if isinstance(node, ast.IfExp):
            self.expr(node.test, env)
            self.expr(node.body, env)
            self.expr(node.orelse, env)
            return Unknown("a conditional expression", node, self.stmt)
        if isinstance(node, _COMPREHENSIONS):
            return Unknown("a comprehension (built at run time)", node, self.stmt)
        if isinstance(node, ast.Await):
            self.expr(node.value, env)
        return Unknown("an expression computed at run time", node, self.stmt)

    def json_dumps(self, node: ast.Call, env: Env) -> Sym | None:
        """``json.dumps({'insert': 1})`` of literals is a literal (the CloudHarness docs build
        ``on_exit_notify`` payloads so): the standard function runs on plain values only."""
        import json

        args, kwargs = [], {}
        for a in arguments(node, self.source):
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
                kwargs[a.keyword] = plain
        if not set(kwargs) <= {"indent", "sort_keys", "separators", "ensure_ascii"}:
            return None
        try:
            return Const(json.dumps(*args, **kwargs), node, self.stmt)
        except (TypeError, ValueError):
            return None

    def fstring(self, node: ast.JoinedStr, env: Env) -> Sym:
        out = ""
        for part in node.values:
            if isinstance(part, ast.Constant):
                # As written: a brace in the text is an escaped one (``{{``).
                out += str(part.value).replace("{", "{{").replace("}", "}}")
                continue
            assert isinstance(part, ast.FormattedValue)
            value = self.expr(part.value, env)
            if not isinstance(value, Const) or part.format_spec is not None or \
                    part.conversion != -1 or "{" in out or "}" in out:
                return Unknown("an f-string with values computed at run time", node, self.stmt)
            out += str(value.value)
        if "{{" in out or "}}" in out:
            return Unknown("an f-string with escaped braces", node, self.stmt)
        return Const(out, node, self.stmt)

    def call(self, node: ast.Call, env: Env) -> Sym:
        # Each node is evaluated once: evaluating a constructor registers an operation.
        if id(node) in self._calls:
            return self._calls[id(node)]
        result = self._call(node, env)
        self._calls[id(node)] = result
        return result

    def _call(self, node: ast.Call, env: Env) -> Sym:
        base: Sym | None = None
        if isinstance(node.func, ast.Attribute):
            base = self.expr(node.func.value, env)
            attr = node.func.attr
            func: Sym = Ref(f"{base.qualified}.{attr}") if isinstance(base, Ref) else \
                Unknown(f"the attribute '{attr}'", node.func, self.stmt)
        else:
            func = self.expr(node.func, env)
        given = arguments(node, self.source)
        if isinstance(func, Ref):
            cls = ch_class(func.qualified)
            if cls is not None:
                return self.construct(cls, node, env)
            if func.qualified == "json.dumps":
                dumped = self.json_dumps(node, env)
                if dumped is not None:
                    return dumped
            m = _MODEL.match(func.qualified)
            if m is not None:
                fields = tuple((a.keyword, self.expr(a.value, env)) for a in given
                               if a.keyword is not None)
                if len(fields) != len(given):
                    return Unknown(f"'{m.group(1)}' called with positional arguments", node,
                                   self.stmt)
                return ModelObj(m.group(1), fields, node, self.stmt)
        args = [self.expr(a.value, env) for a in given]
        if isinstance(base, Seq) and isinstance(node.func, ast.Attribute):
            method = node.func.attr
            if method in ("append", "extend") and len(args) == 1:
                self.grow(base, args[0], node, env, single=method == "append")
                return Const(None, node, self.stmt)
            if method in ("insert", "pop", "remove", "clear", "sort", "reverse"):
                base.dynamic = base.dynamic or Unknown(f"a list changed by {method}()", node,
                                                       self.stmt)
        if isinstance(node.func, ast.Name) and env.lookup(node.func.id) is None:
            builtin = _builtin_call(node.func.id, node, given, args, self.stmt)
            if builtin is not None:
                return builtin
        name = written(self.source, node.func)
        return Unknown(f"the result of calling '{name}'", node, self.stmt)


def _builtin_call(name: str, node: ast.Call, given: list[Argument], args: list[Sym],
                  stmt: int) -> Sym | None:
    """``str(3)``, ``list((a, b))``, ``tuple([...])``, ``dict(a=1)``: values still known."""
    if name == "str" and len(args) == 1 and isinstance(args[0], Const) and \
            given[0].keyword is None and not given[0].star:
        return Const(str(args[0].value), node, stmt)
    if name in ("list", "tuple") and len(args) == 1 and isinstance(args[0], Seq) and \
            args[0].dynamic is None:
        return Seq(list(args[0].items), node, stmt, args[0].scope, args[0].depth)
    if name == "dict" and all(a.keyword is not None for a in given):
        return DictSym(tuple((Const(a.keyword, a.node, stmt), v)
                             for a, v in zip(given, args, strict=True)), node, stmt)
    return None


def _fold(op: ast.operator, a: object, b: object) -> object | None:
    """``'/mnt' + '/x'``, ``60 * 60 * 24``: arithmetic on literals (None: not folded)."""
    if isinstance(a, str) and isinstance(b, str) and isinstance(op, ast.Add):
        return a + b
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, (int, float)) or \
            not isinstance(b, (int, float)):
        return None
    x, y = a, b
    if isinstance(op, ast.Add):
        return x + y
    if isinstance(op, ast.Sub):
        return x - y
    if isinstance(op, ast.Mult):
        return x * y
    if isinstance(op, ast.FloorDiv) and y != 0:
        return x // y
    return None
