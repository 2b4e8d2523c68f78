"""Lowering one task definition to its Argo template (script or container)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tiphys.compiler import ir
from tiphys.compiler.pytask import INPUT_ENV_PREFIX, OUTPUT_DIR

if TYPE_CHECKING:
    from tiphys.compiler.lower import Settings


def task_template(name: str, t: ir.TaskDef, wf: ir.Workflow, settings: Settings) -> dict[str, Any]:
    o = t.options
    tmpl: dict[str, Any] = {"name": name}
    if t.inputs:
        params = []
        for inp in t.inputs:
            p: dict[str, Any] = {"name": inp.name}
            if inp.has_default:
                p["default"] = inp.default
            params.append(p)
        tmpl["inputs"] = {"parameters": params}
    env = [{"name": e.name, "value": e.value} for e in o.env]
    if isinstance(t, ir.PythonTask):
        env += [{"name": f"{INPUT_ENV_PREFIX}{i.name}", "value": f"{{{{inputs.parameters.{i.name}}}}}"}
                for i in t.inputs]
        if t.returns:
            tmpl["outputs"] = {"parameters": [
                {"name": "return", "valueFrom": {"path": f"{OUTPUT_DIR}/return"}}
            ]}
        body: dict[str, Any] = {
            "image": o.image or wf.image or settings.python_image,
            "command": ["python"],
        }
        key, source = "script", t.script
    elif isinstance(t, ir.BashTask):
        env += [{"name": i.name, "value": f"{{{{inputs.parameters.{i.name}}}}}"} for i in t.inputs]
        body = {"image": o.image or settings.bash_image, "command": ["bash"]}
        key, source = "script", t.source
    else:
        env += [{"name": i.name, "value": f"{{{{inputs.parameters.{i.name}}}}}"} for i in t.inputs]
        if t.output_paths:
            tmpl["outputs"] = {"parameters": [
                {"name": n, "valueFrom": {"path": p}} for n, p in t.output_paths
            ]}
        body = {"image": t.image}
        if t.command is not None:
            body["command"] = list(t.command)
        if t.args is not None:
            body["args"] = list(t.args)
        key, source = "container", None
    if env:
        body["env"] = env
    if o.resources:
        body["resources"] = {k: dict(v) for k, v in o.resources}
    if o.mounts:
        mounts = []
        for m in o.mounts:
            mount: dict[str, Any] = {"name": m.volume, "mountPath": m.path}
            if m.read_only:
                mount["readOnly"] = True
            if m.sub_path:
                mount["subPath"] = m.sub_path
            mounts.append(mount)
        body["volumeMounts"] = mounts
    if source is not None:
        body["source"] = source
    tmpl[key] = body
    if o.retries is not None:
        tmpl["retryStrategy"] = {"limit": o.retries}
    if o.timeout is not None:
        tmpl["timeout"] = o.timeout
    if o.node_selector:
        tmpl["nodeSelector"] = dict(o.node_selector)
    if o.tolerations:
        tmpl["tolerations"] = list(o.tolerations)
    return tmpl
