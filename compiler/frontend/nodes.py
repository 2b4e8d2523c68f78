"""Small views of ``ast`` nodes in the shape the DSL readers want them."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from tiphys.compiler.frontend.source import Span, Unpacked


@dataclass(frozen=True, slots=True)
class DictItem:
    """One entry of a dict display: ``key: value``, or ``**value`` (key None)."""

    key: ast.expr | None
    value: ast.expr
    #: The whole entry, for positions.
    node: Span | Unpacked


def dict_items(node: ast.Dict) -> list[DictItem]:
    out = []
    for key, value in zip(node.keys, node.values, strict=True):
        if key is None:
            out.append(DictItem(None, value, Unpacked(value, "**")))
        else:
            end_line = value.end_lineno if value.end_lineno is not None else value.lineno
            end_col = value.end_col_offset if value.end_col_offset is not None else 0
            out.append(DictItem(key, value, Span(key.lineno, key.col_offset, end_line,
                                                 end_col)))
    return out


def unstarred(node: ast.expr) -> ast.expr:
    """The expression of a list element, without the ``*`` of ``*rest``."""
    return node.value if isinstance(node, ast.Starred) else node


def ordered_walk(root: ast.AST) -> list[ast.AST]:
    """Every node under *root*, parents before children, siblings in source order (as a
    reader meets them: ``a if b else c`` is a, b, c; a dict's keys and values alternate)."""
    out: list[ast.AST] = []
    stack = [root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(children_in_order(node)))
    return out


def children_in_order(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.IfExp):
        return [node.body, node.test, node.orelse]
    if isinstance(node, ast.Dict):
        kids: list[ast.AST] = []
        for k, v in zip(node.keys, node.values, strict=True):
            if k is not None:
                kids.append(k)
            kids.append(v)
        return kids
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        returns = [node.returns] if node.returns is not None else []
        return [*node.decorator_list, node.args, *returns, *node.body]
    if isinstance(node, ast.ClassDef):
        return [*node.decorator_list, *node.bases, *node.keywords, *node.body]
    if isinstance(node, ast.arguments):
        return [part for param, default in parameters(node)
                for part in (param, default) if part is not None]
    if isinstance(node, ast.MatchMapping):
        return [part for pair in zip(node.keys, node.patterns, strict=True) for part in pair]
    if isinstance(node, ast.Call) and node.keywords and node.args:
        return [node.func, *sorted([*node.args, *node.keywords],
                                   key=lambda n: (getattr(n, "lineno", 0),
                                                 getattr(n, "col_offset", 0)))]
    return list(ast.iter_child_nodes(node))


def parameters(args: ast.arguments) -> list[tuple[ast.arg, ast.expr | None]]:
    """Every parameter with its default, in source order (``*args`` after the positional
    ones, ``**kwargs`` last)."""
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults += args.defaults
    out: list[tuple[ast.arg, ast.expr | None]] = list(zip(positional, defaults, strict=True))
    if args.vararg is not None:
        out.append((args.vararg, None))
    out += zip(args.kwonlyargs, args.kw_defaults, strict=True)
    if args.kwarg is not None:
        out.append((args.kwarg, None))
    return out
