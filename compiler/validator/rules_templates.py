"""Checks on one template body (Argo's validateTemplate, validateLeaf, validateNonLeaf)."""

from __future__ import annotations

import posixpath
import re
from typing import Any

from tiphys.compiler.validator.docctx import DocCtx
from tiphys.compiler.validator.findings import PathT
from tiphys.compiler.validator.model import (
    LEAF_TYPES,
    NAME_RE,
    PARAM_RE,
    POD_TYPES,
    as_dict,
    as_list,
    as_str,
    check_names,
    has,
    is_variable,
    named_items,
    template_types,
)
from tiphys.compiler.validator.rules_artifacts import check_artifact_location
from tiphys.compiler.validator.rules_k8s import check_pod_resources
from tiphys.compiler.validator.rules_metrics import check_metrics
from tiphys.compiler.validator.scope import template_scope

_GO_DURATION = re.compile(
    r"^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h))+\Z|^[-+]?0\Z"
)
RETRY_POLICIES = frozenset({"", "Always", "OnError", "OnFailure", "OnTransientError"})
RESOURCE_ACTIONS = ("get", "create", "apply", "delete", "replace", "patch")
RESERVED_CONTAINERS = frozenset({"wait", "supervisor"})
_TAG = re.compile(r"\{\{.*?\}\}", re.S)


def check_template(ctx: DocCtx, t: dict[str, Any], tp: PathT) -> None:
    rep = ctx.rep
    name = as_str(t.get("name")) or "(unnamed)"
    types = template_types(t)
    if not types:
        rep.add("ARG203", tp, f"template '{name}' has no type; set one of container, script, "
                "steps, dag, resource, suspend, containerSet, data, http or plugin")
    elif len(types) > 1:
        rep.add("ARG204", (*tp, types[1]), f"template '{name}' has several types "
                f"({', '.join(types)}); keep exactly one")
    ttype = types[0] if len(types) == 1 else None
    leaf = ttype in LEAF_TYPES
    nonleaf = ttype in ("steps", "dag")

    _check_inputs(ctx, t, tp, name, leaf)
    for i, c in enumerate(as_list(t.get("initContainers"))):
        if not as_str(as_dict(c).get("name")):
            rep.add("ARG208", (*tp, "initContainers", i), f"template '{name}': init container "
                    f"{i} has no name; name it")
    if has(t, "resourceClaims") and ttype not in POD_TYPES:
        rep.add("ARG209", (*tp, "resourceClaims"), f"template '{name}' creates no pod; "
                "resourceClaims apply only to container, script, containerSet, resource and "
                "data templates; remove them")
    _check_timeouts(ctx, t, tp, name, leaf, nonleaf)
    if has(t, "parallelism"):
        par = t.get("parallelism")
        if leaf:
            rep.add("ARG212", (*tp, "parallelism"), f"template '{name}': parallelism is only "
                    "valid on steps and dag templates; remove it or set it on the caller")
        elif isinstance(par, int) and not isinstance(par, bool) and par < 1:
            rep.add("ARG115", (*tp, "parallelism"), f"template '{name}': parallelism must be "
                    "at least 1")
    if ttype in ("container", "script"):
        _check_container_like(ctx, t, tp, name, ttype)
    if ttype == "containerSet":
        _check_container_set(ctx, t, tp, name)
    for i, sc in named_items(t.get("sidecars")):
        if as_str(sc.get("name")) in RESERVED_CONTAINERS:
            rep.add("ARG215", (*tp, "sidecars", i, "name"), f"template '{name}': sidecar name "
                    f"'{sc.get('name')}' is reserved by Argo; rename it")
    if ttype == "resource":
        _check_resource(ctx, t, tp, name)
    if ttype == "plugin":
        plugin = t.get("plugin")
        if isinstance(plugin, dict) and len(plugin) != 1:
            rep.add("ARG117", (*tp, "plugin"), f"template '{name}': plugin must have exactly one "
                    f"key (the plugin name), found {len(plugin)}")
    check_metrics(ctx, t.get("metrics"), (*tp, "metrics"))
    retry = as_dict(t.get("retryStrategy"))
    check_retry(ctx, retry, (*tp, "retryStrategy"))
    if has(t, "podResources"):
        if ttype in ("http", "plugin"):
            rep.add("ARG114", (*tp, "podResources"), f"template '{name}': podResources cannot be "
                    "set on http or plugin templates; remove it")
        check_pod_resources(ctx, t.get("podResources"), (*tp, "podResources"))
    if has(t, "archiveLocation"):
        check_artifact_location(ctx, as_dict(t.get("archiveLocation")),
                                (*tp, "archiveLocation"), "archiveLocation")
    _check_volumes(ctx, t, tp, name, ttype)

    # variables, then the kind-specific bodies
    scope = template_scope(t, leaf, ttype in POD_TYPES)
    if ttype == "steps":
        from tiphys.compiler.validator.rules_steps import check_steps

        check_steps(ctx, t, tp, scope)
    elif ttype == "dag":
        from tiphys.compiler.validator.rules_dag import check_dag

        check_dag(ctx, t, tp, scope)
    elif ttype is not None:
        ctx.tags.check(t, tp, scope, f"template '{name}'")
    from tiphys.compiler.validator.rules_outputs import check_outputs

    check_outputs(ctx, t, tp, scope, ttype, check_tags=nonleaf)


