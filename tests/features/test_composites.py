"""Reusable composites (@composite), f-string arguments, outputs chosen by expression
(choose(), .or_default()) and exit handlers made of composites: the Argo they compile to, how
they run in tiphys run's engine, and the diagnostics for their misuse (TPH500-510)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from compile_helpers import codes, compile_text
from run_helpers import run_doc

HEAD = """from tiphys import (task, pipeline, parallel, dag, workflow, param, composite, choose,
    workflow_status, workflow_name)

@task
def flip(side: str) -> str:
    return side

@task
def say(msg: str) -> str:
    print(msg)
    return msg

@task
def count(n: int) -> int:
    return n

@task
def length(text: str) -> int:
    return len(text)
"""


def compile_ok(tmp_path: Path, body: str) -> list[dict[str, Any]]:
    docs, diags = compile_text(tmp_path, HEAD + body)
    assert [d for d in diags if d.is_error] == [], diags
    return docs


def templates(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in doc["spec"]["templates"]}


def steps_of(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    items = template["dag"]["tasks"] if "dag" in template else \
        [s for g in template["steps"] for s in g]
    return {s["name"]: s for s in items}


def says(run: Any) -> list[str]:
    return sorted(inputs["msg"] for name, inputs, _ in run.calls if name == "say")


def outputs_of(run: Any, display: str) -> dict[str, str]:
    return next(n.outputs for n in run.nodes.values() if n.name.endswith(display))


# -- composites ------------------------------------------------------------------------------


def test_composite_is_one_template_called_with_arguments(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
@composite
def greet(name: str, punct: str = "!"):
    hi = say(msg=f"hello {name}{punct}")
    n = length(text=hi)
    return pipeline(hi, n, outputs={"size": n.output})

a = greet(name="ann")
b = greet("bob", punct="?")
wf = workflow("greetings", pipeline(parallel(a, b), count(n=b.outputs["size"]).named("c")))
""")
    t = templates(docs[0])
    assert [name for name in t if name.startswith("greet")] == ["greet", "greetings"] or \
        sorted(name for name in t if name.startswith("greet")) == ["greet", "greetings"]
    greet = t["greet"]
    assert greet["inputs"]["parameters"] == [{"name": "name"}, {"name": "punct", "value": "!"}]
    assert greet["outputs"]["parameters"] == [
        {"name": "size", "valueFrom": {"parameter": "{{steps.n.outputs.parameters.return}}"}}]
    assert steps_of(greet)["hi"]["arguments"]["parameters"] == [
        {"name": "msg", "value": "hello {{inputs.parameters.name}}{{inputs.parameters.punct}}"}]
    main = steps_of(t["greetings"])
    assert main["a"]["template"] == main["b"]["template"] == "greet"
    assert main["a"]["arguments"]["parameters"] == [{"name": "name", "value": "ann"}]
    assert main["b"]["arguments"]["parameters"] == [
        {"name": "name", "value": "bob"}, {"name": "punct", "value": "?"}]
    assert main["c"]["arguments"]["parameters"] == [
        {"name": "n", "value": "{{steps.b.outputs.parameters.size}}"}]
    run = run_doc(docs[0])
    assert run.phase == "Succeeded"
    assert says(run) == ["hello ann!", "hello bob?"]
    assert [o["parameters.return"] for n, _, o in run.calls if n == "count"] == ["10"]


