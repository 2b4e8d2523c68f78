"""The incremental parser gives exactly libcst's module, and re-parses only what changed."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from tiphys.compiler.cstfront.chunked_parse import IncrementalParser

from conftest import REPO

TRICKY = [
    # Comments indented like the block above belong to that block's footer.
    "def f():\n    x = 1\n    # c1\n\n    # c2\n# c3\n\ny = 2\n",
    "def f():\n    x = 1\n\n    # c1\ny = 2\n",
    "def f():\n    x = 1\n        # deeper\n  # shallower\ny = 2\n",
    "if x:\n    pass\nelse:\n    y = 1\n    # c\nz = 1\n",
    "x = 1\n    # an indented comment after a simple statement\ny = 2\n",
    # Header, docstring, leading comments, footer.
    '#!/usr/bin/env python\n# header\n\n"""doc"""\n\n# lead\nimport os\n# foot\n',
    "x = 1\n\n\n",
    "import os\n\n\n\n",
    # Several statements on a line, continuation lines, one-line bodies, no final newline.
    "x = 1; y = 2\nz = 3\n",
    "y = (1 +\n     2)\nz = \\\n  3\n",
    "def f(): return 1\nx = f()",
    # Decorators with comments between them.
    "@a\n# between\n@b\ndef f():\n    pass\n\n\nclass C:\n    x = 1\n    # tail\n",
    # CRLF line endings, two-space and tab indentation.
    "x = 1\r\ndef f():\r\n    return 1\r\n\r\n# c\r\ny = 2\r\n",
    "x = 1\ndef f():\n  return 1\n\ndef g():\n  if x:\n    return 2\n",
    "if True:\n\tx = 1\n\ny = 2\n",
]

#: Texts the parser declines (the caller parses the whole text instead).
DECLINED = [
    "def f():\n  return 1\n\ndef g():\n    return 2\n",  # mixed indentation
    "x = 1\ry = 2\n",  # a lone carriage return
    "x = 1\n\x0cy = 2\n",  # a form feed
    "# only a comment\n",
    "def f(:\n    pass\n",  # a syntax error
]


def corpus() -> list[Path]:
    """The samples, and every fifth module of the compiler (all of it takes seconds)."""
    return sorted((REPO / "samples").rglob("*.py")) + \
        sorted((REPO / "compiler").rglob("*.py"))[::5]


@pytest.mark.parametrize("text", TRICKY)
def test_equal_to_libcst_on_tricky_layouts(text: str) -> None:
    module = IncrementalParser().parse(text)
    assert module is not None
    full = cst.parse_module(text)
    assert module.deep_equals(full)
    assert module.code == text
    assert (module.default_indent, module.default_newline, module.has_trailing_newline) == (
        full.default_indent, full.default_newline, full.has_trailing_newline)


@pytest.mark.parametrize("text", DECLINED)
def test_declines_what_it_cannot_mirror(text: str) -> None:
    assert IncrementalParser().parse(text) is None


def test_equal_to_libcst_on_the_project_sources() -> None:
    checked = 0
    for path in corpus():
        text = path.read_text(encoding="utf-8")
        module = IncrementalParser().parse(text)
        if module is None:
            continue
        assert module.deep_equals(cst.parse_module(text)), path
        assert module.code == text, path
        checked += 1
    assert checked > 20


def test_reparses_only_changed_statements() -> None:
    text = "".join(f"def f{i}():\n    return {i}\n\n\n" for i in range(20)) + "x = f1()\n"
    parser = IncrementalParser()
    parser.parse(text)
    assert parser.parsed == 21
    edited = text.replace("return 7", "return 70")
    module = parser.parse(edited)
    assert parser.parsed == 1
    assert module is not None and module.deep_equals(cst.parse_module(edited))
    # A statement inserted between two others: only it is new.
    inserted = edited.replace("def f9", "y = 1\n\n\ndef f9")
    module = parser.parse(inserted)
    assert parser.parsed == 1  # f9 keeps its chunk: the same blank lines lead to it
    assert module is not None and module.deep_equals(cst.parse_module(inserted))
    # Unchanged text: nothing parsed.
    parser.parse(inserted)
    assert parser.parsed == 0
