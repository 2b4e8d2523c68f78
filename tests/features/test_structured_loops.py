"""Loops over structured items (each()), counted sequences (sequence()), regex conditions
(matches()) and .map() of tasks without inputs: the Argo they compile to, how they run in
tiphys run's engine, and the diagnostics for their misuse (TPH520-531)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tiphys.compiler.frontend.regex_syntax import regex_problem

from compile_helpers import compile_text
from run_helpers import run_doc

HEAD = """from tiphys import (bash, container, dag, each, matches, param, parallel, pipeline,
    sequence, task, workflow)

@task
def build(image: str, tag: str) -> str:
    return f"{image}:{tag}"

@task
def classify(nums: list[int]) -> list[dict]:
    return [{"num": n, "evenness": "even" if n % 2 == 0 else "odd"} for n in nums]

@task
def half(num: int) -> int:
    return num // 2

@task
def show(n: int) -> int:
    return n

@task
def label(text: str) -> str:
    return text

@task
def total(values: list[int]) -> int:
    return sum(values)

@task
def flip(side: str) -> str:
    return side

@task
def tick() -> str:
    return "tick"
"""


def compile_ok(tmp_path: Path, body: str) -> list[dict[str, Any]]:
    docs, diags = compile_text(tmp_path, HEAD + body)
    assert [d for d in diags if d.is_error] == [], diags
    return docs


def diagnostics(tmp_path: Path, body: str) -> list[tuple[str, int, int]]:
    """(code, line, column) of every error, lines counted from the body's first line."""
    _, diags = compile_text(tmp_path, HEAD + body)
    offset = HEAD.count("\n")
    return [(d.code, d.line - offset, d.col) for d in diags if d.is_error]


