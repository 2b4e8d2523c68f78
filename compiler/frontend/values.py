"""Values of the static evaluator: what a DSL expression denotes at compile time."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tiphys.compiler import ir
from tiphys.compiler.ir import flow as ir_flow
from tiphys.compiler.ir.loc import Loc


@dataclass(frozen=True, slots=True)
class Lit:
    value: Any


@dataclass(frozen=True, slots=True)
class Unknown:
    """Something the compiler cannot evaluate statically; an error only if the DSL needs it."""

    reason: str


@dataclass(frozen=True, slots=True)
class DslFunc:
    #: Canonical name, e.g. ``tiphys.pipeline``.
    name: str


@dataclass(frozen=True, slots=True)
class ModuleVal:
    name: str


@dataclass(frozen=True, slots=True)
class TaskVal:
    #: None when the definition had errors (already reported).
    task: ir.TaskDef | None
    name: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class DepVal:
    """A dependency condition: ``a.failed``, ``a.succeeded | b.failed``."""

    dep: ir_flow.Depends


@dataclass(frozen=True, slots=True)
class WorkflowVarVal:
    """``workflow_status`` / ``workflow_name``: a value Argo fills in at run time."""

    variable: str


@dataclass(frozen=True, slots=True)
class HookVal:
    node: int
    when: ir_flow.Condition | None
    loc: Loc


@dataclass(frozen=True, slots=True)
class TaskMethod:
    """``task.map``, before it is called."""

    task: TaskVal
    method: str


@dataclass(slots=True)
class NodeRec:
    """A task invocation while the module is evaluated; becomes an :class:`ir.Invocation`."""

    uid: int
    task: ir.TaskDef
    args: list[tuple[str, ir.Value]]
    params: list[ParamVal]
    name_hint: str
    #: "task" (from the task's name), "variable" or "explicit" (``.named()``).
    hint_source: str
    after: list[int]
    loc: Loc
    after_locs: list[Loc] = field(default_factory=list)
    when: ir_flow.Condition | None = None
    loop: ir_flow.Loop | None = None
    depends: list[ir_flow.Depends] = field(default_factory=list)
    continue_on: ir_flow.ContinueOn | None = None
    hooks: list[ir_flow.Hook] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class NodeVal:
    uid: int


@dataclass(frozen=True, slots=True)
class OutputVal:
    uid: int
    output: str
    #: "parameter" or "artifact".
    kind: str = "parameter"


@dataclass(frozen=True, slots=True)
class BoundMethod:
    uid: int
    method: str


@dataclass(frozen=True, slots=True)
class ParamVal:
    name: str
    default: Any
    has_default: bool
    description: str | None
    enum: tuple[Any, ...] | None
    loc: Loc


@dataclass(frozen=True, slots=True)
class CompositeVal:
    kind: str
    elements: tuple[tuple[NodeVal | CompositeVal, Loc], ...]
    name: str | None
    loc: Loc
    #: Composites nested in this one, itself included (1: only invocations inside).
    depth: int = 1
    #: Outputs a ``@composite`` body exposes (``outputs=``): (name, OutputRef or Choice).
    outputs: tuple[tuple[str, Any], ...] = ()
    #: ``dag(fail_fast=False)``: every branch runs to its end after a failure.
    fail_fast: bool = True


#: How deep composites may nest (as CPython's parser allows 200 nested parentheses): the
#: compiler walks them recursively, and no workflow needs more.
MAX_COMPOSITE_DEPTH = 200
#: The reason of the Unknown a too deeply nested composite becomes (reported once).
TOO_DEEP = "a composite nested too deeply"


@dataclass(frozen=True, slots=True)
class MountVal:
    volume: str
    read_only: bool
    sub_path: str | None


@dataclass(frozen=True, slots=True)
class VolumeVal:
    volume: ir.Volume


@dataclass(frozen=True, slots=True)
class VolumeClaimVal:
    claim: ir.VolumeClaim


@dataclass(frozen=True, slots=True)
class WorkflowVal:
    index: int


@dataclass(frozen=True, slots=True)
class InputVal:
    """A parameter of the ``@composite`` function being read: one of its template's inputs."""

    name: str
    type: str | None
    #: An input artifact (annotated ``InputArtifact``), passed on to inner tasks' artifacts.
    artifact: bool = False


