"""The structure of a compiled workflow, in the terms a Hera example is described in.

``summarise`` reduces an Argo document to what the example *means*: which kinds of template it
has, how its steps are grouped, which DAG edges, conditions, loops, retries and outputs it has.
An expectation (tests/hera/expected/<example>.yaml) names a subset of these keys; the port must
match each key it names exactly. Names are the port's step names, which follow Hera's where
Argo allows it.
"""

from __future__ import annotations

import re
from typing import Any

#: Template kinds as Argo spells them (the key that makes a template what it is).
KINDS = ("container", "script", "steps", "dag", "resource", "suspend", "http", "containerSet",
         "data", "plugin")

#: The keys an expectation may name (anything else is a typo in the expectation).
KEYS = {"hera", "note", "kind", "entrypoint", "templates", "steps", "edges", "conditions", "loops",
        "retries", "outputs", "inputs", "exit_handler", "hooks", "arguments", "template_refs",
        "depends", "volumes", "schedule", "timeouts", "continue_on", "step_hooks",
        "spec_fields", "template_fields", "artifact_sources", "env"}

#: Keys the harness reads itself: the warnings the port may have, the phase its run ends in.
HARNESS_KEYS = {"warnings", "run", "documents"}

_DEPEND_NAME = re.compile(r"[A-Za-z0-9][-A-Za-z0-9]*")
_DEPEND_WORDS = {"Succeeded", "Failed", "Errored", "Skipped", "Omitted", "Daemoned",
                 "AnySucceeded", "AllFailed"}


def kind_of(template: dict[str, Any]) -> str:
    for kind in KINDS:
        if kind in template:
            return kind
    return "unknown"


def _steps_of(template: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for group in template.get("steps") or [] for s in group] + list(
        template.get("dag", {}).get("tasks", []))


def _depends_names(expression: str) -> list[str]:
    """The task names a ``depends`` expression mentions (``a.Succeeded || b`` -> a, b)."""
    names = []
    for token in _DEPEND_NAME.findall(expression):
        if token not in _DEPEND_WORDS and token not in names:
            names.append(token)
    return names


def _loop(step: dict[str, Any]) -> str | None:
    if "withItems" in step:
        return "items"
    if "withParam" in step:
        return "param"
    if "withSequence" in step:
        return "sequence"
    return None


#: Where an artifact comes from: a storage kind, or another step's output ("from").
_SOURCES = ("s3", "gcs", "http", "git", "raw", "artifactory", "hdfs", "oss", "azure", "from",
            "fromExpression")


def _source(artifact: dict[str, Any]) -> str | None:
    return next((k for k in _SOURCES if k in artifact), None)


def _outputs(template: dict[str, Any]) -> list[str]:
    outs = template.get("outputs") or {}
    names = [p["name"] for p in outs.get("parameters", [])]
    names += [f"artifact:{a['name']}" for a in outs.get("artifacts", [])]
    return sorted(names)


