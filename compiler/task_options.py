"""Task options: what ``@task(...)``, ``bash(...)`` and ``container(...)`` accept besides
their own arguments, read from literals into :class:`ir.TaskOptions`."""

from __future__ import annotations

from typing import Any

import libcst as cst

from tiphys.compiler import ir
from tiphys.compiler.options import DURATION, OptionReader
from tiphys.compiler.values import Lit, MountVal

#: Keyword options every kind of task takes.
TASK_OPTIONS = (
    "image", "cpu", "memory", "gpu", "resources", "env", "retries", "timeout", "volumes",
    "node_selector", "tolerations",
)


class TaskOptionReader:
    def __init__(self, reader: OptionReader) -> None:
        self.r = reader

    def read(self, args: dict[str, cst.BaseExpression]) -> ir.TaskOptions:
        image = self.r.string(args.get("image"), "image")
        requests: dict[str, Any] = {}
        limits: dict[str, Any] = {}
        if "cpu" in args:
            cpu = self.r.lit(args["cpu"], "cpu", "a CPU quantity such as \"500m\" or 2")
            if isinstance(cpu, (str, int, float)) and not isinstance(cpu, bool):
                requests["cpu"] = cpu
            elif cpu is not None:
                self.r.bad(args["cpu"], "cpu", "a quantity such as \"500m\" or 2")
        if "memory" in args:
            memory = self.r.string(args["memory"], "memory")
            if memory is not None:
                requests["memory"] = memory
                limits["memory"] = memory
        if "gpu" in args:
            gpu = self.r.integer(args["gpu"], "gpu", 1)
            if gpu is not None:
                limits["nvidia.com/gpu"] = gpu
        if "resources" in args:
            res = self.r.lit(args["resources"], "resources", "a dict literal")
            if isinstance(res, dict) and set(res) <= {"requests", "limits"} and \
                    all(isinstance(v, dict) for v in res.values()):
                requests.update(res.get("requests", {}))
                limits.update(res.get("limits", {}))
            elif res is not None:
                self.r.bad(args["resources"], "resources",
                          "a dict with 'requests' and/or 'limits' dicts")
        # Quantities are emitted as strings: Kubernetes' Quantity decodes numbers too, but
        # Argo's published schema types it as a string, and "2" is what kubectl prints.
        resources = tuple(
            (key, tuple(sorted((k, _quantity(v)) for k, v in table.items())))
            for key, table in (("limits", limits), ("requests", requests)) if table
        )
        env = tuple(ir.EnvVar(k, v) for k, v in self.r.string_map(args.get("env"), "env", True))
        retries = self.r.integer(args.get("retries"), "retries") if "retries" in args else None
        timeout = self._timeout(args.get("timeout"))
        mounts = self._mounts(args.get("volumes"))
        node_selector = tuple(self.r.string_map(args.get("node_selector"), "node_selector"))
        tolerations: tuple[Any, ...] = ()
        if "tolerations" in args:
            value = self.r.lit(args["tolerations"], "tolerations", "a list of dicts")
            if isinstance(value, (list, tuple)) and all(isinstance(v, dict) for v in value):
                tolerations = tuple(value)
            elif value is not None:
                self.r.bad(args["tolerations"], "tolerations",
                          "a list of dicts with Kubernetes toleration fields "
                          "(key, operator, value, effect, tolerationSeconds)")
        return ir.TaskOptions(image, resources, env, retries, timeout, mounts, node_selector,
                              tolerations)

    def _timeout(self, node: cst.BaseExpression | None) -> str | None:
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

    def _mounts(self, node: cst.BaseExpression | None) -> tuple[ir.Mount, ...]:
        if node is None:
            return ()
        if not isinstance(node, cst.Dict):
            self.r.bad(node, "volumes", "a dict literal: {mount_path: volume_name or mount(...)}")
            return ()
        out = []
        for el in node.elements:
            if not isinstance(el, cst.DictElement):
                self.r.bad(el, "volumes", "written out, without ** unpacking")
                continue
            path = self.r.ev.expr(el.key)
            target = self.r.ev.expr(el.value)
            loc = self.r.ev.loc(el)
            if not (isinstance(path, Lit) and isinstance(path.value, str)
                    and path.value.startswith("/")):
                self.r.bad(el.key, "volumes", "keyed by absolute mount paths")
                continue
            if isinstance(target, Lit) and isinstance(target.value, str):
                out.append(ir.Mount(target.value, path.value, loc=loc))
            elif isinstance(target, MountVal):
                out.append(ir.Mount(target.volume, path.value, target.read_only,
                                    target.sub_path, loc))
            else:
                self.r.bad(el.value, "volumes", "volume names or mount(...) values")
        return tuple(sorted(out, key=lambda m: m.path))


def _quantity(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


