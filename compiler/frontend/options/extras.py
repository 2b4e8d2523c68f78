"""Reading the task options beyond the core ones into :class:`ir_task.TaskExtras`: run control
(retry policy, deadline, memoization, synchronization), env from Secrets and ConfigMaps, and
the pod (affinity, security contexts, service account, labels, sidecars, daemon, patch).

Helper calls (``retry(...)``, ``sidecar(...)``, ...) arrive already checked as
:class:`HelperVal`; this module checks that each option got the right kind of value and that
the values fit together (unique container names, one node affinity, ...).
"""

from __future__ import annotations

import ast
import posixpath
from typing import TYPE_CHECKING, Any

from tiphys.compiler import ir
from tiphys.compiler.frontend.nodes import unstarred
from tiphys.compiler.frontend.options.helper_values import (
    HelperVal,
    error,
    helper,
    object_name_problem,
    read_bool,
    warning,
)
from tiphys.compiler.frontend.options.helpers import read_limit
from tiphys.compiler.frontend.options.k8s_fragments import fragment_problems, locate, to_json
from tiphys.compiler.frontend.options.param_defaults import with_defaults
from tiphys.compiler.frontend.options.pod_patch import read_patch
from tiphys.compiler.frontend.options.read import DURATION, OptionReader, duration_seconds
from tiphys.compiler.frontend.values import Lit, ParamVal, Unknown, Value, describe
from tiphys.compiler.ir import task as ir_task
from tiphys.compiler.ir.loc import Loc

if TYPE_CHECKING:
    from tiphys.compiler.frontend.evaluate import Evaluator

#: Options read here (``retries`` is shared with the core: its limit is ``TaskOptions.retries``).
EXTRA_OPTIONS = (
    "active_deadline", "memoize", "synchronization", "env_from", "affinity", "pod_spec_patch",
    "security_context", "container_security_context", "service_account", "labels",
    "annotations", "sidecars", "init_containers", "daemon",
)
_AFFINITY_KEYS = ("nodeAffinity", "podAffinity", "podAntiAffinity")


