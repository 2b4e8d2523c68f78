"""Regressions: suspend, resource and template-reference tasks."""

from __future__ import annotations

from pathlib import Path

from tests.compile_helpers import compile_text


def test_output_names_are_checked(tmp_path: Path) -> None:
    # They become Argo output parameter names; unchecked, they reached the strict schema
    # (TPH900, an internal error).
    text = '''from tiphys import pipeline, resource, suspend, template_ref, workflow

appr = suspend("approve", outputs=["who\\n", "ok"])
deploy = resource("deploy", "create", {"apiVersion": "v1", "kind": "ConfigMap"},
                  outputs={"a b": "{.metadata.name}"})
greet = template_ref("hello", "greet", outputs=["\\u00e9"])
wf = workflow("w", pipeline(appr, deploy, greet))
'''
    docs, diags = compile_text(tmp_path, text)
    assert docs == []
    assert [(d.code, d.line, d.col) for d in diags] == [
        ("TPH450", 3, 35), ("TPH450", 5, 27), ("TPH450", 6, 48)]
