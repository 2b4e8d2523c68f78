"""Conditions, loops, dependency logic, exit handlers and hooks: the Argo they compile to,
how they run (with tiphys run's engine), and the diagnostics for their misuse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compile_helpers import compile_text
from run_helpers import run_doc

HEAD = """from tiphys import (task, bash, pipeline, parallel, dag, workflow, param, hook,
    workflow_status)

@task
def flip(side: str) -> str:
    return side

@task
def count(n: int) -> int:
    return n

@task
def say(msg: str) -> str:
    print(msg)
    return msg

@task
def square(n: int) -> int:
    return n * n

@task
def split(text: str) -> list[str]:
    return text.split()

@task
def length(word: str) -> int:
    return len(word)

@task
def total(values: list[int]) -> int:
    return sum(values)

@task
def check(flag: bool) -> bool:
    return flag
"""


def compile_ok(tmp_path: Path, body: str) -> list[dict]:  # type: ignore[type-arg]
    docs, diags = compile_text(tmp_path, HEAD + body)
    assert [d for d in diags if d.is_error] == [], diags
    return docs


def tasks_of(doc: dict, template: str | None = None) -> dict[str, dict]:  # type: ignore[type-arg]
    t = doc["spec"]["templates"][0] if template is None else next(
        x for x in doc["spec"]["templates"] if x["name"] == template)
    items = t["dag"]["tasks"] if "dag" in t else [s for g in t["steps"] for s in g]
    return {x["name"]: x for x in items}


def ran(run: object) -> list[str]:
    return [name for name, _, _ in run.calls]  # type: ignore[attr-defined]


# -- conditions ----------------------------------------------------------------------------


@pytest.mark.parametrize("side,expected", [("heads", "it was heads"), ("tails", "it was tails")])
def test_condition_on_output_runs_one_branch(tmp_path: Path, side: str, expected: str) -> None:
    docs = compile_ok(tmp_path, f"""
coin = flip(side="{side}")
h = say(msg="it was heads").when(coin.output == "heads")
t = say(msg="it was tails").when(coin.output == "tails")
wf = workflow("coin", dag(h, t))
""")
    dag_tasks = tasks_of(docs[0])
    assert dag_tasks["h"]["depends"] == "coin"  # the condition adds the dependency
    assert dag_tasks["h"]["when"] == "{{=tasks.coin.outputs.parameters['return'] == 'heads'}}"
    run = run_doc(docs[0])
    assert [o["parameters.return"] for n, _, o in run.calls if n == "say"] == [expected]


def test_numeric_boolean_and_parameter_conditions(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
n = count(n=param("n", default=7))
ok = check(flag=True)
big = say(msg="big").when((n.output > 5) and ok.output and not (n.output == 100))
mode = say(msg="fast").when(param("mode", default="fast") == "fast")
wf = workflow("conds", pipeline(parallel(n, ok), parallel(big, mode)))
""")
    steps = tasks_of(docs[0])
    assert "asInt(steps.n.outputs.parameters['return']) > 5" in steps["big"]["when"]
    assert "steps.ok.outputs.parameters['return'] == 'true'" in steps["big"]["when"]
    assert steps["mode"]["when"] == "{{=workflow.parameters.mode == 'fast'}}"
    assert [d["name"] for d in docs[0]["spec"]["arguments"]["parameters"]] == ["n", "mode"]
    run = run_doc(docs[0], {"n": "9"})
    assert [o["parameters.return"] for n, _, o in run.calls if n == "say"] == ["big", "fast"]
    run = run_doc(docs[0], {"n": "3", "mode": "slow"})
    assert [n for n, _, _ in run.calls if n == "say"] == []


def test_condition_reads_across_templates(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
coin = flip(side="heads")
wf = workflow("nested", pipeline(coin, pipeline(say(msg="x").when(coin.output == "heads"))))
""")
    inner = docs[0]["spec"]["templates"][1]
    assert inner["inputs"]["parameters"] == [{"name": "coin-return"}]
    assert tasks_of(docs[0], inner["name"])["say"]["when"] == \
        "{{=inputs.parameters['coin-return'] == 'heads'}}"
    assert ran(run_doc(docs[0])) == ["flip", "say"]


# -- loops ---------------------------------------------------------------------------------


def test_map_over_literal_range_and_output_with_fan_in(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
squares = square.map(n=[1, 2, 3])
seq = square.map(n=range(2, 5))
words = split(text=param("text", default="a bb ccc"))
lengths = length.map(word=words)
wf = workflow("loops", dag(total(values=squares).named("sum-sq"),
                           total(values=seq).named("sum-seq"),
                           total(values=lengths).named("sum-len")))
""")
    t = tasks_of(docs[0])
    assert t["squares"]["withItems"] == [1, 2, 3]
    assert t["seq"]["withSequence"] == {"start": "2", "end": "4"}
    assert t["lengths"]["withParam"] == "{{tasks.words.outputs.parameters.return}}"
    run = run_doc(docs[0])
    totals = {inputs["values"]: o["parameters.return"] for n, inputs, o in run.calls
              if n == "total"}
    assert sorted(totals.values(), key=int) == ["6", "14", "29"]
    # Argo aggregates a loop's output parameters as a JSON list of strings; the task still
    # receives a list[int].
    assert json.loads(next(k for k, v in totals.items() if v == "14")) == ["1", "4", "9"]


