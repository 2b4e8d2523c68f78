"""f-strings in a template's own text fields (a container's command/args, a bash source): the
workflow values Argo fills in anywhere, declared by every workflow that runs the task; values
that differ per call are TPH511 at the f-string."""

from __future__ import annotations

from pathlib import Path

from compile_helpers import compile_text
from run_helpers import run_doc

HEAD = """from tiphys import bash, container, param, pipeline, task, workflow, workflow_name

@task
def make() -> str:
    return "x"

name = param("name", default="argo")
"""


def test_workflow_values_in_container_args_and_bash_source(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, HEAD + (
        'hello = container("hello", "busybox", command=["echo"], '
        'args=[f"hello {name} from {workflow_name}", "plain"])\n'
        'shout = bash("shout", f"echo {name} | tr a-z A-Z")\n'
        'wf = workflow("w", pipeline(hello(), shout()))\n'))
    assert diags == []
    spec = docs[0]["spec"]
    templates = {t["name"]: t for t in spec["templates"]}
    assert templates["hello"]["container"]["args"] == [
        "hello {{workflow.parameters.name}} from {{workflow.name}}", "plain"]
    assert templates["shout"]["script"]["source"] == \
        "echo {{workflow.parameters.name}} | tr a-z A-Z"
    # The workflow declares the parameter only the template's text reads.
    assert spec["arguments"]["parameters"] == [{"name": "name", "value": "argo"}]
    run = run_doc(docs[0], parameters={"name": "tiphys"})
    assert run.phase == "Succeeded"
    assert [n.stdout for n in run.nodes.values() if n.name.endswith(".shout")] == ["TIPHYS\n"]


def test_a_task_output_in_a_template_field_is_tph511(tmp_path: Path) -> None:
    _, diags = compile_text(tmp_path, HEAD + (
        "m = make()\n"
        'hello = container("hello", "busybox", command=["echo"], args=[f"hello {m.output}"])\n'
        'shout = bash("shout", f"echo {m}")\n'
        'wf = workflow("w", pipeline(m, hello(), shout()))\n'))
    head = HEAD.count("\n")
    found = [(d.code, d.line - head, d.col) for d in diags]
    assert found == [("TPH511", 2, 63), ("TPH511", 3, 23)], found


def test_a_conversion_is_reported_once(tmp_path: Path) -> None:
    _, diags = compile_text(tmp_path, HEAD + (
        'hello = container("hello", "busybox", args=[f"{name!r}"])\n'
        'wf = workflow("w", hello())\n'))
    assert [d.code for d in diags] == ["TPH508"]
