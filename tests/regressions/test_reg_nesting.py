"""Reused and deeply nested composites: linear work, and a diagnostic instead of a crash."""

from __future__ import annotations

import random
import time
from pathlib import Path

from tiphys.compiler.ir.names import NameTable

from compile_helpers import codes, compile_text

HEAD = """from tiphys import pipeline, task, workflow


@task
def a() -> int:
    return 1


"""


def chain(n: int, *, reuse: bool = False) -> str:
    """``p1 = pipeline(a())`` then *n* - 1 levels, each using the previous one (twice with
    *reuse*)."""
    lines = ["p1 = pipeline(a())"]
    for i in range(2, n + 1):
        inner = f"p{i - 1}, p{i - 1}" if reuse else f"p{i - 1}"
        lines.append(f"p{i} = pipeline({inner})")
    return HEAD + "\n".join(lines) + f'\nwf = workflow("w", p{n})\n'


def test_a_composite_reused_in_itself_30_levels_deep_is_reported_at_once(
        tmp_path: Path) -> None:
    # 2**30 placements if the reuse were expanded; each level is one more shared object.
    start = time.perf_counter()
    docs, diags = compile_text(tmp_path, chain(30, reuse=True))
    assert time.perf_counter() - start < 10
    assert docs == [] and codes(diags) == ["TPH301"]
    assert (diags[0].line, diags[0].col) == (9, 15)  # the a() placed twice


def test_two_thousand_chained_composites_are_one_diagnostic(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, chain(2000))
    assert docs == [] and codes(diags) == ["TPH122"]
    assert diags[0].line == 9 + 200  # p201 (p1 is on line 9): the first level over the limit
    assert "201 levels" in diags[0].message


def test_composites_up_to_the_limit_compile(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, chain(150))
    assert [d for d in diags if d.severity.value == "error"] == []
    assert len(docs) == 1 and len(docs[0]["spec"]["templates"]) == 151


def test_two_hundred_nested_parentheses_are_python_s_own_syntax_error(tmp_path: Path) -> None:
    text = HEAD + 'wf = workflow("w", ' + "pipeline(" * 200 + "a()" + ")" * 200 + ")\n"
    docs, diags = compile_text(tmp_path, text)
    assert docs == [] and codes(diags) == ["TPH003"]
    assert "too many nested parentheses" in diags[0].message


def test_expressions_too_deep_for_the_parser_are_a_syntax_error(tmp_path: Path) -> None:
    text = HEAD + "x = a()\nb = a().after(" + " | ".join(["x"] * 5000) + ")\n" \
        'wf = workflow("w", pipeline(x, b))\n'
    docs, diags = compile_text(tmp_path, text)
    assert docs == [] and codes(diags) in (["TPH003"], ["TPH122"])


def _naive_derive(taken: dict[str, str], base: str, owner: str) -> str:
    if base not in taken:
        taken[base] = owner
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    taken[f"{base}-{n}"] = owner
    return f"{base}-{n}"


def test_derived_names_are_those_of_the_first_free_suffix() -> None:
    rng = random.Random(7)
    table, naive = NameTable(), {}
    for i in range(2000):
        base = rng.choice(["step", "a", "a-2", "pipeline"])
        if rng.random() < 0.2:  # a user's claim, possibly of a suffixed name
            name = f"{base}-{rng.randint(2, 40)}"
            assert (table.claim(name, str(i)) is None) == (naive.get(name, str(i)) == str(i))
            naive.setdefault(name, str(i))
            continue
        assert table.derive(base, str(i)) == _naive_derive(naive, base, str(i))


def test_a_chain_of_two_thousand_dependent_tasks_compiles(tmp_path: Path) -> None:
    """Each task reads the previous one's output: the dependency graph is 2,000 deep. The
    cycle check once walked it by recursion and crashed past Python's recursion limit."""
    n = 2000
    lines = ["from tiphys import dag, task, workflow", ""]
    for i in range(n):
        arg = "x: int" if i else ""
        lines += ["", "@task", f"def t{i}({arg}) -> int:", f"    return {i}", ""]
    calls = ["v0 = t0()"] + [f"v{i} = t{i}(x=v{i - 1})" for i in range(1, n)]
    lines += [*calls, f'wf = workflow("w", dag(v{n - 1}))', ""]
    docs, diags = compile_text(tmp_path, "\n".join(lines))
    assert [d for d in diags if d.severity.value == "error"] == []
    tasks = docs[0]["spec"]["templates"][0]["dag"]["tasks"]
    assert len(tasks) == n and tasks[-1]["depends"] == f"{tasks[-2]['name']}"
