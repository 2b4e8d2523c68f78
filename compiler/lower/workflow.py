"""Lowering: an :class:`ir.Workflow` → one Argo document (a plain dict), plus a source map.

Keys are inserted in a fixed order (the order the YAML shows). Each task definition becomes one
template however often it runs; each composite becomes a ``steps`` or ``dag`` template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tiphys.compiler import ir
from tiphys.compiler.bounded_read import DEFAULT_MAX_INPUT_SIZE
from tiphys.compiler.diagnostics import Diagnostics
from tiphys.compiler.ir.loc import Loc
from tiphys.compiler.ir.names import (
    NameTable,
    field_name,
    field_name_problem,
    metadata_name_problem,
)
from tiphys.compiler.lower.artifacts import add_artifacts
from tiphys.compiler.lower.composites import (
    CompositeTemplates,
    choice_expression,
    handler_tasks,
)
from tiphys.compiler.lower.kinds import kind_template
from tiphys.compiler.lower.mounts import check_mounts
from tiphys.compiler.lower.placement import Placement
from tiphys.compiler.lower.pod_kinds import pod_kind_template
from tiphys.compiler.lower.scopes import Entry, Scope
from tiphys.compiler.lower.task import synchronization, task_template

API_VERSION = "argoproj.io/v1alpha1"
JsonPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Settings:
    """What the user configured (flags over ``[tool.tiphys]``), for every front end."""

    #: Document kind; None means each front end's default (WorkflowTemplate for the DSL,
    #: Workflow for CloudHarness operations).
    kind: str | None = None
    python_image: str = "python:3.12-slim"
    bash_image: str = "bash:5.2"
    namespace: str | None = None
    service_account: str | None = None
    #: Image registry and tag for images named without them (CloudHarness CustomTask).
    registry: str | None = None
    tag: str | None = None
    #: Target Argo version, e.g. "3.6" (some fields differ between versions).
    argo_version: str | None = None
    #: Largest source file read, in bytes (``max-input-size``; see tiphys.compiler.bounded_read).
    max_input_size: int = DEFAULT_MAX_INPUT_SIZE
    #: The ``[tool.tiphys.cloudharness]`` table, as read (validated by that front end).
    cloudharness: Any = field(default=None, compare=False, hash=False)

    @property
    def dsl_kind(self) -> str:
        return self.kind or "WorkflowTemplate"


@dataclass(slots=True)
class Lowered:
    name: str
    document: dict[str, Any]
    #: JSON path prefix → where in the source that part of the document comes from.
    source_map: list[tuple[JsonPath, Loc]] = field(default_factory=list)

    def locate(self, path: JsonPath) -> Loc | None:
        best: tuple[int, Loc] | None = None
        for prefix, loc in self.source_map:
            if path[: len(prefix)] == prefix and (best is None or len(prefix) > best[0]):
                best = (len(prefix), loc)
        return best[1] if best else None


def lower_workflow(wf: ir.Workflow, settings: Settings, diags: Diagnostics) -> Lowered | None:
    before = len([d for d in diags if d.is_error])
    smap: list[tuple[JsonPath, Loc]] = []

    def error(code: str, message: str, loc: Loc) -> None:
        line, col, end_line, end_col = loc.position()
        diags.error(code, message, loc.path, line, col, end_line, end_col)

    name = wf.name  # as written: the front end refused an invalid one (TPH310), never renames
    schedule = wf.options.schedule
    kind = "CronWorkflow" if schedule is not None else settings.dsl_kind
    # Kubernetes derives names from these: a CronWorkflow's runs add 11 characters, a
    # Workflow's generateName 5.
    limit = {"CronWorkflow": 52, "Workflow": 58}.get(kind, 63)
    problem = metadata_name_problem(name, limit)
    if problem:
        error("TPH310", f"workflow name '{wf.name}' {problem}", wf.loc)
    if kind == "ClusterWorkflowTemplate" and wf.options.namespace:
        error("TPH131", f"workflow '{wf.name}' sets namespace=, but a ClusterWorkflowTemplate "
              "is cluster-scoped: remove it, or compile with another --kind", wf.loc)

    placement = Placement(wf, diags)
    placement.name_entries()
    placement.resolve_all()
    placement.check_cycles()
    for out_name, ref in wf.outputs:
        if isinstance(ref, ir.Choice):
            chosen = choice_expression(placement, ref, placement.root, None)
            if chosen is not None:
                placement.root.extra_outputs.append({
                    "name": out_name, "globalName": out_name,
                    "valueFrom": {"expression": chosen}})
            continue
        expr = placement.reference(ref.node, ref.output, placement.root, None, ref.loc)
        if expr is not None:
            placement.root.global_outputs.append((out_name, expr))
    workflow_hooks: dict[str, Any] = {}
    for hook in wf.hooks:
        rendered = placement.hook(hook, None, None)
        if rendered is not None:
            workflow_hooks[hook.name] = rendered

    # Template names: task templates claim their (user-chosen) names; composites derive.
    names = NameTable()
    tasks: dict[str, ir.TaskDef] = {}
    for inv in wf.invocations:
        t = inv.task
        if isinstance(t, ir.TemplateRefTask):
            continue  # its template lives in another WorkflowTemplate
        if isinstance(t, ir.CompositeTask) and t.recursive:
            continue  # a recursive call: the template is its composite's own
        tname = field_name(t.name)
        prev = tasks.get(tname)
        if prev is None:
            bad = field_name_problem(tname)
            if bad:
                error("TPH311", f"task name '{t.name}' {bad}", t.loc)
            tasks[tname] = t
            names.claim(tname, tname)
        elif prev is not t and _strip(prev) != _strip(t):
            error("TPH312", f"two different tasks are both named '{tname}' in workflow "
                  f"'{wf.name}'; templates are never merged: rename one (@task(name=...))",
                  t.loc)
    handlers = handler_tasks(wf)
    composites = {tname: CompositeTemplates(t, wf, diags, names, tname in handlers)
                  for tname, t in tasks.items() if isinstance(t, ir.CompositeTask)}
    for scope in placement.scopes:
        comp = scope.composite
        if scope is placement.root:
            scope.name = names.derive(field_name(name) or "main", f"scope{id(scope)}")
        elif comp.name:
            scope.name = field_name(comp.name)
            if names.claim(scope.name, f"scope{id(scope)}") is not None:
                error("TPH313", f"template name '{scope.name}' is already used by a task or "
                      "another composite: choose another name=", comp.loc)
        else:
            scope.name = names.derive(comp.kind, f"scope{id(scope)}")

    declared = {v.name for v in wf.options.volumes} | {c.name for c in wf.options.volume_claims}
    templates: list[dict[str, Any]] = []
    for scope in placement.scopes:
        smap.append((("spec", "templates", len(templates)), scope.composite.loc))
        templates.append(_scope_template(scope, smap, len(templates)))
    for tname, t in tasks.items():
        check_mounts(wf, t, declared, error)
        smap.append((("spec", "templates", len(templates)), t.loc))
        if isinstance(t, (ir.PythonTask, ir.BashTask, ir.ContainerTask)):
            templates.append(add_artifacts(task_template(tname, t, wf, settings), t))
        elif isinstance(t, ir.CompositeTask):
            smap.pop()  # each of its templates maps itself
            templates += composites[tname].templates(smap, len(templates), _scope_template)
        elif isinstance(t, ir.ContainerSetTask):
            templates.append(add_artifacts(pod_kind_template(tname, t), t))
        elif isinstance(t, (ir.DataTask, ir.PluginTask)):
            templates.append(pod_kind_template(tname, t))
        elif not isinstance(t, ir.TemplateRefTask):
            templates.append(kind_template(tname, t))

    if len([d for d in diags if d.is_error]) > before:
        return None

    metadata: dict[str, Any] = {}
    if kind == "Workflow":
        metadata["generateName"] = f"{name}-"
    else:
        metadata["name"] = name
    namespace = wf.options.namespace or settings.namespace
    if namespace and kind != "ClusterWorkflowTemplate":  # cluster-scoped: no namespace
        metadata["namespace"] = namespace
    if wf.options.labels:
        metadata["labels"] = dict(wf.options.labels)
    if wf.options.annotations:
        metadata["annotations"] = dict(wf.options.annotations)
    smap.append((("metadata",), wf.loc))
    smap.append((("spec",), wf.loc))
    for i, p in enumerate(wf.params):
        if p.loc is not None:
            smap.append((("spec", "arguments", "parameters", i), p.loc))

    spec: dict[str, Any] = {"entrypoint": placement.root.name}
    if wf.params:
        spec["arguments"] = {"parameters": [_workflow_param(p) for p in wf.params]}
    _spec_options(spec, wf.options, settings)
    if workflow_hooks:
        spec["hooks"] = workflow_hooks
    spec["templates"] = templates
    if schedule is not None:
        spec = {**_cron_fields(schedule), "workflowSpec": spec}
        smap[:] = [(_cron_path(p), loc) for p, loc in smap]
    doc = {"apiVersion": API_VERSION, "kind": kind, "metadata": metadata, "spec": spec}
    return Lowered(name, doc, smap)


def _cron_fields(s: ir.Schedule) -> dict[str, Any]:
    out: dict[str, Any] = {"schedules": list(s.schedules)}
    for key, value in (
        ("timezone", s.timezone), ("concurrencyPolicy", s.concurrency_policy),
        ("startingDeadlineSeconds", s.starting_deadline),
        ("successfulJobsHistoryLimit", s.successful_history),
        ("failedJobsHistoryLimit", s.failed_history), ("suspend", s.suspend),
    ):
        if value is not None:
            out[key] = value
    return out


def _cron_path(path: JsonPath) -> JsonPath:
    """A CronWorkflow holds the workflow spec under spec.workflowSpec."""
    if path[:1] == ("spec",):
        return ("spec", "workflowSpec", *path[1:])
    return path


def _strip(t: ir.TaskDef) -> object:
    """A task definition without its location, to tell identical re-definitions apart."""
    return (type(t), t.name, t.inputs, t.options, getattr(t, "script", None),
            getattr(t, "source", None), getattr(t, "image", None), getattr(t, "body", None))


def _workflow_param(p: ir.WorkflowParam) -> dict[str, Any]:
    out: dict[str, Any] = {"name": p.name}
    if p.default is not None:
        out["value"] = p.default
    if p.enum:
        out["enum"] = list(p.enum)
    if p.description:
        out["description"] = p.description
    return out


def _spec_options(spec: dict[str, Any], o: ir.WorkflowOptions, settings: Settings) -> None:
    sa = o.service_account or settings.service_account
    if sa:
        spec["serviceAccountName"] = sa
    if o.parallelism is not None:
        spec["parallelism"] = o.parallelism
    if o.active_deadline is not None:
        spec["activeDeadlineSeconds"] = o.active_deadline
    if o.ttl:
        spec["ttlStrategy"] = dict(o.ttl)
    if o.pod_gc:
        spec["podGC"] = {"strategy": o.pod_gc}
    if o.volumes:
        spec["volumes"] = [_volume(v) for v in o.volumes]
    if o.volume_claims:
        spec["volumeClaimTemplates"] = [_claim(c) for c in o.volume_claims]
    if o.priority is not None:
        spec["priority"] = o.priority
    if o.archive_logs is not None:
        spec["archiveLogs"] = o.archive_logs
    if o.run_labels or o.run_annotations:
        meta: dict[str, Any] = {}
        if o.run_labels:
            meta["labels"] = dict(o.run_labels)
        if o.run_annotations:
            meta["annotations"] = dict(o.run_annotations)
        spec["workflowMetadata"] = meta
    spec.update(o.pod_settings)
    if o.template_defaults:
        spec["templateDefaults"] = dict(o.template_defaults)
    if o.pod_spec_patch is not None:
        spec["podSpecPatch"] = o.pod_spec_patch
    if o.locks:
        spec["synchronization"] = synchronization(o.locks)
    if o.artifact_repository is not None:
        config_map, key = o.artifact_repository
        ref: dict[str, Any] = {}
        if config_map:
            ref["configMap"] = config_map
        if key:
            ref["key"] = key
        spec["artifactRepositoryRef"] = ref


def _volume(v: ir.Volume) -> dict[str, Any]:
    if v.kind == "pvc":
        pvc: dict[str, Any] = {"claimName": v.source}
        if v.read_only:
            pvc["readOnly"] = True
        return {"name": v.name, "persistentVolumeClaim": pvc}
    if v.kind == "config_map":
        return {"name": v.name, "configMap": {"name": v.source}}
    if v.kind == "secret":
        return {"name": v.name, "secret": {"secretName": v.source}}
    return {"name": v.name, "emptyDir": {}}


def _claim(c: ir.VolumeClaim) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "accessModes": list(c.access_modes),
        "resources": {"requests": {"storage": c.size}},
    }
    if c.storage_class:
        spec["storageClassName"] = c.storage_class
    return {"metadata": {"name": c.name}, "spec": spec}


def _arguments(entry: Entry) -> dict[str, Any] | None:
    out: dict[str, Any] = {}
    if entry.args:
        out["parameters"] = [{"name": n, "value": v} for n, v in entry.args]
    if entry.artifacts:
        out["artifacts"] = [{"name": n, **source} for n, source in entry.artifacts]
    return out or None


def _scope_template(scope: Scope, smap: list[tuple[JsonPath, Loc]], index: int) -> dict[str, Any]:
    t: dict[str, Any] = {"name": scope.name}
    ins: dict[str, Any] = {}
    params = [{"name": n} for (_, _, k), n in scope.inputs.items() if k != "artifact"]
    arts = [{"name": n} for (_, _, k), n in scope.inputs.items() if k == "artifact"]
    if params:
        ins["parameters"] = params
    if arts:
        ins["artifacts"] = arts
    if ins:
        t["inputs"] = ins
    outs: dict[str, Any] = {}
    out_params = [{"name": n, "valueFrom": {"parameter": expr}}
                  for (_, _, k), (n, expr) in scope.outputs.items() if k != "artifact"]
    out_params += [{"name": n, "globalName": n, "valueFrom": {"parameter": expr}}
                   for n, expr in scope.global_outputs]
    out_params += scope.extra_outputs
    out_arts = [{"name": n, "from": expr}
                for (_, _, k), (n, expr) in scope.outputs.items() if k == "artifact"]
    if out_params:
        outs["parameters"] = out_params
    if out_arts:
        outs["artifacts"] = out_arts
    if outs:
        t["outputs"] = outs
    base: JsonPath = ("spec", "templates", index)

    def step(entry: Entry, path: JsonPath) -> dict[str, Any]:
        smap.append((path, entry.loc))
        el = entry.element
        s: dict[str, Any] = {"name": entry.name}
        if isinstance(el, ir.Invocation) and isinstance(el.task, ir.TemplateRefTask):
            ref: dict[str, Any] = {"name": el.task.workflow_template,
                                   "template": el.task.template}
            if el.task.cluster:
                ref["clusterScope"] = True
            s["templateRef"] = ref
        else:
            s["template"] = el.name if isinstance(el, Scope) else field_name(el.task.name)
        if scope.kind == "dag" and entry.depends:
            s["depends"] = entry.depends
        args = _arguments(entry)
        if args:
            s["arguments"] = args
            for i, (pname, _) in enumerate(entry.args):
                loc = entry.arg_locs.get(pname)
                if loc is not None:
                    smap.append(((*path, "arguments", "parameters", i), loc))
        s.update(entry.fields)
        return s

    if scope.kind == "dag":
        t["dag"] = {"tasks": [
            step(e, (*base, "dag", "tasks", i)) for i, e in enumerate(scope.entries)
        ]}
        if not scope.composite.fail_fast:
            t["dag"]["failFast"] = False
    else:
        groups: list[list[Entry]] = []
        for e in scope.entries:
            while len(groups) <= e.group:
                groups.append([])
            groups[e.group].append(e)
        t["steps"] = [
            [step(e, (*base, "steps", g, i)) for i, e in enumerate(group)]
            for g, group in enumerate(g for g in groups if g)
        ]
    return t
