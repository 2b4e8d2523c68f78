"""IR for the task kinds that are not code: suspend (approval), resource (a Kubernetes
object), http (a request), and references to templates defined elsewhere (templateRef)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tiphys.compiler.ir.loc import Loc

if TYPE_CHECKING:
    from tiphys.compiler.ir.core import Input, TaskOptions


@dataclass(frozen=True, slots=True)
class Prompt:
    """An output of a suspend template supplied on resume, with the input the Argo UI shows
    for it (Argo's intermediate parameters)."""

    name: str
    #: Offered first, and the value when nobody supplies one; None: no input is written.
    default: str | None
    enum: tuple[str, ...] = ()
    description: str | None = None


@dataclass(frozen=True, slots=True)
class SuspendTask:
    name: str
    #: How long to wait ("10m"), or None to wait for `argo resume` (an approval).
    duration: str | None
    #: Output parameters supplied when resuming (``argo resume --parameter``).
    supplied: tuple[str, ...]
    inputs: tuple[Input, ...]
    options: TaskOptions
    loc: Loc = field(compare=False)
    #: Those of *supplied* given with ``supplied(...)``: defaults, choices, descriptions.
    prompts: tuple[Prompt, ...] = ()

    @property
    def outputs(self) -> tuple[str, ...]:
        return self.supplied


@dataclass(frozen=True, slots=True)
class ResourceTask:
    name: str
    #: get, create, apply, delete, replace or patch.
    action: str
    #: The manifest as YAML text (``{{inputs.parameters.x}}`` tags allowed).
    manifest: str | None
    success_condition: str | None
    failure_condition: str | None
    set_owner_reference: bool
    merge_strategy: str | None
    #: Output name → JSON path into the resulting object.
    output_paths: tuple[tuple[str, str], ...]
    inputs: tuple[Input, ...]
    options: TaskOptions
    loc: Loc = field(compare=False)

    @property
    def outputs(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.output_paths)


@dataclass(frozen=True, slots=True)
class HttpTask:
    name: str
    url: str
    method: str
    headers: tuple[tuple[str, str], ...]
    body: str | None
    success_condition: str | None
    timeout_seconds: int | None
    insecure: bool
    inputs: tuple[Input, ...]
    options: TaskOptions
    loc: Loc = field(compare=False)

    @property
    def outputs(self) -> tuple[str, ...]:
        return ("result",)  # the response body


@dataclass(frozen=True, slots=True)
class TemplateRefTask:
    """A template of another WorkflowTemplate (or ClusterWorkflowTemplate)."""

    #: Local name (for diagnostics and step names).
    name: str
    workflow_template: str
    template: str
    cluster: bool
    inputs: tuple[Input, ...]
    declared_outputs: tuple[str, ...]
    options: TaskOptions
    loc: Loc = field(compare=False)

    @property
    def outputs(self) -> tuple[str, ...]:
        return self.declared_outputs
