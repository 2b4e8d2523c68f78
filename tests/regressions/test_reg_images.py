"""Regressions: image references and the artifact repository reference.

An empty image made the task use the default image silently (a container task's empty image
was an internal error, TPH900), an image with white space reached the cluster (which cannot
pull it), and an empty artifact repository reference became `artifactRepositoryRef: {}`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.compile_helpers import compile_text

TEXT = '''from tiphys import bash, container, pipeline, task, workflow


@task({image})
def hello() -> None:
    print("x")


b = bash("b", "echo", {image})
c = container("c", {bare})
wf = workflow("w", pipeline(hello(), b, c), {image})
'''


@pytest.mark.parametrize("bad", ['""', '" python:3.12"', '"python 3.12"'])
def test_bad_image(tmp_path: Path, bad: str) -> None:
    text = TEXT.format(image=f"image={bad}", bare=bad)
    docs, diags = compile_text(tmp_path, text)
    assert docs == []
    lines = text.splitlines()
    assert [(d.code, d.line, d.col) for d in diags] == [
        ("TPH131", n, lines[n - 1].index(bad) + 1) for n in (4, 9, 10, 11)]


@pytest.mark.parametrize("good", ['"python:3.12"', '"{{ workflow.parameters.image }}"'])
def test_good_image(tmp_path: Path, good: str) -> None:
    docs, diags = compile_text(tmp_path, TEXT.format(image=f"image={good}", bare=good))
    assert diags == [] and len(docs) == 1


@pytest.mark.parametrize("ref", ['{"config_map": ""}', '{"key": ""}', '{"config_map": "Bad CM"}'])
def test_bad_artifact_repository(tmp_path: Path, ref: str) -> None:
    text = TEXT.format(image=f"artifact_repository={ref}", bare='"alpine"').replace(
        "@task(artifact_repository=" + ref + ")", "@task").replace(
        '"echo", artifact_repository=' + ref, '"echo"')
    docs, diags = compile_text(tmp_path, text)
    assert docs == []
    assert [(d.code, d.line) for d in diags] == [("TPH131", 11)]
