"""Checking Kubernetes-shaped option values (affinity, security contexts, pod metadata,
node selectors, tolerations) against the strict schema, and pointing at the offending part of the literal.

The value is placed where lowering would put it, inside a minimal WorkflowTemplate, and the
document goes through :func:`check_strict`: the same schema that checks every emitted document,
so an option accepted here cannot fail there. A violation's JSON path is then followed through
the dict/list literal the user wrote, to the key or value it names.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from typing import Any

from tiphys.compiler.frontend.literals import NotLiteral, evaluate_literal
from tiphys.compiler.frontend.nodes import dict_items, unstarred
from tiphys.compiler.strict_schema import check_strict, ecma_pattern, load_schema

JsonPath = tuple[str | int, ...]

#: Template fields checked here; "container.<field>" is a field of the main container;
#: "document.<field>" is a field of the document's metadata (``namespace``, ``labels``,
#: ``annotations``) and "spec.<field>" one of its spec (``workflowMetadata``); "artifact" is
#: the fields of an input artifact besides its name (a location: ``{"s3": {...}}``).
FRAGMENTS = frozenset({
    "affinity", "securityContext", "container.securityContext", "metadata", "nodeSelector",
    "tolerations", "document.namespace", "document.labels", "document.annotations",
    "spec.workflowMetadata", "artifact",
    # settings of every pod of a run (frontend/options/workflow_options.py POD_SETTINGS)
    "spec.podMetadata", "spec.nodeSelector", "spec.tolerations", "spec.affinity",
    "spec.securityContext", "spec.imagePullSecrets", "spec.podPriorityClassName",
    "spec.schedulerName", "spec.hostAliases", "spec.dnsPolicy", "spec.dnsConfig",
    "spec.podDisruptionBudget",
    # container fields (frontend/options/container_fields.py)
    "container.ports", "container.readinessProbe", "container.livenessProbe",
    "container.startupProbe", "container.lifecycle",
})


def _host(where: str, value: Any) -> tuple[dict[str, Any], JsonPath]:
    if where == "artifact":
        return ({"name": "x", "suspend": {}, "inputs": {"artifacts": [{"name": "x", **value}]}},
                ("inputs", "artifacts", 0))
    if where.startswith("container."):
        field = where.split(".", 1)[1]
        return {"name": "x", "container": {"image": "x", field: value}}, ("container", field)
    return {"name": "x", "suspend": {}, where: value}, (where,)


def fragment_problems(where: str, value: Any) -> list[tuple[JsonPath, str]]:
    """Strict-schema violations of *value* placed at *where* (one of :data:`FRAGMENTS`), as
    (path inside the value, message), in the schema checker's order."""
    assert where in FRAGMENTS, where
    doc: dict[str, Any] = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "WorkflowTemplate",
        "metadata": {"name": "x"},
        "spec": {"templates": [{"name": "x", "suspend": {}}]},
    }
    prefix: JsonPath
    part, _, field = where.partition(".")
    if part == "document":
        doc["metadata"][field] = value
        prefix = ("metadata", field)
    elif part == "spec":
        doc["spec"][field] = value
        prefix = ("spec", field)
    else:
        host, inner = _host(where, value)
        doc["spec"]["templates"] = [host]
        prefix = ("spec", "templates", 0, *inner)
    out = []
    for v in check_strict(doc):
        if v.path[: len(prefix)] == prefix:
            out.append((v.path[len(prefix):], friendly(v.message)))
    return out


#: What the strict schema's name patterns mean, for messages (instead of the regex).
_PATTERNS = {
    "QualifiedName": "an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' "
                     "and '.', starting and ending with a letter or digit",
    "TemplatedLabels": "at most 63 letters, digits, '-', '_' and '.', starting and ending with a "
                       "letter or digit",
    "Labels": "at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter "
              "or digit",
    "DNSLabel": "lower-case letters, digits and '-', starting and ending with a letter or digit",
    "Quantity": "a Kubernetes quantity such as \"500m\", \"2\" or \"1Gi\"",
}


def friendly(message: str) -> str:
    """Schema messages in the user's terms: camelCase hints, patterns described in words."""
    if message.startswith("unknown field '") and "_" in message.split("'")[1]:
        return message + "; Kubernetes field names are camelCase"
    defs = load_schema()["$defs"]
    for name, words in _PATTERNS.items():
        schema = defs[name]
        pattern = schema.get("pattern") or schema["additionalProperties"]["pattern"]
        if message.endswith(f" does not match {pattern}"):
            shown = message[: -len(f" does not match {pattern}")]
            if shown.startswith("invalid key "):
                return f"{shown.split(':')[0]} is not a valid name: use {words}"
            return f"{shown} is not valid here: use {words}"
    return message


def locate(node: object, path: JsonPath, at_key: bool = False) -> object:
    """The deepest node of the literal *node* that *path* reaches: a dict value (or its key,
    with *at_key*, for the last step) or a list element. Stops where the literal does (a name,
    a call)."""
    current = node
    for i, part in enumerate(path):
        last = i == len(path) - 1
        if isinstance(current, ast.Dict) and isinstance(part, str):
            found = None
            for el in dict_items(current):
                if el.key is not None and _key(el.key) == part:
                    found = el
            if found is None:
                return current
            current = found.key if (last and at_key) else found.value
        elif isinstance(current, (ast.List, ast.Tuple)) and isinstance(part, int):
            if part >= len(current.elts):
                return current
            current = unstarred(current.elts[part])
        else:
            return current
    return current


def _key(node: ast.expr) -> Any:
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


@cache
def schema_pattern(name: str) -> re.Pattern[str]:
    """The ``pattern`` of the strict schema's definition *name* (``Quantity``, ...)."""
    return ecma_pattern(load_schema()["$defs"][name]["pattern"])
