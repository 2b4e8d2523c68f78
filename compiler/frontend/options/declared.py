"""Task options: what ``@task(...)``, ``bash(...)`` and ``container(...)`` accept besides
their own arguments, read from literals into :class:`ir.TaskOptions`."""

from __future__ import annotations

import ast
import posixpath
from dataclasses import replace
from typing import Any

from tiphys.compiler import ir
from tiphys.compiler.frontend.literals import NotLiteral, evaluate_literal
from tiphys.compiler.frontend.nodes import dict_items
from tiphys.compiler.frontend.options.container_fields import (
    CONTAINER_FIELD_OPTIONS,
    read_container_fields,
)
from tiphys.compiler.frontend.options.extras import EXTRA_OPTIONS, ExtrasReader
from tiphys.compiler.frontend.options.helper_values import error, read_env, read_resources
from tiphys.compiler.frontend.options.k8s_fragments import to_json
from tiphys.compiler.frontend.options.param_defaults import with_defaults
from tiphys.compiler.frontend.options.read import DURATION, OptionReader
from tiphys.compiler.frontend.values import Lit, MountVal, ParamVal

#: Keyword options every kind of task takes.
TASK_OPTIONS = (
    "image", "cpu", "memory", "gpu", "resources", "env", "retries", "timeout", "volumes",
    "node_selector", "tolerations", *EXTRA_OPTIONS, *CONTAINER_FIELD_OPTIONS,
)


