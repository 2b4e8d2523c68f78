"""The value types of task inputs and outputs, read from annotation text.

An annotation is parsed from its source text with :func:`ast.parse` (``mode="eval"``), so the
model does not depend on the front end's parser. Only what a value can be once it has crossed
the pod boundary as JSON is modelled: ``int``, ``float``, ``bool``, ``str``, ``None``,
``list[T]``, ``dict[str, T]``, ``tuple[...]``, unions (``X | Y``, ``Optional``, ``Union``) and
``Literal[...]``. Everything else (``Any``, ``object``, a class, a ``TypedDict``, a missing
annotation) is :data:`ANY`: it accepts any value and is accepted anywhere.

Two checks use the model: :func:`accepts` (does a literal value fit a type?) and
:func:`assignable` (may an output of one type feed an input of another?). The coercions they
allow are those Python's type checkers allow, and the ones docs/dsl.md lists: an ``int`` is
accepted where a ``float`` is expected, and a ``bool`` where an ``int`` or a ``float`` is.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


@dataclass(frozen=True, slots=True)
class AnyType:
    def __str__(self) -> str:
        return "Any"


@dataclass(frozen=True, slots=True)
class Scalar:
    #: "int", "float", "bool", "str" or "None".
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class ListType:
    item: Type

    def __str__(self) -> str:
        return f"list[{self.item}]"


@dataclass(frozen=True, slots=True)
class DictType:
    #: Keys are strings once the value is JSON; only the value type is checked.
    value: Type

    def __str__(self) -> str:
        return f"dict[str, {self.value}]"


@dataclass(frozen=True, slots=True)
class TupleType:
    items: tuple[Type, ...]
    #: ``tuple[T, ...]``: any length, every item of ``items[0]``.
    variadic: bool = False

    def __str__(self) -> str:
        if self.variadic:
            return f"tuple[{self.items[0]}, ...]"
        return "tuple[" + ", ".join(str(i) for i in self.items) + "]"


@dataclass(frozen=True, slots=True)
class UnionType:
    options: tuple[Type, ...]

    def __str__(self) -> str:
        return " | ".join(str(o) for o in self.options)


@dataclass(frozen=True, slots=True)
class LiteralType:
    values: tuple[Any, ...]

    def __str__(self) -> str:
        return "Literal[" + ", ".join(repr(v) for v in self.values) + "]"


Type = AnyType | Scalar | ListType | DictType | TupleType | UnionType | LiteralType

ANY = AnyType()
INT, FLOAT, BOOL, STR, NONE = (Scalar(n) for n in ("int", "float", "bool", "str", "None"))

_SCALARS: dict[str, Type] = {"int": INT, "float": FLOAT, "bool": BOOL, "str": STR, "None": NONE,
            "NoneType": NONE, "bytes": ANY}
_LISTS = frozenset({"list", "List", "Sequence", "MutableSequence", "Iterable", "Collection",
                    "set", "Set", "frozenset", "FrozenSet"})
_DICTS = frozenset({"dict", "Dict", "Mapping", "MutableMapping"})


@lru_cache(maxsize=4096)  # annotations repeat ("int", "list[float]"); the types are frozen
def parse(text: str | None) -> Type:
    """The type an annotation's source text denotes; :data:`ANY` when absent or not modelled."""
    if text is None:
        return ANY
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError):
        return ANY
    return _from_node(tree.body, depth=0)


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):  # typing.List, t.Optional
        return node.attr
    return None


def _from_node(node: ast.expr, depth: int) -> Type:
    if depth > 20:
        return ANY
    if isinstance(node, ast.Constant):
        if node.value is None:
            return NONE
        if isinstance(node.value, str):  # a forward reference: "int"
            return parse(node.value) if depth < 5 else ANY
        return ANY
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return union([_from_node(node.left, depth + 1), _from_node(node.right, depth + 1)])
    name = _name(node)
    if name is not None:
        if name in _SCALARS:
            return _SCALARS[name]
        if name in _LISTS:
            return ListType(ANY)
        if name in _DICTS:
            return DictType(ANY)
        if name in ("tuple", "Tuple"):
            return TupleType((ANY,), variadic=True)
        return ANY
    if not isinstance(node, ast.Subscript):
        return ANY
    base = _name(node.value)
    args = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
    if base in _LISTS and len(args) == 1:
        return ListType(_from_node(args[0], depth + 1))
    if base in _DICTS and len(args) == 2:
        return DictType(_from_node(args[1], depth + 1))
    if base in ("tuple", "Tuple"):
        if len(args) == 2 and isinstance(args[1], ast.Constant) and args[1].value is Ellipsis:
            return TupleType((_from_node(args[0], depth + 1),), variadic=True)
        return TupleType(tuple(_from_node(a, depth + 1) for a in args))
    if base == "Optional" and len(args) == 1:
        return union([_from_node(args[0], depth + 1), NONE])
    if base == "Union":
        return union([_from_node(a, depth + 1) for a in args])
    if base == "Literal":
        values = []
        for a in args:
            if isinstance(a, ast.Constant) and (a.value is None or
                                                isinstance(a.value, (str, int, bool))):
                values.append(a.value)
            elif isinstance(a, ast.UnaryOp) and isinstance(a.op, ast.USub) and \
                    isinstance(a.operand, ast.Constant) and isinstance(a.operand.value, int):
                values.append(-a.operand.value)
            else:
                return ANY
        return LiteralType(tuple(values))
    if base in ("Annotated", "Final", "Required", "NotRequired") and args:
        return _from_node(args[0], depth + 1)
    return ANY