def summarise(doc: dict[str, Any]) -> dict[str, Any]:
    spec = doc["spec"].get("workflowSpec", doc["spec"])
    templates = {t["name"]: t for t in spec["templates"]}
    kinds: dict[str, int] = {}
    for t in templates.values():
        kinds[kind_of(t)] = kinds.get(kind_of(t), 0) + 1
    entry = templates.get(spec.get("entrypoint", ""), {})
    summary: dict[str, Any] = {
        "kind": doc["kind"],
        "entrypoint": kind_of(entry) if entry else None,
        "templates": kinds,
        "steps": {}, "edges": {}, "depends": {}, "conditions": {}, "loops": {}, "retries": {},
        "outputs": {}, "inputs": {}, "template_refs": {}, "timeouts": {}, "continue_on": [],
        "step_hooks": {},
        # Workflow-level and template-level Argo fields, matched as "at least these".
        "spec_fields": sorted(k for k in spec if k not in ("templates", "entrypoint")),
        "template_fields": {},
        "artifact_sources": {},
        "env": {},
        "exit_handler": bool(spec.get("onExit") or (spec.get("hooks") or {}).get("exit")),
        "hooks": sorted(spec.get("hooks") or {}),
        "arguments": sorted(p["name"] for p in (spec.get("arguments") or {}).get("parameters", [])),
        "volumes": sorted([v["name"] for v in spec.get("volumes", [])]
                          + [v["metadata"]["name"] for v in spec.get("volumeClaimTemplates", [])]),
        "schedule": bool(doc["spec"].get("schedule") or doc["spec"].get("schedules")),
    }
    for name, t in templates.items():
        # The entrypoint is called "entry" so that an expectation does not depend on its name.
        key = "entry" if name == spec.get("entrypoint") else name
        if "steps" in t:
            summary["steps"][key] = [[s["name"] for s in group] for group in t["steps"]]
        if "dag" in t:
            edges = []
            for task in t["dag"]["tasks"]:
                sources = list(task.get("dependencies", [])) + _depends_names(task.get("depends", ""))
                edges += [f"{s} -> {task['name']}" for s in sources]
                if "depends" in task:
                    summary["depends"][task["name"]] = task["depends"]
            summary["edges"][key] = sorted(edges)
        for art in (t.get("inputs") or {}).get("artifacts", []):
            if _source(art):
                summary["artifact_sources"][art["name"]] = _source(art)
        for step in _steps_of(t):
            for art in (step.get("arguments") or {}).get("artifacts", []):
                if _source(art):
                    summary["artifact_sources"][art["name"]] = _source(art)
            if "when" in step:
                summary["conditions"][step["name"]] = step["when"]
            if _loop(step):
                summary["loops"][step["name"]] = _loop(step)
            if "templateRef" in step:
                ref = step["templateRef"]
                summary["template_refs"][step["name"]] = f"{ref['name']}/{ref['template']}"
            hooks = sorted(step.get("hooks") or {}) + (["exit"] if "onExit" in step else [])
            if hooks:
                summary["step_hooks"][step["name"]] = sorted(set(hooks))
            if step.get("continueOn"):
                summary["continue_on"].append(step["name"])
        # A DAG's own settings (failFast, target) count as fields of its template.
        summary["template_fields"][key] = sorted(
            [*t, *(f"dag.{k}" for k in t.get("dag", {}) if k != "tasks")])
        body = t.get("container") or t.get("script") or {}
        # tiphys' own variables (TIPHYS_INPUT_x carries input x) are not the user's env.
        env = [e["name"] for e in body.get("env", []) if not e["name"].startswith("TIPHYS_")]
        env += [f"from:{next(k for k in e if k.endswith('Ref'))}" for e in body.get("envFrom", [])]
        if env:
            summary["env"][key] = sorted(env)
        if "retryStrategy" in t:
            summary["retries"][name] = t["retryStrategy"].get("limit")
        if _outputs(t):
            summary["outputs"][key] = _outputs(t)
        ins = t.get("inputs") or {}
        names = [p["name"] for p in ins.get("parameters", [])]
        names += [f"artifact:{a['name']}" for a in ins.get("artifacts", [])]
        if names:
            summary["inputs"][key] = sorted(names)
        if "timeout" in t or "activeDeadlineSeconds" in t:
            summary["timeouts"][name] = t.get("timeout", t.get("activeDeadlineSeconds"))
    summary["continue_on"].sort()
    return summary


def mismatches(expected: dict[str, Any], summary: dict[str, Any]) -> list[str]:
    """Each key of *expected* that the summary does not match, as a readable line.

    ``conditions`` is matched by fragments: each expected text must occur in the step's
    ``when`` (tiphys writes expression tags, Hera plain ones, so only the operands and the
    comparison are compared). ``depends`` likewise by fragments. Every other key is compared
    exactly."""
    problems = [f"unknown key {k!r} in the expectation" for k in expected
                if k not in KEYS | HARNESS_KEYS]
    for key, want in expected.items():
        if key in ("hera", "note") or key not in KEYS:  # HARNESS_KEYS: checked by the harness
            continue
        got = summary[key]
        if key in ("conditions", "depends"):
            if sorted(want) != sorted(got):
                problems.append(f"{key}: steps {sorted(got)} != expected {sorted(want)}")
                continue
            for step, fragments in want.items():
                for fragment in [fragments] if isinstance(fragments, str) else fragments:
                    if fragment not in got[step]:
                        problems.append(f"{key}[{step}]: {fragment!r} not in {got[step]!r}")
        elif key == "spec_fields":
            if set(want) - set(got):
                problems.append(f"spec_fields: {sorted(set(want) - set(got))} missing from {got}")
        elif key == "template_fields":
            for name, fields in want.items():
                have = set(got.get(name, []))
                if set(fields) - have:
                    problems.append(f"template_fields[{name}]: {sorted(set(fields) - have)} missing")
        elif key == "edges" or key == "steps":
            normal = {k: sorted(v) if key == "edges" else v for k, v in want.items()}
            if normal != got:
                problems.append(f"{key}: {got} != expected {normal}")
        elif key in ("hooks", "arguments", "volumes", "continue_on"):
            if sorted(want) != got:
                problems.append(f"{key}: {got} != expected {sorted(want)}")
        elif key in ("outputs", "inputs", "env"):
            normal = {k: sorted(v) for k, v in want.items()}
            if normal != got:
                problems.append(f"{key}: {got} != expected {normal}")
        elif want != got:
            problems.append(f"{key}: {got!r} != expected {want!r}")
    return problems
