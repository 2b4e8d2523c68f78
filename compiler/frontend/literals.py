"""Static evaluation of literal expressions (numbers, strings, containers of literals)."""

from __future__ import annotations

import ast
from typing import Any


class NotLiteral(Exception):
    """Raised internally; callers get ``None`` from :func:`literal_value`."""

    def __init__(self, node: Any) -> None:
        self.node = node


def evaluate_literal(node: ast.AST) -> Any:
    """The Python value of a literal expression; raises NotLiteral at the first non-literal.
    Literals are str, int, float, bool and None (not bytes, complex numbers or ``...``),
    and lists, tuples and dicts of them."""
    if isinstance(node, ast.Constant):
        value = node.value
        if value is None or isinstance(value, (str, bool, int, float)):
            return value
        raise NotLiteral(node)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = evaluate_literal(node.operand)
        if isinstance(inner, (int, float)) and not isinstance(inner, bool):
            return -inner if isinstance(node.op, ast.USub) else inner
        raise NotLiteral(node)
    if isinstance(node, (ast.List, ast.Tuple)):
        out = []
        for el in node.elts:
            if isinstance(el, ast.Starred):
                raise NotLiteral(el)
            out.append(evaluate_literal(el))
        return out if isinstance(node, ast.List) else tuple(out)
    if isinstance(node, ast.Dict):
        result: dict[Any, Any] = {}
        for key_node, value_node in zip(node.keys, node.values, strict=True):
            if key_node is None:  # ``**other``
                raise NotLiteral(value_node)
            key = evaluate_literal(key_node)
            try:
                result[key] = evaluate_literal(value_node)
            except TypeError:  # an unhashable key: Python itself would fail here
                raise NotLiteral(key_node) from None
        return result
    raise NotLiteral(node)


def is_literal(node: ast.AST) -> bool:
    try:
        evaluate_literal(node)
    except NotLiteral:
        return False
    return True


def is_json(value: Any) -> bool:
    """*value* (an evaluated literal) is JSON: None, str, bool, numbers, lists and str-keyed
    dicts of them, as an input value must be."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return True
    if isinstance(value, (list, tuple)):
        return all(is_json(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and is_json(v) for k, v in value.items())
    return False
