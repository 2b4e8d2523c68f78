"""Template holders (entrypoint, onExit, hooks, steps, tasks) and call sites: resolution of
``template``/``templateRef``, argument lists, and inputs supplied at every call."""

from __future__ import annotations

from typing import Any

from tiphys.compiler.validator.docctx import DocCtx
from tiphys.compiler.validator.findings import PathT
from tiphys.compiler.validator.model import (
    PARAM_RE,
    as_dict,
    as_list,
    as_str,
    check_names,
    has,
    is_variable,
    named_items,
    spec_templates,
)

ARTIFACT_LOCATIONS = (
    "s3", "git", "http", "artifactory", "hdfs", "raw", "oss", "gcs", "azure", "plugin",
)
#: An argument's valueFrom needs one of these (``default`` may accompany it) ...
ARG_VALUEFROM_SOURCES = ("configMapKeyRef", "event", "supplied")
#: ... and may not use these, which only make sense for outputs (Argo's
#: validateArgumentsValues, for workflow, step and task arguments alike).
ARG_VALUEFROM_FORBIDDEN = ("path", "jsonPath", "parameter", "expression")

#: Marker for "resolves, but the callee is not known offline".
UNKNOWN: dict[str, Any] = {}


def resolve_holder(ctx: DocCtx, holder: dict[str, Any], path: PathT, what: str
                   ) -> dict[str, Any] | None:
    """The template a step/task/hook calls. None when it cannot be known offline (or is wrong;
    the problem is reported)."""
    tname = holder.get("template")
    ref = holder.get("templateRef")
    inline = holder.get("inline")
    set_ = [k for k, v in (("template", tname), ("templateRef", ref), ("inline", inline))
            if v is not None and v != ""]
    if len(set_) > 1:
        ctx.rep.add("ARG302", (*path, set_[1]), f"{what} sets {' and '.join(set_)}; "
                    "keep exactly one of template, templateRef and inline")
        return None
    if not set_:
        ctx.rep.add("ARG303", path, f"{what} calls nothing; set template, templateRef or inline")
        return None
    if inline is not None:
        return as_dict(inline)
    if tname is not None:
        name = as_str(tname)
        if is_variable(name):
            ctx.rep.add("ARG306", (*path, "template"), f"{what} names template '{name}' "
                        "through a variable; it is resolved only at run time")
            return None
        t = ctx.templates.get(name)
        if t is None:
            ctx.rep.add("ARG301", (*path, "template"), f"{what}: template '{name}' is not "
                        "defined in spec.templates; fix the name or add the template")
        return t
    return resolve_ref(ctx, as_dict(ref), (*path, "templateRef"), what)


def resolve_ref(ctx: DocCtx, ref: dict[str, Any], path: PathT, what: str
                ) -> dict[str, Any] | None:
    name, tmpl = as_str(ref.get("name")), as_str(ref.get("template"))
    if not name or not tmpl:
        missing = "name" if not name else "template"
        ctx.rep.add("ARG303", (*path, missing) if missing in ref else path,
                    f"{what}: templateRef.{missing} is empty; set it")
        return None
    if is_variable(name) or is_variable(tmpl):
        ctx.rep.add("ARG306", path, f"{what}: templateRef {name}/{tmpl} uses a variable; "
                    "it is resolved only at run time")
        return None
    cluster = ref.get("clusterScope") is True
    kind = "ClusterWorkflowTemplate" if cluster else "WorkflowTemplate"
    holder = ctx.batch.holder(name, cluster)
    if holder is None:
        ctx.rep.add("ARG304", (*path, "name"), f"{what}: {kind} '{name}' is not among the files "
                    "validated; it must exist in the cluster (pass its file too to check it)")
        return None
    found = spec_templates(as_dict(holder.get("spec"))).get(tmpl)
    if found is None:
        ctx.rep.add("ARG305", (*path, "template"), f"{what}: {kind} '{name}' has no template "
                    f"'{tmpl}'; fix templateRef.template or add the template there")
    return found


def _check_argument_value_from(ctx: DocCtx, vf: dict[str, Any], path: PathT, name: str,
                               workflow_level: bool) -> None:
    what = "workflow argument" if workflow_level else "argument"
    hint = "use value, or valueFrom.configMapKeyRef, .event or .supplied (with an optional default)"
    bad = [k for k in ARG_VALUEFROM_FORBIDDEN if vf.get(k) not in (None, "")]
    if bad:
        ctx.rep.add("ARG108", (*path, bad[0]), f"{what} '{name}' cannot take its value from "
                    f"valueFrom.{bad[0]}; {hint}")
    elif not any(vf.get(k) not in (None, "") for k in ARG_VALUEFROM_SOURCES):
        ctx.rep.add("ARG108", path, f"{what} '{name}': valueFrom has no source Argo allows "
                    f"for an argument; {hint}")


