"""Template fields from run-time values (issue 13, item 6): ``sequence()`` bounds read from
another task's output and from a ``@composite`` input, and ``timeout=``/``retries=`` from a
workflow ``param()``. Each compiles clean (strict schema and Argo's rules are checked before
a document is written), has the Argo shape, and runs in ``tiphys run``'s engine the number of
times the value says; misuse is reported at its line and column (TPH529, TPH407, TPH535)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tiphys.compiler.strict_schema import check_strict
from tiphys.compiler.validator import check_documents

from compile_helpers import compile_text
from run_helpers import run_doc

HEAD = """from typing import NamedTuple

from tiphys import (Composite, bash, choose, composite, dag, or_default, param, parallel,
    pipeline, sequence, task, workflow)

@task
def how_many(n: int) -> int:
    return n

@task
def word() -> str:
    return "three"

class Sizes(NamedTuple):
    rows: int
    label: str

@task
def sizes(n: int) -> Sizes:
    return Sizes(n, "x")

@task
def show(n: int) -> int:
    return n

@task
def label(text: str) -> str:
    return text

@task
def total(values: list[int]) -> int:
    return sum(values)

echo = bash("echo", "echo 3")
"""


def compile_ok(tmp_path: Path, body: str) -> list[dict[str, Any]]:
    docs, diags = compile_text(tmp_path, HEAD + body)
    assert [d for d in diags if d.is_error] == [], diags
    for doc in docs:  # as written: strict schema and Argo's rules hold
        assert check_strict(doc) == []
    assert [f for f in check_documents(docs) if f.severity.value == "error"] == []
    return docs


def errors(tmp_path: Path, body: str) -> list[tuple[str, int, int]]:
    """(code, line, column) of every error, lines counted from the body's first line."""
    _, diags = compile_text(tmp_path, HEAD + body)
    offset = HEAD.count("\n")
    return [(d.code, d.line - offset, d.col) for d in diags if d.is_error]


def at(body: str, line: int, marker: str) -> int:
    """The 1-based column of *marker* on *line* of *body* (counted from 1)."""
    return body.split("\n")[line - 1].index(marker) + 1


def entries(doc: dict[str, Any], template: str | None = None) -> dict[str, dict[str, Any]]:
    name = template or doc["spec"]["entrypoint"]
    t = next(x for x in doc["spec"]["templates"] if x["name"] == name)
    items = t["dag"]["tasks"] if "dag" in t else [s for g in t["steps"] for s in g]
    return {x["name"]: x for x in items}


def returns(run: Any, template: str) -> list[str]:
    return sorted((o["parameters.return"] for n, _, o in run.calls if n == template), key=str)


# -- bounds from another task's output ---------------------------------------------------------


def test_a_dag_loop_counts_with_an_output_and_depends_on_it(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
n = how_many(n=param("n", default=3))
shown = show.map(n=sequence(count=n))
dated = label.map(text=sequence(start=n.output, end=5, format="2020-05-%02X"))
wf = workflow("w", dag(shown, dated))
""")
    t = entries(docs[0])
    assert t["shown"]["withSequence"] == {"count": "{{tasks.n.outputs.parameters.return}}"}
    assert t["shown"]["depends"] == "n"
    assert t["dated"]["withSequence"] == {"start": "{{tasks.n.outputs.parameters.return}}",
                                          "end": "5", "format": "2020-05-%02X"}
    assert t["dated"]["depends"] == "n"
    run = run_doc(docs[0])
    assert returns(run, "show") == ["0", "1", "2"]
    assert returns(run, "label") == ["2020-05-03", "2020-05-04", "2020-05-05"]
    # The count is the producer's value at run time, not a constant of the document.
    run = run_doc(docs[0], {"n": "5"})
    assert returns(run, "show") == ["0", "1", "2", "3", "4"]
    assert returns(run, "label") == ["2020-05-05"]


def test_a_steps_loop_reads_an_earlier_steps_output(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
n = how_many(n=2)
shown = show.map(n=sequence(start=1, end=n))
wf = workflow("w", pipeline(n, shown, total(values=shown)))
""")
    t = entries(docs[0])
    assert t["shown"]["withSequence"] == {"start": "1",
                                          "end": "{{steps.n.outputs.parameters.return}}"}
    assert returns(run_doc(docs[0]), "total") == ["3"]  # 1 + 2


def test_a_loop_in_a_nested_composite_imports_the_bound(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
n = how_many(n=4)
shown = show.map(n=sequence(count=n))
wf = workflow("w", pipeline(n, dag(shown)))
""")
    steps = entries(docs[0])
    inner = steps["dag"]["template"]
    (arg,) = steps["dag"]["arguments"]["parameters"]
    assert arg["value"] == "{{steps.n.outputs.parameters.return}}"
    loop = entries(docs[0], inner)["shown"]
    assert loop["withSequence"] == {"count": f"{{{{inputs.parameters.{arg['name']}}}}}"}
    assert returns(run_doc(docs[0]), "show") == ["0", "1", "2", "3"]


def test_an_int_field_of_a_record_return_is_a_bound(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
s = sizes(n=2)
shown = show.map(n=sequence(count=s.output.rows))
wf = workflow("w", dag(shown))
""")
    assert entries(docs[0])["shown"]["withSequence"] == {
        "count": "{{tasks.s.outputs.parameters.rows}}"}
    assert returns(run_doc(docs[0]), "show") == ["0", "1"]


