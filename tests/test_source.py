"""Positions and exact function text: the ast fast path agrees with libcst's own rendering."""

from __future__ import annotations

import libcst as cst
import pytest

from tiphys.compiler.cstfront.source import SourceFile, read_source
from tiphys.compiler.diagnostics import Diagnostics

from conftest import sample_files

TRICKY = '''# header comment
import os  # trailing


@decorator(1)
# between decorator and def
def one_liner(): return 1
x = 1; y = 2


def spaces(a,   b):   \t
    """Doc with trailing spaces   \t
    and unicode: é 中 🚀"""
    # a comment inside
    return a  # trailing comment


def nested_strings(s: str = "def x(): pass") -> str:
    text = """
  not dedented
"""
    return text
class K:
    pass
async def coro(): pass
'''


def _both(source: SourceFile) -> list[tuple[str, str]]:
    out = []
    for i, stmt in enumerate(source.module.body):
        if isinstance(stmt, cst.FunctionDef):
            fast = source.function_text(i, stmt)
            bare = stmt.with_changes(decorators=(), leading_lines=(), lines_after_decorators=())
            out.append((fast, source.module.code_for_node(bare)))
    return out


def _starts(source: SourceFile) -> list[int]:
    return [source.stmt_start_line(i) for i in range(len(source.module.body))]


def _slow_starts(text: str) -> list[int]:
    # A lone \r forces the libcst code-generation path.
    src = read_source("x.py", Diagnostics(), text.replace("\n", "\r\n"))
    assert src is not None
    return _starts(src)


@pytest.mark.parametrize("text", [TRICKY, *[p.read_text() for p in sample_files()]],
                         ids=["tricky", *[p.stem for p in sample_files()]])
def test_fast_paths_agree_with_libcst(text: str) -> None:
    source = read_source("x.py", Diagnostics(), text)
    assert source is not None
    assert source._ast_statements() is not None, "the fast path must be taken here"
    for fast, slow in _both(source):
        assert fast.rstrip("\n") == slow.rstrip("\n")
    assert _starts(source) == _slow_starts(text)


def test_positions_of_a_node_in_a_later_statement() -> None:
    source = read_source("x.py", Diagnostics(), TRICKY)
    assert source is not None
    index = next(i for i, s in enumerate(source.module.body)
                 if isinstance(s, cst.FunctionDef) and s.name.value == "spaces")
    fn = source.module.body[index]
    assert isinstance(fn, cst.FunctionDef)
    line, col, _, _ = source.position(index, fn.name)
    assert TRICKY.splitlines()[line - 1][col - 1:].startswith("spaces(a,")
