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


def test_generate_name_needs_create(tmp_path: Path) -> None:
    # `kubectl apply` (Argo's resource action "apply") fails with "cannot use generate name
    # with apply" (https://github.com/kubernetes/kubernetes/pull/88998); the sample did this.
    text = '''from tiphys import resource, workflow

job = {{"apiVersion": "batch/v1", "kind": "Job", "metadata": {{{meta}}},
       "spec": {{"template": {{"spec": {{"containers": [{{"name": "c", "image": "alpine"}}],
                                     "restartPolicy": "Never"}}}}}}}}
run = resource("run", "{action}", job)
wf = workflow("w", run())
'''
    for action in ("apply", "replace", "patch", "delete"):
        docs, diags = compile_text(tmp_path, text.format(action=action,
                                                         meta='"generateName": "job-"'))
        assert docs == [] and [(d.code, d.line, d.col) for d in diags] == [
            ("TPH453", 6, 23)], (action, diags)
    for action, meta in (("create", '"generateName": "job-"'), ("apply", '"name": "job"')):
        docs, diags = compile_text(tmp_path, text.format(action=action, meta=meta))
        assert diags == [] and len(docs) == 1, (action, diags)
