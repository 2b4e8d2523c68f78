"""Variable scopes and the check of every ``{{tag}}`` against them (Argo's resolveAllVariables).

Only tags with the prefixes Argo checks are resolved (``item.``, ``steps.``, ``inputs.``,
``outputs.``, ``pod.``, ``workflow.``, ``tasks.``); others, bare ``{{item}}`` and expression tags
``{{= ...}}`` are accepted as they are at run time.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from tiphys.compiler.validator.expressions import scan_tags, walk_strings
from tiphys.compiler.validator.findings import PathT, Reporter
from tiphys.compiler.validator.model import as_dict, as_list, as_str, has_output, named_items

CHECKED_PREFIXES = ("item.", "steps.", "inputs.", "outputs.", "pod.", "workflow.", "tasks.")

#: Accepted without resolution wherever they appear.
ALWAYS_PREFIXES = (
    "outputs.", "steps.name", "tasks.name", "node.name",
    "workflow.creationTimestamp", "workflow.duration", "workflow.scheduledTime",
)


@dataclass(slots=True)
class Scope:
    names: set[str] = field(default_factory=set)
    prefixes: list[str] = field(default_factory=list)
    #: The enclosing scope: a copy is an overlay on it, so copying per step/task is O(1)
    #: instead of O(names) (a 1,000-task DAG copied 4,000 names a thousand times).
    parent: Scope | None = None
    #: ``tasks.<X>.status`` resolves when this says X is an ancestor (DAG tasks).
    status_of: Callable[[str], bool] | None = None

    def copy(self) -> Scope:
        """A scope that sees everything in this one; additions stay in the copy. This one
        must not change while the copy is in use (callers copy, check, and drop it)."""
        return Scope(parent=self)

    def resolves(self, tag: str) -> bool:
        scope: Scope | None = self
        while scope is not None:
            if tag in scope.names or any(tag.startswith(p) for p in scope.prefixes):
                return True
            if scope.status_of is not None and tag.startswith("tasks.") and \
                    tag.endswith(".status") and scope.status_of(tag[6:-7]):
                return True
            scope = scope.parent
        return False

    def add_items(self, node: dict[str, Any]) -> None:
        """The ``item`` variables a loop brings into scope."""
        if node.get("withParam") is not None:
            self.names.add("item")
            self.prefixes.append("item.")
        if node.get("withSequence") is not None:
            self.names.add("item")
        for it in as_list(node.get("withItems")):
            if isinstance(it, dict):
                self.names.update(f"item.{k}" for k in it)
            elif isinstance(it, list):
                self.names.update(f"item.[{i}]" for i in range(len(it)))
            else:
                self.names.add("item")

    def add_outputs(
        self, callee: dict[str, Any] | None, prefix: str, aggregate: bool, status: bool
    ) -> None:
        """What ``steps.<name>`` / ``tasks.<name>`` offers once the node has run.

        *callee* is the called template, or None when it is not known offline (a templateRef to
        a template outside this run): then anything under the prefix is accepted.
        """
        if callee is None:
            self.prefixes.append(prefix + ".")
            return
        n = self.names
        n.update(f"{prefix}.{x}" for x in ("id", "startedAt", "finishedAt", "hostNodeName"))
        if status:
            n.add(f"{prefix}.status")
        if callee.get("daemon") is True:
            n.add(f"{prefix}.ip")
        if has_output(callee):
            n.add(f"{prefix}.outputs.result")
            n.add(f"{prefix}.exitCode")
        outputs = as_dict(callee.get("outputs"))
        for _, p in named_items(outputs.get("parameters")):
            n.add(f"{prefix}.outputs.parameters.{as_str(p.get('name'))}")
        for _, a in named_items(outputs.get("artifacts")):
            n.add(f"{prefix}.outputs.artifacts.{as_str(a.get('name'))}")
        if aggregate:
            n.add(f"{prefix}.outputs.parameters")
            if "script" in callee or "containerSet" in callee:
                n.add(f"{prefix}.outputs.result")
                n.add(f"{prefix}.exitCode")


def template_scope(tmpl: dict[str, Any], leaf: bool, pod: bool) -> Scope:
    """Scope inside a template body: its inputs, and ``pod.name`` on pod templates."""
    sc = Scope()
    inputs = as_dict(tmpl.get("inputs"))
    params = [as_str(p.get("name")) for _, p in named_items(inputs.get("parameters"))]
    sc.names.update(f"inputs.parameters.{p}" for p in params)
    if params:
        sc.names.add("inputs.parameters")
    for _, a in named_items(inputs.get("artifacts")):
        name = as_str(a.get("name"))
        sc.names.add(f"inputs.artifacts.{name}")
        if leaf:
            sc.names.add(f"inputs.artifacts.{name}.path")
    if pod:
        sc.names.add("pod.name")
    return sc


@dataclass(slots=True)
class TagChecker:
    """Checks the tags of one document against the global scope plus a local one."""

    rep: Reporter
    globals: Scope
    #: steps not yet run at the point being checked (for a better message than "unresolved")
    pending_steps: AbstractSet[str] = frozenset()
    #: tasks of the DAG being checked (to tell non-ancestor status references apart)
    dag_tasks: frozenset[str] = frozenset()

    def check(self, value: Any, path: PathT, scope: Scope, where: str) -> None:
        for p, text in walk_strings(value, path):
            tags, unterminated = scan_tags(text)
            if unterminated:
                self.rep.add("ARG402", p, f"'{{{{' without a closing '}}}}' in {where}; "
                             "close the tag or remove the braces")
            for tag in tags:
                if not tag.startswith(CHECKED_PREFIXES) or tag.startswith(ALWAYS_PREFIXES):
                    continue
                if scope.resolves(tag) or self.globals.resolves(tag):
                    continue
                self._unresolved(tag, p, where)

    def _unresolved(self, tag: str, p: PathT, where: str) -> None:
        parts = tag.split(".")
        if parts[0] == "steps" and len(parts) > 1 and parts[1] in self.pending_steps:
            self.rep.add("ARG403", p, f"{{{{{tag}}}}} in {where} refers to step '{parts[1]}', "
                         "which has not run yet (it is later, in the same parallel group, or "
                         "this step); move it to an earlier group of steps")
            return
        if (parts[0] == "tasks" and len(parts) == 3 and parts[2] == "status"
                and parts[1] in self.dag_tasks):
            self.rep.add("ARG614", p, f"{{{{{tag}}}}} in {where}: task '{parts[1]}' is not an "
                         "ancestor of this task; add it to depends/dependencies")
            return
        self.rep.add("ARG401", p, f"failed to resolve {{{{{tag}}}}} in {where}; {_hint(parts)}")


def _hint(parts: list[str]) -> str:
    head = parts[0]
    if head == "inputs" and len(parts) >= 3:
        return f"declare '{parts[2]}' under inputs.{parts[1]} of this template, or fix the name"
    if head == "workflow" and len(parts) >= 3 and parts[1] == "parameters":
        return f"declare '{parts[2]}' under spec.arguments.parameters, or fix the name"
    if head in ("steps", "tasks") and len(parts) >= 2:
        return (f"check that {head[:-1]} '{parts[1]}' exists in this template and that its "
                "template declares the output referred to")
    if head == "item":
        return "item fields exist only inside a step or task with withItems/withParam"
    if head == "workflow" and len(parts) >= 2 and parts[1] == "failures":
        return "workflow.failures exists only when spec.onExit is set"
    return "check the spelling and that the variable exists in this scope"
