"""Static evaluation of literal expressions (numbers, strings, containers of literals)."""

from __future__ import annotations

import ast
from typing import Any

import libcst as cst

_NOT_LITERAL = object()


class NotLiteral(Exception):
    """Raised internally; callers get ``None`` from :func:`literal_value`."""

    def __init__(self, node: cst.CSTNode) -> None:
        self.node = node


def _string(node: cst.BaseString) -> str | bytes:
    if isinstance(node, cst.SimpleString):
        return ast.literal_eval(node.value)  # type: ignore[no-any-return]
    if isinstance(node, cst.ConcatenatedString):
        left = _string(node.left)
        right = _string(node.right)
        return left + right  # type: ignore[operator]
    raise NotLiteral(node)  # f-strings are not literals


def evaluate_literal(node: cst.BaseExpression) -> Any:
    """The Python value of a literal expression; raises NotLiteral at the first non-literal."""
    if isinstance(node, cst.Integer):
        return node.evaluated_value
    if isinstance(node, cst.Float):
        return node.evaluated_value
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = _string(node)
        if isinstance(value, bytes):
            raise NotLiteral(node)
        return value
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[node.value]
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
        inner = evaluate_literal(node.expression)
        if isinstance(inner, (int, float)) and not isinstance(inner, bool):
            return -inner if isinstance(node.operator, cst.Minus) else inner
        raise NotLiteral(node)
    if isinstance(node, (cst.List, cst.Tuple)):
        out = []
        for el in node.elements:
            if isinstance(el, cst.StarredElement):
                raise NotLiteral(el)
            out.append(evaluate_literal(el.value))
        return out if isinstance(node, cst.List) else tuple(out)
    if isinstance(node, cst.Dict):
        result: dict[Any, Any] = {}
        for item in node.elements:
            if not isinstance(item, cst.DictElement):
                raise NotLiteral(item)
            key = evaluate_literal(item.key)
            try:
                result[key] = evaluate_literal(item.value)
            except TypeError:  # an unhashable key: Python itself would fail here
                raise NotLiteral(item.key) from None
        return result
    raise NotLiteral(node)


def is_literal(node: cst.BaseExpression) -> bool:
    try:
        evaluate_literal(node)
    except NotLiteral:
        return False
    return True
