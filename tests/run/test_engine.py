"""Argo semantics beyond the four behaviours: loops and fan-in, parallelism, deadlines,
outputs, artifacts, suspend, resource and templateRef steps."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from argo_docs import ECHO, python, workflow
from run_helpers import run_doc

SQUARE = python("square", "open(os.path.join(out, 'n'), 'w').write(str(int(os.environ['N']) ** 2))",
                inputs=["n"], outputs=["n"])
SHOW = python("show", "print(os.environ['VALUES'])", inputs=["values"])


def fan_in(loop: dict[str, object]) -> list[str]:
    dag = {"name": "main", "dag": {"tasks": [
        {"name": "sq", "template": "square", **loop,
         "arguments": {"parameters": [{"name": "n", "value": "{{item}}"}]}},
        {"name": "all", "template": "show", "depends": "sq", "arguments": {"parameters": [
            {"name": "values", "value": "{{tasks.sq.outputs.parameters.n}}"}]}},
    ]}}
    run = run_doc(workflow(dag, SQUARE, SHOW))
    assert run.phase == "Succeeded"
    return sorted(json.loads(run.stdout[-1]), key=int)


def test_with_items_aggregates_outputs_as_a_json_list_of_strings() -> None:
    assert fan_in({"withItems": [1, 2, 3]}) == ["1", "4", "9"]


def test_with_sequence_and_with_param() -> None:
    assert fan_in({"withSequence": {"start": "2", "end": "4"}}) == ["4", "9", "16"]
    assert fan_in({"withSequence": {"count": "3"}}) == ["0", "1", "4"]
    assert fan_in({"withParam": '["5", 6]'}) == ["25", "36"]


def test_map_items_expose_their_keys() -> None:
    steps = {"name": "main", "steps": [[{
        "name": "each", "template": "echo", "withItems": [{"a": "x", "b": 1}, {"a": "y", "b": 2}],
        "arguments": {"parameters": [{"name": "msg", "value": "{{item.a}}={{item.b}}"}]}}]]}
    run = run_doc(workflow(steps, ECHO))
    assert sorted(run.stdout) == ["x=1\n", "y=2\n"]
    assert {n.display for n in run.nodes.values()} >= {'each(0:{"a":"x","b":1})'}


def test_bad_with_param_is_an_error() -> None:
    steps = {"name": "main", "steps": [[{"name": "each", "template": "echo", "withParam": "nope",
                                         "arguments": {"parameters": [{"name": "msg", "value": "{{item}}"}]}}]]}
    run = run_doc(workflow(steps, ECHO))
    assert run.phase == "Failed"
    assert "JSON list" in run.by_display("each")[0].message


SLEEP = python("sleep", "import time; time.sleep(0.5)")


def timed(jobs: int, **spec: object) -> float:
    steps = {"name": "main", "steps": [[{"name": f"s{i}", "template": "sleep"} for i in range(3)]]}
    started = time.monotonic()
    assert run_doc(workflow(steps, SLEEP, **spec), jobs=jobs).phase == "Succeeded"
    return time.monotonic() - started


def test_parallel_steps_really_run_in_parallel() -> None:
    serial = timed(1)  # -j 1: one after the other
    assert serial >= 1.5
    # Three 0.5 s sleeps at once: at least 1 s saved, whatever the interpreters' start-up.
    assert timed(3) < serial - 0.7
    assert timed(3, parallelism=1) >= 1.5  # spec.parallelism bounds it too


def test_template_deadline_kills_the_step() -> None:
    slow = python("slow", "import time; time.sleep(30)", activeDeadlineSeconds=1)
    started = time.monotonic()
    run = run_doc(workflow({"name": "main", "steps": [[{"name": "s", "template": "slow"}]]}, slow))
    assert run.phase == "Failed" and time.monotonic() - started < 10
    assert "deadline" in run.by_display("s")[0].message


def test_workflow_deadline_fails_the_run_and_exit_handler_still_runs() -> None:
    slow = python("slow", "import time; time.sleep(30)")
    steps = {"name": "main", "steps": [[{"name": "s", "template": "slow"}], [echo_step("never")]]}
    run = run_doc(workflow(steps, slow, ECHO, activeDeadlineSeconds=1, hooks={"exit": {
        "template": "echo", "arguments": {"parameters": [{"name": "msg", "value": "{{workflow.status}}"}]}}}))
    assert run.phase == "Failed" and "activeDeadlineSeconds" in run.message
    assert run.stdout == ["Failed\n"]


def echo_step(msg: str) -> dict[str, object]:
    return {"name": "e", "template": "echo", "arguments": {"parameters": [{"name": "msg", "value": msg}]}}


def test_template_outputs_and_global_outputs() -> None:
    inner = {"name": "inner", "steps": [[{"name": "sq", "template": "square", "arguments": {
        "parameters": [{"name": "n", "value": "7"}]}}]],
        "outputs": {"parameters": [{"name": "result", "globalName": "answer",
                                    "valueFrom": {"parameter": "{{steps.sq.outputs.parameters.n}}"}}]}}
    steps = {"name": "main", "steps": [[{"name": "in", "template": "inner"}],
                                       [echo_step("{{steps.in.outputs.parameters.result}} {{workflow.outputs.parameters.answer}}")]]}
    run = run_doc(workflow(steps, inner, SQUARE, ECHO))
    assert run.stdout[-1] == "49 49\n"
    assert run.outputs == {"parameters.answer": "49"}


def test_artifacts_pass_through_the_local_repository(tmp_path: Path) -> None:
    make = python("make", "open('/tmp/tiphys/artifacts/out/d'.replace('/tmp/tiphys/artifacts', os.environ['TIPHYS_ARTIFACTS_DIR']), 'w').write('data!')",
                  outputs=[])
    make["script"]["source"] = make["script"]["source"].replace(
        "open(", "os.makedirs(os.environ['TIPHYS_ARTIFACTS_DIR'] + '/out', exist_ok=True); open(", 1)
    make["outputs"] = {"artifacts": [{"name": "d", "path": "/tmp/tiphys/artifacts/out/d"}]}
    read = python("read", "print(open(os.environ['TIPHYS_ARTIFACTS_DIR'] + '/in/x').read())")
    read["inputs"] = {"artifacts": [{"name": "x", "path": "/tmp/tiphys/artifacts/in/x"}]}
    raw = {"name": "raw", "template": "read", "arguments": {"artifacts": [
        {"name": "x", "raw": {"data": "inline"}}]}}
    steps = {"name": "main", "steps": [[{"name": "m", "template": "make"}], [
        {"name": "r", "template": "read", "arguments": {"artifacts": [
            {"name": "x", "from": "{{steps.m.outputs.artifacts.d}}"}]}}, raw]]}
    run = run_doc(workflow(steps, make, read), workdir=tmp_path / "w")
    assert run.phase == "Succeeded"
    assert sorted(run.stdout) == ["", "data!\n", "inline\n"]
    stored = run.by_display("m")[0].outputs["artifacts.d"]
    assert stored.startswith(str(tmp_path / "w" / "artifacts")) and Path(stored).read_text() == "data!"


def test_remote_artifacts_are_reported_not_fetched() -> None:
    read = python("read", "print('never')")
    read["inputs"] = {"artifacts": [{"name": "x", "path": "/tmp/x"}]}
    steps = {"name": "main", "steps": [[{"name": "r", "template": "read", "arguments": {
        "artifacts": [{"name": "x", "s3": {"bucket": "b", "key": "k"}}]}}]]}
    run = run_doc(workflow(steps, read))
    assert run.phase == "Succeeded"
    node = run.by_display("r")[0]
    assert node.phase == "Skipped" and "s3 storage" in node.message


def test_suspend_resumes_with_supplied_values() -> None:
    approve = {"name": "approve", "suspend": {"duration": "1h"}, "outputs": {"parameters": [
        {"name": "who", "valueFrom": {"supplied": {}}},
        {"name": "why", "valueFrom": {"supplied": {}, "default": "because"}}]}}
    steps = {"name": "main", "steps": [[{"name": "ok", "template": "approve"}], [echo_step(
        "{{steps.ok.outputs.parameters.who}} {{steps.ok.outputs.parameters.why}}")]]}
    started = time.monotonic()
    run = run_doc(workflow(steps, approve, ECHO), supplied={"who": "ada"})
    assert run.stdout == ["ada because\n"] and time.monotonic() - started < 5
    run = run_doc(workflow(steps, approve, ECHO))
    assert run.stdout == [" because\n"]
    assert "-s who=VALUE" in run.by_display("ok")[0].message


def test_resource_steps_are_skipped_with_a_message() -> None:
    res = {"name": "res", "resource": {"action": "create", "manifest": "kind: Job"}}
    run = run_doc(workflow({"name": "main", "steps": [[{"name": "r", "template": "res"}]]}, res))
    assert run.phase == "Succeeded"
    assert run.by_display("r")[0].phase == "Skipped"
    assert "cluster" in run.by_display("r")[0].message


def test_template_refs_resolve_among_the_documents() -> None:
    library = {"kind": "WorkflowTemplate", "metadata": {"name": "lib"},
               "spec": {"templates": [ECHO]}}
    steps = {"name": "main", "steps": [[
        {"name": "here", "templateRef": {"name": "lib", "template": "echo"},
         "arguments": {"parameters": [{"name": "msg", "value": "from lib"}]}},
        {"name": "elsewhere", "templateRef": {"name": "other", "template": "x"}}]]}
    run = run_doc(workflow(steps), library=[library])
    assert run.phase == "Succeeded" and run.stdout == ["from lib\n"]
    assert run.by_display("elsewhere")[0].message.startswith("not run: templateRef other/x")


def test_parameters_substitute_and_missing_inputs_error() -> None:
    steps = {"name": "main", "steps": [[echo_step("{{workflow.parameters.who}} in {{workflow.name}}")]]}
    doc = workflow(steps, ECHO, arguments={"parameters": [{"name": "who", "value": "default"}]})
    assert run_doc(doc, {"who": "me"}).stdout == ["me in test\n"]
    assert run_doc(doc).stdout == ["default in test\n"]
    bad = workflow({"name": "main", "steps": [[{"name": "e", "template": "echo"}]]}, ECHO)
    run = run_doc(bad)
    assert run.phase == "Failed"
    assert "input parameter 'msg' was not supplied" in run.by_display("e")[0].message


@pytest.mark.parametrize("value", ["{{steps.nope.outputs.result}}", "{{=1 +}}"])
def test_unresolvable_arguments_error(value: str) -> None:
    run = run_doc(workflow({"name": "main", "steps": [[echo_step(value)]]}, ECHO))
    assert run.phase == "Failed" and run.by_display("e")[0].phase == "Error"


def test_dag_target_runs_only_what_it_needs() -> None:
    dag = {"name": "main", "dag": {"target": "{{workflow.parameters.target}}", "tasks": [
        echo_step("a") | {"name": "a"}, echo_step("b") | {"name": "b", "depends": "a"},
        echo_step("c") | {"name": "c"}]}}
    run = run_doc(workflow(dag, ECHO, arguments={"parameters": [{"name": "target", "value": "b"}]}))
    assert run.phase == "Succeeded" and run.stdout == ["a\n", "b\n"]
    assert not run.by_display("c")


def test_workflow_template_ref_runs_the_referenced_spec() -> None:
    library = {"kind": "WorkflowTemplate", "metadata": {"name": "lib"}, "spec": {
        "entrypoint": "main", "arguments": {"parameters": [{"name": "who", "value": "lib"}]},
        "templates": [{"name": "main", "steps": [[echo_step("{{workflow.parameters.who}}")]]}, ECHO]}}
    doc = {"kind": "Workflow", "metadata": {"name": "w"}, "spec": {
        "workflowTemplateRef": {"name": "lib"},
        "arguments": {"parameters": [{"name": "who", "value": "caller"}]}}}
    assert run_doc(doc, library=[library]).stdout == ["caller\n"]
    assert run_doc(doc).phase == "Error"


def test_steps_after_a_skipped_container_are_not_run_and_say_why() -> None:
    box = {"name": "box", "container": {"image": "alpine"}, "outputs": {"parameters": [
        {"name": "p", "valueFrom": {"path": "/p"}}]}}
    steps = {"name": "main", "steps": [[{"name": "c", "template": "box"}],
                                       [echo_step("{{steps.c.outputs.parameters.p}}")]]}
    run = run_doc(workflow(steps, box, ECHO), no_containers=True)
    assert run.phase == "Succeeded"
    assert run.by_display("e")[0].message == \
        "not run: it needs the outputs of c, which was not run locally"


def test_script_variables_and_sh_dash_c() -> None:
    t = {"name": "t", "script": {"image": "alpine", "command": ["sh", "-c"],
                                 "source": "echo {{pod.name}} {{retries}}"}}
    run = run_doc(workflow({"name": "main", "steps": [[{"name": "s", "template": "t"}]]}, t))
    node = run.by_display("s")[0]
    assert run.phase == "Succeeded" and node.stdout == f"{node.id} 0\n"
