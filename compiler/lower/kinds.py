"""Lowering the task kinds that are not code: suspend, resource and http templates."""

from __future__ import annotations

from typing import Any

from tiphys.compiler import ir


def _inputs(inputs: tuple[ir.Input, ...]) -> dict[str, Any] | None:
    if not inputs:
        return None
    return {"parameters": [{"name": i.name} for i in inputs]}


def _prompt_input(p: ir.Prompt) -> dict[str, Any]:
    out: dict[str, Any] = {"name": p.name, "default": p.default}
    if p.enum:
        out["enum"] = list(p.enum)
    if p.description:
        out["description"] = p.description
    return out


def _supplied_output(name: str, p: ir.Prompt | None) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "valueFrom": {"supplied": {}}}
    if p is not None and p.default is not None:
        # `argo resume` without values fills an unset supplied output from its own
        # valueFrom.default only (the UI sends the input's default): give it both.
        out["valueFrom"]["default"] = p.default
    if p is not None and p.description and p.default is None:
        out["description"] = p.description
    return out


def kind_template(name: str, t: ir.SuspendTask | ir.ResourceTask | ir.HttpTask) -> dict[str, Any]:
    tmpl: dict[str, Any] = {"name": name}
    inputs = _inputs(t.inputs)
    if inputs:
        tmpl["inputs"] = inputs
    if isinstance(t, ir.SuspendTask):
        # An intermediate parameter with a default is also an input of that name: the Argo
        # UI shows the input's default and enum when the step is resumed.
        # https://argo-workflows.readthedocs.io/en/latest/intermediate-inputs/
        prompts = {p.name: p for p in t.prompts}
        shown = [_prompt_input(p) for p in t.prompts if p.default is not None]
        if shown:
            tmpl.setdefault("inputs", {}).setdefault("parameters", []).extend(shown)
        if t.supplied:
            tmpl["outputs"] = {"parameters": [
                _supplied_output(o, prompts.get(o)) for o in t.supplied
            ]}
        tmpl["suspend"] = {"duration": t.duration} if t.duration else {}
        return tmpl
    if isinstance(t, ir.ResourceTask):
        if t.output_paths:
            tmpl["outputs"] = {"parameters": [
                # A kubectl JSONPath template is braced ({.metadata.name}); anything else
                # is a jq filter (.status.succeeded, '.').
                {"name": n, "valueFrom": {"jsonPath" if p.startswith("{") else "jqFilter": p}}
                for n, p in t.output_paths
            ]}
        res: dict[str, Any] = {"action": t.action}
        if t.merge_strategy:
            res["mergeStrategy"] = t.merge_strategy
        if t.manifest is not None:
            res["manifest"] = t.manifest
        if t.set_owner_reference:
            res["setOwnerReference"] = True
        if t.success_condition:
            res["successCondition"] = t.success_condition
        if t.failure_condition:
            res["failureCondition"] = t.failure_condition
        tmpl["resource"] = res
        return tmpl
    http: dict[str, Any] = {"method": t.method, "url": t.url}
    if t.headers:
        http["headers"] = [{"name": k, "value": v} for k, v in t.headers]
    if t.body is not None:
        http["body"] = t.body
    if t.success_condition:
        http["successCondition"] = t.success_condition
    if t.timeout_seconds is not None:
        http["timeoutSeconds"] = t.timeout_seconds
    if t.insecure:
        http["insecureSkipVerify"] = True
    tmpl["http"] = http
    return tmpl
