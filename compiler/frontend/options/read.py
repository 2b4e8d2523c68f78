"""Reading the literal options of DSL calls: task resources, env, volumes, workflow settings."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import libcst as cst

from tiphys.compiler import ir
from tiphys.compiler.frontend.arguments import Signature, bind
from tiphys.compiler.frontend.values import (
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
    from tiphys.compiler.frontend.evaluate import Evaluator

#: A Go duration (``time.ParseDuration``) as Argo accepts for ``timeout``.
DURATION = re.compile(r"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+\Z")
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

    def lit(self, node: cst.BaseExpression | None, what: str, expected: str) -> Any:
        if node is None:
            return None
        value = self.ev.expr(node)
        if isinstance(value, Lit):
            return value.value
        self.ev.error("TPH130", f"'{what}' must be {expected} written in the file; this is "
                      f"{describe(value)}", self.ev.loc(node))
        return None

    def bad(self, node: cst.CSTNode, what: str, expected: str) -> None:
        self.ev.error("TPH131", f"'{what}' must be {expected}", self.ev.loc(node))

    def string(self, node: cst.BaseExpression | None, what: str) -> str | None:
        value = self.lit(node, what, "a string literal")
        if value is None or isinstance(value, str):
            return value
        assert node is not None
        self.bad(node, what, "a string")
        return None

    def required_string(self, node: cst.BaseExpression | None, what: str,
                        empty_ok: bool = False) -> str | None:
        """A string the call cannot do without: ``None`` (or, unless *empty_ok*, ``""``)
        written for it is TPH131. A missing argument is the binder's to report."""
        if node is None:
            return None
        value = self.lit(node, what, "a string literal")
        if isinstance(value, str) and (value or empty_ok):
            return value
        if value is not None or isinstance(self.ev.expr(node), Lit):  # not reported yet
            self.bad(node, what, "a string" if empty_ok else "a non-empty string")
        return None

    def image(self, node: cst.BaseExpression | None, required: bool = False) -> str | None:
        """An image reference: not empty, no white space (outside Argo's ``{{...}}`` tags);
        with *required*, ``None`` is not one either."""
        value = self.string(node, "image")
        if node is None:
            return value
        if value is None and not (required and isinstance(self.ev.expr(node), Lit)):
            return None
        if not value or re.search(r"\s", re.sub(r"\{\{.*?\}\}", "", value)):
            self.bad(node, "image", "an image reference such as \"python:3.12-slim\"")
            return None
        return value

    def integer(self, node: cst.BaseExpression | None, what: str, minimum: int = 0) -> int | None:
        value = self.lit(node, what, "an integer literal")
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value >= minimum:
            return value
        assert node is not None
        self.bad(node, what, f"an integer >= {minimum}")
        return None

    def string_list(self, node: cst.BaseExpression | None, what: str) -> list[str]:
        return list(self.optional_string_list(node, what) or ())

    def optional_string_list(self, node: cst.BaseExpression | None, what: str) -> tuple[str, ...] | None:
        value = self.lit(node, what, "a list of strings")
        if value is None:
            return None
        if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            return tuple(value)
        if isinstance(value, str) and node is not None:
            self.bad(node, what, "a list of strings, not one string (write [\"...\"])")
            return None
        assert node is not None
        self.bad(node, what, "a list of strings")
        return None

    def string_map(self, node: cst.BaseExpression | None, what: str,
                   stringify: bool = False) -> list[tuple[str, str]]:
        value = self.lit(node, what, "a dict literal")
        if value is None:
            return []
        ok = isinstance(value, dict) and all(isinstance(k, str) for k in value)
        if ok and stringify:
            ok = all(isinstance(v, (str, int, float, bool)) for v in value.values())
        elif ok:
            ok = all(isinstance(v, str) for v in value.values())
        if not ok:
            assert node is not None
            self.bad(node, what, "a dict of strings to " +
                      ("strings or numbers" if stringify else "strings"))
            return []
        return [(k, _stringify(v)) for k, v in sorted(value.items())]

    # -- tasks -------------------------------------------------------------------------------

    # -- volumes, parameters, workflows ----------------------------------------------------

    def _workflow_locks(self, node: cst.BaseExpression | None) -> tuple[Any, ...]:
        if node is None:
            return ()
        from tiphys.compiler.frontend.options.extras import ExtrasReader  # it imports this module

        return ExtrasReader(self)._locks(node)

    def _bool(self, node: cst.BaseExpression | None, what: str) -> bool | None:
        value = self.lit(node, what, "True or False")
        if value is None or isinstance(value, bool):
            return value
        assert node is not None
        self.bad(node, what, "True or False")
        return None

    def _schedule(self, args: dict[str, cst.BaseExpression]) -> ir.Schedule | None:
        """``schedules`` (and the CronWorkflow options that only make sense with it)."""
        from tiphys.compiler.validator.cron import CronError, parse_schedule, timezone_error

        cron_keys = ("timezone", "concurrency_policy", "starting_deadline",
                     "successful_history", "failed_history", "suspend")
        node = args.get("schedules")
        if node is None:
            for key in cron_keys:
                if key in args:
                    self.ev.error("TPH440", f"'{key}' applies to scheduled workflows: add "
                                  "schedules=[\"<cron>\"] or remove it", self.ev.loc(args[key]))
            return None
        value = self.lit(node, "schedules", "a cron schedule or a list of them")
        if isinstance(value, str):
            value = [value]
        if not (isinstance(value, (list, tuple)) and value and
                all(isinstance(v, str) for v in value)):
            if value is not None:
                self.bad(node, "schedules", "a cron schedule such as \"0 * * * *\" or a list")
            return None
        elements = node.elements if isinstance(node, (cst.List, cst.Tuple)) else [None] * len(value)
        for text, el in zip(value, elements, strict=True):
            where = el.value if el is not None else node
            try:
                parse_schedule(text)
            except CronError as exc:
                self.ev.error("TPH441", f"schedule '{text}' is not a valid cron schedule: {exc}",
                              self.ev.loc(where))
                continue
            if not _schedule_form().search(text):
                # Valid for Argo's cron parser, but not in the one form the schema admits.
                self.ev.error("TPH441", f"write schedule {text!r} as five fields separated by "
                              "spaces, a descriptor such as @daily, or @every with a duration "
                              "in whole units such as 1h30m; a time zone goes in timezone=",
                              self.ev.loc(where))
        tz = self.string(args.get("timezone"), "timezone")
        if tz == "":
            self.ev.error("TPH442", "the time zone is empty: remove timezone= (the default is "
                          "the controller's) or use an IANA name such as 'Europe/Rome'",
                          self.ev.loc(args["timezone"]))
        elif tz is not None and (problem := timezone_error(tz)):
            self.ev.error("TPH442", f"{problem}: use an IANA name such as 'Europe/Rome'",
                          self.ev.loc(args["timezone"]))
        policy = self.string(args.get("concurrency_policy"), "concurrency_policy")
        if policy is not None and policy not in CONCURRENCY:
            self.bad(args["concurrency_policy"], "concurrency_policy",
                     "one of " + ", ".join(CONCURRENCY))
            policy = None
        return ir.Schedule(
            tuple(value), tz, policy,
            self.integer(args.get("starting_deadline"), "starting_deadline")
            if "starting_deadline" in args else None,
            self.integer(args.get("successful_history"), "successful_history")
            if "successful_history" in args else None,
            self.integer(args.get("failed_history"), "failed_history")
            if "failed_history" in args else None,
            self._bool(args.get("suspend"), "suspend"),
        )

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
        read_only = bool(self.lit(b.args.get("read_only"), "read_only", "True or False"))
        if short == "mount":
            return MountVal(self.required_string(b.args["volume"], "volume") or "", read_only,
                            self.string(b.args.get("sub_path"), "sub_path"))
        name = self._volume_name(b.args["name"])
        if short == "volume_claim":
            modes = self.optional_string_list(b.args.get("access_modes"), "access_modes")
            bad_modes = [m for m in modes or () if m not in ACCESS_MODES]
            if bad_modes:
                self.bad(b.args["access_modes"], "access_modes",
                         "a list of " + ", ".join(ACCESS_MODES))
            size = self.required_string(b.args["size"], "size")
            if size is not None and not _quantity().match(size):
                self.bad(b.args["size"], "size", "a Kubernetes quantity such as \"5Gi\"")
            return VolumeClaimVal(ir.VolumeClaim(
                name, size or "", modes or ("ReadWriteOnce",),
                self.string(b.args.get("storage_class"), "storage_class"),
            ))
        kind = {"pvc": "pvc", "empty_dir": "empty_dir", "config_map_volume": "config_map",
                "secret_volume": "secret"}[short]
        source_arg = {"pvc": "claim", "config_map_volume": "config_map",
                      "secret_volume": "secret"}.get(short)
        source = self.required_string(b.args[source_arg], source_arg, empty_ok=True) \
            if source_arg else None
        if source is not None and source_arg is not None:
            from tiphys.compiler.frontend.options.helper_values import object_name_problem

            problem = object_name_problem(source)
            if problem:
                self.bad(b.args[source_arg], source_arg,
                         f"the name of an existing {source_arg.replace('_', ' ')}; "
                         f"'{source}' {problem}")
        return VolumeVal(ir.Volume(name, kind, source, read_only))

    def _volume_name(self, node: cst.BaseExpression) -> str:
        """A volume's name (a DNS label: Kubernetes' rule for pod volumes)."""
        name = self.required_string(node, "name", empty_ok=True)
        if name is not None and not (len(name) <= 63 and _DNS_LABEL.match(name)):
            self.bad(node, "name", "a volume name: at most 63 lower-case letters, digits and "
                     "'-', starting and ending with a letter or digit")
        return name or ""

    def _items(self, node: cst.BaseExpression | None, what: str) -> list[tuple[Value, cst.BaseExpression]]:
        if node is None:
            return []
        items = self.ev.expr_list(node)
        if items is None:
            self.bad(node, what, "a list written in the file")
            return []
        return items

    def param_list(self, node: cst.BaseExpression | None) -> list[ParamVal]:
        out = []
        for value, el in self._items(node, "params"):
            if isinstance(value, ParamVal):
                out.append(value)
            else:
                self.bad(el, "params", "a list of param(...) declarations")
        return out

    def workflow_options(self, args: dict[str, cst.BaseExpression]) -> tuple[ir.WorkflowOptions, str | None]:
        ttl: list[tuple[str, int]] = []
        if "ttl" in args:
            value = self.lit(args["ttl"], "ttl", "seconds or a dict")
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                ttl = [("secondsAfterCompletion", value)]
            elif isinstance(value, dict) and set(value) <= set(_TTL_KEYS) and value and all(
                isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value.values()
            ):
                ttl = [(_TTL_KEYS[k], value[k]) for k in _TTL_KEYS if k in value]
            elif value is not None:
                self.bad(args["ttl"], "ttl", "seconds, or a dict with after_completion, "
                          "after_success and/or after_failure seconds")
        pod_gc = self.string(args.get("pod_gc"), "pod_gc")
        if pod_gc is not None and pod_gc not in POD_GC:
            self.bad(args["pod_gc"], "pod_gc", "one of " + ", ".join(POD_GC))
            pod_gc = None
        volumes = []
        declared: list[tuple[str, cst.BaseExpression]] = []
        for value, el in self._items(args.get("volumes"), "volumes"):
            if isinstance(value, VolumeVal):
                volumes.append(value.volume)
                declared.append((value.volume.name, el))
            else:
                self.bad(el, "volumes", "pvc(...), empty_dir(...), config_map_volume(...) or "
                          "secret_volume(...)")
        claims = []
        for value, el in self._items(args.get("volume_claims"), "volume_claims"):
            if isinstance(value, VolumeClaimVal):
                claims.append(value.claim)
                declared.append((value.claim.name, el))
            else:
                self.bad(el, "volume_claims", "volume_claim(...) declarations")
        seen: set[str] = set()
        for volume, el in declared:
            if volume and volume in seen:
                self.ev.error("TPH131", f"volume '{volume}' is declared twice (volumes= and "
                              "volume_claims= share one set of names)", self.ev.loc(el))
            seen.add(volume)
        deadline = None
        if "active_deadline" in args:
            value = self.lit(args["active_deadline"], "active_deadline", "seconds or a duration")
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                deadline = value
            elif isinstance(value, str) and DURATION.match(value) and duration_seconds(value) >= 1:
                deadline = int(duration_seconds(value))
            elif value is not None:
                self.bad(args["active_deadline"], "active_deadline",
                          "positive seconds or a duration such as \"2h\"")
        run_meta = self.lit(args.get("run_metadata"), "run_metadata", "a dict literal") or {}
        if not (isinstance(run_meta, dict) and set(run_meta) <= {"labels", "annotations"} and
                all(isinstance(v, dict) and all(isinstance(k2, str) and isinstance(v2, str)
                                                for k2, v2 in v.items())
                    for v in run_meta.values())):
            self.bad(args["run_metadata"], "run_metadata",
                     "a dict with 'labels' and/or 'annotations' dicts of strings")
            run_meta = {}
        repo = None
        if "artifact_repository" in args:
            value = self.lit(args["artifact_repository"], "artifact_repository",
                             "a dict literal")
            if isinstance(value, dict) and value and set(value) <= {"config_map", "key"} and \
                    all(isinstance(v, str) and v for v in value.values()) and \
                    _is_object_name(value.get("config_map", "x")):
                repo = (value.get("config_map"), value.get("key"))
            elif value is not None:
                self.bad(args["artifact_repository"], "artifact_repository",
                         "a dict with 'config_map' (a ConfigMap name) and/or 'key' strings "
                         "naming the artifact repository (artifactRepositoryRef)")
        if run_meta:
            run_meta = self._k8s_checked(args["run_metadata"], "spec.workflowMetadata",
                                         "run_metadata", run_meta)
        options = ir.WorkflowOptions(
            namespace=self._namespace(args.get("namespace")),
            service_account=self._service_account(args.get("service_account")),
            ttl=tuple(ttl),
            pod_gc=pod_gc,
            labels=self._metadata_map(args.get("labels"), "labels"),
            annotations=self._metadata_map(args.get("annotations"), "annotations"),
            volumes=tuple(volumes),
            volume_claims=tuple(claims),
            parallelism=self.integer(args.get("parallelism"), "parallelism", 1)
            if "parallelism" in args else None,
            active_deadline=deadline,
            schedule=self._schedule(args),
            priority=self.integer(args.get("priority"), "priority", -(2**31))
            if "priority" in args else None,
            archive_logs=self._bool(args.get("archive_logs"), "archive_logs"),
            run_labels=tuple(sorted(run_meta.get("labels", {}).items())),
            run_annotations=tuple(sorted(run_meta.get("annotations", {}).items())),
            artifact_repository=repo,
            locks=self._workflow_locks(args.get("synchronization")),
        )
        return options, self.image(args.get("image"))

    # -- the workflow's own metadata: checked here, as the strict schema would check it --------

    def _k8s_checked(self, node: cst.BaseExpression, where: str, what: str, value: Any) -> Any:
        """*value* when the strict schema accepts it at *where*; else each problem is TPH174 at
        the key or value of the literal it concerns, and the result is empty."""
        from tiphys.compiler.frontend.options.k8s_fragments import fragment_problems, locate

        problems = fragment_problems(where, value)
        for path, message in problems:
            at = locate(node, path, at_key=message.startswith("invalid key"))
            self.ev.error("TPH174", f"workflow {what}: {message}", self.ev.loc(at))
        return type(value)() if problems else value

    def _metadata_map(self, node: cst.BaseExpression | None,
                      what: str) -> tuple[tuple[str, str], ...]:
        pairs = self.string_map(node, what)
        if not pairs or node is None:
            return ()
        return tuple(self._k8s_checked(node, f"document.{what}", what, dict(pairs)).items())

    def _namespace(self, node: cst.BaseExpression | None) -> str | None:
        from tiphys.compiler.frontend.options.k8s_fragments import fragment_problems

        name = self.string(node, "namespace")
        if name is None or node is None:
            return None
        if not name or len(name) > 63 or fragment_problems("document.namespace", name):
            self.bad(node, "namespace", "a Kubernetes namespace name: at most 63 lower-case "
                     "letters, digits and '-', starting and ending with a letter or digit")
            return None
        return name

    def _service_account(self, node: cst.BaseExpression | None) -> str | None:
        from tiphys.compiler.frontend.options.helper_values import object_name_problem

        name = self.string(node, "service_account")
        if name is None or node is None:
            return None
        problem = object_name_problem(name)
        if problem:
            self.ev.error("TPH175", f"service account '{name}' {problem}", self.ev.loc(node))
            return None
        return name


CONCURRENCY = ("Allow", "Forbid", "Replace")
ACCESS_MODES = ("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod")
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z")


def _is_object_name(name: str) -> bool:
    from tiphys.compiler.frontend.options.helper_values import object_name_problem

    return object_name_problem(name) is None


def _quantity() -> re.Pattern[str]:
    from tiphys.compiler.frontend.options.k8s_fragments import schema_pattern

    return schema_pattern("Quantity")


def _schedule_form() -> re.Pattern[str]:
    """The strict schema's pattern for one schedule of a CronWorkflow."""
    from tiphys.compiler.strict_schema import ecma_pattern, load_schema

    spec = load_schema()["$defs"]["CronWorkflowSpec"]
    return ecma_pattern(spec["properties"]["schedules"]["items"]["pattern"])


def _stringify(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