def test_inputs_reach_nested_templates_and_composites_nest(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
@composite
def inner(word: str):
    return pipeline(say(msg=word))

@composite
def outer(who: str, times: int = 2):
    first = say(msg=f"{who} starts")
    return dag(first, dag(say(msg=who).named("echo"), name="deep"),
               inner(word=f"{who}-inner").after(first))

wf = workflow("nest", pipeline(outer(who=param("who", default="zoe"))))
""")
    t = templates(docs[0])
    deep = t["deep"]
    assert deep["inputs"]["parameters"] == [{"name": "who"}]
    assert steps_of(deep)["echo"]["arguments"]["parameters"] == [
        {"name": "msg", "value": "{{inputs.parameters.who}}"}]
    outer = steps_of(t["outer"])
    assert outer["deep"]["arguments"]["parameters"] == [
        {"name": "who", "value": "{{inputs.parameters.who}}"}]
    assert outer["inner"]["template"] == "inner"
    assert outer["inner"]["depends"] == "first"
    run = run_doc(docs[0], {"who": "max"})
    assert run.phase == "Succeeded"
    assert says(run) == ["max", "max starts", "max-inner"]


def test_composite_mapped_and_conditional(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
@composite
def shout(word: str):
    return pipeline(say(msg=f"{word}!"))

coin = flip(side="heads")
loud = shout.map(word=["a", "b"])
maybe = shout(word="tails").when(coin.output == "tails")
wf = workflow("mapped", dag(coin, loud, maybe))
""")
    main = steps_of(templates(docs[0])["mapped"])
    assert main["loud"]["withItems"] == ["a", "b"]
    assert main["loud"]["arguments"]["parameters"] == [{"name": "word", "value": "{{item}}"}]
    run = run_doc(docs[0])
    assert says(run) == ["a!", "b!"]


# -- f-strings -------------------------------------------------------------------------------


def test_fstring_of_parameter_output_and_workflow_name(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
c = flip(side="tails")
s = say(msg=f"{workflow_name}: {param('greeting', default='hi')} {c.output} {3}")
wf = workflow("fstrings", pipeline(c, s))
""")
    main = steps_of(templates(docs[0])["fstrings"])
    assert main["s"]["arguments"]["parameters"] == [{
        "name": "msg", "value": "{{workflow.name}}: {{workflow.parameters.greeting}} "
        "{{steps.c.outputs.parameters.return}} 3"}]
    assert docs[0]["spec"]["arguments"]["parameters"] == [{"name": "greeting", "value": "hi"}]
    run = run_doc(docs[0], {"greeting": "hey"})
    assert says(run) == ["fstrings: hey tails 3"]


# -- choose() and .or_default() --------------------------------------------------------------


@pytest.mark.parametrize("side", ["heads", "tails"])
def test_choose_between_outputs_of_whichever_ran(tmp_path: Path, side: str) -> None:
    docs = compile_ok(tmp_path, f"""
coin = flip(side="{side}")
heads = say(msg="it was heads").when(coin.output == "heads")
tails = say(msg="it was tails").when(coin.output == "tails")
after = say(msg=tails.output.or_default("no tails")).named("after")
wf = workflow("choice", dag(coin, heads, tails, after),
              outputs={{"result": choose(heads.output, tails.output),
                        "tails": tails.output.or_default("none")}})
""")
    main = templates(docs[0])["choice"]
    assert main["outputs"]["parameters"][0] == {
        "name": "result", "globalName": "result", "valueFrom": {"expression":
            "tasks.heads.status == 'Succeeded' ? tasks.heads.outputs.parameters['return'] "
            ": tasks.tails.outputs.parameters['return']"}}
    assert steps_of(main)["after"]["depends"] == "tails"
    run = run_doc(docs[0])
    assert run.phase == "Succeeded"
    assert run.outputs["parameters.result"] == f"it was {side}"
    expected = "it was tails" if side == "tails" else "none"
    assert run.outputs["parameters.tails"] == expected
    assert "no tails" in says(run) if side == "heads" else "it was tails" in says(run)


def test_composite_output_chosen_in_a_pipeline(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
@composite
def coin_flip(side: str):
    c = flip(side=side)
    h = say(msg="H").when(c.output == "heads")
    t = say(msg="T").when(c.output == "tails")
    return pipeline(c, parallel(h, t), outputs={"said": choose(h.output, t.output)})

one = coin_flip(side="tails")
wf = workflow("inner-choice", pipeline(one, say(msg=one.outputs["said"]).named("echo")))
""")
    assert templates(docs[0])["coin-flip"]["outputs"]["parameters"][0]["valueFrom"] == {
        "expression": "steps.h.status == 'Succeeded' ? steps.h.outputs.parameters['return'] "
        ": steps.t.outputs.parameters['return']"}
    run = run_doc(docs[0])
    assert [i["msg"] for n, i, _ in run.calls if n == "say"][-1] == "T"


