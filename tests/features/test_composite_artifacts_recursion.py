"""Composites that take and give artifacts, and composites that call themselves: the Argo they
compile to (checked by the strict schema and Argo's rules), how they run in tiphys run's
engine, and the diagnostics for their misuse (TPH501, TPH471, TPH512-514)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from tiphys.compiler.graph.model import build
from tiphys.compiler.graph.render import mermaid
from tiphys.compiler.lower.workflow import Settings
from tiphys.compiler.lsp.analysis import analyse_document
from tiphys.compiler.strict_schema import check_strict
from tiphys.compiler.validator import check_documents

from compile_helpers import compile_text
from run_helpers import run_doc

HEAD = """from tiphys import (Composite, InputArtifact, OutputArtifact, composite, dag, parallel,
    pipeline, task, workflow)

@task
def generate(text: str, out: OutputArtifact = OutputArtifact()) -> str:
    with open(out, "w") as f:
        f.write(text)
    return f"wrote {text}"

@task
def upper(data: InputArtifact, out: OutputArtifact = OutputArtifact()) -> None:
    with open(out, "w") as f:
        f.write(open(data).read().upper())

@task
def show(data: InputArtifact, note: str = "") -> str:
    return note + open(data).read()

@task
def step_up(counter: int) -> int:
    return counter + 1

@task
def say(msg: str) -> str:
    return msg
"""


def compile_ok(tmp_path: Path, body: str) -> dict[str, Any]:
    docs, diags = compile_text(tmp_path, HEAD + body)
    assert [d for d in diags if d.is_error] == [], diags
    assert len(docs) == 1
    doc = docs[0]
    assert check_strict(doc) == []
    assert [f for f in check_documents([doc]) if f.severity.value == "error"] == []
    return doc


def templates(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in doc["spec"]["templates"]}


def steps_of(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    items = template["dag"]["tasks"] if "dag" in template else \
        [s for g in template["steps"] for s in g]
    return {s["name"]: s for s in items}


def returned(run: Any, template: str) -> list[str]:
    return [o["parameters.return"] for name, _, o in run.calls if name == template]


# -- artifacts in and out of a composite ------------------------------------------------------


def test_artifact_input_passed_on_and_artifact_output_read_after_the_call(
        tmp_path: Path) -> None:
    doc = compile_ok(tmp_path, """
@composite
def nested(data: InputArtifact, note: str) -> Composite:
    s = show(data=data, note=note)
    g = generate(text="made inside")
    return pipeline(parallel(s, g), outputs={"made": g.outputs["out"], "said": s.output})

gen = generate(text="hello")
n = nested(data=gen.outputs["out"], note=gen.output)
last = show(data=n.outputs["made"], note=n.outputs["said"]).named("last")
wf = workflow("nested-artifacts", pipeline(gen, n, last))
""")
    t = templates(doc)
    nested = t["nested"]
    assert nested["inputs"] == {"parameters": [{"name": "note"}],
                                "artifacts": [{"name": "data"}]}
    assert nested["outputs"]["artifacts"] == [
        {"name": "made", "from": "{{steps.g.outputs.artifacts.out}}"}]
    assert nested["outputs"]["parameters"] == [
        {"name": "said", "valueFrom": {"parameter": "{{steps.s.outputs.parameters.return}}"}}]
    assert steps_of(nested)["s"]["arguments"]["artifacts"] == [
        {"name": "data", "from": "{{inputs.artifacts.data}}"}]
    main = steps_of(t["nested-artifacts"])
    assert main["n"]["arguments"]["artifacts"] == [
        {"name": "data", "from": "{{steps.gen.outputs.artifacts.out}}"}]
    assert main["last"]["arguments"]["artifacts"] == [
        {"name": "data", "from": "{{steps.n.outputs.artifacts.made}}"}]
    run = run_doc(doc)
    assert run.phase == "Succeeded", run.message
    # the inner show read the outer artifact; the last one read the composite's artifact
    assert sorted(returned(run, "show")) == ["wrote hellohello", "wrote hellohellomade inside"]


def test_artifacts_cross_nested_templates_and_composites_inside_composites(
        tmp_path: Path) -> None:
    doc = compile_ok(tmp_path, """
