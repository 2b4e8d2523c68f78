"""Regressions: suspend, resource and template-reference tasks."""

from __future__ import annotations

from pathlib import Path

import pytest

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


REQUIRED = '''from tiphys import (bash, container, http, pipeline, resource, suspend, template_ref,
                    workflow)

CM = {{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {{"name": "x"}}}}
t = {call}
wf = workflow("w", pipeline(t()))
'''


@pytest.mark.parametrize(("call", "at"), [
    ('bash(None, "echo")', "None"), ('bash("", "echo")', '""'), ('bash("b", None)', "None"),
    ('container(None, "alpine")', "None"), ('container("c", None)', "None"),
    ('suspend("")', '""'), ('resource("r", None, CM)', "None"),
    ('resource(None, "create", CM)', "None"),
    ('http("h", None)', "None"), ('http("h", "")', '""'), ('template_ref("", "t")', '""'),
    ('template_ref("w", None)', "None"),
])
def test_required_string_arguments(tmp_path: Path, call: str, at: str) -> None:
    # None or "" for an argument the call cannot do without: silently a default name or
    # action, or an empty URL, image or template name (TPH900, an internal error).
    text = REQUIRED.format(call=call)
    docs, diags = compile_text(tmp_path, text)
    assert docs == []
    assert [(d.code, d.line, d.col) for d in diags] == [
        ("TPH131", 5, text.splitlines()[4].index(at) + 1)], diags


def test_script_and_container_names_and_paths(tmp_path: Path) -> None:
    # Output names and empty paths reached the strict schema (TPH900); an input name that
    # is not a parameter name could never be passed ("missing argument" was all one got).
    text = '''from tiphys import bash, container, pipeline, resource, workflow

c = container("c", "alpine", outputs={"a b": "/tmp/x", "ok": ""})
b = bash("b", "echo", inputs=["in put"])
r = resource("r", "get", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}},
             outputs={"uid": ""})
wf = workflow("w", pipeline(c(), r()))
'''
    docs, diags = compile_text(tmp_path, text)
    assert docs == []
    assert [(d.code, d.line, d.col) for d in diags] == [
        ("TPH131", 3, 38), ("TPH450", 3, 38), ("TPH450", 4, 30), ("TPH131", 6, 22)]
