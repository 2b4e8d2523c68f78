"""Argo's template tags, substituted as Argo substitutes them.

A scope is a flat mapping of dotted names to text (``inputs.parameters.n``,
``tasks.coin.outputs.result``, ``workflow.name``...). ``{{name}}`` is replaced by its text;
``{{=expr}}`` by the value of an expr-lang expression over the same names nested by their dots.
A tag whose name is not in scope is left as it is, as Argo leaves tags it does not own
(``{{pod.name}}`` outside a pod, say), unless its name starts with a prefix the caller
requires (an unresolved ``{{tasks.x.outputs...}}`` is an error in Argo).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from tiphys.compiler.run.expressions import ExpressionError, evaluate, render

TAG = re.compile(r"\{\{\s*([^{}=][^{}]*?)\s*\}\}")
EXPR_TAG = re.compile(r"\{\{=(.*?)\}\}", re.S)

#: Names that must resolve where they appear (Argo fails the node otherwise).
STRICT = ("inputs.", "steps.", "tasks.", "item", "workflow.parameters.", "workflow.outputs.")


class Unresolved(Exception):
    """A tag that should have a value and has none."""

    def __init__(self, message: str, key: str = "") -> None:
        super().__init__(message)
        #: The name that has no value (empty for an expression).
        self.key = key


def tree(scope: Mapping[str, str]) -> dict[str, Any]:
    """The scope nested by its dots, for expressions. A name that is both a value and a
    prefix of others (an aggregated ``outputs.parameters``) is the nested one."""
    root: dict[str, Any] = {}
    for key in sorted(scope, key=lambda k: k.count(".")):
        node = root
        parts = key.split(".")
        for part in parts[:-1]:
            nxt = node.get(part)
            if not isinstance(nxt, dict):
                nxt = {}
                node[part] = nxt
            node = nxt
        node.setdefault(parts[-1], scope[key])
    return root


def substitute(text: str, scope: Mapping[str, str], strict: Iterable[str] = STRICT) -> str:
    prefixes = tuple(strict)
    if "{{" not in text:
        return text

    def expr(m: re.Match[str]) -> str:
        try:
            return render(evaluate(m.group(1).strip(), tree(scope)))
        except ExpressionError as exc:
            raise Unresolved(f"{{{{={m.group(1)}}}}}: {exc}") from exc

    def plain(m: re.Match[str]) -> str:
        key = m.group(1)
        if key in scope:
            return scope[key]
        if key.startswith(prefixes) or key == "item":
            raise Unresolved(f"{{{{{key}}}}} has no value here", key)
        return m.group(0)

    return TAG.sub(plain, EXPR_TAG.sub(expr, text))


def substitute_all(value: Any, scope: Mapping[str, str], strict: Iterable[str] = STRICT) -> Any:
    """Every string inside *value* (dicts and lists walked), keys unchanged."""
    prefixes = tuple(strict)
    if isinstance(value, str):
        return substitute(value, scope, prefixes)
    if isinstance(value, list):
        return [substitute_all(v, scope, prefixes) for v in value]
    if isinstance(value, dict):
        return {k: substitute_all(v, scope, prefixes) for k, v in value.items()}
    return value


def item_text(item: Any) -> str:
    """An item as ``{{item}}`` shows it: strings as they are, anything else as JSON."""
    import json

    if isinstance(item, str):
        return item
    if isinstance(item, bool):
        return "true" if item else "false"
    return json.dumps(item, separators=(",", ":"))


def item_scope(item: Any) -> dict[str, str]:
    """``{{item}}`` and, for a map item, ``{{item.key}}``."""
    out = {"item": item_text(item)}
    if isinstance(item, dict):
        for k, v in item.items():
            out[f"item.{k}"] = item_text(v)
    return out