def tasks_of(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    t = next(x for x in doc["spec"]["templates"] if x["name"] == doc["spec"]["entrypoint"])
    items = t["dag"]["tasks"] if "dag" in t else [s for g in t["steps"] for s in g]
    return {x["name"]: x for x in items}


def returns(run: Any, template: str) -> list[str]:
    return [o["parameters.return"] for n, _, o in run.calls if n == template]


# -- each() ---------------------------------------------------------------------------------


def test_item_fields_feed_several_inputs(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
rows = each([{"image": "debian", "tag": "9.1"}, {"image": "alpine", "tag": "3.6"}])
built = build.map(image=rows.image, tag=rows["tag"])
wf = workflow("w", dag(built))
""")
    t = tasks_of(docs[0])["built"]
    assert t["withItems"] == [{"image": "debian", "tag": "9.1"}, {"image": "alpine", "tag": "3.6"}]
    assert t["arguments"]["parameters"] == [{"name": "image", "value": "{{item.image}}"},
                                            {"name": "tag", "value": "{{item.tag}}"}]
    assert sorted(returns(run_doc(docs[0]), "build")) == ["alpine:3.6", "debian:9.1"]


def test_condition_on_a_loop_item_skips_some_runs(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
rows = each([{"name": "alpha", "size": 3}, {"name": "beta", "size": 12}])
big = label.map(text=rows.name).when(rows.size > 5)
wf = workflow("w", dag(big))
""")
    assert tasks_of(docs[0])["big"]["when"] == "{{=asInt(item.size) > 5}}"
    assert returns(run_doc(docs[0]), "label") == ["beta"]


def test_each_over_a_list_output_with_a_condition_and_fan_in(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
rows = each(classify(nums=[1, 2, 3, 4]).output)
halves = half.map(num=rows.num).when(rows.evenness == "even")
wf = workflow("w", dag(total(values=halves)))
""")
    t = tasks_of(docs[0])["halves"]
    assert t["withParam"] == "{{tasks.classify.outputs.parameters.return}}"
    assert t["when"] == "{{=item.evenness == 'even'}}"
    run = run_doc(docs[0])
    assert sorted(returns(run, "half")) == ["1", "2"]
    assert returns(run, "total") == ["3"]


def test_each_over_another_loops_outputs(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
shown = show.map(n=[1, 2, 3])
runs = each(shown)
labels = label.map(text=runs["return"]).when(runs["return"] != "2")
wf = workflow("w", dag(labels))
""")
    t = tasks_of(docs[0])["labels"]
    assert t["withParam"] == "{{tasks.shown.outputs.parameters}}"
    assert t["depends"] == "shown"
    assert t["arguments"]["parameters"] == [{"name": "text", "value": "{{item.return}}"}]
    assert sorted(returns(run_doc(docs[0]), "label")) == ["1", "3"]


def test_each_over_a_list_parameter(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
rows = each(param("builds", default=[{"image": "debian", "tag": "9"}]))
wf = workflow("w", dag(build.map(image=rows.image, tag=rows.tag)))
""")
    assert tasks_of(docs[0])["build"]["withParam"] == "{{workflow.parameters.builds}}"
    run = run_doc(docs[0], {"builds": json.dumps([{"image": "x", "tag": "1"},
                                                 {"image": "y", "tag": "2"}])})
    assert sorted(returns(run, "build")) == ["x:1", "y:2"]


def test_loops_maps_sample_compiles_to_argos_shape() -> None:
    from compile_helpers import compile_sample, load_all
    from conftest import SAMPLES

    doc = load_all(compile_sample(SAMPLES / "hera" / "loops_maps.py"))[0]
    step = doc["spec"]["templates"][0]["steps"][0][0]
    assert step["withItems"][2] == {"image": "alpine", "tag": "3.6"}
    assert [p["value"] for p in step["arguments"]["parameters"]] == ["{{item.image}}",
                                                                   "{{item.tag}}"]


def test_parameter_aggregation_sample_matches_argos_example() -> None:
    from compile_helpers import compile_sample, load_all
    from conftest import SAMPLES

    doc = load_all(compile_sample(SAMPLES / "hera" / "parameter_aggregation_dag.py"))[0]
    t = tasks_of(doc)
    assert t["divide-by-2"]["withParam"] == "{{tasks.odd-or-even.outputs.parameters}}"
    assert t["divide-by-2"]["when"] == "{{=item.evenness == 'even'}}"
    assert t["divide-by-2"]["depends"] == "odd-or-even"
    assert t["print"]["withParam"] == "{{tasks.divide-by-2.outputs.result}}"


@pytest.mark.parametrize(("body", "expected"), [
    # not a list of items
    ('rows = each(tick())\nwf = workflow("w", label.map(text=rows.x))', [("TPH520", 1, 13)]),
    ('rows = each(5)\nwf = workflow("w", label.map(text=rows.x))', [("TPH520", 1, 13)]),
    ('rows = each(show.map(n=[1]).output)\nwf = workflow("w", label.map(text=rows.x))',
     [("TPH520", 1, 13)]),
    # items unlike each other
    ('rows = each([{"a": 1}, {"b": 2}])', [("TPH521", 1, 13)]),
    ('rows = each([1, 2])', [("TPH521", 1, 13)]),
    ('rows = each([])', [("TPH521", 1, 13)]),
    ('rows = each([{"a": 1}, {"a": "x"}])', [("TPH521", 1, 13)]),
    ('rows = each([{"a.b": 1}])', [("TPH521", 1, 13)]),
    # unknown field, at the attribute
    ('rows = each([{"image": "a", "tag": "b"}])\n'
     'wf = workflow("w", build.map(image=rows.imag, tag=rows.tag))', [("TPH522", 2, 41)]),
    # wrong type for the input
    ('rows = each([{"n": "x"}])\nwf = workflow("w", show.map(n=rows.n))', [("TPH523", 2, 31)]),
    ('rows = each([{"n": 1}])\nwf = workflow("w", show.map(n=rows))', [("TPH523", 2, 31)]),
    # item outside its .map()
    ('rows = each([{"n": 1}])\nwf = workflow("w", show(n=rows.n))', [("TPH524", 2, 27)]),
    ('rows = each([{"n": "a"}])\nother = each([{"n": "b"}])\n'
     'wf = workflow("w", build.map(image=rows.n, tag=other.n))', [("TPH524", 3, 48)]),
    ('rows = each([{"n": 1}])\nwf = workflow("w", show.map(n=[1, 2]).when(rows.n > 0))',
     [("TPH524", 2, 44)]),
])
def test_each_diagnostics(tmp_path: Path, body: str, expected: list[tuple[str, int, int]]) -> None:
    assert diagnostics(tmp_path, body) == expected


def test_each_over_a_loop_in_another_composite(tmp_path: Path) -> None:
    found = diagnostics(tmp_path, """
shown = show.map(n=[1, 2])
labels = label.map(text=each(shown)["return"])
wf = workflow("w", pipeline(shown, dag(labels)))
""")
    assert found == [("TPH531", 3, 30)]


# -- sequence() -------------------------------------------------------------------------------


def test_sequences_count_down_format_and_parameter_bounds(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
down = show.map(n=sequence(start=3, end=1))
fmt = label.map(text=sequence(count=2, format="user%02X"))
counted = show.map(n=sequence(start=10, count=param("count", default=2)))
wf = workflow("w", dag(down, fmt, counted))
""")
    t = tasks_of(docs[0])
    assert t["down"]["withSequence"] == {"start": "3", "end": "1"}
    assert t["fmt"]["withSequence"] == {"count": "2", "format": "user%02X"}
    assert t["counted"]["withSequence"] == {"start": "10",
                                            "count": "{{workflow.parameters.count}}"}
    assert docs[0]["spec"]["arguments"]["parameters"] == [{"name": "count", "value": "2"}]
    run = run_doc(docs[0], {"count": "3"})
    shown = returns(run, "show")
    assert sorted(shown, key=int) == ["1", "2", "3", "10", "11", "12"]
    assert sorted(returns(run, "label")) == ["user00", "user01"]


@pytest.mark.parametrize(("call", "code"), [
    ("sequence(start=1, end=5, count=5)", "TPH529"),
    ("sequence(start=1)", "TPH529"),
    ("sequence(count=0)", "TPH529"),
    ("sequence(count='5')", "TPH529"),
    ("sequence(count=param('c', default='x'))", "TPH529"),
    ("sequence(count=3, format='user%s')", "TPH530"),
    ("sequence(count=3, format='%d-%d')", "TPH530"),
])
def test_sequence_diagnostics(tmp_path: Path, call: str, code: str) -> None:
    found = diagnostics(tmp_path, f'wf = workflow("w", show.map(n={call}))')
    assert [c for c, _, _ in found] == [code]


# -- matches() --------------------------------------------------------------------------------


@pytest.mark.parametrize(("side", "expected"), [("heads", ["heads!"]), ("tails", ["tails!"])])
def test_regex_condition_runs_one_branch(tmp_path: Path, side: str, expected: list[str]) -> None:
    docs = compile_ok(tmp_path, f"""
coin = flip(side=param("side", default="{side}"))
h = label(text="heads!").when(matches(coin.output, r"^hea"))
t = label(text="tails!").when(matches(coin.output, r"^t.i\\w+$") and coin.output != "x")
wf = workflow("w", dag(h, t))
""")
    t = tasks_of(docs[0])
    assert t["h"]["when"] == "{{=tasks.coin.outputs.parameters['return'] matches '^hea'}}"
    assert t["h"]["depends"] == "coin"
    assert returns(run_doc(docs[0]), "label") == expected


def test_regex_on_a_parameter_and_an_item(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
rows = each([{"name": "alpha"}, {"name": "beta"}])
picked = label.map(text=rows.name).when(matches(rows.name, r"^b")
                                        and matches(param("p", default="on"), "o"))
wf = workflow("w", dag(picked))
""")
    assert tasks_of(docs[0])["picked"]["when"] == \
        "{{=(item.name matches '^b') && (workflow.parameters.p matches 'o')}}"
    assert returns(run_doc(docs[0]), "label") == ["beta"]


@pytest.mark.parametrize(("pattern", "problem"), [
    ("(?=x)", "look-around"), ("(?<!x)y", "look-around"), (r"(a)\1", "back-reference"),
    ("(?P<n>a)(?P=n)", "back-reference"), ("(?>a)", "atomic group"), ("a++", "possessive"),
    (r"a\Z", "\\Z"), ("(", "not a valid regular expression"), ("{{x}}", "template tags"),
])
def test_patterns_re2_refuses(pattern: str, problem: str) -> None:
    found = regex_problem(pattern)
    assert found is not None and problem in found


@pytest.mark.parametrize("pattern", ["^hea", r"\d+-\w*$", "a|b", "[a-z]{2,3}", r"x\z"[:-2]])
def test_patterns_re2_accepts(pattern: str) -> None:
    assert regex_problem(pattern) is None


@pytest.mark.parametrize(("body", "expected"), [
    ('coin = flip(side="a")\nwf = workflow("w", dag(label(text="x").when('
     'matches(coin.output, r"(?=a)"))))', [("TPH526", 2, 66)]),
    ('coin = flip(side="a")\np = "^a"\nwf = workflow("w", dag(label(text="x").when('
     'matches(coin.output, p + "b"))))', [("TPH526", 3, 66)]),
    ('wf = workflow("w", show(n=matches("abc", "a")))', [("TPH527", 1, 27)]),
    ('nums = classify(nums=[1])\nwf = workflow("w", dag(label(text="x").when('
     'matches(nums.output, "a"))))', [("TPH528", 2, 53)]),
])
def test_matches_diagnostics(tmp_path: Path, body: str,
                             expected: list[tuple[str, int, int]]) -> None:
    assert diagnostics(tmp_path, body) == expected


# -- .map() of a task without inputs --------------------------------------------------------


def test_map_of_a_task_without_inputs(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
ticks = tick.map([1, 2, 3])
counted = tick.map(sequence(count=2)).named("counted")
wf = workflow("w", dag(ticks, counted))
""")
    t = tasks_of(docs[0])
    assert t["ticks"]["withItems"] == [1, 2, 3]
    assert "arguments" not in t["ticks"]
    assert t["counted"]["withSequence"] == {"count": "2"}
    assert returns(run_doc(docs[0]), "tick") == ["tick"] * 5


@pytest.mark.parametrize("call", ["tick.map(3)", "tick.map([])", "tick.map([1], [2])"])
def test_map_of_a_task_without_inputs_needs_a_list(tmp_path: Path, call: str) -> None:
    found = diagnostics(tmp_path, f'wf = workflow("w", {call})')
    assert [c for c, _, _ in found] == ["TPH525"]


# -- template fields from inputs --------------------------------------------------------------


def test_timeout_and_retries_from_the_tasks_inputs(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
from tiphys import from_input

@task(timeout=from_input("limit"), retries=from_input("tries"))
def slow(limit: str, tries: int, seconds: float) -> str:
    import time
    time.sleep(seconds)
    return "done"

quick = slow(limit="20s", tries=1, seconds=0).named("quick")
late = slow(limit="1s", tries=0, seconds=5).named("late")
wf = workflow("w", dag(quick, late))
""")
    t = next(x for x in docs[0]["spec"]["templates"] if x["name"] == "slow")
    assert t["timeout"] == "{{inputs.parameters.limit}}"
    assert t["retryStrategy"]["limit"] == "{{inputs.parameters.tries}}"
    run = run_doc(docs[0], time_scale=1.0)
    phases = {n.display: n.phase for n in run.nodes.values() if n.type == "Retry"}
    assert phases == {"quick": "Succeeded", "late": "Failed"}


@pytest.mark.parametrize(("body", "expected"), [
    ('from tiphys import from_input\n'
     '@task(timeout=from_input("limt"))\ndef f(limit: str) -> None:\n    pass',
     [("TPH532", 2, 15)]),
    ('from tiphys import from_input\n'
     'b = bash("b", "echo", inputs=["n"], retries=from_input("tries"))', [("TPH532", 2, 45)]),
])
def test_from_input_names_an_input(tmp_path: Path, body: str,
                                   expected: list[tuple[str, int, int]]) -> None:
    assert diagnostics(tmp_path, body) == expected


# -- small gaps: sh scripts, tar compression, jq outputs ---------------------------------------


def test_sh_scripts_run_with_sh(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
hi = bash("hi", 'echo "hello $who"', inputs=["who"], shell="sh", image="alpine:3.23")
wf = workflow("w", pipeline(hi(who="sh")))
""")
    t = next(x for x in docs[0]["spec"]["templates"] if x["name"] == "hi")
    assert t["script"]["command"] == ["sh"]
    assert run_doc(docs[0]).stdout == ["hello sh\n"]


def test_tar_compression_level(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
from tiphys import OutputArtifact, artifact

@task(artifacts={"a": artifact(archive="tar", compression_level=0),
                 "b": artifact(compression_level=9)})
def write(a: OutputArtifact = OutputArtifact(), b: OutputArtifact = OutputArtifact()) -> None:
    for path in (a, b):
        open(path, "w").write("x")

wf = workflow("w", write())
""")
    t = next(x for x in docs[0]["spec"]["templates"] if x["name"] == "write")
    archives = {a["name"]: a["archive"] for a in t["outputs"]["artifacts"]}
    assert archives == {"a": {"tar": {"compressionLevel": 0}},
                        "b": {"tar": {"compressionLevel": 9}}}


def test_resource_outputs_by_jsonpath_and_jq(tmp_path: Path) -> None:
    docs = compile_ok(tmp_path, """
from tiphys import resource
job = resource("job", "create", {"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"generateName": "x-"}},
               outputs={"name": "{.metadata.name}", "whole": ".", "count": ".data | length"})
wf = workflow("w", pipeline(job))
""")
    t = next(x for x in docs[0]["spec"]["templates"] if x["name"] == "job")
    assert {p["name"]: p["valueFrom"] for p in t["outputs"]["parameters"]} == {
        "name": {"jsonPath": "{.metadata.name}"}, "whole": {"jqFilter": "."},
        "count": {"jqFilter": ".data | length"}}


@pytest.mark.parametrize(("body", "code"), [
    ('b = bash("b", "echo", shell="zsh")', "TPH534"),
    ('from tiphys import OutputArtifact, artifact\n'
     '@task(artifacts={"a": artifact(archive="zip", compression_level=1)})\n'
     'def w(a: OutputArtifact = OutputArtifact()) -> None:\n    pass', "TPH533"),
    ('from tiphys import OutputArtifact, artifact\n'
     '@task(artifacts={"a": artifact(compression_level=10)})\n'
     'def w(a: OutputArtifact = OutputArtifact()) -> None:\n    pass', "TPH533"),
])
def test_small_option_diagnostics(tmp_path: Path, body: str, code: str) -> None:
    assert [c for c, _, _ in diagnostics(tmp_path, body)] == [code]


def test_a_second_list_beside_each_items_is_named_in_the_message(tmp_path: Path) -> None:
    _, diags = compile_text(tmp_path, HEAD + """
@task
def pair(name: str, extra) -> None:
    print(name, extra)

rows = each([{"name": "a"}])
wf = workflow("w", pair.map(name=rows.name, extra=[1, 2]))
""")
    found = [d for d in diags if d.code == "TPH414"]
    assert len(found) == 1 and "the items of each()" in found[0].message
