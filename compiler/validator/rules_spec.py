"""Document-level checks: kind, metadata, and the WorkflowSpec (Argo's validate.Workflow)."""

from __future__ import annotations

from typing import Any

from tiphys.compiler.validator.docctx import DocCtx
from tiphys.compiler.validator.findings import PathT, Reporter
from tiphys.compiler.validator.model import (
    API_VERSION,
    NAME_MAX,
    NAME_RE,
    Batch,
    as_dict,
    as_list,
    as_str,
    check_names,
    has,
    named_items,
    spec_templates,
)
from tiphys.compiler.validator.rules_calls import (
    check_arguments,
    check_hooks,
    check_inputs_supplied,
)
from tiphys.compiler.validator.rules_cron import check_cron
from tiphys.compiler.validator.rules_k8s import (
    check_annotations,
    check_labels,
    check_pod_resources,
    dns_subdomain_error,
    selector_errors,
)
from tiphys.compiler.validator.rules_metrics import check_metrics
from tiphys.compiler.validator.rules_plugins import check_executor_plugins
from tiphys.compiler.validator.rules_templates import check_retry, check_template
from tiphys.compiler.validator.scope import Scope, TagChecker

POD_GC = frozenset({"", "OnPodCompletion", "OnPodSuccess", "OnWorkflowCompletion",
                    "OnWorkflowSuccess"})


def check_document(doc: dict[str, Any], batch: Batch, rep: Reporter) -> None:
    kind = as_str(doc.get("kind"))
    if doc.get("apiVersion") != API_VERSION:
        rep.add("ARG003", ("apiVersion",), f"apiVersion of a {kind} must be '{API_VERSION}', "
                f"not '{as_str(doc.get('apiVersion'))}'")
    # Missing metadata decodes to empty metadata; only the API server then refuses the missing
    # name (ARG012). A value of the wrong type is reported by strict decoding (ARG006).
    meta = as_dict(doc.get("metadata"))
    _check_metadata(rep, kind, meta)
    spec = doc.get("spec")
    if not isinstance(spec, dict):
        rep.add("ARG004", ("spec",), f"{kind} needs spec (a mapping)")
        return
    sp: PathT = ("spec",)
    if kind == "CronWorkflow":
        check_cron(rep, spec)
        spec = spec.get("workflowSpec")
        sp = ("spec", "workflowSpec")
        if not isinstance(spec, dict):
            rep.add("ARG004", sp, "CronWorkflow needs spec.workflowSpec (a mapping)")
            return
    ctx = DocCtx(kind, doc, spec, sp, rep, batch, spec_templates(spec),
                 TagChecker(rep, _global_scope(kind, doc, spec, batch)))
    ctx.volumes = {as_str(v.get("name")) for _, v in named_items(spec.get("volumes"))}
    ctx.volumes |= {as_str(as_dict(v.get("metadata")).get("name"))
                    for _, v in named_items(spec.get("volumeClaimTemplates"))}
    check_spec(ctx)


def _check_metadata(rep: Reporter, kind: str, meta: dict[str, Any]) -> None:
    name = as_str(meta.get("name"))
    gen = as_str(meta.get("generateName"))
    if not name and not gen:
        rep.add("ARG012", ("metadata",), f"{kind} metadata needs a name (or generateName)")
    limit = 52 if kind == "CronWorkflow" else 63
    if name:
        if len(name) > limit:
            rep.add("ARG010", ("metadata", "name"), f"{kind} name '{name}' is {len(name)} "
                    f"characters; the limit is {limit}, shorten it")
        err = dns_subdomain_error(name)
        if err:
            rep.add("ARG011", ("metadata", "name"), f"name '{name}' {err}")
    if gen:
        err = dns_subdomain_error(gen.rstrip("-") or "x")
        if err:
            rep.add("ARG011", ("metadata", "generateName"), f"generateName '{gen}' {err}")
    check_labels(rep, meta.get("labels"), ("metadata", "labels"))
    check_annotations(rep, meta.get("annotations"), ("metadata", "annotations"))