def test_a_producer_that_may_be_skipped(tmp_path: Path) -> None:
    body = """
n = how_many(n=2).when(param("go", default="yes") == "yes")
shown = show.map(n=sequence(count=n)){after}
wf = workflow("w", dag(shown))
"""
    assert errors(tmp_path, body.format(after="")) == [("TPH407", 3, at(body, 3, "n)"))]
    docs = compile_ok(tmp_path, body.format(after=".after(n.succeeded)"))
    assert entries(docs[0])["shown"]["depends"] == "n.Succeeded"
    assert returns(run_doc(docs[0]), "show") == ["0", "1"]
    skipped = run_doc(docs[0], {"go": "no"})
    assert skipped.phase == "Succeeded"
    assert returns(skipped, "show") == []


@pytest.mark.parametrize(("go", "runs"), [("yes", 3), ("no", 2)])
def test_or_default_reads_a_skippable_producer_safely(tmp_path: Path, go: str,
                                                      runs: int) -> None:
    docs = compile_ok(tmp_path, """
n = how_many(n=3).when(param("go", default="yes") == "yes")
shown = show.map(n=sequence(count=or_default(n.output, 2)))
wf = workflow("w", dag(shown))
""")
    t = entries(docs[0])
    assert t["shown"]["withSequence"]["count"] == (
        "{{=tasks.n.status == 'Succeeded' ? tasks.n.outputs.parameters['return'] : '2'}}")
    assert t["shown"]["depends"] == "n"
    assert len(returns(run_doc(docs[0], {"go": go}), "show")) == runs


@pytest.mark.parametrize(("go", "runs"), [("yes", 2), ("no", 4)])
def test_choose_counts_with_the_output_that_exists(tmp_path: Path, go: str, runs: int) -> None:
    docs = compile_ok(tmp_path, """
a = how_many(n=2).when(param("go", default="yes") == "yes")
b = how_many(n=4).when(param("go", default="yes") != "yes")
shown = show.map(n=sequence(count=choose(a.output, b.output)))
wf = workflow("w", pipeline(parallel(a, b), shown))
""")
    assert "steps.a.status == 'Succeeded'" in entries(docs[0])["shown"]["withSequence"]["count"]
    assert len(returns(run_doc(docs[0], {"go": go}), "show")) == runs


@pytest.mark.parametrize(("body", "bound", "fragment"), [
    ('w = word()\nwf = workflow("w", dag(show.map(n=sequence(count=w))))', "w)",
     "output 'return' of 'w' is str"),
    ('e = echo()\nwf = workflow("w", dag(show.map(n=sequence(end=e.output))))', "e.output",
     "is text (stdout or a file)"),
    ('s = sizes(n=1)\nwf = workflow("w", dag(show.map(n=sequence(count=s.output.label))))',
     "s.output.label", "output 'label' of 's' is str"),
    ('ns = how_many.map(n=[1, 2])\nwf = workflow("w", dag(show.map(n=sequence(count=ns))))',
     "ns)", "a loop"),
    ('x = 1\nwf = workflow("w", dag(show.map(n=sequence(count=how_many))))', "how_many",
     "this is task 'how-many'"),
    ('x = 1\nwf = workflow("w", dag(show.map(n=sequence(count=1.5))))', "1.5",
     "the literal 1.5"),
    ('n = how_many(n=1)\nwf = workflow("w", dag(show.map(n=sequence(count=or_default(n.output, '
     '"2")))))', "or_default", "the default of this or_default() is '2'"),
    ('w = word()\nwf = workflow("w", dag(show.map(n=sequence(count=or_default(w.output, 2)))))',
     "or_default", "output 'return' of 'w' is str"),
])
def test_bounds_that_are_not_int_outputs(tmp_path: Path, body: str, bound: str,
                                         fragment: str) -> None:
    assert errors(tmp_path, body) == [("TPH529", 2, at(body, 2, bound))]
    _, diags = compile_text(tmp_path, HEAD + body)
    assert fragment in next(d.message for d in diags if d.code == "TPH529")


def test_a_bound_read_in_the_same_parallel_group_is_refused(tmp_path: Path) -> None:
    found = errors(tmp_path, """
n = how_many(n=2)
wf = workflow("w", pipeline(parallel(n, show.map(n=sequence(count=n)))))
""")
    assert [c for c, _, _ in found] == ["TPH302"]


# -- bounds from a composite input ------------------------------------------------------------


