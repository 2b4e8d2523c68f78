"""Unit tests: depends parser, cron parser, tag scanner, loader positions, public API."""

from __future__ import annotations

from typing import Any

import pytest

from tiphys.compiler.diagnostics import Severity
from tiphys.compiler.validator import CODES, Finding, check_documents
from tiphys.compiler.validator.cron import CronError, parse_schedule, timezone_error
from tiphys.compiler.validator.expressions import (
    DependsError,
    parse_depends,
    parse_depends_fully,
    scan_tags,
)
from tiphys.compiler.validator.loader import load_text, locate

# ------------------------------------------------------------------ depends


@pytest.mark.parametrize("text, tasks", [
    ("a", {"a": set()}),
    ("a && b", {"a": set(), "b": set()}),
    ("a.Succeeded || b.Failed", {"a": {"Succeeded"}, "b": {"Failed"}}),
    ("!(a.Skipped) && (b || c-2.Errored)", {"a": {"Skipped"}, "b": set(), "c-2": {"Errored"}}),
    ("((a))", {"a": set()}),
    ("!!a", {"a": set()}),
    ("a.Succeeded && a.Failed", {"a": {"Succeeded", "Failed"}}),
])
def test_depends_parses(text: str, tasks: dict[str, set[str]]) -> None:
    assert parse_depends(text).tasks == tasks


@pytest.mark.parametrize("text", [
    "", "a &&", "&& a", "(a", "a)", "a b", "a.", "a.b.c", "a & b", "a || || b", "a ==b", "()",
])
def test_depends_rejects(text: str) -> None:
    with pytest.raises(DependsError):
        parse_depends(text)


def test_depends_shortcut_agrees_with_the_parser() -> None:
    """A conjunction of names takes a shortcut; it gives what the parser gives, and anything
    else (results, !, ||, parentheses, bad syntax) goes to the parser."""
    import random

    from tiphys.compiler.validator import expressions

    rng = random.Random(11)
    parts = ["a", "b-1", "c_2", "a", " ", "  ", "\t", "&&", "&", "||", "!", "(", ")", ".",
             ".Succeeded", "\u00a0", "é", ""]

    def outcome(parse: Any, text: str) -> Any:
        try:
            return list(parse(text).tasks.items())
        except DependsError as e:
            return str(e)

    texts = ["a && b-1", " a&&b-1 ", "a && a", "a", "a && b.Failed", "a &&", "&& a"]
    texts += ["".join(rng.choice(parts) for _ in range(rng.randint(1, 9))) for _ in range(20000)]
    spaces = ["", " ", "\t", "\u00a0", "  "]
    texts += [rng.choice(spaces) + "&&".join(
        rng.choice(spaces) + rng.choice(["a", "b-1", "c_2", "0x"]) + rng.choice(spaces)
        for _ in range(rng.randint(1, 5))) for _ in range(2000)]
    for text in texts:
        assert outcome(parse_depends, text) == outcome(parse_depends_fully, text), repr(text)
    # Both ways are exercised: texts the shortcut takes, with "&&", and texts it leaves.
    taken = [t for t in texts if expressions._CONJUNCTION.fullmatch(t)]
    assert sum("&&" in t for t in taken) > 100 and len(taken) < len(texts) / 2


# ------------------------------------------------------------------ cron


@pytest.mark.parametrize("s", [
    "* * * * *", "*/5 * * * *", "0 2 * * 1-5", "0 0 1,15 * *", "5 4 * JAN-MAR sun",
    "0 */2 ? * *", "@hourly", "@daily", "@every 1h30m", "CRON_TZ=Europe/Paris 0 3 * * *",
    "TZ=UTC @weekly", "0-59/10 0-23/2 1-31 1-12 0-6",
])
def test_cron_valid(s: str) -> None:
    parse_schedule(s)


@pytest.mark.parametrize("s", [
    "", "* * * *", "* * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *",
    "* * * * 7", "*/0 * * * *", "5-1 * * * *", "@fortnightly", "@every soon", "a * * * *",
    "CRON_TZ=Mars/Base 0 * * * *", "1,,2 * * * *",
])
def test_cron_invalid(s: str) -> None:
    with pytest.raises(CronError):
        parse_schedule(s)


def test_timezones() -> None:
    assert timezone_error("") is None
    assert timezone_error("UTC") is None
    assert timezone_error("America/Los_Angeles") is None
    assert timezone_error("Nowhere/Special") is not None


# ------------------------------------------------------------------ tags


def test_scan_tags() -> None:
    assert scan_tags("a {{ inputs.parameters.x }} b {{=1+1}}") == (
        ["inputs.parameters.x", "=1+1"], False)
    assert scan_tags("{{a}} {{b") == (["a"], True)
    assert scan_tags("no tags") == ([], False)


