"""An f-string of workflow parameters in a checked field is also checked with the parameters'
defaults filled in: the run that takes the defaults must not be refused by Kubernetes."""

from __future__ import annotations

from pathlib import Path

import pytest

from compile_helpers import compile_text

HEAD = '''from tiphys import param, task, workflow

team = param("team", default={team!r})
img = param("img", default={img!r})

'''
GOOD = {"team": "data-team", "img": "python:3.12"}


def _compile(tmp_path: Path, body: str, **defaults: str) -> list[str]:
    _, diags = compile_text(tmp_path, HEAD.format(**{**GOOD, **defaults}) + body)
    return [f"{d.line}:{d.col} {d.code} {d.message}" for d in diags]


TASK = '''@task(labels={"team": f"{team}"}, image=f"{img}")
def foo() -> None:
    print("x")

wf = workflow("w", foo(), run_metadata={"labels": {"team": f"t-{team}"}},
              pod_metadata={"annotations": {"a": f"{team}"}, "labels": {"t": f"{team}"}})
'''


def test_good_defaults_compile(tmp_path: Path) -> None:
    assert _compile(tmp_path, TASK) == []


@pytest.mark.parametrize(("defaults", "messages"), [
    ({"team": "Data Team!"}, [
        "6:23 TPH174 pod labels with the parameters' defaults filled in: 'Data Team!' is not "
        "valid here",
        "10:60 TPH174 workflow run_metadata with the parameters' defaults filled in: "
        "'t-Data Team!' is not valid here",
        "11:78 TPH174 workflow pod_metadata with the parameters' defaults filled in: "
        "'Data Team!' is not valid here"]),
    ({"img": "python 3.12"}, [
        "6:41 TPH131 'image' must be an image reference with the parameters' defaults filled "
        "in; it would be 'python 3.12'"]),
])
def test_defaults_kubernetes_would_refuse_are_reported(tmp_path: Path, defaults: dict[str, str],
                                                       messages: list[str]) -> None:
    shown = _compile(tmp_path, TASK, **defaults)
    for message in messages:
        assert any(s.startswith(message) for s in shown), (message, shown)
    assert len(shown) == len(messages), shown


def test_a_parameter_without_a_default_is_left_to_the_run(tmp_path: Path) -> None:
    shown = _compile(tmp_path, TASK.replace('f"{team}"', 'f"{who}"', 1).replace(
        "@task(", 'who = param("who")\n\n@task(', 1))
    assert shown == [], shown
