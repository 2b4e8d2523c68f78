"""One CloudHarness operation → one Argo document (a dict) and its source map.

The shape follows CloudHarness (``operations.py``/``tasks.py``): an entry ``steps`` template
named ``<name>-pipeline``/``-parallel``/``-simpledag`` first, then one template per task in
order, then ``exit-handler``; the same defaults. What differs is what CloudHarness gets wrong
(see docs/cloudharness-migration.md): valid field names and types, affinity where Argo
applies it, no copy of the compiling process' environment, validated and unique names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tiphys.compiler.cloudharness.config import CHConfig
from tiphys.compiler.cloudharness.kube import label_key_ok, label_value_ok
from tiphys.compiler.cloudharness.model import (
    SINGLE,
    Operation,
    PodContext,
    Problem,
    Task,
    VolumeSpec,
)
from tiphys.compiler.cloudharness.scheduling import claim_plan, volume_labels, workflow_affinity
from tiphys.compiler.cloudharness.templates import (
    ACCOUNTS,
    ALLVALUES,
    EXIT_HANDLER,
    TemplateBuilder,
)
from tiphys.compiler.cloudharness.volumes import volume_name
from tiphys.compiler.ir.loc import Loc
from tiphys.compiler.ir.names import (
    field_name,
    field_name_problem,
    metadata_name,
    metadata_name_problem,
)
from tiphys.compiler.lower.workflow import API_VERSION, JsonPath, Lowered


@dataclass(slots=True)
class Result:
    lowered: Lowered | None
    problems: list[Problem] = field(default_factory=list)
    #: Parts of the document that hold data the user wrote as-is (template_overrides,
    #: pod_gc, resources): a strict-schema violation there is the user's mistake.
    user_data: list[tuple[JsonPath, Loc | None, str]] = field(default_factory=list)
    #: Workflow parameters that have no value: they are supplied at submission (``-p``).
    open_params: tuple[str, ...] = ()


def output_name(op_name: str) -> str:
    """The stable name of an operation's document (and output file): no trailing '-'."""
    return op_name.rstrip("-.") or op_name


def entry_name(op: Operation) -> str:
    return op.name + "-" + op.shape


def lower_operation(op: Operation, cfg: CHConfig) -> Result:
    return _Lowering(op, cfg).run()


def name_problems(op: Operation) -> list[Problem]:
    """The problems with an operation's names alone (they do not depend on configuration)."""
    lowering = _Lowering(op, CHConfig())
    lowering.check_names()
    return lowering.problems


