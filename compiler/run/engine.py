"""The local Argo engine: runs one emitted document (a plain dict) the way Argo's controller
would, node by node, with real parallelism.

This module holds the workflow level (arguments, deadline, hooks, exit handler, global
outputs) and the life of one node: inputs, retries, the template body, outputs (the values
are worked out in :mod:`parameters`). Steps and DAGs are in :mod:`composites`, the bodies of
leaf templates in :mod:`executors` and :mod:`other_kinds`. Problems in the document or at run time become node phases (Failed,
Error) with a message, never exceptions to the caller.
"""

from __future__ import annotations

import itertools
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tiphys.compiler.run import parameters
from tiphys.compiler.run.artifacts import Repository, location_kind
from tiphys.compiler.run.durations import seconds
from tiphys.compiler.run.expressions import ExpressionError, evaluate
from tiphys.compiler.run.model import Node, Run, RunOptions
from tiphys.compiler.run.parameters import NotLocal, Problem, text_of
from tiphys.compiler.run.substitution import substitute, tree

__all__ = ["Call", "Engine", "NotLocal", "Problem", "owner_reason", "text_of"]

Templates = dict[str, dict[str, Any]]
#: Template nesting levels run in one thread before the next level gets a fresh one.
_FRESH_STACK_EVERY = 16
LIBRARY_KINDS = ("WorkflowTemplate", "ClusterWorkflowTemplate")


@dataclass
class Call:
    """A template to run, where it comes from, and what it is given."""

    template: dict[str, Any]
    #: The templates of the document the template belongs to (for nested references).
    templates: Templates
    name: str
    display: str
    parent: str | None
    parameters: dict[str, str] = field(default_factory=dict)
    #: Input artifacts by name: the stored path.
    artifacts: dict[str, str] = field(default_factory=dict)
    #: How many templates deep this call is (the entrypoint is 1); see RunOptions.max_depth.
    depth: int = 1


def merged(defaults: dict[str, Any], t: dict[str, Any]) -> dict[str, Any]:
    """*t* over *defaults*, as Argo applies ``spec.templateDefaults`` to every template: a
    field the template sets wins, mappings are merged key by key, lists replaced."""
    if not defaults:
        return t
    out = dict(defaults)
    for key, value in t.items():
        base = out.get(key)
        out[key] = merged(base, value) if isinstance(base, dict) and isinstance(value, dict) \
            else value
    return out


def template_kind(t: dict[str, Any]) -> str:
    for kind in ("steps", "dag", "script", "container", "containerSet", "suspend", "http",
                 "resource", "data", "plugin"):
        if kind in t:
            return kind
    return "unknown"


NODE_TYPES = {"steps": "Steps", "dag": "DAG", "suspend": "Suspend", "http": "HTTP",
              "resource": "Skipped", "data": "Skipped", "plugin": "Skipped"}


