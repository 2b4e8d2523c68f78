"""Checking ``template_ref`` calls against templates compiled in the same run.

Each compiled file is summarised as plain JSON-able data: which WorkflowTemplates it provides
(their templates' inputs and outputs) and which templateRefs it uses (with the arguments
passed, the outputs read and the position of the call). The check then needs no YAML and no
re-compilation, so it also works on files the incremental cache did not recompile.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from tiphys.compiler.diagnostics import Diagnostics

if TYPE_CHECKING:  # check() runs on cache hits too, which must not import the compiler
    from tiphys.compiler import ir
    from tiphys.compiler.lower.workflow import Lowered


def summarize(lowered: Iterable[Lowered], invocations: Iterable[ir.Invocation] = ()) -> dict[str, Any]:
    """What a file provides and what its templateRefs need."""
    from tiphys.compiler import ir

    provides = []
    for lw in lowered:
        doc = lw.document
        if doc.get("kind") not in ("WorkflowTemplate", "ClusterWorkflowTemplate"):
            continue
        templates = {}
        for t in doc["spec"].get("templates", []):
            params = t.get("inputs", {}).get("parameters", [])
            templates[t["name"]] = {
                "inputs": [p["name"] for p in params],
                "required": [p["name"] for p in params if "default" not in p and "value" not in p],
                "outputs": [p["name"] for p in t.get("outputs", {}).get("parameters", [])]
                + (["result"] if "script" in t or "container" in t else []),
            }
        provides.append({"kind": doc["kind"], "name": doc["metadata"]["name"],
                         "templates": templates})
    refs = []
    seen: set[int] = set()
    for inv in invocations:
        t = inv.task
        if not isinstance(t, ir.TemplateRefTask) or id(t) in seen:
            continue
        seen.add(id(t))
        line, col, end_line, end_col = t.loc.position()
        refs.append({
            "kind": "ClusterWorkflowTemplate" if t.cluster else "WorkflowTemplate",
            "name": t.workflow_template, "template": t.template,
            "inputs": [i.name for i in t.inputs], "outputs": list(t.declared_outputs),
            "path": t.loc.path, "line": line, "col": col, "end_line": end_line,
            "end_col": end_col,
        })
    return {"provides": provides, "refs": refs}


def check(summaries: Iterable[dict[str, Any]], diags: Diagnostics) -> set[tuple[str, str]]:
    """Report templateRefs that do not match a template of the run (or that point outside
    it); return the (kind, name) of the WorkflowTemplates the run provides."""
    summaries = list(summaries)
    provided: dict[tuple[str, str], dict[str, Any]] = {}
    for s in summaries:
        for p in s["provides"]:
            provided[(p["kind"], p["name"])] = p["templates"]
    for s in summaries:
        for ref in s["refs"]:
            templates = provided.get((ref["kind"], ref["name"]))
            where = (ref["path"], ref["line"], ref["col"], ref["end_line"], ref["end_col"])
            if templates is None:
                diags.warning("TPH465", f"{ref['kind']} '{ref['name']}' is not compiled in this "
                              "run, so it is not checked: it must exist in the cluster (compile "
                              "its file in the same run to check the call)", *where)
                continue
            target = templates.get(ref["template"])
            if target is None:
                known = ", ".join(sorted(templates)) or "none"
                diags.error("TPH461", f"{ref['kind']} '{ref['name']}' (compiled in this run) has "
                            f"no template '{ref['template']}'; it has: {known}", *where)
                continue
            unknown = [i for i in ref["inputs"] if i not in target["inputs"]]
            missing = [i for i in target["required"] if i not in ref["inputs"]]
            if unknown:
                diags.error("TPH462", f"template '{ref['template']}' of '{ref['name']}' has no "
                            f"input {', '.join(repr(u) for u in unknown)} (inputs: "
                            f"{', '.join(target['inputs']) or 'none'})", *where)
            if missing:
                diags.error("TPH463", f"template '{ref['template']}' of '{ref['name']}' needs "
                            f"input {', '.join(repr(m) for m in missing)}: add it to inputs=[...] "
                            "and pass it", *where)
            absent = [o for o in ref["outputs"] if o not in target["outputs"]]
            if absent:
                diags.error("TPH464", f"template '{ref['template']}' of '{ref['name']}' has no "
                            f"output {', '.join(repr(a) for a in absent)} (outputs: "
                            f"{', '.join(target['outputs']) or 'none'})", *where)
    return set(provided)
