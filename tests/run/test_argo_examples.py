"""Argo's own examples (reference data in ../shared) run through the engine offline: none
makes it raise or hang, and each ends as expected. Those that do not succeed are listed with
the reason, so that a change in behaviour shows here."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import yaml

from tiphys.compiler.run import Run, RunOptions
from tiphys.compiler.run.engine import Engine

from conftest import SHARED
from run_helpers import workdir

EXAMPLES = SHARED / "argo" / "examples"
RUNNABLE = ("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow")
#: Left out: their scripts write outside the work directory (map-reduce: /mnt/out), sleep
#: for minutes (colored-logs), or fail at random (retry-script: all 11 tries fail 1% of
#: the time).
LEFT_OUT = {"map-reduce.yaml", "colored-logs.yaml", "retry-script.yaml"}
#: Examples that do not succeed offline, and why.
NOT_SUCCEEDED = {
    "conditionals.yaml": "jsonpath over a parameter that is not JSON",
    "dag-inline-cronworkflow.yaml": "workflowTemplateRef to a template defined elsewhere",
    "expression-reusing-verbose-snippets.yaml": "expr-lang closures (map with #)",
    "expression-tag-template-workflow.yaml": "expr-lang closures (filter with #)",
    "global-outputs.yaml": "a global artifact made by a container not run",
    "retry-conditional.yaml": "its retry expression says no more retries",
    "variables-showcase.yaml": "{{steps.name}} inside a container template",
    "work-avoidance.yaml": "bash's $RANDOM under sh",
}


def documents() -> list[tuple[str, list[dict[str, Any]], int]]:
    if not EXAMPLES.is_dir():
        return []
    out = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        if path.name in LEFT_OUT:
            continue
        try:
            docs = [d for d in yaml.safe_load_all(path.read_text()) if isinstance(d, dict)]
        except yaml.YAMLError:
            continue
        for i, d in enumerate(docs):
            spec = d.get("spec") or {}
            if d.get("kind") in RUNNABLE and ("templates" in spec or "workflowSpec" in spec
                                             or "workflowTemplateRef" in spec):
                out.append((path.name, docs, i))
    return out


CASES = documents()


def run_with_limit(docs: list[dict[str, Any]], index: int, limit: float) -> Run:
    engine = Engine(docs, RunOptions(workdir(),
                                     no_containers=True, no_http=True, time_scale=0.0, jobs=4))
    result: list[Run] = []
    thread = threading.Thread(target=lambda: result.append(engine.execute_workflow(docs[index])),
                              daemon=True)
    thread.start()
    thread.join(limit)
    if thread.is_alive():
        engine.cancel_reason = "the test's time limit"
        engine.cancel.set()
        thread.join(10)
    assert result, "the engine raised (see the thread's traceback above) or hung"
    return result[0]


@pytest.mark.skipif(not CASES, reason=f"Argo's examples not found in {EXAMPLES}")
@pytest.mark.parametrize("name,docs,index", CASES,
                         ids=[f"{n}#{i}" for n, _, i in CASES] or None)
def test_argo_example_runs_offline(name: str, docs: list[dict[str, Any]], index: int) -> None:
    run = run_with_limit(docs, index, 20.0)
    assert run.phase in ("Succeeded", "Failed", "Error")
    if name in NOT_SUCCEEDED:
        assert run.phase != "Succeeded", f"{name} now succeeds: update NOT_SUCCEEDED"
    else:
        assert run.phase == "Succeeded", [(n.name, n.phase, n.message) for n in
                                          run.nodes.values() if n.phase in ("Failed", "Error")]