@composite
def shout(data: InputArtifact) -> Composite:
    u = upper(data=data)
    return pipeline(dag(u, show(data=u).named("peek")), outputs={"loud": u.outputs["out"]})

@composite
def twice(data: InputArtifact) -> Composite:
    once = shout(data=data)
    return pipeline(once, outputs={"loud": once.outputs["loud"]})

gen = generate(text="quiet")
t = twice(data=gen)
wf = workflow("deep-artifacts", pipeline(gen, t, show(data=t).named("last")))
""")
    t = templates(doc)
    inner = t["shout-dag"]
    assert inner["inputs"] == {"artifacts": [{"name": "data"}]}
    assert steps_of(inner)["u"]["arguments"]["artifacts"] == [
        {"name": "data", "from": "{{inputs.artifacts.data}}"}]
    assert steps_of(t["shout"])["dag"]["arguments"]["artifacts"] == [
        {"name": "data", "from": "{{inputs.artifacts.data}}"}]
    assert t["shout"]["outputs"]["artifacts"][0]["from"].startswith("{{steps.dag.outputs.")
    assert t["twice"]["outputs"]["artifacts"] == [
        {"name": "loud", "from": "{{steps.once.outputs.artifacts.loud}}"}]
    # a composite with one output artifact, passed whole, passes that artifact
    assert steps_of(t["deep-artifacts"])["last"]["arguments"]["artifacts"] == [
        {"name": "data", "from": "{{steps.t.outputs.artifacts.loud}}"}]
    run = run_doc(doc)
    assert run.phase == "Succeeded", run.message
    assert sorted(returned(run, "show")) == ["QUIET", "QUIET"]


def test_a_composite_artifact_from_a_task_that_may_be_skipped_is_tph407(
        tmp_path: Path) -> None:
    _, diags = compile_text(tmp_path, HEAD + """
@composite
def maybe(flag: str) -> Composite:
    g = generate(text="x").when(flag == "yes")
    return pipeline(g, outputs={"made": g.outputs["out"]})

wf = workflow("w", pipeline(maybe(flag="no")))
""")
    assert [d.code for d in diags if d.is_error] == ["TPH407"]


# -- recursion ---------------------------------------------------------------------------------

COUNTER = """
@composite
def loop(counter: int, limit: int) -> Composite:
    it = step_up(counter=counter)
    again = loop(counter=it.output, limit=limit).when(it.output < limit)
    return pipeline(it, again)

wf = workflow("recursive-loop", pipeline(loop(counter=0, limit={limit}).named("recurse")))
"""


def loop_depth(run: Any) -> int:
    """How many runs of the 'loop' template nest in the run."""
    return len([n for n in run.nodes.values() if n.template == "loop" and n.type == "Steps"])


@pytest.mark.parametrize("limit", [1, 4, 9])
def test_recursive_composite_calls_its_own_template_until_the_condition_fails(
        tmp_path: Path, limit: int) -> None:
    doc = compile_ok(tmp_path, COUNTER.replace("{limit}", str(limit)))
    loop = templates(doc)["loop"]
    again = steps_of(loop)["again"]
    assert again["template"] == "loop"  # the template refers to itself
    assert again["when"] == ("{{=asInt(steps.it.outputs.parameters['return']) < "
                             "asInt(inputs.parameters.limit)}}")
    assert again["arguments"]["parameters"] == [
        {"name": "counter", "value": "{{steps.it.outputs.parameters.return}}"},
        {"name": "limit", "value": "{{inputs.parameters.limit}}"}]
    assert [t["name"] for t in doc["spec"]["templates"]].count("loop") == 1
    run = run_doc(doc)
    assert run.phase == "Succeeded", run.message
    assert loop_depth(run) == limit
    assert returned(run, "step-up") == [str(i) for i in range(1, limit + 1)]
    # the last level's recursive call was skipped by its condition
    assert [n.phase for n in run.by_display("again")][-1] == "Skipped"


def test_recursion_that_never_stops_ends_at_the_engine_depth_limit(tmp_path: Path) -> None:
    doc = compile_ok(tmp_path, COUNTER.replace("it.output < limit", "it.output != limit")
                     .replace("{limit}", "-1"))
    run = run_doc(doc, max_depth=6)
    assert run.phase == "Failed"
    # the entrypoint is level 1, 'loop' runs at levels 2 to 6, its leaf at level 7 is refused
    assert loop_depth(run) == 5
    errors = [n for n in run.nodes.values() if n.phase == "Error"]
    assert len(errors) == 1 and "Maximum recursion depth exceeded" in errors[0].message


def test_deep_recursion_runs_without_python_recursion_errors(tmp_path: Path) -> None:
    """Each level of nesting takes Python frames; the engine moves to a fresh thread every
    few levels, so a recursion as deep as Argo allows (150) never reaches Python's limit.
    A lower limit shows it here with fewer levels (50 levels take more than 400 frames)."""
    doc = compile_ok(tmp_path, COUNTER.replace("{limit}", "50"))
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(400)
    try:
        run = run_doc(doc)
    finally:
        sys.setrecursionlimit(before)
    assert run.phase == "Succeeded", run.message
    assert loop_depth(run) == 50


def test_recursive_dag_and_a_recursive_call_in_a_parallel_group(tmp_path: Path) -> None:
    doc = compile_ok(tmp_path, """