# ------------------------------------------------------------------ loader


def test_loader_positions_and_multi_document() -> None:
    text = "a: 1\n---\nkind: X\nspec:\n  list:\n    - x\n    - name: y\n"
    docs, err = load_text(text)
    assert err is None and len(docs) == 2
    assert docs[1].value == {"kind": "X", "spec": {"list": ["x", {"name": "y"}]}}
    assert locate(docs[1], ("spec", "list", 1, "name")) == (7, 7)
    assert locate(docs[1], ("spec", "missing")) == (4, 1)


def test_loader_duplicate_keys_and_values() -> None:
    docs, err = load_text("a: 1\nb: true\nc: ~\nd: 2.5\na: 2\ne: 2026-01-01\n")
    assert err is None
    assert docs[0].value == {"a": 2, "b": True, "c": None, "d": 2.5, "e": "2026-01-01"}
    assert docs[0].duplicates == [(("a",), "a", 5, 1)]


def test_loader_merge_keys() -> None:
    docs, _ = load_text("base: &b {x: 1, y: 2}\nchild:\n  <<: *b\n  y: 3\n")
    assert docs[0].value["child"] == {"x": 1, "y": 3}


def test_loader_syntax_error_has_position() -> None:
    docs, err = load_text("a: 1\n---\nb: [1, 2\n")
    assert len(docs) == 1 and err is not None and err.line >= 3


# ------------------------------------------------------------------ public API


def _wf(**spec: Any) -> dict[str, Any]:
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
            "metadata": {"generateName": "t-"}, "spec": spec}


def test_check_documents_on_plain_dicts() -> None:
    good = _wf(entrypoint="main", templates=[{"name": "main", "container": {"image": "a"}}])
    assert check_documents([good]) == []
    bad = _wf(entrypoint="main", templates=[{"name": "main", "steps": [[
        {"name": "a", "template": "nope"}]]}])
    (f,) = check_documents([{"kind": "ConfigMap"}, bad])
    assert isinstance(f, Finding)
    assert (f.code, f.doc_index, f.severity) == ("ARG301", 1, Severity.ERROR)
    assert f.path == ("spec", "templates", 0, "steps", 0, 0, "template")


def test_check_documents_reports_every_problem() -> None:
    bad = _wf(templates=[{"name": "main"}, {"name": "main", "container": {"image": ""}}])
    codes = sorted(f.code for f in check_documents([bad]))
    assert codes == ["ARG101", "ARG202", "ARG203", "ARG213"]


def test_template_ref_resolves_through_external() -> None:
    lib = {"apiVersion": "argoproj.io/v1alpha1", "kind": "WorkflowTemplate",
           "metadata": {"name": "lib"},
           "spec": {"templates": [{"name": "echo", "inputs": {"parameters": [{"name": "m"}]},
                                   "container": {"image": "a"}}]}}
    wf = _wf(entrypoint="main", templates=[{"name": "main", "steps": [[
        {"name": "a", "templateRef": {"name": "lib", "template": "echo"}}]]}])
    assert [f.code for f in check_documents([wf])] == ["ARG304"]
    assert [f.code for f in check_documents([wf], external=[lib])] == ["ARG307"]
    lib["spec"]["templates"][0]["name"] = "other"
    assert [f.code for f in check_documents([wf], external=[lib])] == ["ARG305"]


def test_malformed_documents_do_not_crash() -> None:
    weird: list[Any] = [
        _wf(templates="x"), _wf(templates=[1, None, "x", {"name": 3, "steps": {"a": 1}}]),
        _wf(entrypoint=["x"], arguments=[1], hooks=[1], podGC="x", templates=[{"dag": []}]),
        _wf(templates=[{"name": "m", "dag": {"tasks": [None, {"name": None, "depends": 5}]}}]),
        {"kind": "CronWorkflow", "spec": {"schedules": [None, 5], "workflowSpec": []}},
        {"kind": "WorkflowTemplate", "metadata": [], "spec": None},
    ]
    for doc in weird:
        check_documents([doc])


def test_code_table_is_consistent() -> None:
    for code, c in CODES.items():
        assert code == c.code and len(code) == 6 and c.title


def test_loader_survives_recursive_and_exploding_aliases() -> None:
    _, err = load_text("a: &x [*x]\n")
    assert err is not None and "recursive" in err.message
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, cur in zip("abcdef", "bcdefg", strict=True):
        levels.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 10)}]")
    _, err = load_text("\n".join(levels) + "\n")
    assert err is not None and "too large" in err.message
