"""Quick fixes: each transformation on source text (before → after), and the result compiles
without the diagnostic it fixes."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from tiphys.compiler.diagnostics import Diagnostic
from tiphys.compiler.lsp.fixes import (
    add_import_in_function,
    edit_range,
    fixes_for,
    import_statement_for,
    line_edits,
    make_task_parameter,
)

from compile_helpers import compile_text


def diagnostics(tmp_path: Path, text: str) -> list[Diagnostic]:
    return compile_text(tmp_path, text)[1]


def at(diags: list[Diagnostic], code: str) -> Diagnostic:
    return next(d for d in diags if d.code == code)


def only_fix(text: str, d: Diagnostic) -> str:
    fixes = fixes_for(text, d.code, d.line, d.col)
    assert len(fixes) == 1, fixes
    return fixes[0].text


# --------------------------------------------------------------------- TPH210: import


IMPORT_BEFORE = '''from tiphys import task, workflow


@task
def fetch(url: str) -> str:
    """Fetch a page."""
    return json.dumps({"url": url})


wf = workflow("fetch", fetch(url="https://example.com"))
'''
IMPORT_AFTER = IMPORT_BEFORE.replace('''    """Fetch a page."""
''', '''    """Fetch a page."""
    import json
''')


def test_import_a_stdlib_module_after_the_docstring(tmp_path: Path) -> None:
    d = at(diagnostics(tmp_path, IMPORT_BEFORE), "TPH210")
    fixes = fixes_for(IMPORT_BEFORE, d.code, d.line, d.col)
    assert [f.title for f in fixes] == ["Add 'import json' inside 'fetch'"]
    assert fixes[0].text == IMPORT_AFTER
    docs, after = compile_text(tmp_path, fixes[0].text)
    assert after == [] and "import json" in docs[0]["spec"]["templates"][1]["script"]["source"]


def test_reuse_an_import_from_another_function(tmp_path: Path) -> None:
    text = '''from tiphys import pipeline, task, workflow


@task
def make() -> list[float]:
    import numpy as np
    return np.zeros(3).tolist()


@task
def total(values: list[float]) -> float:
    return float(np.sum(values))


m = make()
wf = workflow("np", pipeline(m, total(values=m)))
'''
    d = at(diagnostics(tmp_path, text), "TPH210")
    fixed = only_fix(text, d)
    assert fixed == text.replace(
        "def total(values: list[float]) -> float:\n",
        "def total(values: list[float]) -> float:\n    import numpy as np\n")
    assert diagnostics(tmp_path, fixed) == []


def test_one_line_function_becomes_a_block(tmp_path: Path) -> None:
    text = ('from tiphys import task, workflow\n\n\n@task\ndef now() -> float: '
            'return time.time()  # seconds\n\n\nwf = workflow("now", now())\n')
    fixed = only_fix(text, at(diagnostics(tmp_path, text), "TPH210"))
    assert "def now() -> float:\n    import time\n    return time.time()  # seconds\n" in fixed
    assert diagnostics(tmp_path, fixed) == []


def test_import_goes_into_the_function_that_uses_the_name(tmp_path: Path) -> None:
    # A helper carried into the task uses the name: the import belongs in the helper.
    text = '''from tiphys import task, workflow


def stamp() -> str:
    return datetime.date.today().isoformat()


@task
def report() -> str:
    return stamp()


wf = workflow("report", report())
'''
    d = at(diagnostics(tmp_path, text), "TPH210")
    fixes = fixes_for(text, d.code, d.line, d.col)
    assert [f.title for f in fixes] == ["Add 'import datetime' inside 'stamp'"]
    assert diagnostics(tmp_path, fixes[0].text) == []


def test_no_import_fix_for_an_unknown_name(tmp_path: Path) -> None:
    text = IMPORT_BEFORE.replace("json.dumps", "jsonx.dumps")
    d = at(diagnostics(tmp_path, text), "TPH210")
    assert fixes_for(text, d.code, d.line, d.col) == []


def test_import_statement_for() -> None:
    module = cst.parse_module(
        "def a():\n    from os import path as p\n    import xml.etree.ElementTree\n"
        "    from . import sibling\n")
    assert import_statement_for(module, "p") == "from os import path as p"
    assert import_statement_for(module, "xml") == "import xml.etree.ElementTree"
    assert import_statement_for(module, "sibling") is None  # relative: cannot ship
    assert import_statement_for(module, "re") == "import re"
    assert import_statement_for(module, "_thread") is None
    assert import_statement_for(module, "requests") is None


def test_add_import_without_a_docstring() -> None:
    module = cst.parse_module("def f():\n    # first\n    return os.sep\n")
    assert add_import_in_function(module, "f", "import os") == (
        "def f():\n    import os\n    # first\n    return os.sep\n")
    assert add_import_in_function(module, "g", "import os") is None


# ------------------------------------------------------------ TPH216: task parameter


PARAM_BEFORE = '''from tiphys import pipeline, task, workflow

LIMIT: int = compute_limit()


@task
def fetch(url: str) -> str:
    return f"{url}?limit={LIMIT}"


@task
def shout(text: str) -> None:
    print(text.upper())


page = fetch(url="https://example.com")
again = fetch(
    url="https://example.org",
)
wf = workflow("pages", pipeline(page, again, shout(text=page)))
'''
PARAM_AFTER = '''from tiphys import param, pipeline, task, workflow

LIMIT: int = compute_limit()


@task
def fetch(url: str, LIMIT: int) -> str:
    return f"{url}?limit={LIMIT}"


@task
def shout(text: str) -> None:
    print(text.upper())


page = fetch(url="https://example.com", LIMIT=param("LIMIT"))
again = fetch(
    url="https://example.org",
    LIMIT=param("LIMIT"),
)
wf = workflow("pages", pipeline(page, again, shout(text=page)))
'''


def test_make_a_module_variable_a_task_parameter(tmp_path: Path) -> None:
    d = at(diagnostics(tmp_path, PARAM_BEFORE), "TPH216")
    assert (d.line, d.col) == (8, 27)
    fixes = fixes_for(PARAM_BEFORE, "TPH216", d.line, d.col)
    assert [f.title for f in fixes] == [
        "Make 'LIMIT' a parameter of task 'fetch' (a workflow parameter)"]
    assert fixes[0].text == PARAM_AFTER
    docs, after = compile_text(tmp_path, fixes[0].text)
    assert after == []
    assert {"name": "LIMIT"} in docs[0]["spec"]["arguments"]["parameters"]


@pytest.mark.parametrize(
    ("imports", "reference", "imports_after"),
    [
        ("from tiphys import param as p, pipeline, task, workflow", 'p("LIMIT")', None),
        ("import tiphys as tp\nfrom tiphys import pipeline, task, workflow",
         'tp.param("LIMIT")', None),
        ("from tiphys import workflow, task, pipeline", 'param("LIMIT")',
         "from tiphys import workflow, task, pipeline, param"),
        ("from tiphys import (\n    pipeline,\n    task,\n    workflow,\n)", 'param("LIMIT")',
         "from tiphys import (\n    param,\n    pipeline,\n    task,\n    workflow,\n)"),
        ("from tiphys import task, workflow\nfrom tiphys import pipeline", 'param("LIMIT")',
         "from tiphys import param, task, workflow\nfrom tiphys import pipeline"),
        ("from tiphys.tasks import task\nfrom tiphys.graph import pipeline\n"
         "from tiphys.workflow import workflow", 'param("LIMIT")',
         "from tiphys.tasks import task\nfrom tiphys.graph import pipeline\n"
         "from tiphys.workflow import workflow\nfrom tiphys import param"),
    ],
)
def test_param_is_imported_or_reused(
    tmp_path: Path, imports: str, reference: str, imports_after: str | None,
) -> None:
    text = PARAM_BEFORE.replace("from tiphys import pipeline, task, workflow", imports)
    d = at(diagnostics(tmp_path, text), "TPH216")
    fixed = only_fix(text, d)
    assert f"LIMIT={reference}" in fixed
    assert fixed.startswith(imports_after or imports)
    assert diagnostics(tmp_path, fixed) == []


def test_parameter_after_defaults_is_keyword_only(tmp_path: Path) -> None:
    text = PARAM_BEFORE.replace("def fetch(url: str)", 'def fetch(url: str = "x")')
    fixed = only_fix(text, at(diagnostics(tmp_path, text), "TPH216"))
    assert 'def fetch(url: str = "x", *, LIMIT: int) -> str:' in fixed
    assert diagnostics(tmp_path, fixed) == []


def test_no_parameter_fix_for_a_class_or_a_helper(tmp_path: Path) -> None:
    text = '''from tiphys import task, workflow


class Config:
    limit = 3


@task
def fetch() -> int:
    return Config.limit


wf = workflow("w", fetch())
'''
    d = at(diagnostics(tmp_path, text), "TPH216")
    assert fixes_for(text, d.code, d.line, d.col) == []
    module = cst.parse_module(PARAM_BEFORE)
    assert make_task_parameter(module, "fetch", "page") is not None
    assert make_task_parameter(module, "shout", "nothing_such") is None
    helper = cst.parse_module("X = f()\n\ndef helper():\n    return X\n")
    assert make_task_parameter(helper, "helper", "X") is None  # not a task


def test_fixes_only_for_fixable_codes_and_real_names() -> None:
    assert fixes_for(IMPORT_BEFORE, "TPH301", 7, 12) == []
    assert fixes_for(IMPORT_BEFORE, "TPH210", 7, 11) == []  # on a space
    assert fixes_for(IMPORT_BEFORE, "TPH210", 99, 1) == []
    assert fixes_for("def f(:\n", "TPH210", 1, 1) == []


# ---------------------------------------------------------------------- text edits


def apply(old: str, new: str) -> str:
    lines = old.splitlines(keepends=True)
    for e in reversed(line_edits(old, new)):
        lines[e.start:e.end] = [e.text]
    return "".join(lines)


@pytest.mark.parametrize(
    ("old", "new"),
    [(IMPORT_BEFORE, IMPORT_AFTER), (PARAM_BEFORE, PARAM_AFTER), ("a\nb", "a\nx\nb"),
     ("a\nb", "a\nc"), ("", "x\n")],
)
def test_line_edits_reproduce_the_new_text(old: str, new: str) -> None:
    assert apply(old, new) == new


def test_line_edits_are_minimal() -> None:
    edits = line_edits(IMPORT_BEFORE, IMPORT_AFTER)
    assert [(e.start, e.end, e.text) for e in edits] == [(6, 6, "    import json\n")]


def test_edit_range_at_the_end_of_a_text_without_a_final_newline() -> None:
    old = "a\nlast 😀"
    (edit,) = line_edits(old, "a\nchanged\n")
    assert edit_range(old, edit) == (1, 0, 1, 7)  # 5 + the emoji's two UTF-16 units
    (edit,) = line_edits("a\nb\n", "a\nc\n")
    assert edit_range("a\nb\n", edit) == (1, 0, 2, 0)


@pytest.mark.parametrize(("value", "annotation"), [
    ('int(os.environ.get("LIMIT", "10"))', "int"), ('float(os.getenv("R", "1"))', "float"),
    ('os.environ.get("LIMIT", "10")', "str"), ('os.environ["LIMIT"]', "str"),
    ('compute_limit() == 3', "bool"), ("[n for n in range(3)]", "list"),
    ("compute_limit()", None),
])
def test_the_new_parameter_is_annotated_from_the_value(
    tmp_path: Path, value: str, annotation: str | None,
) -> None:
    """Unannotated, the new parameter received the workflow parameter as text: int("10")
    became "10" in the pod. The annotation makes the wrapper decode it."""
    text = "import os\n" + PARAM_BEFORE.replace("LIMIT: int = compute_limit()",
                                                f"LIMIT = {value}")
    d = at(diagnostics(tmp_path, text), "TPH216")
    fixes = fixes_for(text, "TPH216", d.line, d.col)
    signature = f"LIMIT: {annotation}" if annotation else "LIMIT"
    assert f"def fetch(url: str, {signature}) -> str:" in fixes[0].text
    _, after = compile_text(tmp_path, fixes[0].text)
    assert after == []
