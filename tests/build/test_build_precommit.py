"""The pre-commit hooks this repository publishes, and the documented configuration."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from build_helpers import GOOD, make_project, own_cache_env, run

from conftest import REPO

__all__ = ["own_cache_env"]


def hooks() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return {h["id"]: h for h in data}


def test_manifest_shape() -> None:
    found = hooks()
    assert set(found) == {"tiphys-lint", "tiphys-compile-check"}
    for hook in found.values():
        assert hook["language"] == "python" and hook["types"] == ["python"]
        assert hook["entry"].split()[0] == "tiphys"
    assert found["tiphys-lint"]["entry"] == "tiphys lint"
    assert found["tiphys-compile-check"]["entry"] == "tiphys compile --check"
    assert found["tiphys-compile-check"]["pass_filenames"] is False
    assert found["tiphys-lint"].get("pass_filenames", True) is True


def test_manifest_validates_with_pre_commit() -> None:
    if shutil.which("pre-commit") is None:
        pytest.skip("pre-commit not installed")
    proc = subprocess.run(["pre-commit", "validate-manifest", ".pre-commit-hooks.yaml"],
                          cwd=REPO, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_compile_check_hook_entry_runs_as_pre_commit_would(tmp_path: Path) -> None:
    """pre-commit runs the entry with no file names in the project root."""
    root = make_project(tmp_path)
    args = shlex.split(hooks()["tiphys-compile-check"]["entry"])[1:]
    assert run(args, root)[0] == 1  # nothing generated yet
    assert run(["compile"], root)[0] == 0
    assert run(args, root)[0] == 0
    (root / "flows" / "a.py").write_text(GOOD.replace('"hi"', '"hook"'))
    code, _, err = run(args, root)
    assert code == 1 and "would update deploy/argo/hello.yaml" in err


def test_documented_config_uses_the_hook_ids() -> None:
    doc = (REPO / "docs" / "build.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(# \.pre-commit-config\.yaml\n.*?)```", doc, re.S)
    assert blocks, "docs/build.md has no .pre-commit-config.yaml example"
    config = yaml.safe_load(blocks[0])
    ids = {h["id"] for repo in config["repos"] for h in repo["hooks"]}
    assert ids == set(hooks())
