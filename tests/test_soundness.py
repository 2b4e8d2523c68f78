"""Issue 12: a program that compiles clean runs in the pod. Each hole that used to compile clean
and fail in the pod is an error at the value's position; what fits still compiles (and runs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.compile_helpers import compile_text
from tests.run_helpers import failed_messages, run_doc

HEAD = '''from typing import Any, Literal, Optional

from tiphys import dag, param, pipeline, task, workflow


@task
def train(epochs: int, lr: float) -> str:
    return f"{epochs}:{lr}"


@task
def add(a: int, b: int) -> int:
    return a + b


@task
def fetch(url: str) -> str:
    return url


@task
def flip() -> str:
    return "tails"


@task
def report(msg: str) -> None:
    print(msg)


@task
def takes(x: {annotation}) -> None:
    print(repr(x))

'''
HEAD_LINES = HEAD.count("\n")


def check(tmp_path: Path, body: str, annotation: str = "Any") -> list[tuple[str, int, int, str]]:
    _, diags = compile_text(tmp_path, HEAD.replace("{annotation}", annotation) + body)
    return [(d.code, d.line - HEAD_LINES, d.col, d.message) for d in diags]


def codes_at(found: list[tuple[str, int, int, str]]) -> list[tuple[str, int, int]]:
    return [(c, line, col) for c, line, col, _ in found]


# -- literals ------------------------------------------------------------------------------


def test_a_string_for_an_int_is_an_error_at_the_value(tmp_path: Path) -> None:
    found = check(tmp_path, 'wf = workflow("w", train(epochs="ten", lr=0.1))\n')
    assert codes_at(found) == [("TPH190", 1, 33)]
    assert "expected int, got str ('ten')" in found[0][3]


def test_a_list_for_an_int_is_an_error(tmp_path: Path) -> None:
    found = check(tmp_path, 'wf = workflow("w", add(a=1, b=[10, 20]))\n')
    assert codes_at(found) == [("TPH190", 1, 31)]
    assert "expected int, got list[int]" in found[0][3]


@pytest.mark.parametrize(("annotation", "value"), [
    ("float", "1"), ("float", "True"), ("int", "False"), ("str | None", "None"),
    ("Optional[int]", "3"), ("list[int]", "[1, 2]"), ("dict[str, list[float]]", '{"a": [1, 2.5]}'),
    ("tuple[int, str]", '(1, "a")'), ("tuple[int, ...]", "(1, 2, 3)"),
    ('Literal["a", "b"]', '"b"'), ("Any", '{"k": [1]}'), ("object", "1"), ("list", '["x", 1]'),
    ("list[int | str]", '[1, "x"]'), ("'int'", "4"),
])
def test_values_that_fit_compile_clean(tmp_path: Path, annotation: str, value: str) -> None:
    assert check(tmp_path, f'wf = workflow("w", takes(x={value}))\n', annotation) == []


@pytest.mark.parametrize(("annotation", "value", "shown"), [
    ("int", "1.5", "expected int, got float"), ("bool", "1", "expected bool, got int"),
    ("str", "1", "expected str, got int"), ("int", '"1"', "expected int, got str"),
    ("str | None", "3", "expected str | None, got int"),
    ("list[int]", '[1, "2"]', "expected list[int], got list[int | str]"),
    ("dict[str, int]", '{"a": "b"}', "expected dict[str, int], got dict[str, str]"),
    ("tuple[int, str]", "(1, 2)", "expected tuple[int, str], got tuple[int, int]"),
    ('Literal["a", "b"]', '"c"', "expected Literal['a', 'b'], got str ('c')"),
    ("list[int]", "(1, 2)", "expected list[int], got tuple[int, int]"),
    ("None", "0", "expected None, got int"),
])
def test_values_that_do_not_fit(tmp_path: Path, annotation: str, value: str,
                                shown: str) -> None:
    found = check(tmp_path, f'wf = workflow("w", takes(x={value}))\n', annotation)
    assert [c for c, *_ in found] == ["TPH190"] and shown in found[0][3], found


# -- outputs and parameters ------------------------------------------------------------------


def test_a_str_output_into_an_int_is_an_error(tmp_path: Path) -> None:
    found = check(tmp_path, 'f = fetch(url="u")\nwf = workflow("w", pipeline(f, add(a=f, b=1)))\n')
    assert codes_at(found) == [("TPH191", 2, 38)]
    assert "expected int, got str (the output of 'f', -> str)" in found[0][3]


def test_an_int_output_into_a_float_is_fine_and_runs(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, HEAD.replace("{annotation}", "float") +
                               's = add(a=1, b=2)\nwf = workflow("w", pipeline(s, takes(x=s)))\n')
    assert diags == []
    run = run_doc(docs[0])
    assert run.phase == "Succeeded" and run.stdout[-1] == "3\n"


def test_a_loop_output_is_a_list_of_the_return_type(tmp_path: Path) -> None:
    body = 's = add.map(a=[1, 2], b=1)\nwf = workflow("w", pipeline(s, takes(x=s)))\n'
    assert check(tmp_path, body, "list[int]") == []
    found = check(tmp_path, body, "list[str]")
    assert [c for c, *_ in found] == ["TPH191"] and "got list[int]" in found[0][3]


def test_map_over_an_output_checks_each_item(tmp_path: Path) -> None:
    found = check(tmp_path, 's = add.map(a=[1, 2], b=1)\nwf = workflow("w", pipeline(s, '
                  'fetch.map(url=s)))\n')
    assert [c for c, *_ in found] == ["TPH191"], found


def test_a_parameter_default_of_the_wrong_type(tmp_path: Path) -> None:
    found = check(tmp_path, 'wf = workflow("w", train(epochs=param("epochs", default="x"), '
                  'lr=0.1))\n')
    assert codes_at(found) == [("TPH192", 1, 33)]
    assert "expected int, got str ('x')" in found[0][3]
    assert check(tmp_path, 'wf = workflow("w", train(epochs=param("epochs", default=3), '
                 'lr=param("lr")))\n') == []


# -- map over several lists -------------------------------------------------------------------


def test_map_over_two_lists_is_rejected_not_half_run(tmp_path: Path) -> None:
    found = check(tmp_path, 'wf = workflow("w", add.map(a=[1, 2], b=[10, 20]))\n')
    assert codes_at(found) == [("TPH414", 1, 40)]
    assert "loops over one argument, 'a'" in found[0][3]


def test_map_with_a_second_list_for_an_unannotated_parameter_is_rejected(tmp_path: Path) -> None:
    found = check(tmp_path, """
