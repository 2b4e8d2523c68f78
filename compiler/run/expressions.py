"""The two expression languages of an Argo document, evaluated locally.

* ``{{=...}}`` tags and hook ``expression`` fields are expr-lang: variables are the run's
  values nested by their dots (``tasks.coin.outputs.parameters['return']``), with the
  functions Argo adds (``asInt``, ``asFloat``, ``string``, ``jsonpath``...).
* A ``when`` without an expression tag is, after plain substitution, a govaluate
  expression in which every bare word is a string: ``heads == heads`` is true. Argo turns
  govaluate's variables into strings for exactly this reason.

One small Pratt parser serves both; the flag ``bare_words`` selects the second reading.
Only the subset below is supported; anything else is an :class:`ExpressionError`, which the
engine reports as the node's Error (as Argo reports a bad expression).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any


class ExpressionError(Exception):
    """An expression that cannot be parsed or evaluated."""


_TOKEN = re.compile(r"""
    \s*(?:
      (?P<num>\d+\.\d*|\.\d+|\d+)
    | (?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`)
    | (?P<op>&&|\|\||==|!=|<=|>=|=~|\?\?|[-+*/%<>!()\[\],.?:])
    | (?P<name>[A-Za-z_$][\w$-]*)
    )""", re.X)

_WORD_OPS = {"and": "&&", "or": "||", "not": "!"}
_BINARY = {  # operator: (left binding power, right binding power)
    "??": (5, 6), "||": (10, 11), "&&": (20, 21),
    "==": (30, 31), "!=": (30, 31), "=~": (30, 31), "matches": (30, 31),
    "<": (35, 36), "<=": (35, 36), ">": (35, 36), ">=": (35, 36),
    "in": (35, 36), "contains": (35, 36), "startsWith": (35, 36), "endsWith": (35, 36),
    "+": (40, 41), "-": (40, 41), "*": (50, 51), "/": (50, 51), "%": (50, 51),
}


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise ExpressionError(f"unexpected character {text[pos:].strip()[:1]!r} in {text!r}")
        pos = m.end()
        kind = m.lastgroup or ""
        value = m.group(kind)
        if kind == "name" and value in _WORD_OPS:
            kind, value = "op", _WORD_OPS[value]
        out.append((kind, value))
    return out


def _unquote(raw: str) -> str:
    if raw[0] == "`":
        return raw[1:-1]
    body = raw[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def _as_int(value: Any) -> int:
    try:
        return int(str(value).strip()) if not isinstance(value, (int, float)) else int(value)
    except ValueError as exc:
        raise ExpressionError(f"asInt: {value!r} is not an integer") from exc


def _as_float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise ExpressionError(f"asFloat: {value!r} is not a number") from exc


def _string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return "" if value is None else str(value)


def _jsonpath(document: Any, path: str) -> Any:
    """The ``$.a.b[0]`` paths Argo's expressions use on a JSON text."""
    value = json.loads(document) if isinstance(document, str) else document
    for key, index in re.findall(r"\.([\w-]+)|\[(\d+)\]", path.removeprefix("$")):
        value = value[key] if key else value[int(index)]
    return value


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "asInt": _as_int, "asFloat": _as_float, "string": _string, "int": _as_int,
    "float": _as_float, "len": len, "jsonpath": _jsonpath, "toJson": json.dumps,
    "lower": lambda s: str(s).lower(), "upper": lambda s: str(s).upper(),
    "trim": lambda s: str(s).strip(),
}


class _Parser:
    def __init__(self, text: str, env: Mapping[str, Any], bare_words: bool) -> None:
        self.text = text
        self.toks = _tokens(text)
        self.pos = 0
        self.env = env
        self.bare_words = bare_words
        #: Above 0 while parsing a branch whose value is not needed (expr-lang does not
        #: evaluate it, so a missing variable there is no error).
        self.skip = 0

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if tok is None or (value is not None and tok[1] != value):
            want = f"{value!r}" if value else "more"
            raise ExpressionError(f"expected {want} in {self.text!r}")
        self.pos += 1
        return tok

    def parse(self) -> Any:
        value = self.expr(0)
        if self.peek() is not None:
            raise ExpressionError(f"unexpected {self.peek()[1]!r} in {self.text!r}")  # type: ignore[index]
        return value

    def expr(self, min_bp: int) -> Any:
        left = self.prefix()
        while True:
            tok = self.peek()
            if tok is None:
                return left
            op = tok[1]
            if op == "?" and min_bp <= 2:
                self.take()
                cond = _truthy(left)
                yes = self.lazy(not cond, 0)
                self.take(":")
                no = self.lazy(cond, 2)
                left = yes if cond else no
                continue
            if op == "!" and self._next_is("in"):  # "not in": both tokens taken below
                op = "not in"
            if op not in _BINARY and op != "not in":
                return left
            lbp, rbp = _BINARY.get(op, (35, 36))
            if lbp < min_bp:
                return left
            self.take()
            if op == "not in":
                self.take("in")
            if op in ("&&", "||", "??"):
                # The right side is evaluated only when it decides (short-circuit).
                needless = (op == "&&" and not _truthy(left)) or \
                    (op == "||" and _truthy(left)) or (op == "??" and left is not None)
                right = self.lazy(needless, rbp)
                if op == "&&":
                    left = _truthy(left) and _truthy(right)
                elif op == "||":
                    left = _truthy(left) or _truthy(right)
                else:
                    left = right if left is None else left
                continue
            right = self.expr(rbp)
            left = None if self.skip else _binary(op, left, right)

    def lazy(self, skip: bool, min_bp: int) -> Any:
        self.skip += skip
        try:
            return self.expr(min_bp)
        finally:
            self.skip -= skip

    def _next_is(self, value: str) -> bool:
        nxt = self.toks[self.pos + 1] if self.pos + 1 < len(self.toks) else None
        return nxt is not None and nxt[1] == value

    def prefix(self) -> Any:
        kind, value = self.take()
        if kind == "num":
            return self.postfix(_number(value))
        if kind == "str":
            return self.postfix(_unquote(value))
        if kind == "op":
            if value == "(":
                inner = self.expr(0)
                self.take(")")
                return self.postfix(inner)
            if value in ("!", "-", "+"):
                operand = self.expr(60)
                if self.skip:
                    return None
                return not _truthy(operand) if value == "!" else \
                    -_num(operand) if value == "-" else _num(operand)
            if value == "[":
                items = []
                while self.peek() is not None and self.peek()[1] != "]":  # type: ignore[index]
                    items.append(self.expr(0))
                    if self.peek() is not None and self.peek()[1] == ",":  # type: ignore[index]
                        self.take()
                self.take("]")
                return self.postfix(items)
            raise ExpressionError(f"unexpected {value!r} in {self.text!r}")
        if value in ("true", "false"):
            return value == "true"
        if value in ("nil", "null"):
            return None
        nxt = self.peek()
        if nxt is not None and nxt[1] == "(":
            return self.postfix(self.call(value))
        if self.bare_words:
            # govaluate reading: a bare word (dots and dashes included) is a string.
            while self.peek() is not None and self.peek()[1] == "." and self._next_kind("name"):  # type: ignore[index]
                self.take()
                value += "." + self.take()[1]
            return value
        if self.skip:
            return self.postfix(None)
        if value not in self.env:
            raise ExpressionError(f"unknown variable {value!r} in {self.text!r}")
        return self.postfix(self.env[value])

    def _next_kind(self, kind: str) -> bool:
        nxt = self.toks[self.pos + 1] if self.pos + 1 < len(self.toks) else None
        return nxt is not None and nxt[0] == kind

    def call(self, name: str) -> Any:
        self.take("(")
        args = []
        while self.peek() is not None and self.peek()[1] != ")":  # type: ignore[index]
            args.append(self.expr(0))
            if self.peek() is not None and self.peek()[1] == ",":  # type: ignore[index]
                self.take()
        self.take(")")
        if self.skip:
            return None
        if name.startswith("sprig."):
            name = name[len("sprig."):]
        fn = FUNCTIONS.get(name)
        if fn is None:
            raise ExpressionError(f"function {name}() is not supported by tiphys run")
        try:
            return fn(*args)
        except ExpressionError:
            raise
        except Exception as exc:
            raise ExpressionError(f"{name}(): {exc}") from exc

    def postfix(self, value: Any) -> Any:
        while True:
            tok = self.peek()
            if tok is None or tok[1] not in (".", "["):
                return value
            self.take()
            if tok[1] == ".":
                key: Any = self.take()[1]
            else:
                key = self.expr(0)
                self.take("]")
            value = None if self.skip else _member(value, key, self.text)


def _member(value: Any, key: Any, text: str) -> Any:
    try:
        if isinstance(value, list):
            return value[int(key)]
        if isinstance(value, Mapping):
            return value[str(key)]
    except (KeyError, IndexError, ValueError) as exc:
        raise ExpressionError(f"no value for {key!r} in {text!r}") from exc
    if isinstance(value, str):
        try:
            return _member(json.loads(value), key, text)
        except ValueError:
            pass
    raise ExpressionError(f"cannot read {key!r} of {value!r} in {text!r}")


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value == "true"
    return bool(value)


def _num(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            return _number(str(value).strip())
        except ValueError as exc:
            raise ExpressionError(f"{value!r} is not a number") from exc
    return value


def _comparable(a: Any, b: Any) -> tuple[Any, Any]:
    if isinstance(a, (int, float)) and not isinstance(a, bool) and isinstance(b, str):
        return a, _num(b)
    if isinstance(b, (int, float)) and not isinstance(b, bool) and isinstance(a, str):
        return _num(a), b
    return a, b


def _binary(op: str, a: Any, b: Any) -> Any:
    if op in ("==", "!="):
        x, y = (a, b)
        if isinstance(x, bool) or isinstance(y, bool):
            x, y = _string(x) if isinstance(x, bool) else x, _string(y) if isinstance(y, bool) else y
        elif isinstance(x, (int, float)) and isinstance(y, (int, float)):
            pass
        else:
            x, y = _comparable(x, y) if _numeric_text(x, y) else (x, y)
        return (x == y) if op == "==" else (x != y)
    if op in ("<", "<=", ">", ">="):
        x, y = _comparable(a, b)
        if isinstance(x, str) != isinstance(y, str):
            x, y = _num(x), _num(y)
        return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]
    if op in ("=~", "matches"):
        return re.search(str(b), str(a)) is not None
    if op == "in":
        return a in b if isinstance(b, (list, dict, str)) else False
    if op == "not in":
        return not _binary("in", a, b)
    if op == "contains":
        return str(b) in str(a)
    if op == "startsWith":
        return str(a).startswith(str(b))
    if op == "endsWith":
        return str(a).endswith(str(b))
    if op == "+" and (isinstance(a, str) or isinstance(b, str)):
        return _string(a) + _string(b)
    x, y = _num(a), _num(b)
    if op == "/" and y == 0:
        raise ExpressionError("division by zero")
    return {"+": x + y, "-": x - y, "*": x * y, "/": x / y, "%": x % y if y else 0}[op]


def _numeric_text(x: Any, y: Any) -> bool:
    """One side a number, the other a text: compare as numbers (govaluate reads both)."""
    return (isinstance(x, (int, float)) and isinstance(y, str)) or \
        (isinstance(y, (int, float)) and isinstance(x, str))


def evaluate(text: str, env: Mapping[str, Any]) -> Any:
    """An expr-lang expression over *env* (nested mappings)."""
    return _Parser(text, env, bare_words=False).parse()


def evaluate_simple(text: str) -> bool:
    """A substituted ``when`` in the simple form (govaluate, bare words are strings)."""
    if not text.strip():
        return True
    return _truthy(_Parser(text, {}, bare_words=True).parse())


def render(value: Any) -> str:
    """An expression's value as the text Argo puts in its place."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _string(value)