def check_retry(ctx: DocCtx, retry: dict[str, Any], path: PathT) -> None:
    policy = retry.get("retryPolicy")
    if isinstance(policy, str) and policy not in RETRY_POLICIES and not is_variable(policy):
        ctx.rep.add("ARG222", (*path, "retryPolicy"), f"retryPolicy '{policy}' is unknown; use "
                    "Always, OnError, OnFailure or OnTransientError")


def clean_path_error(path: str) -> str | None:
    if not path:
        return "has no path; set path"
    cleaned = posixpath.normpath(path)
    if cleaned == ".." or cleaned.startswith("../"):
        return f"path '{path}' escapes its directory through '..'; use a path without '..'"
    return None


def _check_inputs(ctx: DocCtx, t: dict[str, Any], tp: PathT, name: str, leaf: bool) -> None:
    rep = ctx.rep
    inputs = as_dict(t.get("inputs"))
    ip = (*tp, "inputs")
    check_names(rep, inputs.get("parameters"), (*ip, "parameters"), "input parameter",
                PARAM_RE, "ARG205", "ARG206")
    check_names(rep, inputs.get("artifacts"), (*ip, "artifacts"), "input artifact",
                PARAM_RE, "ARG205", "ARG206")
    params = as_list(inputs.get("parameters"))
    if len(params) > 500:
        rep.add("ARG901", (*ip, "parameters"), f"template '{name}' has {len(params)} input "
                "parameters; the CRD allows at most 500")
    for i, art in named_items(inputs.get("artifacts")):
        ap = (*ip, "artifacts", i)
        aname = as_str(art.get("name"))
        for key in ("from", "fromExpression"):
            if has(art, key):
                rep.add("ARG207", (*ap, key), f"input artifact '{aname}': {key} is not valid in "
                        "inputs; pass the artifact as an argument at the call site")
        if leaf:
            err = clean_path_error(as_str(art.get("path")))
            if err is not None:
                rep.add("ARG207", ap, f"template '{name}' input artifact '{aname}' {err}")
        elif has(art, "path"):
            rep.add("ARG207", (*ap, "path"), f"input artifact '{aname}': path is only valid "
                    "in container, script and other leaf templates; remove it")
        check_artifact_location(ctx, art, ap, f"input artifact '{aname}'")


