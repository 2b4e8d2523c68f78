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
b = workflow("ETL", pipeline(hello()))
'''
    docs, diags = compile_text(tmp_path, text)
    assert docs == []
    assert [(d.code, d.line, d.col) for d in diags] == [("TPH011", 10, 14)]
    assert "line 9" in diags[0].message
