"""DSL files type-check under mypy --strict, as a user's would with tiphys installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SAMPLES

pytest.importorskip("mypy", reason="mypy is part of the test extra: pip install -e '.[test]'")


def test_samples_typecheck_strict(tmp_path: Path) -> None:
    # The editable install maps `tiphys` onto dsl/ with an import hook mypy cannot follow;
    # a link named `tiphys` gives mypy the layout an installed wheel has.
    root = tmp_path / "site"
    root.mkdir()
    try:
        (root / "tiphys").symlink_to(REPO / "dsl", target_is_directory=True)
    except OSError:
        shutil.copytree(REPO / "dsl", root / "tiphys")
    env = dict(os.environ, MYPYPATH=str(root))
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental",
         "--config-file", os.devnull, *sorted(str(p) for p in SAMPLES.glob("*.py"))],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_type_error_is_caught(tmp_path: Path) -> None:
    """The check above can fail: a misuse of the DSL is a mypy error."""
    root = tmp_path / "site"
    root.mkdir()
    (root / "tiphys").symlink_to(REPO / "dsl", target_is_directory=True)
    bad = tmp_path / "bad.py"
    bad.write_text("from tiphys import workflow\nwf = workflow(name=3)\n")
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", os.devnull, str(bad)],
        capture_output=True, text=True, env=dict(os.environ, MYPYPATH=str(root)),
        cwd=tmp_path, check=False,
    )
    assert proc.returncode == 1 and "workflow" in proc.stdout