def _check_timeouts(ctx: DocCtx, t: dict[str, Any], tp: PathT, name: str, leaf: bool,
                    nonleaf: bool) -> None:
    rep = ctx.rep
    timeout = t.get("timeout")
    if timeout is not None and timeout != "":
        if nonleaf:
            rep.add("ARG210", (*tp, "timeout"), f"template '{name}': timeout cannot be applied "
                    "to steps or dag templates; set it on the leaf templates, or use "
                    "activeDeadlineSeconds on the workflow")
        elif isinstance(timeout, int | float) or (
                isinstance(timeout, str) and not is_variable(timeout)
                and not _GO_DURATION.match(timeout)):
            rep.add("ARG210", (*tp, "timeout"), f"template '{name}': timeout '{timeout}' is not "
                    "a duration; write it with a unit, e.g. '30s' or '10m'")
    if has(t, "pendingTimeout") and nonleaf:
        rep.add("ARG224", (*tp, "pendingTimeout"), f"template '{name}': pendingTimeout is only "
                "valid on leaf templates; remove it")
    ads = t.get("activeDeadlineSeconds")
    if ads is None:
        return
    p = (*tp, "activeDeadlineSeconds")
    if nonleaf:
        rep.add("ARG211", p, f"template '{name}': activeDeadlineSeconds is only valid for leaf "
                "templates; set it on the workflow or on the leaf templates")
    elif isinstance(ads, bool) or not isinstance(ads, int | str):
        rep.add("ARG211", p, f"template '{name}': activeDeadlineSeconds must be a positive "
                "integer or a variable")
    elif isinstance(ads, int) and ads <= 0:
        rep.add("ARG211", p, f"template '{name}': activeDeadlineSeconds must be a positive "
                "integer > 0")
    elif isinstance(ads, str) and not is_variable(ads) and not (ads.isdigit() and int(ads) > 0):
        rep.add("ARG211", p, f"template '{name}': activeDeadlineSeconds '{ads}' must be a "
                "positive integer or a variable")


def _check_container_like(ctx: DocCtx, t: dict[str, Any], tp: PathT, name: str,
                          ttype: str) -> None:
    rep = ctx.rep
    c = as_dict(t.get(ttype))
    mounts: dict[str, str] = {}
    for i, vm in named_items(c.get("volumeMounts")):
        mp = as_str(vm.get("mountPath"))
        if mp in mounts:
            rep.add("ARG223", (*tp, ttype, "volumeMounts", i, "mountPath"), f"template '{name}': "
                    f"mountPath '{mp}' is already mounted by volume '{mounts[mp]}'; use another "
                    "path")
        mounts[mp] = as_str(vm.get("name"))
    for i, art in named_items(as_dict(t.get("inputs")).get("artifacts")):
        ap = as_str(art.get("path"))
        if ap and ap in mounts:
            rep.add("ARG223", (*tp, "inputs", "artifacts", i, "path"), f"template '{name}': "
                    f"input artifact path '{ap}' is already a volume mountPath; use another path")
    if not as_str(c.get("image")):
        defaults = as_dict(as_dict(ctx.spec.get("templateDefaults")).get(ttype))
        if not as_str(defaults.get("image")):
            rep.add("ARG213", (*tp, ttype, "image") if "image" in c else (*tp, ttype),
                    f"template '{name}': {ttype}.image is empty; set an image (or "
                    f"spec.templateDefaults.{ttype}.image)")


def _check_container_set(ctx: DocCtx, t: dict[str, Any], tp: PathT, name: str) -> None:
    rep = ctx.rep
    cs = as_dict(t.get("containerSet"))
    cp = (*tp, "containerSet")
    containers = as_list(cs.get("containers"))
    if not containers:
        rep.add("ARG214", cp, f"template '{name}': containerSet has no containers; add at "
                "least one")
        return
    check_names(rep, containers, (*cp, "containers"), "containerSet container", NAME_RE,
                "ARG214", "ARG214")
    names = {as_str(c.get("name")) for _, c in named_items(containers)}
    mounts: set[str] = set()
    for i, vm in named_items(cs.get("volumeMounts")):
        mp = as_str(vm.get("mountPath"))
        if mp in mounts:
            rep.add("ARG223", (*cp, "volumeMounts", i, "mountPath"), f"template '{name}': "
                    f"mountPath '{mp}' is mounted twice; use another path")
        mounts.add(mp)
    graph: dict[str, list[str]] = {}
    for i, c in named_items(containers):
        cname = as_str(c.get("name"))
        if cname in RESERVED_CONTAINERS:
            rep.add("ARG215", (*cp, "containers", i, "name"), f"template '{name}': container "
                    f"name '{cname}' is reserved by Argo; rename it")
        deps = [as_str(d) for d in as_list(c.get("dependencies"))]
        for j, dep in enumerate(deps):
            if dep not in names:
                rep.add("ARG214", (*cp, "containers", i, "dependencies", j), f"template "
                        f"'{name}': container '{cname}' depends on '{dep}', which is not a "
                        "container of this set")
        graph[cname] = [d for d in deps if d in names]
    from tiphys.compiler.validator.rules_dag import find_cycle

    cycle = find_cycle(graph)
    if cycle:
        rep.add("ARG214", cp, f"template '{name}': containerSet dependency cycle "
                f"{'->'.join(cycle)}; break the cycle")
    outputs = as_dict(t.get("outputs"))
    needs_main = (as_list(as_dict(t.get("inputs")).get("artifacts"))
                  or as_list(outputs.get("parameters")) or as_list(outputs.get("artifacts")))
    if needs_main and "main" not in names:
        rep.add("ARG214", (*cp, "containers"), f"template '{name}': a containerSet with input "
                "artifacts or outputs needs a container named 'main'; rename one")


