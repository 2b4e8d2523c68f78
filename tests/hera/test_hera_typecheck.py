"""The Hera ports type-check under mypy --strict, as the user's own files would: the DSL keeps
each task's signature, so a port that passes a wrong argument fails here before it compiles.

mypy runs against the test environment's interpreter (tiphys installed as the README says);
tests/test_typecheck.py does the same for samples/*.py from a fresh install."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLES

pytest.importorskip("mypy", reason="mypy is part of the test extra: pip install -e '.[test]'")


def mypy(cwd: Path, *files: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "MYPYPATH"}
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-executable",
         sys.executable, "--config-file", os.devnull, *files],
        capture_output=True, text=True, env=env, cwd=cwd, check=False)


def test_ports_typecheck_strict(tmp_path: Path) -> None:
    ports = sorted(str(p) for p in (SAMPLES / "hera").glob("*.py"))
    proc = mypy(tmp_path, *ports)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"no issues found in {len(ports)} source files" in proc.stdout


def test_a_wrong_argument_in_a_port_is_caught(tmp_path: Path) -> None:
    """The check above can fail: an unknown argument in a port is a mypy error."""
    text = (SAMPLES / "hera" / "passing_task_result.py").read_text(encoding="utf-8")
    (tmp_path / "bad.py").write_text(text.replace("in_(a=t1)", 'in_(a=t1, b="x")'),
                                     encoding="utf-8")
    proc = mypy(tmp_path, "bad.py")
    assert proc.returncode == 1 and 'Unexpected keyword argument "b"' in proc.stdout, proc.stdout