def union(options: list[Type]) -> Type:
    """A union, flattened and without repeats; ANY absorbs everything."""
    flat: list[Type] = []
    for o in options:
        for item in (o.options if isinstance(o, UnionType) else (o,)):
            if isinstance(item, AnyType):
                return ANY
            if item not in flat:
                flat.append(item)
    if len(flat) == 1:
        return flat[0]
    return UnionType(tuple(flat))


def is_any(t: Type) -> bool:
    return isinstance(t, AnyType)


# -- literal values ------------------------------------------------------------------------


def accepts(t: Type, value: Any) -> bool:
    """Whether the Python literal *value* is a value of type *t*."""
    if isinstance(t, AnyType):
        return True
    if isinstance(t, UnionType):
        return any(accepts(o, value) for o in t.options)
    if isinstance(t, LiteralType):
        return any(type(v) is type(value) and v == value for v in t.values)
    if isinstance(t, Scalar):
        if t.name == "None":
            return value is None
        if t.name == "str":
            return isinstance(value, str)
        if t.name == "bool":
            return isinstance(value, bool)
        if t.name == "int":
            return isinstance(value, int)  # bool is an int, as for Python's type checkers
        return isinstance(value, (int, float))  # float: int is promoted
    if isinstance(t, ListType):
        return isinstance(value, list) and all(accepts(t.item, v) for v in value)
    if isinstance(t, DictType):
        return isinstance(value, dict) and all(accepts(t.value, v) for v in value.values())
    if not isinstance(value, (tuple, list)):
        return False
    if t.variadic:
        return all(accepts(t.items[0], v) for v in value)
    return len(value) == len(t.items) and all(accepts(i, v) for i, v in zip(t.items, value, strict=True))


def type_of(value: Any) -> Type:
    """The narrowest type of a literal value, for messages (``[1, "a"]`` → list[int | str])."""
    if value is None:
        return NONE
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int):
        return INT
    if isinstance(value, float):
        return FLOAT
    if isinstance(value, str):
        return STR
    if isinstance(value, list):
        return ListType(union([type_of(v) for v in value]) if value else ANY)
    if isinstance(value, tuple):
        return TupleType(tuple(type_of(v) for v in value))
    if isinstance(value, dict):
        return DictType(union([type_of(v) for v in value.values()]) if value else ANY)
    return ANY


def show_value(value: Any) -> str:
    """``str ('ten')``: the given value's type and, short, the value."""
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type_of(value)} ({text})"


# -- types against types -------------------------------------------------------------------

_PROMOTIONS = {("int", "float"), ("bool", "int"), ("bool", "float")}


def assignable(src: Type, dst: Type) -> bool:
    """Whether every value of type *src* is accepted where *dst* is expected."""
    if isinstance(src, AnyType) or isinstance(dst, AnyType):
        return True
    if isinstance(src, UnionType):
        return all(assignable(o, dst) for o in src.options)
    if isinstance(src, LiteralType):
        return all(accepts(dst, v) for v in src.values)
    if isinstance(dst, UnionType):
        return any(assignable(src, o) for o in dst.options)
    if isinstance(dst, LiteralType):
        return False
    if isinstance(src, Scalar) and isinstance(dst, Scalar):
        return src == dst or (src.name, dst.name) in _PROMOTIONS
    if isinstance(src, ListType) and isinstance(dst, ListType):
        return assignable(src.item, dst.item)
    if isinstance(src, DictType) and isinstance(dst, DictType):
        return assignable(src.value, dst.value)
    if isinstance(src, TupleType) and isinstance(dst, TupleType):
        if dst.variadic:
            return all(assignable(i, dst.items[0]) for i in src.items)
        return not src.variadic and len(src.items) == len(dst.items) and \
            all(assignable(s, d) for s, d in zip(src.items, dst.items, strict=True))
    return False


def accepts_list(t: Type) -> bool:
    """Whether some list value fits *t* (a whole list may be passed to it)."""
    if isinstance(t, AnyType):
        return True
    if isinstance(t, UnionType):
        return any(accepts_list(o) for o in t.options)
    return isinstance(t, (ListType, TupleType))


# -- how a value crosses the pod boundary ------------------------------------------------------


def _text_options(t: Type) -> bool:
    """Every option is ``str``, a string ``Literal`` or ``None``, and one is not ``None``."""
    options = t.options if isinstance(t, UnionType) else (t,)
    texts = [o for o in options if o == STR or (
        isinstance(o, LiteralType) and all(isinstance(v, str) for v in o.values))]
    return bool(texts) and all(o in texts or o == NONE for o in options)


def text_decode(text: str | None, items: bool = False) -> str | None:
    """``"str-or-null"`` for an annotation whose values are text or None (``str | None``,
    ``Optional[str]``, ``Literal["a", "b"]``): such an input arrives as text, as a ``str``
    output does, with ``null`` for None. Reading it as JSON would turn the text "1" into the
    int 1. With *items*, ``"text-items"`` for a list of them (``list[str | None]``): each item
    so. None for every other annotation."""
    t = parse(text)
    if items:
        return "text-items" if isinstance(t, ListType) and text_decode(str(t.item)) else None
    return "str-or-null" if _text_options(t) and t != STR else None


def mixes_text(t: Type) -> bool:
    """A union that takes a ``str`` and also a JSON value other than None (``int | str``):
    a text value reaching it is read as JSON when it parses, so "[1]" would become a list."""
    if not isinstance(t, UnionType) or _text_options(t):
        return False
    return any(accepts(o, "") for o in t.options)
