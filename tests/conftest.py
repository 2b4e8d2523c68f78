"""Shared test fixtures: paths, the golden-file flag, and helpers to compile in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
GOLDEN = REPO / "tests" / "golden"
SHARED = REPO.parent / "shared"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/*.yaml from the current compiler output (review the diff!).",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


def sample_files() -> list[Path]:
    return sorted(SAMPLES.glob("*.py"))


def require_shared() -> Path:
    if not (SHARED / "argo" / "schema.json").exists():
        pytest.skip(f"reference data not found at {SHARED} (the ../shared folder beside the repo)")
    return SHARED
