"""Regressions: workflow volume declarations are checked where they are written.

Each used to reach the strict schema unchecked (TPH900, an internal error, at the workflow
call) or, for names the schema does not constrain, Kubernetes, which rejects the pod."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.compile_helpers import compile_text

TEXT = '''from tiphys import (config_map_volume, empty_dir, pipeline, pvc, secret_volume, task,
                    volume_claim, workflow)


@task
def hello() -> None:
    print("hi")


wf = workflow("w", pipeline(hello()),
              {option})
'''


@pytest.mark.parametrize(("option", "at"), [
    ('volume_claims=[volume_claim("results", "5 Gi")]', '"5 Gi"'),
    ('volume_claims=[volume_claim("Results", "5Gi")]', '"Results"'),
    ('volume_claims=[volume_claim("r", "5Gi", access_modes=["Bogus"])]', '["Bogus"]'),
    ('volumes=[pvc("d", claim="Bad Claim")]', '"Bad Claim"'),
    ('volumes=[pvc("", claim="c")]', '""'),
    ('volumes=[config_map_volume("c", "")]', '""'),
    ('volumes=[secret_volume("s", "Bad_S")]', '"Bad_S"'),
    ('volumes=[empty_dir("x"), empty_dir("x")]', 'empty_dir("x")]'),
    ('volumes=[empty_dir("data")], volume_claims=[volume_claim("data", "1Gi")]', "volume_claim("),
    # None for a required argument (it became "", an internal error in the strict schema)
    ('volume_claims=[volume_claim("r", None)]', "None"),
    ('volumes=[config_map_volume("c", None)]', "None"),
    ('volumes=[pvc(None, claim="c")]', "None"),
])
def test_bad_volume_declaration(tmp_path: Path, option: str, at: str) -> None:
    text = TEXT.format(option=option)
    docs, diags = compile_text(tmp_path, text)
    assert docs == []
    assert [(d.code, d.line, d.col) for d in diags] == [
        ("TPH131", 11, text.splitlines()[10].index(at) + 1)], diags


def test_good_volume_declarations(tmp_path: Path) -> None:
    option = ('volumes=[pvc("d", claim="c.d-1"), empty_dir("e"), secret_volume("s", "s1")], '
              'volume_claims=[volume_claim("r", "1.5Gi", access_modes=["ReadWriteMany"])]')
    docs, diags = compile_text(tmp_path, TEXT.format(option=option))
    assert diags == [] and len(docs) == 1
