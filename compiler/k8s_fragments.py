"""Checking Kubernetes-shaped option values (affinity, security contexts, pod metadata,
sidecars) against the strict schema, and pointing at the offending part of the literal.

The value is placed where lowering would put it, inside a minimal WorkflowTemplate, and the
document goes through :func:`check_strict`: the same schema that checks every emitted document,
so an option accepted here cannot fail there. A violation's JSON path is then followed through
the dict/list literal the user wrote, to the key or value it names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import libcst as cst

from tiphys.compiler.literals import NotLiteral, evaluate_literal
from tiphys.compiler.strict_schema import check_strict

JsonPath = tuple[str | int, ...]

_HOSTS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "affinity": lambda v: {"name": "x", "suspend": {}, "affinity": v},
    "securityContext": lambda v: {"name": "x", "suspend": {}, "securityContext": v},
    "container.securityContext": lambda v: {
        "name": "x", "container": {"image": "x", "securityContext": v},
    },
    "metadata": lambda v: {"name": "x", "suspend": {}, "metadata": v},
    "sidecar": lambda v: {"name": "x", "suspend": {}, "sidecars": [v]},
}
_PREFIX: dict[str, JsonPath] = {
    "affinity": ("affinity",),
    "securityContext": ("securityContext",),
    "container.securityContext": ("container", "securityContext"),
    "metadata": ("metadata",),
    "sidecar": ("sidecars", 0),
}


def fragment_problems(where: str, value: Any) -> list[tuple[JsonPath, str]]:
    """Strict-schema violations of *value* placed at *where* (a key of ``_HOSTS``), as
    (path inside the value, message), in the schema checker's order."""
    doc = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "WorkflowTemplate",
        "metadata": {"name": "x"},
        "spec": {"templates": [_HOSTS[where](value)]},
    }
    prefix = ("spec", "templates", 0, *_PREFIX[where])
    out = []
    for v in check_strict(doc):
        if v.path[: len(prefix)] == prefix:
            out.append((v.path[len(prefix):], _camel_hint(v.message)))
    return out


def _camel_hint(message: str) -> str:
    """``unknown field 'run_as_user'`` gets the reminder that Kubernetes spells it camelCase."""
    if message.startswith("unknown field '") and "_" in message.split("'")[1]:
        return message + "; Kubernetes field names are camelCase"
    return message


def locate(node: cst.CSTNode, path: JsonPath, at_key: bool = False) -> cst.CSTNode:
    """The deepest node of the literal *node* that *path* reaches: a dict value (or its key,
    with *at_key*, for the last step) or a list element. Stops where the literal does (a name,
    a call)."""
    current = node
    for i, part in enumerate(path):
        last = i == len(path) - 1
        if isinstance(current, cst.Dict) and isinstance(part, str):
            found = None
            for el in current.elements:
                if isinstance(el, cst.DictElement) and _key(el.key) == part:
                    found = el
            if found is None:
                return current
            current = found.key if (last and at_key) else found.value
        elif isinstance(current, (cst.List, cst.Tuple)) and isinstance(part, int):
            if part >= len(current.elements):
                return current
            current = current.elements[part].value
        else:
            return current
    return current


def _key(node: cst.BaseExpression) -> Any:
    try:
        return evaluate_literal(node)
    except NotLiteral:
        return None


def to_json(value: Any) -> Any:
    """A literal as plain JSON data: tuples become lists (the YAML emitter wants lists)."""
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    return value