def test_composite_inputs_bound_loops_inside_it(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
@composite
def fan(n: int, first: int = 1) -> Composite:
    runs = show.map(n=sequence(start=first, count=n))
    return pipeline(runs, total(values=runs))

@composite
def nested(n: int) -> Composite:
    return pipeline(dag(label.map(text=sequence(count=n, format="u%d"))))

wf = workflow("w", pipeline(fan(n=2), fan(n=3, first=10), nested(n=4)))
""")
    fan = entries(docs[0], "fan")["runs"]
    assert fan["withSequence"] == {"start": "{{inputs.parameters.first}}",
                                   "count": "{{inputs.parameters.n}}"}
    inner = entries(docs[0], "nested")["dag"]
    assert inner["arguments"]["parameters"] == [{"name": "n",
                                                 "value": "{{inputs.parameters.n}}"}]
    deep = entries(docs[0], inner["template"])
    assert next(iter(deep.values()))["withSequence"]["count"] == "{{inputs.parameters.n}}"
    run = run_doc(docs[0])
    assert returns(run, "total") == ["3", "33"]  # 1 + 2, and 10 + 11 + 12
    assert returns(run, "label") == ["u0", "u1", "u2", "u3"]


def test_a_composite_input_that_is_not_an_int(tmp_path: Path) -> None:
    found = errors(tmp_path, """
@composite
def fan(n: str) -> Composite:
    return pipeline(show.map(n=sequence(count=n)))

wf = workflow("w", fan(n="2"))
""")
    assert found == [("TPH529", 4, len("    return pipeline(show.map(n=sequence(count=")+1)]


# -- timeout= and retries= from a workflow parameter ------------------------------------------


def test_timeout_and_retries_from_workflow_parameters(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
limit = param("limit", default="20s")

@task(timeout=limit, retries=param("tries", default=0))
def slow(seconds: float) -> str:
    import time
    time.sleep(seconds)
    return "done"

flaky = bash("flaky", "exit 1", retries=param("tries", default=0))
wf = workflow("w", dag(slow(seconds=2), flaky()))
""")
    spec = docs[0]["spec"]
    t = {x["name"]: x for x in spec["templates"]}
    assert t["slow"]["timeout"] == "{{workflow.parameters.limit}}"
    assert t["slow"]["retryStrategy"] == {"limit": "{{workflow.parameters.tries}}"}
    assert t["flaky"]["retryStrategy"] == {"limit": "{{workflow.parameters.tries}}"}
    assert sorted((p["name"], p["value"]) for p in spec["arguments"]["parameters"]) == [
        ("limit", "20s"), ("tries", "0")]

    def attempts(run: Any, step: str) -> int:
        return sum(1 for n in run.nodes.values() if n.type == "Pod"
                   and n.display.startswith(f"{step}("))

    run = run_doc(docs[0], {"tries": "2"}, time_scale=1.0)
    assert attempts(run, "flaky") == 3  # the first and two retries
    assert {n.display: n.phase for n in run.nodes.values() if n.type == "Retry"}["slow"] \
        == "Succeeded"
    late = run_doc(docs[0], {"limit": "1s"}, time_scale=1.0)
    assert attempts(late, "flaky") == 1
    assert {n.display: n.phase for n in late.nodes.values() if n.type == "Retry"}["slow"] \
        == "Failed"


@pytest.mark.parametrize("option", [
    'timeout=param("limit", default=30)',
    'timeout=param("limit", default="soon")',
    'retries=param("tries", default="2")',
    'retries=param("tries", default=-1)',
    'timeout="1m", retries=param("tries", default=True)',
])
def test_workflow_parameters_that_do_not_fit_the_field(tmp_path: Path, option: str) -> None:
    body = f'\n@task({option})\ndef work() -> None:\n    pass\n\nwf = workflow("w", work())\n'
    at = len("@task(") + option.index("param") + 1  # the param(...) call, 1-based
    assert errors(tmp_path, body) == [("TPH535", 2, at)]


def test_a_parameter_without_default_is_given_at_submission(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
flaky = bash("flaky", "exit 1", timeout=param("limit"), retries=param("tries"))
wf = workflow("w", flaky())
""")
    assert sorted(p["name"] for p in docs[0]["spec"]["arguments"]["parameters"]) == [
        "limit", "tries"]
    run = run_doc(docs[0], {"limit": "30s", "tries": "1"})
    assert sum(1 for n in run.nodes.values() if n.type == "Pod") == 2


def test_a_container_set_takes_them_too(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
from tiphys import container_node, container_set, from_input

main = container_node("main", "alpine", command=["echo", "hi"])
both = container_set("both", [main], inputs=["n"], timeout=param("limit", default="5m"),
                     retries=from_input("n"))
wf = workflow("w", both(n="2"))
""")
    spec = docs[0]["spec"]
    t = next(x for x in spec["templates"] if x["name"] == "both")
    assert (t["timeout"], t["retryStrategy"]) == ("{{workflow.parameters.limit}}",
                                                  {"limit": "{{inputs.parameters.n}}"})
    assert spec["arguments"]["parameters"] == [{"name": "limit", "value": "5m"}]