# -- exit handlers made of composites --------------------------------------------------------


@pytest.mark.parametrize("fail,ran", [(set(), "ok"), ({"work"}, "bad")])
def test_exit_handler_composite_with_status_conditions(
        tmp_path: Path, fail: set[str], ran: str) -> None:
    docs = compile_ok(tmp_path, """
ok = say(msg="ok").when(workflow_status == "Succeeded").named("ok")
bad = say(msg="bad").when(workflow_status != "Succeeded").named("bad")
work = count(n=1).named("work")
wf = workflow("exits", pipeline(work), on_exit=parallel(ok, bad))
""")
    assert docs[0]["spec"]["hooks"] == {"exit": {"template": "exit-handler"}}
    handler = steps_of(templates(docs[0])["exit-handler"])
    assert handler["ok"]["when"] == "{{=workflow.status == 'Succeeded'}}"
    run = run_doc(docs[0], fail=fail)
    assert says(run) == [ran]


def test_step_exit_handler_composite_has_no_status_warning(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, HEAD + """
@composite
def report(what: str):
    return parallel(say(msg=f"{what} done: {workflow_status}"))

work = count(n=1).on_exit(pipeline(report(what="count"), say(msg="bye")))
wf = workflow("step-exit", pipeline(work))
""")
    assert diags == []
    run = run_doc(docs[0])
    assert "bye" in says(run) and any(m.startswith("count done: ") for m in says(run))


# -- diagnostics -----------------------------------------------------------------------------


@pytest.mark.parametrize("body,code,line,col", [
    ("@composite\nasync def c(x: str):\n    return pipeline(say(msg=x))\n", "TPH500", 2, 11),
    ("w = composite(say)\n", "TPH500", 1, 5),
    ("@composite\ndef c(*xs: str):\n    return pipeline(say(msg='a'))\n", "TPH501", 2, 8),
    ("@composite\ndef c(x: list[str]):\n    return pipeline(say(msg='a'))\n", "TPH501", 2, 10),
    ("@composite\ndef c(x: str = len('a')):\n    return pipeline(say(msg=x))\n", "TPH501", 2, 16),
    ("@composite\ndef c(x: str):\n    for i in x:\n        pass\n    return pipeline(say(msg=x))\n",
     "TPH502", 3, 5),
    ("@composite\ndef c(x: str):\n    return 3\n", "TPH502", 3, 12),
    ("@composite\ndef c(x: str):\n    s = say(msg=x)\n", "TPH502", 2, 5),
    ("g = say(msg='g')\n@composite\ndef c(x: str):\n    return pipeline(say(msg=g))\n",
     "TPH503", 4, 29),
    ("p = pipeline(say(msg='a'), outputs={'o': 'x'})\n", "TPH504", 1, 36),
    ("@composite\ndef c(x: str):\n    s = say(msg=x)\n    return pipeline(s, outputs={'o': 3})\n",
     "TPH505", 4, 38),
    ("a = say(msg='a')\nv = choose(a.output)\n", "TPH506", 2, 5),
    ("a = say(msg='a')\nv = choose(a.output, 'b')\n", "TPH506", 2, 22),
    ("a = say(msg='a')\nv = a.output.or_default([1])\n", "TPH507", 2, 25),
    ("v = say(msg=f\"{param('p')!r}\")\n", "TPH508", 1, 16),
    ("v = count(n=f\"{param('p')}\")\n", "TPH509", 1, 13),
    ("a = say(msg='a')\nb = say(msg='b').when(a.output == 'x')\n"
     "wf = workflow('w', pipeline(a, pipeline(b), say(msg=b.output.or_default('-'))))\n",
     "TPH510", 3, 53),
])
def test_misuse_is_reported_at_line_and_column(
        tmp_path: Path, body: str, code: str, line: int, col: int) -> None:
    _, diags = compile_text(tmp_path, HEAD + body)
    head_lines = HEAD.count("\n")
    found = [(d.code, d.line - head_lines, d.col) for d in diags if d.is_error]
    assert (code, line, col) in found, found


