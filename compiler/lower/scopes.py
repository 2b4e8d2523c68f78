"""The templates a workflow's composites become (*scopes*) and their steps or tasks (*entries*).

Plain mutable records filled in by :mod:`.placement` and read by :mod:`.workflow`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tiphys.compiler import ir
from tiphys.compiler.ir import flow as ir_flow
from tiphys.compiler.ir.loc import Loc
from tiphys.compiler.ir.names import NameTable


@dataclass(eq=False, slots=True)
class Entry:
    """One step (or DAG task) of a scope: an invocation, or a nested composite."""

    element: ir.Invocation | Scope
    loc: Loc
    group: int = 0
    name: str = ""
    #: (parameter name, value) arguments of the call.
    args: list[tuple[str, str]] = field(default_factory=list)
    #: (artifact name, Argo source: {"from": tag} or a location) arguments of the call.
    artifacts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    #: Names of sibling entries this one depends on (dag).
    deps: list[str] = field(default_factory=list)
    #: Source location of each argument, by parameter name.
    arg_locs: dict[str, Loc] = field(default_factory=dict)
    #: Extra step/task fields (when, loops, continueOn, hooks), in emission order.
    fields: dict[str, Any] = field(default_factory=dict)
    #: Explicit ``depends`` logic rendered with sibling names (dag).
    depends_logic: list[str] = field(default_factory=list)
    #: Sibling names the explicit logic mentions (not repeated as plain dependencies).
    depends_named: set[str] = field(default_factory=set)
    #: The final ``depends`` string (dag), set by :meth:`Placement.finish`.
    depends: str = ""
    #: How this entry may fail without failing the run (``.continue_on``).
    continue_on: ir_flow.ContinueOn | None = None


@dataclass(eq=False, slots=True)
class Scope:
    composite: ir.Composite
    #: "steps" or "dag".
    kind: str
    parent: Scope | None
    entries: list[Entry] = field(default_factory=list)
    name: str = ""
    #: (uid, output, kind) → input name, for values imported from outside.
    inputs: dict[tuple[int, str, str], str] = field(default_factory=dict)
    #: (uid, output, kind) → (output name, expression), for values exported.
    outputs: dict[tuple[int, str, str], tuple[str, str]] = field(default_factory=dict)
    #: Workflow outputs published from this (root) template: (global name, expression).
    global_outputs: list[tuple[str, str]] = field(default_factory=list)
    #: Output parameters given whole: a composite's exposed outputs, outputs chosen by an
    #: expression (:mod:`.composites`).
    extra_outputs: list[dict[str, Any]] = field(default_factory=list)
    input_names: NameTable = field(default_factory=NameTable)
    output_names: NameTable = field(default_factory=NameTable)

    @property
    def prefix(self) -> str:
        return "steps" if self.kind == "steps" else "tasks"

    def contains(self, other: Scope) -> bool:
        s: Scope | None = other
        while s is not None:
            if s is self:
                return True
            s = s.parent
        return False


def source_order(entry: Entry) -> int:
    el = entry.element
    if isinstance(el, ir.Invocation):
        return el.uid
    uids = [e2 for e2 in _uids(el.composite)]
    return min(uids) if uids else 0


def _uids(comp: ir.Composite) -> list[int]:
    out: list[int] = []
    for el in comp.elements:
        if isinstance(el, ir.Invocation):
            out.append(el.uid)
        else:
            out.extend(_uids(el))
    return out


def output_suffix(task: ir.TaskDef, output: str) -> str:
    if isinstance(task, (ir.BashTask, ir.HttpTask, ir.ContainerSetTask, ir.DataTask,
                         ir.PluginTask)) and output == "result":
        return "outputs.result"  # stdout, or the response body
    return f"outputs.parameters.{output}"
