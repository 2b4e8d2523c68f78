"""``template_overrides``: Argo template fields, in Argo's camelCase.

CloudHarness takes an Argo-client ``V1alpha1Template`` and merges its ``to_dict()``, which has
Python attribute names (``node_selector``, ``retry_strategy``); Argo ignores those, so only
one-word fields ever worked. Here the same objects (or a plain dict) become camelCase fields,
checked against the template fields Argo knows.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

#: Maps whose keys are data (label names, resource names), never converted.
_FREE_MAPS = frozenset({"nodeSelector", "labels", "annotations", "limits", "requests",
                        "matchLabels", "headers"})
_SNAKE = re.compile(r"_([a-z0-9])")


def camel(key: str) -> str:
    """``node_selector`` → ``nodeSelector``; camelCase keys stay as they are."""
    if "_" not in key or key.startswith("_"):
        return key
    return _SNAKE.sub(lambda m: m.group(1).upper(), key)


def to_argo(value: Any, parent: str | None = None) -> Any:
    """Convert the keys of a (nested) override to camelCase, except the keys of data maps."""
    if isinstance(value, Mapping):
        if parent in _FREE_MAPS:
            return {str(k): to_argo(v) for k, v in value.items()}
        return {camel(str(k)): to_argo(v, camel(str(k))) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_argo(v, parent) for v in value]
    return value


@lru_cache(maxsize=1)
def template_fields() -> tuple[str, ...]:
    from tiphys.compiler.strict_schema import load_schema

    props = load_schema()["$defs"]["Template"]["properties"]
    #: The template's kind and its interface are the task's; an override cannot replace them.
    fixed = {"container", "script", "steps", "dag", "resource", "suspend", "http",
             "containerSet", "data", "plugin", "inputs", "outputs"}
    return tuple(sorted(k for k in props if k not in fixed))


#: Template fields of older Argo versions (CloudHarness' Argo client, v3.x, still offers
#: them) that a newer Argo removed: field → (the Argo release that removed it, what to use).
#: ``priority`` was deprecated with ``podPriority`` in v3.6 and removed in v4.0
#: (argoproj/argo-workflows#14277).
REMOVED_FIELDS = {
    "priority": ("v4.0", "'priorityClassName' with a Kubernetes PriorityClass"),
}


def check_fields(fields: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(key, problem) for the top-level keys of an override (already camelCase)."""
    allowed = template_fields()
    out = []
    for key in fields:
        if key in allowed:
            continue
        if key in REMOVED_FIELDS:
            version, instead = REMOVED_FIELDS[key]
            out.append((key, f"template_overrides: '{key}' is a template field of older Argo "
                        f"versions (CloudHarness' Argo client offers it); Argo Workflows "
                        f"{version} removed it, so Argo ignores or rejects it: use {instead}"))
            continue
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        out.append((key, f"template_overrides: '{key}' is not an Argo template field that can "
                    f"be overridden{hint}"))
    return out
