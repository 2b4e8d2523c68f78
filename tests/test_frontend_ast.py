"""The ``ast`` front end's own machinery: character columns, the incremental parser, and the
raw symbol-table reading, each against the plain CPython tool it stands in for."""

from __future__ import annotations

import ast
import symtable
from pathlib import Path

import pytest

from tiphys.compiler.diagnostics import Diagnostics
from tiphys.compiler.frontend.incremental import IncrementalParser
from tiphys.compiler.frontend.scripts.symbols import DefNames, _symbol_names
from tiphys.compiler.frontend.source import read_source

from compile_helpers import compile_text
from conftest import REPO, sample_files

TRICKY = [
    '"""doc"""\nimport os\n\n\n@decorator(1)\n# between\ndef f():\n    return 1\nx = 1; y = 2\n',
    "def f():\n    s = '''\ndef not_a_statement():\n    pass\n'''\n    return s\n\n\nz = f()\n",
    "if x:\n    pass\nelif y:\n    pass\nelse:\n    pass\ntry:\n    a = 1\nexcept E:\n"
    "    pass\nfinally:\n    pass\n",
    "x = (1 +\n2)\n@a\n@b\nclass C:\n    pass\n",
]


def _dump(tree: ast.AST) -> str:
    return ast.dump(tree, include_attributes=True)


@pytest.mark.parametrize("text", [*TRICKY, *[p.read_text(encoding="utf-8")
                                             for p in sample_files()]])
def test_the_incremental_parser_gives_ast_s_own_tree(text: str) -> None:
    parser = IncrementalParser()
    tree = parser.parse(text)
    assert tree is not None
    assert _dump(tree) == _dump(ast.parse(text))
    # A line added at the top shifts every reused chunk: still the same tree as ast's.
    edited = "# a new first line\n" + text
    again = parser.parse(edited)
    assert again is not None and _dump(again) == _dump(ast.parse(edited))
    assert parser.parsed <= 1


def test_the_incremental_parser_declines_a_syntax_error() -> None:
    assert IncrementalParser().parse("def f(:\n    pass\n") is None


def _public(code: str, fname: str) -> DefNames:
    """The same reading through the ``symtable`` module's public API."""
    top = symtable.symtable(code, "<task>", "exec")
    free = {s.get_name() for s in top.get_symbols()
            if s.is_referenced() and s.get_name() != fname}
    declared = False
    stack = list(top.get_children())
    while stack:
        table = stack.pop()
        for sym in table.get_symbols():
            declared = declared or sym.is_declared_global()
            if sym.is_global() and sym.is_referenced():
                free.add(sym.get_name())
        stack.extend(table.get_children())
    return DefNames(tuple(sorted(free)), declared)


def _functions() -> list[tuple[str, str]]:
    out = []
    for path in [*sample_files(), *sorted((REPO / "compiler" / "frontend").rglob("*.py"))]:
        source = read_source(str(path), Diagnostics())
        assert source is not None
        for node in ast.walk(source.tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                    node.col_offset == 0:
                out.append((source.function_text(node), node.name))
    return out


def test_raw_symbol_tables_read_as_the_public_api_does() -> None:
    functions = _functions()
    assert len(functions) > 100
    extra = ("def g(a=b):\n    global G\n    G = c\n    return [x for x in d] + (lambda: e)()"
             "\n", "g")
    for code, name in [*functions, extra]:
        assert _symbol_names(code, name) == _public(code, name), name
    assert _symbol_names(*extra) == DefNames(("b", "c", "d", "e"), True)


def test_columns_are_characters_after_non_ascii_text(tmp_path: Path) -> None:
    text = ('from tiphys import task, workflow\n\n\n@task\ndef f() -> str:\n'
            '    return "é😀" + undefined_name\n\n\nwf = workflow("w", f())\n')
    _, diags = compile_text(tmp_path, text)
    found = next(d for d in diags if d.code == "TPH210")
    line = text.splitlines()[found.line - 1]
    assert line[found.col - 1:].startswith("undefined_name")
    assert found.end_col - found.col == len("undefined_name")


def test_a_parenthesised_tuple_is_positioned_at_its_elements(tmp_path: Path) -> None:
    # ast's position of a parenthesised tuple includes the parentheses; diagnostics point
    # at the elements, as they did with libcst.
    text = ('from tiphys import pipeline, task, workflow\n\n\n@task\ndef f() -> str:\n'
            '    return "x"\n\n\nwf = workflow("w", pipeline(f()), volumes=(1, 2))\n')
    _, diags = compile_text(tmp_path, text)
    bad = [d for d in diags if d.line == 9]
    assert bad, diags
    line = text.splitlines()[8]
    assert line[bad[0].col - 1:].startswith("1, 2)")


def test_after_a_syntax_error_reused_chunks_keep_their_lines() -> None:
    text = "".join(f"def f{i}():\n    return {i}\n\n\n" for i in range(40))
    parser = IncrementalParser()
    assert parser.parse(text) is not None
    shifted = "# two new\n# lines\n" + text
    # The error is late: the chunks before it were reused (shifted) before the parser gave up.
    assert parser.parse(shifted.replace("def f30():", "def f30(:")) is None
    again = parser.parse(shifted)
    assert again is not None and _dump(again) == _dump(ast.parse(shifted))


def test_a_long_string_of_column_0_lines_falls_back_to_a_whole_parse() -> None:
    text = "X = '''\n" + "".join(f"line{i} = {i}\n" for i in range(50)) + "'''\ny = 1\n"
    assert IncrementalParser().parse(text) is None  # the caller parses it whole
    assert len(ast.parse(text).body) == 2