@task
def pair(a, b) -> None:
    print(a, b)

wf = workflow("w", pair.map(a=[1, 2], b=[10, 20]))
""")
    assert [c for c, *_ in found] == ["TPH414"], found


def test_map_with_a_whole_list_for_a_list_parameter_is_fine(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, HEAD.replace("{annotation}", "Any") + '''
@task
def pick(i: int, xs: list[str]) -> str:
    return xs[i]

wf = workflow("w", pick.map(i=[0, 1], xs=["a", "b"]))
''')
    assert diags == []
    assert run_doc(docs[0]).phase == "Succeeded"


# -- outputs of tasks that may not run -------------------------------------------------------

SKIPPABLE = '''f = flip()
h = fetch(url="x").when(f.output == "heads")
'''


def test_reading_a_skippable_output_is_an_error(tmp_path: Path) -> None:
    found = check(tmp_path, SKIPPABLE + 'wf = workflow("w", dag(f, h, report(msg=h)))\n')
    assert codes_at(found) == [("TPH407", 3, 41)]
    assert ".after(h.succeeded)" in found[0][3]


def test_it_would_fail_in_the_pod(tmp_path: Path) -> None:
    """What TPH407 prevents: the stand-in fails the run, as Argo does."""
    from tiphys.compiler.check import dependencies

    original = dependencies._check_read
    try:
        dependencies._check_read = lambda *a: None  # type: ignore[assignment]
        docs, _ = compile_text(tmp_path, HEAD.replace("{annotation}", "Any") + SKIPPABLE +
                               'wf = workflow("w", dag(f, h, report(msg=h)))\n')
    finally:
        dependencies._check_read = original  # type: ignore[assignment]
    assert docs
    run = run_doc(docs[0])  # what the check prevents: Argo cannot resolve the tag
    assert run.phase != "Succeeded", run
    assert any("h.outputs" in m or "unresolved" in m for m in failed_messages(run)), \
        failed_messages(run)


def test_a_reader_guarded_by_succeeded_is_fine_and_is_omitted(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, HEAD.replace("{annotation}", "Any") + SKIPPABLE +
                               'r = report(msg=h).after(h.succeeded)\n'
                               'wf = workflow("w", dag(f, h, r))\n')
    assert diags == []
    assert run_doc(docs[0]).phase == "Succeeded"


def test_a_workflow_output_of_a_skippable_task(tmp_path: Path) -> None:
    found = check(tmp_path, SKIPPABLE + 'wf = workflow("w", dag(f, h), outputs={"o": h.output})\n')
    assert [c for c, *_ in found] == ["TPH407"]
    assert "workflow output 'o'" in found[0][3]


def test_a_dependency_condition_may_not_run_either(tmp_path: Path) -> None:
    found = check(tmp_path, 'f = flip()\ng = fetch(url="x").after(f.failed)\n'
                  'wf = workflow("w", dag(f, g, report(msg=g)))\n')
    assert [c for c, *_ in found] == ["TPH407"]


# -- values that cannot reach the pod --------------------------------------------------------


@pytest.mark.parametrize(("value", "words"), [
    (r'"a\x00b"', "NUL"), (r'"a\ud800b"', "lone surrogate"),
    ('"x" * 1', None), ('"' + "y" * (128 * 1024) + '"', "pass large data as an artifact"),
])
def test_values_that_cannot_reach_the_pod(tmp_path: Path, value: str, words: str | None) -> None:
    found = check(tmp_path, f'wf = workflow("w", fetch(url={value}))\n')
    if words is None:  # not a literal: TPH111, not TPH194
        assert "TPH194" not in [c for c, *_ in found]
        return
    assert codes_at(found) == [("TPH194", 1, 30)], found
    assert words in found[0][3]


def test_just_under_the_limit_compiles(tmp_path: Path) -> None:
    size = 128 * 1024 - len("TIPHYS_INPUT_url=") - 1
    assert check(tmp_path, f'wf = workflow("w", fetch(url="{"y" * size}"))\n') == []
    found = check(tmp_path, f'wf = workflow("w", fetch(url="{"y" * (size + 1)}"))\n')
    assert [c for c, *_ in found] == ["TPH194"]


def test_a_lone_surrogate_in_a_loop_item_and_a_default(tmp_path: Path) -> None:
    found = check(tmp_path, 'wf = workflow("w", fetch.map(url=["a", "b\\ud800"]))\n')
    assert [c for c, *_ in found] == ["TPH194"]
    found = check(tmp_path, 'wf = workflow("w", fetch(url=param("u", default="\\x00")))\n')
    assert [c for c, *_ in found] == ["TPH194"]


def test_lint_reports_the_surrogate_instead_of_crashing(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from tiphys.compiler.cli import main

    path = tmp_path / "flow.py"
    path.write_text(HEAD.replace("{annotation}", "Any") +
                    'wf = workflow("w", fetch(url="a\\ud800b"))\n', encoding="utf-8")
    for command in (["lint", str(path)], ["compile", str(path), "-o", str(tmp_path / "o")]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1, result.output
        assert "TPH194" in result.output and "internal error" not in result.output


# -- cycles ------------------------------------------------------------------------------------


def test_a_misspelled_argument_does_not_hide_a_cycle(tmp_path: Path) -> None:
    found = check(tmp_path, 'x = flip()\ny = flip().after(x)\nx.after(y)\n'
                  'wf = workflow("w", dag(x, y, fetch(ulr="u")))\n')
    got = [c for c, *_ in found]
    assert "TPH308" in got and "TPH100" in got
    cycle = next(f for f in found if f[0] == "TPH308")
    assert cycle[1:3] == (3, 9)  # the .after(y) that closes it
    assert "'y' runs after 'x' (line" in cycle[3]


# -- diagnostics that hid or blurred the cause -------------------------------------------------


def test_one_misspelled_argument_is_one_diagnostic(tmp_path: Path) -> None:
    found = check(tmp_path, 'wf = workflow("w", fetch(ulr="u"))\n')
    assert [(c, m) for c, _, _, m in found] == [
        ("TPH100", "task 'fetch' has no parameter 'ulr'; did you mean 'url'?")]


def test_an_unknown_argument_unlike_any_still_reports_the_missing_one(tmp_path: Path) -> None:
    found = check(tmp_path, 'wf = workflow("w", fetch(zzz="u"))\n')
    assert sorted(m for *_, m in found) == [
        "task 'fetch' has no parameter 'zzz' (parameters: url)",
        "task 'fetch' is missing the argument(s) 'url'"]


def test_a_misspelled_optional_option_gets_a_suggestion(tmp_path: Path) -> None:
    found = check(tmp_path, 'wf = workflow("w", fetch(url="u"), namespce="x")\n')
    assert [c for c, *_ in found] == ["TPH100"] and "did you mean 'namespace'?" in found[0][3]


def _lint(*args: str) -> tuple[int, str]:
    from click.testing import CliRunner

    from tiphys.compiler.cli import main

    result = CliRunner().invoke(main, ["lint", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize("option", ["--select", "--ignore"])
@pytest.mark.parametrize("codes", ["TPX9", "TPH999", "TPH1,ARG99"])
def test_a_code_selector_that_matches_nothing_is_a_usage_error(
    tmp_path: Path, option: str, codes: str,
) -> None:
    path = tmp_path / "flow.py"
    path.write_text(HEAD.replace("{annotation}", "Any") +
                    'wf = workflow("w", train(epochs="ten", lr=0.1))\n', encoding="utf-8")
    status, output = _lint(option, codes, str(path))
    assert status == 2 and "matches no code" in output, output
    # Real prefixes still work: TPH190 is selected, or ignored.
    assert _lint(option, "TPH1,arg", str(path))[0] == (1 if option == "--select" else 0)


def test_the_same_file_named_twice_is_one_file(tmp_path: Path, monkeypatch: Any) -> None:
    (tmp_path / "clean.py").write_text(HEAD.replace("{annotation}", "Any") +
                                       'wf = workflow("w", fetch(url="u"))\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, output = _lint("clean.py", str(tmp_path / "clean.py"), "./clean.py")
    assert status == 0 and "TPH011" not in output and "in 1 file" in output, output


# -- text into unions ---------------------------------------------------------------------------

TEXT_INTO = '''
@task
def digits() -> str:
    return "1"


@task
def show(x: {annotation}, y: {annotation} = None) -> None:
    assert x is None or isinstance(x, str), repr(x)
    assert y is None or isinstance(y, str), repr(y)
    print(repr(x), repr(y))

d = digits()
wf = workflow("w", pipeline(d, show(x=d, y={y})))
'''


@pytest.mark.parametrize("annotation", ["str | None", "Optional[str]"])
@pytest.mark.parametrize(("y", "shown"), [("None", "None"), ('"2"', "'2'"),
                                          ('param("y", default="[1]")', "'[1]'")])
def test_text_reaches_a_str_or_none_parameter_as_text(
    tmp_path: Path, annotation: str, y: str, shown: str,
) -> None:
    """The str "1" (an output) arrived as the int 1: the input was read as JSON."""
    docs, diags = compile_text(tmp_path, HEAD.replace("{annotation}", "Any") +
                               TEXT_INTO.replace("{annotation}", annotation).replace("{y}", y))
    assert diags == []
    run = run_doc(docs[0])
    assert run.phase == "Succeeded" and run.stdout[-1] == f"'1' {shown}\n"


def test_text_into_a_union_that_reads_json_is_an_error(tmp_path: Path) -> None:
    found = check(tmp_path, TEXT_INTO.replace("{annotation}", "int | str")
                  .replace("{y}", "\"a\"").replace("= None", "= \"\"")
                  .replace("assert", "# assert"))
    assert [c for c, *_ in found] == ["TPH193"] and "'[1]' as a list" in found[0][3]


def test_the_text_null_cannot_be_a_str_for_a_str_or_none_parameter(tmp_path: Path) -> None:
    found = check(tmp_path, 'wf = workflow("w", takes(x="null"))\n', "str | None")
    assert [c for c, *_ in found] == ["TPH194"] and "stands for None" in found[0][3]


FAN_IN = """
@task
def pick(i: int) -> Literal["a", "b"]:
    return "a" if i else "b"


@task
def maybe(i: int) -> str | None:
    return None if i else "1"


@task
def gather(xs: list[Literal["a", "b"]], ys: list[str | None], zs: list[str | None]) -> None:
    assert xs == ["b", "a"] and ys == ["1", None] and zs == ["x", None], (xs, ys, zs)
    print("gathered")

p = pick.map(i=[0, 1])
m = maybe.map(i=[0, 1])
wf = workflow("w", dag(gather(xs=p, ys=m, zs=["x", None])))
"""


def test_a_fan_in_of_text_or_none_items_arrives_as_annotated(tmp_path: Path) -> None:
    """list[Literal["a", "b"]] failed to decode ("a" is not JSON) and list[str | None] got the
    text "null" for None."""
    docs, diags = compile_text(tmp_path, HEAD.replace("{annotation}", "Any") + FAN_IN)
    assert diags == []
    run = run_doc(docs[0])
    assert run.phase == "Succeeded" and run.stdout[-1] == "gathered\n"


def test_the_text_null_in_a_list_of_text_or_none(tmp_path: Path) -> None:
    found = check(tmp_path, FAN_IN.replace('zs=["x", None]', 'zs=["x", "null"]'))
    assert [c for c, *_ in found] == ["TPH194"]
