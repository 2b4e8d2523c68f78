"""Every sample's output also passes Argo's official JSON schema (../shared/argo/schema.json),
with int-or-string fields loosened to integer-or-string as Kubernetes decodes them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from compile_helpers import compile_sample, load_all
from conftest import require_shared, sample_files

SAMPLES = sample_files()
INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"


def _loosen(schema: dict[str, Any]) -> dict[str, Any]:
    defs = schema["definitions"]
    if INT_OR_STRING in defs:
        defs[INT_OR_STRING] = {"type": ["integer", "string"]}
    return schema


@pytest.fixture(scope="module")
def official() -> dict[str, Any]:
    shared = require_shared()
    return _loosen(json.loads((shared / "argo" / "schema.json").read_text()))


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_sample_passes_official_schema(sample: Path, official: dict[str, Any]) -> None:
    for doc in load_all(compile_sample(sample)):
        wrapper = {
            "$ref": f"#/definitions/io.argoproj.workflow.v1alpha1.{doc['kind']}",
            "definitions": official["definitions"],
        }
        errors = [f"{list(e.absolute_path)}: {e.message}"
                  for e in Draft202012Validator(wrapper).iter_errors(doc)]
        assert errors == []
