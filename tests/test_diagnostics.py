"""Bad input gets a diagnostic with a stable code at its line and column, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from compile_helpers import compile_text

HEAD = "from tiphys import task, bash, container, pipeline, parallel, dag, workflow, param\n"

CASES: list[tuple[str, str, str, int, int]] = [
    # (id, source after HEAD, code, line, col) — line/col of the first such diagnostic.
    ("global-variable", """
data = open("x")
@task
def t() -> int:
    return len(data)
wf = workflow("w", t())
""", "TPH216", 6, 16),
    ("unknown-name", """
@task
def t() -> int:
    return undefined_thing + 1
wf = workflow("w", t())
""", "TPH210", 5, 12),
    ("closure", """
def outer():
    @task
    def inner() -> int:
        return 1
    return inner
""", "TPH207", 5, 9),
    ("method", """
class K:
    @task
    def m(self) -> int:
        return 1
""", "TPH207", 5, 9),
    ("async", """
@task
async def t() -> int:
    return 1
wf = workflow("w", t())
""", "TPH201", 4, 11),
    ("generator", """
@task
def t() -> list:
    yield 1
wf = workflow("w", t())
""", "TPH202", 5, 5),
    ("wrapper-name-clash", """
@task
def _result() -> int:
    return 1
wf = workflow("w", _result())
""", "TPH209", 4, 5),
    ("lambda", """
t = task(lambda: 1)
""", "TPH208", 3, 10),
    ("global-statement", """
@task
def t() -> int:
    global X
    X = 1
    return X
wf = workflow("w", t())
""", "TPH203", 5, 5),
    ("other-decorator", """
import functools
@functools.lru_cache
@task
def t() -> int:
    return 1
wf = workflow("w", t())
""", "TPH204", 4, 1),
    ("calls-another-task", """
@task
def a() -> int:
    return 1
@task
def b() -> int:
    return a() + 1
wf = workflow("w", b())
""", "TPH214", 8, 12),
    ("dsl-name-in-body", """
@task
def t() -> int:
    return len(pipeline.__name__)
wf = workflow("w", t())
""", "TPH212", 5, 16),
    ("relative-import", """
from . import helpers
@task
def t() -> int:
    return helpers.x()
wf = workflow("w", t())
""", "TPH213", 6, 12),
    ("rebound-constant", """
LIMIT = 1
LIMIT = 2
@task
def t() -> int:
    return LIMIT
wf = workflow("w", t())
""", "TPH211", 7, 12),
    ("missing-argument", """
@task
def t(x: int) -> int:
    return x
wf = workflow("w", pipeline(t()))
""", "TPH100", 6, 29),
    ("unknown-argument", """
@task
def t(x: int) -> int:
    return x
wf = workflow("w", t(x=1, y=2))
""", "TPH100", 6, 27),
    ("task-needs-args-when-placed-bare", """
@task
def t(x: int) -> int:
    return x
wf = workflow("w", pipeline(t))
""", "TPH106", 6, 29),
    ("non-static-argument", """
import os
@task
def t(x: str) -> str:
    return x
wf = workflow("w", t(x=os.environ["HOME"]))
""", "TPH111", 7, 24),
    ("forward-reference", """
@task
def a() -> int:
    return 1
@task
def b(x: int) -> int:
    return x
first = a()
second = b(x=first)
wf = workflow("w", pipeline(second, first))
""", "TPH303", 10, 14),
    ("same-group-reference", """
@task
def a() -> int:
    return 1
@task
def b(x: int) -> int:
    return x
first = a()
second = b(x=first)
wf = workflow("w", parallel(first, second))
""", "TPH302", 10, 14),
    ("not-in-pipeline", """
@task
def a() -> int:
    return 1
@task
def b(x: int) -> int:
    return x
first = a()
wf = workflow("w", pipeline(b(x=first)))
""", "TPH307", 10, 33),
    ("cycle", """
@task
def a() -> int:
    return 1
x = a()
y = a().after(x)
x.after(y)
wf = workflow("w", dag(x, y))
""", "TPH308", 8, 9),
    ("step-name-collision", """
@task
def a() -> int:
    return 1
wf = workflow("w", pipeline(a().named("s"), a().named("s")))
""", "TPH306", 6, 45),
    ("task-name-collision", """
@task
def fetch_data() -> int:
    return 1
other = bash("fetch-data", "echo hi")
wf = workflow("w", pipeline(fetch_data(), other()))
""", "TPH312", 6, 9),
    ("invalid-workflow-name", """
@task
def a() -> int:
    return 1
wf = workflow("a-very-long-workflow-name-that-goes-on-and-on-past-the-kubernetes-limit", a())
""", "TPH310", 6, 15),  # at the name (issue 9)
    ("returns-none-used", """
@task
def a() -> None:
    print(1)
@task
def b(x: int) -> int:
    return x
first = a()
wf = workflow("w", pipeline(first, b(x=first)))
""", "TPH112", 10, 40),
    ("undeclared-volume", """
@task(volumes={"/data": "missing"})
def a() -> int:
    return 1
wf = workflow("w", a())
""", "TPH314", 3, 16),
    ("bad-timeout", """
@task(timeout="ten minutes")
def a() -> int:
    return 1
wf = workflow("w", a())
""", "TPH131", 3, 15),
    ("empty-pipeline", """
wf = workflow("w", pipeline())
""", "TPH117", 3, 20),
    ("syntax-error", """
def broken(:
""", "TPH003", 3, 12),
    ("conflicting-param-defaults", """
@task
def a(x: int, y: int) -> int:
    return x
wf = workflow("w", a(x=param("p", default=1), y=param("p", default=2)))
""", "TPH121", 6, 49),
]


@pytest.mark.parametrize("source,code,line,col", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_diagnostic(tmp_path: Path, source: str, code: str, line: int, col: int) -> None:
    docs, diags = compile_text(tmp_path, HEAD + source)
    matching = [d for d in diags if d.code == code]
    assert matching, f"expected {code}; got {[(d.code, d.line, d.col, d.message) for d in diags]}"
    first = matching[0]
    assert (first.line, first.col) == (line, col), (first.line, first.col, first.message)
    assert first.path.endswith("flow.py")
    assert docs == [], "nothing may be emitted when there are errors"


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    source = HEAD + """
@task
def a() -> int:
    return undefined_one + undefined_two
@task
async def b() -> int:
    return 1
@task
def c() -> int:
    return 1
wf = workflow("w", pipeline(a(), b(), c(nope=1)))
"""
    _, diags = compile_text(tmp_path, source)
    assert {"TPH210", "TPH201", "TPH100"} <= {d.code for d in diags}
    assert len([d for d in diags if d.code == "TPH210"]) == 2


def test_builtins_and_locals_are_fine(tmp_path: Path) -> None:
    source = HEAD + """
@task
def a(items: list) -> dict:
    import collections
    counts = collections.Counter(items)
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return {k: v for k, v in top if v > 0 and isinstance(k, str)}
wf = workflow("w", a(items=["x", "y", "x"]))
"""
    docs, diags = compile_text(tmp_path, source)
    assert diags == [] and len(docs) == 1


def test_template_tags_in_a_script_warn_at_the_string(tmp_path: Path) -> None:
    source = HEAD + """
@task
def banner(name: str) -> str:
    return "{{workflow.name}}: " + name
wf = workflow("w", banner(name="x"))
"""
    docs, diags = compile_text(tmp_path, source)
    assert [(d.code, d.line, d.col) for d in diags] == [("TPH217", 5, 12)]
    assert len(docs) == 1  # a warning: the workflow is still emitted
