"""Reading the options of ``workflow(...)``: TTL, pod GC, schedules and their CronWorkflow
settings, locks, labels and annotations, namespace. Checked here as the strict schema would
check the document, so that a problem is reported at the literal that causes it."""

from __future__ import annotations

import ast
import re
from typing import Any

from tiphys.compiler import ir
from tiphys.compiler.frontend.nodes import unstarred
from tiphys.compiler.frontend.options.param_defaults import with_defaults_deep
from tiphys.compiler.frontend.options.read import DURATION, OptionReader, duration_seconds
from tiphys.compiler.frontend.values import (
    InterpVal,
    ParamVal,
    Unknown,
    VolumeClaimVal,
    VolumeVal,
    WorkflowVarVal,
)

POD_GC = ("OnPodCompletion", "OnPodSuccess", "OnWorkflowCompletion", "OnWorkflowSuccess")
CONCURRENCY = ("Allow", "Forbid", "Replace")
#: Kubernetes' pod DNS policies.
DNS_POLICIES = ("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None")
#: Options of ``workflow()`` that set every pod of the run: (option, spec field, the form it
#: takes, for messages).
POD_SETTINGS = (
    ("pod_metadata", "podMetadata", "a dict with 'labels' and/or 'annotations' dicts of strings"),
    ("node_selector", "nodeSelector", "a dict of node label names to values"),
    ("tolerations", "tolerations", "a list of Kubernetes tolerations (dicts)"),
    ("affinity", "affinity", "a Kubernetes Affinity dict"),
    ("security_context", "securityContext", "a Kubernetes PodSecurityContext dict"),
    ("image_pull_secrets", "imagePullSecrets",
     "the name of a Secret, or a list of them (Kubernetes object names)"),
    ("priority_class", "podPriorityClassName", "the name of a PriorityClass"),
    ("scheduler_name", "schedulerName", "the name of a scheduler"),
    ("host_aliases", "hostAliases",
     "a list of {\"ip\": ..., \"hostnames\": [...]} dicts"),
    ("dns_policy", "dnsPolicy", "one of " + ", ".join(DNS_POLICIES)),
    ("dns_config", "dnsConfig",
     "a PodDNSConfig dict such as {\"nameservers\": [\"1.2.3.4\"]}"),
    ("pod_disruption_budget", "podDisruptionBudget",
     "a PodDisruptionBudgetSpec dict such as {\"minAvailable\": 1}"),
)
_TTL_KEYS = {
    "after_completion": "secondsAfterCompletion",
    "after_success": "secondsAfterSuccess",
    "after_failure": "secondsAfterFailure",
}


def is_object_name(name: str) -> bool:
    from tiphys.compiler.frontend.options.helper_values import object_name_problem

    return object_name_problem(name) is None


def schedule_form() -> re.Pattern[str]:
    """The strict schema's pattern for one schedule of a CronWorkflow."""
    from tiphys.compiler.strict_schema import ecma_pattern, load_schema

    spec = load_schema()["$defs"]["CronWorkflowSpec"]
    return ecma_pattern(spec["properties"]["schedules"]["items"]["pattern"])


