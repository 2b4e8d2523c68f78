"""Shared paths for the validator tests."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Converted CRDs are cached; keep the tests' cache out of the user's home.
os.environ.setdefault("TIPHYS_CACHE_DIR", os.path.join(tempfile.gettempdir(), "tiphys-test-cache"))

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
