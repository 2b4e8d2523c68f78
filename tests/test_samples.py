"""Golden files: every sample's compiled YAML, byte for byte.

Regenerate with ``pytest tests/test_samples.py --update-goldens`` and review ``git diff``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tiphys.compiler.strict_schema import check_strict
from tiphys.compiler.validator import check_documents

from compile_helpers import compile_sample, load_all
from conftest import GOLDEN, REPO, sample_files

SAMPLES = sample_files()


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_golden(sample: Path, update_goldens: bool) -> None:
    text = compile_sample(sample)
    golden = GOLDEN / f"{sample.stem}.yaml"
    if update_goldens:
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}; run pytest --update-goldens"
    assert text == golden.read_text(encoding="utf-8"), (
        f"{sample.name} compiles differently from {golden.name}; if intended, rerun with "
        "--update-goldens and review the diff"
    )


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_stable(sample: Path) -> None:
    """Compiling twice in one process gives the same bytes (no hidden global state)."""
    assert compile_sample(sample) == compile_sample(sample)


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_output_is_valid(sample: Path) -> None:
    docs = load_all(compile_sample(sample))
    assert docs
    for doc in docs:
        assert check_strict(doc) == []
    findings = check_documents(docs)
    assert [f for f in findings if f.severity.value == "error"] == []


def _cli(args: list[str], cwd: Path, seed: str) -> bytes:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}
    env["PYTHONHASHSEED"] = seed
    proc = subprocess.run(
        [sys.executable, "-m", "tiphys.compiler", "compile", *args],
        cwd=cwd, env=env, capture_output=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


def test_deterministic_across_hash_seeds_and_cwd(tmp_path: Path) -> None:
    files = [str(s) for s in SAMPLES]
    first = _cli(files, REPO, "0")
    second = _cli(files, REPO, "12345")
    assert first == second
    rel = [os.path.relpath(s, REPO / "samples") for s in files]
    third = _cli(rel, REPO / "samples", "987")
    assert first == third