class TaskOptionReader:
    def __init__(self, reader: OptionReader) -> None:
        self.r = reader
        self.extras = ExtrasReader(reader)

    def read(self, args: dict[str, ast.expr],
             params: list[ParamVal] | None = None) -> ir.TaskOptions:
        """The options in *args*. With *params*, the template's text fields may be f-strings of
        workflow values (``image=f"python:{py}"``); their parameters are added to *params*,
        for every workflow that runs the task to declare."""
        image = self.r.image(args.get("image"), params=params)
        resources = read_resources(self.r, args)
        env = read_env(self.r, args.get("env"), _literal_names(args.get("inputs")),
                       params=params)
        retries, retry = self.extras.retries(args.get("retries"))
        timeout = self._timeout(args.get("timeout"))
        mounts = self._mounts(args.get("volumes"))
        node_selector = tuple(self.r.string_map(args.get("node_selector"), "node_selector",
                                                params=params))
        filled = with_defaults(dict(node_selector), params) if node_selector else None
        if node_selector and (self.extras.schema_problems(
                args["node_selector"], "node_selector", dict(node_selector), "nodeSelector",
                "TPH180") or (filled is not None and self.extras.schema_problems(
                    args["node_selector"], "node_selector with the parameters' defaults "
                    "filled in", filled, "nodeSelector", "TPH180"))):
            node_selector = ()
        tolerations: tuple[Any, ...] = ()
        if "tolerations" in args:
            value = self.r.lit(args["tolerations"], "tolerations", "a list of dicts")
            if isinstance(value, (list, tuple)) and all(isinstance(v, dict) for v in value):
                from tiphys.compiler.frontend.options.pod_settings import pod_setting_problems

                refused = pod_setting_problems({"tolerations": list(value)})
                for _, message in refused:
                    self.r.ev.error("TPH180", message, self.r.ev.loc(args["tolerations"]))
                if not refused and not self.extras.schema_problems(
                        args["tolerations"], "tolerations", to_json(value), "tolerations",
                        "TPH180"):
                    tolerations = tuple(to_json(value))
            elif value is not None:
                self.r.bad(args["tolerations"], "tolerations",
                          "a list of dicts with Kubernetes toleration fields "
                          "(key, operator, value, effect, tolerationSeconds)")
        extra = self.extras.read(args, retry, mounts, bool(_literal_names(args.get("outputs"))),
                                 params)
        fields = read_container_fields(self.r, self.extras, args, params)
        return ir.TaskOptions(image, resources, tuple(ir.EnvVar(k, v) for k, v in env.literals),
                              retries, timeout, mounts, node_selector, tolerations,
                              replace(extra, env_refs=env.refs, container_fields=fields))

    def _timeout(self, node: ast.expr | None) -> str | None:
        tag = self.r.ev.calls.loops.input_tag(node)
        if tag is not None:
            return tag
        value = self.r.lit(node, "timeout", "a duration such as \"10m\" or seconds")
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return f"{value}s"
        if isinstance(value, str) and DURATION.match(value):
            return value
        assert node is not None
        self.r.bad(node, "timeout", "a positive number of seconds or a duration such as "
                  "\"90s\", \"10m\" or \"1h30m\"")
        return None

    def _mounts(self, node: ast.expr | None) -> tuple[ir.Mount, ...]:
        if node is None:
            return ()
        if not isinstance(node, ast.Dict):
            self.r.bad(node, "volumes", "a dict literal: {mount_path: volume_name or mount(...)}")
            return ()
        out = []
        seen: dict[str, str] = {}
        for el in dict_items(node):
            if el.key is None:
                self.r.bad(el.node, "volumes", "written out, without ** unpacking")
                continue
            path = self.r.ev.expr(el.key)
            loc = self.r.ev.loc(el.node)
            if not (isinstance(path, Lit) and isinstance(path.value, str)):
                error(self.r, "TPH160", "'volumes' is keyed by mount paths (absolute path "
                      "strings such as \"/data\")", el.key)
                continue
            problem = mount_path_problem(path.value)
            if problem:
                error(self.r, "TPH160", f"mount path {path.value!r} {problem}", el.key)
                continue
            normal = posixpath.normpath(path.value)
            if normal in seen:
                error(self.r, "TPH161", f"mount path {path.value!r} is the same as "
                      f"{seen[normal]!r}: a container mounts one volume per path", el.key)
                continue
            seen[normal] = path.value
            tag = self.r.ev.calls.loops.input_tag(el.value)
            if tag is not None:  # a volume chosen per call: checked where the task is called
                name = tag[len("{{inputs.parameters."):-2]
                out.append(ir.Mount(tag, path.value, loc=loc, input=name))
                continue
            target = self.r.ev.expr(el.value)
            if isinstance(target, Lit) and isinstance(target.value, str):
                out.append(ir.Mount(target.value, path.value, loc=loc))
            elif isinstance(target, MountVal):
                if target.sub_path is not None and sub_path_problem(target.sub_path):
                    error(self.r, "TPH162", f"sub_path {target.sub_path!r} "
                          f"{sub_path_problem(target.sub_path)}", el.value)
                    continue
                out.append(ir.Mount(target.volume, path.value, target.read_only,
                                    target.sub_path, loc))
            else:
                self.r.bad(el.value, "volumes", "volume names or mount(...) values")
        return tuple(sorted(out, key=lambda m: m.path))


def mount_path_problem(path: str) -> str | None:
    if not path.startswith("/"):
        return "is relative: mount paths are absolute, e.g. \"/data\""
    if ":" in path:
        return "contains ':', which Kubernetes does not allow in a mount path"
    if ".." in path.split("/"):
        return "contains '..': write the path it means"
    if posixpath.normpath(path) == "/":
        return "is the root of the file system: mount the volume in a folder"
    return None


def sub_path_problem(sub_path: str) -> str | None:
    if sub_path.startswith("/"):
        return "must be relative to the volume's root (no leading '/')"
    if ".." in sub_path.split("/"):
        return "must not contain '..'"
    if not sub_path:
        return "must not be empty (leave sub_path out to mount the whole volume)"
    return None


def _literal_names(node: ast.expr | None) -> frozenset[str]:
    """The string items/keys of a literal list or dict (a task's inputs or outputs), read
    quietly: the option's own reader reports problems with it."""
    if node is None:
        return frozenset()
    try:
        value = evaluate_literal(node)
    except NotLiteral:
        return frozenset()
    if isinstance(value, (list, tuple, dict)):
        return frozenset(v for v in value if isinstance(v, str))
    return frozenset()