def _check_resource(ctx: DocCtx, t: dict[str, Any], tp: PathT, name: str) -> None:
    rep = ctx.rep
    r = as_dict(t.get("resource"))
    rp = (*tp, "resource")
    action = as_str(r.get("action"))
    if not is_variable(action) and action not in RESOURCE_ACTIONS:
        rep.add("ARG216", (*rp, "action") if "action" in r else rp, f"template '{name}': "
                f"resource.action '{action}' must be one of {', '.join(RESOURCE_ACTIONS)}")
    manifest = as_str(r.get("manifest"))
    mfrom = r.get("manifestFrom")
    if manifest and mfrom is not None:
        rep.add("ARG217", (*rp, "manifestFrom"), f"template '{name}': set only one of "
                "resource.manifest and resource.manifestFrom")
    elif action not in ("get", "delete") and not manifest and mfrom is None:
        rep.add("ARG217", rp, f"template '{name}': resource.{action or 'action'} needs "
                "resource.manifest or resource.manifestFrom")
    if isinstance(mfrom, dict):
        art = as_str(as_dict(mfrom.get("artifact")).get("name"))
        inputs = {as_str(a.get("name"))
                  for _, a in named_items(as_dict(t.get("inputs")).get("artifacts"))}
        if art not in inputs:
            rep.add("ARG217", (*rp, "manifestFrom", "artifact"), f"template '{name}': "
                    f"manifestFrom artifact '{art}' is not an input artifact; declare it under "
                    "inputs.artifacts")
    if manifest:
        import yaml  # here: a compile that has no resource template need not import PyYAML

        try:
            for _ in yaml.compose_all(_TAG.sub("x", manifest), Loader=yaml.CSafeLoader):
                pass
        except yaml.YAMLError as e:
            rep.add("ARG218", (*rp, "manifest"), f"template '{name}': resource.manifest is not "
                    f"valid YAML ({str(e).splitlines()[0]}); fix the manifest")


def _check_volumes(ctx: DocCtx, t: dict[str, Any], tp: PathT, name: str,
                   ttype: str | None) -> None:
    """Every volumeMount names a declared volume (the controller fails the pod otherwise)."""
    if has(t, "podSpecPatch") or has(ctx.spec, "podSpecPatch"):
        return  # a patch may add volumes
    declared = ctx.volumes | {as_str(v.get("name")) for _, v in named_items(t.get("volumes"))}
    mounts: list[tuple[PathT, Any]] = []
    if ttype in ("container", "script"):
        mounts.append(((*tp, ttype), t.get(ttype)))
    if ttype == "containerSet":
        cs = as_dict(t.get("containerSet"))
        mounts.append(((*tp, "containerSet"), cs))
        mounts += [((*tp, "containerSet", "containers", i), c)
                   for i, c in named_items(cs.get("containers"))]
    for key in ("initContainers", "sidecars"):
        mounts += [((*tp, key, i), c) for i, c in named_items(t.get(key))]
    code = "ARG903" if ctx.is_template_kind else "ARG902"
    for cpath, c in mounts:
        for i, vm in named_items(as_dict(c).get("volumeMounts")):
            vname = as_str(vm.get("name"))
            if vname and vname not in declared and not is_variable(vname):
                tail = ("; every workflow that calls this template must declare it"
                        if code == "ARG903" else "")
                ctx.rep.add(code, (*cpath, "volumeMounts", i, "name"), f"template '{name}': "
                            f"volume '{vname}' is not declared in template volumes, spec.volumes "
                            f"or spec.volumeClaimTemplates; declare it{tail}")