class Engine:
    def __init__(self, documents: list[dict[str, Any]], options: RunOptions) -> None:
        self.options = options
        self.library: dict[str, dict[str, Any]] = {}
        for doc in documents:
            if doc.get("kind") in LIBRARY_KINDS and doc.get("metadata", {}).get("name"):
                self.library[doc["metadata"]["name"]] = doc
        self.cancel = threading.Event()
        self.cancel_reason = ""
        self._ids = itertools.count()
        self._globals_lock = threading.Lock()
        self.globals: dict[str, str] = {}
        jobs = options.jobs or os.cpu_count() or 2
        self.leaf_slots = threading.BoundedSemaphore(max(1, jobs))
        self.repo = Repository(options.workdir / "artifacts")
        self.run = Run("", options.workdir)

    # -- the workflow -----------------------------------------------------------------------

    def execute_workflow(self, doc: dict[str, Any]) -> Run:
        spec = doc["spec"]
        if doc.get("kind") == "CronWorkflow":  # each run is a Workflow of its workflowSpec
            spec = spec["workflowSpec"]
        meta = doc.get("metadata", {})
        if "workflowTemplateRef" in spec:
            spec = self._referenced_spec(spec)
        name = meta.get("name") or (meta.get("generateName", "workflow-") +
                                    "".join(secrets.choice("bcdfghjklmnpqrstvwxz2456789")
                                            for _ in range(5)))
        self.run.workflow = name
        workflow_jobs = spec.get("parallelism")
        if isinstance(workflow_jobs, int) and workflow_jobs > 0:
            jobs = min(workflow_jobs, self.options.jobs or os.cpu_count() or 2)
            self.leaf_slots = threading.BoundedSemaphore(max(1, jobs))
        defaults = spec.get("templateDefaults") or {}
        templates: Templates = {t["name"]: merged(defaults, t) for t in spec.get("templates", [])}
        self._set_globals(name, meta, spec)
        args = spec.get("arguments", {})
        params = {p["name"]: self.globals[f"workflow.parameters.{p['name']}"]
                  for p in args.get("parameters", [])}
        timer = self._deadline(spec.get("activeDeadlineSeconds"))
        hooks = dict(spec.get("hooks", {}))
        fired: set[str] = set()
        self.fire_hooks(hooks, fired, templates, name, None)
        entry = templates.get(spec.get("entrypoint", ""))
        if entry is None:
            root = self.run.add(Node(self.new_id(), name, name, "Skipped", parent=None))
            self.run.update(root, "Error", f"entrypoint {spec.get('entrypoint')!r} is not a template")
        else:
            root = self.execute(Call(entry, templates, name, name, None, params,
                                     self._argument_artifacts(args, name)))
        if timer is not None:
            timer.cancel()
        phase = "Succeeded" if root.phase in ("Succeeded", "Skipped") else root.phase
        message = root.message
        if self.cancel.is_set():
            phase, message = "Failed", self.cancel_reason
        self.set_global("workflow.status", phase)
        self.set_global("workflow.failures", json.dumps(self._failures()))
        self.set_global("workflow.duration", f"{time.monotonic() - self.run.started:.3f}")
        self.cancel.clear()  # exit handlers run after a deadline, as in Argo
        self.fire_hooks(hooks, fired, templates, name, None)
        exit_ref = hooks.get("exit") or ({"template": spec["onExit"]} if spec.get("onExit") else None)
        if exit_ref is not None:
            handler = self.execute_ref(exit_ref, templates, f"{name}.onExit", f"{name}.onExit",
                                       None, self.snapshot())
            if phase == "Succeeded" and handler.phase in ("Failed", "Error"):
                phase, message = handler.phase, handler.message or "exit handler failed"
        self.run.outputs = {k.removeprefix("workflow.outputs."): v
                            for k, v in self.snapshot().items()
                            if k.startswith("workflow.outputs.")}
        with self.run.lock:
            self.run.phase, self.run.message = phase, message
            self.run.finished = time.monotonic()
        self.run.notify(root)
        return self.run

    def _referenced_spec(self, spec: dict[str, Any]) -> dict[str, Any]:
        """A spec with ``workflowTemplateRef``: the WorkflowTemplate's spec, with this spec's
        fields (arguments by name) over it. Unknown template: an entrypoint-less spec whose
        run reports it."""
        ref = spec["workflowTemplateRef"]
        base = self.library.get(str(ref.get("name", "")))
        if base is None:
            return {"entrypoint": f"(workflowTemplateRef {ref.get('name')} is not among the "
                                  "compiled files)", "templates": []}
        merged = {**base["spec"], **{k: v for k, v in spec.items() if k not in
                                      ("workflowTemplateRef", "arguments")}}
        params = {p["name"]: p for p in base["spec"].get("arguments", {}).get("parameters", [])}
        params.update({p["name"]: p for p in spec.get("arguments", {}).get("parameters", [])})
        merged["arguments"] = {**base["spec"].get("arguments", {}), **spec.get("arguments", {}),
                               "parameters": list(params.values())}
        return merged

    def _set_globals(self, name: str, meta: dict[str, Any], spec: dict[str, Any]) -> None:
        g = {
            "workflow.name": name, "workflow.namespace": meta.get("namespace", "default"),
            "workflow.uid": f"local-{secrets.token_hex(8)}",
            "workflow.serviceAccountName": spec.get("serviceAccountName", "default"),
            "workflow.creationTimestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "workflow.mainEntrypoint": spec.get("entrypoint", ""),
            "workflow.status": "Running", "workflow.priority": str(spec.get("priority", 0)),
        }
        for k, v in (meta.get("labels") or {}).items():
            g[f"workflow.labels.{k}"] = str(v)
        for k, v in (meta.get("annotations") or {}).items():
            g[f"workflow.annotations.{k}"] = str(v)
        given = dict(self.options.parameters)
        listed = []
        for p in spec.get("arguments", {}).get("parameters", []):
            if p["name"] in given:
                value = given.pop(p["name"])
            elif "value" in p:
                value = text_of(p["value"])
            elif "default" in p.get("valueFrom", {}) or "default" in p:
                value = text_of(p.get("valueFrom", {}).get("default", p.get("default")))
            else:
                value = ""
            g[f"workflow.parameters.{p['name']}"] = value
            listed.append({"name": p["name"], "value": value})
        g["workflow.parameters"] = json.dumps(listed)
        # Argo fills in the spec's global tags first, then makes workflowMetadata's labels and
        # annotations the run's own (workflow.labels.x), over the document's.
        meta_of_run = spec.get("workflowMetadata") or {}
        for kind in ("labels", "annotations"):
            for k, v in (meta_of_run.get(kind) or {}).items():
                g[f"workflow.{kind}.{k}"] = substitute(str(v), g, ())
        self.globals = g

    def _deadline(self, limit: Any) -> threading.Timer | None:
        if limit is None:
            return None
        limit_s = seconds(limit)

        def expire() -> None:
            self.cancel_reason = f"Step exceeded its deadline: the workflow's activeDeadlineSeconds ({limit_s:g}s) passed"
            self.cancel.set()

        timer = threading.Timer(limit_s, expire)
        timer.daemon = True
        timer.start()
        return timer

    def _failures(self) -> list[dict[str, str]]:
        return [{"displayName": n.display, "message": n.message, "templateName": n.template,
                 "phase": n.phase, "podName": n.id}
                for n in self.run.nodes.values()
                if n.phase in ("Failed", "Error") and not n.children]

    def _argument_artifacts(self, args: dict[str, Any], owner: str) -> dict[str, str]:
        out = {}
        for a in args.get("artifacts", []):
            stored = self.repo.from_location(owner, a, not self.options.no_http)
            out[a["name"]] = stored if stored is not None else \
                f"remote:{location_kind(a) or 'unknown'}"
        return out

    def fire_hooks(self, hooks: dict[str, Any], fired: set[str], templates: Templates,
                    owner: str, parent: str | None, scope: dict[str, str] | None = None) -> None:
        """Lifecycle hooks other than ``exit`` run once, the first time their expression
        holds (looked at when the owner starts and when it ends)."""
        for hook_name, hook in hooks.items():
            if hook_name == "exit" or hook_name in fired or "expression" not in hook:
                continue
            env = scope if scope is not None else self.snapshot()
            try:
                if not evaluate(hook["expression"], tree(env)):
                    continue
            except ExpressionError:
                continue  # a hook whose values do not exist yet has not fired
            fired.add(hook_name)
            self.execute_ref(hook, templates, f"{owner}.hooks.{hook_name}",
                             f"{owner.rsplit('.', 1)[-1]}.hooks.{hook_name}", parent, env)

    # -- values -----------------------------------------------------------------------------

    def snapshot(self) -> dict[str, str]:
        with self._globals_lock:
            return dict(self.globals)

    def set_global(self, key: str, value: str) -> None:
        with self._globals_lock:
            self.globals[key] = value

    def new_id(self) -> str:
        return f"{self.run.workflow or 'node'}-{next(self._ids)}"

    # -- one node ---------------------------------------------------------------------------

    def execute_ref(self, ref: dict[str, Any], templates: Templates, name: str, display: str,
                    parent: str | None, scope: dict[str, str], depth: int = 1) -> Node:
        """Run a step-like reference (a hook, an exit handler) with *scope* for its
        arguments."""
        try:
            template, owner = self.resolve(ref, templates)
            params, arts = self.arguments(ref, scope)
        except Problem as exc:
            node = self.run.add(Node(self.new_id(), name, display, "Skipped", parent=parent))
            self.run.update(node, "Error", str(exc))
            return node
        if template is None:
            node = self.run.add(Node(self.new_id(), name, display, "Skipped", parent=parent))
            self.run.update(node, "Skipped", owner_reason(ref))
            return node
        return self.execute(Call(template, owner, name, display, parent, params, arts,
                                 depth))

    def resolve(self, ref: dict[str, Any], templates: Templates) -> tuple[dict[str, Any] | None, Templates]:
        """The template a step names, and its document's templates. None when it is a
        templateRef to a document this run does not have (it lives on the cluster)."""
        if "inline" in ref:
            return ref["inline"], templates
        if "templateRef" in ref:
            target = ref["templateRef"]
            doc = self.library.get(target.get("name", ""))
            if doc is None:
                return None, templates
            owned = {t["name"]: t for t in doc["spec"].get("templates", [])}
            if target.get("template") not in owned:
                raise Problem(f"template {target.get('template')!r} not found in "
                              f"WorkflowTemplate {target.get('name')!r}")
            return owned[target["template"]], owned
        name = ref.get("template", "")
        if name not in templates:
            raise Problem(f"template {name!r} not found")
        return templates[name], templates

    def arguments(self, ref: dict[str, Any], scope: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
        return parameters.arguments(self, ref, scope)

    def inputs(self, t: dict[str, Any], call: Call, node: Node) -> dict[str, str]:
        return parameters.inputs(self, t, call, node)

    def composite_outputs(self, t: dict[str, Any], scope: dict[str, str]) -> dict[str, str]:
        return parameters.composite_outputs(t, scope)

    def publish_globals(self, t: dict[str, Any], outputs: dict[str, str]) -> None:
        """Outputs with a ``globalName`` become ``workflow.outputs.*``."""
        for kind in ("parameters", "artifacts"):
            for o in t.get("outputs", {}).get(kind, []):
                key = f"{kind}.{o['name']}"
                if o.get("globalName") and key in outputs:
                    self.set_global(f"workflow.outputs.{kind}.{o['globalName']}", outputs[key])

    def execute(self, call: Call) -> Node:
        if call.depth > self.options.max_depth:
            node = self.run.add(Node(self.new_id(), call.name, call.display, "Skipped",
                                     template=call.template.get("name", ""), parent=call.parent))
            self.run.update(node, "Error", "Maximum recursion depth exceeded: templates call "
                            f"templates more than {self.options.max_depth} deep (a recursive "
                            "template whose condition never stops it?)")
            return node
        if call.depth % _FRESH_STACK_EVERY == 0:
            # Each level of nesting takes a few Python frames; a deep recursion continues
            # in a thread of its own, whose frames are counted afresh.
            done: list[Node] = []
            errors: list[BaseException] = []

            def job() -> None:
                try:
                    done.append(self._execute(call))
                except BaseException as exc:  # a tiphys bug: raised in the caller's thread
                    errors.append(exc)

            thread = threading.Thread(target=job, daemon=True)
            thread.start()
            thread.join()
            if errors:
                raise errors[0]
            return done[0]
        return self._execute(call)

    def _execute(self, call: Call) -> Node:
        strategy = call.template.get("retryStrategy")
        if strategy is not None:
            from tiphys.compiler.run.retries import run_with_retries

            return run_with_retries(self, call, strategy)
        return self.attempt(call, call.name, call.display, call.parent)

    def attempt(self, call: Call, name: str, display: str, parent: str | None,
                retry: int = 0) -> Node:
        t = call.template
        kind = template_kind(t)
        node_type = NODE_TYPES.get(kind, "Pod")
        node = self.run.add(Node(self.new_id(), name, display, node_type,
                                 template=t.get("name", "(inline)"), parent=parent))
        if self.cancel.is_set():
            self.run.update(node, "Failed", self.cancel_reason)
            return node
        try:
            scope = self.inputs(t, call, node)
        except NotLocal as exc:
            self.run.update(node, "Skipped", str(exc))
            return node
        except Problem as exc:
            self.run.update(node, "Error", str(exc))
            return node
        scope.update({"pod.name": node.id, "node.name": node.name, "retries": str(retry)})
        self.run.update(node, "Running")
        if kind in ("steps", "dag"):
            from tiphys.compiler.run.composites import run_dag, run_steps

            phase, message, scope = (run_steps if kind == "steps" else run_dag)(self, call, node, scope)
            if phase == "Succeeded":
                try:
                    node.outputs = self.composite_outputs(t, scope)
                except Problem as exc:
                    phase, message = "Error", str(exc)
        else:
            from tiphys.compiler.run.executors import run_leaf

            phase, message, node.outputs = run_leaf(self, t, kind, scope, node)
        if phase == "Succeeded":
            self.publish_globals(t, node.outputs)
        self.run.update(node, phase, message)
        return node

def owner_reason(ref: dict[str, Any]) -> str:
    target = ref.get("templateRef", {})
    return (f"not run: templateRef {target.get('name')}/{target.get('template')} names a "
            "WorkflowTemplate that is not among the compiled files (a cluster-only step)")
