"""Typed-enough access to parsed Argo documents, and the batch index templateRefs resolve in.

Documents may be malformed in any way (wrong types anywhere); every accessor here tolerates
that, so the rule modules never crash on bad input and leave type errors to the schema checks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tiphys.compiler.validator.findings import PathT, Reporter

ARGO_KINDS = ("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow")
API_VERSION = "argoproj.io/v1alpha1"

TEMPLATE_TYPES = (
    "container", "containerSet", "steps", "script", "resource",
    "dag", "suspend", "data", "http", "plugin",
)
LEAF_TYPES = frozenset({"container", "containerSet", "script", "resource", "data", "http", "plugin"})
POD_TYPES = frozenset({"container", "containerSet", "script", "resource", "data"})

# "\Z", not "$": Go's "$" is the end of the text, Python's also matches before a final newline.
NAME_RE = re.compile(r"^[a-zA-Z0-9][-a-zA-Z0-9]*\Z")
PARAM_RE = re.compile(r"^[-a-zA-Z0-9_]+\Z")
NAME_MAX = 128


def shown(regex: re.Pattern[str]) -> str:
    """A name pattern as Argo's messages write it ("$", not "\\Z")."""
    return regex.pattern.replace("\\Z", "$")


def as_dict(x: Any) -> dict[str, Any]:
    return x if isinstance(x, dict) else {}


def as_list(x: Any) -> list[Any]:
    return x if isinstance(x, list) else []


def as_str(x: Any) -> str:
    """The text of a scalar as Go would see it after decoding, "" for anything else."""
    if isinstance(x, str):
        return x
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int | float):
        return str(x)
    return ""


def has(obj: dict[str, Any], key: str) -> bool:
    """Go's "field set": present and not null."""
    return obj.get(key) is not None


def template_types(tmpl: dict[str, Any]) -> list[str]:
    return [t for t in TEMPLATE_TYPES if tmpl.get(t) is not None]


def template_type(tmpl: dict[str, Any] | None) -> str | None:
    if tmpl is None:
        return None
    types = template_types(tmpl)
    return types[0] if len(types) == 1 else None


def is_leaf(tmpl: dict[str, Any]) -> bool:
    return template_type(tmpl) in LEAF_TYPES


def is_variable(s: str) -> bool:
    return "{{" in s


def has_output(tmpl: dict[str, Any]) -> bool:
    """Does calling *tmpl* give ``outputs.result`` and ``exitCode``?"""
    t = template_type(tmpl)
    if t in ("container", "script", "data", "http", "plugin"):
        return True
    if t == "containerSet":
        return any(as_dict(c).get("name") == "main"
                   for c in as_list(as_dict(tmpl.get("containerSet")).get("containers")))
    return False


def named_items(seq: Any) -> list[tuple[int, dict[str, Any]]]:
    """(index, item) of the mappings in a list (a list, not a generator: it is called some
    two million times on a 50 MB document, mostly for short lists)."""
    if not isinstance(seq, list):
        return []
    return [(i, item) for i, item in enumerate(seq) if isinstance(item, dict)]


def check_names(
    rep: Reporter, items: Any, path: PathT, what: str, regex: re.Pattern[str],
    invalid: str, duplicate: str, max_len: int | None = None,
) -> None:
    """Names of a list of named objects: non-empty, matching *regex*, unique."""
    seen: set[str] = set()
    for i, item in named_items(items):
        name = as_str(item.get("name"))
        p = (*path, i, "name")
        if not name:
            rep.add(invalid, p, f"{what} has no name; give it a name matching {shown(regex)}")
            continue
        if max_len is not None and len(name) > max_len:
            rep.add(invalid, p, f"{what} name '{name}' is longer than {max_len} characters; "
                    "shorten it")
        elif not regex.match(name):
            rep.add(invalid, p, f"{what} name '{name}' is invalid; it must match {shown(regex)}")
        if name in seen:
            rep.add(duplicate, p, f"{what} name '{name}' is not unique; rename one of them")
        seen.add(name)


@dataclass(slots=True)
class Batch:
    """WorkflowTemplates and ClusterWorkflowTemplates of one run, by name."""

    wfts: dict[str, dict[str, Any]] = field(default_factory=dict)
    cwfts: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def build(cls, docs: Sequence[Any]) -> Batch:
        b = cls()
        for doc in docs:
            if not isinstance(doc, dict):
                continue
            name = as_str(as_dict(doc.get("metadata")).get("name"))
            if not name:
                continue
            if doc.get("kind") == "WorkflowTemplate":
                b.wfts.setdefault(name, doc)
            elif doc.get("kind") == "ClusterWorkflowTemplate":
                b.cwfts.setdefault(name, doc)
        return b

    def holder(self, name: str, cluster: bool) -> dict[str, Any] | None:
        return (self.cwfts if cluster else self.wfts).get(name)


def spec_templates(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for _, t in named_items(spec.get("templates")):
        name = as_str(t.get("name"))
        if name and name not in out:
            out[name] = t
    return out