def _global_scope(kind: str, doc: dict[str, Any], spec: dict[str, Any], batch: Batch) -> Scope:
    g = Scope()
    n = g.names
    n.update(f"workflow.{x}" for x in (
        "name", "namespace", "uid", "serviceAccountName", "mainEntrypoint", "status",
        "parameters", "parameters.json", "annotations", "labels", "annotations.json",
        "labels.json",
    ))
    if has(spec, "priority"):
        n.add("workflow.priority")
    params = [as_str(p.get("name"))
              for _, p in named_items(as_dict(spec.get("arguments")).get("parameters"))]
    ref = as_dict(spec.get("workflowTemplateRef"))
    if ref:
        held = batch.holder(as_str(ref.get("name")), ref.get("clusterScope") is True)
        hspec = as_dict(as_dict(held).get("spec"))
        params += [as_str(p.get("name"))
                   for _, p in named_items(as_dict(hspec.get("arguments")).get("parameters"))]
    n.update(f"workflow.parameters.{p}" for p in params)
    if kind in ("WorkflowTemplate", "ClusterWorkflowTemplate"):
        g.prefixes.append("workflow.parameters.")
    metas = [as_dict(doc.get("metadata")), as_dict(spec.get("workflowMetadata"))]
    if kind == "CronWorkflow":
        metas.append(as_dict(as_dict(doc.get("spec")).get("workflowMetadata")))
    for m in metas:
        n.update(f"workflow.labels.{k}" for k in as_dict(m.get("labels")))
        n.update(f"workflow.labels.{k}" for k in as_dict(m.get("labelsFrom")))
        n.update(f"workflow.annotations.{k}" for k in as_dict(m.get("annotations")))
    hooks = as_dict(spec.get("hooks"))
    if has(spec, "onExit") or "exit" in hooks:
        n.add("workflow.failures")
    _add_global_outputs(g, spec)
    return g


def _add_global_outputs(g: Scope, spec: dict[str, Any]) -> None:
    def visit(t: dict[str, Any]) -> None:
        outs = as_dict(t.get("outputs"))
        for key in ("parameters", "artifacts"):
            for _, o in named_items(outs.get(key)):
                gname = as_str(o.get("globalName"))
                if "{{" in gname:
                    g.prefixes.append(f"workflow.outputs.{key}.")
                elif gname:
                    g.names.add(f"workflow.outputs.{key}.{gname}")

    for _, t in named_items(spec.get("templates")):
        visit(t)
        for group in as_list(t.get("steps")):
            for s in as_list(group):
                if isinstance(s, dict) and isinstance(s.get("inline"), dict):
                    visit(s["inline"])
                if isinstance(s, dict) and has(s, "templateRef"):
                    g.prefixes.append("workflow.outputs.")
        for _, task in named_items(as_dict(t.get("dag")).get("tasks")):
            if isinstance(task.get("inline"), dict):
                visit(task["inline"])
            if has(task, "templateRef"):
                g.prefixes.append("workflow.outputs.")


