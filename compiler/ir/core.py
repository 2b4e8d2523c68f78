"""The typed intermediate representation: what a DSL file means, independent of Argo.

The front end (:mod:`tiphys.compiler.frontend.evaluate`) builds it; lowering
(:mod:`tiphys.compiler.lower.workflow`) turns it into Argo documents. Everything is a frozen, slotted
dataclass. ``Loc`` ties an IR object back to the user's source for diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tiphys.compiler.ir.artifacts import ArtifactOutput as ArtifactOutput
from tiphys.compiler.ir.artifacts import ArtifactSource as ArtifactSource
from tiphys.compiler.ir.composites import Choice as Choice
from tiphys.compiler.ir.composites import CompositeTask as CompositeTask
from tiphys.compiler.ir.composites import InputRef as InputRef
from tiphys.compiler.ir.composites import Interpolated as Interpolated
from tiphys.compiler.ir.flow import Flow, Hook, flow_nodes
from tiphys.compiler.ir.kinds import HttpTask as HttpTask
from tiphys.compiler.ir.kinds import Prompt as Prompt
from tiphys.compiler.ir.kinds import ResourceTask as ResourceTask
from tiphys.compiler.ir.kinds import SuspendTask as SuspendTask
from tiphys.compiler.ir.kinds import TemplateRefTask as TemplateRefTask
from tiphys.compiler.ir.loc import Loc
from tiphys.compiler.ir.pod_kinds import ContainerNode as ContainerNode
from tiphys.compiler.ir.pod_kinds import ContainerSetTask as ContainerSetTask
from tiphys.compiler.ir.pod_kinds import DataTask as DataTask
from tiphys.compiler.ir.pod_kinds import PluginTask as PluginTask
from tiphys.compiler.ir.records import OutputField as OutputField
from tiphys.compiler.ir.task import Lock, TaskExtras

#: JSON-compatible Python value (str, int, float, bool, None, list, dict).
Json = Any


# -- values passed as task arguments -------------------------------------------------------


#: The contract between a Python task's generated wrapper and its template: inputs arrive in
#: environment variables named with this prefix, and the return value is written to a file in
#: this folder, declared as the output parameter's path.
INPUT_ENV_PREFIX = "TIPHYS_INPUT_"
OUTPUT_DIR = "/tmp/tiphys/outputs"


class _NotGiven:
    def __repr__(self) -> str:
        return "NOT_GIVEN"


#: ``Literal.given`` when the front end did not record the Python value.
NOT_GIVEN: Any = _NotGiven()


@dataclass(frozen=True, slots=True)
class Literal:
    #: The string Argo passes (encoded for the input's decoding).
    value: Json
    loc: Loc = field(compare=False)
    #: The Python value as written, for the type checks (:mod:`tiphys.compiler.check.types`).
    given: Json = field(default=NOT_GIVEN, compare=False)


@dataclass(frozen=True, slots=True)
class ParamRef:
    """A workflow parameter, ``{{workflow.parameters.name}}``."""

    name: str
    loc: Loc = field(compare=False)


@dataclass(frozen=True, slots=True)
class OutputRef:
    """An output of another invocation."""

    #: ``Invocation.uid`` of the producer.
    node: int
    #: Output name: ``return`` for a Python task, ``result`` (stdout) for bash, or a
    #: declared output of a container task.
    output: str
    loc: Loc = field(compare=False)
    #: "parameter" or "artifact".
    kind: str = "parameter"


@dataclass(frozen=True, slots=True)
class WorkflowRef:
    """A value Argo fills in at run time, such as ``{{workflow.status}}``."""

    variable: str
    loc: Loc = field(compare=False)


Value = (
    Literal | ParamRef | OutputRef | WorkflowRef | ArtifactSource | InputRef | Interpolated
    | Choice
)


# -- task definitions ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Input:
    #: Parameter name as written in the function (and in the template's inputs).
    name: str
    #: How the script decodes it: "str" (as is), "str-or-null" (as is, "null" for None: text
    #: or None annotations), "text-items" (a JSON list of such items), "json", "json-items"
    #: (a list whose items may
    #: be JSON-encoded strings) or "auto" (JSON when it parses, else the text).
    decode: str
    #: Whether an Argo ``default`` is declared (from a literal Python default).
    has_default: bool = False
    #: The default as the string Argo passes (JSON-encoded unless decode == "str").
    default: str | None = None
    #: True when the Python parameter has a default that is not a literal: callers must pass it.
    required: bool = True
    #: The annotation, simplified ("str", "int", "float", "bool", "list", "dict") or None.
    type: str | None = None
    #: An input artifact (a file placed at ``path``) rather than a parameter.
    artifact: bool = False
    path: str | None = None
    optional: bool = False
    #: The annotation's source text (``"list[int]"``), or None; read by :mod:`ir.types`.
    annotation: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Mount:
    #: The volume's name; ``{{inputs.parameters.x}}`` when an input names it per call.
    volume: str
    path: str
    read_only: bool = False
    sub_path: str | None = None
    loc: Loc | None = field(default=None, compare=False)
    #: The input that names the volume at each call (``from_input("x")``), else None.
    input: str | None = None


@dataclass(frozen=True, slots=True)
class EnvVar:
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class TaskOptions:
    image: str | None = None
    #: ``{"requests": {...}, "limits": {...}}`` as Argo expects, keys sorted.
    resources: tuple[tuple[str, tuple[tuple[str, Json], ...]], ...] = ()
    env: tuple[EnvVar, ...] = ()
    #: An integer, or an input's tag (``from_input(...)``).
    retries: int | str | None = None
    timeout: str | None = None
    mounts: tuple[Mount, ...] = ()
    node_selector: tuple[tuple[str, str], ...] = ()
    tolerations: tuple[Json, ...] = ()
    #: Run control, secrets and pod settings (see :mod:`tiphys.compiler.ir.task`).
    extra: TaskExtras = field(default_factory=TaskExtras)


@dataclass(frozen=True, slots=True)
class PythonTask:
    #: Template name (already valid for Argo).
    name: str
    func_name: str
    inputs: tuple[Input, ...]
    #: Whether the function returns a value (no ``-> None`` annotation).
    returns: bool
    #: The return annotation, simplified ("str", "int", "float", "bool", "list", "dict"),
    #: or None when absent or another type.
    return_type: str | None
    #: The complete script: carried names, the function as written, the wrapper.
    script: str
    options: TaskOptions
    loc: Loc = field(compare=False)
    artifact_outputs: tuple[ArtifactOutput, ...] = ()
    #: The return annotation's source text, or None; read by :mod:`ir.types`.
    return_annotation: str | None = field(default=None, compare=False)
    #: A record return (NamedTuple, dataclass, TypedDict): one output per field, in place
    #: of ``return`` (artifact fields are in ``artifact_outputs`` too).
    fields: tuple[OutputField, ...] = ()

    @property
    def outputs(self) -> tuple[str, ...]:
        if self.fields:
            return tuple(f.name for f in self.fields if not f.artifact)
        return ("return",) if self.returns else ()


@dataclass(frozen=True, slots=True)
class BashTask:
    name: str
    source: str
    inputs: tuple[Input, ...]
    options: TaskOptions
    loc: Loc = field(compare=False)
    artifact_outputs: tuple[ArtifactOutput, ...] = ()
    #: The interpreter: "bash", or "sh" for images without bash (alpine, busybox).
    shell: str = "bash"
    #: ``script(..., command=[...])``: another interpreter (node, ruby, ...), instead of shell.
    command: tuple[str, ...] | None = None

    @property
    def outputs(self) -> tuple[str, ...]:
        return ("result",)


@dataclass(frozen=True, slots=True)
class ContainerTask:
    name: str
    image: str
    command: tuple[str, ...] | None
    args: tuple[str, ...] | None
    inputs: tuple[Input, ...]
    #: Output name → file path in the container.
    output_paths: tuple[tuple[str, str], ...]
    options: TaskOptions
    loc: Loc = field(compare=False)
    artifact_outputs: tuple[ArtifactOutput, ...] = ()

    @property
    def outputs(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.output_paths)


TaskDef = (
    PythonTask | BashTask | ContainerTask | SuspendTask | ResourceTask | HttpTask
    | TemplateRefTask | CompositeTask | ContainerSetTask | DataTask | PluginTask
)


# -- the graph -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Invocation:
    #: Identity of the node, unique in a file (the call it came from).
    uid: int
    task: TaskDef
    args: tuple[tuple[str, Value], ...]
    #: Preferred step name: ``.named()``, else the variable it was bound to, else the task.
    name_hint: str
    #: True when the name was given explicitly with ``.named()``.
    explicit_name: bool
    #: Explicit upstream invocations (``.after(...)``), by uid.
    after: tuple[int, ...]
    loc: Loc = field(compare=False)
    #: Conditions, loops, dependency logic and hooks.
    flow: Flow = field(default_factory=Flow)
    #: Where each ``.after(...)`` argument is written, by uid (for the cycle check).
    after_locs: tuple[tuple[int, Loc], ...] = field(default=(), compare=False)

    def references(self) -> tuple[OutputRef, ...]:
        out: list[OutputRef] = []
        for _, v in self.args:
            if isinstance(v, OutputRef):
                out.append(v)
            elif isinstance(v, Interpolated):  # f"...{a.output}...": reads a too
                out += [p for p in v.parts if isinstance(p, OutputRef)]
            elif isinstance(v, Choice):
                out += v.options
        return tuple(out)

    def upstream(self) -> tuple[int, ...]:
        """Every invocation this one reads from or runs after (not its hooks)."""
        out = [r.node for r in self.references()]
        out += self.after
        out += flow_nodes(self.flow)
        return tuple(dict.fromkeys(out))


@dataclass(frozen=True, slots=True)
class Composite:
    #: "pipeline", "parallel" or "dag".
    kind: str
    elements: tuple[Element, ...]
    #: Optional template name given with ``name=``.
    name: str | None
    loc: Loc = field(compare=False)
    #: A dag's ``failFast``: False runs every branch to its end after a failure.
    fail_fast: bool = True


Element = Invocation | Composite


@dataclass(frozen=True, slots=True)
class WorkflowParam:
    name: str
    default: str | None
    description: str | None = None
    enum: tuple[str, ...] | None = None
    loc: Loc | None = field(default=None, compare=False)
    #: The default as written in Python (``default`` is the string Argo passes).
    value: Json = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Volume:
    name: str
    kind: str
    source: str | None
    read_only: bool = False


@dataclass(frozen=True, slots=True)
class VolumeClaim:
    name: str
    size: str
    access_modes: tuple[str, ...]
    storage_class: str | None = None


@dataclass(frozen=True, slots=True)
class Schedule:
    """What makes a workflow a CronWorkflow."""

    schedules: tuple[str, ...]
    timezone: str | None = None
    concurrency_policy: str | None = None
    starting_deadline: int | None = None
    successful_history: int | None = None
    failed_history: int | None = None
    suspend: bool | None = None


@dataclass(frozen=True, slots=True)
class WorkflowOptions:
    namespace: str | None = None
    service_account: str | None = None
    #: ``(("secondsAfterCompletion", 3600), ...)``.
    ttl: tuple[tuple[str, int], ...] = ()
    pod_gc: str | None = None
    labels: tuple[tuple[str, str], ...] = ()
    annotations: tuple[tuple[str, str], ...] = ()
    volumes: tuple[Volume, ...] = ()
    volume_claims: tuple[VolumeClaim, ...] = ()
    parallelism: int | None = None
    active_deadline: int | None = None
    schedule: Schedule | None = None
    priority: int | None = None
    archive_logs: bool | None = None
    #: Labels and annotations for each Workflow run (``spec.workflowMetadata``).
    run_labels: tuple[tuple[str, str], ...] = ()
    run_annotations: tuple[tuple[str, str], ...] = ()
    #: ``spec.artifactRepositoryRef``: (config map, key).
    artifact_repository: tuple[str | None, str | None] | None = None
    #: Locks the whole run holds (``spec.synchronization``).
    locks: tuple[Lock, ...] = ()
    #: Settings of every pod of the run: ``spec.podMetadata``, ``imagePullSecrets``,
    #: ``dnsPolicy`` and ``dnsConfig`` (checked against the strict schema), in that order.
    pod_settings: tuple[tuple[str, Json], ...] = ()
    #: ``spec.templateDefaults``: fields merged into every template (retryStrategy, timeout).
    template_defaults: tuple[tuple[str, Json], ...] = ()
    #: ``spec.podSpecPatch``: a patch of every pod of the run (JSON or YAML text).
    pod_spec_patch: str | None = None


@dataclass(frozen=True, slots=True)
class Workflow:
    name: str
    body: Element
    #: Every invocation the workflow needs: those placed in the body and, transitively,
    #: those whose outputs they read (a ``dag`` places the latter itself).
    invocations: tuple[Invocation, ...]
    params: tuple[WorkflowParam, ...]
    options: WorkflowOptions
    #: Default image for Python tasks that name none.
    image: str | None
    loc: Loc = field(compare=False)
    #: Workflow lifecycle hooks; the one named "exit" is the exit handler.
    hooks: tuple[Hook, ...] = ()
    #: Workflow outputs: (global name, the invocation output it publishes).
    outputs: tuple[tuple[str, OutputRef | Choice], ...] = ()


@dataclass(frozen=True, slots=True)
class Module:
    """Everything one file defines."""

    path: str
    workflows: tuple[Workflow, ...]