def check_arguments(ctx: DocCtx, args: Any, path: PathT, *, allow_empty: bool,
                    workflow_level: bool) -> None:
    """Argument names, values, enums and artifact sources (Argo's validateArguments)."""
    a = as_dict(args)
    check_names(ctx.rep, a.get("parameters"), (*path, "parameters"), "argument parameter",
                PARAM_RE, "ARG105", "ARG106")
    check_names(ctx.rep, a.get("artifacts"), (*path, "artifacts"), "argument artifact",
                PARAM_RE, "ARG105", "ARG106")
    for i, p in named_items(a.get("parameters")):
        pp = (*path, "parameters", i)
        name = as_str(p.get("name"))
        if not has(p, "value") and not has(p, "valueFrom") and not allow_empty:
            ctx.rep.add("ARG107", pp, f"argument parameter '{name}' has no value; set value "
                        "(or valueFrom)")
        vf = p.get("valueFrom")
        if isinstance(vf, dict):
            _check_argument_value_from(ctx, vf, (*pp, "valueFrom"), name, workflow_level)
        if "enum" in p:
            enum = as_list(p.get("enum"))
            if not enum:
                ctx.rep.add("ARG109", (*pp, "enum"), f"parameter '{name}' has an empty enum; "
                            "list the allowed values or remove enum")
            elif has(p, "value"):
                value = as_str(p.get("value"))
                if not is_variable(value) and value not in {as_str(e) for e in enum}:
                    ctx.rep.add("ARG109", (*pp, "value"), f"parameter '{name}' value '{value}' "
                                "is not one of its enum values; pick one of them")
    for i, art in named_items(a.get("artifacts")):
        ap = (*path, "artifacts", i)
        name = as_str(art.get("name"))
        has_loc = any(has(art, k) for k in ARTIFACT_LOCATIONS)
        if not has(art, "from") and not has(art, "fromExpression") and not has_loc \
                and not allow_empty:
            ctx.rep.add("ARG110", ap, f"argument artifact '{name}' has no source; set from, "
                        "fromExpression or an artifact location")
        if has(art, "from") and has(art, "fromExpression"):
            ctx.rep.add("ARG110", (*ap, "fromExpression"), f"argument artifact '{name}' has "
                        "both from and fromExpression; keep one")


def check_inputs_supplied(ctx: DocCtx, callee: dict[str, Any], args: Any, path: PathT,
                          what: str) -> None:
    """Every input of *callee* without a value/default is given an argument of that name."""
    a = as_dict(args)
    given_p = {as_str(p.get("name")) for _, p in named_items(a.get("parameters"))}
    given_a = {as_str(x.get("name")) for _, x in named_items(a.get("artifacts"))}
    cname = as_str(callee.get("name")) or "(inline)"
    inputs = as_dict(callee.get("inputs"))
    for _, p in named_items(inputs.get("parameters")):
        name = as_str(p.get("name"))
        if has(p, "value") or has(p, "default") or has(p, "valueFrom") or name in given_p:
            continue
        ctx.rep.add("ARG307", path, f"{what}: inputs.parameters.{name} of template '{cname}' "
                    f"was not supplied; pass an argument '{name}' or give the input a default")
    for _, art in named_items(inputs.get("artifacts")):
        name = as_str(art.get("name"))
        if art.get("optional") is True or name in given_a:
            continue
        if any(has(art, k) for k in ARTIFACT_LOCATIONS) or has(art, "from"):
            continue
        ctx.rep.add("ARG308", path, f"{what}: inputs.artifacts.{name} of template '{cname}' "
                    f"was not supplied; pass an artifact '{name}' or mark the input optional")


def check_hooks(ctx: DocCtx, hooks: Any, path: PathT, *, need_expression: bool) -> None:
    for name, hook in as_dict(hooks).items():
        h = as_dict(hook)
        if need_expression and name != "exit" and not as_str(h.get("expression")):
            ctx.rep.add("ARG111", (*path, name), f"lifecycle hook '{name}' has no expression; "
                        "add one (only the 'exit' hook runs without)")
        resolve_holder(ctx, h, (*path, name), f"hook '{name}'")
        check_arguments(ctx, h.get("arguments"), (*path, name, "arguments"),
                        allow_empty=False, workflow_level=False)
