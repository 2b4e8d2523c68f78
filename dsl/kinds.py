"""Task kinds that run no code of yours: suspend, resource, http, and template references."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tiphys.tasks import Task, TaskOptions


@dataclass(frozen=True)
class Supplied:
    """An output of a suspend template that the person resuming supplies, with the value the
    Argo UI offers first and the choices it lists (Argo's intermediate parameters)."""

    name: str
    default: str | None = None
    enum: tuple[str, ...] = ()
    description: str | None = None


def supplied(
    name: str, *, default: str | None = None, enum: Sequence[str] = (),
    description: str | None = None,
) -> Supplied:
    """An output of ``suspend(outputs=[...])`` supplied on resume: ``default`` is offered
    first (and used when nobody sets it), ``enum`` lists the values the UI offers."""
    return Supplied(name, default, tuple(enum), description)


def suspend(
    name: str, *, duration: str | int | None = None, outputs: Sequence[str | Supplied] = (),
    inputs: Sequence[str] = (),
) -> Task[..., Any]:
    """Pause the workflow: for *duration* (``"10m"`` or seconds), or until ``argo resume``
    (an approval). *outputs* are parameters the person resuming supplies: names, or
    ``supplied(name, default=, enum=, description=)``."""
    names = [o if isinstance(o, str) else o.name for o in outputs]
    return Task(name, "suspend", None, TaskOptions(), inputs=tuple(inputs),
                outputs={o: "" for o in names})


def resource(
    name: str, action: str, manifest: str | Mapping[str, Any] | None = None, *,
    inputs: Sequence[str] = (), success_condition: str | None = None,
    failure_condition: str | None = None, set_owner_reference: bool = False,
    merge_strategy: str | None = None, outputs: Mapping[str, str] | None = None,
) -> Task[..., Any]:
    """Create, apply, patch, get, replace or delete a Kubernetes object. *manifest* is a dict
    (or YAML text); ``{{inputs.parameters.x}}`` inside it reads input ``x``. *outputs* maps
    output names to JSON paths into the object (``{.metadata.name}``)."""
    return Task(name, "resource", None, TaskOptions(), source=str(manifest),
                inputs=tuple(inputs), outputs=dict(outputs or {}))


def http(
    name: str, url: str, *, method: str = "GET", headers: Mapping[str, str] | None = None,
    body: str | None = None, success_condition: str | None = None,
    timeout: int | None = None, insecure: bool = False, inputs: Sequence[str] = (),
) -> Task[..., str]:
    """An HTTP request made by Argo itself (no pod); its output is the response body."""
    return Task(name, "http", None, TaskOptions(), source=url, inputs=tuple(inputs))


def template_ref(
    workflow_template: str, template: str, *, cluster: bool = False,
    inputs: Sequence[str] = (), outputs: Sequence[str] = (), name: str | None = None,
) -> Task[..., Any]:
    """A template of another WorkflowTemplate (``cluster=True``: ClusterWorkflowTemplate),
    called like any task. When that template is compiled in the same run, tiphys checks that
    it exists and that *inputs* and *outputs* match it."""
    return Task(name or template, "template_ref", None, TaskOptions(), inputs=tuple(inputs),
                outputs={o: "" for o in outputs})


def data(
    name: str, source: Any, transformations: Sequence[str], *, source_name: str = "source",
    inputs: Sequence[str] = (),
) -> Task[..., list[str]]:
    """List the keys of the artifacts at *source* (a location: ``s3_artifact(bucket, prefix)``)
    and pass them through *transformations*, expr-lang expressions over ``data`` such as
    ``'filter(data, {# endsWith ".csv"})'``; Argo's own data template, no pod of yours. Its
    output is the resulting list (loop over it with ``.map()``)."""
    return Task(name, "data", None, TaskOptions(), inputs=tuple(inputs))


def plugin(
    name: str, plugin: str, config: Mapping[str, Any], *, inputs: Sequence[str] = (),
) -> Task[..., Any]:
    """Call the executor plugin *plugin* (installed on the cluster) with its own *config*;
    ``{{inputs.parameters.x}}`` in it reads input ``x``."""
    return Task(name, "plugin", None, TaskOptions(), inputs=tuple(inputs))
