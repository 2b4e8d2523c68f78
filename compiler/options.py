"""Reading the literal options of DSL calls: task resources, env, volumes, workflow settings."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import libcst as cst

from tiphys.compiler import ir
from tiphys.compiler.arguments import Signature, bind
from tiphys.compiler.values import (
    Lit,
    MountVal,
    ParamVal,
    Unknown,
    Value,
    VolumeClaimVal,
    VolumeVal,
    describe,
)

if TYPE_CHECKING:
    from tiphys.compiler.evaluate import Evaluator

#: A Go duration (``time.ParseDuration``) as Argo accepts for ``timeout``.
DURATION = re.compile(r"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$")
_DURATION_PART = re.compile(r"([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}
POD_GC = ("OnPodCompletion", "OnPodSuccess", "OnWorkflowCompletion", "OnWorkflowSuccess")
_TTL_KEYS = {
    "after_completion": "secondsAfterCompletion",
    "after_success": "secondsAfterSuccess",
    "after_failure": "secondsAfterFailure",
}


def duration_seconds(text: str) -> float:
    return sum(float(n) * _UNIT_SECONDS[u] for n, u in _DURATION_PART.findall(text))


class OptionReader:
    def __init__(self, ev: Evaluator) -> None:
        self.ev = ev

    def _lit(self, node: cst.BaseExpression | None, what: str, expected: str) -> Any:
        if node is None:
            return None
        value = self.ev.expr(node)
        if isinstance(value, Lit):
            return value.value
        self.ev.error("TPH130", f"'{what}' must be {expected} written in the file; this is "
                      f"{describe(value)}", self.ev.loc(node))
        return None

    def _bad(self, node: cst.CSTNode, what: str, expected: str) -> None:
        self.ev.error("TPH131", f"'{what}' must be {expected}", self.ev.loc(node))

    def string(self, node: cst.BaseExpression | None, what: str) -> str | None:
        value = self._lit(node, what, "a string literal")
        if value is None or isinstance(value, str):
            return value
        assert node is not None
        self._bad(node, what, "a string")
        return None

    def integer(self, node: cst.BaseExpression | None, what: str, minimum: int = 0) -> int | None:
        value = self._lit(node, what, "an integer literal")
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value >= minimum:
            return value
        assert node is not None
        self._bad(node, what, f"an integer >= {minimum}")
        return None

    def string_list(self, node: cst.BaseExpression | None, what: str) -> list[str]:
        return list(self.optional_string_list(node, what) or ())

    def optional_string_list(self, node: cst.BaseExpression | None, what: str) -> tuple[str, ...] | None:
        value = self._lit(node, what, "a list of strings")
        if value is None:
            return None
        if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            return tuple(value)
        if isinstance(value, str) and node is not None:
            self._bad(node, what, "a list of strings, not one string (write [\"...\"])")
            return None
        assert node is not None
        self._bad(node, what, "a list of strings")
        return None

    def string_map(self, node: cst.BaseExpression | None, what: str,
                   stringify: bool = False) -> list[tuple[str, str]]:
        value = self._lit(node, what, "a dict literal")
        if value is None:
            return []
        ok = isinstance(value, dict) and all(isinstance(k, str) for k in value)
        if ok and stringify:
            ok = all(isinstance(v, (str, int, float, bool)) for v in value.values())
        elif ok:
            ok = all(isinstance(v, str) for v in value.values())
        if not ok:
            assert node is not None
            self._bad(node, what, "a dict of strings to " +
                      ("strings or numbers" if stringify else "strings"))
            return []
        return [(k, _stringify(v)) for k, v in sorted(value.items())]

    # -- tasks -------------------------------------------------------------------------------

    def task_options(self, args: dict[str, cst.BaseExpression]) -> ir.TaskOptions:
        image = self.string(args.get("image"), "image")
        requests: dict[str, Any] = {}
        limits: dict[str, Any] = {}
        if "cpu" in args:
            cpu = self._lit(args["cpu"], "cpu", "a CPU quantity such as \"500m\" or 2")
            if isinstance(cpu, (str, int, float)) and not isinstance(cpu, bool):
                requests["cpu"] = cpu
            elif cpu is not None:
                self._bad(args["cpu"], "cpu", "a quantity such as \"500m\" or 2")
        if "memory" in args:
            memory = self.string(args["memory"], "memory")
            if memory is not None:
                requests["memory"] = memory
                limits["memory"] = memory
        if "gpu" in args:
            gpu = self.integer(args["gpu"], "gpu", 1)
            if gpu is not None:
                limits["nvidia.com/gpu"] = gpu
        if "resources" in args:
            res = self._lit(args["resources"], "resources", "a dict literal")
            if isinstance(res, dict) and set(res) <= {"requests", "limits"} and \
                    all(isinstance(v, dict) for v in res.values()):
                requests.update(res.get("requests", {}))
                limits.update(res.get("limits", {}))
            elif res is not None:
                self._bad(args["resources"], "resources",
                          "a dict with 'requests' and/or 'limits' dicts")
        # Quantities are emitted as strings: Kubernetes' Quantity decodes numbers too, but
        # Argo's published schema types it as a string, and "2" is what kubectl prints.
        resources = tuple(
            (key, tuple(sorted((k, _quantity(v)) for k, v in table.items())))
            for key, table in (("limits", limits), ("requests", requests)) if table
        )
        env = tuple(ir.EnvVar(k, v) for k, v in self.string_map(args.get("env"), "env", True))
        retries = self.integer(args.get("retries"), "retries") if "retries" in args else None
        timeout = self._timeout(args.get("timeout"))
        mounts = self._mounts(args.get("volumes"))
        node_selector = tuple(self.string_map(args.get("node_selector"), "node_selector"))
        tolerations: tuple[Any, ...] = ()
        if "tolerations" in args:
            value = self._lit(args["tolerations"], "tolerations", "a list of dicts")
            if isinstance(value, (list, tuple)) and all(isinstance(v, dict) for v in value):
                tolerations = tuple(value)
            elif value is not None:
                self._bad(args["tolerations"], "tolerations",
                          "a list of dicts with Kubernetes toleration fields "
                          "(key, operator, value, effect, tolerationSeconds)")
        return ir.TaskOptions(image, resources, env, retries, timeout, mounts, node_selector,
                              tolerations)

    def _timeout(self, node: cst.BaseExpression | None) -> str | None:
        value = self._lit(node, "timeout", "a duration such as \"10m\" or seconds")
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return f"{value}s"
        if isinstance(value, str) and DURATION.match(value):
            return value
        assert node is not None
        self._bad(node, "timeout", "a positive number of seconds or a duration such as "
                  "\"90s\", \"10m\" or \"1h30m\"")
        return None

    def _mounts(self, node: cst.BaseExpression | None) -> tuple[ir.Mount, ...]:
        if node is None:
            return ()
        if not isinstance(node, cst.Dict):
            self._bad(node, "volumes", "a dict literal: {mount_path: volume_name or mount(...)}")
            return ()
        out = []
        for el in node.elements:
            if not isinstance(el, cst.DictElement):
                self._bad(el, "volumes", "written out, without ** unpacking")
                continue
            path = self.ev.expr(el.key)
            target = self.ev.expr(el.value)
            loc = self.ev.loc(el)
            if not (isinstance(path, Lit) and isinstance(path.value, str)
                    and path.value.startswith("/")):
                self._bad(el.key, "volumes", "keyed by absolute mount paths")
                continue
            if isinstance(target, Lit) and isinstance(target.value, str):
                out.append(ir.Mount(target.value, path.value, loc=loc))
            elif isinstance(target, MountVal):
                out.append(ir.Mount(target.volume, path.value, target.read_only,
                                    target.sub_path, loc))
            else:
                self._bad(el.value, "volumes", "volume names or mount(...) values")
        return tuple(sorted(out, key=lambda m: m.path))

    # -- volumes, parameters, workflows ----------------------------------------------------

    def volume_call(self, short: str, call: cst.Call) -> Value:
        ev = self.ev
        sigs = {
            "mount": Signature(("volume",), ("read_only", "sub_path"), ("volume",)),
            "pvc": Signature(("name", "claim"), ("read_only",), ("name", "claim")),
            "empty_dir": Signature(("name",), (), ("name",)),
            "config_map_volume": Signature(("name", "config_map"), (), ("name", "config_map")),
            "secret_volume": Signature(("name", "secret"), (), ("name", "secret")),
            "volume_claim": Signature(("name", "size"), ("access_modes", "storage_class"),
                                      ("name", "size")),
        }
        b = bind(call, sigs[short], f"{short}()")
        for node, message in b.problems:
            ev.error("TPH100", message, ev.loc(node))
        if b.problems:
            return Unknown(f"a broken {short}()")
        read_only = bool(self._lit(b.args.get("read_only"), "read_only", "True or False"))
        if short == "mount":
            return MountVal(self.string(b.args["volume"], "volume") or "", read_only,
                            self.string(b.args.get("sub_path"), "sub_path"))
        name = self.string(b.args["name"], "name") or ""
        if short == "volume_claim":
            modes = self.optional_string_list(b.args.get("access_modes"), "access_modes")
            return VolumeClaimVal(ir.VolumeClaim(
                name, self.string(b.args["size"], "size") or "", modes or ("ReadWriteOnce",),
                self.string(b.args.get("storage_class"), "storage_class"),
            ))
        kind = {"pvc": "pvc", "empty_dir": "empty_dir", "config_map_volume": "config_map",
                "secret_volume": "secret"}[short]
        source_arg = {"pvc": "claim", "config_map_volume": "config_map",
                      "secret_volume": "secret"}.get(short)
        source = self.string(b.args[source_arg], source_arg) if source_arg else None
        return VolumeVal(ir.Volume(name, kind, source, read_only))

    def _items(self, node: cst.BaseExpression | None, what: str) -> list[tuple[Value, cst.BaseExpression]]:
        if node is None:
            return []
        items = self.ev.expr_list(node)
        if items is None:
            self._bad(node, what, "a list written in the file")
            return []
        return items

    def param_list(self, node: cst.BaseExpression | None) -> list[ParamVal]:
        out = []
        for value, el in self._items(node, "params"):
            if isinstance(value, ParamVal):
                out.append(value)
            else:
                self._bad(el, "params", "a list of param(...) declarations")
        return out

    def workflow_options(self, args: dict[str, cst.BaseExpression]) -> tuple[ir.WorkflowOptions, str | None]:
        ttl: list[tuple[str, int]] = []
        if "ttl" in args:
            value = self._lit(args["ttl"], "ttl", "seconds or a dict")
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                ttl = [("secondsAfterCompletion", value)]
            elif isinstance(value, dict) and set(value) <= set(_TTL_KEYS) and value and all(
                isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value.values()
            ):
                ttl = [(_TTL_KEYS[k], value[k]) for k in _TTL_KEYS if k in value]
            elif value is not None:
                self._bad(args["ttl"], "ttl", "seconds, or a dict with after_completion, "
                          "after_success and/or after_failure seconds")
        pod_gc = self.string(args.get("pod_gc"), "pod_gc")
        if pod_gc is not None and pod_gc not in POD_GC:
            self._bad(args["pod_gc"], "pod_gc", "one of " + ", ".join(POD_GC))
            pod_gc = None
        volumes = []
        for value, el in self._items(args.get("volumes"), "volumes"):
            if isinstance(value, VolumeVal):
                volumes.append(value.volume)
            else:
                self._bad(el, "volumes", "pvc(...), empty_dir(...), config_map_volume(...) or "
                          "secret_volume(...)")
        claims = []
        for value, el in self._items(args.get("volume_claims"), "volume_claims"):
            if isinstance(value, VolumeClaimVal):
                claims.append(value.claim)
            else:
                self._bad(el, "volume_claims", "volume_claim(...) declarations")
        deadline = None
        if "active_deadline" in args:
            value = self._lit(args["active_deadline"], "active_deadline", "seconds or a duration")
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                deadline = value
            elif isinstance(value, str) and DURATION.match(value) and duration_seconds(value) >= 1:
                deadline = int(duration_seconds(value))
            elif value is not None:
                self._bad(args["active_deadline"], "active_deadline",
                          "positive seconds or a duration such as \"2h\"")
        options = ir.WorkflowOptions(
            namespace=self.string(args.get("namespace"), "namespace"),
            service_account=self.string(args.get("service_account"), "service_account"),
            ttl=tuple(ttl),
            pod_gc=pod_gc,
            labels=tuple(self.string_map(args.get("labels"), "labels")),
            annotations=tuple(self.string_map(args.get("annotations"), "annotations")),
            volumes=tuple(volumes),
            volume_claims=tuple(claims),
            parallelism=self.integer(args.get("parallelism"), "parallelism", 1)
            if "parallelism" in args else None,
            active_deadline=deadline,
        )
        return options, self.string(args.get("image"), "image")


def _quantity(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def _stringify(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
