"""Template outputs (Argo's validateOutputs and validateOutputParameter)."""

from __future__ import annotations

from typing import Any

from tiphys.compiler.validator.docctx import DocCtx
from tiphys.compiler.validator.findings import PathT
from tiphys.compiler.validator.model import (
    LEAF_TYPES,
    PARAM_RE,
    as_dict,
    as_str,
    check_names,
    has,
    is_variable,
    named_items,
    shown,
)
from tiphys.compiler.validator.rules_artifacts import check_artifact_location
from tiphys.compiler.validator.scope import Scope

_SOURCES = ("path", "jqFilter", "jsonPath", "parameter", "expression")


def check_outputs(ctx: DocCtx, t: dict[str, Any], tp: PathT, scope: Scope, ttype: str | None,
                  *, check_tags: bool) -> None:
    rep = ctx.rep
    tname = as_str(t.get("name"))
    outputs = as_dict(t.get("outputs"))
    if not outputs:
        return
    op = (*tp, "outputs")
    check_names(rep, outputs.get("parameters"), (*op, "parameters"), "output parameter",
                PARAM_RE, "ARG701", "ARG702")
    check_names(rep, outputs.get("artifacts"), (*op, "artifacts"), "output artifact",
                PARAM_RE, "ARG701", "ARG702")
    if check_tags:  # leaf templates had their whole body checked already
        ctx.tags.check(outputs, op, scope, f"outputs of template '{tname}'")
    leaf = ttype in LEAF_TYPES
    for i, art in named_items(outputs.get("artifacts")):
        ap = (*op, "artifacts", i)
        aname = as_str(art.get("name"))
        if leaf:
            from tiphys.compiler.validator.rules_templates import clean_path_error

            err = clean_path_error(as_str(art.get("path")))
            if err is not None:
                rep.add("ARG703", ap, f"template '{tname}' output artifact '{aname}' {err}")
        elif has(art, "path") and ttype is not None:
            rep.add("ARG703", (*ap, "path"), f"template '{tname}' output artifact '{aname}': "
                    "path is only valid in leaf templates; use from instead")
        _check_global_name(ctx, art, ap, f"output artifact '{aname}'")
        check_artifact_location(ctx, art, ap, f"output artifact '{aname}'")
    for i, param in named_items(outputs.get("parameters")):
        pp = (*op, "parameters", i)
        pname = as_str(param.get("name"))
        what = f"template '{tname}' output parameter '{pname}'"
        _check_param_source(ctx, param, pp, what, ttype)
        _check_global_name(ctx, param, pp, f"output parameter '{pname}'")


def _check_param_source(ctx: DocCtx, param: dict[str, Any], pp: PathT, what: str,
                        ttype: str | None) -> None:
    rep = ctx.rep
    has_value, vf = has(param, "value"), param.get("valueFrom")
    if has_value and vf is not None:
        rep.add("ARG704", (*pp, "valueFrom"), f"{what} has both value and valueFrom; keep one")
        return
    if has_value:
        return
    if vf is None:
        rep.add("ARG704", pp, f"{what} has neither value nor valueFrom; set one")
        return
    v = as_dict(vf)
    vp = (*pp, "valueFrom")
    sources = [k for k in _SOURCES if as_str(v.get(k))]
    if v.get("supplied") is not None:
        sources.append("supplied")
    if not sources:
        rep.add("ARG705", vp, f"{what}: valueFrom must name a source (path, jqFilter, jsonPath, "
                "parameter, expression or supplied)")
    elif len(sources) > 1:
        rep.add("ARG705", (*vp, sources[1]), f"{what}: valueFrom names several sources "
                f"({', '.join(sources)}); keep one")
    if ttype in ("container", "containerSet", "script"):
        if not as_str(v.get("path")):
            rep.add("ARG706", vp, f"{what}: {ttype} templates take output parameters from a "
                    "file; set valueFrom.path")
    elif ttype == "resource":
        if not as_str(v.get("jqFilter")) and not as_str(v.get("jsonPath")):
            rep.add("ARG706", vp, f"{what}: resource templates need valueFrom.jqFilter or "
                    "valueFrom.jsonPath")
    elif ttype in ("steps", "dag"):
        has_p, has_e = bool(as_str(v.get("parameter"))), bool(as_str(v.get("expression")))
        if not has_p and not has_e:
            rep.add("ARG706", vp, f"{what}: {ttype} templates need valueFrom.parameter or "
                    "valueFrom.expression")


def _check_global_name(ctx: DocCtx, obj: dict[str, Any], path: PathT, what: str) -> None:
    g = as_str(obj.get("globalName"))
    if g and not is_variable(g) and not PARAM_RE.match(g):
        ctx.rep.add("ARG707", (*path, "globalName"), f"{what}: globalName '{g}' is invalid; it "
                    f"must match {shown(PARAM_RE)}")