def test_map_in_a_pipeline(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
s = square.map(n=range(3))
wf = workflow("loop-steps", pipeline(s, total(values=s)))
""")
    run = run_doc(docs[0])
    assert [o["parameters.return"] for n, _, o in run.calls if n == "total"] == ["5"]


# -- dependency logic ----------------------------------------------------------------------


def test_after_failure_and_continue_on(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
risky = say(msg="risky").continue_on(failed=True)
rescue = say(msg="rescue").after(risky.failed)
after_all = say(msg="done").after(risky)
either = say(msg="either").after(risky.succeeded | rescue.succeeded)
wf = workflow("deps", dag(rescue, after_all, either))
""")
    t = tasks_of(docs[0])
    assert t["rescue"]["depends"] == "risky.Failed"
    # A bare name is Succeeded, Skipped or Daemoned: continue_on only adds Failed.
    assert t["after-all"]["depends"] == "(risky || risky.Failed)"
    assert t["either"]["depends"] == "(risky.Succeeded || rescue.Succeeded)"
    # rescue and after-all run in parallel: their order is not defined, as on Argo.
    run = run_doc(docs[0], fail={"risky"})
    assert run.phase == "Succeeded"
    assert sorted(o["parameters.return"] for n, _, o in run.calls) == ["done", "either", "rescue"]
    assert run.calls[-1][2]["parameters.return"] == "either"
    run = run_doc(docs[0])
    assert sorted(o["parameters.return"] for n, _, o in run.calls) == ["done", "either", "risky"]


def test_continue_on_in_steps(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
wf = workflow("steps-continue", pipeline(say(msg="a").continue_on(failed=True),
                                         say(msg="b")))
""")
    assert tasks_of(docs[0])["say"]["continueOn"] == {"failed": True}
    run = run_doc(docs[0], fail={"say"})
    assert [o["parameters.return"] for n, _, o in run.calls] == ["b"]


# -- exit handlers and hooks ---------------------------------------------------------------


def test_workflow_exit_handler_and_hooks(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
work = say(msg="work")
wf = workflow("exits", pipeline(work.on_exit(say(msg="step done"))),
              on_exit=say(msg=workflow_status),
              hooks={"running": hook(say(msg="started"), when=workflow_status == "Running")})
""")
    spec = docs[0]["spec"]
    assert spec["hooks"]["exit"] == {"template": "say", "arguments": {"parameters": [
        {"name": "msg", "value": "{{workflow.status}}"}]}}
    assert spec["hooks"]["running"]["expression"] == "workflow.status == 'Running'"
    assert tasks_of(docs[0])["work"]["hooks"]["exit"]["template"] == "say"
    run = run_doc(docs[0])
    assert run.phase == "Succeeded"
    assert run.calls[-1][2]["parameters.return"] == "Succeeded"
    # A failed step still runs its own exit hook and the workflow's, which sees "Failed".
    run = run_doc(docs[0], fail={"work"})
    assert run.phase == "Failed"
    assert [o["parameters.return"] for _, _, o in run.calls] == ["started", "step done", "Failed"]


# -- misuse --------------------------------------------------------------------------------

MISUSE = [
    ("compare-incompatible", 'say(msg="x").when(count(n=1).output == "one")', "TPH405"),
    ("order-on-strings", 'say(msg="x").when(flip(side="a").output > "b")', "TPH405"),
    ("bare-non-bool", 'say(msg="x").when(count(n=1).output)', "TPH403"),
    ("unknown-operand", 'say(msg="x").when(len("abc") == 3)', "TPH402"),
    ("in-operator", 'say(msg="x").when("a" in flip(side="a").output)', "TPH404"),
    ("map-without-list", 'square.map(n=3)', "TPH410"),
    ("map-wrong-items", 'square.map(n=["a", "b"])', "TPH411"),
    ("map-empty", 'square.map(n=[])', "TPH412"),
    ("map-range-step", 'square.map(n=range(0, 10, 2))', "TPH413"),
    ("after-garbage", 'say(msg="x").after(3)', "TPH420"),
    ("continue-on-nothing", 'say(msg="x").continue_on()', "TPH421"),
    ("handler-not-a-node", 'say(msg="x").on_exit(3)', "TPH430"),
]