class ExtrasReader:
    def __init__(self, reader: OptionReader) -> None:
        self.r = reader

    def retries(self, node: ast.expr | None) -> tuple[int | str | None, ir_task.Retry | None]:
        """``retries=3`` or ``retries=retry(3, policy=..., backoff=...)``."""
        if node is None:
            return None, None
        tag = self.r.ev.calls.loops.input_tag(node)
        if tag is not None:
            return tag, None
        value = self.r.ev.expr(node)
        if isinstance(value, Lit):
            return read_limit(self.r, node), None
        found = helper(value, ("retry",))
        if found is not None:
            if found.value is None:
                return None, None
            limit, policy = found.value
            return limit, policy
        self._wrong(node, value, "retries", "an integer or retry(limit, policy=..., "
                    "backoff=...)", "TPH141")
        return None, None

    def read(self, args: dict[str, ast.expr], retry: ir_task.Retry | None,
             mounts: tuple[ir.Mount, ...], has_outputs: bool,
             params: list[ParamVal] | None = None) -> ir_task.TaskExtras:
        """The options of :data:`EXTRA_OPTIONS`; with *params*, pod labels and annotations
        and pod_spec_patch may be f-strings of workflow values (:meth:`OptionReader.fstring`)."""
        r = self.r
        found_sidecars = self._containers(args.get("sidecars"), "sidecars", ("sidecar",), mounts,
                                          params)
        found_inits = self._containers(args.get("init_containers"), "init_containers",
                                       ("init_container",), mounts, params)
        self._unique_names([*found_sidecars, *found_inits])
        sidecars = tuple(c for c, _ in found_sidecars)
        inits = tuple(c for c, _ in found_inits)
        daemon = read_bool(r, args.get("daemon"), "daemon")
        if daemon and has_outputs:
            error(r, "TPH178", "a daemon task keeps running, so its outputs are never written: "
                  "drop outputs= or daemon=True", args["daemon"])
            daemon = False
        security = self._k8s_dict(args.get("security_context"), "security_context",
                                  "securityContext", "TPH172")
        container_security = self._k8s_dict(args.get("container_security_context"),
                                            "container_security_context",
                                            "container.securityContext", "TPH172")
        return ir_task.TaskExtras(
            retry=retry,
            active_deadline=self._deadline(args.get("active_deadline")),
            memoize=self._one(args.get("memoize"), "memoize", ("memoize",),
                              "memoize(key, max_age=..., cache=...)", "TPH144", params),
            locks=self._locks(args.get("synchronization"), params),
            env_from=self._env_from(args.get("env_from")),
            affinity=self._affinity(args.get("affinity")),
            pod_spec_patch=read_patch(self.r, args.get("pod_spec_patch"),
                                       {"main", *(c.name for c in sidecars)},
                                       {c.name for c in inits}, params),
            security_context=security,
            container_security_context=container_security,
            service_account=self._service_account(args.get("service_account")),
            labels=self._metadata(args.get("labels"), "labels", params),
            annotations=self._metadata(args.get("annotations"), "annotations", params),
            sidecars=sidecars,
            init_containers=inits,
            daemon=daemon,
        )

    # -- helpers ---------------------------------------------------------------------------

    def _wrong(self, node: object, value: Value, what: str, expected: str,
               code: str) -> None:
        error(self.r, code, f"'{what}' must be {expected}; this is {describe(value)}", node)

    def _one(self, node: ast.expr | None, what: str, kinds: tuple[str, ...],
             expected: str, code: str, params: list[ParamVal] | None = None) -> Any:
        if node is None:
            return None
        value = self.r.ev.expr(node)
        found = helper(value, kinds)
        if found is None:
            self._wrong(node, value, what, expected, code)
            return None
        return self._taken(found, params)

    def _taken(self, found: HelperVal, params: list[ParamVal] | None) -> Any:
        """A helper's value, its f-strings' parameters added to the task's *params* (TPH519
        when the task cannot take them)."""
        if found.params and params is None:
            error(self.r, "TPH519", f"{found.kind}(...) holds f-strings of workflow values, "
                  "which only a task's own options take", found.loc)
            return None
        if params is not None:
            params += found.params
        return found.value

    def _many(self, node: ast.expr | None, what: str, kinds: tuple[str, ...],
              expected: str, code: str) -> list[tuple[Any, HelperVal]]:
        """A helper or a list of helpers of *kinds*: (value, helper) of each working one."""
        if node is None:
            return []
        items = (self.r.ev.expr_list(node) if isinstance(node, (ast.List, ast.Tuple))
                 else [(self.r.ev.expr(node), node)])
        out = []
        for value, el in items or []:
            found = helper(value, kinds)
            if found is None:
                self._wrong(el, value, what, expected, code)
            elif found.value is not None:
                out.append((found.value, found))
        return out

    # -- run control -----------------------------------------------------------------------

    def _deadline(self, node: ast.expr | None) -> int | None:
        value = self.r.lit(node, "active_deadline", "seconds or a duration")
        if value is None or node is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
        if isinstance(value, str) and DURATION.match(value) and duration_seconds(value) >= 1:
            return int(duration_seconds(value))
        error(self.r, "TPH143", "'active_deadline' must be a positive number of seconds or a "
              f"duration of at least 1s such as \"30m\"; got {value!r}", node)
        return None

    def _locks(self, node: ast.expr | None, params: list[ParamVal] | None = None,
               scope: str = "template") -> tuple[ir_task.Lock, ...]:
        """``synchronization=``; a mutex's name may be an f-string of workflow values (Argo
        fills in a template before it takes its locks, and the workflow's spec when the run
        starts: *scope* "workflow", where ``workflow_status`` has no value yet)."""
        found = self._many(node, "synchronization", ("mutex", "semaphore"),
                           "mutex(...), semaphore(...) or a list of them", "TPH145")
        out: list[ir_task.Lock] = []
        for lock, h in found:
            if scope == "workflow" and "{{workflow.status}}" in (lock.name or ""):
                error(self.r, "TPH511", "the workflow's lock is taken when the run starts, "
                      "before workflow_status has a value: name it with param(...) and "
                      "workflow_name only", h.at("name"))
                continue
            if self._taken(h, params) is None:
                continue
            if lock in out:
                error(self.r, "TPH145", f"this {lock.kind} is listed twice; a task acquires "
                      "each lock once", h.loc)
            else:
                out.append(lock)
        return tuple(out)

    # -- secrets and config ----------------------------------------------------------------

    def env_sources(self, node: ast.expr | None) -> tuple[ir_task.EnvSource, ...]:
        """``env_from=`` of another container (a container_set member)."""
        return self._env_from(node)

    def _env_from(self, node: ast.expr | None) -> tuple[ir_task.EnvSource, ...]:
        found = self._many(node, "env_from", ("secret_env", "config_map_env"),
                           "a list of secret_env(name, prefix=...) and config_map_env(name, "
                           "prefix=...)", "TPH152")
        out: list[ir_task.EnvSource] = []
        for source, h in found:
            if any((s.kind, s.source) == (source.kind, source.source) for s in out):
                error(self.r, "TPH152", f"'{source.source}' is in env_from twice", h.loc)
            else:
                out.append(source)
        return tuple(out)

    # -- pods ------------------------------------------------------------------------------

    def _affinity(self, node: ast.expr | None) -> Any:
        """A Kubernetes ``Affinity`` dict, affinity helpers, or a list mixing both."""
        if node is None:
            return None
        if isinstance(node, (ast.List, ast.Tuple)):
            items = [(self.r.ev.expr(unstarred(el)), unstarred(el)) for el in node.elts]
        else:
            items = [(self.r.ev.expr(node), node)]
        merged: dict[str, dict[str, Any]] = {}
        for value, el in items:
            part = self._affinity_part(value, el)
            where: object | Loc = value.loc if isinstance(value, HelperVal) else el
            for key, side in (part or {}).items():
                if key not in merged:
                    merged[key] = {k: v for k, v in side.items()}
                elif key == "nodeAffinity":
                    # Node selector terms are ORed: merging two would silently widen both.
                    error(self.r, "TPH171", "the task already has a node affinity: put all "
                          "node labels in one node_affinity(required=..., preferred=...)",
                          where)
                else:
                    for k, terms in side.items():
                        merged[key].setdefault(k, []).extend(terms)
        return {k: merged[k] for k in _AFFINITY_KEYS if k in merged} or None

    def _affinity_part(self, value: Value, node: object) -> dict[str, Any] | None:
        found = helper(value, ("node_affinity", "pod_affinity", "pod_anti_affinity"))
        if found is not None:
            return found.value if isinstance(found.value, dict) else None
        if isinstance(value, Lit) and isinstance(value.value, dict):
            part = to_json(value.value)
            if self.schema_problems(node, "affinity", part, "affinity", "TPH170"):
                return None
            return part if isinstance(part, dict) else None
        self._wrong(node, value, "affinity", "node_affinity(...), pod_affinity(...), "
                    "pod_anti_affinity(...), a Kubernetes Affinity dict, or a list of these",
                    "TPH171")
        return None

    def schema_problems(self, node: object, what: str, value: Any, where: str,
                        code: str) -> bool:
        """Strict-schema problems of a literal, each at the part of it that is wrong."""
        problems = fragment_problems(where, value)
        for path, message in problems:
            at = locate(node, path, at_key=message.startswith(("unknown field", "invalid key")))
            error(self.r, code, f"{what}: {message}", at)
        return bool(problems)

    def _k8s_dict(self, node: ast.expr | None, what: str, where: str,
                  code: str) -> Any:
        value = self.r.lit(node, what, "a dict literal with Kubernetes field names")
        if value is None or node is None:
            return None
        if not isinstance(value, dict) or not value:
            error(self.r, code, f"'{what}' must be a non-empty dict with Kubernetes field "
                  "names, e.g. {\"runAsNonRoot\": True, \"runAsUser\": 1000}", node)
            return None
        part = to_json(value)
        return None if self.schema_problems(node, what, part, where, code) else part

    def _service_account(self, node: ast.expr | None) -> str | None:
        name = self.r.string(node, "service_account")
        if name is None or node is None:
            return None
        problem = object_name_problem(name)
        if problem:
            error(self.r, "TPH175", f"service account '{name}' {problem}", node)
            return None
        return name

    def _metadata(self, node: ast.expr | None, what: str,
                  params: list[ParamVal] | None = None) -> tuple[tuple[str, str], ...]:
        texts = self.r.fstring_values(node, what, params)
        value = texts if texts is not None else self.r.lit(node, what, "a dict literal")
        if value is None or node is None:
            return ()
        if not (isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str)
                                                for k, v in value.items())):
            error(self.r, "TPH174", f"pod {what} must be a dict of strings to strings", node)
            return ()
        problems = fragment_problems("metadata", {what: value})
        filled = with_defaults(value, params) if texts is not None else None
        if not problems and filled is not None:  # the run that takes the defaults
            problems = fragment_problems("metadata", {what: filled})
            what = f"{what} with the parameters' defaults filled in"
        for path, message in problems:
            at = locate(node, path[1:], at_key=message.startswith("invalid key"))
            error(self.r, "TPH174", f"pod {what}: {message}", at)
        if problems:
            return ()
        return tuple(sorted(value.items()))

    def _containers(self, node: ast.expr | None, what: str, kinds: tuple[str, ...],
                    mounts: tuple[ir.Mount, ...], params: list[ParamVal] | None,
                    ) -> list[tuple[ir_task.UserContainer, Loc]]:
        helper_name = kinds[0]
        found = [(c, h) for c, h in self._many(node, what, kinds, f"{helper_name}(name, image, "
                                               "...) or a list of them", "TPH177")
                 if self._taken(h, params) is not None]
        for c, h in found:
            if c.mirror_volume_mounts and not mounts:
                warning(self.r, "TPH163", f"{helper_name} '{c.name}' mirrors the task's volume "
                        "mounts, but the task mounts no volumes (volumes={path: volume})",
                        h.at("mirror_volume_mounts"))
            elif c.mirror_volume_mounts:
                # Argo appends the mirrored mounts to the container's own, without merging:
                # one path twice and Kubernetes refuses the pod (mountPath must be unique).
                task_paths = {posixpath.normpath(m.path): m.path for m in mounts}
                for m in c.mounts:
                    if posixpath.normpath(m.path) in task_paths:
                        error(self.r, "TPH161", f"{helper_name} '{c.name}' mounts "
                              f"{m.path!r} itself and mirrors the task's "
                              f"{task_paths[posixpath.normpath(m.path)]!r}: a container mounts "
                              "one volume per path (drop one of them)", h.at("volumes"))
        return [(c, h.at("name")) for c, h in found]

    def _unique_names(self, containers: list[tuple[ir_task.UserContainer, Loc]]) -> None:
        seen: set[str] = set()
        for c, loc in containers:
            if c.name in seen:
                error(self.r, "TPH176", f"two containers of this task's pod are named "
                      f"'{c.name}'; sidecars and init containers need distinct names", loc)
            seen.add(c.name)


def daemon_output(ev: Evaluator, t: ir.TaskDef, loc: Loc) -> Value:
    """Reading an output of a daemon task: it never finishes, so it never writes one."""
    ev.error("TPH178", f"task '{t.name}' is a daemon (daemon=True): it keeps running in the "
             "background and never produces outputs. Order tasks after it with .after(...) "
             "and reach it over the network instead", loc)
    return Unknown(f"an output of the daemon task '{t.name}'")
