"""Shared paths for the validator tests."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SHARED = REPO.parent / "shared"
ARGO = SHARED / "argo"
NEGATIVE = HERE / "negative"
DOCS = REPO / "docs" / "validator-codes.md"


def need_shared() -> Path:
    """The Argo test data (schema, examples, CRDs), or skip when it is not checked out."""
    if not (ARGO / "examples").is_dir():
        pytest.skip(f"Argo test data not found at {ARGO} (shared/ is not part of the repo)")
    return ARGO
