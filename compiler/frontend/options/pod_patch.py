"""Checking a pod spec patch before Argo applies it: Argo unmarshals the patch into a
Kubernetes PodSpec (``util.ApplyPodSpecPatch``), so a field PodSpec does not have is dropped
without a word and a container field of the wrong form (a quantity ``"lots"``) fails every pod
of the template. Top-level names are checked against PodSpec's fields, containers against the
strict schema's Container."""

from __future__ import annotations

import difflib
from typing import Any

from tiphys.compiler.frontend.options.k8s_fragments import friendly
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