class _Lowering(TemplateBuilder):
    def __init__(self, op: Operation, cfg: CHConfig) -> None:
        self.op = op
        self.cfg = cfg
        self.problems: list[Problem] = []
        self.smap: list[tuple[JsonPath, Loc]] = []
        self.user_data: list[tuple[JsonPath, Loc | None, str]] = []
        #: parameter name → (expression, default, loc)
        self.params: dict[str, tuple[str | None, str | None, Loc | None]] = {}

    def mapped(self, path: JsonPath, loc: Loc | None) -> None:
        if loc is not None:
            self.smap.append((path, loc))

    # -- names ----------------------------------------------------------------------------

    def check_names(self) -> dict[int, str]:
        """Template name of each task (by position), with every name problem reported."""
        op = self.op
        stem = output_name(op.name)
        limit = 63 - 5 if self.cfg.kind == "Workflow" else 63
        problem = metadata_name_problem(stem, limit)
        if problem:
            fixed = metadata_name(op.name) + ("-" if op.name.endswith("-") else "")
            what = "generateName" if self.cfg.kind == "Workflow" else "metadata.name"
            self.err("TPH610", f"operation name '{op.name}' {problem} (it becomes the {what}); "
                     f"try '{fixed}'", op.name_loc or op.loc)
        taken: dict[str, str] = {}
        if op.shape != SINGLE:
            entry = entry_name(op)
            bad = field_name_problem(entry)
            if bad and not problem:
                self.err("TPH610", f"operation name '{op.name}' gives the entry template name "
                         f"'{entry}', which {bad}", op.name_loc or op.loc)
            taken[entry] = f"the entry template of operation '{op.name}'"
        if op.on_exit is not None:
            taken[EXIT_HANDLER] = "the on_exit_notify handler"
        names: dict[int, str] = {}
        seen: dict[str, Task] = {}
        for i, t in enumerate(op.tasks):
            override = t.overrides.get("name") if isinstance(t.overrides, dict) else None
            name = override if isinstance(override, str) else t.name
            loc = (dict(t.override_locs).get("name", t.overrides_loc) if override is not None
                   else t.name_loc) or t.loc
            names[i] = name
            bad = field_name_problem(name)
            if bad:
                suggestion = field_name(name.replace("_", "-")).lower().strip("-")
                hint = f"; try '{suggestion}'" if suggestion and suggestion != name else ""
                self.err("TPH611", f"task name '{name}' {bad} (it names the task's Argo "
                         f"template){hint}", loc)
                continue
            if name in seen:
                self.err("TPH612", f"two tasks of operation '{op.name}' are named '{name}'; "
                         "each task is one template, so names must differ (CloudHarness "
                         "raises BadOperationConfiguration)", loc)
            elif name in taken:
                self.err("TPH613", f"task name '{name}' is already {taken[name]}: rename the "
                         "task", loc)
            seen[name] = t
        return names

    # -- the document ---------------------------------------------------------------------

    def run(self) -> Result:
        op, cfg = self.op, self.cfg
        names = self.check_names()
        contexts = list(op.pod_contexts)
        for c in op.pod_contexts:
            self.check_label(c)
        plan = claim_plan(op)
        self.check_claims(plan.claims)
        labels = {**volume_labels(plan, None), **{c.key: c.value for c in contexts}}
        volumes, claims = self.workflow_volumes()
        shared_mounts = [self.mount(v) for v in op.shared]

        templates: list[dict[str, Any]] = []
        if op.shape != SINGLE:
            entry: dict[str, Any] = {"name": entry_name(op)}
            if labels:
                entry["metadata"] = {"labels": dict(labels)}
            index = 0
            steps: list[list[dict[str, Any]]] = []
            for g, group in enumerate(op.groups):
                row = []
                for j, t in enumerate(group):
                    row.append({"name": names[index], "template": names[index]})
                    self.mapped(("spec", "templates", 0, "steps", g, j), t.loc)
                    index += 1
                steps.append(row)
            entry["steps"] = steps
            self.mapped(("spec", "templates", 0), op.loc)
            templates.append(entry)
        for i, t in enumerate(op.tasks):
            path: JsonPath = ("spec", "templates", len(templates))
            self.mapped(path, t.loc)
            templates.append(self.task_template(t, names[i], labels, contexts, plan,
                                                shared_mounts, path))
        if op.on_exit is not None:
            path = ("spec", "templates", len(templates))
            self.mapped(path, op.on_exit.loc)
            templates.append(self.exit_template(labels, shared_mounts, path))

        metadata: dict[str, Any] = {}
        if cfg.kind == "Workflow":
            metadata["generateName"] = op.name
        else:
            metadata["name"] = output_name(op.name)
        if cfg.namespace and cfg.kind != "ClusterWorkflowTemplate":
            metadata["namespace"] = cfg.namespace
        self.mapped(("metadata",), op.name_loc or op.loc)
        self.mapped(("spec",), op.loc)

        spec: dict[str, Any] = {
            "entrypoint": names[0] if op.shape == SINGLE and names else entry_name(op),
        }
        open_params: list[str] = []
        if self.params:
            plist = []
            for i, (pname, (_, default, loc)) in enumerate(self.params.items()):
                p: dict[str, Any] = {"name": pname}
                if default is not None:
                    p["value"] = default
                else:
                    open_params.append(pname)
                plist.append(p)
                self.mapped(("spec", "arguments", "parameters", i), loc)
            spec["arguments"] = {"parameters": plist}
        if op.on_exit is not None:
            spec["onExit"] = EXIT_HANDLER
        spec["serviceAccountName"] = cfg.service_account
        ttl = op.ttl if op.ttl_given else cfg.ttl
        if ttl is not None:
            spec["ttlStrategy"] = dict(ttl)
            if op.ttl_given:
                self.user_data.append((("spec", "ttlStrategy"), op.ttl_loc, "ttl_strategy"))
        spec["podGC"] = self.pod_gc(ttl)
        if cfg.tolerations:
            spec["tolerations"] = [dict(t) for t in cfg.tolerations]
        if cfg.image_pull_secret:
            spec["imagePullSecrets"] = [{"name": cfg.image_pull_secret}]
        spec_affinity = workflow_affinity(contexts, plan)
        if spec_affinity is not None:
            spec["affinity"] = spec_affinity
        if volumes:
            spec["volumes"] = volumes
        if claims:
            spec["volumeClaimTemplates"] = claims
        spec["templates"] = templates
        doc = {"apiVersion": API_VERSION, "kind": cfg.kind, "metadata": metadata, "spec": spec}
        if any(p.is_error for p in self.problems):
            return Result(None, self.problems)
        return Result(Lowered(output_name(op.name), doc, self.smap), self.problems,
                      self.user_data, tuple(open_params))

    def pod_gc(self, ttl: tuple[tuple[str, int], ...] | None) -> dict[str, Any]:
        op = self.op
        if op.pod_gc:
            gc = dict(op.pod_gc)
            delay = gc.get("deleteDelayDuration")
            if isinstance(delay, int) and not isinstance(delay, bool):
                gc["deleteDelayDuration"] = f"{delay}s"  # Argo types it as a duration string
            self.user_data.append((("spec", "podGC"), op.pod_gc_loc, "pod_gc"))
            return gc
        success = dict(ttl or ()).get("secondsAfterSuccess")
        return {"strategy": self.cfg.pod_gc_strategy,
                "deleteDelayDuration": f"{success}s" if success is not None else "600s"}

    def check_label(self, c: PodContext) -> None:
        if not label_key_ok(c.key):
            self.err("TPH632", f"pod context key '{c.key}' is not a valid Kubernetes label key",
                     c.loc)
        if not label_value_ok(c.value):
            self.err("TPH632", f"pod context value '{c.value}' is not a valid Kubernetes label "
                     "value (at most 63 letters, digits, '-', '_' or '.', starting and ending "
                     "with a letter or digit)", c.loc)

    def check_claims(self, claims: tuple[str, ...]) -> None:
        by_claim = {v.claim: v for v in [*self.op.shared, *(m for t in self.op.tasks
                                                             for m in t.volume_mounts)]}
        for claim in claims:
            if not label_value_ok(claim):
                self.err("TPH630", f"claim name '{claim}' is longer than 63 characters: pods "
                         "that mount it carry it as a label value (usesvolume), which Kubernetes "
                         "limits to 63", by_claim[claim].loc)

    # -- volumes --------------------------------------------------------------------------

    def workflow_volumes(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        cfg, op = self.cfg, self.op
        volumes: list[dict[str, Any]] = []
        claims: list[dict[str, Any]] = []
        if cfg.allvalues:
            volumes.append({"name": ALLVALUES, "configMap": {"name": ALLVALUES}})
        if cfg.accounts:
            volumes.append({"name": ACCOUNTS, "secret": {"secretName": "accounts"}})
        size = op.shared_volume_size or cfg.shared_volume_size
        by_name: dict[str, VolumeSpec] = {}
        specs = list(op.shared) + [v for t in op.tasks for v in t.volume_mounts]
        for v in specs:
            name = volume_name(v.path)
            if not name:
                continue  # reported where the spec was parsed
            prev = by_name.get(name)
            if prev is not None:
                if prev.claim != v.claim:
                    self.err("TPH615", f"volumes '{prev.text}' and '{v.text}' both get the "
                             f"volume name '{name}' (from their paths) but use different "
                             "claims: mount them at distinct paths", v.loc)
                elif prev.path != v.path:
                    self.err("TPH615", f"paths '{prev.path}' and '{v.path}' both give the "
                             f"volume name '{name}': use paths that differ in more than '/' "
                             "and '_'", v.loc)
                continue
            by_name[name] = v
            if v.claim is not None:
                self.mapped(("spec", "volumes", len(volumes)), v.loc)
                volumes.append({"name": name, "persistentVolumeClaim": {"claimName": v.claim}})
            else:
                self.mapped(("spec", "volumeClaimTemplates", len(claims)), v.loc)
                claims.append({
                    "metadata": {"name": name},
                    "spec": {"accessModes": ["ReadWriteOnce"],
                             "resources": {"requests": {"storage": f"{size}Mi"}}},
                })
        return volumes, claims