@dataclass(frozen=True, slots=True)
class InterpVal:
    """An f-string with values Argo fills in: text and values, in order."""

    parts: tuple[str | ParamVal | InputVal | OutputVal | WorkflowVarVal, ...]


@dataclass(frozen=True, slots=True)
class ChoiceVal:
    """``choose(a.output, b.output)`` or ``a.output.or_default(x)``."""

    options: tuple[OutputVal, ...]
    default: Lit | None
    loc: Loc


@dataclass(frozen=True, slots=True)
class EachVal:
    """``each(...)``: the items of a structured loop, before a ``.map()`` uses them."""

    #: The loop, without the input it feeds (``param`` empty, ``fields`` empty).
    loop: ir_flow.Loop
    #: Field name -> type ("str", "int", ... or None when unknown); None when the fields
    #: are not known statically (a task's list output).
    fields: dict[str, str | None] | None
    loc: Loc
    params: tuple[ParamVal, ...] = ()


@dataclass(frozen=True, slots=True)
class ItemVal:
    """``row.field`` of ``row = each(...)`` (field None: the whole item)."""

    each: EachVal
    field: str | None
    loc: Loc


@dataclass(frozen=True, slots=True)
class OrDefaultMethod:
    """``node.output.or_default``, before it is called."""

    output: OutputVal


@dataclass(frozen=True, slots=True)
class SequenceVal:
    """``sequence(...)``: a withSequence loop, before a ``.map()`` uses it."""

    loop: ir_flow.Loop
    params: tuple[ParamVal, ...] = ()


@dataclass(frozen=True, slots=True)
class InputRefVal:
    """``from_input("name")``: the task's own input, for a template field."""

    name: str
    loc: Loc


Value = (
    InputVal | InterpVal | ChoiceVal | OrDefaultMethod | Lit | Unknown | DslFunc | ModuleVal | TaskVal | NodeVal | OutputVal | BoundMethod
    | ParamVal | CompositeVal | MountVal | VolumeVal | VolumeClaimVal | WorkflowVal
    | DepVal | WorkflowVarVal | HookVal | TaskMethod | EachVal | ItemVal | SequenceVal
    | InputRefVal
)


def describe(value: Value) -> str:
    """How a value reads in a diagnostic."""
    if isinstance(value, Lit):
        return f"the literal {value.value!r}"[:80]
    if isinstance(value, Unknown):
        return value.reason
    if isinstance(value, TaskVal):
        return f"task '{value.name}'"
    if isinstance(value, NodeVal):
        return "a task invocation"
    if isinstance(value, CompositeVal):
        return f"a {value.kind}"
    if isinstance(value, ParamVal):
        return f"workflow parameter '{value.name}'"
    if isinstance(value, InputVal):
        return f"composite input {'artifact ' if value.artifact else ''}'{value.name}'"
    if isinstance(value, InterpVal):
        return "an f-string with template values"
    if isinstance(value, ChoiceVal):
        return "a choice between outputs"
    if isinstance(value, OutputVal):
        return f"output {'artifact ' if value.kind == 'artifact' else ''}'{value.output}' of a task"
    if isinstance(value, (BoundMethod, OrDefaultMethod)):
        name = value.method if isinstance(value, BoundMethod) else "or_default"
        return f"the method .{name} (not called: add its arguments in parentheses)"
    if isinstance(value, InputRefVal):
        return f"from_input({value.name!r}) (which only timeout=, retries= and volumes= take)"
    if isinstance(value, WorkflowVarVal):
        return value.variable.replace("workflow.", "workflow_")
    if isinstance(value, ItemVal):
        return f"loop item field '{value.field}'" if value.field else "a loop item"
    return _KINDS.get(type(value).__name__, type(value).__name__.removesuffix("Val").lower())


#: How the other values read in a diagnostic.
_KINDS = {
    "DslFunc": "a tiphys function", "ModuleVal": "a module", "DepVal": "a dependency condition",
    "HookVal": "a hook(...)", "MountVal": "a mount(...)", "VolumeVal": "a volume",
    "VolumeClaimVal": "a volume claim", "WorkflowVal": "a workflow", "EachVal": "each(...) items",
    "SequenceVal": "a sequence(...)", "TaskMethod": "a task's method",
}
