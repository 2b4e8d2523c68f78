"""Regressions: the front end's checks over a whole file."""

from __future__ import annotations

from pathlib import Path

from tests.compile_helpers import compile_text


def test_workflow_defined_twice_in_a_file_has_a_position(tmp_path: Path) -> None:
    # Reported by the run-wide check, without a line.
    text = '''from tiphys import pipeline, task, workflow


@task
def hello() -> None:
    print("x")


a = workflow("etl", pipeline(hello()))
b = workflow("etl", pipeline(hello()))
'''
    docs, diags = compile_text(tmp_path, text)
    assert docs == []
    assert [(d.code, d.line, d.col) for d in diags] == [("TPH011", 10, 14)]
    assert "line 9" in diags[0].message


def test_workflow_of_a_broken_task(tmp_path: Path) -> None:
    # The body's task has a problem of its own: no second error saying the body is not an
    # invocation, and the workflow's options are still checked.
    text = '''from tiphys import task, workflow


@task
def f() -> None:
    print(undefined_x)


w = workflow("w", f(), parallelism=0)
'''
    docs, diags = compile_text(tmp_path, text)
    assert docs == []
    assert [(d.code, d.line) for d in diags] == [("TPH210", 6), ("TPH131", 9)]