@composite
def countdown(n: int) -> Composite:
    left = step_up(counter=n).named("left")
    return dag(left, countdown(n=left.output).when(left.output < 3).named("recurse"))

@composite
def flip(side: str) -> Composite:
    s = say(msg=side)
    return pipeline(s, parallel(say(msg="heads").when(s.output == "heads").named("heads"),
                                flip(side="heads").when(s.output == "tails").named("tails")))

wf = workflow("recursive-shapes", pipeline(countdown(n=0), flip(side="tails")))
""")
    t = templates(doc)
    recurse = steps_of(t["countdown"])["recurse"]
    assert recurse["template"] == "countdown" and recurse["depends"] == "left"
    assert steps_of(t["flip"])["tails"]["template"] == "flip"
    run = run_doc(doc)
    assert run.phase == "Succeeded", run.message
    assert returned(run, "step-up") == ["1", "2", "3"]
    assert sorted(returned(run, "say")) == ["heads", "heads", "tails"]


def test_a_level_reads_the_output_of_the_level_below(tmp_path: Path) -> None:
    doc = compile_ok(tmp_path, """
from tiphys import choose

@composite
def count_to(counter: int, limit: int) -> Composite:
    up = step_up(counter=counter)
    below = count_to(counter=up.output, limit=limit).when(up.output < limit)
    return pipeline(up, below, outputs={"reached": choose(below.outputs["reached"], up.output)})

c = count_to(counter=0, limit=5)
wf = workflow("count-to", pipeline(c, say(msg=c.outputs["reached"]).named("report")))
""")
    count_to = templates(doc)["count-to"]
    assert count_to["outputs"]["parameters"] == [{"name": "reached", "valueFrom": {
        "expression": "steps.below.status == 'Succeeded' ? "
        "steps.below.outputs.parameters.reached : steps.up.outputs.parameters['return']"}}]
    run = run_doc(doc)
    assert run.phase == "Succeeded", run.message
    assert returned(run, "say") == ["5"]  # from the deepest level, passed up level by level
    # reading it without choose() is reading a task that may be skipped
    _, diags = compile_text(tmp_path, HEAD + """
@composite
def c(n: int) -> Composite:
    s = step_up(counter=n)
    r = c(n=s.output).when(s.output < 3)
    return pipeline(s, r, outputs={"last": r.outputs["last"]})

