"""Exact function text: the ``ast`` front end's ``function_text`` of a nested function (a
Flask controller's, say) agrees with libcst's own rendering of it, dedented. The scripts of
such CloudHarness PythonTasks were built from libcst's rendering before that front end moved
to ``ast``; they must not change. (A top-level function's text is its lines as written, from
``def`` to its last statement's line, as it always was.)"""

from __future__ import annotations

import ast
import functools

import libcst as cst
import pytest

from tiphys.compiler.diagnostics import Diagnostics
from tiphys.compiler.frontend.source import SourceFile, read_source

from conftest import REPO, sample_files

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


def controller(request):
    base = 4

    def work(a,
              b=2):
        """doc
        more doc
  less"""
        # comment
        y = (1 +
                 2)
          # odd comment

        z = \\
            3
        if a:
            return [
        1]
        s = f"""
x{base}"""
        return y  # trailing
        # a comment that belongs to the body
      # one that does not
    @decorator
    def one(): return 1  # trailing
    async def two():
        pass
        # tail

    # outer comment
    return work


class Methods:
  def m(self):
      return 1  # t
  if True:
    def in_branch(self):
        return {
          'a': 1,
        }
'''


@functools.cache
def _libcst_texts(text: str) -> list[str]:
    """libcst's rendering of every nested function, without decorators or leading lines, in
    source order."""
    module = cst.parse_module(text)
    out: list[tuple[tuple[int, int], str]] = []
    positions = cst.MetadataWrapper(module, unsafe_skip_copy=True).resolve(
        cst.metadata.PositionProvider)

    class Finder(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            bare = node.with_changes(decorators=(), leading_lines=(), lines_after_decorators=())
            start = positions[node].start
            if start.column:
                out.append(((start.line, start.column), module.code_for_node(bare)))

    module.visit(Finder())
    return [text for _, text in sorted(out)]


def _ast_texts(source: SourceFile) -> list[str]:
    fns = [n for n in ast.walk(source.tree)
           if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.col_offset]
    fns.sort(key=lambda n: (min([n.lineno, *(d.lineno for d in n.decorator_list)]),
                            n.col_offset))
    return [source.function_text(fn) for fn in fns]


def _corpus() -> list[tuple[str, str]]:
    files = [*sample_files(), *sorted((REPO / "compiler").rglob("*.py"))[::12],
             *sorted((REPO / "tests" / "cloudharness").glob("test_*.py"))]
    return [("tricky", TRICKY), *((p.stem, p.read_text(encoding="utf-8")) for p in files)]


@pytest.mark.parametrize(("name", "text"), _corpus(), ids=[n for n, _ in _corpus()])
def test_function_text_agrees_with_libcst(name: str, text: str) -> None:
    source = read_source(f"{name}.py", Diagnostics(), text)
    assert source is not None
    ours, theirs = _ast_texts(source), _libcst_texts(text)
    assert len(ours) == len(theirs)
    for mine, reference in zip(ours, theirs, strict=True):
        assert mine.rstrip("\n") == reference.rstrip("\n")


def test_the_corpus_has_nested_functions() -> None:
    assert sum(len(_libcst_texts(text)) for _, text in _corpus()) > 50


def test_a_nested_function_is_dedented_but_its_strings_are_not() -> None:
    source = read_source("x.py", Diagnostics(), TRICKY)
    assert source is not None
    work = next(n for n in ast.walk(source.tree)
                if isinstance(n, ast.FunctionDef) and n.name == "work")
    text = source.function_text(work)
    assert text.startswith("def work(a,\n          b=2):\n    \"\"\"doc\n        more doc\n")
    assert "\n    s = f\"\"\"\nx{base}\"\"\"\n" in text  # the string's second line as written
    assert "    z = \\\n            3\n" in text  # a backslash continuation as written
    assert text.endswith("    # a comment that belongs to the body\n")
    compile(text, "work", "exec")  # a standalone definition
