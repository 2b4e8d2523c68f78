"""In-process compile helpers for tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tiphys.compiler.commands.compile import compile_paths, render_outputs
from tiphys.compiler.diagnostics import Diagnostic
from tiphys.compiler.lower.workflow import Settings


def compile_text(tmp_path: Path, text: str, name: str = "flow.py",
                 kind: str = "WorkflowTemplate") -> tuple[list[dict[str, Any]], list[Diagnostic]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    results, diags = compile_paths([str(path)], Settings(kind=kind))
    docs = [wf.document for r in results for wf in r.workflows]
    return docs, diags.sorted()


def compile_sample(path: Path) -> str:
    results, diags = compile_paths([str(path)], Settings())
    errors = [d for d in diags.sorted() if d.is_error]
    assert not errors, errors
    outputs = render_outputs(results)
    assert outputs, "the sample defines no workflow"
    # One file per workflow with -o; a sample with several is checked as their concatenation.
    return "".join(o.text for o in outputs)


def codes(diags: list[Diagnostic]) -> list[str]:
    return [d.code for d in diags]


def load_all(text: str) -> list[Any]:
    return [d for d in yaml.safe_load_all(text) if d is not None]