wf = workflow("w", pipeline(c(n=0)))
""")
    assert [d.code for d in diags] == ["TPH407"]


def test_graph_and_language_server_end_on_a_recursive_composite(tmp_path: Path) -> None:
    doc = compile_ok(tmp_path, COUNTER.replace("{limit}", "3"))
    text = mermaid(build([doc]))
    assert "↻ loop" in text
    source = HEAD + COUNTER.replace("{limit}", "3")
    assert analyse_document(str(tmp_path / "flow.py"), source, Settings()) == []
    broken = source.replace(".when(it.output < limit)", "")
    found = analyse_document(str(tmp_path / "flow.py"), broken, Settings())
    assert [f.diagnostic.code for f in found] == ["TPH513"]


# -- diagnostics -----------------------------------------------------------------------------


@pytest.mark.parametrize("body,code,line,col", [
    # an artifact input with a default
    ("@composite\ndef c(d: InputArtifact = 'x') -> Composite:\n"
     "    return pipeline(show(data=d))\n", "TPH501", 2, 26),
    # an OutputArtifact parameter: outputs are given with outputs=
    ("@composite\ndef c(d: OutputArtifact) -> Composite:\n"
     "    return pipeline(say(msg='a'))\n", "TPH501", 2, 10),
    # an artifact input passed to a parameter
    ("@composite\ndef c(d: InputArtifact) -> Composite:\n"
     "    return pipeline(say(msg=d))\n", "TPH471", 3, 29),
    # an artifact input in an f-string and in a condition
    ("@composite\ndef c(d: InputArtifact) -> Composite:\n"
     "    return pipeline(say(msg=f'file {d}'))\n", "TPH512", 3, 37),
    ("@composite\ndef c(d: InputArtifact) -> Composite:\n"
     "    return pipeline(say(msg='a').when(d == 'x'))\n", "TPH512", 3, 39),
    # a recursive call without a condition, also in a .map()
    ("@composite\ndef c(n: int) -> Composite:\n    s = step_up(counter=n)\n"
     "    return pipeline(s, c(n=s.output))\n", "TPH513", 4, 24),
    ("@composite\ndef c(n: int) -> Composite:\n"
     "    return pipeline(c.map(n=[1, 2]))\n", "TPH513", 3, 21),
    # reading an output of a recursive call that the body exposes as an artifact
    ("@composite\ndef c(d: InputArtifact) -> Composite:\n    u = upper(data=d)\n"
     "    r = c(d=u.outputs['out']).when(show(data=d).output == 'x')\n"
     "    return pipeline(u, r, say(msg=r.outputs['a'].or_default('-')),\n"
     "                    outputs={'a': u.outputs['out']})\n", "TPH514", 5, 35),
    # an output the recursive call does not declare
    ("@composite\ndef c(n: int) -> Composite:\n    s = step_up(counter=n)\n"
     "    r = c(n=s.output).when(s.output < 3)\n"
     "    return pipeline(s, r, say(msg=r.outputs['x']), outputs={'y': s.output})\n",
     "TPH114", 5, 35),
])
def test_misuse_is_reported_at_line_and_column(
        tmp_path: Path, body: str, code: str, line: int, col: int) -> None:
    _, diags = compile_text(tmp_path, HEAD + body)
    head_lines = HEAD.count("\n")
    found = [(d.code, d.line - head_lines, d.col) for d in diags if d.is_error]
    assert (code, line, col) in found, found


def test_a_conditional_recursive_call_is_not_reported(tmp_path: Path) -> None:
    _, diags = compile_text(tmp_path, HEAD + """
@composite
def c(n: int) -> Composite:
    s = step_up(counter=n)
    return pipeline(s, c(n=s.output).when(s.output < 3))

wf = workflow("w", pipeline(c(n=0)))
""")
    assert diags == []


def test_a_parameter_named_like_the_composite_shadows_it(tmp_path: Path) -> None:
    """As in Python: inside the body the parameter is meant, not a recursive call."""
    doc = compile_ok(tmp_path, """
@composite
def echo(echo: str) -> Composite:
    return pipeline(say(msg=echo))

wf = workflow("shadow", pipeline(echo(echo="hi")))
""")
    assert steps_of(templates(doc)["echo"])["say"]["arguments"]["parameters"] == [
        {"name": "msg", "value": "{{inputs.parameters.echo}}"}]
