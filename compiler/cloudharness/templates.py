"""The leaf templates of a CloudHarness document: one per task, and the exit handler.

:class:`TemplateBuilder` is the half of the lowering (:mod:`.lower`) that builds templates:
images, environment, volume mounts, CloudHarness' defaults per template kind, affinity and
``template_overrides``.
"""

from __future__ import annotations

import copy
from typing import Any

from tiphys.compiler.cloudharness import images
from tiphys.compiler.cloudharness.config import DEFAULT_BASE_IMAGE, CHConfig
from tiphys.compiler.cloudharness.kube import merge
from tiphys.compiler.cloudharness.model import (
    BASH,
    COMMAND,
    CUSTOM,
    NOTIFY_QUEUE_IMAGE,
    PYTHON,
    SEND_RESULT_IMAGE,
    EnvVar,
    Operation,
    PodContext,
    Problem,
    Task,
    VolumeSpec,
    error,
    info,
    warning,
)
from tiphys.compiler.cloudharness.scheduling import ClaimPlan, task_affinity, volume_labels
from tiphys.compiler.cloudharness.volumes import volume_name
from tiphys.compiler.ir.loc import Loc
from tiphys.compiler.lower.workflow import JsonPath

EXIT_HANDLER = "exit-handler"
WORKFLOW_NAME_ENV = "CH_WORKFLOW_NAME"
SHARED_DIRECTORY_ENV = "shared_directory"
ALLVALUES = "cloudharness-allvalues"
ACCOUNTS = "cloudharness-kc-accounts"
#: CloudHarness' ContainerizedTask defaults; its script tasks (PythonTask, BashTask) set
#: neither a pull policy nor a retry strategy.
CONTAINER_PULL_POLICY = "IfNotPresent"
CONTAINER_RETRY_LIMIT = 10
#: The notify-queue image's CMD is ``python main.py ${workflow_result} ${queue_name}
#: ${payload}``, unquoted, so a payload with spaces is split into several arguments. The same
#: command with each variable quoted (and still left out when unset, as before).
NOTIFY_QUEUE_COMMAND = (
    "sh", "-c",
    'exec python main.py "$workflow_result" ${queue_name:+"$queue_name"} ${payload:+"$payload"}',
)


class TemplateBuilder:
    op: Operation
    cfg: CHConfig
    problems: list[Problem]
    user_data: list[tuple[JsonPath, Loc | None, str]]
    #: parameter name → (expression, default, loc)
    params: dict[str, tuple[str | None, str | None, Loc | None]]

    def err(self, code: str, message: str, loc: Loc | None) -> None:
        self.problems.append(error(code, message, loc))

    def mapped(self, path: JsonPath, loc: Loc | None) -> None:
        raise NotImplementedError

    # -- images ---------------------------------------------------------------------------

    def image(self, name: str, loc: Loc | None, what: str) -> str:
        cfg = self.cfg
        found = images.resolve(name, cfg.images, cfg.built, cfg.registry, cfg.tag)
        if found.reference is not None:
            return found.reference
        hint = (f"did you mean {' or '.join(repr(s) for s in found.suggestions)}? "
                if found.suggestions else "")
        # CloudHarness passes an unknown name through unchanged (an "external image"); so
        # does tiphys, but says so: a typo here is an image pull failure at run time.
        self.problems.append(warning(
            "TPH640", f"unknown image '{name}' for {what}: {hint}it is passed through as it is, "
            "as CloudHarness does. CloudHarness images are applications/<app>/tasks/<task>/"
            "Dockerfile (named <app>-<task>) or entries of task-images", loc))
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

    # -- environment ----------------------------------------------------------------------

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

    # -- mounts ---------------------------------------------------------------------------

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

    # -- templates ------------------------------------------------------------------------

    def task_template(
        self, t: Task, name: str, labels: dict[str, str], contexts: list[PodContext],
        plan: ClaimPlan, shared_mounts: list[dict[str, Any]], path: JsonPath,
    ) -> dict[str, Any]:
        tmpl_labels = {**volume_labels(plan, t), **labels}
        tmpl: dict[str, Any] = {"name": name}
        if tmpl_labels:
            tmpl["metadata"] = {"labels": tmpl_labels}
        script = t.kind in (PYTHON, BASH)
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
        policy = t.image_pull_policy or self.cfg.image_pull_policy or (
            None if script else CONTAINER_PULL_POLICY)
        if policy is not None:
            body["imagePullPolicy"] = policy
        if t.command is not None and t.kind in (CUSTOM, COMMAND):
            body["command"] = list(t.command)
        key = "script" if script else "container"
        body["env"] = self.env(t.env, self.op.shared_env)
        for i, e in enumerate([*t.env]):
            self.mapped((*path, key, "env", i), e.loc)
        if t.resources:
            body["resources"] = copy.deepcopy(t.resources)
            self.user_data.append(((*path, key, "resources"), t.resources_loc or t.loc,
                                   "resources"))
        mounts = self.base_mounts() + [self.mount(v) for v in t.volume_mounts] + shared_mounts
        body["volumeMounts"] = self.unique_mounts(mounts, t)
        if t.script is not None and script:
            body["source"] = t.script
        tmpl[key] = body
        limit = t.retry_limit if t.retry_limit is not None else self.cfg.retry_limit
        if limit is None and not script:
            limit = CONTAINER_RETRY_LIMIT
        if limit is not None:
            tmpl["retryStrategy"] = {"limit": limit}
        own = task_affinity(contexts, plan, t)
        if own is not None:
            tmpl["affinity"] = own
        if isinstance(t.overrides, dict) and t.overrides:
            where = dict(t.override_locs)
            for k in t.overrides:
                self.user_data.append(((*path, k), where.get(k, t.overrides_loc or t.loc),
                                       "template_overrides"))
            merge(tmpl, t.overrides)
            tmpl["name"] = name
        return tmpl

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
            "imagePullPolicy": self.cfg.image_pull_policy or CONTAINER_PULL_POLICY,
        }
        if image_name == NOTIFY_QUEUE_IMAGE:
            body["command"] = list(NOTIFY_QUEUE_COMMAND)
        env = (EnvVar("workflow_result", "{{workflow.status}}"), *on_exit.env)
        body["env"] = self.env(env, None)
        for i, e in enumerate(env):
            self.mapped((*path, "container", "env", i), e.loc)
        body["volumeMounts"] = self.unique_mounts(self.base_mounts() + shared_mounts, None)
        tmpl["container"] = body
        limit = self.cfg.retry_limit
        tmpl["retryStrategy"] = {"limit": CONTAINER_RETRY_LIMIT if limit is None else limit}
        return tmpl
