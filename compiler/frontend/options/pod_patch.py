"""Checking a pod spec patch before Argo applies it: Argo unmarshals the patch into a
Kubernetes PodSpec (``util.ApplyPodSpecPatch``), so a field PodSpec does not have is dropped
without a word and a container field of the wrong form (a quantity ``"lots"``) fails every pod
of the template. Top-level names are checked against PodSpec's fields, containers against the
strict schema's Container."""

from __future__ import annotations

import ast
import difflib
import json
from typing import Any

from tiphys.compiler.frontend.options.helper_values import error, warning
from tiphys.compiler.frontend.options.k8s_fragments import friendly, locate, to_json
from tiphys.compiler.frontend.options.read import OptionReader
from tiphys.compiler.frontend.values import ParamVal
from tiphys.compiler.strict_schema import check_strict

JsonPath = tuple[str | int, ...]

#: The fields of a Kubernetes PodSpec (core/v1, as of Kubernetes 1.31).
POD_SPEC_FIELDS = frozenset({
    "activeDeadlineSeconds", "affinity", "automountServiceAccountToken", "containers",
    "dnsConfig", "dnsPolicy", "enableServiceLinks", "ephemeralContainers", "hostAliases",
    "hostIPC", "hostNetwork", "hostPID", "hostUsers", "hostname", "imagePullSecrets",
    "initContainers", "nodeName", "nodeSelector", "os", "overhead", "preemptionPolicy",
    "priority", "priorityClassName", "readinessGates", "resourceClaims", "resources",
    "restartPolicy", "runtimeClassName", "schedulerName", "schedulingGates", "securityContext",
    "serviceAccount", "serviceAccountName", "setHostnameAsFQDN", "shareProcessNamespace",
    "subdomain", "terminationGracePeriodSeconds", "tolerations", "topologySpreadConstraints",
    "volumes",
})


def patch_problems(patch: dict[str, Any]) -> list[tuple[JsonPath, str]]:
    """(path inside the patch, message) for each part Argo would drop or fail on."""
    out: list[tuple[JsonPath, str]] = []
    for key in patch:
        if key not in POD_SPEC_FIELDS:
            close = difflib.get_close_matches(str(key), sorted(POD_SPEC_FIELDS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            out.append(((key,), f"'{key}' is not a field of a Kubernetes PodSpec{hint}: Argo "
                                "would drop it"))
    for key in ("containers", "initContainers"):
        entries = patch.get(key)
        if not isinstance(entries, list):
            continue
        for i, entry in enumerate(entries):
            if isinstance(entry, dict):
                out += [((key, i, *path), message) for path, message in _container(entry)]
    return out


def _container(entry: dict[str, Any]) -> list[tuple[JsonPath, str]]:
    fields = {k: v for k, v in entry.items() if k != "name"}
    doc = {"apiVersion": "argoproj.io/v1alpha1", "kind": "WorkflowTemplate",
           "metadata": {"name": "x"},
           "spec": {"templates": [{"name": "x", "container": {"image": "x", **fields}}]}}
    prefix = ("spec", "templates", 0, "container")
    return [(v.path[len(prefix):], friendly(v.message)) for v in check_strict(doc)
            if v.path[:len(prefix)] == prefix and len(v.path) > len(prefix)]


def read_patch(r: OptionReader, node: ast.expr | None, containers: set[str] | None,
           inits: set[str], params: list[ParamVal] | None = None) -> str | None:
    """A pod spec patch as Argo takes it (text); with *containers* None (a workflow's
    patch, for pods of every task) the container names it patches are not checked."""
    found, text = r.fstring(node, "pod_spec_patch", params)
    value = text if found else r.lit(node, "pod_spec_patch",
                                          "a YAML/JSON string or a dict literal")
    if value is None or node is None:
        return None
    if isinstance(value, dict) and value:
        patch: Any = to_json(value)
        text = json.dumps(patch, ensure_ascii=False)
    elif isinstance(value, str) and value.strip():
        text = value
        if "{{" in text:
            return text  # Argo substitutes the tags before it parses the patch
        import yaml

        try:
            patch = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            error(r, "TPH173", f"pod_spec_patch is not valid YAML or JSON: {_yaml_problem(exc)}",
                  node)
            return None
    else:
        error(r, "TPH173", "pod_spec_patch must be a non-empty dict (a partial "
              "Kubernetes PodSpec) or its YAML/JSON text", node)
        return None
    if not isinstance(patch, dict):
        error(r, "TPH173", "pod_spec_patch must be a mapping: a partial Kubernetes "
              "PodSpec such as {\"containers\": [{\"name\": \"main\", ...}]}", node)
        return None
    problems = patch_problems(patch)
    for path, message in problems:
        at = locate(node, path, at_key=len(path) == 1) if isinstance(value, dict) else node
        error(r, "TPH173", f"pod_spec_patch: {message}", at)
    if problems:
        return None
    if containers is not None:
        _patch_containers(r, node, patch, "containers", containers,
                               _names_note(containers))
        _patch_containers(r, node, patch, "initContainers", inits,
                               _names_note(inits) if inits else "none")
    return text

def _patch_containers(r: OptionReader, node: object, patch: dict[str, Any], key: str,
                  known: set[str], note: str) -> None:
    entries = patch.get(key)
    if not isinstance(entries, list):
        return
    for i, c in enumerate(entries):
        name = c.get("name") if isinstance(c, dict) else None
        if name not in known:
            warning(r, "TPH179", f"pod_spec_patch {key}[{i}] names container "
                    f"{name!r}, which this task does not have ({note}): the patch would "
                    "add a container instead of changing one",
                    locate(node, (key, i, "name")))

def _yaml_problem(exc: Exception) -> str:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        return f"{problem} (line {mark.line + 1}, column {mark.column + 1} of the patch)"
    return str(problem)


def _names_note(names: set[str]) -> str:
    return "it has " + ", ".join(f"'{n}'" for n in sorted(names))
