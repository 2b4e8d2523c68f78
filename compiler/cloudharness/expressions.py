"""Expressions, evaluated symbolically for the recognizer (:mod:`.recognize`).

:class:`ExpressionEvaluator` turns an expression into a :mod:`.symbolic` value: literals and
what folds from them (``'/mnt' + '/x'``, ``60 * 60``, f-strings, ``str(3)``, ``json.dumps``
of literals), names, lists and dicts, CloudHarness constructors (which register
operations, :mod:`.calls`) and Argo-client model objects. Anything else is ``Unknown``, with
the reason.
"""

from __future__ import annotations

import re

import libcst as cst

from tiphys.compiler.cloudharness.symbolic import (
    Const,
    DictSym,
    Env,
    LambdaRef,
    ModelObj,
    NotStatic,
    Ref,
    Seq,
    Sym,
    Unknown,
    literal,
)
from tiphys.compiler.cstfront.literals import NotLiteral, evaluate_literal

_CH = re.compile(r"^(?:cloudharness\.workflows|tiphys\.cloudharness)\.(?:operations|tasks|utils)"
                 r"\.(\w+)$")
_MODEL = re.compile(r"^(?:argo|kubernetes)\..*\.(V1\w+)$")


def ch_class(qualified: str) -> str | None:
    m = _CH.match(qualified)
    return m.group(1) if m else None


class ExpressionEvaluator:
    stmt: int
    #: Why the current statement may run zero or many times, innermost last.
    nesting: list[str]
    _calls: dict[int, Sym]

    def assign(self, target: cst.BaseExpression, value: Sym, env: Env) -> None:
        raise NotImplementedError

    def construct(self, cls: str, node: cst.Call, env: Env) -> Sym:
        """A CloudHarness class called: an operation, a task, a context, ..."""
        raise NotImplementedError

    def grow(self, seq: Seq, value: Sym, node: cst.CSTNode, env: Env, single: bool = False,
             ) -> None:
        raise NotImplementedError

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
                return self.construct(cls, node, env)
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
