"""Regressions: files libcst parses but CPython cannot compile."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.compile_helpers import codes, compile_text
from tiphys.compiler.lower.workflow import Settings

HEAD = """from tiphys import pipeline, task, workflow


@task
def hello() -> None:
    print("hi")


"""


@pytest.mark.parametrize(("line", "col", "words"), [
    ('X = "\\N{NO SUCH NAME}"', 5, "unicode error"),   # an unknown character name
    ('X = "ab\\x4"', 5, "unicode error"),               # a truncated \\x escape
    ("X = b'\u00e9'", 5, "ASCII"),                      # non-ASCII bytes
    ("X = 'a\0b'", 7, "null bytes"),                    # a null byte
    ("# a comment \0", 13, "null bytes"),
])
def test_undecodable_literal_is_a_syntax_error(tmp_path: Path, line: str, col: int,
                                               words: str) -> None:
    text = HEAD + line + '\nwf = workflow("w", pipeline(hello()))\n'
    docs, diags = compile_text(tmp_path, text)
    assert docs == []
    assert codes(diags) == ["TPH003"], diags
    assert words in diags[0].message
    assert diags[0].line == 9
    assert diags[0].col >= col


def test_undecodable_literal_in_task_body(tmp_path: Path) -> None:
    # Shipped as written, it would fail in the pod with a SyntaxError.
    text = HEAD.replace('print("hi")', 'print("\\N{NOPE}")')
    text += 'wf = workflow("w", pipeline(hello()))\n'
    docs, diags = compile_text(tmp_path, text)
    assert docs == [] and codes(diags) == ["TPH003"] and diags[0].line == 6


def test_language_server_reports_it_too() -> None:
    from tiphys.compiler.lsp.analysis import DocumentAnalyser

    text = HEAD + 'X = "\\N{NOPE}"\nwf = workflow("w", pipeline(hello()))\n'
    diags = DocumentAnalyser().diagnostics("flow.py", text, Settings())
    assert [(d.code, d.line) for d in diags] == [("TPH003", 9)]


def test_bytes_and_str_concatenated(tmp_path: Path) -> None:
    # libcst parses it, then refuses its own tree (CSTValidationError, not a syntax error):
    # it escaped the compiler and the language server.
    from tiphys.compiler.lsp.analysis import DocumentAnalyser

    text = HEAD + 'X = b"x" "y"\nwf = workflow("w", pipeline(hello()))\n'
    docs, diags = compile_text(tmp_path, text)
    assert docs == [] and [(d.code, d.line) for d in diags] == [("TPH003", 9)]
    assert "bytes" in diags[0].message
    found = DocumentAnalyser().diagnostics("flow.py", text, Settings())
    assert [(d.code, d.line) for d in found] == [("TPH003", 9)]