def test_fstring_of_something_unknown_is_still_tph111(tmp_path: Path) -> None:
    _, diags = compile_text(tmp_path, HEAD + "import os\nv = say(msg=f\"{os.sep}\")\n")
    assert "TPH111" in codes(diags)


def test_condition_on_a_composite_input(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
@composite
def maybe(mode: str):
    return pipeline(say(msg="loud").when(mode == "loud"),
                    dag(say(msg="deep").when(mode == "loud").named("deep"), name="inner"))

wf = workflow("cond-input", pipeline(maybe(mode="loud").named("on"),
                                     maybe(mode="quiet").named("off")))
""")
    t = templates(docs[0])
    assert steps_of(t["maybe"])["say"]["when"] == "{{=inputs.parameters.mode == 'loud'}}"
    assert steps_of(t["inner"])["deep"]["when"] == "{{=inputs.parameters.mode == 'loud'}}"
    run = run_doc(docs[0])
    assert says(run) == ["deep", "loud"]


@pytest.mark.parametrize("body", [
    # an f-string that reads a task that may be skipped
    "a = flip(side='x')\nb = say(msg='b').when(a.output == 'y')\n"
    "wf = workflow('w', dag(a, b, say(msg=f'got {b.output}').named('r')))\n",
    # a composite output read from a task that may be skipped
    "@composite\ndef c(x: str):\n    a = flip(side=x)\n    b = say(msg='b').when(a.output == 'y')\n"
    "    return dag(a, b, outputs={'o': b.output})\n"
    "wf = workflow('w', pipeline(c(x='x')))\n",
])
def test_skippable_reads_through_fstrings_and_composite_outputs(
        tmp_path: Path, body: str) -> None:
    _, diags = compile_text(tmp_path, HEAD + body)
    assert "TPH407" in codes(diags), diags


def test_or_default_function_form(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
from tiphys import or_default
coin = flip(side="heads")
t = say(msg="T").when(coin.output == "tails")
wf = workflow("od", dag(coin, t), outputs={"t": or_default(t.output, 0)})
""")
    out = templates(docs[0])["od"]["outputs"]["parameters"][0]
    assert out["valueFrom"]["expression"].endswith(": '0'")
    assert run_doc(docs[0]).outputs["parameters.t"] == "0"
    _, diags = compile_text(tmp_path, HEAD + "from tiphys import or_default\n"
                            "v = or_default('x', 'y')\n")
    assert "TPH506" in codes(diags)


def test_two_composites_of_one_name_are_never_merged(tmp_path: Path) -> None:
    _, diags = compile_text(tmp_path, HEAD + """
@composite
def c(x: str):
    return pipeline(say(msg=x))

a = c(x="1")

@composite
def c(x: str):
    return pipeline(say(msg=x), say(msg=x))

wf = workflow("w", pipeline(a, c(x="2")))
""")
    assert "TPH312" in codes(diags)


@pytest.mark.parametrize("broken", ["choose(a.output)", "a.output.or_default([1])"])
def test_a_broken_choice_passed_on_is_reported_once(tmp_path: Path, broken: str) -> None:
    """The choice is reported where it is written, not again as TPH111 where it is passed."""
    _, diags = compile_text(tmp_path, HEAD + f"a = say(msg='a')\nv = {broken}\n"
                            "wf = workflow('w', pipeline(a, say(msg=v)))\n")
    assert codes(diags) in (["TPH506"], ["TPH507"]), codes(diags)
