"""Regressions: a name or value with a final newline is invalid (Go's "$" is the end of the
text; Python's "$" also matched before a final newline, so such values passed every check
and reached Argo, which rejects them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.compile_helpers import compile_text
from tiphys.compiler.validator import check_documents


def test_compiler_checks_reject_a_final_newline(tmp_path: Path) -> None:
    text = '''from tiphys import pipeline, secret, task, workflow


@task(timeout="10m\\n", env={"A\\n": "x", "B": secret("s\\n", "k\\n")}, service_account="sa\\n")
def hello() -> None:
    print("hi")


wf = workflow("w", pipeline(hello()))
'''
    docs, diags = compile_text(tmp_path, text)
    assert docs == []
    assert [(d.code, d.line, d.col) for d in diags] == [
        ("TPH131", 4, 15), ("TPH153", 4, 29), ("TPH151", 4, 53), ("TPH151", 4, 60),
        ("TPH175", 4, 85)]


def _workflow(step: str, param: str) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
        "metadata": {"name": "w"},
        "spec": {"entrypoint": "main",
                 "arguments": {"parameters": [{"name": param, "value": "v"}]},
                 "templates": [{"name": "main", "steps": [[{"name": step, "template": "s"}]]},
                               {"name": "s", "suspend": {}}]},
    }


def test_validator_rejects_a_final_newline() -> None:
    clean = check_documents([_workflow("a", "p")])
    assert [f.code for f in clean if f.severity.value == "error"] == []
    found = [(f.code, f.message) for f in check_documents([_workflow("a\n", "p\n")])]
    assert sorted(c for c, _ in found) == ["ARG105", "ARG501"], found
    assert all("\\Z" not in m for _, m in found)  # patterns shown as Argo writes them
