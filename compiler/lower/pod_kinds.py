"""Lowering containerSet, data and executor-plugin templates."""

from __future__ import annotations

from typing import Any

from tiphys.compiler import ir
from tiphys.compiler.lower.task import _env, _env_source, _run_control


def pod_kind_template(name: str,
                      t: ir.ContainerSetTask | ir.DataTask | ir.PluginTask) -> dict[str, Any]:
    tmpl: dict[str, Any] = {"name": name}
    if t.inputs:
        params = []
        for inp in t.inputs:
            if inp.artifact:
                continue
            p: dict[str, Any] = {"name": inp.name}
            if inp.has_default:
                p["default"] = inp.default
            params.append(p)
        if params:
            tmpl["inputs"] = {"parameters": params}
    if isinstance(t, ir.DataTask):
        source = {"name": t.source_name, **t.source.to_argo()}
        tmpl["data"] = {
            "source": {"artifactPaths": source},
            "transformation": [{"expression": e} for e in t.transformations],
        }
    elif isinstance(t, ir.PluginTask):
        tmpl["plugin"] = {t.plugin: t.config}
    else:
        _container_set(tmpl, t)
    _run_control(tmpl, t.options, t.options.extra)
    x = t.options.extra
    if x.service_account is not None:
        tmpl["serviceAccountName"] = x.service_account
    if t.options.node_selector:
        tmpl["nodeSelector"] = dict(t.options.node_selector)
    return tmpl


def _container_set(tmpl: dict[str, Any], t: ir.ContainerSetTask) -> None:
    if t.output_paths:
        tmpl["outputs"] = {"parameters": [
            {"name": n, "valueFrom": {"path": p}} for n, p in t.output_paths
        ]}
    x = t.options.extra
    if x.labels or x.annotations:
        tmpl["metadata"] = {k: dict(v) for k, v in (("labels", x.labels),
                                                     ("annotations", x.annotations)) if v}
    params = [i for i in t.inputs if not i.artifact]
    body: dict[str, Any] = {}
    if t.options.mounts:
        body["volumeMounts"] = [
            {"name": m.volume, "mountPath": m.path, **({"readOnly": True} if m.read_only else {}),
             **({"subPath": m.sub_path} if m.sub_path else {})}
            for m in t.options.mounts
        ]
    containers = []
    for c in t.containers:
        out: dict[str, Any] = {"name": c.name, "image": c.image}
        if c.command is not None:
            out["command"] = list(c.command)
        if c.args is not None:
            out["args"] = list(c.args)
        if c.working_dir is not None:
            out["workingDir"] = c.working_dir
        # Each container sees the set's inputs as variables of the same name.
        env = _env([*c.env, *((i.name, f"{{{{inputs.parameters.{i.name}}}}}") for i in params)],
                   c.env_refs)
        if env:
            out["env"] = env
        if c.env_from:
            out["envFrom"] = [_env_source(s) for s in c.env_from]
        if c.resources:
            out["resources"] = {k: dict(v) for k, v in c.resources}
        if c.dependencies:
            out["dependencies"] = list(c.dependencies)
        containers.append(out)
    body["containers"] = containers
    tmpl["containerSet"] = body
