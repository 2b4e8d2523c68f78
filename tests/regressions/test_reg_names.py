"""Regressions: names that cannot be made valid say why."""

from __future__ import annotations

from pathlib import Path

from tests.compile_helpers import compile_text


def test_name_with_no_character_kept(tmp_path: Path) -> None:
    # Was "workflow name '名前' is empty", which it is not.
    text = '''from tiphys import pipeline, task, workflow


@task
def hello() -> None:
    print(1)


w1 = workflow("w", pipeline(hello().named("\u00f1")))
'''
    docs, diags = compile_text(tmp_path, text)
    assert docs == []
    assert [(d.code, d.line) for d in diags] == [("TPH305", 9)]
    assert all("once made" in d.message and "ASCII" in d.message for d in diags)
    # A workflow name is used as written (issue 9, item 10): no "once made", no "empty".
    docs, diags = compile_text(tmp_path, text.replace('"w"', '"\u540d\u524d"'))
    assert [(d.code, d.line, d.col) for d in diags] == [("TPH310", 9, 15)]
    assert "DNS-1123" in diags[0].message and "empty" not in diags[0].message