class WorkflowOptionReader:
    def __init__(self, r: OptionReader) -> None:
        self.r = r

    def _workflow_locks(self, node: ast.expr | None,
                        params: list[ParamVal] | None) -> tuple[Any, ...]:
        if node is None:
            return ()
        from tiphys.compiler.frontend.options.extras import ExtrasReader  # it imports this module

        return ExtrasReader(self.r)._locks(node, params, "workflow")

    def _schedule(self, args: dict[str, ast.expr]) -> ir.Schedule | None:
        """``schedules`` (and the CronWorkflow options that only make sense with it)."""
        from tiphys.compiler.validator.cron import CronError, parse_schedule, timezone_error

        cron_keys = ("timezone", "concurrency_policy", "starting_deadline",
                     "successful_history", "failed_history", "suspend")
        node = args.get("schedules")
        if node is None:
            for key in cron_keys:
                if key in args:
                    self.r.ev.error("TPH440", f"'{key}' applies to scheduled workflows: add "
                                  "schedules=[\"<cron>\"] or remove it", self.r.ev.loc(args[key]))
            return None
        value = self.r.lit(node, "schedules", "a cron schedule or a list of them")
        if isinstance(value, str):
            value = [value]
        if not (isinstance(value, (list, tuple)) and value and
                all(isinstance(v, str) for v in value)):
            if value is not None:
                self.r.bad(node, "schedules", "a cron schedule such as \"0 * * * *\" or a list")
            return None
        elements = node.elts if isinstance(node, (ast.List, ast.Tuple)) else [None] * len(value)
        for text, el in zip(value, elements, strict=True):
            where = unstarred(el) if el is not None else node
            try:
                parse_schedule(text)
            except CronError as exc:
                self.r.ev.error("TPH441", f"schedule '{text}' is not a valid cron schedule: {exc}",
                              self.r.ev.loc(where))
                continue
            if not schedule_form().search(text):
                # Valid for Argo's cron parser, but not in the one form the schema admits.
                self.r.ev.error("TPH441", f"write schedule {text!r} as five fields separated by "
                              "spaces, a descriptor such as @daily, or @every with a duration "
                              "in whole units such as 1h30m; a time zone goes in timezone=",
                              self.r.ev.loc(where))
        tz = self.r.string(args.get("timezone"), "timezone")
        if tz == "":
            self.r.ev.error("TPH442", "the time zone is empty: remove timezone= (the default is "
                          "the controller's) or use an IANA name such as 'Europe/Rome'",
                          self.r.ev.loc(args["timezone"]))
        elif tz is not None and (problem := timezone_error(tz)):
            self.r.ev.error("TPH442", f"{problem}: use an IANA name such as 'Europe/Rome'",
                          self.r.ev.loc(args["timezone"]))
        policy = self.r.string(args.get("concurrency_policy"), "concurrency_policy")
        if policy is not None and policy not in CONCURRENCY:
            self.r.bad(args["concurrency_policy"], "concurrency_policy",
                     "one of " + ", ".join(CONCURRENCY))
            policy = None
        return ir.Schedule(
            tuple(value), tz, policy,
            self.r.integer(args.get("starting_deadline"), "starting_deadline")
            if "starting_deadline" in args else None,
            self.r.integer(args.get("successful_history"), "successful_history")
            if "successful_history" in args else None,
            self.r.integer(args.get("failed_history"), "failed_history")
            if "failed_history" in args else None,
            self.r._bool(args.get("suspend"), "suspend"),
        )

    def read(self, args: dict[str, ast.expr],
             params: list[ParamVal] | None = None) -> tuple[ir.WorkflowOptions, str | None]:
        """The options, and the default image of the workflow's Python tasks. With *params*
        (the workflow's own), run_metadata values and the image may be f-strings of workflow
        values, their parameters added to *params*."""
        ttl: list[tuple[str, int]] = []
        if "ttl" in args:
            value = self.r.lit(args["ttl"], "ttl", "seconds or a dict")
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                ttl = [("secondsAfterCompletion", value)]
            elif isinstance(value, dict) and set(value) <= set(_TTL_KEYS) and value and all(
                isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value.values()
            ):
                ttl = [(_TTL_KEYS[k], value[k]) for k in _TTL_KEYS if k in value]
            elif value is not None:
                self.r.bad(args["ttl"], "ttl", "seconds, or a dict with after_completion, "
                          "after_success and/or after_failure seconds")
        pod_gc = self.r.string(args.get("pod_gc"), "pod_gc")
        if pod_gc is not None and pod_gc not in POD_GC:
            self.r.bad(args["pod_gc"], "pod_gc", "one of " + ", ".join(POD_GC))
            pod_gc = None
        volumes = []
        declared: list[tuple[str, ast.expr]] = []
        for value, el in self.r._items(args.get("volumes"), "volumes"):
            if isinstance(value, VolumeVal):
                volumes.append(value.volume)
                declared.append((value.volume.name, el))
            else:
                self.r.bad(el, "volumes", "pvc(...), empty_dir(...), config_map_volume(...) or "
                          "secret_volume(...)")
        claims = []
        for value, el in self.r._items(args.get("volume_claims"), "volume_claims"):
            if isinstance(value, VolumeClaimVal):
                claims.append(value.claim)
                declared.append((value.claim.name, el))
            else:
                self.r.bad(el, "volume_claims", "volume_claim(...) declarations")
        seen: set[str] = set()
        for volume, el in declared:
            if volume and volume in seen:
                self.r.ev.error("TPH131", f"volume '{volume}' is declared twice (volumes= and "
                              "volume_claims= share one set of names)", self.r.ev.loc(el))
            seen.add(volume)
        deadline = None
        if "active_deadline" in args:
            value = self.r.lit(args["active_deadline"], "active_deadline", "seconds or a duration")
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                deadline = value
            elif isinstance(value, str) and DURATION.match(value) and duration_seconds(value) >= 1:
                deadline = int(duration_seconds(value))
            elif value is not None:
                self.r.bad(args["active_deadline"], "active_deadline",
                          "positive seconds or a duration such as \"2h\"")
        run_meta = self._run_metadata(args.get("run_metadata"), params) or {}
        if not (isinstance(run_meta, dict) and set(run_meta) <= {"labels", "annotations"} and
                all(isinstance(v, dict) and all(isinstance(k2, str) and isinstance(v2, str)
                                                for k2, v2 in v.items())
                    for v in run_meta.values())):
            self.r.bad(args["run_metadata"], "run_metadata",
                     "a dict with 'labels' and/or 'annotations' dicts of strings")
            run_meta = {}
        repo = None
        if "artifact_repository" in args:
            value = self.r.lit(args["artifact_repository"], "artifact_repository",
                             "a dict literal")
            if isinstance(value, dict) and value and set(value) <= {"config_map", "key"} and \
                    all(isinstance(v, str) and v for v in value.values()) and \
                    is_object_name(value.get("config_map", "x")):
                repo = (value.get("config_map"), value.get("key"))
            elif value is not None:
                self.r.bad(args["artifact_repository"], "artifact_repository",
                         "a dict with 'config_map' (a ConfigMap name) and/or 'key' strings "
                         "naming the artifact repository (artifactRepositoryRef)")
        if run_meta:
            run_meta = self._k8s_checked(args["run_metadata"], "spec.workflowMetadata",
                                         "run_metadata", run_meta, params)
        options = ir.WorkflowOptions(
            namespace=self._namespace(args.get("namespace")),
            service_account=self.r._service_account(args.get("service_account")),
            ttl=tuple(ttl),
            pod_gc=pod_gc,
            labels=self._metadata_map(args.get("labels"), "labels"),
            annotations=self._metadata_map(args.get("annotations"), "annotations"),
            volumes=tuple(volumes),
            volume_claims=tuple(claims),
            parallelism=self.r.integer(args.get("parallelism"), "parallelism", 1)
            if "parallelism" in args else None,
            active_deadline=deadline,
            schedule=self._schedule(args),
            priority=self.r.integer(args.get("priority"), "priority", -(2**31))
            if "priority" in args else None,
            archive_logs=self.r._bool(args.get("archive_logs"), "archive_logs"),
            run_labels=tuple(sorted(run_meta.get("labels", {}).items())),
            run_annotations=tuple(sorted(run_meta.get("annotations", {}).items())),
            artifact_repository=repo,
            locks=self._workflow_locks(args.get("synchronization"), params),
            pod_settings=self._pod_settings(args, params),
            template_defaults=self._template_defaults(args.get("template_defaults")),
            pod_spec_patch=self._pod_spec_patch(args.get("pod_spec_patch"), params),
        )
        return options, self.r.image(args.get("image"), params=params)

    def _run_metadata(self, node: ast.expr | None, params: list[ParamVal] | None,
                      what: str = "run_metadata") -> Any:
        """``run_metadata={"labels": {...}, "annotations": {...}}`` (or ``pod_metadata``): Argo
        fills in workflow tags in the spec (workflowMetadata, podMetadata too) when a run
        starts, so the values may be f-strings of param(...) and workflow_name."""
        if params is not None and isinstance(node, ast.Dict) and None not in node.keys and \
                any(isinstance(v, ast.Dict) and any(self.r.fstring_node(x) for x in v.values)
                    for v in node.values):
            out: dict[str, Any] = {}
            for key_node, value_node in zip(node.keys, node.values, strict=True):
                assert key_node is not None
                key = self.r.lit(key_node, what, "a string key")
                value = self.r.fstring_values(value_node, what, params, "workflow")
                if value is None:
                    value = self.r.lit(value_node, what, "a dict literal")
                if key is not None and value is not None:
                    out[key] = value
            return out
        return self.r.lit(node, what, "a dict literal")

    def _pod_settings(self, args: dict[str, ast.expr],
                      params: list[ParamVal] | None) -> tuple[tuple[str, Any], ...]:
        """Settings Argo applies to every pod of the run, in :data:`POD_SETTINGS` order; each
        a literal checked against the strict schema where lowering puts it. Label values of
        ``pod_metadata`` and ``node_selector`` may be f-strings of workflow values (Argo
        fills in the spec when a run starts)."""
        out: list[tuple[str, Any]] = []
        for option, key, expected in POD_SETTINGS:
            node = args.get(option)
            if node is None:
                continue
            if option == "pod_metadata":
                value = self._run_metadata(node, params, option)
            elif option == "node_selector":
                value = self.r.fstring_values(node, option, params, "workflow")
                if value is None:
                    value = self.r.lit(node, option, expected)
            else:
                value = self.r.lit(node, option, expected)
            if value is None:
                continue
            if option == "image_pull_secrets":
                names = [value] if isinstance(value, str) else value
                if isinstance(names, (list, tuple)) and names and all(
                        isinstance(n, str) and is_object_name(n) for n in names):
                    value = [{"name": n} for n in dict.fromkeys(names)]
                else:
                    value = None
            elif (option == "dns_policy" and value not in DNS_POLICIES) or (
                    option == "pod_metadata" and not (
                        isinstance(value, dict) and set(value) <= {"labels", "annotations"})):
                value = None
            elif isinstance(value, (list, tuple)):
                value = list(value)
            if value is None or value in ("", [], {}):
                self.r.bad(node, option, expected)
                continue
            value = self._k8s_checked(node, f"spec.{key}", option, value, params)
            if value not in ("", [], {}):
                out.append((key, value))
        from tiphys.compiler.frontend.options.pod_settings import pod_setting_problems

        options = {key: option for option, key, _ in POD_SETTINGS}
        refused = set()
        for key, message in pod_setting_problems(dict(out)):
            refused.add(key)
            self.r.ev.error("TPH131", f"'{options[key]}': {message}",
                            self.r.ev.loc(args[options[key]]))
        return tuple((k, v) for k, v in out if k not in refused)

    def _pod_spec_patch(self, node: ast.expr | None,
                        params: list[ParamVal] | None) -> str | None:
        """``pod_spec_patch=``: ``spec.podSpecPatch``, a patch of every pod of the run."""
        from tiphys.compiler.frontend.options.pod_patch import read_patch

        return read_patch(self.r, node, None, set(), params) if node is not None else None

    def _template_defaults(self, node: ast.expr | None) -> tuple[tuple[str, Any], ...]:
        """``template_defaults={"retries": 2, "timeout": "30s"}``: ``spec.templateDefaults``."""
        from tiphys.compiler.frontend.options.helpers import read_limit

        if node is None:
            return ()
        if not isinstance(node, ast.Dict) or not node.keys:
            self.r.bad(node, "template_defaults", "a dict literal with 'retries' and/or "
                       "'timeout'")
            return ()
        out: dict[str, Any] = {}
        for key_node, value_node in zip(node.keys, node.values, strict=True):
            if key_node is None:
                self.r.bad(value_node, "template_defaults", "written out, without ** unpacking")
                continue
            key = self.r.lit(key_node, "template_defaults", "'retries' or 'timeout'")
            if key is None:  # reported
                continue
            if key == "retries":
                limit = read_limit(self.r, value_node)
                if limit is not None:
                    out["retryStrategy"] = {"limit": limit}
            elif key == "timeout":
                value = self.r.lit(value_node, "timeout", "a duration")
                if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                    out["timeout"] = f"{value}s"
                elif isinstance(value, str) and DURATION.match(value):
                    out["timeout"] = value
                elif value is not None:
                    self.r.bad(value_node, "timeout", "a positive number of seconds or a "
                               "duration such as \"30s\" or \"10m\"")
            else:
                self.r.ev.error("TPH131", "template_defaults takes 'retries' and 'timeout' "
                                f"(the defaults tiphys can check); {key!r} is not one",
                                self.r.ev.loc(key_node))
        return tuple((k, out[k]) for k in ("retryStrategy", "timeout") if k in out)

    def _k8s_checked(self, node: ast.expr, where: str, what: str, value: Any,
                     params: list[ParamVal] | None = None) -> Any:
        """*value* when the strict schema accepts it at *where*, as written and, for f-strings
        of parameters, with their defaults filled in; else each problem is TPH174 at the key
        or value of the literal it concerns, and the result is empty."""
        from tiphys.compiler.frontend.options.k8s_fragments import fragment_problems, locate

        problems = fragment_problems(where, value)
        filled = with_defaults_deep(value, params) if params else None
        if not problems and filled is not None and filled != value:
            problems = fragment_problems(where, filled)
            what = f"{what} with the parameters' defaults filled in"
        for path, message in problems:
            at = locate(node, path, at_key=message.startswith(("unknown field", "invalid key")))
            self.r.ev.error("TPH174", f"workflow {what}: {message}", self.r.ev.loc(at))
        return type(value)() if problems else value

    def _metadata_map(self, node: ast.expr | None,
                      what: str) -> tuple[tuple[str, str], ...]:
        if isinstance(node, ast.Dict):
            values = [(v, self.r.ev.expr(v)) for v in node.values
                      if isinstance(v, (ast.JoinedStr, ast.Name))]
            for v, value in values:
                if isinstance(value, (InterpVal, ParamVal, WorkflowVarVal)):
                    self.r.no_fstring(v, what, f"the workflow's {what} are the "
                                      "WorkflowTemplate's own metadata, which Argo keeps as "
                                      "written and never fills in; for labels or annotations "
                                      "of each run made from parameters, use "
                                      "run_metadata={\"" + what + "\": {...}}")
            if any(isinstance(value, (InterpVal, ParamVal, WorkflowVarVal)) or (
                    isinstance(value, Unknown) and value.reason == "a broken f-string")
                   for _, value in values):
                return ()  # reported here, or where the f-string is written (TPH508)
        pairs = self.r.string_map(node, what)
        if not pairs or node is None:
            return ()
        return tuple(self._k8s_checked(node, f"document.{what}", what, dict(pairs)).items())

    def _namespace(self, node: ast.expr | None) -> str | None:
        from tiphys.compiler.frontend.options.k8s_fragments import fragment_problems

        name = self.r.string(node, "namespace")
        if name is None or node is None:
            return None
        if not name or len(name) > 63 or fragment_problems("document.namespace", name):
            self.r.bad(node, "namespace", "a Kubernetes namespace name: at most 63 lower-case "
                     "letters, digits and '-', starting and ending with a letter or digit")
            return None
        return name
