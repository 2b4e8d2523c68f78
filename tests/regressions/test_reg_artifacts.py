"""Regressions: artifact locations are checked where they are written.

A key that is not a string, an empty bucket or a number where text is expected reached the
strict schema unchecked (TPH900, an internal error); a secret name Kubernetes rejects
reached the cluster."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.compile_helpers import compile_text

TEXT = '''from tiphys import (InputArtifact, gcs_artifact, git_artifact, pipeline, raw_artifact,
                    s3_artifact, task, workflow)


@task
def hello(data: InputArtifact) -> None:
    print(open(data).read())


wf = workflow("w", pipeline(hello(data={location})))
'''


@pytest.mark.parametrize(("location", "at"), [
    ('s3_artifact("ml", (1, 2))', "1, 2)"),
    ('s3_artifact("", "k")', '""'),
    ('s3_artifact("b", "k", endpoint=5)', "5"),
    ('s3_artifact("b", "k", region="")', '""'),
    ('s3_artifact("b", "k", access_key_secret=("Bad N", "k"))', '"Bad N"'),
    ('gcs_artifact("b", ["k"])', '["k"]'),
    ('git_artifact("https://example.com/r.git", depth=-1)', "-1"),
    ('git_artifact("https://example.com/r.git", revision=5)', "5"),
    ('raw_artifact(5)', "5"),
])
def test_bad_artifact_location(tmp_path: Path, location: str, at: str) -> None:
    text = TEXT.format(location=location)
    line = text.splitlines()[9]
    docs, diags = compile_text(tmp_path, text)
    assert docs == []
    # One diagnostic, at the argument (no follow-up about the broken location).
    assert [(d.code, d.line, d.col) for d in diags] == [
        ("TPH472", 10, line.index(at, line.index("data=")) + 1)], diags


def test_good_artifact_locations(tmp_path: Path) -> None:
    location = ('s3_artifact("b", "k", region="eu", access_key_secret=("s3-creds", "id"), '
                'secret_key_secret=("s3-creds", "key"))')
    docs, diags = compile_text(tmp_path, TEXT.format(location=location))
    assert diags == [] and len(docs) == 1
