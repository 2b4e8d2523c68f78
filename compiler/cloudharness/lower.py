"""One CloudHarness operation → one Argo document (a dict) and its source map.

The shape follows CloudHarness (``operations.py``/``tasks.py``): an entry ``steps`` template
named ``<name>-pipeline``/``-parallel``/``-simpledag`` first, then one template per task in
order, then ``exit-handler``; the same defaults. What differs is what CloudHarness gets wrong
(see docs/cloudharness-migration.md): valid field names and types, affinity where Argo
applies it, no copy of the compiling process' environment, validated and unique names.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from tiphys.compiler.cloudharness import images
from tiphys.compiler.cloudharness.config import DEFAULT_BASE_IMAGE, CHConfig
from tiphys.compiler.cloudharness.kube import affinity, label_key_ok, label_value_ok, merge
from tiphys.compiler.cloudharness.model import (
    BASH,
    COMMAND,
    CUSTOM,
    NOTIFY_QUEUE_IMAGE,
    PYTHON,
    SEND_RESULT_IMAGE,
    SINGLE,
    EnvVar,
    Operation,
    PodContext,
    Problem,
    Task,
    VolumeSpec,
    error,
    info,
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

EXIT_HANDLER = "exit-handler"
WORKFLOW_NAME_ENV = "CH_WORKFLOW_NAME"
SHARED_DIRECTORY_ENV = "shared_directory"
ALLVALUES = "cloudharness-allvalues"
ACCOUNTS = "cloudharness-kc-accounts"
#: The notify-queue image's CMD is ``python main.py ${workflow_result} ${queue_name}
#: ${payload}``, unquoted, so a payload with spaces is split into several arguments. The same
#: command with each variable quoted (and still left out when unset, as before).
NOTIFY_QUEUE_COMMAND = (
    "sh", "-c",
    'exec python main.py "$workflow_result" ${queue_name:+"$queue_name"} ${payload:+"$payload"}',
)


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


class _Lowering:
    def __init__(self, op: Operation, cfg: CHConfig) -> None:
        self.op = op
        self.cfg = cfg
        self.problems: list[Problem] = []
        self.smap: list[tuple[JsonPath, Loc]] = []
        self.user_data: list[tuple[JsonPath, Loc | None, str]] = []
        #: parameter name → (expression, default, loc)
        self.params: dict[str, tuple[str | None, str | None, Loc | None]] = {}

    def err(self, code: str, message: str, loc: Loc | None) -> None:
        self.problems.append(error(code, message, loc))

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
        contexts = list(op.pod_contexts) + [
            PodContext("usesvolume", v.claim, True, v.loc)
            for v in op.shared if v.needs_affinity and v.claim is not None
        ]
        for c in op.pod_contexts:
            self.check_label(c)
        labels = {c.key: c.value for c in contexts}
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
            templates.append(self.task_template(t, names[i], labels, contexts, shared_mounts,
                                                path))
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
        if contexts:
            spec["affinity"] = affinity(contexts)
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

    def mount(self, v: VolumeSpec) -> dict[str, Any]:
        m: dict[str, Any] = {"name": volume_name(v.path), "mountPath": v.path}
        if v.read_only:
            m["readOnly"] = True
        return m

    def base_mounts(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        if self.cfg.allvalues:
            out.append({"name": ALLVALUES, "mountPath": "/opt/cloudharness/resources/allvalues.yaml",
                        "subPath": "allvalues.yaml"})
        if self.cfg.accounts:
            out.append({"name": ACCOUNTS, "mountPath": "/opt/cloudharness/resources/auth"})
        return out

    # -- templates ------------------------------------------------------------------------

    def image(self, name: str, loc: Loc | None, what: str) -> str:
        cfg = self.cfg
        found = images.resolve(name, cfg.images, cfg.built, cfg.registry, cfg.tag)
        if found.reference is not None:
            return found.reference
        hint = (f"did you mean {' or '.join(repr(s) for s in found.suggestions)}? "
                if found.suggestions else "")
        self.err("TPH640", f"unknown image '{name}' for {what}: {hint}CloudHarness images are "
                 "applications/<app>/tasks/<task>/Dockerfile (named <app>-<task>) or entries "
                 f"of task-images; a reference from another registry has a '/' or a ':' "
                 "(CloudHarness would pass the name through and fail when the image is pulled)",
                 loc)
        return name

    def base_image(self) -> str:
        cfg = self.cfg
        if cfg.base_image:
            return cfg.base_image
        table = dict(cfg.images)
        if "cloudharness-base" in table:
            return table["cloudharness-base"]
        if cfg.registry:
            return images.full_reference("cloudharness-base", cfg.registry, cfg.tag)
        return DEFAULT_BASE_IMAGE

    def env(self, task_env: tuple[EnvVar, ...], shared: str | None) -> list[dict[str, Any]]:
        values = list(task_env)
        if shared is not None:
            # The operation's value replaces a task's own, in place (as CloudHarness' add_env).
            ev = EnvVar(SHARED_DIRECTORY_ENV, shared)
            for i, e in enumerate(values):
                if e.name == SHARED_DIRECTORY_ENV:
                    values[i] = ev
                    break
            else:
                values.append(ev)
        out: list[dict[str, Any]] = []
        for e in values:
            if e.param is None:
                out.append({"name": e.name, "value": e.value or ""})
                continue
            prev = self.params.get(e.param)
            if prev is not None and prev[0] != e.expression:
                self.err("TPH638", f"'{e.name}' gets two different run-time values in operation "
                         f"'{self.op.name}' ({prev[0]} and {e.expression}); each becomes the "
                         f"workflow parameter '{e.param}', which has one value: pass the same "
                         "expression, or rename one keyword", e.loc)
            elif prev is None:
                self.params[e.param] = (e.expression, e.param_default, e.loc)
                supplied = (f"its default is {e.param_default!r}" if e.param_default is not None
                            else f"submit with -p {e.param}=VALUE")
                self.problems.append(info(
                    "TPH608", f"'{e.name}' is set at run time (from `{e.expression}`): it "
                    f"becomes the workflow parameter '{e.param}'; {supplied}", e.loc))
            out.append({"name": e.name, "value": f"{{{{workflow.parameters.{e.param}}}}}"})
        out.append({"name": WORKFLOW_NAME_ENV,
                    "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}})
        return out

    def task_template(
        self, t: Task, name: str, labels: dict[str, str], contexts: list[PodContext],
        shared_mounts: list[dict[str, Any]], path: JsonPath,
    ) -> dict[str, Any]:
        own = [v.claim for v in t.volume_mounts if v.needs_affinity and v.claim is not None]
        own = list(dict.fromkeys(own))
        tmpl_labels: dict[str, str] = {}
        if own:
            tmpl_labels["usesvolume"] = own[0]
            tmpl_labels.update({f"usesvolume-{c}": "true" for c in own})
        tmpl_labels.update(labels)
        tmpl: dict[str, Any] = {"name": name}
        if tmpl_labels:
            tmpl["metadata"] = {"labels": tmpl_labels}
        if t.kind == PYTHON:
            body: dict[str, Any] = {"image": self.base_image(), "command": ["python"]}
        elif t.kind == BASH:
            body = {"image": self.base_image(), "command": ["bash"]}
        elif t.kind == COMMAND:
            body = {"image": self.base_image()}
        elif t.kind == CUSTOM:
            body = {"image": self.image(t.image or "", t.image_loc or t.loc, f"task '{t.name}'")}
        else:
            body = {"image": self.image(SEND_RESULT_IMAGE, t.loc, "SendResultTask")}
        body["imagePullPolicy"] = t.image_pull_policy or self.cfg.image_pull_policy
        if t.command is not None and t.kind in (CUSTOM, COMMAND):
            body["command"] = list(t.command)
        key = "script" if t.kind in (PYTHON, BASH) else "container"
        body["env"] = self.env(t.env, self.op.shared_env)
        for i, e in enumerate([*t.env]):
            self.mapped((*path, key, "env", i), e.loc)
        if t.resources:
            body["resources"] = copy.deepcopy(t.resources)
            self.user_data.append(((*path, key, "resources"), t.resources_loc or t.loc,
                                   "resources"))
        mounts = self.base_mounts() + [self.mount(v) for v in t.volume_mounts] + shared_mounts
        body["volumeMounts"] = self.unique_mounts(mounts, t)
        if t.script is not None and key == "script":
            body["source"] = t.script
        tmpl[key] = body
        tmpl["retryStrategy"] = {
            "limit": t.retry_limit if t.retry_limit is not None else self.cfg.retry_limit
        }
        if own:
            terms = contexts + [PodContext("usesvolume", own[0], True)] + [
                PodContext(f"usesvolume-{c}", "true", True) for c in own]
            tmpl["affinity"] = affinity(terms)
        if isinstance(t.overrides, dict) and t.overrides:
            where = dict(t.override_locs)
            for k in t.overrides:
                self.user_data.append(((*path, k), where.get(k, t.overrides_loc or t.loc),
                                       "template_overrides"))
            merge(tmpl, t.overrides)
            tmpl["name"] = name
        return tmpl

    def unique_mounts(self, mounts: list[dict[str, Any]], t: Task | None) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        at: dict[str, dict[str, Any]] = {}
        for m in mounts:
            prev = at.get(m["mountPath"])
            if prev is None:
                at[m["mountPath"]] = m
                out.append(m)
            elif prev["name"] != m["name"]:
                who = f"task '{t.name}'" if t is not None else "the exit handler"
                self.err("TPH615", f"{who} mounts two volumes at '{m['mountPath']}'",
                         t.loc if t is not None else self.op.loc)
            elif m.get("readOnly") and not prev.get("readOnly"):
                prev["readOnly"] = True
        return out

    def exit_template(
        self, labels: dict[str, str], shared_mounts: list[dict[str, Any]], path: JsonPath,
    ) -> dict[str, Any]:
        on_exit = self.op.on_exit
        assert on_exit is not None
        image_name = on_exit.image or self.cfg.exit_handler_image or NOTIFY_QUEUE_IMAGE
        tmpl: dict[str, Any] = {"name": EXIT_HANDLER}
        if labels:
            tmpl["metadata"] = {"labels": dict(labels)}
        body: dict[str, Any] = {
            "image": self.image(image_name, on_exit.image_loc or on_exit.loc,
                                "the on_exit_notify handler"),
            "imagePullPolicy": self.cfg.image_pull_policy,
        }
        if image_name == NOTIFY_QUEUE_IMAGE:
            body["command"] = list(NOTIFY_QUEUE_COMMAND)
        env = (EnvVar("workflow_result", "{{workflow.status}}"), *on_exit.env)
        body["env"] = self.env(env, None)
        for i, e in enumerate(env):
            self.mapped((*path, "container", "env", i), e.loc)
        body["volumeMounts"] = self.unique_mounts(self.base_mounts() + shared_mounts, None)
        tmpl["container"] = body
        tmpl["retryStrategy"] = {"limit": self.cfg.retry_limit}
        return tmpl
