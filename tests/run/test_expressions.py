"""The expression languages (expr-lang for ``{{=...}}`` and hooks, govaluate's simple form for
``when``), ``depends`` and substitution, on their own."""

from __future__ import annotations

import pytest

from tiphys.compiler.run.depends import TaskState, handles_failure, holds, leaves, names
from tiphys.compiler.run.durations import seconds
from tiphys.compiler.run.expressions import ExpressionError, evaluate, evaluate_simple, render
from tiphys.compiler.run.substitution import Unresolved, item_scope, substitute, tree

ENV = tree({"tasks.coin.outputs.parameters.return": "heads",
            "tasks.size.outputs.parameters.return": "70",
            "tasks.list.outputs.result": '["a", "b"]',
            "workflow.status": "Running", "inputs.parameters.my-p": "x"})


@pytest.mark.parametrize("text,value", [
    ("tasks.coin.outputs.parameters['return'] == 'heads'", True),
    ("(asInt(tasks.size.outputs.parameters['return']) >= 50) && "
     "(tasks.coin.outputs.parameters['return'] == 'tails')", False),
    ("asInt(tasks.size.outputs.parameters['return']) > 5 || false", True),
    ("!(workflow.status == 'Running')", False),
    ("not (1 > 2) and 2 >= 2", True),
    ("asFloat('1.5') * 2", 3.0),
    ("1 + 2 * 3 - 4 / 2", 5.0),
    ("7 % 3", 1),
    ("'a' + 'b'", "ab"),
    ("inputs.parameters['my-p'] in ['x', 'y']", True),
    ("'z' not in ['x', 'y']", True),
    ("tasks.list.outputs.result[1]", "b"),
    ("jsonpath(tasks.list.outputs.result, '$[0]')", "a"),
    ("len(tasks.list.outputs.result) == 10", True),
    ("workflow.status == 'Running' ? 'yes' : 'no'", "yes"),
    ("nil ?? 'fallback'", "fallback"),
    ("'heads' startsWith 'he' && 'heads' endsWith 'ds' && 'heads' contains 'ea'", True),
    ("'abc' matches '^a.c$'", True),
    ("string(3) == '3'", True),
    ("\"double\" == 'double'", True),
])
def test_expr_lang_subset(text: str, value: object) -> None:
    assert evaluate(text, ENV) == value


@pytest.mark.parametrize("text", ["unknown == 1", "asInt('x')", "1 +", "(1", "nosuch(1)",
                                  "tasks.coin.outputs.parameters['nope']", "1 / 0", "#"])
def test_bad_expressions_are_errors(text: str) -> None:
    with pytest.raises(ExpressionError):
        evaluate(text, ENV)


@pytest.mark.parametrize("text,value", [
    ("heads == heads", True), ("tails == heads", False), ("heads != tails", True),
    ("5 > 3", True), ("10 < 9", False), ("5 == 5.0", True), ("true", True), ("false", False),
    ("true && heads == tails", False), ("a == b || c == c", True), ("", True),
    ("'quoted text' == 'quoted text'", True), ("my-value == my-value", True),
    ("abc =~ '^a'", True),
])
def test_simple_when_form(text: str, value: bool) -> None:
    assert evaluate_simple(text) is value


def test_render_as_argo_prints_values() -> None:
    assert [render(v) for v in (True, False, 3.0, 2.5, None, [1, "a"])] == \
        ["true", "false", "3", "2.5", "", '[1, "a"]']


def test_depends() -> None:
    states = {"a": TaskState("Succeeded"), "b": TaskState("Failed"), "c": TaskState("Skipped"),
              "d": TaskState("Failed", accepts=frozenset({"Failed"})),
              "e": TaskState("Failed", ("Succeeded", "Failed")), "f": TaskState("Error")}
    assert holds("a && c", states) and not holds("a && b", states)
    assert holds("b.Failed && !a.Failed", states)
    assert holds("d", states)  # continueOn failed: a bare name accepts the failure
    assert holds("e.AnySucceeded", states) and not holds("e.AllFailed", states)
    assert holds("f.Errored", states) and holds("(a || b) && c.Skipped", states)
    assert not holds("c.Succeeded", states)
    assert names("(a.Succeeded || my-task) && !b") == {"a", "my-task", "b"}
    assert handles_failure("x.Failed || y", "x") and not handles_failure("x || y", "x")
    assert leaves([{"name": "a"}, {"name": "b", "depends": "a"}, {"name": "c", "dependencies": ["a"]}]) == ["b", "c"]
    with pytest.raises(ExpressionError):
        holds("a.Finished", states)


def test_substitution() -> None:
    scope = {"inputs.parameters.x": "1", "item": "i", "workflow.name": "w"}
    assert substitute("{{inputs.parameters.x}}-{{ item }}-{{pod.name}}", scope) == "1-i-{{pod.name}}"
    assert substitute("{{=asInt(inputs.parameters.x) + 1}}", scope) == "2"
    with pytest.raises(Unresolved):
        substitute("{{inputs.parameters.y}}", scope)
    with pytest.raises(Unresolved):
        substitute("{{steps.a.outputs.result}}", scope)
    assert item_scope({"k": 1, "s": "t"}) == {"item": '{"k":1,"s":"t"}', "item.k": "1", "item.s": "t"}


@pytest.mark.parametrize("text,value", [("30", 30.0), (45, 45.0), ("15s", 15.0), ("2m", 120.0),
                                        ("1h30m", 5400.0), ("500ms", 0.5)])
def test_durations(text: object, value: float) -> None:
    assert seconds(text) == value


def test_bad_duration() -> None:
    with pytest.raises(ValueError):
        seconds("soon")
