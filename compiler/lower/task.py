"""Lowering one task definition to its Argo template (script or container).

Keys go in one fixed order, the order the YAML shows: what the template is called and takes
(name, inputs, outputs), how its pod is labelled and kept (metadata, daemon), the main
container, the other containers, then run control (retries, timeouts, memoization,
synchronization) and placement (service account, security, node selection, patch).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tiphys.compiler import ir
from tiphys.compiler.ir import task as ir_task
from tiphys.compiler.ir.core import INPUT_ENV_PREFIX, OUTPUT_DIR

if TYPE_CHECKING:
    from tiphys.compiler.lower.workflow import Settings


def task_template(
    name: str, t: ir.PythonTask | ir.BashTask | ir.ContainerTask, wf: ir.Workflow,
    settings: Settings,
) -> dict[str, Any]:
    o = t.options
    x = o.extra
    tmpl: dict[str, Any] = {"name": name}
    if t.inputs:
        params = []
        for inp in t.inputs:
            p: dict[str, Any] = {"name": inp.name}
            if inp.has_default:
                p["default"] = inp.default
            params.append(p)
        tmpl["inputs"] = {"parameters": params}
    env = _env([(e.name, e.value) for e in o.env], x.env_refs)
    if isinstance(t, ir.PythonTask):
        env += [{"name": f"{INPUT_ENV_PREFIX}{i.name}", "value": f"{{{{inputs.parameters.{i.name}}}}}"}
                for i in t.inputs]
        # A daemon keeps running: it never writes its return value (reading it is TPH178).
        if t.returns and not x.daemon and t.outputs:
            # "return", or one parameter per field of a record return (its own file).
            tmpl["outputs"] = {"parameters": [
                {"name": n, "valueFrom": {"path": f"{OUTPUT_DIR}/{n}"}} for n in t.outputs
            ]}
        body: dict[str, Any] = {
            "image": o.image or wf.image or settings.python_image,
            "command": ["python"],
        }
        key, source = "script", t.script
    elif isinstance(t, ir.BashTask):
        env += [{"name": i.name, "value": f"{{{{inputs.parameters.{i.name}}}}}"} for i in t.inputs]
        body = {"image": o.image or settings.bash_image,
                "command": list(t.command) if t.command else [t.shell]}
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
    if x.env_from:
        body["envFrom"] = [_env_source(s) for s in x.env_from]
    if o.resources:
        body["resources"] = {k: dict(v) for k, v in o.resources}
    if o.mounts:
        body["volumeMounts"] = [volume_mount(m) for m in o.mounts]
    if x.container_security_context is not None:
        body["securityContext"] = x.container_security_context
    body.update(x.container_fields)  # workingDir, ports, probes, lifecycle
    if source is not None:
        body["source"] = source
    metadata: dict[str, Any] = {}
    if x.labels:
        metadata["labels"] = dict(x.labels)
    if x.annotations:
        metadata["annotations"] = dict(x.annotations)
    if metadata:
        tmpl["metadata"] = metadata
    if x.daemon:
        tmpl["daemon"] = True
    tmpl[key] = body
    if x.init_containers:
        tmpl["initContainers"] = [_user_container(c) for c in x.init_containers]
    if x.sidecars:
        tmpl["sidecars"] = [_user_container(c) for c in x.sidecars]
    _run_control(tmpl, o, x)
    if x.service_account is not None:
        tmpl["serviceAccountName"] = x.service_account
    if x.security_context is not None:
        tmpl["securityContext"] = x.security_context
    if o.node_selector:
        tmpl["nodeSelector"] = dict(o.node_selector)
    if x.affinity is not None:
        tmpl["affinity"] = x.affinity
    if o.tolerations:
        tmpl["tolerations"] = list(o.tolerations)
    if x.pod_spec_patch is not None:
        tmpl["podSpecPatch"] = x.pod_spec_patch
    return tmpl


def _run_control(tmpl: dict[str, Any], o: ir.TaskOptions, x: ir_task.TaskExtras) -> None:
    if o.retries is not None:
        strategy: dict[str, Any] = {"limit": o.retries}
        if x.retry is not None:
            if x.retry.policy is not None:
                strategy["retryPolicy"] = x.retry.policy
            if x.retry.expression is not None:
                strategy["expression"] = x.retry.expression
            if x.retry.backoff is not None:
                strategy["backoff"] = _backoff(x.retry.backoff)
        tmpl["retryStrategy"] = strategy
    if o.timeout is not None:
        tmpl["timeout"] = o.timeout
    if x.active_deadline is not None:
        tmpl["activeDeadlineSeconds"] = x.active_deadline
    if x.memoize is not None:
        tmpl["memoize"] = {
            "key": x.memoize.key,
            "maxAge": x.memoize.max_age,
            "cache": {"configMap": {"name": x.memoize.cache}},
        }
    if x.locks:
        tmpl["synchronization"] = synchronization(x.locks)


def synchronization(locks: tuple[ir_task.Lock, ...]) -> dict[str, Any]:
    """Argo 4's ``synchronization``: lists of mutexes and semaphores (templates and specs)."""
    sync: dict[str, Any] = {}
    mutexes = [_lock(lock) for lock in locks if lock.kind == "mutex"]
    semaphores = [_lock(lock) for lock in locks if lock.kind == "semaphore"]
    if mutexes:
        sync["mutexes"] = mutexes
    if semaphores:
        sync["semaphores"] = semaphores
    return sync


