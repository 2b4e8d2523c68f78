"""Regressions: static evaluation of literals."""

from __future__ import annotations

from pathlib import Path

from tests.compile_helpers import codes, compile_text


def test_dict_literal_with_unhashable_key_is_a_diagnostic(tmp_path: Path) -> None:
    # Python raises TypeError for {[1, 2]: ...}; the compiler used to raise it too.
    text = '''from tiphys import pipeline, task, workflow


@task(labels={"a": "b", [1, 2]: "c"})
def hello() -> None:
    print("hi")


wf = workflow("w", pipeline(hello()), annotations={(1, [2]): "x"})
'''
    docs, diags = compile_text(tmp_path, text)
    assert docs == []
    assert codes(diags) == ["TPH130", "TPH130"]
    assert [(d.line, d.col) for d in diags] == [(4, 14), (9, 51)]