@pytest.mark.parametrize("expr,code", [m[1:] for m in MISUSE], ids=[m[0] for m in MISUSE])
def test_misuse(tmp_path: Path, expr: str, code: str) -> None:
    docs, diags = compile_text(tmp_path, HEAD + f"\nnode = {expr}\nwf = workflow('w', dag(node))\n")
    found = [d for d in diags if d.code == code]
    assert found, [(d.code, d.message) for d in diags]
    line = (HEAD + "\n").count("\n") + 1
    assert found[0].line == line, (found[0].line, line)
    assert docs == []


def test_dependency_conditions_need_a_dag(tmp_path: Path) -> None:
    _, diags = compile_text(tmp_path, HEAD + """
a = say(msg="a")
b = say(msg="b").after(a.failed)
wf = workflow("w", pipeline(a, b))
""")
    assert "TPH422" in [d.code for d in diags]


def test_workflow_hook_cannot_read_outputs(tmp_path: Path) -> None:
    _, diags = compile_text(tmp_path, HEAD + """
a = say(msg="a")
wf = workflow("w", pipeline(a), on_exit=say(msg=a))
""")
    assert "TPH431" in [d.code for d in diags]


# -- schedules and workflow-level options ----------------------------------------------------


def test_schedule_makes_a_cron_workflow(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
wf = workflow("nightly", say(msg="hi"), schedules="0 3 * * *", timezone="UTC",
              concurrency_policy="Replace", suspend=True)
""")
    doc = docs[0]
    assert doc["kind"] == "CronWorkflow"
    assert doc["spec"]["schedules"] == ["0 3 * * *"]
    assert doc["spec"]["concurrencyPolicy"] == "Replace" and doc["spec"]["suspend"] is True
    assert doc["spec"]["workflowSpec"]["entrypoint"] == "nightly"


SCHEDULE_MISUSE = [
    ("bad-cron", 'schedules=["61 * * * *"]', "TPH441"),
    ("bad-timezone", 'schedules="@daily", timezone="Mars/Olympus"', "TPH442"),
    ("bad-policy", 'schedules="@daily", concurrency_policy="Sometimes"', "TPH131"),
    ("cron-option-without-schedule", 'timezone="UTC"', "TPH440"),
    ("output-not-a-node", 'outputs={"x": 3}', "TPH481"),
    ("bad-output-name", 'outputs={"a b": say(msg="x").output}', "TPH480"),
]


@pytest.mark.parametrize("options,code", [m[1:] for m in SCHEDULE_MISUSE],
                         ids=[m[0] for m in SCHEDULE_MISUSE])
def test_workflow_option_misuse(tmp_path: Path, options: str, code: str) -> None:
    docs, diags = compile_text(tmp_path, HEAD + f"\nwf = workflow('w', say(msg='x'), {options})\n")
    found = [d for d in diags if d.code == code]
    assert found, [(d.code, d.message) for d in diags]
    assert found[0].line == (HEAD + "\n").count("\n") + 1
    assert docs == []


def test_cron_workflow_name_limit(tmp_path: Path) -> None:
    name = "n" * 53
    _, diags = compile_text(tmp_path, HEAD + f"\nwf = workflow('{name}', say(msg='x'), "
                            "schedules='@daily')\n")
    assert "TPH310" in [d.code for d in diags]


def test_daemon_ip(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
server = bash("server", "python -m http.server 8080", daemon=True)
s = server()
wf = workflow("daemon", dag(say(msg=s.ip)))
""")
    t = tasks_of(docs[0])
    assert t["say"]["depends"] == "s"
    assert t["say"]["arguments"]["parameters"][0]["value"] == "{{tasks.s.ip}}"


def test_ip_of_a_non_daemon(tmp_path: Path) -> None:
    _, diags = compile_text(tmp_path, HEAD + """
a = say(msg="x")
wf = workflow("w", dag(say(msg=a.ip)))
""")
    assert "TPH182" in [d.code for d in diags]


def test_workflow_status_outside_exit_handlers_warns(tmp_path: Path) -> None:
    _, diags = compile_text(tmp_path, HEAD + """
a = say(msg=workflow_status)
b = say(msg="x").when(workflow_status == "Running")
wf = workflow("w", dag(a, b), on_exit=say(msg=workflow_status))
""")
    first = HEAD.count("\n") + 2
    assert [(d.code, d.line) for d in diags] == [("TPH434", first), ("TPH434", first + 1)]


def test_loose_annotations_decode_json_or_text(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
from typing import Any

@task
def show(n: Any, m: str | None) -> str:
    return f"{n!r}/{m!r}"

names = split(text="alpha beta")
wf = workflow("w", dag(show.map(n=names, m="x"), show(n=3, m=None).named("lit")))
""")
    run = run_doc(docs[0])
    out = sorted(o["parameters.return"] for n, _, o in run.calls if n == "show")
    assert out == ["'alpha'/'x'", "'beta'/'x'", "3/None"]
