"""Regressions: loops over literal items (`task.map(arg=[...])`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.compile_helpers import compile_text
from tests.run_helpers import run_doc

TEXT = '''from typing import Any

from tiphys import dag, task, workflow


@task
def show(n: {annotation}) -> str:
    return repr(n)


@task
def total(xs: list[str]) -> None:
    print(xs)


s = show.map(n={items})
wf = workflow("lp", dag(total(xs=s)))
'''


@pytest.mark.parametrize("annotation", ["Any", "str | int", "object"])
def test_string_items_for_an_input_decoded_from_json(tmp_path: Path, annotation: str) -> None:
    # Argo substitutes a string item as it is; the script decodes this input from JSON, so
    # the item "x" failed in the pod (json.loads("x")).
    docs, diags = compile_text(tmp_path, TEXT.format(annotation=annotation,
                                                    items='["x", "y z", 1]'))
    assert diags == []
    run = run_doc(docs[0])
    assert run.phase == "Succeeded"
    assert run.stdout[-1] == str(["'x'", "'y z'", "1"]) + "\n"


@pytest.mark.parametrize("items", ['["x", "y"]', '[1, 2]', '[{"k": "v"}]'])
def test_items_of_a_list_input_are_lists(tmp_path: Path, items: str) -> None:
    # The item type check skipped list-typed inputs: each run got a string or a number.
    docs, diags = compile_text(tmp_path, TEXT.format(annotation="list[str]", items=items))
    assert docs == []
    assert [(d.code, d.line, d.col) for d in diags] == [("TPH411", 16, 16)]


@pytest.mark.parametrize(("items", "code"), [
    ("range(5, 1)", "TPH413"), ("range(0, 3, 1)", "TPH413"), ("[]", "TPH412"),
    ('["x"]', "TPH411"),
])
def test_one_diagnostic_for_a_wrong_loop(tmp_path: Path, items: str, code: str) -> None:
    # It came with TPH410 ("needs one argument to loop over") and TPH111 for the same thing.
    docs, diags = compile_text(tmp_path, TEXT.format(annotation="int", items=items))
    assert docs == [] and [(d.code, d.line) for d in diags] == [(code, 16)]
