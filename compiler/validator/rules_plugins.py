"""Workflow-level executor plugins (``spec.executorPlugins``).

Argo converts each entry to its executor-plugin spec and validates it while validating the
workflow: the plugin needs a name (it names the sidecar and its service account), and the
sidecar container needs at least one port, resource requests and limits, and a security
context (``pkg/plugins/spec`` ``Sidecar.Validate``, checked in that order; Go reports the first).
"""

from __future__ import annotations

from typing import Any

from tiphys.compiler.validator.findings import PathT, Reporter
from tiphys.compiler.validator.model import as_dict, as_list, as_str


def check_executor_plugins(rep: Reporter, plugins: Any, path: PathT) -> None:
    for i, plugin in enumerate(as_list(plugins)):
        pp: PathT = (*path, i)
        if not isinstance(plugin, dict):
            continue
        meta = as_dict(plugin.get("metadata"))
        if not as_str(meta.get("name")):
            rep.add("ARG117", (*pp, "metadata") if "metadata" in plugin else pp,
                    f"executor plugin #{i}: metadata.name is required; name the plugin")
        sidecar = as_dict(as_dict(plugin.get("spec")).get("sidecar"))
        container = as_dict(sidecar.get("container"))
        cp: PathT = (*pp, "spec", "sidecar", "container")
        problem = _sidecar_problem(container)
        if problem is not None:
            rep.add("ARG117", cp if container else pp, f"executor plugin #{i}: the sidecar "
                    f"container {problem}")


def _sidecar_problem(container: dict[str, Any]) -> str | None:
    if not as_list(container.get("ports")):
        return "needs at least one port (ports: [{containerPort: N}])"
    resources = as_dict(container.get("resources"))
    for key in ("requests", "limits"):
        if not isinstance(resources.get(key), dict):
            return f"needs resources.{key}"
    if not isinstance(container.get("securityContext"), dict):
        return "needs a securityContext"
    return None