def check_spec(ctx: DocCtx) -> None:
    rep, spec, sp, kind = ctx.rep, ctx.spec, ctx.sp, ctx.kind
    templates = as_list(spec.get("templates"))
    ref = spec.get("workflowTemplateRef")
    held: dict[str, Any] | None = None
    if kind == "Workflow" and ref is not None:
        if templates:
            rep.add("ARG104", (*sp, "templates"), "a Workflow with workflowTemplateRef cannot "
                    "have templates of its own; move them to the WorkflowTemplate")
        r = as_dict(ref)
        cluster = r.get("clusterScope") is True
        held = ctx.batch.holder(as_str(r.get("name")), cluster)
        if held is None:
            k = "ClusterWorkflowTemplate" if cluster else "WorkflowTemplate"
            rep.add("ARG116", (*sp, "workflowTemplateRef"), f"{k} '{as_str(r.get('name'))}' is "
                    "not among the files validated; it must exist in the cluster")
    if len(templates) > 200:
        rep.add("ARG901", (*sp, "templates"), f"{len(templates)} templates; Argo's full CRD allows at "
                "most 200, so a cluster that installed the full CRDs rejects this document (the "
                "default minimal CRDs accept it): split it with templateRef if that matters")
    check_names(rep, templates, (*sp, "templates"), "template", NAME_RE, "ARG201", "ARG202",
                NAME_MAX)
    _check_entrypoint(ctx, held, ref is not None)
    on_exit = as_str(spec.get("onExit"))
    if on_exit and on_exit not in ctx.templates and ref is None:
        rep.add("ARG103", (*sp, "onExit"), f"onExit template '{on_exit}' is not defined in "
                "spec.templates; fix the name or add the template")
    wf_kind = kind in ("Workflow", "CronWorkflow")
    check_arguments(ctx, spec.get("arguments"), (*sp, "arguments"), allow_empty=not wf_kind,
                    workflow_level=True)
    check_hooks(ctx, spec.get("hooks"), (*sp, "hooks"), need_expression=True)
    if "executorPlugins" in spec:
        check_executor_plugins(rep, spec.get("executorPlugins"), (*sp, "executorPlugins"))
    gc = as_dict(spec.get("podGC"))
    strategy = gc.get("strategy")
    if strategy is not None and as_str(strategy) not in POD_GC:
        rep.add("ARG112", (*sp, "podGC", "strategy"), f"podGC.strategy '{strategy}' is unknown; "
                "use OnPodCompletion, OnPodSuccess, OnWorkflowCompletion or OnWorkflowSuccess")
    if has(gc, "labelSelector"):
        for sub, msg in selector_errors(as_dict(gc.get("labelSelector"))):
            rep.add("ARG113", (*sp, "podGC", "labelSelector", *sub), f"podGC.labelSelector "
                    f"{msg}")
    if has(spec, "podResources"):
        check_pod_resources(ctx, spec.get("podResources"), (*sp, "podResources"))
    par = spec.get("parallelism")
    if isinstance(par, int) and not isinstance(par, bool) and par < 1:
        rep.add("ARG115", (*sp, "parallelism"), "spec.parallelism must be at least 1")
    check_metrics(ctx, spec.get("metrics"), (*sp, "metrics"))
    check_retry(ctx, as_dict(spec.get("retryStrategy")), (*sp, "retryStrategy"))
    defaults = as_dict(spec.get("templateDefaults"))
    check_retry(ctx, as_dict(defaults.get("retryStrategy")),
                (*sp, "templateDefaults", "retryStrategy"))
    for i, t in named_items(templates):
        check_template(ctx, t, (*sp, "templates", i))


def _check_entrypoint(ctx: DocCtx, held: dict[str, Any] | None, has_ref: bool) -> None:
    rep, spec, sp = ctx.rep, ctx.spec, ctx.sp
    entry = as_str(spec.get("entrypoint"))
    wf_kind = ctx.kind in ("Workflow", "CronWorkflow")
    if not entry:
        if wf_kind and not has_ref:
            rep.add("ARG101", (*sp, "entrypoint"), "spec.entrypoint is required; name the "
                    "template to run first")
        return
    if "{{" in entry:
        return
    templates = ctx.templates
    if has_ref:
        if held is None:
            return
        templates = spec_templates(as_dict(held.get("spec")))
    t = templates.get(entry)
    if t is None:
        rep.add("ARG102", (*sp, "entrypoint"), f"entrypoint template '{entry}' is not defined; "
                "fix the name or add the template")
        return
    if wf_kind and not has_ref:
        check_inputs_supplied(ctx, t, spec.get("arguments"), (*sp, "entrypoint"),
                              f"entrypoint '{entry}'")
