"""Regressions: workflow parameters."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.compile_helpers import compile_text

TEXT = '''from tiphys import param, pipeline, task, workflow


@task
def hello(x: str = "d") -> str:
    return x


wf = workflow("w", pipeline(hello(x=param({name}))), params=[param({name}, default="v")])
'''


@pytest.mark.parametrize("name", ['""', '"a b"', '"nam\\u00e9"', '"p\\n"'])
def test_invalid_parameter_name(tmp_path: Path, name: str) -> None:
    # An empty name became "param" silently; other bad names were an internal error (TPH900).
    text = TEXT.format(name=name)
    line = text.splitlines()[8]
    first = line.index(name) + 1
    second = line.index(name, first) + 1
    docs, diags = compile_text(tmp_path, text)
    assert docs == []
    assert [(d.code, d.line, d.col) for d in diags] == [("TPH131", 9, first), ("TPH131", 9, second)]


def test_valid_parameter_name(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, TEXT.format(name='"A-b_9"'))
    assert diags == []
    assert docs[0]["spec"]["arguments"]["parameters"] == [{"name": "A-b_9", "value": "v"}]