def _backoff(b: ir_task.Backoff) -> dict[str, Any]:
    out: dict[str, Any] = {"duration": b.duration}
    if b.factor is not None:
        out["factor"] = b.factor
    if b.max_duration is not None:
        out["maxDuration"] = b.max_duration
    if b.cap is not None:
        out["cap"] = b.cap
    return out


def _lock(lock: ir_task.Lock) -> dict[str, Any]:
    out: dict[str, Any]
    if lock.kind == "mutex":
        out = {"name": lock.name}
        if lock.database:
            out["database"] = True
    elif lock.database:
        out = {"database": {"key": lock.key}}
    else:
        out = {"configMapKeyRef": {"name": lock.name, "key": lock.key}}
    if lock.namespace is not None:
        out["namespace"] = lock.namespace
    return out


def _env(literals: list[tuple[str, str]], refs: tuple[ir_task.EnvRef, ...]) -> list[dict[str, Any]]:
    """Literal variables and Secret/ConfigMap references, together sorted by name."""
    entries: list[tuple[str, dict[str, Any]]] = [
        (name, {"name": name, "value": value}) for name, value in literals
    ]
    for ref in refs:
        selector: dict[str, Any] = {"name": ref.source, "key": ref.key}
        if ref.optional:
            selector["optional"] = True
        kind = "secretKeyRef" if ref.kind == "secret" else "configMapKeyRef"
        entries.append((ref.name, {"name": ref.name, "valueFrom": {kind: selector}}))
    return [entry for _, entry in sorted(entries, key=lambda e: e[0])]


def _env_source(s: ir_task.EnvSource) -> dict[str, Any]:
    ref: dict[str, Any] = {"name": s.source}
    if s.optional:
        ref["optional"] = True
    out: dict[str, Any] = {"secretRef" if s.kind == "secret" else "configMapRef": ref}
    if s.prefix is not None:
        out["prefix"] = s.prefix
    return out


def volume_mount(m: ir.Mount) -> dict[str, Any]:
    mount: dict[str, Any] = {"name": m.volume, "mountPath": m.path}
    if m.read_only:
        mount["readOnly"] = True
    if m.sub_path:
        mount["subPath"] = m.sub_path
    return mount


def _user_container(c: ir_task.UserContainer) -> dict[str, Any]:
    out: dict[str, Any] = {"name": c.name, "image": c.image}
    if c.command is not None:
        out["command"] = list(c.command)
    if c.args is not None:
        out["args"] = list(c.args)
    env = _env(list(c.env), c.env_refs)
    if env:
        out["env"] = env
    if c.resources:
        out["resources"] = {k: dict(v) for k, v in c.resources}
    if c.mounts:
        out["volumeMounts"] = [volume_mount(m) for m in c.mounts]
    if c.mirror_volume_mounts:
        out["mirrorVolumeMounts"] = True
    return out
